//! Numerical routes to KL between continuous distributions: adaptive quadrature over
//! ln-densities, the grid (Riemann) rule, and Monte Carlo. Each returns an [`Estimate`]: a value
//! in nats and an error estimate, so a chapter can print `value ± error` and a test can check
//! one route against another.
//!
//! All three compute the same integral,
//!
//! ```text
//! KL(P‖Q) = ∫ p(x) (ln p(x) − ln q(x)) dx   (nats)
//! ```
//!
//! from the distributions' log-densities ([`LnDensity`]), never from `ln(pdf)`: `pdf`
//! underflows to 0 a few dozen standard deviations out, while the log-density stays finite, so
//! the log-ratio is exact wherever it is needed. The density `p = exp(ln p)` appears only as
//! the weight. [`LnDensity`] is implemented for every statrs continuous distribution (and
//! [`GaussianMixture`](crate::mixture::GaussianMixture)); for the families whose statrs
//! `ln_pdf` is `ln(pdf)` (Laplace, Gumbel, InverseGamma, FisherSnedecor) and for the Cauchy
//! (whose `z²` overflows), it is the density's formula written in log space.
//!
//! | route | what it is | `error` |
//! |---|---|---|
//! | [`quadrature()`] | double-exponential quadrature, split at `P`'s quantiles, adaptive | whole piece vs two halves, plus rounding |
//! | [`grid`] | the original tutorial's grid with the `dx` it forgot | discretisation (twice the change from `dx` to `dx/2`) plus the tails outside the range |
//! | [`monte_carlo`] | mean of `ln p(X) − ln q(X)` over `X ~ P` | the standard error |
//!
//! Conventions shared by all three:
//! - Where `ln p = −∞` (outside `P`'s support) the integrand is 0, whatever `q` is.
//! - Where `ln p` is finite but `ln q = −∞`, `P` puts mass where `Q` has none: the divergence is
//!   `+∞` (returned as `Ok` with `value = +∞`, `error = 0`), not an error. Outside `Q`'s
//!   `[min, max]` that is certain; inside, `ln q = −∞` may instead be a log-density a double
//!   cannot hold: a user's [`LnDensity`] computed as `ln(pdf)`, `−∞` once `pdf` underflows,
//!   or a true log-density below `−1.8·10³⁰⁸` (a Gumbel ~710 scales left of its location).
//!   The two are told apart by bisecting to the edge of the `−∞` region: a gap is a jump from
//!   an ordinary `ln q`, the other a continuous fade to below −700. That, where `P` has mass,
//!   is [`Error::UnrepresentableLnDensity`]: the divergence is not computable from that log-density.
//! - A NaN log-density is [`Error::BadDensity`]; bad arguments are [`Error::InvalidParameter`]
//!   or [`Error::TooFewSamples`]. Nothing here panics on input.

//!
//! Where each piece lives (one hop from here):
//!
//! | file | what |
//! |---|---|
//! | `numeric/quadrature.rs` | [`quadrature()`], [`quadrature_between`]: the public quadrature routes, one body |
//! | `numeric/grid.rs` | [`grid`]: the grid rule of chapters 02 and 03 |
//! | `numeric/monte_carlo.rs` | [`monte_carlo`] |
//! | `numeric/integrand.rs` | the integrand `p·(ln p − ln q)` from log-densities, its zero rules (`+∞` or not computable) |
//! | `numeric/adaptive.rs` | the adaptive engine: double-exponential rule, halving, trapezoid fallback, evaluation budget |
//! | `numeric/support.rs` | the support partition at P's quantiles, edge, logarithmic and tail maps |
//! | `numeric/ln_density.rs` | [`LnDensity`]: exact log-densities for statrs's families |
//!
//! How quadrature works and its known limits: [`quadrature()`] (`crates/kl/doc/quadrature.md`).

use statrs::distribution::ContinuousCDF;

use crate::error::{Error, Result};

mod adaptive;
mod grid;
mod integrand;
mod ln_density;
mod monte_carlo;
mod quadrature;
mod support;

pub use self::grid::grid;
pub use self::ln_density::LnDensity;
pub use self::monte_carlo::{MAX_SAMPLES, monte_carlo};
pub(crate) use self::monte_carlo::{Welford, check_draws};
pub use self::quadrature::{quadrature, quadrature_between};

/// A numerical result and how far from the truth it may be, both in nats.
///
/// `error` is an *estimate* (its meaning is stated by each function), not a proven bound.
/// When the divergence is infinite, `value` is `+∞` and `error` is 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The estimated divergence, in nats.
    pub value: f64,
    /// The estimated absolute error of `value`, in nats.
    pub error: f64,
}

impl Estimate {
    /// The estimate of an infinite divergence: `+∞ ± 0`.
    const INFINITE: Estimate = Estimate {
        value: f64::INFINITY,
        error: 0.0,
    };

    /// The estimate of a quantity known to be `≥ 0` (a divergence computed by a deterministic
    /// rule): a value below 0 becomes 0, and the error grows to at least the distance moved,
    ///
    /// ```text
    /// value < 0:   (value, error) → (0, max(error, −value))
    /// ```
    ///
    /// so `[value − error, value + error]` still contains what was computed, and the value is
    /// never farther from a non-negative truth than before. Not for Monte Carlo means: clipping
    /// an unbiased estimate at 0 biases it upwards.
    ///
    /// ```
    /// use kl::numeric::Estimate;
    ///
    /// let e = Estimate { value: -3e-17, error: 1e-17 }.at_least_zero();
    /// assert_eq!(e, Estimate { value: 0.0, error: 3e-17 });
    /// let e = Estimate { value: 0.5, error: 1e-12 };
    /// assert_eq!(e.at_least_zero(), e);
    /// ```
    pub fn at_least_zero(self) -> Estimate {
        if self.value < 0.0 {
            Estimate {
                value: 0.0,
                error: self.error.max(-self.value),
            }
        } else {
            self
        }
    }
}

/// Runs one of the public routines, turning a panic inside the distributions' own methods
/// (statrs's special functions `unwrap` arguments outside the range their numerics handle,
/// for parameters its constructors accept) into [`Error::DistributionFailed`].
///
/// Its result is never NaN: an error estimate that is NaN (`0 · ∞` in the rounding term of a
/// P so far from 0 that its nodes keep no digit, `∞ − ∞` in a tail) is reported as `+∞` (the
/// value is not known to any digit), and a value that is NaN as the same error.
fn guarded(routine: &'static str, f: impl FnOnce() -> Result<Estimate>) -> Result<Estimate> {
    let estimate =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic".to_string());
            Err(Error::DistributionFailed {
                call: routine,
                message,
            })
        })?;
    if estimate.value.is_nan() {
        return Err(Error::DistributionFailed {
            call: routine,
            message: "the integral came out NaN".to_string(),
        });
    }
    Ok(Estimate {
        value: estimate.value,
        error: if estimate.error.is_nan() {
            f64::INFINITY
        } else {
            estimate.error
        },
    })
}

/// `Err` if P's `cdf` or quantile would take unbounded work ([`LnDensity::unbounded_work`]).
fn bounded_work<P: LnDensity + ?Sized>(p: &P) -> Result<()> {
    match p.unbounded_work() {
        Some((name, value, reason)) => Err(Error::InvalidParameter {
            name,
            value,
            reason,
        }),
        None => Ok(()),
    }
}

/// P's `u`-quantile: [`LnDensity::bounded_quantile`] where the family has one (Beta: statrs's
/// Beta quantile can iterate without bound at shapes like `(10³⁰⁰, 10⁻³⁰⁰)`), else statrs's
/// `inverse_cdf`. (A bounded bisection of our own for every family would finish too, but
/// statrs's `cdf` panics far out in the tails for some, e.g. a Gamma where `x · rate`
/// overflows.)
fn quantile<P: LnDensity + ContinuousCDF<f64, f64> + ?Sized>(p: &P, u: f64) -> f64 {
    p.bounded_quantile(u).unwrap_or_else(|| p.inverse_cdf(u))
}
