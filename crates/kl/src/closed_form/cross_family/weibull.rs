//! Weibull against Exp and Gamma.

use statrs::consts::EULER_MASCHERONI;
use statrs::distribution::{Exp, Gamma, Weibull};
use statrs::function::gamma::gamma;

use super::against_gamma;
use crate::closed_form::{KlDivergence, cross_family, weibull_weibull};

/// Weibull against exponential; statrs: `Weibull::new(k, s)` shape and scale, `Exp::new(λ)` a
/// rate, which is `Weibull(1, 1/λ)`:
///
/// ```text
/// KL = ln k + ln(λ s) + γ (1 − k)/k + λ s Γ(1 + 1/k) − 1
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Exp, Weibull};
///
/// let p = Weibull::new(2.0, 1.5)?;
/// let q = Exp::new(1.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Exp> for Weibull {
    fn kl_divergence(&self, q: &Exp) -> f64 {
        let (k, s, l) = (self.shape(), self.scale(), q.rate());
        cross_family(&[k, s], &[l], || weibull_weibull(k, s, 1.0, 1.0 / l))
    }
}

/// Weibull against gamma; statrs: `Weibull::new(k, s)` shape and scale, `Gamma::new(α, β)`
/// shape and rate. With `H = γ(1 − 1/k) + ln(s/k) + 1`, `E[X] = s Γ(1 + 1/k)` and
/// `E[ln X] = ln s − γ/k`:
///
/// ```text
/// KL = −γ(1 − 1/k) − ln(s/k) − 1 − α ln β + ln Γ(α) − (α − 1)(ln s − γ/k) + β s Γ(1 + 1/k)
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Gamma, Weibull};
///
/// let p = Weibull::new(2.0, 1.5)?;
/// let q = Gamma::new(3.0, 2.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gamma> for Weibull {
    fn kl_divergence(&self, q: &Gamma) -> f64 {
        let (k, s, a, b) = (self.shape(), self.scale(), q.shape(), q.rate());
        cross_family(&[k, s], &[a, b], || {
            let entropy = EULER_MASCHERONI * (1.0 - 1.0 / k) + (s / k).ln() + 1.0;
            let mean_ln = s.ln() - EULER_MASCHERONI / k;
            against_gamma(entropy, s * gamma(1.0 + 1.0 / k), mean_ln, a, b)
        })
    }
}
