//! Expectation–maximisation for [`GaussianMixture`]: the log-likelihood, the E-step, the
//! M-step, the ELBO and the posterior KL between them, and the loop [`em`].

use super::GaussianMixture;
use crate::error::{Error, Result, check_all_finite};

fn check_data(data: &[f64]) -> Result<()> {
    if data.is_empty() {
        return Err(Error::Empty { name: "data" });
    }
    check_all_finite("data", data)
}

/// The log-likelihood of the data, in nats: `ln p(x | θ) = Σᵢ ln Σₖ wₖ N(xᵢ; μₖ, σₖ)`.
///
/// Errors: empty data ([`Error::Empty`]), NaN or ±∞ ([`Error::NotFinite`]).
///
/// ```
/// use kl::mixture::{log_likelihood, GaussianMixture};
/// let m = GaussianMixture::new(&[1.0], &[0.0], &[1.0])?;
/// let ll = log_likelihood(&m, &[0.0, 1.0])?;
/// assert!((ll - (-0.5 - 2.0 * 0.9189385332046727)).abs() < 1e-12);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn log_likelihood(mixture: &GaussianMixture, data: &[f64]) -> Result<f64> {
    check_data(data)?;
    Ok(data.iter().map(|&x| mixture.ln_density(x)).sum())
}

/// The E-step: the responsibilities `r_ik = p(k | xᵢ, θ) = wₖ N(xᵢ; μₖ, σₖ) / p(xᵢ | θ)`, one
/// row of `K` probabilities per data point, computed in log space.
///
/// Errors: as [`log_likelihood`].
///
/// ```
/// use kl::mixture::{responsibilities, GaussianMixture};
/// let m = GaussianMixture::new(&[0.5, 0.5], &[-1.0, 1.0], &[1.0, 1.0])?;
/// let r = responsibilities(&m, &[0.0, 1.0])?;
/// assert!((r[0][0] - 0.5).abs() < 1e-15);            // halfway: no preference
/// assert!((r[1][1] - 1.0 / (1.0 + (-2.0f64).exp())).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn responsibilities(mixture: &GaussianMixture, data: &[f64]) -> Result<Vec<Vec<f64>>> {
    check_data(data)?;
    Ok(data
        .iter()
        .map(|&x| {
            let mut row = vec![0.0; mixture.len()];
            mixture.posterior_into(x, &mut row);
            row
        })
        .collect())
}

fn check_responsibilities(mixture: &GaussianMixture, data: &[f64], r: &[Vec<f64>]) -> Result<()> {
    check_data(data)?;
    if r.len() != data.len() {
        return Err(Error::DimensionMismatch {
            name: "responsibilities",
            expected: data.len(),
            got: r.len(),
        });
    }
    for row in r {
        if row.len() != mixture.len() {
            return Err(Error::DimensionMismatch {
                name: "responsibilities[i]",
                expected: mixture.len(),
                got: row.len(),
            });
        }
    }
    Ok(())
}

/// The M-step: the mixture that maximises the ELBO for fixed responsibilities,
///
/// ```text
/// Nₖ = Σᵢ r_ik,   wₖ = Nₖ / n,   μₖ = Σᵢ r_ik xᵢ / Nₖ,   σₖ² = Σᵢ r_ik (xᵢ − μₖ)² / Nₖ
/// ```
///
/// Errors: data as [`log_likelihood`]; `r` not `n` rows of `K` ([`Error::DimensionMismatch`]);
/// a row that is not a probability vector (through [`crate::discrete::entropy`]'s checks);
/// a component left with no responsibility or a zero spread ([`Error::EmptyComponent`]: the
/// likelihood is unbounded there — start elsewhere or use fewer components).
///
/// ```
/// use kl::mixture::{m_step, GaussianMixture};
/// let data = [0.0, 2.0, 10.0, 12.0];
/// let r = vec![vec![1.0, 0.0], vec![1.0, 0.0], vec![0.0, 1.0], vec![0.0, 1.0]];
/// let shape = GaussianMixture::new(&[0.5, 0.5], &[0.0, 1.0], &[1.0, 1.0])?;
/// let m = m_step(&shape, &data, &r)?;
/// assert_eq!(m.means(), &[1.0, 11.0]);
/// assert_eq!(m.std_devs(), &[1.0, 1.0]);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn m_step(shape: &GaussianMixture, data: &[f64], r: &[Vec<f64>]) -> Result<GaussianMixture> {
    check_responsibilities(shape, data, r)?;
    for row in r {
        crate::discrete::entropy(row)?;
    }
    let n = data.len() as f64;
    let k_count = shape.len();
    let mut weights = vec![0.0; k_count];
    let mut means = vec![0.0; k_count];
    let mut std_devs = vec![0.0; k_count];
    for k in 0..k_count {
        let nk: f64 = r.iter().map(|row| row[k]).sum();
        let mean = r.iter().zip(data).map(|(row, x)| row[k] * x).sum::<f64>() / nk;
        let var = r
            .iter()
            .zip(data)
            .map(|(row, x)| row[k] * (x - mean).powi(2))
            .sum::<f64>()
            / nk;
        if nk <= 0.0 || var.is_nan() || var <= 0.0 || var.is_infinite() {
            return Err(Error::EmptyComponent {
                component: k,
                responsibility: nk,
                variance: var,
            });
        }
        weights[k] = nk / n;
        means[k] = mean;
        std_devs[k] = var.sqrt();
    }
    // Renormalise away the rounding of Σ Nₖ / n.
    let total: f64 = weights.iter().sum();
    weights.iter_mut().for_each(|w| *w /= total);
    GaussianMixture::new(&weights, &means, &std_devs)
}

/// The evidence lower bound for responsibilities `r`, in nats:
///
/// ```text
/// ELBO(r, θ) = Σᵢ Σₖ r_ik ln( wₖ N(xᵢ; μₖ, σₖ) / r_ik )      (r_ik = 0 contributes 0)
/// ```
///
/// Errors: as [`posterior_kl`].
///
/// ```
/// use kl::mixture::{elbo, log_likelihood, responsibilities, GaussianMixture};
/// let m = GaussianMixture::new(&[0.4, 0.6], &[-1.0, 1.0], &[1.0, 0.5])?;
/// let data = [-0.5, 0.3, 1.2];
/// let r = responsibilities(&m, &data)?;
/// // At the posterior the bound is tight.
/// assert!((elbo(&m, &data, &r)? - log_likelihood(&m, &data)?).abs() < 1e-12);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn elbo(mixture: &GaussianMixture, data: &[f64], r: &[Vec<f64>]) -> Result<f64> {
    check_responsibilities(mixture, data, r)?;
    let mut total = 0.0;
    for (row, &x) in r.iter().zip(data) {
        crate::discrete::entropy(row)?;
        for (k, &rk) in row.iter().enumerate() {
            if rk > 0.0 {
                total += rk * (mixture.ln_joint(x, k) - rk.ln());
            }
        }
    }
    Ok(total)
}

/// The gap between the log-likelihood and the ELBO: the KL divergence from the posterior to
/// the responsibilities, summed over the data, in nats:
///
/// ```text
/// Σᵢ KL( rᵢ ‖ p(z | xᵢ, θ) ) = Σᵢ Σₖ r_ik ln( r_ik / p(k | xᵢ, θ) )
/// ```
///
/// computed in log space, `ln p(k | xᵢ, θ) = ln(wₖ N(xᵢ; μₖ, σₖ)) − ln p(xᵢ | θ)`, so a
/// posterior that underflows a double far in a tail still gives the right (large, finite) gap
/// rather than `+∞`. Terms with `r_ik = 0` contribute 0. It is `+∞` only where `r_ik > 0` on a
/// component of weight 0. Each point's KL is clamped at 0 (it is never negative; at the
/// posterior, rounding can leave a −1e-17 behind).
///
/// Errors: as [`log_likelihood`]; `r` not `n` rows of `K` ([`Error::DimensionMismatch`]); a row
/// that is not a probability vector (the checks of [`crate::discrete::entropy`]).
///
/// ```
/// use kl::mixture::{posterior_kl, GaussianMixture};
/// let m = GaussianMixture::new(&[0.5, 0.5], &[-1.0, 1.0], &[1.0, 1.0])?;
/// // At x = 0 the posterior is (1/2, 1/2); r = (1, 0) is ln 2 away from it.
/// let kl = posterior_kl(&m, &[0.0], &[vec![1.0, 0.0]])?;
/// assert!((kl - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn posterior_kl(mixture: &GaussianMixture, data: &[f64], r: &[Vec<f64>]) -> Result<f64> {
    check_responsibilities(mixture, data, r)?;
    let mut total = 0.0;
    for (row, &x) in r.iter().zip(data) {
        crate::discrete::entropy(row)?;
        let ln_p = mixture.ln_density(x);
        let mut row_kl = 0.0;
        for (k, &rk) in row.iter().enumerate() {
            if rk > 0.0 {
                row_kl += rk * (rk.ln() - (mixture.ln_joint(x, k) - ln_p));
            }
        }
        // KL ≥ 0; when r is the posterior, rounding can leave −1e-17 behind.
        total += row_kl.max(0.0);
    }
    Ok(total)
}

/// Settings of [`em`].
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Most EM iterations (default 500).
    pub iterations: usize,
    /// Stop when one iteration raises the log-likelihood by less than this, in nats
    /// (default 1e-10).
    pub tolerance: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            iterations: 500,
            tolerance: 1e-10,
        }
    }
}

/// One row of [`em`]'s history: the log-likelihood after `iteration` EM iterations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// How many iterations have run (0 is the start).
    pub iteration: usize,
    /// The log-likelihood of the data there, in nats.
    pub log_likelihood: f64,
}

/// What [`em`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The fitted mixture.
    pub mixture: GaussianMixture,
    /// The start, then one row after each iteration.
    pub history: Vec<Step>,
    /// Whether the last iteration's gain was below the tolerance.
    pub converged: bool,
}

/// Expectation–maximisation from `initial`: repeat the E-step ([`responsibilities`]) and the
/// M-step ([`m_step`]) until the log-likelihood gains less than `tolerance` in one iteration
/// or `iterations` have run. Each iteration cannot lower the log-likelihood (see the
/// [module docs](super)); the history lets you check it.
///
/// Errors: as [`log_likelihood`] and [`m_step`]; a tolerance that is not finite and positive
/// ([`Error::InvalidParameter`]); fewer data points than components ([`Error::TooFewSamples`]).
///
/// See the [module docs](super) for an example.
pub fn em(data: &[f64], initial: &GaussianMixture, options: &Options) -> Result<Fit> {
    check_data(data)?;
    if !options.tolerance.is_finite() || options.tolerance <= 0.0 {
        return Err(Error::InvalidParameter {
            name: "tolerance",
            value: options.tolerance,
            reason: "must be finite and positive",
        });
    }
    if data.len() < initial.len() {
        return Err(Error::TooFewSamples {
            name: "data",
            got: data.len(),
            needed: initial.len(),
        });
    }
    let mut mixture = initial.clone();
    let mut last = log_likelihood(&mixture, data)?;
    let mut history = vec![Step {
        iteration: 0,
        log_likelihood: last,
    }];
    let mut converged = false;
    for iteration in 1..=options.iterations {
        let r = responsibilities(&mixture, data)?;
        mixture = m_step(&mixture, data, &r)?;
        let ll = log_likelihood(&mixture, data)?;
        let gain = ll - last;
        last = ll;
        history.push(Step {
            iteration,
            log_likelihood: ll,
        });
        if gain < options.tolerance {
            converged = true;
            break;
        }
    }
    Ok(Fit {
        mixture,
        history,
        converged,
    })
}
