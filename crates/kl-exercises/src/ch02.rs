//! Exercises for chapter 02: normal pairs (closed form against numbers on a grid).

use kl::Error;
use nalgebra::{DMatrix, DVector};
use statrs::distribution::Normal;

/// The missing `dx`: write the Riemann sum.
///
/// The original tutorial evaluated both densities on `x = -10, -9.999, …, 9.999` and summed
/// `p ln(p/q)` over the points, reporting 500 for a pair whose divergence is 0.5. A sum over a
/// grid approximates the integral only once each term is multiplied by the width `dx` of its
/// cell:
///
/// ```text
/// KL(P‖Q) = ∫ p(x) ln(p(x)/q(x)) dx  ≈  Σᵢ p(xᵢ) ln(p(xᵢ)/q(xᵢ)) · dx,   xᵢ = lo + i·dx < hi
/// ```
///
/// Write that sum for two normals, in nats. Work with log-densities (`ln_pdf` from
/// `statrs::distribution::Continuous`): far out in the tails both densities underflow to 0 and
/// `0 · ln(0/0)` is NaN, while `p(x) · (ln p(x) − ln q(x))` is a harmless 0. You may assume
/// `lo < hi` and `dx > 0`.
pub fn exercise_2_1(p: &Normal, q: &Normal, lo: f64, hi: f64, dx: f64) -> f64 {
    // Hint: count the points first, n = ⌈(hi − lo)/dx⌉, and compute xᵢ = lo + i·dx rather than
    // adding dx over and over (the rounding errors add up).
    // BEGIN SOLUTION
    use statrs::distribution::Continuous;
    let n = ((hi - lo) / dx).ceil() as usize;
    (0..n)
        .map(|i| lo + i as f64 * dx)
        .filter(|&x| x < hi)
        .map(|x| {
            let (lp, lq) = (p.ln_pdf(x), q.ln_pdf(x));
            let density = lp.exp();
            if density == 0.0 {
                0.0
            } else {
                density * (lp - lq) * dx
            }
        })
        .sum()
    // END SOLUTION
}

/// A closed form for two exponentials, checked by integration.
///
/// The exponential distribution with rate `λ` has density `λ e^(−λx)` on `x ≥ 0`. Derive
/// `KL(Exp(λ_p) ‖ Exp(λ_q))` by hand — write `ln(p/q)` out, then you only need `E_P[X] = 1/λ_p`
/// — and return it in nats. Check your formula against a numerical integral of your own before
/// you hand it in (the grader does the same with its own integrator). What does the result
/// depend on: the two rates, or only their ratio?
pub fn exercise_2_2(rate_p: f64, rate_q: f64) -> f64 {
    // Hint: ln(p(x)/q(x)) = ln(λ_p/λ_q) − (λ_p − λ_q) x.
    // BEGIN SOLUTION
    let r = rate_q / rate_p;
    r - r.ln() - 1.0
    // END SOLUTION
}

/// Normal pairs in any dimension.
///
/// For `P = N(μ_p, Σ_p)` and `Q = N(μ_q, Σ_q)` in `k` dimensions,
///
/// ```text
/// KL(P‖Q) = ½ [ tr(Σ_q⁻¹ Σ_p) + (μ_q − μ_p)ᵀ Σ_q⁻¹ (μ_q − μ_p) − k + ln(det Σ_q / det Σ_p) ]
/// ```
///
/// Write it with `nalgebra`, in nats, without forming an explicit inverse: factor `Σ_q` once
/// with a Cholesky decomposition and solve. Return `Error::DimensionMismatch` (name the
/// offending argument, e.g. `"cov_q"`) when the shapes do not agree with `mu_p`, and
/// `Error::InvalidParameter` when a covariance matrix is not positive definite. For diagonal
/// matrices the result must be the sum of the one-dimensional closed forms of chapter 02.
pub fn exercise_2_3(
    mu_p: &DVector<f64>,
    cov_p: &DMatrix<f64>,
    mu_q: &DVector<f64>,
    cov_q: &DMatrix<f64>,
) -> Result<f64, Error> {
    // Hint: with Σ = L Lᵀ, ln det Σ = 2 Σᵢ ln Lᵢᵢ.
    // BEGIN SOLUTION
    let k = mu_p.len();
    let shape_checks = [
        ("mu_q", mu_q.len(), 1),
        ("cov_p", cov_p.nrows(), cov_p.ncols()),
        ("cov_q", cov_q.nrows(), cov_q.ncols()),
    ];
    for (name, rows, cols) in shape_checks {
        let cols_ok = name == "mu_q" || cols == k;
        if rows != k || !cols_ok {
            return Err(Error::DimensionMismatch {
                name,
                expected: k,
                got: if rows != k { rows } else { cols },
            });
        }
    }
    let not_pd = |name: &'static str| Error::InvalidParameter {
        name,
        value: f64::NAN,
        reason: "a covariance matrix must be symmetric positive definite",
    };
    let chol_p = cov_p.clone().cholesky().ok_or_else(|| not_pd("cov_p"))?;
    let chol_q = cov_q.clone().cholesky().ok_or_else(|| not_pd("cov_q"))?;
    let ln_det = |l: &DMatrix<f64>| 2.0 * l.diagonal().iter().map(|d| d.ln()).sum::<f64>();
    let trace_term = chol_q.solve(cov_p).trace();
    let diff = mu_q - mu_p;
    let mahalanobis = diff.dot(&chol_q.solve(&diff));
    Ok(0.5 * (trace_term + mahalanobis - k as f64 + ln_det(&chol_q.l()) - ln_det(&chol_p.l())))
    // END SOLUTION
}
