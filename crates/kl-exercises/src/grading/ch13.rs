//! Graders for chapter 13. Independent routes: for 13.1 the integral `∫ p^α q^{1−α}`
//! computed numerically (the trapezoid rule in log space over the integrand's own bulk; it
//! diverges exactly when the exponent's `x²` coefficient is not negative), the KL written out
//! by hand at α = 1, and near α = 1 the expansion `D_α = KL + (α − 1)/2 · Var_P[ln p/q] +
//! O((α − 1)²)` with the variance integrated numerically; for 13.2 the identity
//! `I = H(X) + H(Y) − H(X, Y)`, summed entropy by entropy. `kl::divergences` is not used.

use statrs::distribution::{Continuous, Normal};

use super::{
    Case, Draw, Fails, Got, HeldOut, Numbers, close, compare, ensure, entropy_by_hand,
    normal_kl_by_hand, outputs, weighted_moments,
};
use crate::ch13::{exercise_13_1, exercise_13_2};

/// `ln Σ exp(terms)`, the largest term factored out.
fn log_sum_exp(terms: &[f64]) -> f64 {
    let m = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    m + terms.iter().map(|t| (t - m).exp()).sum::<f64>().ln()
}

/// `D_α(N(m1, s1) ‖ N(m2, s2))` by integrating `exp(α ln p + (1 − α) ln q)` numerically.
fn renyi_by_quadrature(m1: f64, s1: f64, m2: f64, s2: f64, alpha: f64) -> f64 {
    if alpha == 1.0 {
        return normal_kl_by_hand(m1, s1, m2, s2);
    }
    // The log-integrand is −a x² + b x + c: it is integrable only if a > 0.
    let a = alpha / (2.0 * s1 * s1) + (1.0 - alpha) / (2.0 * s2 * s2);
    if a <= 0.0 {
        return f64::INFINITY;
    }
    let b = alpha * m1 / (s1 * s1) + (1.0 - alpha) * m2 / (s2 * s2);
    let (centre, width) = (b / (2.0 * a), (0.5 / a).sqrt());
    let (Ok(p), Ok(q)) = (Normal::new(m1, s1), Normal::new(m2, s2)) else {
        return f64::NAN;
    };
    if (alpha - 1.0).abs() < 1e-6 {
        // ln ∫ … is of the order of α − 1: dividing a quadrature's rounding by it would lose
        // digits, so take the series in α − 1 to first order (the next term is ~1e-12 of it).
        return normal_kl_by_hand(m1, s1, m2, s2)
            + 0.5 * (alpha - 1.0) * variance_of_log_ratio(&p, &q, m1, s1);
    }
    // 40 widths either side, 4000 pieces: the Gaussian-shaped integrand is below e^{−800} at
    // the ends and the trapezoid rule is exact to rounding for it.
    let n = 4000;
    let h = 80.0 * width / n as f64;
    let logs: Vec<f64> = (0..=n)
        .map(|i| {
            let x = centre - 40.0 * width + h * i as f64;
            let end = if i == 0 || i == n { 0.5f64.ln() } else { 0.0 };
            alpha * p.ln_pdf(x) + (1.0 - alpha) * q.ln_pdf(x) + h.ln() + end
        })
        .collect();
    log_sum_exp(&logs) / (alpha - 1.0)
}

/// `Var_P[ln p(X) − ln q(X)]` by the trapezoid rule over ±40 sd of P.
fn variance_of_log_ratio(p: &Normal, q: &Normal, m1: f64, s1: f64) -> f64 {
    let n = 8000;
    let h = 80.0 * s1 / n as f64;
    let xs: Vec<f64> = (0..=n).map(|i| m1 - 40.0 * s1 + h * i as f64).collect();
    let w: Vec<f64> = xs.iter().map(|&x| p.pdf(x) * h).collect();
    let l: Vec<f64> = xs.iter().map(|&x| p.ln_pdf(x) - q.ln_pdf(x)).collect();
    weighted_moments(&l, &w).1
}

pub(crate) fn grade_13_1() -> Result<(), String> {
    // The chapter's pair, P = N(0, 1) and Q = N(1, 1.5): its table has 0.233889 at α = ½,
    // 0.349910 at α = 1 and 0.470263 at α = 2.
    for (alpha, printed) in [(0.5, 0.233889), (1.0, 0.349910), (2.0, 0.470263)] {
        let got = exercise_13_1(0.0, 1.0, 1.0, 1.5, alpha);
        let what = format!("N(0, 1) against N(1, 1.5), alpha = {alpha}");
        close(&format!("{what}, the chapter's table"), got, printed, 5e-7)?;
        let want = renyi_by_quadrature(0.0, 1.0, 1.0, 1.5, alpha);
        close(&format!("{what}, by quadrature"), got, want, 1e-10)?;
    }
    // σ²_α = 2·1 − 4 < 0: p² / q is not integrable.
    let got = exercise_13_1(0.0, 2.0, 0.0, 1.0, 2.0);
    ensure(got == f64::INFINITY, || {
        format!("N(0, 2) against N(0, 1), alpha = 2: expected inf, got {got}")
    })?;
    // Within 1e-10 of 1: the KL plus a term of order 1e-10.
    let alpha = 1.0 + 1e-10;
    let got = exercise_13_1(0.5, 0.8, -0.5, 1.2, alpha);
    let want = renyi_by_quadrature(0.5, 0.8, -0.5, 1.2, alpha);
    close(
        "N(0.5, 0.8) against N(-0.5, 1.2), alpha = 1 + 1e-10",
        got,
        want,
        1e-10,
    )
}

// Held-out checks: 0 orders in (0, 1), 1 orders above 1 with a finite value, 2 orders at and
// within 1e-9 of 1, 3 orders where the divergence is infinite.

fn draw_13_1(d: &mut Draw) -> Vec<Case> {
    (0..12)
        .map(|j| {
            let check = j / 3;
            let (m1, m2) = (d.uniform(-3.0, 3.0), d.uniform(-3.0, 3.0));
            let (mut s1, mut s2) = (d.uniform(0.5, 3.0), d.uniform(0.5, 3.0));
            let alpha = match check {
                0 => d.uniform(0.05, 0.95),
                1 => {
                    // Finite with room to spare. With s1 ≤ s2 every α > 1 is finite; with
                    // s1 > s2 only α ≤ 1 + 0.9 s2²/(s1² − s2²), where σ²_α/s2² ≥ 0.1.
                    if s1 > s2 && d.bits().is_multiple_of(2) {
                        std::mem::swap(&mut s1, &mut s2);
                    }
                    if s1 > s2 {
                        let top = 1.0 + 0.9 * s2 * s2 / (s1 * s1 - s2 * s2);
                        1.0 + (top - 1.0) * d.uniform(0.05, 1.0)
                    } else {
                        d.uniform(1.05, 8.0)
                    }
                }
                2 => {
                    if j % 3 == 0 {
                        1.0
                    } else {
                        let sign = d.sign();
                        1.0 + sign * d.uniform(1e-10, 1e-9)
                    }
                }
                _ => {
                    // s1 > s2 and α at least 1.2 times the order where σ²_α reaches 0.
                    if s1 < s2 {
                        std::mem::swap(&mut s1, &mut s2);
                    }
                    s1 = s1.max(s2 * 1.2);
                    let edge = s1 * s1 / (s1 * s1 - s2 * s2);
                    edge * d.uniform(1.2, 3.0)
                }
            };
            Case {
                check,
                input: vec![vec![m1, s1, m2, s2, alpha]],
            }
        })
        .collect()
}

fn run_13_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let v = &i[0];
    Ok(vec![vec![exercise_13_1(v[0], v[1], v[2], v[3], v[4])]])
}

fn judge_13_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let out = outputs(got, &[1])?;
    let v = &case.input[0];
    let want = renyi_by_quadrature(v[0], v[1], v[2], v[3], v[4]);
    let what = format!(
        "D_alpha(N({}, {}) || N({}, {})), alpha = {}",
        v[0], v[1], v[2], v[3], v[4]
    );
    let cause = match case.check {
        2 => {
            "α = 1 not treated as the KL limit, or ln(s2²/σ²_α) formed before the logarithm \
              (use ln_1p of σ²_α/s2² − 1) so that dividing by α − 1 magnifies its rounding"
        }
        3 => "a finite value where σ²_α ≤ 0: the integral of p^α q^{1−α} diverges there",
        _ => {
            "σ²_α with s1 and s2 (or α and 1 − α) swapped, or variances used where \
              standard deviations are given"
        }
    };
    // An infinite reference is met only by the same infinity (a tolerance scaled by it would
    // accept anything).
    let tol = if want.is_finite() {
        1e-9 * (1.0 + want.abs())
    } else {
        0.0
    };
    compare(&what, out[0][0], want, tol, cause)
}

/// HELD-OUT checks of 13.1.
pub(crate) const HELD_OUT_13_1: HeldOut = HeldOut {
    checks: &[
        ("held-out orders below 1", 1),
        ("held-out orders above 1", 1),
        ("held-out orders at and near 1", 1),
        ("held-out infinite divergences", 1),
    ],
    draw: draw_13_1,
    run: run_13_1,
    judge: judge_13_1,
};

/// `H(X) + H(Y) − H(X, Y)` for a table stored row by row.
fn mi_by_entropies(joint: &[f64], cols: usize) -> f64 {
    // The marginals row by row: each row's total, and the rows added up column-wise.
    let px: Vec<f64> = joint.chunks(cols).map(|row| row.iter().sum()).collect();
    let py = joint.chunks(cols).fold(vec![0.0; cols], |mut acc, row| {
        acc.iter_mut().zip(row).for_each(|(a, x)| *a += x);
        acc
    });
    entropy_by_hand(&px) + entropy_by_hand(&py) - entropy_by_hand(joint)
}

pub(crate) fn grade_13_2() -> Result<(), String> {
    // The chapter's 2×2 table: 0.192745 printed; 2·0.4 ln(0.4/0.25) + 2·0.1 ln(0.1/0.25).
    let table = [0.4, 0.1, 0.1, 0.4];
    let want = 0.8 * 1.6f64.ln() + 0.2 * 0.4f64.ln();
    let got = exercise_13_2(&table, 2);
    close("[[0.4, 0.1], [0.1, 0.4]]", got, want, 1e-14)?;
    close(
        "[[0.4, 0.1], [0.1, 0.4]], the chapter's 0.192745",
        got,
        0.192745,
        5e-7,
    )?;
    // A product of marginals: independent, I = 0.
    let product: Vec<f64> = [0.2, 0.8]
        .iter()
        .flat_map(|a| [0.5, 0.3, 0.2].map(|b| a * b))
        .collect();
    close(
        "(0.2, 0.8) times (0.5, 0.3, 0.2)",
        exercise_13_2(&product, 3),
        0.0,
        1e-15,
    )?;
    // Y a copy of X: I = H(X), here ln 3; the zero cells contribute nothing.
    let copy = [
        1.0 / 3.0,
        0.0,
        0.0,
        0.0,
        1.0 / 3.0,
        0.0,
        0.0,
        0.0,
        1.0 / 3.0,
    ];
    close(
        "Y = X, uniform on 3 values",
        exercise_13_2(&copy, 3),
        3f64.ln(),
        1e-14,
    )
}

fn draw_13_2(d: &mut Draw) -> Vec<Case> {
    (0..8)
        .map(|j| {
            let rows = d.int(2, 6) as usize;
            let cols = d.int(2, 6) as usize;
            let joint = if j == 0 {
                // Independent: the product of two marginals.
                let (a, b) = (d.probabilities(rows, 0.0), d.probabilities(cols, 0.0));
                a.iter()
                    .flat_map(|x| b.iter().map(move |y| x * y))
                    .collect()
            } else {
                d.probabilities(rows * cols, if j >= 5 { 0.4 } else { 0.0 })
            };
            Case {
                check: usize::from(j >= 5),
                input: vec![joint, vec![cols as f64]],
            }
        })
        .collect()
}

fn run_13_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    Ok(vec![vec![exercise_13_2(&i[0], i[1][0] as usize)]])
}

fn judge_13_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let out = outputs(got, &[1])?;
    let cols = case.input[1][0] as usize;
    let rows = case.input[0].len() / cols;
    let want = mi_by_entropies(&case.input[0], cols);
    let mut f = Fails::default();
    f.add(compare(
        &format!("I(X; Y) of a {rows}x{cols} table"),
        out[0][0],
        want,
        1e-12,
        if case.check == 1 {
            "a zero cell's 0 · ln 0 taken as NaN instead of 0"
        } else {
            "the marginals swapped (rows for columns), or P_X P_Y summed instead of multiplied"
        },
    ));
    f.done()
}

/// HELD-OUT checks of 13.2.
pub(crate) const HELD_OUT_13_2: HeldOut = HeldOut {
    checks: &[
        ("held-out tables", 2),
        ("held-out tables with zero cells", 1),
    ],
    draw: draw_13_2,
    run: run_13_2,
    judge: judge_13_2,
};
