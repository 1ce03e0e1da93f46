//! Maximum likelihood within the discretised, folded normal family.
//!
//! Chapter 06 compares count data with a normal rounded to the nearest count, its negative
//! values folded onto 0 ([`crate::models::discretized_normal_masses`]):
//!
//! ```text
//! q₀(μ, σ) = Φ((½ − μ)/σ),   qₖ(μ, σ) = Φ((k + ½ − μ)/σ) − Φ((k − ½ − μ)/σ)   (k ≥ 1)
//! ```
//!
//! The continuous MLE (`μ̂` the mean, `σ̂²` the variance with divisor `n`) maximises the
//! normal's *density* at the counts, not these masses, so it is not the closest member of this
//! family to the data. [`folded_normal_mle`] maximises the family's own log-likelihood
//!
//! ```text
//! ℓ(μ, σ) = Σᵢ ln q_{xᵢ}(μ, σ) = Σₖ nₖ ln qₖ(μ, σ)        (nₖ: how many counts equal k)
//! ```
//!
//! which is the same as minimising `KL(p̂ ‖ q(μ, σ)) = −H(p̂) − ℓ(μ, σ)/n` over the family.

use statrs::distribution::Normal;

use crate::error::{Error, Result};
use crate::models::{discretized_normal_masses, folded_mass, normal_mle};

/// The discretised, folded normal closest to a sample of counts.
#[derive(Debug, Clone, PartialEq)]
pub struct FoldedNormalFit {
    /// The location `μ` of the underlying normal.
    pub mu: f64,
    /// The standard deviation `σ` of the underlying normal.
    pub sigma: f64,
    /// The maximised log-likelihood `ℓ(μ, σ) = Σᵢ ln q_{xᵢ}`, in nats.
    pub log_likelihood: f64,
    /// Nelder–Mead iterations used.
    pub iterations: usize,
}

/// Fits the discretised, folded normal to `samples` by maximum likelihood within that family.
///
/// Maximises `ℓ(μ, σ) = Σₖ nₖ ln qₖ(μ, σ)` (see the [module](self)) over `μ ∈ ℝ`, `σ > 0` by
/// Nelder–Mead on `(μ, ln σ)`, started at the continuous MLE ([`normal_mle`]), until the
/// simplex's log-likelihoods agree to `1e-11` nats per observation and its vertices to `1e-9`.
///
/// # Remarks
/// - Errors as [`normal_mle`] for fewer than two samples or all counts equal (the likelihood
///   then grows without bound as `σ → 0`); [`Error::NotConverged`] after 10 000 iterations.
/// - The family has two parameters, like the normal: for AIC `= 2·2 − 2ℓ`.
///
/// ```
/// let counts = [0, 0, 1, 1, 1, 2, 2, 3, 4, 6];
/// let fit = kl::discretised::folded_normal_mle(&counts)?;
/// // The family's own maximum is at least the likelihood at the continuous MLE.
/// let start = kl::models::normal_mle(&counts)?;
/// let at_start = kl::discretised::log_likelihood(&counts, &start)?;
/// assert!(fit.log_likelihood >= at_start);
/// assert!(fit.sigma > 0.0 && fit.log_likelihood < 0.0);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn folded_normal_mle(samples: &[u64]) -> Result<FoldedNormalFit> {
    let start = normal_mle(samples)?;
    let counts = tally(samples);
    let n = samples.len() as f64;
    // Minimise the negative log-likelihood per observation; −∞ likelihoods become +∞.
    let objective = |v: [f64; 2]| -> f64 {
        match Normal::new(v[0], v[1].exp()) {
            Ok(model) => match tallied_log_likelihood(&counts, &model) {
                Ok(l) if l.is_finite() => -l / n,
                _ => f64::INFINITY,
            },
            Err(_) => f64::INFINITY,
        }
    };
    let mu0 = statrs::statistics::Distribution::mean(&start).unwrap_or(0.0);
    let sd0 = statrs::statistics::Distribution::std_dev(&start).unwrap_or(1.0);
    let (best, iterations) = nelder_mead(objective, [mu0, sd0.ln()], [0.1 * sd0, 0.1])?;
    let sigma = best[1].exp();
    let model = Normal::new(best[0], sigma).map_err(|_| Error::InvalidParameter {
        name: "sigma",
        value: sigma,
        reason: "the fit left the family's domain",
    })?;
    Ok(FoldedNormalFit {
        mu: best[0],
        sigma,
        log_likelihood: tallied_log_likelihood(&counts, &model)?,
        iterations,
    })
}

/// The log-likelihood `Σᵢ ln q_{xᵢ}` of counts under the discretised, folded `model`, in nats.
///
/// ```
/// use statrs::distribution::Normal;
///
/// // One count of 0 under N(0, 1): q₀ = Φ(½).
/// let l = kl::discretised::log_likelihood(&[0], &Normal::new(0.0, 1.0)?)?;
/// assert!((l - 0.6914624612740131f64.ln()).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn log_likelihood(samples: &[u64], model: &Normal) -> Result<f64> {
    if samples.is_empty() {
        return Err(Error::Empty { name: "samples" });
    }
    tallied_log_likelihood(&tally(samples), model)
}

/// The distinct values of `samples` in increasing order, each with its count: work and memory
/// in proportion to the samples, not to the largest count (a count of 2⁶⁴ − 1 would ask for
/// that many bins).
fn tally(samples: &[u64]) -> Vec<(u64, u64)> {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let mut counts: Vec<(u64, u64)> = Vec::new();
    for x in sorted {
        match counts.last_mut() {
            Some((value, count)) if *value == x => *count += 1,
            _ => counts.push((x, 1)),
        }
    }
    counts
}

/// `Σ cₖ ln qₖ` over the observed values `k` (in increasing order), with the masses of
/// [`discretized_normal_masses`](crate::models::discretized_normal_masses).
fn tallied_log_likelihood(counts: &[(u64, u64)], model: &Normal) -> Result<f64> {
    // The masses' own checks (a mean at ±∞) for the one bin 0.
    discretized_normal_masses(model, 0)?;
    let mu = statrs::statistics::Distribution::mean(model).unwrap_or(f64::NAN);
    Ok(counts
        .iter()
        .map(|&(k, c)| c as f64 * folded_mass(model, mu, k).ln())
        .sum())
}

/// Nelder–Mead (reflection 1, expansion 2, contraction ½, shrink ½) in two dimensions.
fn nelder_mead(
    f: impl Fn([f64; 2]) -> f64,
    start: [f64; 2],
    step: [f64; 2],
) -> Result<([f64; 2], usize)> {
    const MAX_ITERATIONS: usize = 10_000;
    let mut simplex = [
        start,
        [start[0] + step[0], start[1]],
        [start[0], start[1] + step[1]],
    ];
    let mut values = simplex.map(&f);
    for iteration in 0..MAX_ITERATIONS {
        let mut order = [0, 1, 2];
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        simplex = order.map(|i| simplex[i]);
        values = order.map(|i| values[i]);
        let size = (1..3)
            .map(|i| {
                (0..2)
                    .map(|d| (simplex[i][d] - simplex[0][d]).abs())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max);
        if values[0].is_finite()
            && values[2] - values[0] <= 1e-11 * (1.0 + values[0].abs())
            && size <= 1e-9
        {
            return Ok((simplex[0], iteration));
        }
        let centroid = [
            0.5 * (simplex[0][0] + simplex[1][0]),
            0.5 * (simplex[0][1] + simplex[1][1]),
        ];
        let towards = |t: f64| {
            [
                centroid[0] + t * (simplex[2][0] - centroid[0]),
                centroid[1] + t * (simplex[2][1] - centroid[1]),
            ]
        };
        let reflected = towards(-1.0);
        let fr = f(reflected);
        if fr < values[0] {
            let expanded = towards(-2.0);
            let fe = f(expanded);
            (simplex[2], values[2]) = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < values[1] {
            (simplex[2], values[2]) = (reflected, fr);
        } else {
            let contracted = if fr < values[2] {
                towards(-0.5)
            } else {
                towards(0.5)
            };
            let fc = f(contracted);
            if fc < values[2].min(fr) {
                (simplex[2], values[2]) = (contracted, fc);
            } else {
                for i in 1..3 {
                    simplex[i] = [
                        0.5 * (simplex[0][0] + simplex[i][0]),
                        0.5 * (simplex[0][1] + simplex[i][1]),
                    ];
                    values[i] = f(simplex[i]);
                }
            }
        }
    }
    Err(Error::NotConverged {
        routine: "folded_normal_mle (Nelder–Mead)",
        evaluations: MAX_ITERATIONS as u64,
        value: values[0],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::ContinuousCDF;

    /// The log-likelihood written out from Φ directly, not through `discretized_normal_masses`.
    fn direct(samples: &[u64], mu: f64, sigma: f64) -> f64 {
        let n = Normal::new(mu, sigma).unwrap();
        samples
            .iter()
            .map(|&x| {
                let hi = n.cdf(x as f64 + 0.5);
                let lo = if x == 0 { 0.0 } else { n.cdf(x as f64 - 0.5) };
                (hi - lo).ln()
            })
            .sum()
    }

    /// An independent route to the maximum: a grid search of `direct`, 41 × 41 points,
    /// narrowed around its best point five times (final spacing about 1e-7 of the start's
    /// width), in (μ, σ) rather than (μ, ln σ).
    fn grid_search(samples: &[u64], mu: f64, sigma: f64) -> (f64, f64, f64) {
        let (mut cm, mut cs) = (mu, sigma);
        let (mut wm, mut ws) = (0.5 * sigma, 0.5 * sigma);
        let mut best = (f64::NEG_INFINITY, cm, cs);
        for _ in 0..6 {
            for i in 0..=40 {
                for j in 0..=40 {
                    let m = cm + wm * (i as f64 / 20.0 - 1.0);
                    let s = cs + ws * (j as f64 / 20.0 - 1.0);
                    if s > 0.0 {
                        let l = direct(samples, m, s);
                        if l > best.0 {
                            best = (l, m, s);
                        }
                    }
                }
            }
            (cm, cs) = (best.1, best.2);
            wm /= 10.0;
            ws /= 10.0;
        }
        best
    }

    fn check_against_grid(samples: &[u64]) {
        let fit = folded_normal_mle(samples).unwrap();
        let start = normal_mle(samples).unwrap();
        let mu0 = statrs::statistics::Distribution::mean(&start).unwrap();
        let sd0 = statrs::statistics::Distribution::std_dev(&start).unwrap();
        let (l, m, s) = grid_search(samples, mu0, sd0);
        let n = samples.len() as f64;
        // The grid's best point is within its final spacing (≈ 2.5e-8 · σ̂) of the maximum;
        // the likelihood is flat there to second order, so the two maxima agree to ~1e-12
        // per observation, and the parameters to the grid's resolution.
        assert!(
            (fit.log_likelihood - l).abs() / n < 1e-9,
            "{} vs grid {l}",
            fit.log_likelihood
        );
        assert!(fit.log_likelihood >= l - 1e-9 * n);
        assert!((fit.mu - m).abs() < 1e-4 * sd0, "mu {} vs grid {m}", fit.mu);
        assert!(
            (fit.sigma - s).abs() < 1e-4 * sd0,
            "sigma {} vs grid {s}",
            fit.sigma
        );
        let at_fit = direct(samples, fit.mu, fit.sigma);
        assert!((at_fit - fit.log_likelihood).abs() < 1e-9 * n);
    }

    #[test]
    fn the_fit_is_the_grid_searchs_maximum_small_counts_with_zeros() {
        // Mean near 1: a large share of the normal below ½ is folded onto 0, so the family's
        // MLE is far from the continuous one.
        let samples = [0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 0, 1, 2, 4, 0, 1];
        check_against_grid(&samples);
        let fit = folded_normal_mle(&samples).unwrap();
        let start = normal_mle(&samples).unwrap();
        assert!(fit.log_likelihood > log_likelihood(&samples, &start).unwrap() + 1e-3);
    }

    #[test]
    fn the_fit_is_the_grid_searchs_maximum_larger_counts() {
        let samples: Vec<u64> = (0..200u64).map(|i| 30 + (i * 37 % 23)).collect();
        check_against_grid(&samples);
    }

    #[test]
    fn degenerate_and_empty_input_are_errors() {
        assert!(matches!(
            folded_normal_mle(&[]),
            Err(Error::TooFewSamples { .. })
        ));
        assert!(matches!(
            folded_normal_mle(&[3, 3, 3]),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(matches!(
            log_likelihood(&[], &Normal::new(0.0, 1.0).unwrap()),
            Err(Error::Empty { .. })
        ));
    }
}
