//! KL's family: Rényi divergences, f-divergences (Hellinger, total variation, χ², any convex
//! `f`) and mutual information, in nats.
//!
//! Probability vectors follow the rules of [`crate::discrete`] (validated by the same code:
//! empty, length mismatch, NaN/±∞, negative entries and sums away from 1 are errors that name
//! the argument and index). Continuous pairs use statrs types, as [`crate::closed_form`] does.
//!
//! | divergence | formula | relation |
//! |---|---|---|
//! | Rényi, order α | `D_α = 1/(α−1) ln Σ pᵢ^α qᵢ^{1−α}` | `D_1 = KL`, increasing in α |
//! | Hellinger | `H² = ½ Σ (√pᵢ − √qᵢ)²` | `D_{1/2} = −2 ln(1 − H²)` |
//! | total variation | `TV = ½ Σ |pᵢ − qᵢ|` | Pinsker: `TV ≤ √(KL/2)` |
//! | χ² (Pearson) | `χ² = Σ (pᵢ − qᵢ)² / qᵢ` | `D_2 = ln(1 + χ²)` |
//! | f-divergence | `D_f = Σ qᵢ f(pᵢ/qᵢ)` | `f(t) = t ln t` gives KL |
//! | mutual information | `I = KL(P_XY ‖ P_X P_Y)` | `≥ 0`, `= 0` iff independent |

use ndarray::ArrayView2;
use statrs::distribution::{Exp, Normal};

use crate::closed_form::normal_params;
use crate::discrete;
use crate::error::{Error, Result};

/// Validates a pair of probability vectors by the rules of [`crate::discrete`] (the same
/// single-pass checks; Jensen–Shannon is always finite, so only an error can come out).
fn validate(p: &[f64], q: &[f64]) -> Result<()> {
    discrete::js_divergence(p, q).map(|_| ())
}

/// Refuses an order α that is NaN or negative; `+∞` is allowed.
fn check_alpha(alpha: f64) -> Result<()> {
    if alpha.is_nan() || alpha < 0.0 {
        return Err(Error::InvalidParameter {
            name: "alpha",
            value: alpha,
            reason: "the order of a Rényi divergence must be ≥ 0 (or +∞)",
        });
    }
    Ok(())
}

/// The Rényi divergence of order α of `q` from `p`, in nats:
///
/// ```text
/// D_α(P‖Q) = 1/(α − 1) · ln( Σᵢ pᵢ^α qᵢ^{1−α} / Σᵢ pᵢ )        α ∈ (0, 1) ∪ (1, ∞)
/// D_1 = KL(P‖Q),   D_0 = −ln Q(pᵢ > 0),   D_∞ = ln maxᵢ (pᵢ/qᵢ)
/// ```
///
/// # Remarks
/// - α = 1 is [`discrete::kl_divergence`] exactly; α = 0 and α = +∞ are the limits above
///   (over the outcomes with `pᵢ > 0`). `D_α` is non-decreasing in α.
/// - Near α = 1 the sum is taken as `ln(1 + Σ pᵢ expm1((α−1) ln(pᵢ/qᵢ)) / Σ pᵢ) / (α − 1)`,
///   which tends to KL without cancellation; far from 1, as a log-sum-exp, so nothing overflows.
///   (Dividing by `Σ pᵢ`, Rényi's own definition for incomplete distributions, keeps the
///   `10⁻⁶` slack of [`discrete::SUM_TOLERANCE`] from being amplified by `1/(α − 1)`.)
/// - Zeros: `pᵢ = 0` contributes 0; `qᵢ = 0` where `pᵢ > 0` gives `+∞` for α ≥ 1 and
///   contributes 0 for α < 1 (then `+∞` only if the supports are disjoint).
/// - Never below 0: a rounding residue below 0 (e.g. α = 0 with `Σ qᵢ` a hair under 1) is 0.
/// - Errors: α NaN or negative is [`Error::InvalidParameter`]; bad vectors as in
///   [`discrete::kl_divergence`].
///
/// ```
/// use kl::divergences::renyi_divergence;
///
/// let p = [0.5, 0.5];
/// let q = [0.9, 0.1];
/// let kl = kl::discrete::kl_divergence(&p, &q)?;
/// assert_eq!(renyi_divergence(&p, &q, 1.0)?, kl);
/// assert!((renyi_divergence(&p, &q, 1.0 + 1e-9)? - kl).abs() < 1e-9);
/// // α = 2: ln Σ p²/q = ln(0.25/0.9 + 0.25/0.1)
/// let d2 = renyi_divergence(&p, &q, 2.0)?;
/// assert!((d2 - (0.25f64 / 0.9 + 2.5).ln()).abs() < 1e-15);
/// assert!(renyi_divergence(&p, &q, 0.5)? < kl && kl < d2);
/// assert!((renyi_divergence(&p, &q, f64::INFINITY)? - 5f64.ln()).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn renyi_divergence(p: &[f64], q: &[f64], alpha: f64) -> Result<f64> {
    check_alpha(alpha)?;
    if alpha == 1.0 {
        return discrete::kl_divergence(p, q);
    }
    validate(p, q)?;
    // ln(pᵢ/qᵢ) over the outcomes with pᵢ > 0 (+∞ where qᵢ = 0).
    let support = p.iter().zip(q).filter(|(pi, _)| **pi > 0.0);
    let ln_ratio = |pi: f64, qi: f64| {
        if qi == 0.0 {
            f64::INFINITY
        } else {
            pi.ln() - qi.ln()
        }
    };
    if alpha == f64::INFINITY {
        let max = support
            .map(|(&pi, &qi)| ln_ratio(pi, qi))
            .fold(f64::NEG_INFINITY, f64::max);
        return Ok(max);
    }
    let eps = alpha - 1.0;
    let mass: f64 = p.iter().sum();
    // tᵢ = (α − 1) ln(pᵢ/qᵢ); with qᵢ = 0, +∞ for α > 1 and −∞ for α < 1.
    let terms: Vec<(f64, f64)> = support
        .map(|(&pi, &qi)| {
            let l = ln_ratio(pi, qi);
            (
                pi,
                if l.is_infinite() {
                    eps.signum() * l
                } else {
                    eps * l
                },
            )
        })
        .collect();
    let max = terms.iter().map(|t| t.1).fold(f64::NEG_INFINITY, f64::max);
    if max == f64::INFINITY {
        return Ok(f64::INFINITY);
    }
    if max == f64::NEG_INFINITY {
        // α < 1 and disjoint supports: Σ pᵢ^α qᵢ^{1−α} = 0.
        return Ok(f64::INFINITY);
    }
    let ln_sum_ratio = if terms.iter().all(|t| t.1.abs() <= 0.5) {
        let s: f64 = terms.iter().map(|&(pi, t)| pi * t.exp_m1()).sum();
        (s / mass).ln_1p()
    } else {
        let s: f64 = terms.iter().map(|&(pi, t)| pi * (t - max).exp()).sum();
        max + s.ln() - mass.ln()
    };
    // D_α ≥ 0 for probability vectors; a rounding residue below 0 is returned as 0.
    Ok((ln_sum_ratio / eps).max(0.0))
}

/// The Rényi divergence of order α in closed form, for pairs of one statrs family.
pub trait RenyiDivergence<Q: ?Sized> {
    /// `D_α(self‖q)` in nats; same α rules as [`renyi_divergence`] (α = 1 is the KL closed
    /// form, α = 0 and +∞ the limits, NaN or negative α an [`Error::InvalidParameter`]).
    fn renyi_divergence(&self, q: &Q, alpha: f64) -> Result<f64>;
}

/// Normal against normal (statrs's `Normal::new(μ, σ)`, σ the standard deviation), with
/// `σ²_α = α σ₂² + (1 − α) σ₁²` (Gil, Alajaji and Linder 2013):
///
/// ```text
/// D_α = ln(σ₂/σ₁) + 1/(2(α − 1)) ln(σ₂²/σ²_α) + α (μ₁ − μ₂)² / (2 σ²_α)     if σ²_α > 0
/// D_α = +∞                                                                 if σ²_α ≤ 0
/// D_∞ = ln(σ₂/σ₁) + (μ₁ − μ₂)² / (2(σ₂² − σ₁²))   if σ₁ < σ₂   (0 if equal, +∞ otherwise)
/// ```
///
/// The middle term is computed as `−ln_1p(−(α − 1) c) / (2(α − 1))`, `c = (σ₁² − σ₂²)/σ₂²`,
/// which tends to `c/2` as α → 1 without cancellation.
///
/// ```
/// use kl::divergences::RenyiDivergence;
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 1.0)?;
/// let q = Normal::new(1.0, 1.0)?;
/// // Equal σ: D_α = α (μ₁ − μ₂)² / (2σ²), so D_1 = KL = 0.5 and D_2 = 1.
/// assert!((p.renyi_divergence(&q, 2.0)? - 1.0).abs() < 1e-15);
/// assert!((p.renyi_divergence(&q, 1.0)? - 0.5).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl RenyiDivergence<Normal> for Normal {
    fn renyi_divergence(&self, q: &Normal, alpha: f64) -> Result<f64> {
        check_alpha(alpha)?;
        if alpha == 1.0 {
            return Ok(crate::kl_divergence(self, q));
        }
        let (m1, s1) = normal_params(self);
        let (m2, s2) = normal_params(q);
        let (v1, v2, d2) = (s1 * s1, s2 * s2, (m1 - m2) * (m1 - m2));
        if alpha == f64::INFINITY {
            return Ok(if v1 < v2 {
                (s2 / s1).ln() + d2 / (2.0 * (v2 - v1))
            } else if v1 == v2 && d2 == 0.0 {
                0.0
            } else {
                f64::INFINITY
            });
        }
        let eps = alpha - 1.0;
        let c = (v1 - v2) / v2;
        let ratio = 1.0 - eps * c; // σ²_α / σ₂²
        if ratio <= 0.0 {
            return Ok(f64::INFINITY);
        }
        let var_alpha = v2 * ratio;
        Ok((s2 / s1).ln() - (-eps * c).ln_1p() / (2.0 * eps) + alpha * d2 / (2.0 * var_alpha))
    }
}

/// Exponential against exponential (statrs's `Exp::new(λ)`, λ the rate), with
/// `λ_α = α λ₁ + (1 − α) λ₂`:
///
/// ```text
/// D_α = ln(λ₁/λ₂) − ln(λ_α/λ₁) / (α − 1)       if λ_α > 0,   +∞ otherwise
/// D_∞ = ln(λ₁/λ₂) if λ₁ ≥ λ₂,  +∞ otherwise
/// ```
///
/// `ln(λ_α/λ₁) = ln_1p((α − 1)(λ₁ − λ₂)/λ₁)`, so `D_α → ln(λ₁/λ₂) + λ₂/λ₁ − 1 = KL` as α → 1.
///
/// ```
/// use kl::divergences::RenyiDivergence;
/// use statrs::distribution::Exp;
///
/// let p = Exp::new(2.0)?;
/// let q = Exp::new(1.0)?;
/// // α = 2: ln(λ₁²/(λ₂ λ_α)) with λ_α = 3.
/// assert!((p.renyi_divergence(&q, 2.0)? - (4.0f64 / 3.0).ln()).abs() < 1e-15);
/// assert!((p.renyi_divergence(&q, f64::INFINITY)? - 2f64.ln()).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl RenyiDivergence<Exp> for Exp {
    fn renyi_divergence(&self, q: &Exp, alpha: f64) -> Result<f64> {
        check_alpha(alpha)?;
        if alpha == 1.0 {
            return Ok(crate::kl_divergence(self, q));
        }
        let (l1, l2) = (self.rate(), q.rate());
        if alpha == f64::INFINITY {
            return Ok(if l1 >= l2 {
                (l1 / l2).ln()
            } else {
                f64::INFINITY
            });
        }
        let eps = alpha - 1.0;
        let x = eps * (l1 - l2) / l1;
        if x <= -1.0 {
            return Ok(f64::INFINITY);
        }
        Ok((l1 / l2).ln() - x.ln_1p() / eps)
    }
}

/// The Hellinger distance, in `[0, 1]`:
///
/// ```text
/// H(P, Q) = √( ½ Σᵢ (√pᵢ − √qᵢ)² )        H² = 1 − Σᵢ √(pᵢ qᵢ),   D_{1/2} = −2 ln(1 − H²)
/// ```
///
/// Symmetric, a metric, always finite; computed from the squared differences (no
/// cancellation when `P ≈ Q`). Bad vectors are errors as in [`discrete::kl_divergence`].
///
/// ```
/// let h = kl::divergences::hellinger_distance(&[1.0, 0.0], &[0.0, 1.0])?;
/// assert_eq!(h, 1.0); // disjoint supports
/// # Ok::<(), kl::Error>(())
/// ```
pub fn hellinger_distance(p: &[f64], q: &[f64]) -> Result<f64> {
    validate(p, q)?;
    let s: f64 = p
        .iter()
        .zip(q)
        .map(|(a, b)| (a.sqrt() - b.sqrt()).powi(2))
        .sum();
    Ok((0.5 * s).sqrt().min(1.0))
}

/// The total variation distance, in `[0, 1]`:
///
/// ```text
/// TV(P, Q) = ½ Σᵢ |pᵢ − qᵢ| = max over events A of |P(A) − Q(A)|
/// ```
///
/// Pinsker's inequality bounds it by KL: `TV ≤ √(KL(P‖Q)/2)`. Bad vectors are errors as in
/// [`discrete::kl_divergence`].
///
/// ```
/// let tv = kl::divergences::total_variation(&[0.5, 0.5], &[0.9, 0.1])?;
/// assert!((tv - 0.4).abs() < 1e-15);
/// let kl = kl::discrete::kl_divergence(&[0.5, 0.5], &[0.9, 0.1])?;
/// assert!(tv <= (kl / 2.0).sqrt());
/// # Ok::<(), kl::Error>(())
/// ```
pub fn total_variation(p: &[f64], q: &[f64]) -> Result<f64> {
    validate(p, q)?;
    let s: f64 = p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum();
    Ok((0.5 * s).min(1.0))
}

/// Pearson's χ² divergence:
///
/// ```text
/// χ²(P‖Q) = Σᵢ (pᵢ − qᵢ)² / qᵢ,      D_2(P‖Q) = ln(1 + χ²)
/// ```
///
/// `qᵢ = 0` contributes 0 where `pᵢ = 0` and `+∞` where `pᵢ > 0`. Bad vectors are errors as
/// in [`discrete::kl_divergence`].
///
/// ```
/// let chi2 = kl::divergences::chi_squared(&[0.5, 0.5], &[0.9, 0.1])?;
/// assert!((chi2 - (0.16 / 0.9 + 0.16 / 0.1)).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn chi_squared(p: &[f64], q: &[f64]) -> Result<f64> {
    validate(p, q)?;
    Ok(p.iter()
        .zip(q)
        .map(|(&a, &b)| match (a > 0.0, b > 0.0) {
            (_, true) => (a - b) * (a - b) / b,
            (true, false) => f64::INFINITY,
            (false, false) => 0.0,
        })
        .sum())
}

/// A general f-divergence, for a convex `f` on `[0, ∞)` with `f(1) = 0`:
///
/// ```text
/// D_f(P‖Q) = Σᵢ qᵢ f(pᵢ / qᵢ)
/// ```
///
/// # The convention where `qᵢ = 0`
/// `0 · f(0/0) = 0` (an outcome neither distribution visits contributes nothing), and where
/// `pᵢ > 0 = qᵢ` the term is its limit `pᵢ · f′(∞)` with `f′(∞) = lim_{t→∞} f(t)/t`, which the
/// caller passes as `slope_at_infinity` (it cannot be read off a closure). Examples:
///
/// | divergence | `f(t)` | `f′(∞)` |
/// |---|---|---|
/// | KL(P‖Q) | `t ln t` | `+∞` |
/// | KL(Q‖P) | `−ln t` | `0` |
/// | total variation | `½ |t − 1|` | `½` |
/// | squared Hellinger | `½ (√t − 1)²` | `½` |
/// | χ² | `(t − 1)²` | `+∞` |
///
/// `f(0)` may be `+∞` (reverse KL where `pᵢ = 0 < qᵢ`); a term `0 · (+∞)` with `pᵢ > 0 = qᵢ`
/// and `slope_at_infinity = +∞` is `+∞`.
///
/// # Errors
/// Bad vectors as in [`discrete::kl_divergence`]; `slope_at_infinity` NaN or `−∞`, or
/// `|f(1)| > 1e-12`, is [`Error::InvalidParameter`]; `f` returning NaN or `−∞` at some
/// `pᵢ/qᵢ` is [`Error::BadFunction`] naming the point.
///
/// ```
/// use kl::divergences::f_divergence;
///
/// let (p, q) = ([0.5, 0.5, 0.0], [0.9, 0.0, 0.1]);
/// // f(t) = t ln t is KL(P‖Q): infinite, P visits an outcome Q rules out.
/// let kl = f_divergence(&p, &q, |t| if t == 0.0 { 0.0 } else { t * t.ln() }, f64::INFINITY)?;
/// assert_eq!(kl, f64::INFINITY);
/// // f(t) = ½|t − 1| is total variation: finite, with slope ½ at infinity.
/// let tv = f_divergence(&p, &q, |t| 0.5 * (t - 1.0).abs(), 0.5)?;
/// assert!((tv - kl::divergences::total_variation(&p, &q)?).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn f_divergence(
    p: &[f64],
    q: &[f64],
    f: impl Fn(f64) -> f64,
    slope_at_infinity: f64,
) -> Result<f64> {
    validate(p, q)?;
    if slope_at_infinity.is_nan() || slope_at_infinity == f64::NEG_INFINITY {
        return Err(Error::InvalidParameter {
            name: "slope_at_infinity",
            value: slope_at_infinity,
            reason: "lim f(t)/t as t → ∞ must be a number or +∞",
        });
    }
    let f1 = f(1.0);
    if f1.is_nan() || f1.abs() > 1e-12 {
        return Err(Error::InvalidParameter {
            name: "f(1)",
            value: f1,
            reason: "an f-divergence needs f(1) = 0, so that D_f(P‖P) = 0",
        });
    }
    let mut sum = 0.0;
    for (&pi, &qi) in p.iter().zip(q) {
        sum += if qi > 0.0 {
            let t = pi / qi;
            let v = f(t);
            if v.is_nan() || v == f64::NEG_INFINITY {
                return Err(Error::BadFunction {
                    name: "f",
                    at: t,
                    value: v,
                });
            }
            qi * v
        } else if pi > 0.0 {
            pi * slope_at_infinity
        } else {
            0.0
        };
    }
    Ok(sum)
}

/// The mutual information of a joint probability table `P_XY` (rows: values of X, columns:
/// values of Y), in nats:
///
/// ```text
/// I(X; Y) = KL(P_XY ‖ P_X P_Y) = Σ_{x,y} P(x, y) ln( P(x, y) / (P(x) P(y)) )
/// ```
///
/// # Remarks
/// The entries must be a probability table (finite, non-negative, summing to 1 within
/// [`discrete::SUM_TOLERANCE`]); errors are those of [`discrete::entropy`] on the entries in
/// row-major order (named `p`, with the flat index `row · columns + column`). Always finite
/// (`P(x, y) > 0` implies both marginals are), `≥ 0`, `0` exactly for a product table, and at
/// most `min(H(X), H(Y))`.
///
/// ```
/// use ndarray::array;
///
/// // X = Y, a fair coin: I = H(X) = ln 2.
/// let same = array![[0.5, 0.0], [0.0, 0.5]];
/// let i = kl::divergences::mutual_information(same.view())?;
/// assert!((i - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn mutual_information(joint: ArrayView2<'_, f64>) -> Result<f64> {
    let flat: Vec<f64> = joint.iter().copied().collect();
    discrete::entropy(&flat)?;
    let px: Vec<f64> = joint.rows().into_iter().map(|r| r.sum()).collect();
    let py: Vec<f64> = joint.columns().into_iter().map(|c| c.sum()).collect();
    let product: Vec<f64> = px
        .iter()
        .flat_map(|&a| py.iter().map(move |&b| a * b))
        .collect();
    discrete::kl_divergence(&flat, &product)
}
