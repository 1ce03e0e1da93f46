//! Graders for chapter 08. Independent routes: KL and the variance of the log-ratio by
//! double-exponential quadrature (written here in log space), the library's closed form for
//! one-component mixtures, and Bayes' rule with statrs densities.

use statrs::distribution::{Continuous, Normal};

use super::{Case, Draw, Fails, Got, HeldOut, Numbers, close, compare, ensure, outputs};
use crate::ch08::{Mixture, exercise_8_1, exercise_8_2};

fn mixture(w: &[f64], m: &[f64], s: &[f64]) -> Mixture {
    Mixture {
        weights: w.to_vec(),
        means: m.to_vec(),
        sds: s.to_vec(),
    }
}

/// ln of the mixture density, log-sum-exp, written independently of the exercise.
fn ln_pdf(m: &Mixture, x: f64) -> f64 {
    let logs: Vec<f64> = (0..m.weights.len())
        .map(|k| {
            let z = (x - m.means[k]) / m.sds[k];
            m.weights[k].ln()
                - z * z / 2.0
                - m.sds[k].ln()
                - 0.5 * (2.0 * std::f64::consts::PI).ln()
        })
        .collect();
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    top + logs.iter().map(|l| (l - top).exp()).sum::<f64>().ln()
}

/// `(E_P[d], E_P[d²])` with `d = ln p − ln q`, by quadrature split at P's means.
fn moments(p: &Mixture, q: &Mixture) -> (f64, f64) {
    let lo = p
        .means
        .iter()
        .zip(&p.sds)
        .map(|(m, s)| m - 15.0 * s)
        .fold(f64::INFINITY, f64::min);
    let hi = p
        .means
        .iter()
        .zip(&p.sds)
        .map(|(m, s)| m + 15.0 * s)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut cuts = p.means.clone();
    cuts.extend([lo, hi]);
    cuts.sort_by(f64::total_cmp);
    let integral = |power: i32| -> f64 {
        cuts.windows(2)
            .map(|c| {
                quadrature::double_exponential::integrate(
                    |x| {
                        let lp = ln_pdf(p, x);
                        lp.exp() * (lp - ln_pdf(q, x)).powi(power)
                    },
                    c[0],
                    c[1],
                    1e-12,
                )
                .integral
            })
            .sum()
    };
    (integral(1), integral(2))
}

pub(crate) fn grade_8_1() -> Result<(), String> {
    let n = 50_000;
    let cases = [
        (
            "N(0, 1) against N(1, 2)",
            mixture(&[1.0], &[0.0], &[1.0]),
            mixture(&[1.0], &[1.0], &[2.0]),
        ),
        (
            "½N(-3, 1) + ½N(3, 1) against N(0, 3)",
            mixture(&[0.5, 0.5], &[-3.0, 3.0], &[1.0, 1.0]),
            mixture(&[1.0], &[0.0], &[3.0]),
        ),
        (
            "0.3N(-2, 0.5) + 0.7N(1, 1.5) against 0.6N(-1, 1) + 0.4N(2, 2)",
            mixture(&[0.3, 0.7], &[-2.0, 1.0], &[0.5, 1.5]),
            mixture(&[0.6, 0.4], &[-1.0, 2.0], &[1.0, 2.0]),
        ),
        (
            "N(0, 1) against ½N(-40, 1) + ½N(40, 1) (densities underflow)",
            mixture(&[1.0], &[0.0], &[1.0]),
            mixture(&[0.5, 0.5], &[-40.0, 40.0], &[1.0, 1.0]),
        ),
    ];
    for (name, p, q) in &cases {
        let (kl, second) = moments(p, q);
        let se = ((second - kl * kl).max(0.0) / n as f64).sqrt();
        let (est, est_se) = exercise_8_1(p, q, n, 42);
        ensure(est.is_finite() && est_se.is_finite(), || {
            format!("{name}: got ({est}, {est_se}); compute ln q with log-sum-exp")
        })?;
        // Five standard errors: a correct estimator fails this about once in 1.7 million seeds.
        close(
            &format!("{name}: estimate against quadrature (5 standard errors)"),
            est,
            kl,
            5.0 * se,
        )?;
        // The reported standard error: its own sampling error at n = 50 000 is a few percent.
        ensure((est_se - se).abs() <= 0.2 * se + 1e-12, || {
            format!(
                "{name}: standard error {est_se}, expected about {se} (sd of ln p - ln q over sqrt n)"
            )
        })?;
    }
    // One component each: the library's closed form, as a second route.
    let (p, q) = (
        Normal::new(0.0, 1.0).map_err(|e| e.to_string())?,
        Normal::new(1.0, 2.0).map_err(|e| e.to_string())?,
    );
    let (est, se) = exercise_8_1(&cases[0].1, &cases[0].2, n, 7);
    close(
        "N(0, 1) against N(1, 2), seed 7: against the closed form",
        est,
        kl::kl_divergence(&p, &q),
        5.0 * se.max(1e-4),
    )?;
    // P = Q: every log-ratio is 0.
    let (zero, zero_se) = exercise_8_1(&cases[2].1, &cases[2].1, 1000, 1);
    ensure(zero.abs() < 1e-12 && zero_se.abs() < 1e-12, || {
        format!("P = Q: expected (0, 0), got ({zero}, {zero_se})")
    })?;
    // Seeded: the same seed gives the same numbers.
    ensure(
        exercise_8_1(&cases[2].1, &cases[2].2, 1000, 3)
            == exercise_8_1(&cases[2].1, &cases[2].2, 1000, 3),
        || "the same seed must give the same estimate".into(),
    )
}

pub(crate) fn grade_8_2() -> Result<(), String> {
    let m = mixture(&[0.2, 0.5, 0.3], &[-2.0, 0.0, 3.0], &[0.5, 1.0, 2.0]);
    for x in [-3.0, -1.0, 0.0, 0.7, 2.5, 6.0] {
        // Bayes' rule with statrs densities (no underflow at these points).
        let joint: Vec<f64> = (0..3)
            .map(|k| {
                Normal::new(m.means[k], m.sds[k])
                    .map(|n| m.weights[k] * n.pdf(x))
                    .unwrap_or(f64::NAN)
            })
            .collect();
        let total: f64 = joint.iter().sum();
        let got = exercise_8_2(x, &m);
        ensure(got.len() == 3, || {
            format!("x = {x}: expected 3 responsibilities, got {}", got.len())
        })?;
        for k in 0..3 {
            close(
                &format!("x = {x}: responsibility of component {k}"),
                got[k],
                joint[k] / total,
                1e-12,
            )?;
        }
    }
    // Far away, by hand. Equal spreads: ln(r₂/r₁) = ((x − m₁)² − (x − m₂)²)/2 = 4987.5 at
    // x = 1000 for means 0 and 5, so the right-hand component takes the point.
    let equal = mixture(&[0.5, 0.5], &[0.0, 5.0], &[1.0, 1.0]);
    let r = exercise_8_2(1000.0, &equal);
    ensure(
        r.len() == 2 && r[0] < 1e-300 && (r[1] - 1.0).abs() < 1e-15,
        || format!("x = 1000, means 0 and 5, equal spreads: expected (0, 1), got {r:?}"),
    )?;
    // Different spreads: far out the widest component wins, whatever the means.
    let r = exercise_8_2(-500.0, &m);
    ensure(
        r.len() == 3 && (r[2] - 1.0).abs() < 1e-15 && r[0] < 1e-300 && r[1] < 1e-300,
        || format!("x = -500: the widest component (sd 2) takes the point; got {r:?}"),
    )
}

// Held-out checks. References: KL and the spread of the log-ratio by quadrature in log space
// (8.1: the student's Monte Carlo estimate must land within 5 of its standard errors, and the
// standard error it reports must match the one the quadrature predicts); for 8.2 Bayes' rule
// written as rₖ = 1 / Σⱼ exp(lⱼ − lₖ), which needs no maximum subtracted.

/// A random mixture of one to three components; with `offset`, every mean moved by it.
fn random_mixture(d: &mut Draw, offset: f64) -> Mixture {
    let k = d.int(1, 3) as usize;
    let mut w: Vec<f64> = (0..k).map(|_| d.uniform(0.2, 1.0)).collect();
    let total: f64 = w.iter().sum();
    w.iter_mut().for_each(|x| *x /= total);
    Mixture {
        weights: w,
        means: (0..k).map(|_| offset + d.uniform(-4.0, 4.0)).collect(),
        sds: (0..k).map(|_| d.uniform(0.5, 2.0)).collect(),
    }
}

fn draw_8_1(d: &mut Draw) -> Vec<Case> {
    (0..6)
        .map(|j| {
            let p = random_mixture(d, 0.0);
            let far = if j == 5 {
                if d.uniform(0.0, 1.0) < 0.5 {
                    -60.0
                } else {
                    60.0
                }
            } else {
                0.0
            };
            let mut q = random_mixture(d, far);
            if far != 0.0 {
                q.sds.iter_mut().for_each(|s| *s = s.min(1.0));
            }
            let seed = d.int(0, 1 << 52) as f64;
            Case {
                check: [0, 0, 0, 1, 1, 2][j],
                input: vec![
                    p.weights,
                    p.means,
                    p.sds,
                    q.weights,
                    q.means,
                    q.sds,
                    vec![20_000.0, seed],
                ],
            }
        })
        .collect()
}

fn mixtures_of(i: &[Vec<f64>]) -> (Mixture, Mixture) {
    (mixture(&i[0], &i[1], &i[2]), mixture(&i[3], &i[4], &i[5]))
}

fn run_8_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (p, q) = mixtures_of(i);
    let (est, se) = exercise_8_1(&p, &q, i[6][0] as usize, i[6][1] as u64);
    Ok(vec![vec![est, se]])
}

fn judge_8_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let out = &outputs(got, &[2])?[0];
    let (p, q) = mixtures_of(i);
    let n = i[6][0];
    let (kl, second) = moments(&p, &q);
    let se = ((second - kl * kl).max(0.0) / n).sqrt();
    let what = format!("P = {p:?}, Q = {q:?}, n = {n}");
    let mut f = Fails::default();
    if case.check != 1 {
        // Five standard errors: a correct estimator fails this once in ~two million.
        f.add(compare(
            &format!("the estimate for {what} (true KL by quadrature)"),
            out[0],
            kl,
            5.0 * se + 1e-9,
            "ln p(x) of a mixture without log-sum-exp (Q's densities underflow to 0 where P's \
             samples are), samples not drawn from P, or a sign slip",
        ));
    }
    if case.check != 0 {
        // The sample standard deviation of 20 000 draws is within a few per cent of the truth.
        f.add(compare(
            &format!("the standard error for {what} (sd(d)/√n by quadrature)"),
            out[1],
            se,
            0.1 * se + 1e-12,
            "the standard deviation returned without dividing by √n, or the variance for the \
             standard deviation",
        ));
    }
    f.done()
}

/// HELD-OUT checks of 8.1.
pub(crate) const HELD_OUT_8_1: HeldOut = HeldOut {
    checks: &[
        ("held-out estimates", 2),
        ("held-out standard errors", 1),
        ("held-out Q far from P (log-sum-exp)", 1),
    ],
    draw: draw_8_1,
    run: run_8_1,
    judge: judge_8_1,
};

fn draw_8_2(d: &mut Draw) -> Vec<Case> {
    (0..8)
        .map(|j| {
            let m = random_mixture(d, 0.0);
            let x = if j < 5 {
                d.uniform(-6.0, 6.0)
            } else {
                (if j % 2 == 0 { -1.0 } else { 1.0 }) * d.uniform(60.0, 300.0)
            };
            Case {
                check: usize::from(j >= 5),
                input: vec![vec![x], m.weights, m.means, m.sds],
            }
        })
        .collect()
}

fn run_8_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    Ok(vec![exercise_8_2(i[0][0], &mixture(&i[1], &i[2], &i[3]))])
}

fn judge_8_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let (x, w, m, s) = (i[0][0], &i[1], &i[2], &i[3]);
    let out = &outputs(got, &[w.len()])?[0];
    let l: Vec<f64> = (0..w.len())
        .map(|k| w[k].ln() - 0.5 * ((x - m[k]) / s[k]).powi(2) - s[k].ln())
        .collect();
    let mut f = Fails::default();
    for k in 0..w.len() {
        let want = 1.0 / l.iter().map(|lj| (lj - l[k]).exp()).sum::<f64>();
        f.add(compare(
            &format!("r{k}({x}) for weights {w:?}, means {m:?}, sds {s:?}"),
            out[k],
            want,
            1e-12,
            "densities multiplied out of log space (all underflow to 0 far from the means: 0/0), \
             or the 1/sₖ factor left out",
        ));
    }
    f.done()
}

/// HELD-OUT checks of 8.2.
pub(crate) const HELD_OUT_8_2: HeldOut = HeldOut {
    checks: &[
        ("held-out points near the means", 1),
        ("held-out points far from every mean", 1),
    ],
    draw: draw_8_2,
    run: run_8_2,
    judge: judge_8_2,
};
