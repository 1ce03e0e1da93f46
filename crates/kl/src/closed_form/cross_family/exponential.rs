//! The exponential against Gamma, Normal, Gumbel, ChiSquared and Weibull.

use statrs::distribution::{ChiSquared, Exp, Gamma, Gumbel, Normal, Weibull};

use super::against_gumbel;
use crate::closed_form::{
    KlDivergence, against_normal, cross_family, gamma_gamma, normal_params, weibull_weibull,
};

/// Exponential against gamma; statrs: `Exp::new(λ)` is a rate, `Gamma::new(α, β)` shape and
/// rate. `Exp(λ)` is `Gamma(1, λ)`, so this is the gamma formula with `α₁ = 1`, `ψ(1) = −γ`:
///
/// ```text
/// KL = (1 − α) ψ(1) + ln Γ(α) + α ln(λ/β) + β/λ − 1
/// ```
///
/// Both supports are `[0, ∞)`: always finite. Reference value below: mpmath quadrature, 30
/// digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Exp, Gamma};
///
/// let p = Exp::new(1.0)?;
/// let q = Gamma::new(2.0, 1.0)?;
/// assert!((p.kl_divergence(&q) - 0.57721566490153286).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gamma> for Exp {
    fn kl_divergence(&self, q: &Gamma) -> f64 {
        let (l, a, b) = (self.rate(), q.shape(), q.rate());
        cross_family(&[l], &[a, b], || gamma_gamma(1.0, l, a, b))
    }
}

/// Exponential against normal; statrs: `Exp::new(λ)` a rate, `Normal::new(μ, σ)` mean and
/// standard deviation. With `H(Exp(λ)) = 1 − ln λ`, mean `1/λ`, variance `1/λ²`:
///
/// ```text
/// KL = ln λ − 1 + ½ ln(2πσ²) + (1/λ² + (1/λ − μ)²) / (2σ²)
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Exp, Normal};
///
/// let p = Exp::new(1.0)?;
/// let q = Normal::new(1.0, 1.0)?;
/// assert!((p.kl_divergence(&q) - 0.41893853320467274).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Normal> for Exp {
    fn kl_divergence(&self, q: &Normal) -> f64 {
        let l = self.rate();
        let (mu, sigma) = normal_params(q);
        cross_family(&[l], &[mu, sigma], || {
            against_normal(1.0 - l.ln(), 1.0 / l, 1.0 / (l * l), q)
        })
    }
}

/// Exponential against Gumbel; statrs: `Exp::new(λ)` a rate, `Gumbel::new(μ, β)` location and
/// scale. With `H = 1 − ln λ`, `E[X] = 1/λ`, `E[e^(−X/β)] = λβ/(λβ + 1)`:
///
/// ```text
/// KL = ln λ − 1 + ln β + (1/λ − μ)/β + e^(μ/β) λβ/(λβ + 1)
/// ```
///
/// The last term is one exponential of a sum of logarithms, so it overflows to `+∞` (the right
/// limit) rather than to `∞ · 0`. Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Exp, Gumbel};
///
/// let p = Exp::new(2.0)?;
/// assert!((p.kl_divergence(&Gumbel::new(0.5, 1.0)?) - 0.79229469436003074).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gumbel> for Exp {
    fn kl_divergence(&self, q: &Gumbel) -> f64 {
        let (l, mu, beta) = (self.rate(), q.location(), q.scale());
        cross_family(&[l], &[mu, beta], || {
            let ln_shifted = mu / beta - (1.0 / (l * beta)).ln_1p();
            against_gumbel(1.0 - l.ln(), 1.0 / l, ln_shifted, q)
        })
    }
}

/// Exponential against chi-squared; statrs: `Exp::new(λ)` a rate, `ChiSquared::new(k)`
/// degrees of freedom. `Exp(λ) = Gamma(1, λ)` and `ChiSquared(k) = Gamma(k/2, ½)`:
///
/// ```text
/// KL = (1 − k/2) ψ(1) + ln Γ(k/2) + (k/2) ln(2λ) + (1/2 − λ)/λ
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{ChiSquared, Exp};
///
/// let p = Exp::new(1.0)?;
/// let q = ChiSquared::new(3.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<ChiSquared> for Exp {
    fn kl_divergence(&self, q: &ChiSquared) -> f64 {
        let (l, k) = (self.rate(), q.freedom());
        cross_family(&[l], &[k], || gamma_gamma(1.0, l, 0.5 * k, 0.5))
    }
}

/// Exponential against Weibull; statrs: `Exp::new(λ)` a rate, `Weibull::new(k, s)` shape and
/// scale. `Exp(λ)` is `Weibull(1, 1/λ)`: the Weibull formula with `k₁ = 1`, `λ₁ = 1/λ`:
///
/// ```text
/// KL = −ln k − k ln(λ s) + γ (k − 1) + (λ s)^(−k) Γ(1 + k) − 1
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Exp, Weibull};
///
/// let p = Exp::new(1.0)?;
/// let q = Weibull::new(2.0, 1.5)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Weibull> for Exp {
    fn kl_divergence(&self, q: &Weibull) -> f64 {
        let (l, k, s) = (self.rate(), q.shape(), q.scale());
        cross_family(&[l], &[k, s], || weibull_weibull(1.0, 1.0 / l, k, s))
    }
}
