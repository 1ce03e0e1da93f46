//! Beta against Exp, Gamma, Normal and Uniform.

use statrs::distribution::{Beta, Exp, Gamma, Normal, Uniform};
use statrs::function::gamma::digamma;

use super::{against_gamma, beta_entropy};
use crate::closed_form::{KlDivergence, against_normal, cross_family, normal_params};

/// Beta against exponential; statrs: `Beta::new(a, b)` two shapes, `Exp::new(λ)` a rate. With
/// `H(Beta)` as in [`Beta`]'s entropy and `E[X] = a/(a + b)`:
///
/// ```text
/// KL = −H(Beta(a, b)) − ln λ + λ a/(a + b),
/// H(Beta(a, b)) = ln B(a, b) − (a − 1)ψ(a) − (b − 1)ψ(b) + (a + b − 2)ψ(a + b)
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Beta, Exp};
///
/// let p = Beta::new(2.0, 3.0)?;
/// assert!((p.kl_divergence(&Exp::new(2.0)?) - 0.341759469228055).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Exp> for Beta {
    fn kl_divergence(&self, q: &Exp) -> f64 {
        let (a, b, l) = (self.shape_a(), self.shape_b(), q.rate());
        cross_family(&[a, b], &[l], || {
            let mean_ln = digamma(a) - digamma(a + b);
            against_gamma(beta_entropy(a, b), a / (a + b), mean_ln, 1.0, l)
        })
    }
}

/// Beta against gamma; statrs: `Beta::new(a, b)` two shapes, `Gamma::new(α, β)` shape and
/// rate. With `E[X] = a/(a + b)` and `E[ln X] = ψ(a) − ψ(a + b)`:
///
/// ```text
/// KL = −H(Beta(a, b)) − α ln β + ln Γ(α) − (α − 1)(ψ(a) − ψ(a + b)) + β a/(a + b)
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Beta, Gamma};
///
/// let p = Beta::new(2.0, 3.0)?;
/// assert!((p.kl_divergence(&Gamma::new(2.0, 3.0)?) - 0.32101540578511426).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gamma> for Beta {
    fn kl_divergence(&self, q: &Gamma) -> f64 {
        let (a, b, alpha, beta) = (self.shape_a(), self.shape_b(), q.shape(), q.rate());
        cross_family(&[a, b], &[alpha, beta], || {
            let mean_ln = digamma(a) - digamma(a + b);
            against_gamma(beta_entropy(a, b), a / (a + b), mean_ln, alpha, beta)
        })
    }
}

/// Beta against normal; statrs: `Beta::new(a, b)` two shapes, `Normal::new(μ, σ)` mean and
/// standard deviation. With `E[X] = a/(a + b)`, `Var X = ab/((a + b)²(a + b + 1))`:
///
/// ```text
/// KL = −H(Beta(a, b)) + ½ ln(2πσ²) + (Var X + (E[X] − μ)²)/(2σ²)
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Beta, Normal};
///
/// let p = Beta::new(2.0, 3.0)?;
/// assert!((p.kl_divergence(&Normal::new(0.5, 0.25)?) - 0.16755082187278243).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Normal> for Beta {
    fn kl_divergence(&self, q: &Normal) -> f64 {
        let (a, b) = (self.shape_a(), self.shape_b());
        let (mu, sigma) = normal_params(q);
        cross_family(&[a, b], &[mu, sigma], || {
            let s = a + b;
            let variance = a * b / (s * s * (s + 1.0));
            against_normal(beta_entropy(a, b), a / s, variance, q)
        })
    }
}

/// Beta against uniform; statrs: `Beta::new(a, b)` two shapes, `Uniform::new(lo, hi)` min and
/// max:
///
/// ```text
/// KL = ln(hi − lo) − H(Beta(a, b))      if lo ≤ 0 and hi ≥ 1
/// KL = +∞                               otherwise (P has mass outside [lo, hi])
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Beta, Uniform};
///
/// let p = Beta::new(2.0, 3.0)?;
/// assert!((p.kl_divergence(&Uniform::new(0.0, 1.0)?) - 0.23490664978800031).abs() < 1e-14);
/// assert_eq!(p.kl_divergence(&Uniform::new(0.1, 1.0)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Uniform> for Beta {
    fn kl_divergence(&self, q: &Uniform) -> f64 {
        let (a, b, lo, hi) = (self.shape_a(), self.shape_b(), q.min(), q.max());
        cross_family(&[a, b], &[lo, hi], || {
            if lo > 0.0 || hi < 1.0 {
                f64::INFINITY
            } else {
                (hi - lo).ln() - beta_entropy(a, b)
            }
        })
    }
}
