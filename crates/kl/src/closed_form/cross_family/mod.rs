//! Pairs across families, as torch and TFP register them.
//!
//! Each is `KL(P‖Q) = −H(P) − E_P[ln q(X)]`, the cross-entropy written with P's moments minus
//! P's entropy; the moments and entropies used are listed on the helpers below, and the
//! cross-entropies against Normal, Gamma (and Exp, a gamma of shape 1) and Gumbel are each one
//! function. A moment that is infinite (a Pareto mean for `α ≤ 1`) makes the divergence `+∞`,
//! which is its true value, not a support rule.
//!
//! One file per P family (or group of families), as torch's `kl.py` orders its pairs.

use statrs::consts::LN_SQRT_2PI;
use statrs::distribution::Gumbel;
use statrs::function::beta::ln_beta;
use statrs::function::gamma::{digamma, ln_gamma};

mod beta;
mod discrete;
mod exponential;
mod gamma;
mod location_scale;
mod pareto;
mod uniform;
mod weibull;

/// `H(Beta(a, b)) = ln B(a, b) − (a − 1)ψ(a) − (b − 1)ψ(b) + (a + b − 2)ψ(a + b)`.
fn beta_entropy(a: f64, b: f64) -> f64 {
    ln_beta(a, b) - (a - 1.0) * digamma(a) - (b - 1.0) * digamma(b) + (a + b - 2.0) * digamma(a + b)
}

/// `H(Pareto(m, α)) = ln(m/α) + 1/α + 1` (scale, shape).
fn pareto_entropy(m: f64, alpha: f64) -> f64 {
    (m / alpha).ln() + 1.0 / alpha + 1.0
}

/// `H(N(μ, σ)) = ½ ln(2πσ²) + ½`.
fn normal_entropy(sigma: f64) -> f64 {
    LN_SQRT_2PI + sigma.ln() + 0.5
}

/// `KL(P ‖ Gamma(α, β))` (shape, rate) for a P on `(0, ∞)` with entropy `entropy`, mean `mean`
/// and `E[ln X] = mean_ln`: `−H(P) − α ln β + ln Γ(α) − (α − 1) E[ln X] + β E[X]`.
/// An exponential `Exp(λ)` is `α = 1, β = λ`.
fn against_gamma(entropy: f64, mean: f64, mean_ln: f64, alpha: f64, beta: f64) -> f64 {
    -entropy - alpha * beta.ln() + ln_gamma(alpha) - (alpha - 1.0) * mean_ln + beta * mean
}

/// `KL(P ‖ Gumbel(μ, β))` (location, scale) for a P with entropy `entropy`, mean `mean` and
/// `ln E[e^(−(X − μ)/β)] = ln_shifted`: with `z = (x − μ)/β`, `−ln q = ln β + z + e^(−z)`, so
/// `KL = −H(P) + ln β + (E[X] − μ)/β + e^(ln_shifted)`.
fn against_gumbel(entropy: f64, mean: f64, ln_shifted: f64, q: &Gumbel) -> f64 {
    let (mu, beta) = (q.location(), q.scale());
    -entropy + beta.ln() + (mean - mu) / beta + ln_shifted.exp()
}

/// Mean of `Pareto(m, α)`: `α m/(α − 1)` for `α > 1`, else `+∞`.
fn pareto_mean(m: f64, alpha: f64) -> f64 {
    if alpha > 1.0 {
        alpha * m / (alpha - 1.0)
    } else {
        f64::INFINITY
    }
}
