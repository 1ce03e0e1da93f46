//! The gamma family (Gamma, and its special cases ChiSquared and Erlang) against Exp, Normal,
//! Gumbel and each other.

use statrs::distribution::{ChiSquared, Erlang, Exp, Gamma, Gumbel, Normal};
use statrs::function::gamma::{digamma, ln_gamma};

use super::against_gumbel;
use crate::closed_form::{KlDivergence, against_normal, cross_family, gamma_gamma, normal_params};

/// Gamma against exponential; statrs: `Gamma::new(α, β)` shape and rate, `Exp::new(λ)` a rate.
/// The gamma formula with `α₂ = 1`:
///
/// ```text
/// KL = (α − 1) ψ(α) − ln Γ(α) + ln(β/λ) + α (λ − β)/β
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Exp, Gamma};
///
/// let p = Gamma::new(2.0, 1.0)?;
/// let q = Exp::new(1.0)?;
/// assert!((p.kl_divergence(&q) - 0.42278433509846713).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Exp> for Gamma {
    fn kl_divergence(&self, q: &Exp) -> f64 {
        let (a, b, l) = (self.shape(), self.rate(), q.rate());
        cross_family(&[a, b], &[l], || gamma_gamma(a, b, 1.0, l))
    }
}

/// Gamma against normal; statrs: `Gamma::new(α, β)` shape and rate, `Normal::new(μ, σ)` mean
/// and standard deviation. With `H(Gamma) = α − ln β + ln Γ(α) + (1 − α) ψ(α)`, mean `α/β`,
/// variance `α/β²`:
///
/// ```text
/// KL = −α + ln β − ln Γ(α) − (1 − α) ψ(α) + ½ ln(2πσ²) + (α/β² + (α/β − μ)²) / (2σ²)
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Gamma, Normal};
///
/// let p = Gamma::new(2.0, 1.0)?;
/// let q = Normal::new(2.0, 1.5)?;
/// assert!((p.kl_divergence(&q) - 0.19163242085574870).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Normal> for Gamma {
    fn kl_divergence(&self, q: &Normal) -> f64 {
        let (a, b) = (self.shape(), self.rate());
        let (mu, sigma) = normal_params(q);
        cross_family(&[a, b], &[mu, sigma], || {
            let entropy = a - b.ln() + ln_gamma(a) + (1.0 - a) * digamma(a);
            against_normal(entropy, a / b, a / (b * b), q)
        })
    }
}

/// Gamma against Gumbel; statrs: `Gamma::new(α, r)` shape and rate, `Gumbel::new(μ, β)`
/// location and scale. With `E[X] = α/r` and `E[e^(−X/β)] = (rβ/(rβ + 1))^α`:
///
/// ```text
/// KL = −H(Gamma(α, r)) + ln β + (α/r − μ)/β + e^(μ/β) (1 + 1/(rβ))^(−α),
/// H(Gamma(α, r)) = α − ln r + ln Γ(α) + (1 − α)ψ(α)
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Gamma, Gumbel};
///
/// let p = Gamma::new(2.0, 1.0)?;
/// assert!((p.kl_divergence(&Gumbel::new(1.5, 1.5)?) - 0.14016423478522114).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gumbel> for Gamma {
    fn kl_divergence(&self, q: &Gumbel) -> f64 {
        let (a, r, mu, beta) = (self.shape(), self.rate(), q.location(), q.scale());
        cross_family(&[a, r], &[mu, beta], || {
            let entropy = a - r.ln() + ln_gamma(a) + (1.0 - a) * digamma(a);
            let ln_shifted = mu / beta - a * (1.0 / (r * beta)).ln_1p();
            against_gumbel(entropy, a / r, ln_shifted, q)
        })
    }
}

/// Gamma against chi-squared; statrs: `Gamma::new(α, β)` shape and rate, `ChiSquared::new(k)`
/// degrees of freedom, which is `Gamma(k/2, ½)`:
///
/// ```text
/// KL = (α − k/2) ψ(α) − ln Γ(α) + ln Γ(k/2) + (k/2) ln(2β) + α (1/2 − β)/β
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{ChiSquared, Gamma};
///
/// let p = Gamma::new(2.0, 1.0)?;
/// let q = ChiSquared::new(3.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<ChiSquared> for Gamma {
    fn kl_divergence(&self, q: &ChiSquared) -> f64 {
        let (a, b, k) = (self.shape(), self.rate(), q.freedom());
        cross_family(&[a, b], &[k], || gamma_gamma(a, b, 0.5 * k, 0.5))
    }
}

/// Gamma against Erlang; statrs: `Gamma::new(α, β)` shape and rate, `Erlang::new(k, λ)`
/// integer shape and rate (`Gamma(k, λ)`):
///
/// ```text
/// KL = (α − k) ψ(α) − ln Γ(α) + ln Γ(k) + k ln(β/λ) + α (λ − β)/β
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Erlang, Gamma};
///
/// let p = Gamma::new(2.0, 1.0)?;
/// let q = Erlang::new(3, 2.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Erlang> for Gamma {
    fn kl_divergence(&self, q: &Erlang) -> f64 {
        let (a, b, k, l) = (self.shape(), self.rate(), q.shape() as f64, q.rate());
        cross_family(&[a, b], &[k, l], || gamma_gamma(a, b, k, l))
    }
}

/// Chi-squared against gamma; statrs: `ChiSquared::new(k)` degrees of freedom, `Gamma::new(α,
/// β)` shape and rate. `ChiSquared(k)` is `Gamma(k/2, ½)`: the gamma formula.
///
/// ```text
/// KL = (k/2 − α) ψ(k/2) − ln Γ(k/2) + ln Γ(α) + α ln(1/(2β)) + (k/2)(2β − 1)
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{ChiSquared, Gamma};
///
/// let p = ChiSquared::new(3.0)?;
/// let q = Gamma::new(2.0, 1.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gamma> for ChiSquared {
    fn kl_divergence(&self, q: &Gamma) -> f64 {
        let (k, a, b) = (self.freedom(), q.shape(), q.rate());
        cross_family(&[k], &[a, b], || gamma_gamma(0.5 * k, 0.5, a, b))
    }
}

/// Chi-squared against exponential; statrs: `ChiSquared::new(k)` degrees of freedom,
/// `Exp::new(λ)` a rate; the gamma formula with `Gamma(k/2, ½)` against `Gamma(1, λ)`:
///
/// ```text
/// KL = (k/2 − 1) ψ(k/2) − ln Γ(k/2) + ln(1/(2λ)) + (k/2)(2λ − 1)
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{ChiSquared, Exp};
///
/// let p = ChiSquared::new(3.0)?;
/// let q = Exp::new(0.5)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Exp> for ChiSquared {
    fn kl_divergence(&self, q: &Exp) -> f64 {
        let (k, l) = (self.freedom(), q.rate());
        cross_family(&[k], &[l], || gamma_gamma(0.5 * k, 0.5, 1.0, l))
    }
}

/// Erlang against gamma; statrs: `Erlang::new(k, λ)` integer shape and rate (it is
/// `Gamma(k, λ)`), `Gamma::new(α, β)` shape and rate:
///
/// ```text
/// KL = (k − α) ψ(k) − ln Γ(k) + ln Γ(α) + α ln(λ/β) + k (β − λ)/λ
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Erlang, Gamma};
///
/// let p = Erlang::new(2, 1.0)?;
/// let q = Gamma::new(3.0, 2.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gamma> for Erlang {
    fn kl_divergence(&self, q: &Gamma) -> f64 {
        let (k, l, a, b) = (self.shape() as f64, self.rate(), q.shape(), q.rate());
        cross_family(&[k, l], &[a, b], || gamma_gamma(k, l, a, b))
    }
}
