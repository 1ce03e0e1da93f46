//! Graders for chapter 12. Independent routes: for 12.1 the estimators recomputed from the
//! log-probabilities with k3 by its Taylor series `Σ_{j≥2} tʲ/j!` where it would cancel (not
//! by `exp_m1`), and values worked out by hand; for 12.2 every moment integrated numerically
//! over `z ~ N(0, 1)` (the trapezoid rule on a fine grid, spectrally accurate for these smooth,
//! fast-decaying integrands) instead of the closed forms. `kl::estimate` is not used.

use statrs::distribution::{Continuous, Normal};

use super::{
    Case, Draw, Fails, Got, HeldOut, Numbers, close, compare, ensure, mean_and_standard_error,
    outputs, weighted_moments,
};
use crate::ch12::{exercise_12_1, exercise_12_2};

/// `eᵗ − 1 − t`: the Taylor series `Σ_{j=2}^{40} tʲ/j!` for `|t| < ½` (its terms shrink by
/// at least half each step, so forty are far past the last bit), `eᵗ − 1 − t` written out
/// otherwise, where `eᵗ − 1 − t ≥ 0.1 |t|` keeps the subtraction from cancelling.
fn k3_reference(t: f64) -> f64 {
    if t.abs() < 0.5 {
        let (mut term, mut sum) = (t, 0.0);
        for j in 2..=40 {
            term *= t / j as f64;
            sum += term;
        }
        sum
    } else {
        t.exp() - 1.0 - t
    }
}

/// The mean of `terms`, its standard error (divisor `n − 1`) and the mean absolute term (the
/// scale a sum of these terms is rounded at).
fn mean_se_scale(terms: &[f64]) -> (f64, f64, f64) {
    let (mean, se) = mean_and_standard_error(terms);
    let scale = terms.iter().map(|x| x.abs()).sum::<f64>() / terms.len() as f64;
    (mean, se, scale)
}

/// The reference `[k̂1, se1, k̂2, se2, k̂3, se3]` and the scales of the three sums.
fn estimates_reference(ln_p: &[f64], ln_q: &[f64]) -> ([f64; 6], [f64; 3]) {
    let ln_r: Vec<f64> = ln_p.iter().zip(ln_q).map(|(p, q)| p - q).collect();
    let k1: Vec<f64> = ln_r.iter().map(|t| -t).collect();
    let k2: Vec<f64> = ln_r.iter().map(|t| 0.5 * t * t).collect();
    let k3: Vec<f64> = ln_r.iter().map(|&t| k3_reference(t)).collect();
    let (a, b, c) = (mean_se_scale(&k1), mean_se_scale(&k2), mean_se_scale(&k3));
    ([a.0, a.1, b.0, b.1, c.0, c.1], [a.2, b.2, c.2])
}

const NAMES_12_1: [&str; 6] = ["k1", "se1", "k2", "se2", "k3", "se3"];

/// Compares a student's six numbers with the reference: each mean to `rel` of its sum's scale,
/// each standard error to `rel` of itself (plus the same scale's rounding).
fn check_estimates(what: &str, got: &[f64], ln_p: &[f64], ln_q: &[f64], rel: f64) -> Fails {
    let (want, scale) = estimates_reference(ln_p, ln_q);
    let mut f = Fails::default();
    for (j, name) in NAMES_12_1.iter().enumerate() {
        let s = scale[j / 2];
        let tol = if j % 2 == 0 {
            rel * s
        } else {
            rel * (want[j] + 1e-6 * s)
        };
        let cause = match j {
            4 | 5 => {
                "(r − 1) − ln r computed as (e^{ln r} − 1) − ln r, which cancels when r ≈ 1 \
                      (use exp_m1), or r taken as q/p"
            }
            1 | 3 => "divisor n instead of n − 1, or the standard deviation not divided by √n",
            _ => "ln r taken as ln q − ln p, or the ½ of k2 missing",
        };
        f.add(compare(
            &format!("{name} for {what}"),
            got[j],
            want[j],
            tol,
            cause,
        ));
    }
    f
}

/// Draws of `Q = N(mq, sq)` and the two log-densities there, with `P = N(mp, sp)`.
fn log_densities(x: &[f64], q: (f64, f64), p: (f64, f64)) -> (Vec<f64>, Vec<f64>) {
    let (Ok(q), Ok(p)) = (Normal::new(q.0, q.1), Normal::new(p.0, p.1)) else {
        return (vec![f64::NAN; x.len()], vec![f64::NAN; x.len()]);
    };
    (
        x.iter().map(|&x| p.ln_pdf(x)).collect(),
        x.iter().map(|&x| q.ln_pdf(x)).collect(),
    )
}

pub(crate) fn grade_12_1() -> Result<(), String> {
    // ln r = ±ln 2, so r = 2 and ½: k1 = ∓ln 2 (mean 0, se ln 2), k2 = ½ ln²2 twice (se 0),
    // k3 = 1 − ln 2 and ln 2 − ½ (mean ¼, se ¾ − ln 2).
    let ln2 = 2f64.ln();
    let got = exercise_12_1(&[ln2 - 1.0, -ln2 - 1.0], &[-1.0, -1.0]);
    let want = [0.0, ln2, 0.5 * ln2 * ln2, 0.0, 0.25, 0.75 - ln2];
    for (j, name) in NAMES_12_1.iter().enumerate() {
        close(
            &format!("ln r = (ln 2, -ln 2): {name}"),
            got[j],
            want[j],
            1e-15,
        )?;
    }
    // 50 draws of Q = N(0, 1) against P = N(1e-5, 1): every |ln r| is about 1e-5.
    let x: Vec<f64> = (0..50).map(|i| -2.45 + 0.1 * i as f64).collect();
    let (ln_p, ln_q) = log_densities(&x, (0.0, 1.0), (1e-5, 1.0));
    let got = exercise_12_1(&ln_p, &ln_q);
    check_estimates(
        "Q = N(0, 1), P = N(1e-5, 1) at 50 points",
        &got,
        &ln_p,
        &ln_q,
        1e-8,
    )
    .done()
}

// Held-out checks. References: the estimators recomputed here with k3 by its series.

fn draw_12_1(d: &mut Draw) -> Vec<Case> {
    (0..6)
        .map(|j| {
            let close_pair = j >= 3;
            let n = d.int(20, 400) as usize;
            let (mq, sq) = (d.uniform(-2.0, 2.0), d.uniform(0.3, 3.0));
            let (mp, sp) = if close_pair {
                let delta = d.uniform(1e-6, 1e-5) * d.sign();
                (mq + delta * sq, sq)
            } else {
                (mq + d.uniform(-3.0, 3.0) * sq, sq * d.uniform(0.7, 1.4))
            };
            let x: Vec<f64> = (0..n).map(|_| d.normal(mq, sq)).collect();
            let (ln_p, ln_q) = log_densities(&x, (mq, sq), (mp, sp));
            Case {
                check: usize::from(close_pair),
                input: vec![ln_p, ln_q],
            }
        })
        .collect()
}

fn run_12_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    Ok(vec![exercise_12_1(&i[0], &i[1]).to_vec()])
}

fn judge_12_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let out = outputs(got, &[6])?;
    let n = case.input[0].len();
    let what = if case.check == 0 {
        format!("{n} draws of two normals")
    } else {
        format!("{n} draws of two normals whose means differ by under 1e-5 sd")
    };
    check_estimates(&what, &out[0], &case.input[0], &case.input[1], 1e-8).done()
}

/// HELD-OUT checks of 12.1.
pub(crate) const HELD_OUT_12_1: HeldOut = HeldOut {
    checks: &[
        ("held-out batches", 1),
        ("held-out batches, P close to Q", 2),
    ],
    draw: draw_12_1,
    run: run_12_1,
    judge: judge_12_1,
};

/// `[E k1, Var k1, E k2, Var k2, E k3, Var k3]` under `Q` for `ln r = d z − d²/2`,
/// `z ~ N(0, 1)`, by the trapezoid rule on `[−40, 40]` with step 1/500 (the integrands are
/// smooth and their tails below e^{−700} at the ends for `|d| ≤ 4`).
fn moments_by_quadrature(d: f64) -> [f64; 6] {
    let phi = Normal::standard();
    let h = 1.0 / 500.0;
    let z: Vec<f64> = (0..=40_000).map(|i| -40.0 + h * i as f64).collect();
    let w: Vec<f64> = z.iter().map(|&z| phi.pdf(z) * h).collect();
    let ln_r: Vec<f64> = z.iter().map(|&z| d * z - 0.5 * d * d).collect();
    let ks: [&dyn Fn(f64) -> f64; 3] = [&|t: f64| -t, &|t: f64| 0.5 * t * t, &k3_reference];
    let mut out = [0.0; 6];
    for (j, k) in ks.iter().enumerate() {
        let values: Vec<f64> = ln_r.iter().map(|&t| k(t)).collect();
        (out[2 * j], out[2 * j + 1]) = weighted_moments(&values, &w);
    }
    out
}

const NAMES_12_2: [&str; 6] = ["E k1", "Var k1", "E k2", "Var k2", "E k3", "Var k3"];

fn check_moments(
    what: &str,
    got: &[f64],
    mu_q: f64,
    mu_p: f64,
    sigma: f64,
    which: &[usize],
) -> Fails {
    let want = moments_by_quadrature((mu_p - mu_q) / sigma);
    let mut f = Fails::default();
    for &j in which {
        let cause = match j {
            2 => "E[(ln r)²] taken as Var[ln r] (the mean of ln r is −d²/2, not 0)",
            5 => "Cov(r, ln r) left out of Var(r − ln r), or E[r²] taken as 1",
            3 => "Var[Y²] for Y ~ N(m, s²) is 2s⁴ + 4m²s², with m = −d²/2",
            _ => "d = (mu_p − mu_q) without dividing by sigma, or ln r's sign",
        };
        f.add(compare(
            &format!("{} for {what}", NAMES_12_2[j]),
            got[j],
            want[j],
            1e-9 * want[j].abs() + 1e-15,
            cause,
        ));
    }
    f
}

pub(crate) fn grade_12_2() -> Result<(), String> {
    // d = 1: E k1 = ½, Var k1 = 1, E k2 = ½ + ⅛, Var k2 = ½ + ¼, E k3 = ½, Var k3 = e − 2.
    let got = exercise_12_2(0.0, 1.0, 1.0);
    let want = [0.5, 1.0, 0.625, 0.75, 0.5, std::f64::consts::E - 2.0];
    for (j, name) in NAMES_12_2.iter().enumerate() {
        close(
            &format!("Q = N(0, 1), P = N(1, 1): {name}"),
            got[j],
            want[j],
            1e-12,
        )?;
    }
    let got = exercise_12_2(2.0, 1.0, 0.5);
    ensure(got.iter().all(|x| x.is_finite()), || {
        format!("Q = N(2, 0.5), P = N(1, 0.5): every moment is finite, got {got:?}")
    })?;
    check_moments(
        "Q = N(2, 0.5), P = N(1, 0.5)",
        &got,
        2.0,
        1.0,
        0.5,
        &[0, 1, 2, 3, 4, 5],
    )
    .done()
}

fn draw_12_2(d: &mut Draw) -> Vec<Case> {
    (0..8)
        .map(|j| {
            let (mu_q, sigma) = (d.uniform(-3.0, 3.0), d.uniform(0.3, 3.0));
            let sign = d.sign();
            let mu_p = mu_q + sign * d.uniform(0.05, 3.0) * sigma;
            Case {
                check: usize::from(j >= 4),
                input: vec![vec![mu_q, mu_p, sigma]],
            }
        })
        .collect()
}

fn run_12_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    Ok(vec![exercise_12_2(i[0][0], i[0][1], i[0][2]).to_vec()])
}

fn judge_12_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let out = outputs(got, &[6])?;
    let (mu_q, mu_p, sigma) = (case.input[0][0], case.input[0][1], case.input[0][2]);
    let what = format!("Q = N({mu_q}, {sigma}), P = N({mu_p}, {sigma})");
    let which: &[usize] = if case.check == 0 {
        &[0, 2, 4]
    } else {
        &[1, 3, 5]
    };
    check_moments(&what, &out[0], mu_q, mu_p, sigma, which).done()
}

/// HELD-OUT checks of 12.2.
pub(crate) const HELD_OUT_12_2: HeldOut = HeldOut {
    checks: &[("held-out means", 1), ("held-out variances", 2)],
    draw: draw_12_2,
    run: run_12_2,
    judge: judge_12_2,
};
