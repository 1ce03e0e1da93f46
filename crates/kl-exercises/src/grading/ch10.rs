//! Graders for chapter 10. Independent routes: the loss written out here from its definition
//! (`ln qᵢ = zᵢ − ln Σⱼ e^{zⱼ}` with the largest logit factored out), values worked out by hand,
//! the invariance of softmax to adding a constant to every logit, and central differences of
//! the loss for every gradient. The `kl::discrete` functions the exercises forbid are not used.

use super::{Case, Draw, Fails, Got, HeldOut, Numbers, close, compare, ensure, outputs};
use crate::ch10::{exercise_10_1, exercise_10_2};

/// `H(p, softmax(z))` from its definition: `Σ_{pᵢ>0} pᵢ (lse − zᵢ)`, `lse = m + ln Σ e^{zⱼ−m}`.
fn loss(p: &[f64], z: &[f64]) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for zj in z {
        total += (zj - m).exp();
    }
    let lse = m + total.ln();
    let mut h = 0.0;
    for (pi, zi) in p.iter().zip(z) {
        if *pi > 0.0 {
            h += pi * (lse - zi);
        }
    }
    h
}

/// Central differences of `f` at `at`, step `h`, one coordinate at a time.
fn central(f: impl Fn(&[f64]) -> f64, at: &[f64], h: f64) -> Vec<f64> {
    (0..at.len())
        .map(|k| {
            let (mut up, mut down) = (at.to_vec(), at.to_vec());
            up[k] += h;
            down[k] -= h;
            (f(&up) - f(&down)) / (2.0 * h)
        })
        .collect()
}

/// A public example of 10.1: `p`, `z`, the loss and the gradient, worked out by hand.
type Example = (&'static [f64], Vec<f64>, f64, Vec<f64>);

pub(crate) fn grade_10_1() -> Result<(), String> {
    let third = 1.0 / 3.0;
    let cases: [Example; 3] = [
        (
            &[1.0, 0.0, 0.0],
            vec![0.0, 0.0, 0.0],
            3f64.ln(),
            vec![third - 1.0, third, third],
        ),
        // softmax(1000, 1000 + ln 3) = (1/4, 3/4): H = −¼ ln ¼ − ¾ ln ¾.
        (
            &[0.25, 0.75],
            vec![1000.0, 1000.0 + 3f64.ln()],
            -(0.25 * 0.25f64.ln() + 0.75 * 0.75f64.ln()),
            vec![0.0, 0.0],
        ),
        // q₂ = e^{−800}/(1 + e^{−800}) rounds to 0, yet ln q₂ = −800: the loss is 400.
        (&[0.5, 0.5], vec![0.0, -800.0], 400.0, vec![0.5, -0.5]),
    ];
    for (p, z, want, grad) in &cases {
        let what = format!("p = {p:?}, z = {z:?}");
        let (h, g) = exercise_10_1(p, z);
        close(&format!("{what}: loss"), h, *want, 1e-12 * want.max(1.0))?;
        ensure(g.len() == z.len(), || {
            format!("{what}: the gradient should have {} entries", z.len())
        })?;
        for (k, (gk, wk)) in g.iter().zip(grad).enumerate() {
            close(&format!("{what}: dH/dz[{k}]"), *gk, *wk, 1e-12)?;
        }
    }
    Ok(())
}

pub(crate) fn grade_10_2() -> Result<(), String> {
    let theta = [0.5, -0.3, -0.4, 0.2, 0.1, 0.6, 0.0, 0.2, -0.1];
    let x = [[1.0, 0.5], [-1.5, 0.2], [0.3, 2.0], [2.0, -1.0]];
    let labels = [0, 1, 2, 1];
    for eps in [0.0, 0.1] {
        let reference = |t: &[f64]| smoothed_loss(t, &x, &labels, eps);
        let (l, g) = exercise_10_2(&theta, &x, &labels, eps);
        let what = format!("4 points, 3 classes, eps = {eps}");
        close(&format!("{what}: loss"), l, reference(&theta), 1e-12)?;
        ensure(g.len() == theta.len(), || {
            format!("{what}: the gradient should have {} entries", theta.len())
        })?;
        for (k, (gk, fd)) in g.iter().zip(central(reference, &theta, 1e-5)).enumerate() {
            close(
                &format!("{what}: dL/dtheta[{k}] against central differences"),
                *gk,
                fd,
                1e-8,
            )?;
        }
    }
    Ok(())
}

/// The loss of 10.2 from its definition, with [`loss`] per point.
fn smoothed_loss(theta: &[f64], x: &[[f64; 2]], labels: &[usize], eps: f64) -> f64 {
    let k = theta.len() / 3;
    let mut total = 0.0;
    for (xi, &c) in x.iter().zip(labels) {
        let z: Vec<f64> = (0..k)
            .map(|r| theta[2 * r] * xi[0] + theta[2 * r + 1] * xi[1] + theta[2 * k + r])
            .collect();
        let y: Vec<f64> = (0..k)
            .map(|r| {
                if r == c {
                    1.0 - eps + eps / k as f64
                } else {
                    eps / k as f64
                }
            })
            .collect();
        total += loss(&y, &z);
    }
    total / x.len() as f64
}

// Held-out checks. References: the loss from its definition ([`loss`]), shifted logits
// against unshifted ones, and central differences of the reference loss for the gradients.

fn draw_10_1(d: &mut Draw) -> Vec<Case> {
    (0..9)
        .map(|j| {
            let n = d.int(2, 12) as usize;
            let p = d.probabilities(n, 0.3);
            let mut z: Vec<f64> = (0..n).map(|_| d.normal(0.0, 3.0)).collect();
            let check = j / 3;
            if check == 2 {
                // Extreme logits: a common shift of ±(500 … 1000), and one logit 800 below
                // the rest where p may have mass.
                let shift = d.uniform(500.0, 1000.0) * if j % 2 == 0 { 1.0 } else { -1.0 };
                z.iter_mut().for_each(|v| *v += shift);
                z[n - 1] -= 800.0;
            }
            Case {
                check,
                input: vec![p, z],
            }
        })
        .collect()
}

fn run_10_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (h, g) = exercise_10_1(&i[0], &i[1]);
    Ok(vec![vec![h], g])
}

fn judge_10_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let (p, z) = (&case.input[0], &case.input[1]);
    let n = z.len();
    let out = outputs(got, &[1, n])?;
    let what = format!("{n} classes, logits from {:.1}", z[0]);
    let mut f = Fails::default();
    if case.check == 2 {
        // Softmax ignores a common shift: the reference drops it and keeps the gap of 800.
        let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let unshifted: Vec<f64> = z.iter().map(|v| v - m).collect();
        let want = loss(p, &unshifted);
        f.add(compare(
            &format!("{what}: loss"),
            out[0][0],
            want,
            1e-9 * want.max(1.0),
            "exp of the logits without subtracting the largest (overflow to inf, or a q that \
             rounds to 0 and a log of 0)",
        ));
        let fd = central(|t| loss(p, t), &unshifted, 1e-5);
        for (k, w) in fd.iter().enumerate() {
            f.add(compare(
                &format!("{what}: dH/dz[{k}]"),
                out[1][k],
                *w,
                1e-6,
                "softmax of unshifted logits (NaN from inf/inf)",
            ));
        }
        return f.done();
    }
    if case.check == 0 {
        let want = loss(p, z);
        return compare(
            &format!("{what}: loss"),
            out[0][0],
            want,
            1e-12 * want.max(1.0),
            "log base 2, a missing log-sum-exp, or terms with p = 0 giving NaN",
        );
    }
    let fd = central(|t| loss(p, t), z, 1e-5);
    for (k, w) in fd.iter().enumerate() {
        f.add(compare(
            &format!("{what}: dH/dz[{k}] against central differences"),
            out[1][k],
            *w,
            1e-7,
            "p − q for q − p, or the gradient of the loss without the log-sum-exp term",
        ));
    }
    f.done()
}

/// HELD-OUT checks of 10.1.
pub(crate) const HELD_OUT_10_1: HeldOut = HeldOut {
    checks: &[
        ("held-out losses", 1),
        ("held-out gradients", 1),
        ("held-out extreme logits", 1),
    ],
    draw: draw_10_1,
    run: run_10_1,
    judge: judge_10_1,
};

fn draw_10_2(d: &mut Draw) -> Vec<Case> {
    (0..8)
        .map(|j| {
            let k = d.int(2, 5) as usize;
            let n = d.int(5, 30) as usize;
            let theta: Vec<f64> = (0..3 * k).map(|_| d.normal(0.0, 1.0)).collect();
            let x: Vec<f64> = (0..2 * n).map(|_| d.normal(0.0, 2.0)).collect();
            let labels: Vec<f64> = (0..n).map(|_| d.int(0, k as u64 - 1) as f64).collect();
            let eps = if j % 4 == 0 {
                0.0
            } else {
                d.uniform(0.01, 0.3)
            };
            Case {
                check: usize::from(j >= 4),
                input: vec![theta, x, labels, vec![eps]],
            }
        })
        .collect()
}

fn unpack_10_2(i: &[Vec<f64>]) -> (Vec<[f64; 2]>, Vec<usize>) {
    let x = i[1].chunks_exact(2).map(|c| [c[0], c[1]]).collect();
    let labels = i[2].iter().map(|&c| c as usize).collect();
    (x, labels)
}

fn run_10_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (x, labels) = unpack_10_2(i);
    let (l, g) = exercise_10_2(&i[0], &x, &labels, i[3][0]);
    Ok(vec![vec![l], g])
}

fn judge_10_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let theta = &case.input[0];
    let eps = case.input[3][0];
    let (x, labels) = unpack_10_2(&case.input);
    let out = outputs(got, &[1, theta.len()])?;
    let what = format!(
        "{} points, {} classes, eps = {eps:.3}",
        x.len(),
        theta.len() / 3
    );
    let reference = |t: &[f64]| smoothed_loss(t, &x, &labels, eps);
    if case.check == 0 {
        let want = reference(theta);
        return compare(
            &format!("{what}: loss"),
            out[0][0],
            want,
            1e-11 * want.max(1.0),
            "the smoothed target wrong (ε/k on every class, 1 − ε + ε/k on the label), a sum \
             where the mean is asked, or the rows of W read as columns",
        );
    }
    let mut f = Fails::default();
    for (k, w) in central(reference, theta, 1e-5).iter().enumerate() {
        f.add(compare(
            &format!("{what}: dL/dtheta[{k}] against central differences"),
            out[1][k],
            *w,
            1e-6 * (1.0 + w.abs()),
            "q − y not multiplied by x for W (the chain rule), the one-hot target used in \
             the gradient instead of the smoothed one, or the bias gradient missing",
        ));
    }
    f.done()
}

/// HELD-OUT checks of 10.2.
pub(crate) const HELD_OUT_10_2: HeldOut = HeldOut {
    checks: &[("held-out loss", 2), ("held-out gradient", 2)],
    draw: draw_10_2,
    run: run_10_2,
    judge: judge_10_2,
};
