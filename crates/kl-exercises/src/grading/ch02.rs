//! Graders for chapter 02. Independent routes: the library's closed forms (normal and
//! exponential pairs), double-exponential quadrature (the `quadrature` crate), and Monte Carlo
//! with statrs's multivariate normal.

use kl::Error;
use nalgebra::{DMatrix, DVector};
use rand::SeedableRng;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use statrs::distribution::{Continuous, MultivariateNormal, Normal};

use super::{
    Case, Draw, Got, HeldOut, Numbers, close, compare, ensure, err_text, expect_error,
    normal_grid_input, normal_kl_by_hand, outputs,
};
use crate::ch02::{exercise_2_1, exercise_2_2, exercise_2_3};

fn normal(mean: f64, sd: f64) -> Result<Normal, String> {
    Normal::new(mean, sd).map_err(|e| e.to_string())
}

pub(crate) fn grade_2_1() -> Result<(), String> {
    // The original's two pairs on its own grid. The grid rule's error here is far below the
    // tolerance: the integrand is smooth and ≈ 0 at ±10 (P's mass beyond 5σ is 6e-7), so the
    // Riemann sum is spectrally accurate; 1e-5 leaves room for the truncated tails.
    let cases = [
        ((0.0, 2.0), (2.0, 2.0), -10.0, 10.0, 0.001, 1e-5),
        ((0.0, 2.0), (5.0, 4.0), -10.0, 10.0, 0.001, 1e-5),
        ((5.0, 4.0), (0.0, 2.0), -30.0, 40.0, 0.01, 1e-5),
        ((1.0, 0.5), (-1.0, 1.5), -6.0, 8.0, 0.05, 1e-5),
    ];
    for ((mp, sp), (mq, sq), lo, hi, dx, tol) in cases {
        let (p, q) = (normal(mp, sp)?, normal(mq, sq)?);
        let exact = kl::kl_divergence(&p, &q);
        let got = exercise_2_1(&p, &q, lo, hi, dx);
        if (got * dx - exact).abs() < 0.01 * exact {
            return Err(format!(
                "N({mp}, {sp}) against N({mq}, {sq}) with dx = {dx}: got {got}, which is \
                 {exact} / dx: the sum is missing its factor dx"
            ));
        }
        close(
            &format!("N({mp}, {sp}) against N({mq}, {sq}) on [{lo}, {hi}) with dx = {dx}"),
            got,
            exact,
            tol,
        )?;
    }
    // Far apart: both densities underflow to 0 at the grid's ends; the answer is 450.
    let (p, q) = (normal(0.0, 1.0)?, normal(30.0, 1.0)?);
    let got = exercise_2_1(&p, &q, -60.0, 60.0, 0.01);
    ensure(got.is_finite(), || {
        format!("N(0, 1) against N(30, 1) on [-60, 60): got {got}; work with ln_pdf")
    })?;
    close(
        "N(0, 1) against N(30, 1) on [-60, 60) with dx = 0.01",
        got,
        kl::kl_divergence(&p, &q),
        1e-6,
    )?;
    // The number of points: [0, 1) with dx = 0.25 is exactly x = 0, 0.25, 0.5, 0.75, so a
    // P = Q pair gives 0 and a shifted pair gives the four-term sum by hand.
    let (p, q) = (normal(0.0, 1.0)?, normal(1.0, 1.0)?);
    let ln_ratio = |x: f64| p.ln_pdf(x) - q.ln_pdf(x);
    let hand: f64 = [0.0, 0.25, 0.5, 0.75]
        .iter()
        .map(|&x| p.pdf(x) * ln_ratio(x) * 0.25)
        .sum();
    close(
        "N(0, 1) against N(1, 1) on [0, 1) with dx = 0.25 (four points, by hand)",
        exercise_2_1(&p, &q, 0.0, 1.0, 0.25),
        hand,
        1e-12,
    )
}

/// `∫₀^∞ p ln(p/q)` for two exponentials by double-exponential quadrature on [0, 80/λ_p],
/// where P's tail mass is e^−80.
fn exp_kl_by_quadrature(rate_p: f64, rate_q: f64) -> f64 {
    let ln_p = |x: f64| rate_p.ln() - rate_p * x;
    let ln_q = |x: f64| rate_q.ln() - rate_q * x;
    let f = |x: f64| ln_p(x).exp() * (ln_p(x) - ln_q(x));
    let upper = 80.0 / rate_p;
    // Split at a few means: the integrand lives near 0 and the rule likes smooth pieces.
    let cuts = [0.0, 1.0 / rate_p, 5.0 / rate_p, 20.0 / rate_p, upper];
    cuts.windows(2)
        .map(|w| quadrature::double_exponential::integrate(f, w[0], w[1], 1e-13).integral)
        .sum()
}

pub(crate) fn grade_2_2() -> Result<(), String> {
    let pairs = [
        (1.0, 1.0),
        (1.0, 2.0),
        (2.0, 1.0),
        (0.5, 3.0),
        (10.0, 0.1),
        (0.01, 0.02),
    ];
    for (rp, rq) in pairs {
        let numeric = exp_kl_by_quadrature(rp, rq);
        let got = exercise_2_2(rp, rq);
        // Quadrature of a smooth integrand on short pieces: ≈ 1e-13 absolute; the closed
        // form rounds at ≈ 1e-15 relative; 1e-9 is generous and still catches any slip.
        let (p, q) = (
            statrs::distribution::Exp::new(rp).map_err(|e| e.to_string())?,
            statrs::distribution::Exp::new(rq).map_err(|e| e.to_string())?,
        );
        close(
            &format!("KL(Exp({rp}) || Exp({rq})) against kl::kl_divergence"),
            got,
            kl::kl_divergence(&p, &q),
            1e-12 * numeric.abs().max(1.0),
        )?;
        close(
            &format!("KL(Exp({rp}) || Exp({rq})) against numerical integration"),
            got,
            numeric,
            1e-9 * numeric.abs().max(1.0),
        )?;
    }
    // Only the ratio matters: scaling both rates leaves the divergence alone.
    close(
        "KL(Exp(3) || Exp(7)) against KL(Exp(30) || Exp(70)) (only the ratio matters)",
        exercise_2_2(3.0, 7.0),
        exercise_2_2(30.0, 70.0),
        1e-12,
    )
}

/// Monte Carlo `E_P[ln p(X) − ln q(X)]` with `n` draws and its standard error.
fn mvn_kl_monte_carlo(
    p: &MultivariateNormal<nalgebra::Dyn>,
    q: &MultivariateNormal<nalgebra::Dyn>,
    n: usize,
) -> (f64, f64) {
    let mut rng = StdRng::seed_from_u64(2024);
    let mut sum = 0.0;
    let mut sum_sq = 0.0;
    for _ in 0..n {
        let x: DVector<f64> = p.sample(&mut rng);
        let d = p.ln_pdf(&x) - q.ln_pdf(&x);
        sum += d;
        sum_sq += d * d;
    }
    let mean = sum / n as f64;
    let var = (sum_sq / n as f64 - mean * mean).max(0.0);
    (mean, (var / n as f64).sqrt())
}

pub(crate) fn grade_2_3() -> Result<(), String> {
    let err = |e: Error| e.to_string();
    // Diagonal covariances: the sum of one-dimensional closed forms (kl::kl_divergence).
    let (mp, sp, mq, sq) = (
        [0.0, 1.0, -2.0],
        [1.0, 2.0, 0.5],
        [1.0, 1.0, 0.0],
        [2.0, 1.0, 1.5],
    );
    let mut want = 0.0;
    for i in 0..3 {
        want += kl::kl_divergence(&normal(mp[i], sp[i])?, &normal(mq[i], sq[i])?);
    }
    let diag = |s: [f64; 3]| DMatrix::from_diagonal(&DVector::from_iterator(3, s.map(|v| v * v)));
    let got = exercise_2_3(
        &DVector::from_row_slice(&mp),
        &diag(sp),
        &DVector::from_row_slice(&mq),
        &diag(sq),
    )
    .map_err(err)?;
    close(
        "diagonal 3-d pair against three 1-d closed forms",
        got,
        want,
        1e-12,
    )?;

    // A correlated pair: Monte Carlo with 200 000 draws. The tolerance is five standard
    // errors (≈ 0.005 here), far below the size of any mistake in the formula.
    let mu_p = vec![0.5, -1.0];
    let cov_p = vec![2.0, 0.8, 0.8, 1.0];
    let mu_q = vec![0.0, 0.0];
    let cov_q = vec![1.0, -0.3, -0.3, 0.5];
    let p = MultivariateNormal::new(mu_p.clone(), cov_p.clone()).map_err(|e| e.to_string())?;
    let q = MultivariateNormal::new(mu_q.clone(), cov_q.clone()).map_err(|e| e.to_string())?;
    let (mc, se) = mvn_kl_monte_carlo(&p, &q, 200_000);
    let got = exercise_2_3(
        &DVector::from_vec(mu_p.clone()),
        &DMatrix::from_row_slice(2, 2, &cov_p),
        &DVector::from_vec(mu_q.clone()),
        &DMatrix::from_row_slice(2, 2, &cov_q),
    )
    .map_err(err)?;
    close(
        "correlated 2-d pair against Monte Carlo (5 standard errors)",
        got,
        mc,
        5.0 * se,
    )?;
    let same = exercise_2_3(
        &DVector::from_vec(mu_p.clone()),
        &DMatrix::from_row_slice(2, 2, &cov_p),
        &DVector::from_vec(mu_p.clone()),
        &DMatrix::from_row_slice(2, 2, &cov_p),
    )
    .map_err(err)?;
    close("KL(P || P)", same, 0.0, 1e-12)?;

    // Bad input.
    let mu2 = DVector::from_vec(vec![0.0, 0.0]);
    let id2 = DMatrix::<f64>::identity(2, 2);
    let id3 = DMatrix::<f64>::identity(3, 3);
    match exercise_2_3(&mu2, &id2, &mu2, &id3) {
        Err(Error::DimensionMismatch { name: "cov_q", .. }) => {}
        other => {
            return Err(format!(
                "a 3×3 cov_q with 2-d means: expected DimensionMismatch naming \"cov_q\", got {other:?}"
            ));
        }
    }
    let not_pd = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
    match exercise_2_3(&mu2, &id2, &mu2, &not_pd) {
        Err(Error::InvalidParameter { .. }) => Ok(()),
        other => Err(format!(
            "cov_q = [[1, 2], [2, 1]] is not positive definite: expected InvalidParameter, got {other:?}"
        )),
    }
}

// Held-out checks. References: the normal pair's closed form written here (for the grid rule
// of 2.1), double-exponential quadrature (2.2), and for 2.3 the closed form through an explicit
// inverse and determinants (LU), not the Cholesky route of the exercise.

fn draw_2_1(d: &mut Draw) -> Vec<Case> {
    let mut cases: Vec<Case> = (0..6)
        .map(|_| Case {
            check: 0,
            input: normal_grid_input(d, 12.0, false, false),
        })
        .collect();
    cases.extend((0..3).map(|_| Case {
        check: 1,
        input: normal_grid_input(d, 38.0, true, false),
    }));
    cases
}

fn run_2_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let v = &i[0];
    let (p, q) = (normal(v[0], v[1])?, normal(v[2], v[3])?);
    Ok(vec![vec![exercise_2_1(&p, &q, v[4], v[5], v[6])]])
}

fn judge_2_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let v = &i[0];
    let out = outputs(got, &[1])?[0][0];
    // The integrand is smooth and negligible at both ends, so the grid sum with these steps
    // matches the integral to far below 1e-9.
    compare(
        &format!(
            "KL(N({}, {}) ‖ N({}, {})) on [{}, {}) with dx = {}",
            v[0], v[1], v[2], v[3], v[4], v[5], v[6]
        ),
        out,
        normal_kl_by_hand(v[0], v[1], v[2], v[3]),
        1e-9,
        "pdf(x).ln() in place of ln_pdf(x) (Q's density underflows to 0 in the tails), a \
         missing dx, or a grid that stops short of hi",
    )
}

/// HELD-OUT checks of 2.1.
pub(crate) const HELD_OUT_2_1: HeldOut = HeldOut {
    checks: &[
        ("held-out normal pairs", 2),
        ("held-out wide ranges (log densities)", 1),
    ],
    draw: draw_2_1,
    run: run_2_1,
    judge: judge_2_1,
};

fn draw_2_2(d: &mut Draw) -> Vec<Case> {
    (0..10)
        .map(|k| {
            let (a, b) = (d.uniform(-3.0, 3.0).exp(), d.uniform(-3.0, 3.0).exp());
            let (lo, hi) = (a.min(b), a.max(b));
            // check 0: rate_q > rate_p; check 1: rate_q < rate_p.
            let (check, rp, rq) = if k % 2 == 0 { (0, lo, hi) } else { (1, hi, lo) };
            Case {
                check,
                input: vec![vec![rp, rq]],
            }
        })
        .collect()
}

fn run_2_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    Ok(vec![vec![exercise_2_2(i[0][0], i[0][1])]])
}

fn judge_2_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let (rp, rq) = (i[0][0], i[0][1]);
    let want = exp_kl_by_quadrature(rp, rq);
    compare(
        &format!("KL(Exp({rp}) ‖ Exp({rq})) against numerical integration"),
        outputs(got, &[1])?[0][0],
        want,
        1e-9 * want.abs().max(1.0),
        "the ratio inverted (λ_p/λ_q in place of λ_q/λ_p) or a sign slip",
    )
}

/// HELD-OUT checks of 2.2.
pub(crate) const HELD_OUT_2_2: HeldOut = HeldOut {
    checks: &[
        ("held-out pairs with rate_q > rate_p", 2),
        ("held-out pairs with rate_q < rate_p", 2),
    ],
    draw: draw_2_2,
    run: run_2_2,
    judge: judge_2_2,
};

/// A matrix as numbers: `[rows, cols, entries row by row…]`.
fn flat(m: &DMatrix<f64>) -> Vec<f64> {
    let mut v = vec![m.nrows() as f64, m.ncols() as f64];
    for r in 0..m.nrows() {
        v.extend(m.row(r).iter());
    }
    v
}

fn unflat(v: &[f64]) -> DMatrix<f64> {
    let (r, c) = (v[0] as usize, v[1] as usize);
    DMatrix::from_row_slice(r, c, &v[2..2 + r * c])
}

/// A random covariance `L Lᵀ + I/10`.
fn spd(d: &mut Draw, k: usize) -> DMatrix<f64> {
    let l = DMatrix::from_fn(k, k, |_, _| d.uniform(-1.0, 1.0));
    &l * l.transpose() + DMatrix::identity(k, k) * 0.1
}

fn draw_2_3(d: &mut Draw) -> Vec<Case> {
    let mut cases = Vec::new();
    for _ in 0..8 {
        let k = d.int(1, 4) as usize;
        let mu = |d: &mut Draw| (0..k).map(|_| d.uniform(-2.0, 2.0)).collect::<Vec<f64>>();
        let (mp, cp, mq, cq) = (mu(d), spd(d, k), mu(d), spd(d, k));
        cases.push(Case {
            check: 0,
            input: vec![mp, flat(&cp), mq, flat(&cq)],
        });
    }
    let k = d.int(2, 3) as usize;
    let mu = |d: &mut Draw, n: usize| (0..n).map(|_| d.uniform(-2.0, 2.0)).collect::<Vec<f64>>();
    let (mp, cp, cq) = (mu(d, k), spd(d, k), spd(d, k));
    // μ_Q one entry too long.
    cases.push(Case {
        check: 1,
        input: vec![mp.clone(), flat(&cp), mu(d, k + 1), flat(&cq)],
    });
    // Σ_Q symmetric but indefinite: a negative eigenvalue.
    let mut bad = DMatrix::identity(k, k);
    bad[(0, 1)] = 2.0;
    bad[(1, 0)] = 2.0;
    cases.push(Case {
        check: 1,
        input: vec![mp.clone(), flat(&cp), mu(d, k), flat(&bad)],
    });
    cases
}

fn run_2_3(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (mp, mq) = (
        DVector::from_vec(i[0].clone()),
        DVector::from_vec(i[2].clone()),
    );
    exercise_2_3(&mp, &unflat(&i[1]), &mq, &unflat(&i[3]))
        .map(|v| vec![vec![v]])
        .map_err(err_text)
}

fn judge_2_3(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let (mp, cp, mq, cq) = (
        DVector::from_vec(i[0].clone()),
        unflat(&i[1]),
        DVector::from_vec(i[2].clone()),
        unflat(&i[3]),
    );
    let k = mp.len();
    if mq.len() != k {
        return expect_error(
            &format!("μ_P of length {k}, μ_Q of length {}", mq.len()),
            got,
            "DimensionMismatch",
        );
    }
    if cq.symmetric_eigenvalues().min() <= 0.0 {
        return expect_error(
            &format!("an indefinite Σ_Q = {:?}", cq.as_slice()),
            got,
            "InvalidParameter",
        );
    }
    let out = outputs(got, &[1])?[0][0];
    let inv = cq.clone().try_inverse().ok_or("Σ_Q not invertible")?;
    let diff = &mq - &mp;
    let want = 0.5
        * ((&inv * &cp).trace() + (diff.transpose() * &inv * &diff)[(0, 0)] - k as f64
            + (cq.determinant() / cp.determinant()).ln());
    compare(
        &format!(
            "KL between {k}-dimensional normals (μ_P = {:?}, μ_Q = {:?})",
            i[0], i[2]
        ),
        out,
        want,
        1e-9 * want.abs().max(1.0),
        "Σ_P⁻¹ in place of Σ_Q⁻¹, the log-determinants swapped, or a missing −k",
    )
}

/// HELD-OUT checks of 2.3.
pub(crate) const HELD_OUT_2_3: HeldOut = HeldOut {
    checks: &[("held-out normal pairs", 3), ("held-out errors", 1)],
    draw: draw_2_3,
    run: run_2_3,
    judge: judge_2_3,
};
