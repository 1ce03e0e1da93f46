//! Continuous families against themselves: one impl per family, each with its formula in its
//! doc comment (statrs's parameterisation) and a reference value.
//!
//! The gamma relatives (Chi, ChiSquared, Erlang, InverseGamma) are the gamma formula after a
//! change of variables that KL does not see (`x ↦ x²` for Chi, `x ↦ 1/x` for InverseGamma), so
//! they share its code and its accuracy.

use statrs::consts::EULER_MASCHERONI;
use statrs::distribution::{
    Beta, Cauchy, Chi, ChiSquared, Erlang, Exp, Gamma, Gumbel, InverseGamma, Laplace, LogNormal,
    Normal, Pareto, Uniform, Weibull,
};
use statrs::function::gamma::{digamma, ln_gamma};

use super::{
    KlDivergence, gamma_gamma, normal_normal, normal_params, ratio_gap, same_family,
    weibull_weibull,
};

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

/// Chi against chi; statrs's `Chi::new(k)` takes the degrees of freedom (an integer ≥ 1),
/// density `x^(k−1) e^(−x²/2) / (2^(k/2−1) Γ(k/2))` on `x ≥ 0`. `X²` is `Gamma(k/2, ½)` (shape,
/// rate) and KL does not change under `x ↦ x²`, so with `a = k₁/2`, `c = k₂/2`:
///
/// ```text
/// KL = (a − c) ψ(a) − ln Γ(a) + ln Γ(c)
/// ```
///
/// Reference value below: mpmath quadrature of the chi densities, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Chi;
///
/// let p = Chi::new(3)?;
/// let q = Chi::new(1)?;
/// assert!((p.kl_divergence(&q) - 0.72963715453852183).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Chi> for Chi {
    fn kl_divergence(&self, q: &Chi) -> f64 {
        let (k1, k2) = (self.freedom() as f64, q.freedom() as f64);
        same_family(&[k1], &[k2], || gamma_gamma(0.5 * k1, 0.5, 0.5 * k2, 0.5))
    }
}

/// Chi-squared against chi-squared; statrs's `ChiSquared::new(k)` takes the degrees of freedom
/// (any `k > 0`). `ChiSquared(k)` is `Gamma(k/2, ½)` (shape, rate), so with `a = k₁/2`,
/// `c = k₂/2`:
///
/// ```text
/// KL = (a − c) ψ(a) − ln Γ(a) + ln Γ(c)
/// ```
///
/// Reference value below: mpmath quadrature of the chi-squared densities, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::ChiSquared;
///
/// let p = ChiSquared::new(3.0)?;
/// let q = ChiSquared::new(1.0)?;
/// assert!((p.kl_divergence(&q) - 0.72963715453852183).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<ChiSquared> for ChiSquared {
    fn kl_divergence(&self, q: &ChiSquared) -> f64 {
        let (k1, k2) = (self.freedom(), q.freedom());
        same_family(&[k1], &[k2], || gamma_gamma(0.5 * k1, 0.5, 0.5 * k2, 0.5))
    }
}

/// Erlang against Erlang; statrs's `Erlang::new(k, λ)` takes an integer **shape and a rate**;
/// it is `Gamma(k, λ)`:
///
/// ```text
/// KL = (k₁ − k₂) ψ(k₁) − ln Γ(k₁) + ln Γ(k₂) + k₂ ln(λ₁/λ₂) + k₁ (λ₂ − λ₁)/λ₁
/// ```
///
/// Reference value below: mpmath quadrature, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Erlang;
///
/// let p = Erlang::new(2, 1.0)?;
/// let q = Erlang::new(3, 2.0)?;
/// assert!((p.kl_divergence(&q) - 0.19092130378164224).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Erlang> for Erlang {
    fn kl_divergence(&self, q: &Erlang) -> f64 {
        let (a1, b1) = (self.shape() as f64, self.rate());
        let (a2, b2) = (q.shape() as f64, q.rate());
        same_family(&[a1, b1], &[a2, b2], || gamma_gamma(a1, b1, a2, b2))
    }
}

/// Inverse gamma against inverse gamma; statrs's `InverseGamma::new(α, β)` takes **shape and
/// rate**, density `β^α x^(−α−1) e^(−β/x) / Γ(α)`. `1/X` is `Gamma(α, β)` and KL does not change
/// under `x ↦ 1/x`, so it is the gamma formula:
///
/// ```text
/// KL = (α₁ − α₂) ψ(α₁) − ln Γ(α₁) + ln Γ(α₂) + α₂ ln(β₁/β₂) + α₁ (β₂ − β₁)/β₁
/// ```
///
/// Reference value below: mpmath quadrature of the inverse-gamma densities, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::InverseGamma;
///
/// let p = InverseGamma::new(2.0, 1.0)?;
/// let q = InverseGamma::new(3.0, 2.0)?;
/// assert!((p.kl_divergence(&q) - 0.19092130378164224).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<InverseGamma> for InverseGamma {
    fn kl_divergence(&self, q: &InverseGamma) -> f64 {
        let (a1, b1, a2, b2) = (self.shape(), self.rate(), q.shape(), q.rate());
        same_family(&[a1, b1], &[a2, b2], || gamma_gamma(a1, b1, a2, b2))
    }
}
