//! Count data against fitted models: the empirical distribution of observed counts, the
//! maximum-likelihood Poisson and normal fits, and each model's probability masses on the
//! same bins, ready for [`crate::discrete::kl_divergence`].
//!
//! # The bins
//!
//! Every mass vector here has `k_max + 2` entries over the same outcomes:
//!
//! ```text
//! index:    0    1    2   …   k_max   k_max + 1
//! outcome: {0}  {1}  {2}  …  {k_max}  {k > k_max}   (the tail bin)
//! ```
//!
//! The tail bin keeps each model's vector summing to 1 without renormalising: a model's mass
//! above `k_max` goes there. With `k_max` at least the largest observation, the empirical
//! distribution has no mass in the tail, the tail term of `KL(empirical ‖ model)` is 0, and the
//! divergence on these bins equals the divergence on all of ℕ.
//!
//! # Why `KL(empirical ‖ model)`
//!
//! For observations `x₁ … x_n` with empirical masses `p̂ₖ`,
//!
//! ```text
//! KL(p̂ ‖ q) = Σₖ p̂ₖ ln p̂ₖ − (1/n) Σᵢ ln q(xᵢ)
//! ```
//!
//! The first term does not depend on the model, so minimising this direction of KL over a
//! family is maximising the log-likelihood: the maximum-likelihood fit *is* the KL-closest
//! member of the family, and the difference between two models' divergences is their
//! difference in mean log-likelihood per observation.

use statrs::distribution::{ContinuousCDF, Discrete, DiscreteCDF, Normal, Poisson};

use crate::error::{Error, Result};

/// The empirical distribution of counts on the bins `0, 1, …, k_max, (> k_max)`:
///
/// ```text
/// p̂ₖ = #{i : xᵢ = k} / n        for k = 0 … k_max
/// p̂_tail = #{i : xᵢ > k_max} / n
/// ```
///
/// # Remarks
/// - The result has `k_max + 2` entries and sums to 1 (see the [module docs](self)).
/// - Pass `k_max ≥ max xᵢ` to keep every observation in its own bin; observations above
///   `k_max` are counted in the tail bin, not dropped.
/// - An empty sample is [`Error::Empty`] (`samples`).
///
/// ```
/// let p = kl::models::empirical_pmf(&[0, 1, 1, 3], 3)?;
/// assert_eq!(p, vec![0.25, 0.5, 0.0, 0.25, 0.0]);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn empirical_pmf(samples: &[u64], k_max: u64) -> Result<Vec<f64>> {
    if samples.is_empty() {
        return Err(Error::Empty { name: "samples" });
    }
    let bins = bin_count(k_max)?;
    let mut counts = vec![0u64; bins];
    for &x in samples {
        let bin = if x > k_max { bins - 1 } else { x as usize };
        counts[bin] += 1;
    }
    let n = samples.len() as f64;
    Ok(counts.into_iter().map(|c| c as f64 / n).collect())
}

/// The maximum-likelihood Poisson fit to counts: `λ̂ = x̄ = (1/n) Σ xᵢ`.
///
/// # Remarks
/// - statrs parameterises the Poisson by its rate (mean) `λ > 0`.
/// - The log-likelihood `Σ xᵢ ln λ − nλ − Σ ln xᵢ!` has derivative `Σxᵢ/λ − n`, zero at the mean.
/// - An empty sample is [`Error::Empty`]; all-zero counts give `λ̂ = 0`, a point mass that statrs
///   (and the KL of any other data against it) cannot use: [`Error::InvalidParameter`] (`lambda`).
///
/// ```
/// let fit = kl::models::poisson_mle(&[1, 2, 3, 6])?;
/// assert_eq!(statrs::statistics::Distribution::mean(&fit), Some(3.0));
/// # Ok::<(), kl::Error>(())
/// ```
pub fn poisson_mle(samples: &[u64]) -> Result<Poisson> {
    let (mean, _) = mean_and_variance(samples)?;
    Poisson::new(mean).map_err(|_| Error::InvalidParameter {
        name: "lambda",
        value: mean,
        reason: "the sample mean must be positive for a Poisson fit (every count is 0)",
    })
}

/// The maximum-likelihood normal fit to counts treated as real numbers:
///
/// ```text
/// μ̂ = x̄,   σ̂² = (1/n) Σ (xᵢ − x̄)²     (the MLE divides by n, not n − 1)
/// ```
///
/// # Remarks
/// - statrs parameterises the normal by mean and **standard deviation**; the result is
///   `Normal::new(μ̂, σ̂)`.
/// - Fewer than two observations is [`Error::TooFewSamples`]; observations that are all equal
///   give `σ̂ = 0`: [`Error::InvalidParameter`] (`sigma`).
///
/// ```
/// use statrs::statistics::Distribution;
///
/// let fit = kl::models::normal_mle(&[1, 3])?;
/// assert_eq!(fit.mean(), Some(2.0));
/// assert_eq!(fit.std_dev(), Some(1.0)); // √(((1−2)² + (3−2)²)/2)
/// # Ok::<(), kl::Error>(())
/// ```
pub fn normal_mle(samples: &[u64]) -> Result<Normal> {
    if samples.len() < 2 {
        return Err(Error::TooFewSamples {
            name: "samples",
            got: samples.len(),
            needed: 2,
        });
    }
    let (mean, variance) = mean_and_variance(samples)?;
    let sigma = variance.sqrt();
    Normal::new(mean, sigma).map_err(|_| Error::InvalidParameter {
        name: "sigma",
        value: sigma,
        reason: "the sample variance must be positive for a normal fit (every count is equal)",
    })
}

/// A Poisson's masses on the bins `0, 1, …, k_max, (> k_max)`:
///
/// ```text
/// qₖ = e^(−λ) λᵏ / k!       for k = 0 … k_max
/// q_tail = P(X > k_max)      (statrs's survival function, not 1 − Σ, so it keeps its digits)
/// ```
///
/// # Remarks
/// The result has `k_max + 2` entries and sums to 1 up to rounding. `k_max` so large that the
/// bins would not fit in memory is [`Error::InvalidParameter`].
///
/// ```
/// use statrs::distribution::Poisson;
///
/// let q = kl::models::poisson_masses(&Poisson::new(1.0)?, 1)?;
/// let e = (-1.0f64).exp();
/// assert!((q[0] - e).abs() < 1e-15 && (q[1] - e).abs() < 1e-15);
/// assert!((q[2] - (1.0 - 2.0 * e)).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn poisson_masses(model: &Poisson, k_max: u64) -> Result<Vec<f64>> {
    bin_count(k_max)?;
    let lambda = model.lambda();
    if lambda == f64::INFINITY {
        // statrs accepts λ = ∞, whose mass is all beyond any k (its `sf` would panic there).
        let mut q = vec![0.0; k_max as usize + 1];
        q.push(1.0);
        return Ok(q);
    }
    let mut q: Vec<f64> = (0..=k_max).map(|k| model.pmf(k)).collect();
    q.push(model.sf(k_max));
    Ok(q)
}

/// A normal's masses on the bins `0, 1, …, k_max, (> k_max)`, by rounding to the nearest
/// integer and folding the negative values onto 0:
///
/// ```text
/// q₀ = Φ((½ − μ)/σ)                                (all of (−∞, ½): the mass below −½ is folded onto 0)
/// qₖ = Φ((k + ½ − μ)/σ) − Φ((k − ½ − μ)/σ)         for k = 1 … k_max
/// q_tail = 1 − Φ((k_max + ½ − μ)/σ)
/// ```
///
/// # Remarks
/// - This is the distribution of `max(0, round(X))` for `X ~ N(μ, σ²)` (statrs: mean and
///   standard deviation): each mass is the normal's own probability of an interval, and they
///   telescope to exactly 1. Renormalising over `k ≥ 0` instead would raise every mass by the
///   factor `1/(1 − Φ((−½ − μ)/σ))`, quietly crediting the normal with knowing that counts are
///   non-negative; folding charges the whole of the impossible mass to the count 0, where a
///   reader can see it.
/// - Differences are taken on the side of the mean where they keep their digits (`Φ` left of
///   `μ`, the survival function right of it), so masses in either tail stay accurate.
/// - The result has `k_max + 2` entries. `k_max` so large that the bins would not fit in memory
///   is [`Error::InvalidParameter`]; so is a mean at `±∞` (which statrs accepts).
///
/// ```
/// use statrs::distribution::Normal;
///
/// let q = kl::models::discretized_normal_masses(&Normal::new(0.0, 1.0)?, 0)?;
/// // Half of N(0, 1) lies below 0 and is folded onto 0 with the interval (−½, ½).
/// assert!((q[0] - 0.6914624612740131).abs() < 1e-15); // Φ(½), scipy.stats.norm.cdf(0.5)
/// assert!((q[0] + q[1] - 1.0).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn discretized_normal_masses(model: &Normal, k_max: u64) -> Result<Vec<f64>> {
    bin_count(k_max)?;
    let mu = statrs::statistics::Distribution::mean(model).unwrap_or(f64::NAN);
    if !mu.is_finite() {
        // statrs accepts a location at ±∞; its cdf there is NaN, so there is no mass to bin.
        return Err(Error::InvalidParameter {
            name: "model mean",
            value: mu,
            reason: "must be finite",
        });
    }
    let mut q = Vec::with_capacity(k_max as usize + 2);
    for k in 0..=k_max {
        q.push(folded_mass(model, mu, k));
    }
    q.push(model.sf(k_max as f64 + 0.5));
    Ok(q)
}

/// `qₖ` of [`discretized_normal_masses`] alone (`mu` the model's finite mean): `Φ(½)` for
/// `k = 0`, else the mass of `(k − ½, k + ½]`, differenced on the side of `mu` where it keeps
/// its digits. One formula for the masses and for likelihoods that need only a few of them.
pub(crate) fn folded_mass(model: &Normal, mu: f64, k: u64) -> f64 {
    if k == 0 {
        return model.cdf(0.5);
    }
    let k = k as f64;
    let (a, b) = (k - 0.5, k + 0.5);
    if a >= mu {
        model.sf(a) - model.sf(b)
    } else {
        model.cdf(b) - model.cdf(a)
    }
}

/// How many bins `0..=k_max` plus the tail make, or an error if that cannot be allocated.
fn bin_count(k_max: u64) -> Result<usize> {
    // 2^24 bins is 128 MiB of f64 (and a fraction of a second to fill): far beyond any count
    // histogram a reader means.
    const LIMIT: u64 = 1 << 24;
    if k_max >= LIMIT {
        return Err(Error::InvalidParameter {
            name: "k_max",
            value: k_max as f64,
            reason: "must be below 2^24; the bins 0..=k_max would not fit in memory",
        });
    }
    Ok(k_max as usize + 2)
}

/// Sample mean and the MLE variance `(1/n) Σ (xᵢ − x̄)²`, in two passes for accuracy.
fn mean_and_variance(samples: &[u64]) -> Result<(f64, f64)> {
    if samples.is_empty() {
        return Err(Error::Empty { name: "samples" });
    }
    let n = samples.len() as f64;
    let mean = samples.iter().map(|&x| x as f64).sum::<f64>() / n;
    let variance = samples
        .iter()
        .map(|&x| (x as f64 - mean) * (x as f64 - mean))
        .sum::<f64>()
        / n;
    Ok((mean, variance))
}
