//! The location-scale families on the whole line against each other: Normal against Gumbel and
//! Laplace, Laplace and Gumbel against Normal.

use statrs::consts::EULER_MASCHERONI;
use statrs::distribution::{Gumbel, Laplace, Normal};
use statrs::function::erf::erf;

use super::{against_gumbel, normal_entropy};
use crate::closed_form::{KlDivergence, against_normal, cross_family, normal_params};

/// Normal against Gumbel; statrs: `Normal::new(m, σ)` mean and standard deviation,
/// `Gumbel::new(μ, β)` location and scale. With `E[e^(−(X − μ)/β)] = e^(−(m − μ)/β + σ²/(2β²))`:
///
/// ```text
/// KL = −½ ln(2πσ²) − ½ + ln β + (m − μ)/β + e^(−(m − μ)/β + σ²/(2β²))
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Gumbel, Normal};
///
/// let p = Normal::new(0.0, 1.0)?;
/// assert!((p.kl_divergence(&Gumbel::new(-0.5, 1.2)?) - 0.11296165064309597).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gumbel> for Normal {
    fn kl_divergence(&self, q: &Gumbel) -> f64 {
        let (m, sigma) = normal_params(self);
        let (mu, beta) = (q.location(), q.scale());
        cross_family(&[m, sigma], &[mu, beta], || {
            let z = sigma / beta;
            let ln_shifted = -(m - mu) / beta + 0.5 * z * z;
            against_gumbel(normal_entropy(sigma), m, ln_shifted, q)
        })
    }
}

/// Normal against Laplace; statrs: `Normal::new(m, σ)` mean and standard deviation,
/// `Laplace::new(μ, b)` location and scale. With `d = m − μ`, the folded-normal mean
/// `E|X − μ| = σ√(2/π) e^(−d²/(2σ²)) + d erf(d/(σ√2))`:
///
/// ```text
/// KL = −½ ln(2πσ²) − ½ + ln(2b) + E|X − μ|/b
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Laplace, Normal};
///
/// let p = Normal::new(0.0, 1.0)?;
/// let q = Laplace::new(0.5, 1.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Laplace> for Normal {
    fn kl_divergence(&self, q: &Laplace) -> f64 {
        let (m, sigma) = normal_params(self);
        let (mu, b) = (q.location(), q.scale());
        cross_family(&[m, sigma], &[mu, b], || {
            let z = (m - mu) / sigma;
            let mean_abs = sigma
                * ((2.0 / std::f64::consts::PI).sqrt() * (-0.5 * z * z).exp()
                    + z * erf(z / std::f64::consts::SQRT_2));
            -normal_entropy(sigma) + (2.0 * b).ln() + mean_abs / b
        })
    }
}

/// Laplace against normal; statrs: `Laplace::new(m, b)` location and scale, `Normal::new(μ, σ)`
/// mean and standard deviation. With `H(Laplace) = 1 + ln(2b)`, variance `2b²`:
///
/// ```text
/// KL = −1 − ln(2b) + ½ ln(2πσ²) + (2b² + (m − μ)²) / (2σ²)
/// ```
///
/// Reference value below: mpmath quadrature split at the kink, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Laplace, Normal};
///
/// let p = Laplace::new(0.0, 1.0)?;
/// let q = Normal::new(0.0, 2.0)?;
/// assert!((p.kl_divergence(&q) - 0.16893853320467274).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Normal> for Laplace {
    fn kl_divergence(&self, q: &Normal) -> f64 {
        let (m, b) = (self.location(), self.scale());
        let (mu, sigma) = normal_params(q);
        cross_family(&[m, b], &[mu, sigma], || {
            against_normal(1.0 + (2.0 * b).ln(), m, 2.0 * b * b, q)
        })
    }
}

/// Gumbel against normal; statrs: `Gumbel::new(μ, β)` location and scale, `Normal::new(m, σ)`
/// mean and standard deviation. With `H = ln β + γ + 1`, `E[X] = μ + γβ`, `Var X = π²β²/6`:
///
/// ```text
/// KL = −ln β − γ − 1 + ½ ln(2πσ²) + (π²β²/6 + (μ + γβ − m)²)/(2σ²)
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Gumbel, Normal};
///
/// let p = Gumbel::new(0.0, 1.0)?;
/// let q = Normal::new(0.5, 1.3)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Normal> for Gumbel {
    fn kl_divergence(&self, q: &Normal) -> f64 {
        let (mu, beta) = (self.location(), self.scale());
        let (m, sigma) = normal_params(q);
        cross_family(&[mu, beta], &[m, sigma], || {
            let entropy = beta.ln() + EULER_MASCHERONI + 1.0;
            let variance = std::f64::consts::PI.powi(2) * beta * beta / 6.0;
            against_normal(entropy, mu + EULER_MASCHERONI * beta, variance, q)
        })
    }
}
