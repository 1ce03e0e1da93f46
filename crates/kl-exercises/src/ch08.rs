//! Exercises for chapter 08: Gaussian mixtures, where KL has no closed form.

/// A one-dimensional Gaussian mixture `Σₖ wₖ N(mₖ, sₖ)`: weights summing to 1, means, and
/// standard deviations, one entry per component.
#[derive(Debug, Clone, PartialEq)]
pub struct Mixture {
    /// The weights `wₖ`, non-negative, summing to 1.
    pub weights: Vec<f64>,
    /// The means `mₖ`.
    pub means: Vec<f64>,
    /// The standard deviations `sₖ > 0`.
    pub sds: Vec<f64>,
}

/// KL between two mixtures by Monte Carlo.
///
/// There is no closed form for the divergence between two Gaussian mixtures, but it is an
/// expectation under `P`, so sampling estimates it:
///
/// ```text
/// KL(P‖Q) = E_P[ln p(X) − ln q(X)]  ≈  (1/n) Σᵢ (ln p(xᵢ) − ln q(xᵢ)),   xᵢ ~ P
/// ```
///
/// Draw `n` samples from `P` with `rand::rngs::StdRng::seed_from_u64(seed)` (pick a component
/// by its weight, then draw from that normal), and return the estimate together with its
/// standard error `sd(dᵢ)/√n`, both in nats. Compute `ln p(x)` of a mixture with the
/// log-sum-exp trick: the grader puts `Q`'s components where `P`'s samples never go, and there
/// every `exp` underflows.
pub fn exercise_8_1(p: &Mixture, q: &Mixture, n: usize, seed: u64) -> (f64, f64) {
    // Hint: `rand_distr::Normal` samples a normal; `rand::RngExt::random::<f64>()` gives a
    // uniform number for choosing the component.
    // BEGIN SOLUTION
    use rand::{RngExt, SeedableRng};
    use rand_distr::{Distribution, Normal};
    fn ln_density(m: &Mixture, x: f64) -> f64 {
        let terms: Vec<f64> = m
            .weights
            .iter()
            .zip(&m.means)
            .zip(&m.sds)
            .map(|((w, mu), s)| {
                w.ln()
                    - 0.5 * ((x - mu) / s).powi(2)
                    - (s * (2.0 * std::f64::consts::PI).sqrt()).ln()
            })
            .collect();
        let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln()
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    for _ in 0..n {
        let u: f64 = rng.random();
        let mut acc = 0.0;
        let mut k = p.weights.len() - 1;
        for (i, w) in p.weights.iter().enumerate() {
            acc += w;
            if u < acc {
                k = i;
                break;
            }
        }
        let x = match Normal::new(p.means[k], p.sds[k]) {
            Ok(normal) => normal.sample(&mut rng),
            Err(_) => f64::NAN,
        };
        let d = ln_density(p, x) - ln_density(q, x);
        sum += d;
        sum_sq += d * d;
    }
    let nf = n as f64;
    let mean = sum / nf;
    let var = (sum_sq / nf - mean * mean).max(0.0) * nf / (nf - 1.0);
    (mean, (var / nf).sqrt())
    // END SOLUTION
}

/// The E-step: responsibilities in log space.
///
/// In expectation–maximisation for a mixture, the E-step sets the distribution over the
/// components for a point `x` to the posterior
///
/// ```text
/// rₖ(x) = wₖ N(x | mₖ, sₖ) / Σⱼ wⱼ N(x | mⱼ, sⱼ)
/// ```
///
/// which is exactly the `r` that makes `KL(r ‖ posterior)` zero: the E-step is a KL
/// minimisation. Return the responsibilities of every component for the point `x`. Work in log
/// space: for `x` far from every mean all the densities underflow to 0, yet the
/// responsibilities are still well defined (which component takes the whole point?).
pub fn exercise_8_2(x: f64, mixture: &Mixture) -> Vec<f64> {
    // Hint: subtract the largest log-term before exponentiating.
    // BEGIN SOLUTION
    let logs: Vec<f64> = mixture
        .weights
        .iter()
        .zip(&mixture.means)
        .zip(&mixture.sds)
        .map(|((w, m), s)| w.ln() - 0.5 * ((x - m) / s).powi(2) - s.ln())
        .collect();
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let scaled: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = scaled.iter().sum();
    scaled.iter().map(|s| s / total).collect()
    // END SOLUTION
}
