//! KL divergences in closed form between parametric families, dispatched by type.
//!
//! [`KlDivergence<Q>`] is implemented for each pair of `statrs` distributions that has a closed
//! form, so a pair without one is a compile error, not a run-time surprise. Every impl holds
//! just its formula, written in its doc comment with statrs's parameterisation. Results are in
//! nats; `+∞` where P's support is not inside Q's.
//!
//! # The registry
//!
#![doc = include_str!("../doc/closed_forms.md")]
//!
//! # Rules every impl follows
//!
//! - The result is in `[0, +∞]`, never NaN and never a panic. Rounding cannot make it negative
//!   (a result a few ulps below 0 is returned as 0).
//! - `KL(P‖P) = 0` exactly: identical parameters return 0 before any arithmetic.
//! - `+∞` where P puts mass where Q has none (a support mismatch), as the formula's limit.
//! - Degenerate parameters that statrs accepts (Bernoulli/Binomial `p ∈ {0, 1}`, Geometric
//!   `p = 1`, Categorical zero weights) give the limit of the formula, with `0 ln 0 = 0`.
//! - statrs also accepts some infinite parameters (an infinite mean, scale, rate or shape), which
//!   describe no proper distribution: the result is 0 if P and Q have the same parameters and
//!   `+∞` otherwise.
//! - Distributions of different dimensions (a `Dirichlet` or `MultivariateNormal` built with
//!   `Dyn`) have disjoint supports: `+∞`.
//! - At finite parameters so extreme that an intermediate quantity overflows a double (such as
//!   `lnΓ(α)` for `α > 1e305`), the result may be `+∞` where the true value is finite; never
//!   NaN.
//! - Accuracy, measured against the formulas in 40-digit mpmath over ~2400 draws far wider than
//!   everyday use: relative error ≤ 2e-12 for Normal, Gamma, Weibull, Gumbel, Laplace, Cauchy,
//!   Pareto, Poisson, Bernoulli and Geometric; 1.4e-10 for Beta, whose `ln Γ` terms cancel
//!   (a shape near 1e4). Where a formula has the shape `r − 1 − ln r` for a ratio
//!   `r` of parameters (Normal, LogNormal, Exp, Poisson, Pareto), it is evaluated without
//!   cancellation, so nearly equal parameters keep full relative precision.

use nalgebra::allocator::Allocator;
use nalgebra::{DefaultAllocator, Dim, DimMin};
use statrs::consts::EULER_MASCHERONI;
use statrs::distribution::{
    Bernoulli, Beta, Binomial, Categorical, Cauchy, Dirichlet, Discrete, Exp, Gamma, Geometric,
    Gumbel, Laplace, LogNormal, MultivariateNormal, Normal, Pareto, Poisson, Uniform, Weibull,
};
use statrs::function::gamma::{digamma, ln_gamma};
use statrs::statistics::{Distribution, Max};

mod cross_family;
mod infinite;
mod same_family;

/// `KL(self ‖ q)` in closed form, in nats.
pub trait KlDivergence<Q: ?Sized> {
    /// The divergence of `q` from `self`: `∫ p ln(p/q)` (or `Σ` for discrete families).
    fn kl_divergence(&self, q: &Q) -> f64;
}

/// `KL(p ‖ q)` for any pair with a closed form: the free-function spelling of
/// [`KlDivergence::kl_divergence`].
///
/// ```
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(2.0, 2.0)?;
/// assert!((kl::kl_divergence(&p, &q) - 0.5).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn kl_divergence<P: KlDivergence<Q> + ?Sized, Q: ?Sized>(p: &P, q: &Q) -> f64 {
    p.kl_divergence(q)
}

// ---------------------------------------------------------------------------------------------
// Shared guards: identical parameters, infinite parameters, rounding below 0, overflow.
// ---------------------------------------------------------------------------------------------

/// The tail of every same-family impl: identical parameters give exactly 0, non-finite ones
/// `+∞`, otherwise the formula, tidied by [`tidy`].
fn same_family(p: &[f64], q: &[f64], formula: impl FnOnce() -> f64) -> f64 {
    if p == q {
        return 0.0;
    }
    cross_family(p, q, formula)
}

/// The tail of every cross-family impl: non-finite parameters give `+∞`, otherwise the formula,
/// tidied by [`tidy`].
fn cross_family(p: &[f64], q: &[f64], formula: impl FnOnce() -> f64) -> f64 {
    if p.iter().chain(q).any(|v| !v.is_finite()) {
        return f64::INFINITY;
    }
    tidy(formula())
}

/// A divergence is in `[0, ∞]`: rounding a few ulps below 0 is returned as 0, and a NaN (which
/// only an overflow of an intermediate term such as `∞ − ∞` can produce at finite parameters)
/// as `+∞`.
fn tidy(kl: f64) -> f64 {
    if kl.is_nan() {
        f64::INFINITY
    } else if kl < 0.0 {
        0.0
    } else {
        kl
    }
}

/// `x ln(x/y)` with `0 ln(0/y) = 0` and `x ln(x/0) = +∞` for `x > 0`.
fn x_ln_x_over_y(x: f64, y: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else if y == 0.0 {
        f64::INFINITY
    } else {
        x * (x.ln() - y.ln())
    }
}

/// `(1−x) ln((1−x)/(1−y))`, computed from `x` and `y` with `ln_1p` so that small `x`, `y` keep
/// their precision; same zero conventions as [`x_ln_x_over_y`].
fn complement_term(x: f64, y: f64) -> f64 {
    if x == 1.0 {
        0.0
    } else if y == 1.0 {
        f64::INFINITY
    } else {
        (1.0 - x) * ((-x).ln_1p() - (-y).ln_1p())
    }
}

/// `KL(Bernoulli(p) ‖ Bernoulli(q))` with the zero conventions.
fn bernoulli_kl(p: f64, q: f64) -> f64 {
    x_ln_x_over_y(p, q) + complement_term(p, q)
}

/// Mean and standard deviation of a statrs `Normal` (statrs reports them as `Option`s, which
/// are always `Some` for this family).
pub(crate) fn normal_params(n: &Normal) -> (f64, f64) {
    (
        n.mean().unwrap_or(f64::NAN),
        n.std_dev().unwrap_or(f64::NAN),
    )
}

/// `r − 1 − ln r` for the ratio `r = num/den > 0`, without the cancellation of its terms near
/// `r = 1`: there, with `d = (num − den)/den`, it is `d²/2 − d³/3 + …`, summed as a series for
/// `|d| < 0.01` (twelve terms reach full precision). Several formulas contain `r − 1 − ln r`
/// with `r` a ratio of parameters; written so, nearly equal parameters keep the result's
/// relative precision instead of losing it to `1 − 1`, and far-apart ones take `ln r` directly.
fn ratio_gap(num: f64, den: f64) -> f64 {
    let d = (num - den) / den;
    if d.abs() < 0.01 {
        // Σ_{j ≥ 2} (−1)^j d^j / j, Horner form, through j = 12.
        let mut sum = 0.0;
        for j in (2..=12).rev() {
            sum = -d * sum + 1.0 / f64::from(j);
        }
        sum * d * d
    } else {
        let r = num / den;
        (r - 1.0) - r.ln()
    }
}

/// `KL(N(m1, s1) ‖ N(m2, s2))` written with `r = s1/s2`, `d = r − 1` and `z = (m1−m2)/s2`:
/// `KL = (r − 1 − ln r) + d²/2 + z²/2`, every term non-negative, so nothing cancels and no
/// square of a large parameter overflows.
fn normal_normal(m1: f64, s1: f64, m2: f64, s2: f64) -> f64 {
    let d = (s1 - s2) / s2;
    let z = (m1 - m2) / s2;
    ratio_gap(s1, s2) + 0.5 * d * d + 0.5 * z * z
}

/// `KL(Gamma(a1, b1) ‖ Gamma(a2, b2))`, shape/rate.
fn gamma_gamma(a1: f64, b1: f64, a2: f64, b2: f64) -> f64 {
    (a1 - a2) * digamma(a1) - ln_gamma(a1)
        + ln_gamma(a2)
        + a2 * (b1 / b2).ln()
        + a1 * (b2 / b1 - 1.0)
}

/// `E[−ln q(X)] − H(P)` against `N(μ, σ)` for a P with entropy `entropy`, mean `mean` and
/// variance `variance`: `−H(P) + ½ ln(2πσ²) + (Var P + (E P − μ)²)/(2σ²)`.
fn against_normal(entropy: f64, mean: f64, variance: f64, q: &Normal) -> f64 {
    let (mu, sigma) = normal_params(q);
    let d = (mean - mu) / sigma;
    -entropy
        + statrs::consts::LN_SQRT_2PI
        + sigma.ln()
        + 0.5 * (variance / (sigma * sigma))
        + 0.5 * d * d
}

/// `KL(Weibull(k₁, λ₁) ‖ Weibull(k₂, λ₂))`, shape/scale (the formula of the Weibull impl).
fn weibull_weibull(k1: f64, l1: f64, k2: f64, l2: f64) -> f64 {
    let log_scale_ratio = (l1 / l2).ln();
    (k1 / k2).ln() - k2 * log_scale_ratio
        + EULER_MASCHERONI * (k2 - k1) / k1
        + (k2 * log_scale_ratio + ln_gamma(1.0 + k2 / k1)).exp()
        - 1.0
}

/// `KL(Geometric(p) ‖ Geometric(q))` on trials `1, 2, …`:
/// `ln(p/q) + ((1 − p)/p) ln((1 − p)/(1 − q))`.
fn geometric_kl(p1: f64, p2: f64) -> f64 {
    (p1 / p2).ln() + complement_term(p1, p2) / p1
}

/// `E[ln X]` for `X ~ U(a, b)`, `0 ≤ a < b`: `(b ln b − a ln a)/(b − a) − 1`, written as
/// `ln b − 1 + ln(1 + t)/t` with `t = (b − a)/a` (`ln b − 1` when `a = 0`).
fn uniform_mean_ln(a: f64, b: f64) -> f64 {
    if a == 0.0 {
        b.ln() - 1.0
    } else {
        let t = (b - a) / a;
        b.ln() - 1.0 + t.ln_1p() / t
    }
}

// ---------------------------------------------------------------------------------------------
// Continuous, same family.
// ---------------------------------------------------------------------------------------------

/// Normal `N(μ₁, σ₁)` against normal `N(μ₂, σ₂)` (statrs: mean and standard deviation):
///
/// ```text
/// KL = ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²) / (2σ₂²) − 1/2
/// ```
///
/// Always finite for finite parameters. Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(5.0, 4.0)?;
/// assert!((p.kl_divergence(&q) - 1.0993971805599454).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Normal> for Normal {
    fn kl_divergence(&self, q: &Normal) -> f64 {
        let (m1, s1) = normal_params(self);
        let (m2, s2) = normal_params(q);
        same_family(&[m1, s1], &[m2, s2], || normal_normal(m1, s1, m2, s2))
    }
}

/// Log-normal against log-normal; statrs's `LogNormal::new(μ, σ)` takes the mean and standard
/// deviation of `ln X`. KL is unchanged by the map `x ↦ ln x`, so this is the normal formula:
///
/// ```text
/// KL = ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²) / (2σ₂²) − 1/2
/// ```
///
/// Reference value below: mpmath quadrature of the log-normal densities, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::LogNormal;
///
/// let p = LogNormal::new(0.0, 1.0)?;
/// let q = LogNormal::new(0.5, 2.0)?;
/// assert!((p.kl_divergence(&q) - 0.34939718055994530).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<LogNormal> for LogNormal {
    fn kl_divergence(&self, q: &LogNormal) -> f64 {
        let (m1, s1) = (self.location(), self.scale());
        let (m2, s2) = (q.location(), q.scale());
        same_family(&[m1, s1], &[m2, s2], || normal_normal(m1, s1, m2, s2))
    }
}

/// Exponential against exponential; statrs's `Exp::new(λ)` takes the **rate** (mean `1/λ`):
///
/// ```text
/// KL = ln(λ₁/λ₂) + λ₂/λ₁ − 1
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Exp;
///
/// let p = Exp::new(2.0)?;
/// let q = Exp::new(0.5)?;
/// assert!((p.kl_divergence(&q) - 0.63629436111989061).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Exp> for Exp {
    fn kl_divergence(&self, q: &Exp) -> f64 {
        let (l1, l2) = (self.rate(), q.rate());
        // = r − 1 − ln r with r = λ₂/λ₁.
        same_family(&[l1], &[l2], || ratio_gap(l2, l1))
    }
}

/// Gamma against gamma; statrs's `Gamma::new(α, β)` takes **shape and rate** (mean `α/β`):
///
/// ```text
/// KL = (α₁ − α₂) ψ(α₁) − ln Γ(α₁) + ln Γ(α₂) + α₂ ln(β₁/β₂) + α₁ (β₂ − β₁)/β₁
/// ```
///
/// `ψ` is the digamma function. Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Gamma;
///
/// let p = Gamma::new(2.0, 1.0)?;
/// let q = Gamma::new(3.0, 2.0)?;
/// assert!((p.kl_divergence(&q) - 0.19092130378164224).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gamma> for Gamma {
    fn kl_divergence(&self, q: &Gamma) -> f64 {
        let (a1, b1, a2, b2) = (self.shape(), self.rate(), q.shape(), q.rate());
        same_family(&[a1, b1], &[a2, b2], || gamma_gamma(a1, b1, a2, b2))
    }
}

/// Beta against beta; statrs's `Beta::new(a, b)` takes the two shapes (α, β), density
/// `x^(a−1) (1−x)^(b−1) / B(a, b)` on `[0, 1]`:
///
/// ```text
/// KL = ln B(a₂, b₂) − ln B(a₁, b₁) + (a₁ − a₂) ψ(a₁) + (b₁ − b₂) ψ(b₁)
///      + (a₂ − a₁ + b₂ − b₁) ψ(a₁ + b₁),          ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b)
/// ```
///
/// Both supports are `[0, 1]`, so it is finite for every pair, also for shapes below 1 where
/// the densities have poles. Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Beta;
///
/// let p = Beta::new(2.0, 3.0)?;
/// let q = Beta::new(0.5, 0.5)?;
/// assert!((p.kl_divergence(&q) - 0.54630320230406715).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Beta> for Beta {
    fn kl_divergence(&self, q: &Beta) -> f64 {
        let (a1, b1, a2, b2) = (self.shape_a(), self.shape_b(), q.shape_a(), q.shape_b());
        same_family(&[a1, b1], &[a2, b2], || {
            let ln_beta = |a: f64, b: f64| ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b);
            ln_beta(a2, b2) - ln_beta(a1, b1)
                + (a1 - a2) * digamma(a1)
                + (b1 - b2) * digamma(b1)
                + (a2 - a1 + b2 - b1) * digamma(a1 + b1)
        })
    }
}

/// Laplace against Laplace; statrs's `Laplace::new(μ, b)` takes **location and scale**, density
/// `e^(−|x−μ|/b) / (2b)`:
///
/// ```text
/// KL = ln(b₂/b₁) + |μ₁ − μ₂|/b₂ + (b₁/b₂) e^(−|μ₁ − μ₂|/b₁) − 1
/// ```
///
/// Reference value below: mpmath quadrature split at both locations, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Laplace;
///
/// let p = Laplace::new(0.0, 1.0)?;
/// let q = Laplace::new(1.0, 2.0)?;
/// assert!((p.kl_divergence(&q) - 0.37708690114566647).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Laplace> for Laplace {
    fn kl_divergence(&self, q: &Laplace) -> f64 {
        let (m1, b1, m2, b2) = (self.location(), self.scale(), q.location(), q.scale());
        same_family(&[m1, b1], &[m2, b2], || {
            let d = (m1 - m2).abs();
            (b2 / b1).ln() + d / b2 + (b1 / b2) * (-d / b1).exp() - 1.0
        })
    }
}

/// Cauchy against Cauchy; statrs's `Cauchy::new(x₀, γ)` takes **location and scale**:
///
/// ```text
/// KL = ln( ((γ₁ + γ₂)² + (x₁ − x₂)²) / (4 γ₁ γ₂) )
///    = ln(1 + ((γ₁ − γ₂)² + (x₁ − x₂)²) / (4 γ₁ γ₂))      (the form computed)
/// ```
///
/// Symmetric in P and Q, and finite although neither has a mean. Reference value below: mpmath
/// quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Cauchy;
///
/// let p = Cauchy::new(0.0, 1.0)?;
/// let q = Cauchy::new(1.0, 2.0)?;
/// assert!((p.kl_divergence(&q) - (10.0f64 / 8.0).ln()).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Cauchy> for Cauchy {
    fn kl_divergence(&self, q: &Cauchy) -> f64 {
        let (x1, g1, x2, g2) = (self.location(), self.scale(), q.location(), q.scale());
        same_family(&[x1, g1], &[x2, g2], || {
            // Divide by 2√(γ₁γ₂) before squaring, so large parameters do not overflow.
            let norm = 2.0 * g1.sqrt() * g2.sqrt();
            let (u, v) = ((g1 - g2) / norm, (x1 - x2) / norm);
            (u * u + v * v).ln_1p()
        })
    }
}

/// Gumbel (maximum) against Gumbel; statrs's `Gumbel::new(μ, β)` takes **location and scale**,
/// density `(1/β) e^(−z − e^(−z))`, `z = (x − μ)/β`:
///
/// ```text
/// KL = ln(β₂/β₁) + (μ₁ − μ₂)/β₂ + γ (β₁/β₂ − 1) + e^((μ₂ − μ₁)/β₂) Γ(1 + β₁/β₂) − 1
/// ```
///
/// `γ` is the Euler–Mascheroni constant. It follows from `E[z₁] = γ` and `e^(−z₁) ~ Exp(1)`
/// under P, so `E[e^(−t z₁)] = Γ(1 + t)`. The last term is computed as one exponential of a sum
/// of logarithms, so it overflows to `+∞` (the right limit) rather than to `∞ · 0`.
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Gumbel;
///
/// let p = Gumbel::new(0.0, 1.0)?;
/// let q = Gumbel::new(1.0, 2.0)?;
/// assert!((p.kl_divergence(&q) - 0.36568053077031781).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Gumbel> for Gumbel {
    fn kl_divergence(&self, q: &Gumbel) -> f64 {
        let (m1, b1, m2, b2) = (self.location(), self.scale(), q.location(), q.scale());
        same_family(&[m1, b1], &[m2, b2], || {
            let t = b1 / b2;
            (b2 / b1).ln()
                + (m1 - m2) / b2
                + EULER_MASCHERONI * (t - 1.0)
                + ((m2 - m1) / b2 + ln_gamma(1.0 + t)).exp()
                - 1.0
        })
    }
}

/// Weibull against Weibull; statrs's `Weibull::new(k, λ)` takes **shape and scale**, density
/// `(k/λ)(x/λ)^(k−1) e^(−(x/λ)^k)` on `x ≥ 0`:
///
/// ```text
/// KL = ln(k₁/k₂) + k₂ ln(λ₂/λ₁) + γ (k₂ − k₁)/k₁ + (λ₁/λ₂)^k₂ Γ(1 + k₂/k₁) − 1
/// ```
///
/// `γ` is the Euler–Mascheroni constant; it follows from `E[ln X] = ln λ₁ − γ/k₁` and
/// `E[X^s] = λ₁^s Γ(1 + s/k₁)` under P. Finite for every pair (shapes below 1, whose densities
/// have a pole at 0, included). With `k₁ = k₂ = 1` it is the exponential formula with rates
/// `1/λ`. Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Weibull;
///
/// let p = Weibull::new(2.0, 1.0)?;
/// let q = Weibull::new(1.5, 2.0)?;
/// assert!((p.kl_divergence(&q) - 0.50803659960096004).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Weibull> for Weibull {
    fn kl_divergence(&self, q: &Weibull) -> f64 {
        let (k1, l1, k2, l2) = (self.shape(), self.scale(), q.shape(), q.scale());
        same_family(&[k1, l1], &[k2, l2], || weibull_weibull(k1, l1, k2, l2))
    }
}

/// Pareto against Pareto; statrs's `Pareto::new(m, α)` takes **scale (the minimum `m`) and
/// shape**, density `α m^α / x^(α+1)` on `x ≥ m`:
///
/// ```text
/// KL = ln(α₁/α₂) + α₂ ln(m₁/m₂) + α₂/α₁ − 1      if m₁ ≥ m₂
/// KL = +∞                                          if m₁ < m₂ (P has mass below Q's minimum)
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Pareto;
///
/// let p = Pareto::new(1.0, 3.0)?;
/// let q = Pareto::new(0.5, 2.0)?;
/// assert!((p.kl_divergence(&q) - 1.45842613589472167).abs() < 1e-15);
/// // Q's minimum 2 is above P's minimum 1: P has mass on [1, 2), Q none.
/// assert_eq!(p.kl_divergence(&Pareto::new(2.0, 3.0)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Pareto> for Pareto {
    fn kl_divergence(&self, q: &Pareto) -> f64 {
        let (m1, a1, m2, a2) = (self.scale(), self.shape(), q.scale(), q.shape());
        same_family(&[m1, a1], &[m2, a2], || {
            if m1 < m2 {
                f64::INFINITY
            } else {
                // ln(α₁/α₂) + α₂/α₁ − 1 = r − 1 − ln r with r = α₂/α₁.
                ratio_gap(a2, a1) + a2 * (m1 / m2).ln()
            }
        })
    }
}

/// Uniform against uniform; statrs's `Uniform::new(a, b)` takes **min and max**:
///
/// ```text
/// KL = ln((b₂ − a₂)/(b₁ − a₁))      if [a₁, b₁] ⊆ [a₂, b₂]
/// KL = +∞                            otherwise (P has mass outside Q's interval)
/// ```
///
/// Hand computation: the density ratio is constant on P's interval.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Uniform;
///
/// let p = Uniform::new(0.0, 1.0)?;
/// let q = Uniform::new(-1.0, 2.0)?;
/// assert!((p.kl_divergence(&q) - 3f64.ln()).abs() < 1e-15);
/// // U(0, 2) against U(0, 1): half of P's mass is where Q has none.
/// assert_eq!(Uniform::new(0.0, 2.0)?.kl_divergence(&p), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Uniform> for Uniform {
    fn kl_divergence(&self, q: &Uniform) -> f64 {
        let (a1, b1, a2, b2) = (self.min(), self.max(), q.min(), q.max());
        same_family(&[a1, b1], &[a2, b2], || {
            if a1 < a2 || b1 > b2 {
                f64::INFINITY
            } else {
                ((b2 - a2) / (b1 - a1)).ln()
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Discrete, same family.
// ---------------------------------------------------------------------------------------------

/// Poisson against Poisson; statrs's `Poisson::new(λ)` takes the mean (rate):
///
/// ```text
/// KL = λ₁ ln(λ₁/λ₂) + λ₂ − λ₁
/// ```
///
/// Reference value below: mpmath sum of the pmfs, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Poisson;
///
/// let p = Poisson::new(3.0)?;
/// let q = Poisson::new(5.0)?;
/// assert!((p.kl_divergence(&q) - 0.46752312870202795).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Poisson> for Poisson {
    fn kl_divergence(&self, q: &Poisson) -> f64 {
        let (l1, l2) = (self.lambda(), q.lambda());
        // = λ₁ (r − 1 − ln r) with r = λ₂/λ₁.
        same_family(&[l1], &[l2], || l1 * ratio_gap(l2, l1))
    }
}

/// Bernoulli against Bernoulli; statrs's `Bernoulli::new(p)` takes the success probability:
///
/// ```text
/// KL = p ln(p/q) + (1 − p) ln((1 − p)/(1 − q))
/// ```
///
/// `p ∈ {0, 1}` is allowed: `0 ln 0 = 0`. `q ∈ {0, 1}` with P putting mass on the outcome Q
/// rules out gives `+∞`. Reference value below: mpmath, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Bernoulli;
///
/// let p = Bernoulli::new(0.3)?;
/// let q = Bernoulli::new(0.6)?;
/// assert!((p.kl_divergence(&q) - 0.18378689738681218).abs() < 1e-15);
/// // Q never succeeds, P sometimes does.
/// assert_eq!(p.kl_divergence(&Bernoulli::new(0.0)?), f64::INFINITY);
/// // P always succeeds: KL = ln(1/q).
/// let sure = Bernoulli::new(1.0)?;
/// assert!((sure.kl_divergence(&q) - (1.0f64 / 0.6).ln()).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Bernoulli> for Bernoulli {
    fn kl_divergence(&self, q: &Bernoulli) -> f64 {
        let (p1, p2) = (self.p(), q.p());
        same_family(&[p1], &[p2], || bernoulli_kl(p1, p2))
    }
}

/// Binomial against binomial; statrs's `Binomial::new(p, n)` takes the success probability and
/// the number of trials. With the same number of trials:
///
/// ```text
/// KL = n [p ln(p/q) + (1 − p) ln((1 − p)/(1 − q))]
/// ```
///
/// With different numbers of trials `n₁ ≠ n₂` there is no closed form:
///
/// - `+∞` when P's support is not inside Q's: P can reach more successes than Q allows
///   (`n₁ > n₂` with `p > 0`), or Q is certain (`q ∈ {0, 1}`) and P is not concentrated on
///   Q's one outcome;
/// - otherwise the finite sum `Σₖ P(k) [ln P(k) − ln Q(k)]`, computed term by term over the
///   `k` within `40 σ + 40` of P's mean `n₁p` (outside it P's mass is below `1e-26`), so it
///   costs `O(√n₁)` evaluations of `ln Γ`.
///
/// `p, q ∈ {0, 1}` follow the Bernoulli rules. Reference values below: mpmath sums of the
/// pmfs, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Binomial;
///
/// let p = Binomial::new(0.3, 10)?;
/// let q = Binomial::new(0.5, 10)?;
/// assert!((p.kl_divergence(&q) - 0.82282878505051740).abs() < 1e-14);
/// // Fewer trials in P: a finite sum.
/// let fewer = Binomial::new(0.3, 5)?;
/// assert!((fewer.kl_divergence(&q) - 2.7150520497335459).abs() < 1e-14);
/// // More trials in P: P can score 10 successes, Q at most 5.
/// assert_eq!(q.kl_divergence(&Binomial::new(0.5, 5)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Binomial> for Binomial {
    fn kl_divergence(&self, q: &Binomial) -> f64 {
        if self == q {
            return 0.0;
        }
        let (p1, n1, p2, n2) = (self.p(), self.n(), q.p(), q.n());
        cross_family(&[p1], &[p2], || {
            if n1 == n2 {
                if n1 == 0 {
                    // Both are the point mass at 0 whatever p and q are.
                    0.0
                } else {
                    n1 as f64 * bernoulli_kl(p1, p2)
                }
            } else {
                binomial_different_trials(self, q)
            }
        })
    }
}

/// `KL(Binomial(p, n₁) ‖ Binomial(q, n₂))` for `n₁ ≠ n₂`: the support check, then the sum over
/// P's bulk.
fn binomial_different_trials(p: &Binomial, q: &Binomial) -> f64 {
    let (p1, n1, p2, n2) = (p.p(), p.n(), q.p(), q.n());
    // P's support: {0} if p = 0 or n = 0, {n} if p = 1, else 0..=n; the same for Q.
    let support = |prob: f64, n: u64| -> (u64, u64) {
        if prob == 0.0 {
            (0, 0)
        } else if prob == 1.0 {
            (n, n)
        } else {
            (0, n)
        }
    };
    let (lo1, hi1) = support(p1, n1);
    let (lo2, hi2) = support(p2, n2);
    if lo1 < lo2 || hi1 > hi2 {
        return f64::INFINITY;
    }
    let mean = n1 as f64 * p1;
    let half_width = 40.0 * (mean * (1.0 - p1)).sqrt() + 40.0;
    if half_width > BINOMIAL_MAX_HALF_WIDTH {
        return binomial_asymptotic(p1, n1, p2, n2);
    }
    let first = ((mean - half_width).floor().max(lo1 as f64)) as u64;
    let last = ((mean + half_width).ceil().min(hi1 as f64)) as u64;
    same_family::bulk_sum(first, last, |k| p.ln_pmf(k), |k| q.ln_pmf(k))
}

/// Beyond this half-width of P's bulk (σ ≳ 5·10⁴, about a million terms) the sum gives way
/// to [`binomial_asymptotic`].
const BINOMIAL_MAX_HALF_WIDTH: f64 = 2e6;

/// `KL(Binomial(p₁, n₁) ‖ Binomial(p₂, n₂))` for `0 < p₁, p₂ < 1`, `n₂ = n₁ + d > n₁` and P's
/// standard deviation `σ = √(n₁p₁(1 − p₁))` so large that a sum over its bulk would have
/// millions of terms. With `μ = n₁p₁`, `m = n₁ − μ` and `D(a) = ln Γ(a + d) − ln Γ(a)`:
///
/// ```text
/// ln p(k) − ln q(k) = D(n₁ − k + 1) − D(n₁ + 1) + k ln(p₁/p₂) + (n₁ − k) ln(1 − p₁) − (n₂ − k) ln(1 − p₂)
/// KL ≈ D(m + 1) + ½σ² D″(m + 1) − D(n₁ + 1) + μ ln(p₁/p₂) + m ln(1 − p₁) − (m + d) ln(1 − p₂)
/// ```
///
/// the expectation of the smooth `D(n₁ − k + 1)` by its second-order expansion around the
/// mean (the next term is `O(d σ⁴/m⁴)`, below 10⁻¹⁵ relative here), `D″ = ψ′(a + d) − ψ′(a)`.
/// `D` is summed as `Σ ln(a + j)` for `d ≤ 64` so the difference of huge `ln Γ`s does not
/// cancel. The terms are each ~`n`, so the result carries an absolute rounding error of about
/// `ε · n₁`; it is clamped at 0 (a divergence is never negative).
fn binomial_asymptotic(p1: f64, n1: u64, p2: f64, n2: u64) -> f64 {
    use statrs::function::gamma::ln_gamma;
    let d = n2 - n1;
    let df = d as f64;
    let n1f = n1 as f64;
    let mean = n1f * p1;
    let m = n1f * (1.0 - p1);
    let variance = mean * (1.0 - p1);
    let lgd = |a: f64| {
        if d <= 64 {
            (0..d).map(|j| (a + j as f64).ln()).sum::<f64>()
        } else {
            ln_gamma(a + df) - ln_gamma(a)
        }
    };
    // ψ′(x) ≈ 1/x + 1/(2x²) + 1/(6x³) − 1/(30x⁵) for the large x met here (x > 10⁹).
    let trigamma = |x: f64| {
        let r = 1.0 / x;
        r + r * r * (0.5 + r * (1.0 / 6.0 - r * r / 30.0))
    };
    let d2 = trigamma(m + 1.0 + df) - trigamma(m + 1.0);
    let kl = lgd(m + 1.0) + 0.5 * variance * d2 - lgd(n1f + 1.0)
        + mean * (p1 / p2).ln()
        + m * (-p1).ln_1p()
        - (m + df) * (-p2).ln_1p();
    kl.max(0.0)
}

/// Geometric against geometric; statrs's `Geometric::new(p)` counts the **trials up to and
/// including the first success**, support `1, 2, …`, pmf `(1 − p)^(k−1) p`:
///
/// ```text
/// KL = ln(p/q) + ((1 − p)/p) ln((1 − p)/(1 − q))
/// ```
///
/// `p = 1` (success at once) gives `ln(1/q)`; `q = 1` with `p < 1` gives `+∞` (Q rules out
/// every `k ≥ 2`). Reference value below: mpmath sum of the pmfs, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Geometric;
///
/// let p = Geometric::new(0.3)?;
/// let q = Geometric::new(0.6)?;
/// assert!((p.kl_divergence(&q) - 0.61262299128937362).abs() < 1e-15);
/// assert_eq!(p.kl_divergence(&Geometric::new(1.0)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Geometric> for Geometric {
    fn kl_divergence(&self, q: &Geometric) -> f64 {
        let (p1, p2) = (self.p(), q.p());
        same_family(&[p1], &[p2], || geometric_kl(p1, p2))
    }
}

/// Categorical against categorical; statrs's `Categorical::new(w)` takes non-negative weights
/// and **normalises** them, `pᵢ = wᵢ / Σw` over outcomes `0, 1, …`. The normalised pmfs
/// (read back with `pmf(i)`) go to [`crate::discrete::kl_divergence`]:
///
/// ```text
/// KL = Σᵢ pᵢ ln(pᵢ/qᵢ),       0 ln(0/q) = 0,   p ln(p/0) = +∞ for p > 0
/// ```
///
/// Categoricals with different numbers of outcomes are compared over the longer list, the
/// shorter one having mass 0 on the extra outcomes. statrs accepts weights whose sum overflows
/// to `∞` and then stores an all-zero pmf that is no distribution; against such a Q, or from
/// such a P, the result is `+∞` (0 if both pmfs are the same). Infinite weights (statrs stores
/// `∞/∞ = NaN` for them) are read as their limit, the mass shared equally among the infinite
/// ones, so identical such inputs give 0. Reference value below: mpmath, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Categorical;
///
/// let p = Categorical::new(&[1.0, 2.0, 3.0])?; // (1/6, 2/6, 3/6)
/// let q = Categorical::new(&[3.0, 2.0, 1.0])?;
/// assert!((p.kl_divergence(&q) - 0.36620409622270323).abs() < 1e-15);
/// // Q rules out outcome 2, which P allows.
/// assert_eq!(p.kl_divergence(&Categorical::new(&[1.0, 1.0, 0.0])?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Categorical> for Categorical {
    fn kl_divergence(&self, q: &Categorical) -> f64 {
        let outcomes = self.max().max(q.max()) + 1;
        // statrs stores ∞/∞ = NaN for an infinite weight (and 0 for the finite ones beside it):
        // the limit of such weights shares the mass equally among the infinite ones.
        let masses = |d: &Categorical| -> Vec<f64> {
            let m: Vec<f64> = (0..outcomes).map(|i| d.pmf(i)).collect();
            let infinite = m.iter().filter(|x| x.is_nan()).count();
            if infinite == 0 {
                return m;
            }
            let share = 1.0 / infinite as f64;
            m.iter()
                .map(|x| if x.is_nan() { share } else { 0.0 })
                .collect()
        };
        let (p_mass, q_mass) = (masses(self), masses(q));
        if p_mass
            .iter()
            .zip(&q_mass)
            .all(|(a, b)| a.to_bits() == b.to_bits())
        {
            return 0.0;
        }
        crate::discrete::kl_divergence(&p_mass, &q_mass).map_or(f64::INFINITY, tidy)
    }
}

// ---------------------------------------------------------------------------------------------
// Multivariate.
// ---------------------------------------------------------------------------------------------

/// Dirichlet against Dirichlet; statrs's `Dirichlet::new(α)` takes the concentrations
/// `α₁, …, α_K` (all > 0, `K ≥ 2`), `α₀ = Σ αᵢ`:
///
/// ```text
/// KL = ln Γ(α₀) − Σᵢ ln Γ(αᵢ) − ln Γ(β₀) + Σᵢ ln Γ(βᵢ) + Σᵢ (αᵢ − βᵢ)(ψ(αᵢ) − ψ(α₀))
/// ```
///
/// With `K = 2` it is the Beta formula. Different `K` (possible with `Dyn`): `+∞`, the two live
/// on different simplices. Reference value below: the same formula in mpmath at 20 digits;
/// the tests check the formula by Monte Carlo and against Beta.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Dirichlet;
///
/// let p = Dirichlet::new(vec![1.0, 2.0, 3.0])?;
/// let q = Dirichlet::new(vec![2.0, 2.0, 2.0])?;
/// assert!((p.kl_divergence(&q) - 0.80685281944005469).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<D> KlDivergence<Dirichlet<D>> for Dirichlet<D>
where
    D: Dim,
    DefaultAllocator: Allocator<D>,
{
    fn kl_divergence(&self, q: &Dirichlet<D>) -> f64 {
        let (a, b) = (self.alpha(), q.alpha());
        if a.len() != b.len() {
            return f64::INFINITY;
        }
        same_family(a.as_slice(), b.as_slice(), || {
            let (a0, b0) = (a.sum(), b.sum());
            let digamma_a0 = digamma(a0);
            let terms: f64 = a
                .iter()
                .zip(b.iter())
                .map(|(&ai, &bi)| {
                    ln_gamma(bi) - ln_gamma(ai) + (ai - bi) * (digamma(ai) - digamma_a0)
                })
                .sum();
            ln_gamma(a0) - ln_gamma(b0) + terms
        })
    }
}

/// Multivariate normal against multivariate normal; statrs's `MultivariateNormal` holds the
/// mean `μ` and covariance `Σ` (dimension `k`):
///
/// ```text
/// KL = ½ [ tr(Σ₂⁻¹ Σ₁) + (μ₂ − μ₁)ᵀ Σ₂⁻¹ (μ₂ − μ₁) − k + ln det Σ₂ − ln det Σ₁ ]
/// ```
///
/// Computed through the Cholesky factors `Σ = L Lᵀ` that statrs keeps, never an explicit
/// inverse: `tr(Σ₂⁻¹Σ₁) = ‖L₂⁻¹ L₁‖²_F` and the quadratic form `‖L₂⁻¹(μ₂ − μ₁)‖²` by
/// triangular solves, `ln det Σ = 2 Σᵢ ln Lᵢᵢ`. Different dimensions (possible with `Dyn`):
/// `+∞`. Non-finite means or covariances: 0 if P and Q are equal, else `+∞`. Reference value
/// below: the formula with an explicit inverse in mpmath at 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::MultivariateNormal;
///
/// let p = MultivariateNormal::new(vec![0.0, 0.0], vec![2.0, 0.5, 0.5, 1.0])?;
/// let q = MultivariateNormal::new(vec![1.0, -1.0], vec![1.0, 0.0, 0.0, 3.0])?;
/// assert!((p.kl_divergence(&q) - 1.10283158369967684).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<D> KlDivergence<MultivariateNormal<D>> for MultivariateNormal<D>
where
    D: DimMin<D, Output = D>,
    DefaultAllocator: Allocator<D> + Allocator<D, D>,
{
    fn kl_divergence(&self, q: &MultivariateNormal<D>) -> f64 {
        if self == q {
            return 0.0;
        }
        let (mu1, mu2) = (self.mu(), q.mu());
        if mu1.len() != mu2.len() {
            return f64::INFINITY;
        }
        // statrs stores L with zeros above the diagonal; `lower_triangle` makes sure of it.
        let l1 = self.clone_cov_chol_decomp().lower_triangle();
        let l2 = q.clone_cov_chol_decomp().lower_triangle();
        let finite = |v: &f64| v.is_finite();
        if !(mu1.iter().all(finite)
            && mu2.iter().all(finite)
            && l1.iter().all(finite)
            && l2.iter().all(finite))
        {
            return f64::INFINITY;
        }
        let Some(m) = l2.solve_lower_triangular(&l1) else {
            return f64::INFINITY;
        };
        let Some(z) = l2.solve_lower_triangular(&(mu2 - mu1)) else {
            return f64::INFINITY;
        };
        let trace = m.norm_squared();
        let quadratic = z.norm_squared();
        let ln_det1: f64 = l1.diagonal().iter().map(|d| d.ln()).sum();
        let ln_det2: f64 = l2.diagonal().iter().map(|d| d.ln()).sum();
        let k = mu1.len() as f64;
        tidy(0.5 * (trace + quadratic - k) + ln_det2 - ln_det1)
    }
}

// ---------------------------------------------------------------------------------------------
// Across families.
// ---------------------------------------------------------------------------------------------

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
