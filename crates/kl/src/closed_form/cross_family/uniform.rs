//! The uniform against Normal, Exp, Gamma, Gumbel, Beta and Pareto.

use statrs::distribution::{Beta, Exp, Gamma, Gumbel, Normal, Pareto, Uniform};
use statrs::function::beta::ln_beta;
use statrs::function::gamma::ln_gamma;

use super::against_gumbel;
use crate::closed_form::{
    KlDivergence, against_normal, cross_family, normal_params, uniform_mean_ln,
};

/// Uniform against normal; statrs: `Uniform::new(a, b)` min and max, `Normal::new(μ, σ)` mean
/// and standard deviation. With `H(U(a, b)) = ln(b − a)`, mean `(a + b)/2`, variance
/// `(b − a)²/12`:
///
/// ```text
/// KL = −ln(b − a) + ½ ln(2πσ²) + ((b − a)²/12 + ((a + b)/2 − μ)²) / (2σ²)
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Normal, Uniform};
///
/// let p = Uniform::new(0.0, 1.0)?;
/// let q = Normal::new(0.0, 1.0)?;
/// assert!((p.kl_divergence(&q) - 1.08560519987133941).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Normal> for Uniform {
    fn kl_divergence(&self, q: &Normal) -> f64 {
        let (a, b) = (self.min(), self.max());
        let (mu, sigma) = normal_params(q);
        cross_family(&[a, b], &[mu, sigma], || {
            let width = b - a;
            against_normal(width.ln(), a + 0.5 * width, width * width / 12.0, q)
        })
    }
}

/// Uniform against exponential; statrs: `Uniform::new(a, b)` min and max, `Exp::new(λ)` a
/// rate:
///
/// ```text
/// KL = −ln(b − a) − ln λ + λ (a + b)/2       if a ≥ 0
/// KL = +∞                                   if a < 0 (P has mass on x < 0)
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Exp, Uniform};
///
/// let p = Uniform::new(0.0, 1.0)?;
/// let q = Exp::new(2.0)?;
/// assert!((p.kl_divergence(&q) - 0.30685281944005469).abs() < 1e-15);
/// assert_eq!(Uniform::new(-1.0, 1.0)?.kl_divergence(&q), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Exp> for Uniform {
    fn kl_divergence(&self, q: &Exp) -> f64 {
        let (a, b, l) = (self.min(), self.max(), q.rate());
        cross_family(&[a, b], &[l], || {
            if a < 0.0 {
                f64::INFINITY
            } else {
                -(b - a).ln() - l.ln() + l * (a + 0.5 * (b - a))
            }
        })
    }
}

/// Uniform against gamma; statrs: `Uniform::new(a, b)` min and max, `Gamma::new(α, β)` shape
/// and rate:
///
/// ```text
/// KL = −ln(b − a) − α ln β + ln Γ(α) − (α − 1) E[ln X] + β (a + b)/2       if a ≥ 0
/// E[ln X] = (b ln b − a ln a)/(b − a) − 1 = ln b − 1 + ln(1 + t)/t,  t = (b − a)/a
///           (= ln b − 1 when a = 0)
/// KL = +∞                                                               if a < 0
/// ```
///
/// `a = 0` is finite even for `α < 1`, where Q's density has a pole at 0. Reference values
/// below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Gamma, Uniform};
///
/// let p = Uniform::new(0.5, 2.0)?;
/// let q = Gamma::new(2.0, 1.0)?;
/// assert!((p.kl_divergence(&q) - 0.68928959095859343).abs() < 1e-15);
/// let pole = Uniform::new(0.0, 1.0)?.kl_divergence(&Gamma::new(0.5, 1.0)?);
/// assert!((pole - 0.57236494292470008).abs() < 1e-15);
/// assert_eq!(Uniform::new(-1.0, 1.0)?.kl_divergence(&q), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gamma> for Uniform {
    fn kl_divergence(&self, q: &Gamma) -> f64 {
        let (a, b, alpha, beta) = (self.min(), self.max(), q.shape(), q.rate());
        cross_family(&[a, b], &[alpha, beta], || {
            if a < 0.0 {
                return f64::INFINITY;
            }
            let mean_ln = uniform_mean_ln(a, b);
            -(b - a).ln() - alpha * beta.ln() + ln_gamma(alpha) - (alpha - 1.0) * mean_ln
                + beta * (a + 0.5 * (b - a))
        })
    }
}

/// Uniform against Gumbel; statrs: `Uniform::new(a, b)` min and max, `Gumbel::new(μ, β)`
/// location and scale. With `w = b − a` and `E[e^(−(X − μ)/β)] = e^(−(a − μ)/β) (β/w)(1 − e^(−w/β))`:
///
/// ```text
/// KL = −ln w + ln β + ((a + b)/2 − μ)/β + e^((μ − a)/β) (β/w) (1 − e^(−w/β))
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Gumbel, Uniform};
///
/// let p = Uniform::new(0.0, 2.0)?;
/// assert!((p.kl_divergence(&Gumbel::new(1.0, 1.0)?) - 0.48205401308385615).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gumbel> for Uniform {
    fn kl_divergence(&self, q: &Gumbel) -> f64 {
        let (a, b, mu, beta) = (self.min(), self.max(), q.location(), q.scale());
        cross_family(&[a, b], &[mu, beta], || {
            let w = b - a;
            let ln_shifted = (mu - a) / beta + (beta / w).ln() + (-(-w / beta).exp_m1()).ln();
            against_gumbel(w.ln(), a + 0.5 * w, ln_shifted, q)
        })
    }
}

/// Uniform against beta; statrs: `Uniform::new(a, b)` min and max, `Beta::new(α, β)` two
/// shapes. With `E[ln X]` and `E[ln(1 − X)]` over `U(a, b)` (the latter is `E[ln Y]` for
/// `Y ~ U(1 − b, 1 − a)`), `E[ln Y] = (b ln b − a ln a)/(b − a) − 1` over `U(a, b)`:
///
/// ```text
/// KL = −ln(b − a) + ln B(α, β) − (α − 1) E[ln X] − (β − 1) E[ln(1 − X)]      if [a, b] ⊆ [0, 1]
/// KL = +∞                                                                    otherwise
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Beta, Uniform};
///
/// let p = Uniform::new(0.0, 1.0)?;
/// let q = Beta::new(2.0, 3.0)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// assert_eq!(Uniform::new(0.5, 1.5)?.kl_divergence(&Beta::new(2.0, 3.0)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Beta> for Uniform {
    fn kl_divergence(&self, q: &Beta) -> f64 {
        let (a, b, alpha, beta) = (self.min(), self.max(), q.shape_a(), q.shape_b());
        cross_family(&[a, b], &[alpha, beta], || {
            if a < 0.0 || b > 1.0 {
                return f64::INFINITY;
            }
            let mean_ln = uniform_mean_ln(a, b);
            let mean_ln_complement = uniform_mean_ln(1.0 - b, 1.0 - a);
            -(b - a).ln() + ln_beta(alpha, beta)
                - (alpha - 1.0) * mean_ln
                - (beta - 1.0) * mean_ln_complement
        })
    }
}

/// Uniform against Pareto; statrs: `Uniform::new(a, b)` min and max, `Pareto::new(m, α)`
/// scale (the minimum) and shape; `−ln q(x) = −ln α − α ln m + (α + 1) ln x` on `x ≥ m`:
///
/// ```text
/// KL = −ln(b − a) − ln α − α ln m + (α + 1) E[ln X]      if a ≥ m
/// KL = +∞                                               if a < m
/// ```
///
/// Checked below against `kl::numeric::quadrature`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Pareto, Uniform};
///
/// let p = Uniform::new(1.0, 3.0)?;
/// let q = Pareto::new(1.0, 1.5)?;
/// let quad = kl::numeric::quadrature(&p, &q)?;
/// assert!((p.kl_divergence(&q) - quad.value).abs() < 1e-9 * quad.value + 1e-12);
/// assert_eq!(p.kl_divergence(&Pareto::new(2.0, 1.5)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Pareto> for Uniform {
    fn kl_divergence(&self, q: &Pareto) -> f64 {
        let (a, b, m, alpha) = (self.min(), self.max(), q.scale(), q.shape());
        cross_family(&[a, b], &[m, alpha], || {
            if a < m {
                return f64::INFINITY;
            }
            let mean_ln = uniform_mean_ln(a, b);
            -(b - a).ln() - alpha.ln() + alpha * (mean_ln - m.ln()) + mean_ln
        })
    }
}
