//! Discrete families against themselves: Poisson, Bernoulli, Binomial, Geometric, Categorical,
//! the negative binomial and the discrete uniform.

use statrs::distribution::{
    Bernoulli, Binomial, Categorical, Discrete, DiscreteUniform, Geometric, NegativeBinomial,
    Poisson,
};
use statrs::statistics::Max;

use super::{KlDivergence, bernoulli_kl, cross_family, geometric_kl, ratio_gap, same_family, tidy};

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
    bulk_sum(first, last, |k| p.ln_pmf(k), |k| q.ln_pmf(k))
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
