//! Pareto against Exp, Gamma and Normal.

use statrs::distribution::{Exp, Gamma, Normal, Pareto};

use super::{against_gamma, pareto_entropy, pareto_mean};
use crate::closed_form::{KlDivergence, against_normal, cross_family, normal_params};

/// Pareto against exponential; statrs: `Pareto::new(m, α)` scale (the minimum) and shape,
/// `Exp::new(λ)` a rate. With `H = ln(m/α) + 1/α + 1` and `E[X] = αm/(α − 1)`:
///
/// ```text
/// KL = −ln(m/α) − 1/α − 1 − ln λ + λ αm/(α − 1)      if α > 1
/// KL = +∞                                            if α ≤ 1 (P's mean is infinite)
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Exp, Pareto};
///
/// let p = Pareto::new(1.0, 3.0)?;
/// let q = Exp::new(0.5)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// assert_eq!(Pareto::new(1.0, 1.0)?.kl_divergence(&Exp::new(0.5)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Exp> for Pareto {
    fn kl_divergence(&self, q: &Exp) -> f64 {
        let (m, alpha, l) = (self.scale(), self.shape(), q.rate());
        cross_family(&[m, alpha], &[l], || {
            let mean_ln = m.ln() + 1.0 / alpha;
            against_gamma(
                pareto_entropy(m, alpha),
                pareto_mean(m, alpha),
                mean_ln,
                1.0,
                l,
            )
        })
    }
}

/// Pareto against gamma; statrs: `Pareto::new(m, α)` scale and shape, `Gamma::new(a, β)`
/// shape and rate. With `E[X] = αm/(α − 1)` and `E[ln X] = ln m + 1/α`:
///
/// ```text
/// KL = −H(Pareto(m, α)) − a ln β + ln Γ(a) − (a − 1)(ln m + 1/α) + β αm/(α − 1)      if α > 1
/// KL = +∞                                                                            if α ≤ 1
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Gamma, Pareto};
///
/// let p = Pareto::new(1.0, 3.0)?;
/// let q = Gamma::new(2.0, 1.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gamma> for Pareto {
    fn kl_divergence(&self, q: &Gamma) -> f64 {
        let (m, alpha, a, beta) = (self.scale(), self.shape(), q.shape(), q.rate());
        cross_family(&[m, alpha], &[a, beta], || {
            let mean_ln = m.ln() + 1.0 / alpha;
            let entropy = pareto_entropy(m, alpha);
            against_gamma(entropy, pareto_mean(m, alpha), mean_ln, a, beta)
        })
    }
}

/// Pareto against normal; statrs: `Pareto::new(m, α)` scale and shape, `Normal::new(μ, σ)`
/// mean and standard deviation. With `Var X = m²α/((α − 1)²(α − 2))`:
///
/// ```text
/// KL = −H(Pareto(m, α)) + ½ ln(2πσ²) + (Var X + (E[X] − μ)²)/(2σ²)      if α > 2
/// KL = +∞                                                              if α ≤ 2 (infinite variance)
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Normal, Pareto};
///
/// let p = Pareto::new(1.0, 3.0)?;
/// let q = Normal::new(1.5, 1.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// assert_eq!(Pareto::new(1.0, 2.0)?.kl_divergence(&Normal::new(1.5, 1.0)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Normal> for Pareto {
    fn kl_divergence(&self, q: &Normal) -> f64 {
        let (m, alpha) = (self.scale(), self.shape());
        let (mu, sigma) = normal_params(q);
        cross_family(&[m, alpha], &[mu, sigma], || {
            if alpha <= 2.0 {
                return f64::INFINITY;
            }
            let variance = m * m * alpha / ((alpha - 1.0).powi(2) * (alpha - 2.0));
            against_normal(pareto_entropy(m, alpha), pareto_mean(m, alpha), variance, q)
        })
    }
}
