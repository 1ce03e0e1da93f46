//! [`quadrature()`] and [`quadrature_between`]: adaptive double-exponential quadrature over
//! P's support (how it works and its known limits: `crates/kl/doc/quadrature.md`).

use statrs::distribution::ContinuousCDF;
use statrs::statistics::{Max, Min};

use super::integrand::{Integrand, LogRatio, zero_of_q};
use super::support::{integrate_support, support_escapes};
use super::{Estimate, LnDensity, bounded_work, guarded};
use crate::error::{Error, Result};

/// `KL(P‖Q)` by adaptive double-exponential quadrature, in nats:
///
/// ```text
/// KL(P‖Q) = ∫ exp(ln p(x)) · (ln p(x) − ln q(x)) dx   over P's support [P.min, P.max]
/// ```
///
/// The integrand is 0 where `ln p = −∞`, and is built from [`LnDensity`] (exact log-densities,
/// not statrs's `ln_pdf` where that is `ln(pdf)`) so that far tails (and a `Q` far from `P`)
/// do not underflow.
///
#[doc = include_str!("../../doc/quadrature.md")]
///
/// # Never below 0
/// A KL is never negative, but a quadrature of `p ln(p/q)` can come out a few rounding errors
/// below 0 when `P ≈ Q`. Such a value is returned as 0 with an error of at least its size
/// ([`Estimate::at_least_zero`]): the interval `value ± error` still holds what the quadrature
/// found, and the value only moved towards the truth.
///
/// # Errors
/// [`Error::UnrepresentableLnDensity`] when `ln q = −∞` in `P`'s bulk is not a gap: just inside the region
/// where it is `−∞`, `ln q` is below −700 (an `ln(pdf)` that underflowed, or a log-density
/// below `−1.8·10³⁰⁸`) instead of jumping from an ordinary value. The divergence cannot be
/// computed from that log-density (see *Known limits*).
///
/// [`Error::BadDensity`] if either log-density returns NaN at a node, or if the integral is
/// not a number. [`Error::InvalidParameter`] at once for a `P` whose `cdf` would take
/// unbounded work ([`LnDensity::unbounded_work`]: a shape above 10¹⁰); a panic inside
/// statrs is [`Error::DistributionFailed`].
///
/// ```
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(5.0, 4.0)?;
/// let kl = kl::numeric::quadrature(&p, &q)?;
/// assert!((kl.value - 1.0993971805599454).abs() < 1e-12);
/// assert!(kl.error < 1e-10);
///
/// // P's support [0, 2] is not inside Q's [0, 1]:
/// use statrs::distribution::Uniform;
/// let wide = Uniform::new(0.0, 2.0)?;
/// let narrow = Uniform::new(0.0, 1.0)?;
/// assert_eq!(kl::numeric::quadrature(&wide, &narrow)?.value, f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn quadrature<P, Q>(p: &P, q: &Q) -> Result<Estimate>
where
    P: LnDensity + ContinuousCDF<f64, f64> + Min<f64> + Max<f64>,
    Q: LnDensity + Min<f64> + Max<f64>,
{
    guarded("quadrature", || {
        if support_escapes(p, q) {
            return Ok(Estimate::INFINITE);
        }
        integrate_between(p, q, p.min(), p.max()).map(Estimate::at_least_zero)
    })
}

/// The part of `KL(P‖Q)` that comes from `x ∈ [a, b]`, by the same quadrature, in nats:
///
/// ```text
/// ∫ₐᵇ p(x) (ln p(x) − ln q(x)) dx      (a may be −∞, b may be +∞)
/// ```
///
/// Pieces over a partition of P's support add up to [`quadrature()`]'s value. A single piece
/// can be negative (where `q > p`); the whole is never. Use it to ask where a divergence comes
/// from, e.g. how much of `KL(Q‖P)` lies beyond the end of a grid.
///
/// # Result and errors
/// As [`quadrature()`], restricted to `[a, b] ∩ [P.min, P.max]` (0 when that is empty):
/// `+∞` if `ln q = −∞` at a node in `P`'s bulk inside the interval, or if the interval reaches
/// beyond Q's support where P has support. [`Error::InvalidParameter`] if `a` or `b` is NaN
/// or `b < a`; [`Error::BadDensity`] for a NaN log-density or an integral that is not a
/// number.
///
/// ```
/// use statrs::distribution::Normal;
/// use kl::numeric::{quadrature, quadrature_between};
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(5.0, 4.0)?;
/// let left = quadrature_between(&q, &p, f64::NEG_INFINITY, 10.0)?;
/// let right = quadrature_between(&q, &p, 10.0, f64::INFINITY)?;
/// let whole = quadrature(&q, &p)?;
/// assert!((left.value + right.value - whole.value).abs() < 1e-12);
/// assert!(right.value > 1.6);   // KL(Q‖P) beyond x = 10: what a grid on [−10, 10) misses
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn quadrature_between<P, Q>(p: &P, q: &Q, a: f64, b: f64) -> Result<Estimate>
where
    P: LnDensity + ContinuousCDF<f64, f64> + Min<f64> + Max<f64>,
    Q: LnDensity + Min<f64> + Max<f64>,
{
    guarded("quadrature_between", || {
        if a.is_nan() {
            return Err(Error::InvalidParameter {
                name: "a",
                value: a,
                reason: "the interval's start must be a number (−∞ is allowed)",
            });
        }
        if b.is_nan() || b < a {
            return Err(Error::InvalidParameter {
                name: "b",
                value: b,
                reason: "the interval's end must be a number not below its start (+∞ is allowed)",
            });
        }
        let lo = a.max(p.min());
        let hi = b.min(p.max());
        if lo >= hi {
            return Ok(Estimate {
                value: 0.0,
                error: 0.0,
            });
        }
        if lo < q.min() || hi > q.max() {
            return Ok(Estimate::INFINITE);
        }
        integrate_between(p, q, lo, hi)
    })
}

/// The one body of [`quadrature()`] and [`quadrature_between`]: `∫ p (ln p − ln q)` over
/// `[lo, hi]` (inside P's support and Q's), with the zero rules applied and a sum that is not
/// a number reported as [`Error::BadDensity`].
fn integrate_between<P, Q>(p: &P, q: &Q, lo: f64, hi: f64) -> Result<Estimate>
where
    P: LnDensity + ContinuousCDF<f64, f64> + ?Sized,
    Q: LnDensity + Min<f64> + Max<f64> + ?Sized,
{
    bounded_work(p)?;
    let integrand = Integrand::new(p, q, LogRatio::Signed);
    let sum = integrate_support(&integrand, lo, hi);
    integrand.check()?;
    if let Some(x) = integrand.zero_at.get() {
        return zero_of_q(q, integrand.reference(), x);
    }
    if sum.value.is_nan() {
        return Err(Error::BadDensity {
            name: "∫ p (ln p − ln q)",
            x: f64::NAN,
            value: sum.value,
        });
    }
    Ok(Estimate {
        value: sum.value,
        error: sum.error() + integrand.dropped_error(),
    })
}
