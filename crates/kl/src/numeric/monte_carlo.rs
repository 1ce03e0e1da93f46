//! [`monte_carlo`]: the sample mean of the log-ratio under `P`, with its standard error.

use statrs::statistics::{Max, Min};

use super::integrand::{QZeros, finite};
use super::{Estimate, LnDensity, guarded};
use crate::error::{Error, Result, check_at_most};

/// The most draws [`monte_carlo`] accepts: `10⁷`, a few seconds of work (measured on a 2-core
/// EPYC: 10⁷ draws of a Beta 2.1 s, of a Chi 1.4 s; 10⁸ would be 10–20 s). The standard error
/// at 10⁷ draws is already `s/3162`.
pub const MAX_SAMPLES: usize = 10_000_000;

/// `KL(P‖Q)` by Monte Carlo, in nats: the sample mean of the log-ratio under `P`,
///
/// ```text
/// KL ≈ (1/n) Σᵢ (ln p(Xᵢ) − ln q(Xᵢ)),   Xᵢ ~ P independent
/// error = s / √n,   s² = (1/(n − 1)) Σᵢ (rᵢ − r̄)²   (the standard error)
/// ```
///
/// Unbiased, with an error that shrinks like `1/√n` whatever the dimension or shape; the
/// standard error is itself estimated from the sample. Being unbiased, the mean can come out
/// below 0 when the divergence is within a few standard errors of 0: it is returned as it
/// is, since clipping it at 0 would bias it upwards (`value + 4·error ≥ 0` is the check that
/// it is consistent with a divergence). Draws come from `P`'s `rand::distr::Distribution`
/// impl (statrs's samplers), so a seeded `rng` gives the same value every run.
///
/// # Result and errors
/// `+∞` (`error` 0) as soon as a draw lands where `ln q = −∞`. Errors:
/// [`Error::TooFewSamples`] for `n < 2` (no standard error from one draw);
/// [`Error::NotFinite`] for a draw of `P` that is NaN or infinite (statrs 0.19.1's `Gumbel`
/// sampler returns NaN every time: sample it by its inverse cdf instead);
/// [`Error::BadDensity`] if a log-density is NaN or `+∞` at a draw, or if `ln p = −∞` at a draw
/// of `P` (the sampler and the density disagree).
///
/// ```
/// use rand::SeedableRng;
/// use rand::rngs::StdRng;
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(2.0, 2.0)?;
/// let mut rng = StdRng::seed_from_u64(7);
/// let kl = kl::numeric::monte_carlo(&p, &q, 100_000, &mut rng)?;
/// assert!((kl.value - 0.5).abs() < 4.0 * kl.error);   // the closed form is 0.5
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn monte_carlo<P, Q, R: rand::Rng + ?Sized>(
    p: &P,
    q: &Q,
    n: usize,
    rng: &mut R,
) -> Result<Estimate>
where
    P: LnDensity + rand::distr::Distribution<f64>,
    Q: LnDensity + Min<f64> + Max<f64>,
{
    guarded("monte_carlo", || {
        check_draws(n)?;
        let mut sum = Welford::default();
        let mut zeros = QZeros::default();
        for i in 0..n {
            let x = match p.bounded_sample(rng) {
                Some(x) => x,
                None => p.sample(rng),
            };
            if !x.is_finite() {
                // A broken sampler (statrs 0.19.1's Gumbel draws ln of a negative number: NaN).
                return Err(Error::NotFinite {
                    name: "draw of P",
                    index: i,
                    value: x,
                });
            }
            let lp = finite("ln p", x, p.ln_density(x))?;
            let Some(lq) = zeros.ln_q(q, x)? else {
                continue;
            };
            sum.push(lp - lq);
        }
        if let Some(verdict) = zeros.verdict(q) {
            return verdict;
        }
        Ok(sum.estimate())
    })
}

/// `n` draws are at least 2 (a standard error needs two) and at most [`MAX_SAMPLES`].
pub(crate) fn check_draws(n: usize) -> Result<()> {
    if n < 2 {
        return Err(Error::TooFewSamples {
            name: "n",
            got: n,
            needed: 2,
        });
    }
    check_at_most(
        "n",
        n,
        MAX_SAMPLES,
        "more draws would not finish in reasonable time (the error falls only as 1/√n); use `quadrature` for accuracy",
    )
}

/// Welford's running mean and sum of squared deviations: one pass, no cancellation.
#[derive(Debug, Default)]
pub(crate) struct Welford {
    count: usize,
    mean: f64,
    m2: f64,
}

impl Welford {
    /// Adds one log-ratio.
    pub(crate) fn push(&mut self, r: f64) {
        self.count += 1;
        let delta = r - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (r - self.mean);
    }

    /// The mean and its standard error `s/√n` (at least two values pushed).
    pub(crate) fn estimate(&self) -> Estimate {
        let n = self.count as f64;
        let variance = self.m2 / (n - 1.0);
        Estimate {
            value: self.mean,
            error: (variance / n).sqrt(),
        }
    }
}
