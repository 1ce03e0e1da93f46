//! Gaussian mixtures: expectation–maximisation in 1-D, with the KL divergence that makes EM
//! work in plain view, and the KL divergence between two mixtures, in 1-D and in `d`
//! dimensions.
//!
//! A mixture of `K` normal components has density
//!
//! ```text
//! p(x | θ) = Σₖ wₖ N(x; μₖ, σₖ),     wₖ ≥ 0, Σₖ wₖ = 1, σₖ > 0   (σ a standard deviation)
//! ```
//!
//! and a hidden label `z ∈ {1 … K}` says which component drew `x`. EM works because of one
//! identity, derived here once (the book's chapter 08 includes the same text, from
//! `crates/kl/doc/`):
//!
#![doc = include_str!("../../doc/em_identity.md")]
//!
//! In this module, [`responsibilities`] is the E-step, [`m_step`] the M-step, [`elbo`] and
//! [`posterior_kl`] are the two halves of the identity, and [`em`] alternates the steps.
//!
//! # KL between mixtures
//!
//! No closed form exists, and no other library computes it; here are five routes, for 1-D
//! [`GaussianMixture`]s and for [`MvnMixture`]s in `d` dimensions (both [`Mixture`]):
//! [`monte_carlo`] (unbiased, with its standard error), [`variational`] (Hershey and Olsen's
//! `D_var`, an approximation), [`lower_bound`] and [`variational_upper_bound`] (bounds that
//! always hold: `lower ≤ KL ≤ upper`), and, in 1-D, [`quadrature()`] (the reference). How close
//! each comes on worked pairs is in the table after the derivations.
//!
#![doc = include_str!("../../doc/mixture_kl.md")]
//!
#![doc = include_str!("../../doc/mixture_kl_table.md")]
//!
//! ```
//! use kl::mixture::{GaussianMixture, lower_bound, quadrature, variational_upper_bound};
//!
//! let f = GaussianMixture::new(&[0.5, 0.5], &[-3.0, 3.0], &[1.0, 1.0])?;
//! let g = GaussianMixture::new(&[0.9, 0.1], &[-3.0, 3.0], &[1.0, 1.0])?;
//! let (lower, upper) = (lower_bound(&f, &g)?, variational_upper_bound(&f, &g, 100)?.value);
//! let kl = quadrature(&f, &g)?.value;
//! assert!(lower <= kl && kl <= upper);
//! assert!((kl - 0.508135).abs() < 1e-6);   // scipy's quad: 0.5081346603441
//! # Ok::<(), kl::Error>(())
//! ```
//!
//! All logarithms are natural (nats). Densities are combined by log-sum-exp, so points far in a
//! tail do not underflow to `ln 0`.
//!
//! [`GaussianMixture`] implements statrs's `Continuous`, `ContinuousCDF`, `Min`, `Max` and
//! `Distribution` (mean and variance) and rand's `Distribution<f64>` (sampling), so it can be
//! handed to anything that takes a statrs continuous distribution, and
//! [`LnDensity`](crate::numeric::LnDensity) (its log-sum-exp `ln_pdf`), so the routes of
//! [`kl::numeric`](crate::numeric) integrate it.
//!
//! ```
//! use kl::mixture::{em, GaussianMixture, Options};
//!
//! let data = [-2.1, -1.9, -2.0, -2.2, 1.9, 2.1, 2.0, 2.05];
//! let start = GaussianMixture::new(&[0.5, 0.5], &[-1.0, 1.0], &[1.0, 1.0])?;
//! let fit = em(&data, &start, &Options::default())?;
//! assert!((fit.mixture.means()[0] + 2.05).abs() < 1e-6);
//! assert!((fit.mixture.means()[1] - 2.0125).abs() < 1e-6);
//! # Ok::<(), kl::Error>(())
//! ```

mod divergence;
mod em;
mod multivariate;

pub use self::divergence::{
    MAX_BOUND_ITERATIONS, Mixture, UpperBound, lower_bound, monte_carlo, quadrature, variational,
    variational_upper_bound,
};
pub use self::em::{
    Fit, Options, Step, elbo, em, log_likelihood, m_step, posterior_kl, responsibilities,
};
pub use self::multivariate::{MvnMixture, SYMMETRY_TOLERANCE};

use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use statrs::statistics::{Distribution, Max, Min};

use crate::error::{Error, Result, check_all_finite};

/// How far from 1 the mixture weights may sum: `|Σ wₖ − 1| ≤ 1e-9`.
pub const WEIGHT_TOLERANCE: f64 = 1e-9;

/// `ln √(2π)`.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// A one-dimensional Gaussian mixture `Σₖ wₖ N(μₖ, σₖ)` (σ a standard deviation).
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMixture {
    weights: Vec<f64>,
    means: Vec<f64>,
    std_devs: Vec<f64>,
    components: Vec<Normal>,
}

impl GaussianMixture {
    /// A mixture from its weights, means and standard deviations, one entry per component.
    ///
    /// # Remarks
    /// - Errors: no component ([`Error::Empty`]), slices of different lengths
    ///   ([`Error::DimensionMismatch`]), NaN or ±∞ ([`Error::NotFinite`]), a negative weight
    ///   ([`Error::Negative`]), weights not summing to 1 within [`WEIGHT_TOLERANCE`]
    ///   ([`Error::NotNormalized`]), a standard deviation ≤ 0 ([`Error::InvalidParameter`]).
    /// - A zero weight is allowed: that component never draws a point.
    ///
    /// ```
    /// use kl::mixture::GaussianMixture;
    /// let m = GaussianMixture::new(&[0.3, 0.7], &[-1.0, 2.0], &[0.5, 1.0])?;
    /// assert_eq!(m.len(), 2);
    /// assert!(GaussianMixture::new(&[0.3, 0.6], &[-1.0, 2.0], &[0.5, 1.0]).is_err());
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn new(weights: &[f64], means: &[f64], std_devs: &[f64]) -> Result<Self> {
        if weights.is_empty() {
            return Err(Error::Empty { name: "weights" });
        }
        for (name, v) in [("means", means), ("std_devs", std_devs)] {
            if v.len() != weights.len() {
                return Err(Error::DimensionMismatch {
                    name,
                    expected: weights.len(),
                    got: v.len(),
                });
            }
        }
        check_all_finite("weights", weights)?;
        check_all_finite("means", means)?;
        check_all_finite("std_devs", std_devs)?;
        let weights = check_weights(weights)?;
        if let Some(&s) = std_devs.iter().find(|&&s| s <= 0.0) {
            return Err(Error::InvalidParameter {
                name: "std_devs",
                value: s,
                reason: "every standard deviation must be positive",
            });
        }
        let components = means
            .iter()
            .zip(std_devs)
            .map(|(&m, &s)| {
                Normal::new(m, s).map_err(|_| Error::InvalidParameter {
                    name: "std_devs",
                    value: s,
                    reason: "statrs refused this normal component",
                })
            })
            .collect::<Result<Vec<Normal>>>()?;
        Ok(GaussianMixture {
            weights,
            means: means.to_vec(),
            std_devs: std_devs.to_vec(),
            components,
        })
    }

    /// Number of components `K`.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// The largest `|μₖ|/σₖ` the quadrature and grid routes accept for a component (`2³²`):
    /// beyond it, doubles near `μₖ` are more than `2⁻²⁰ σₖ` apart (see
    /// [`LnDensity::unbounded_work`](crate::numeric::LnDensity::unbounded_work)).
    pub const MAX_OFFSET_RATIO: f64 = 4_294_967_296.0;

    /// The first component with `|μₖ|/σₖ >` [`Self::MAX_OFFSET_RATIO`], if any.
    pub(crate) fn unresolvable_component(&self) -> Option<usize> {
        (0..self.len()).find(|&k| {
            self.weights[k] > 0.0 && self.means[k].abs() > Self::MAX_OFFSET_RATIO * self.std_devs[k]
        })
    }

    /// Always `false`: a mixture has at least one component.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The weights `wₖ`, divided by their sum: weights given within [`WEIGHT_TOLERANCE`] of
    /// a sum of 1 are stored normalised, so that the density integrates to 1 and no
    /// divergence of the mixture comes out below 0 (`[0.5, 0.5 − 5e-10]` is stored as
    /// `[0.5, 0.5 − 5e-10] / (1 − 5e-10)`). Weights that sum to exactly 1 are unchanged.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The means `μₖ`.
    pub fn means(&self) -> &[f64] {
        &self.means
    }

    /// The standard deviations `σₖ`.
    pub fn std_devs(&self) -> &[f64] {
        &self.std_devs
    }

    /// Component `k` as a statrs [`Normal`]; `None` if `k ≥ K`.
    pub fn component(&self, k: usize) -> Option<&Normal> {
        self.components.get(k)
    }

    /// `ln(wₖ N(x; μₖ, σₖ))`, the log of component `k`'s share of the density at `x` (`−∞`
    /// when `wₖ = 0`); `k < K` always holds at the call sites.
    fn ln_joint(&self, x: f64, k: usize) -> f64 {
        let z = (x - self.means[k]) / self.std_devs[k];
        self.weights[k].ln() - 0.5 * z * z - self.std_devs[k].ln() - LN_SQRT_2PI
    }

    /// `ln p(x | θ) = ln Σₖ wₖ N(x; μₖ, σₖ)`, by log-sum-exp: the largest term is factored
    /// out, so `x` a hundred standard deviations out still gives a finite value.
    ///
    /// ```
    /// use kl::mixture::GaussianMixture;
    /// let m = GaussianMixture::new(&[1.0], &[0.0], &[1.0])?;
    /// // One component: the normal's ln-density, −x²/2 − ln √(2π), even far out.
    /// assert!((m.ln_density(100.0) - (-5000.0 - 0.9189385332046727)).abs() < 1e-9);
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn ln_density(&self, x: f64) -> f64 {
        let top = (0..self.len())
            .map(|k| self.ln_joint(x, k))
            .fold(f64::NEG_INFINITY, f64::max);
        if !top.is_finite() {
            return top;
        }
        let sum: f64 = (0..self.len())
            .map(|k| (self.ln_joint(x, k) - top).exp())
            .sum();
        top + sum.ln()
    }

    /// The posterior `p(k | x, θ) = wₖ N(x; μₖ, σₖ) / p(x | θ)` of every component, written
    /// into `out` (length `K`), computed in log space.
    ///
    /// So far out that every `ln(wₖ N(x; μₖ, σₖ))` is below `−1.8·10³⁰⁸` (`z²` overflows, at
    /// `|x|` beyond ~10¹⁵⁴ σ), the posterior is the limit: the components with the smallest
    /// `|z|` (compared after scaling every `z` by the largest) share all of it, in proportion
    /// to `wₖ/σₖ`; any other component is behind by a factor below `e^(−10³⁰⁸)`.
    fn posterior_into(&self, x: f64, out: &mut [f64]) {
        let ln_p = self.ln_density(x);
        if ln_p == f64::NEG_INFINITY && x.is_finite() {
            return self.far_posterior_into(x, out);
        }
        for (k, o) in out.iter_mut().enumerate() {
            *o = (self.ln_joint(x, k) - ln_p).exp();
        }
    }

    /// The posterior where every joint underflows (see [`Self::posterior_into`]).
    fn far_posterior_into(&self, x: f64, out: &mut [f64]) {
        let live = |k: usize| self.weights[k] > 0.0;
        // |z| scaled by a power of 2 so that neither the differences nor the ratio overflow.
        let z: Vec<f64> = (0..self.len())
            .map(|k| ((x - self.means[k]) * 0.5).abs() / self.std_devs[k])
            .collect();
        let nearest = (0..self.len())
            .filter(|&k| live(k))
            .map(|k| z[k])
            .fold(f64::INFINITY, f64::min);
        let ln_share = |k: usize| {
            if live(k) && z[k] == nearest {
                self.weights[k].ln() - self.std_devs[k].ln()
            } else {
                f64::NEG_INFINITY
            }
        };
        let top = (0..self.len())
            .map(ln_share)
            .fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = (0..self.len()).map(|k| (ln_share(k) - top).exp()).sum();
        for (k, o) in out.iter_mut().enumerate() {
            *o = (ln_share(k) - top).exp() / total;
        }
    }
}

/// Finite weights (checked before): none negative, summing to 1 within [`WEIGHT_TOLERANCE`];
/// returned divided by their sum (unchanged when it is exactly 1).
fn check_weights(weights: &[f64]) -> Result<Vec<f64>> {
    if let Some(index) = weights.iter().position(|&w| w < 0.0) {
        return Err(Error::Negative {
            name: "weights",
            index,
            value: weights[index],
        });
    }
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > WEIGHT_TOLERANCE {
        return Err(Error::NotNormalized {
            name: "weights",
            sum,
            tolerance: WEIGHT_TOLERANCE,
        });
    }
    Ok(weights.iter().map(|w| w / sum).collect())
}

impl Continuous<f64, f64> for GaussianMixture {
    /// `p(x | θ) = Σₖ wₖ N(x; μₖ, σₖ)`.
    fn pdf(&self, x: f64) -> f64 {
        self.ln_density(x).exp()
    }

    /// `ln p(x | θ)` by log-sum-exp (see [`GaussianMixture::ln_density`]).
    fn ln_pdf(&self, x: f64) -> f64 {
        self.ln_density(x)
    }
}

impl Min<f64> for GaussianMixture {
    /// `−∞`: every normal component has the whole real line as support.
    fn min(&self) -> f64 {
        f64::NEG_INFINITY
    }
}

impl Max<f64> for GaussianMixture {
    /// `+∞`.
    fn max(&self) -> f64 {
        f64::INFINITY
    }
}

impl ContinuousCDF<f64, f64> for GaussianMixture {
    /// `F(x) = Σₖ wₖ Φ((x − μₖ)/σₖ)`.
    fn cdf(&self, x: f64) -> f64 {
        self.weights
            .iter()
            .zip(&self.components)
            .map(|(w, c)| w * c.cdf(x))
            .sum()
    }

    /// `1 − F(x) = Σₖ wₖ (1 − Φ((x − μₖ)/σₖ))`, summed from the components' own survival
    /// functions so the upper tail does not cancel to 0.
    fn sf(&self, x: f64) -> f64 {
        self.weights
            .iter()
            .zip(&self.components)
            .map(|(w, c)| w * c.sf(x))
            .sum()
    }

    /// The quantile `F⁻¹(u)`, by bisection between the smallest and the largest of the
    /// components' own quantiles at `u` (the mixture's lies between them), inverting
    /// [`sf`](ContinuousCDF::sf) in the upper half so upper quantiles keep their accuracy.
    /// At most 2100 halvings (the bracket shrinks to adjacent doubles well before): it
    /// finishes in bounded time even when the weights sum to 1 only within rounding. `−∞` at
    /// `u ≤ 0`, `+∞` at `u ≥ 1`, NaN at NaN.
    fn inverse_cdf(&self, u: f64) -> f64 {
        if u.is_nan() {
            return u;
        }
        if u <= 0.0 {
            return f64::NEG_INFINITY;
        }
        if u >= 1.0 {
            return f64::INFINITY;
        }
        let quantiles = self.components.iter().map(|c| c.inverse_cdf(u));
        let (mut low, mut high) = quantiles
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), q| {
                (l.min(q), h.max(q))
            });
        if !(low.is_finite() && high.is_finite()) {
            return if low.is_finite() { low } else { high };
        }
        let upper = u > 0.5;
        let target = if upper { 1.0 - u } else { u };
        for _ in 0..2100 {
            let mid = 0.5 * low + 0.5 * high;
            if !(mid > low && mid < high) {
                break;
            }
            let at_or_above = if upper {
                self.sf(mid) <= target
            } else {
                self.cdf(mid) >= target
            };
            if at_or_above {
                high = mid;
            } else {
                low = mid;
            }
        }
        0.5 * low + 0.5 * high
    }
}

impl Distribution<f64> for GaussianMixture {
    /// `Σₖ wₖ μₖ`.
    fn mean(&self) -> Option<f64> {
        Some(
            self.weights
                .iter()
                .zip(&self.means)
                .map(|(w, m)| w * m)
                .sum(),
        )
    }

    /// `Σₖ wₖ (σₖ² + μₖ²) − mean²` (the law of total variance).
    fn variance(&self) -> Option<f64> {
        let mean = self.mean()?;
        let second: f64 = (0..self.len())
            .map(|k| self.weights[k] * (self.std_devs[k].powi(2) + self.means[k].powi(2)))
            .sum();
        Some(second - mean * mean)
    }
}

impl rand::distr::Distribution<f64> for GaussianMixture {
    /// Draws a component with probability `wₖ`, then a point from `N(μₖ, σₖ)`.
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let k = draw_component(&self.weights, rng);
        rand::distr::Distribution::sample(&self.components[k], rng)
    }
}

/// A component's index, drawn with probability `wₖ` by inverting the weights' cumulative sum
/// at one uniform draw (the last component if rounding leaves the sum short of the draw).
fn draw_component<R: rand::Rng + ?Sized>(weights: &[f64], rng: &mut R) -> usize {
    let u: f64 = rand::distr::Distribution::sample(&rand::distr::StandardUniform, rng);
    let mut k = 0;
    let mut cumulative = weights[0];
    while u >= cumulative && k + 1 < weights.len() {
        k += 1;
        cumulative += weights[k];
    }
    k
}
