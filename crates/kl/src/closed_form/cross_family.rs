//! Cross-family pairs beyond the first registry, as torch and TFP register them.
//!
//! Each is `KL(P‖Q) = −H(P) − E_P[ln q(X)]`, the cross-entropy written with P's moments minus
//! P's entropy; the moments and entropies used are listed on the helpers below, and the
//! cross-entropies against Normal, Gamma (and Exp, a gamma of shape 1) and Gumbel are each one
//! function. A moment that is infinite (a Pareto mean for `α ≤ 1`) makes the divergence `+∞`,
//! which is its true value, not a support rule.

use statrs::consts::{EULER_MASCHERONI, LN_SQRT_2PI};
use statrs::distribution::{
    Bernoulli, Beta, Binomial, ChiSquared, Discrete, Erlang, Exp, Gamma, Gumbel, Laplace, Normal,
    Pareto, Poisson, Uniform, Weibull,
};
use statrs::function::beta::ln_beta;
use statrs::function::erf::erf;
use statrs::function::gamma::{digamma, gamma, ln_gamma};

use super::same_family::bulk_sum;
use super::{
    KlDivergence, against_normal, cross_family, gamma_gamma, normal_params, uniform_mean_ln,
    weibull_weibull, x_ln_x_over_y,
};

// ---------------------------------------------------------------------------------------------
// Entropies and cross-entropies.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Beta against Exp, Gamma, Normal, Uniform.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Against Gumbel, and Gumbel against Normal.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Pareto against Exp, Gamma, Normal.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Uniform against Beta and Pareto.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// The gamma relatives across families, and Exp ↔ Weibull, Weibull → Gamma.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Discrete across families.
// ---------------------------------------------------------------------------------------------

/// Bernoulli against Poisson; statrs: `Bernoulli::new(p)` success probability,
/// `Poisson::new(λ)` the mean. P lives on `{0, 1}`, inside Q's support:
///
/// ```text
/// KL = p ln p + (1 − p) ln(1 − p) + λ − p ln λ        (0 ln 0 = 0)
/// ```
///
/// Hand computation: `(1 − p) ln((1 − p)/e^(−λ)) + p ln(p/(λ e^(−λ)))`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Bernoulli, Poisson};
///
/// let p = Bernoulli::new(0.3)?;
/// let kl = p.kl_divergence(&Poisson::new(0.5)?);
/// let hand = 0.3 * 0.3f64.ln() + 0.7 * 0.7f64.ln() + 0.5 - 0.3 * 0.5f64.ln();
/// assert!((kl - hand).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Poisson> for Bernoulli {
    fn kl_divergence(&self, q: &Poisson) -> f64 {
        let (p, l) = (self.p(), q.lambda());
        cross_family(&[p], &[l], || {
            x_ln_x_over_y(p, 1.0) + x_ln_x_over_y(1.0 - p, 1.0) + l - p * l.ln()
        })
    }
}

/// Binomial against Poisson; statrs: `Binomial::new(p, n)` success probability and trials,
/// `Poisson::new(λ)` the mean. P's support `0..=n` is inside Q's, so the divergence is finite,
/// but `E[ln k!]` under a binomial has no closed form: it is the finite sum
///
/// ```text
/// KL = Σ_{k=0}^{n} P(k) [ln P(k) − k ln λ + λ + ln k!]
/// ```
///
/// over the `k` within `40σ + 40` of `np` (P's mass outside is below `1e-26`), `O(√n)` terms.
/// Checked below against the direct sum over all `k`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Binomial, Discrete, Poisson};
///
/// let p = Binomial::new(0.1, 20)?;
/// let q = Poisson::new(2.0)?;
/// let sum: f64 = (0..=20).map(|k| p.pmf(k) * (p.ln_pmf(k) - q.ln_pmf(k))).sum();
/// assert!((p.kl_divergence(&q) - sum).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Poisson> for Binomial {
    fn kl_divergence(&self, q: &Poisson) -> f64 {
        let (p, n, l) = (self.p(), self.n(), q.lambda());
        cross_family(&[p], &[l], || {
            let mean = n as f64 * p;
            let half_width = 40.0 * (mean * (1.0 - p)).sqrt() + 40.0;
            let first = (mean - half_width).floor().max(0.0) as u64;
            let last = ((mean + half_width).ceil() as u64).min(n);
            bulk_sum(first, last, |k| self.ln_pmf(k), |k| q.ln_pmf(k))
        })
    }
}
