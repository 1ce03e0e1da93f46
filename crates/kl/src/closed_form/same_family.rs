//! Same-family pairs beyond the first registry: the gamma relatives (Chi, ChiSquared, Erlang,
//! InverseGamma), the negative binomial, the discrete uniform and the multinomial.
//!
//! The gamma relatives are the gamma formula after a change of variables that KL does not see
//! (`x ↦ x²` for Chi, `x ↦ 1/x` for InverseGamma), so they share its code and its accuracy.

use nalgebra::allocator::Allocator;
use nalgebra::{DefaultAllocator, Dim};
use statrs::distribution::{
    Chi, ChiSquared, Discrete, DiscreteUniform, Erlang, InverseGamma, Multinomial, NegativeBinomial,
};

use super::{KlDivergence, gamma_gamma, geometric_kl, same_family, tidy};

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

/// Negative binomial against negative binomial; statrs's `NegativeBinomial::new(r, p)` counts
/// the **failures** before the `r`-th success (`r ≥ 0` real), pmf
/// `Γ(k + r)/(k! Γ(r)) p^r (1 − p)^k` on `k = 0, 1, …`. With the same `r`, the `Γ` factors
/// cancel and `E[k] = r(1 − p)/p`:
///
/// ```text
/// KL = r [ln(p₁/p₂) + ((1 − p₁)/p₁) ln((1 − p₁)/(1 − p₂))]      (r times the geometric formula)
/// ```
///
/// With different `r` the `Γ(k + r)` factors do not cancel and there is no closed form: both
/// supports are all of `0, 1, …`, so the divergence is finite, and it is the sum
/// `Σₖ P(k) [ln P(k) − ln Q(k)]` over P's bulk, `k ≤ E[k] + 40σ + 60/(−ln(1 − p₁))` (beyond it
/// P's mass is below `e^(−40)`·10⁻⁹), `O(1/p₁)` terms. Limits: `p = 1` (or `r = 0`) is the point
/// mass at 0; `p = 0` with `r > 0` is no distribution (all mass escapes to infinity): `+∞`
/// unless both are the same. Reference values below: mpmath sums of the pmfs, 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::NegativeBinomial;
///
/// let p = NegativeBinomial::new(3.0, 0.3)?;
/// let q = NegativeBinomial::new(3.0, 0.6)?;
/// assert!((p.kl_divergence(&q) - 1.8378689738681229).abs() < 1e-14);
/// let other_r = NegativeBinomial::new(5.0, 0.6)?;
/// assert!((p.kl_divergence(&other_r) - 0.84563558425814158).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<NegativeBinomial> for NegativeBinomial {
    fn kl_divergence(&self, q: &NegativeBinomial) -> f64 {
        let (r1, p1, r2, p2) = (self.r(), self.p(), q.r(), q.p());
        same_family(&[r1, p1], &[r2, p2], || {
            // Point masses at 0 first: r = 0 or p = 1.
            let at_zero = |r: f64, p: f64| r == 0.0 || p == 1.0;
            if at_zero(r1, p1) {
                // KL = −ln Q(0) = −r₂ ln p₂.
                return if at_zero(r2, p2) { 0.0 } else { -r2 * p2.ln() };
            }
            if p1 == 0.0 || p2 == 0.0 || at_zero(r2, p2) {
                return f64::INFINITY;
            }
            if r1 == r2 {
                r1 * geometric_kl(p1, p2)
            } else {
                let mean = r1 * (1.0 - p1) / p1;
                let sd = (r1 * (1.0 - p1)).sqrt() / p1;
                let decay = -(-p1).ln_1p();
                let last = (mean + 40.0 * sd + 60.0 / decay).ceil().min(1e12) as u64;
                bulk_sum(0, last, |k| self.ln_pmf(k), |k| q.ln_pmf(k))
            }
        })
    }
}

/// `Σ_{k = first}^{last} P(k) (ln P(k) − ln Q(k))` from two log-pmfs, `0` where `P(k) = 0`:
/// the sum the pairs without a closed form take over P's bulk.
pub(super) fn bulk_sum(
    first: u64,
    last: u64,
    ln_p: impl Fn(u64) -> f64,
    ln_q: impl Fn(u64) -> f64,
) -> f64 {
    (first..=last)
        .map(|k| {
            let lp = ln_p(k);
            if lp == f64::NEG_INFINITY {
                0.0
            } else {
                lp.exp() * (lp - ln_q(k))
            }
        })
        .sum()
}

/// Discrete uniform against discrete uniform; statrs's `DiscreteUniform::new(a, b)` takes the
/// **min and max** (integers, both included), pmf `1/(b − a + 1)`:
///
/// ```text
/// KL = ln((b₂ − a₂ + 1)/(b₁ − a₁ + 1))      if [a₁, b₁] ⊆ [a₂, b₂]
/// KL = +∞                                    otherwise
/// ```
///
/// Hand computation: the pmf ratio is constant on P's support.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::DiscreteUniform;
///
/// let p = DiscreteUniform::new(0, 1)?;
/// let q = DiscreteUniform::new(-1, 4)?;
/// assert!((p.kl_divergence(&q) - 3f64.ln()).abs() < 1e-15);
/// assert_eq!(q.kl_divergence(&p), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<DiscreteUniform> for DiscreteUniform {
    fn kl_divergence(&self, q: &DiscreteUniform) -> f64 {
        let (a1, b1, a2, b2) = (self.min(), self.max(), q.min(), q.max());
        if a1 < a2 || b1 > b2 {
            return f64::INFINITY;
        }
        // Widths in i128: `b − a + 1` overflows an i64 for the full range.
        let width = |a: i64, b: i64| (i128::from(b) - i128::from(a) + 1) as f64;
        tidy((width(a2, b2) / width(a1, b1)).ln())
    }
}

/// Multinomial against multinomial; statrs's `Multinomial::new(p, n)` takes category weights
/// (normalised by statrs to probabilities `pᵢ`) and the number of trials `n`. The multinomial
/// coefficients cancel and `E[xᵢ] = n pᵢ`:
///
/// ```text
/// KL = n Σᵢ pᵢ ln(pᵢ/qᵢ)                     if n₁ = n₂ = n
/// KL = +∞                                   if n₁ ≠ n₂ (the counts sum to different totals)
/// ```
///
/// Different numbers of categories are compared over the longer list, the shorter one having
/// probability 0 on the extra categories (as for `Categorical`); `0 ln 0 = 0` and `pᵢ > 0 = qᵢ`
/// gives `+∞`. Reference value below: the exact sum over all count vectors in mpmath.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Multinomial;
///
/// let p = Multinomial::new(vec![1.0, 2.0, 3.0], 4)?;
/// let q = Multinomial::new(vec![3.0, 2.0, 1.0], 4)?;
/// assert!((p.kl_divergence(&q) - 4.0 * 0.36620409622270323).abs() < 1e-14);
/// assert_eq!(p.kl_divergence(&Multinomial::new(vec![3.0, 2.0, 1.0], 5)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<D> KlDivergence<Multinomial<D>> for Multinomial<D>
where
    D: Dim,
    DefaultAllocator: Allocator<D>,
{
    fn kl_divergence(&self, q: &Multinomial<D>) -> f64 {
        let (n1, n2) = (self.n(), q.n());
        if n1 != n2 {
            return f64::INFINITY;
        }
        if n1 == 0 {
            // Both are the point mass at the zero count vector.
            return 0.0;
        }
        let len = self.p().len().max(q.p().len());
        let padded = |v: &[f64]| -> Vec<f64> {
            (0..len).map(|i| v.get(i).copied().unwrap_or(0.0)).collect()
        };
        let (p, q) = (padded(self.p().as_slice()), padded(q.p().as_slice()));
        if p == q {
            return 0.0;
        }
        crate::discrete::kl_divergence(&p, &q).map_or(f64::INFINITY, |kl| tidy(n1 as f64 * kl))
    }
}
