//! Discrete pairs across families: Bernoulli and Binomial against Poisson.

use statrs::distribution::{Bernoulli, Binomial, Discrete, Poisson};

use crate::closed_form::discrete::bulk_sum;
use crate::closed_form::{KlDivergence, cross_family, x_ln_x_over_y};

/// Bernoulli against Poisson; statrs: `Bernoulli::new(p)` success probability,
/// `Poisson::new(λ)` the mean. P lives on `{0, 1}`, inside Q's support:
///
/// ```text
/// KL = p ln p + (1 − p) ln(1 − p) + λ − p ln λ        (0 ln 0 = 0)
/// ```
///
/// Hand computation: `(1 − p) ln((1 − p)/e^(−λ)) + p ln(p/(λ e^(−λ)))`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Bernoulli, Poisson};
///
/// let p = Bernoulli::new(0.3)?;
/// let kl = p.kl_divergence(&Poisson::new(0.5)?);
/// let hand = 0.3 * 0.3f64.ln() + 0.7 * 0.7f64.ln() + 0.5 - 0.3 * 0.5f64.ln();
/// assert!((kl - hand).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Poisson> for Bernoulli {
    fn kl_divergence(&self, q: &Poisson) -> f64 {
        let (p, l) = (self.p(), q.lambda());
        cross_family(&[p], &[l], || {
            x_ln_x_over_y(p, 1.0) + x_ln_x_over_y(1.0 - p, 1.0) + l - p * l.ln()
        })
    }
}

/// Binomial against Poisson; statrs: `Binomial::new(p, n)` success probability and trials,
/// `Poisson::new(λ)` the mean. P's support `0..=n` is inside Q's, so the divergence is finite,
/// but `E[ln k!]` under a binomial has no closed form: it is the finite sum
///
/// ```text
/// KL = Σ_{k=0}^{n} P(k) [ln P(k) − k ln λ + λ + ln k!]
/// ```
///
/// over the `k` within `40σ + 40` of `np` (P's mass outside is below `1e-26`), `O(√n)` terms.
/// Checked below against the direct sum over all `k`.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::{Binomial, Discrete, Poisson};
///
/// let p = Binomial::new(0.1, 20)?;
/// let q = Poisson::new(2.0)?;
/// let sum: f64 = (0..=20).map(|k| p.pmf(k) * (p.ln_pmf(k) - q.ln_pmf(k))).sum();
/// assert!((p.kl_divergence(&q) - sum).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Poisson> for Binomial {
    fn kl_divergence(&self, q: &Poisson) -> f64 {
        let (p, n, l) = (self.p(), self.n(), q.lambda());
        cross_family(&[p], &[l], || {
            let mean = n as f64 * p;
            let half_width = 40.0 * (mean * (1.0 - p)).sqrt() + 40.0;
            let first = (mean - half_width).floor().max(0.0) as u64;
            let last = ((mean + half_width).ceil() as u64).min(n);
            bulk_sum(first, last, |k| self.ln_pmf(k), |k| q.ln_pmf(k))
        })
    }
}
