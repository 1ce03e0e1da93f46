//! `kl::models` against independent routes: masses against numerical integration of the pdf,
//! maximum-likelihood fits against a grid search of the log-likelihood, and the identity that
//! links `KL(empirical ‖ model)` to the mean log-likelihood.

use kl::Error;
use kl::models::{
    discretized_normal_masses, empirical_pmf, normal_mle, poisson_masses, poisson_mle,
};
use proptest::prelude::{ProptestConfig, prop_assert, proptest};
use rand::SeedableRng;
use rand::distr::Distribution as _;
use rand::rngs::StdRng;
use statrs::distribution::{Continuous, Discrete, NegativeBinomial, Normal, Poisson};
use statrs::statistics::Distribution;

/// ∫ₐᵇ pdf by the double-exponential rule; the target 1e-13 is far below the 1e-10 the tests
/// demand, and the integrand is smooth on every finite interval used here.
fn integral(model: &Normal, a: f64, b: f64) -> f64 {
    quadrature::double_exponential::integrate(|x| model.pdf(x), a, b, 1e-13).integral
}

#[test]
fn discretized_normal_matches_integration_of_the_pdf() {
    for (mu, sigma) in [(3.0, 1.7), (0.2, 0.9), (40.0, 14.0), (5.0, 0.3)] {
        let model = Normal::new(mu, sigma).unwrap();
        let k_max = (mu + 4.0 * sigma).ceil() as u64;
        let q = discretized_normal_masses(&model, k_max).unwrap();
        assert_eq!(q.len(), k_max as usize + 2);
        // The pdf is negligible (< 1e-300) 40σ from the mean, so finite limits lose nothing.
        let (lo, hi) = (mu - 40.0 * sigma, mu + 40.0 * sigma);
        assert!((q[0] - integral(&model, lo, 0.5)).abs() < 1e-10, "k = 0");
        for k in 1..=k_max {
            let (a, b) = (k as f64 - 0.5, k as f64 + 0.5);
            let expected = integral(&model, a, b);
            assert!(
                (q[k as usize] - expected).abs() < 1e-10,
                "N({mu}, {sigma}) k = {k}: {} vs {expected}",
                q[k as usize]
            );
        }
        let tail = integral(&model, k_max as f64 + 0.5, hi);
        assert!((q[k_max as usize + 1] - tail).abs() < 1e-10, "tail");
    }
}

#[test]
fn discretized_normal_far_tail_keeps_its_digits() {
    // N(0, 1) at k = 9: Φ(9.5) − Φ(8.5) is 9.48e-18, lost entirely by 1 − 1 in the cdf.
    // Reference (tests/reference/models.py): scipy.stats.norm.sf(8.5) - norm.sf(9.5) = 9.478485370695713e-18.
    let q = discretized_normal_masses(&Normal::new(0.0, 1.0).unwrap(), 10).unwrap();
    assert!(((q[9] - 9.478485370695713e-18) / 9.478485370695713e-18).abs() < 1e-9);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn masses_sum_to_one(mu in -20.0f64..200.0, sigma in 0.05f64..60.0, k_max in 0u64..300) {
        let normal = discretized_normal_masses(&Normal::new(mu, sigma).unwrap(), k_max).unwrap();
        let sum: f64 = normal.iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-12, "normal masses sum to {}", sum);
        prop_assert!(normal.iter().all(|&m| m >= 0.0));
        let lambda = mu.abs() + 0.01;
        let poisson = poisson_masses(&Poisson::new(lambda).unwrap(), k_max).unwrap();
        let sum: f64 = poisson.iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-12, "poisson masses sum to {}", sum);
    }

    #[test]
    fn empirical_pmf_is_a_distribution(
        samples in proptest::collection::vec(0u64..50, 1..200),
        k_max in 0u64..60,
    ) {
        let p = empirical_pmf(&samples, k_max).unwrap();
        prop_assert!(p.len() as u64 == k_max + 2);
        // Accepted by the discrete kernel as a probability vector.
        prop_assert!(kl::discrete::entropy(&p).is_ok());
        let above = samples.iter().filter(|&&x| x > k_max).count() as f64;
        prop_assert!((p[p.len() - 1] - above / samples.len() as f64).abs() < 1e-15);
    }
}

#[test]
fn poisson_masses_are_the_pmf_with_a_tail() {
    let model = Poisson::new(3.0).unwrap();
    let q = poisson_masses(&model, 6).unwrap();
    // e^{-3} 3^k / k!, written out.
    let mut term = (-3.0f64).exp();
    let mut head = 0.0;
    for (k, &qk) in q.iter().take(7).enumerate() {
        assert!((qk - term).abs() < 1e-15, "k = {k}");
        head += term;
        term *= 3.0 / (k as f64 + 1.0);
    }
    assert!((q[7] - (1.0 - head)).abs() < 1e-14);
}

#[test]
fn empirical_pmf_counts_and_tail() {
    let p = empirical_pmf(&[2, 0, 2, 5, 9], 4).unwrap();
    assert_eq!(p, vec![0.2, 0.0, 0.4, 0.0, 0.0, 0.4]);
    assert_eq!(empirical_pmf(&[], 3), Err(Error::Empty { name: "samples" }));
    assert!(matches!(
        empirical_pmf(&[1], u64::MAX),
        Err(Error::InvalidParameter { name: "k_max", .. })
    ));
}

fn sample_counts(seed: u64, n: usize) -> Vec<u64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let nb = NegativeBinomial::new(4.0, 0.3).unwrap();
    (0..n).map(|_| nb.sample(&mut rng)).collect()
}

#[test]
fn poisson_mle_is_the_grid_maximum_of_the_log_likelihood() {
    let xs = sample_counts(7, 200);
    let loglik = |lambda: f64| {
        let m = Poisson::new(lambda).unwrap();
        xs.iter().map(|&x| m.ln_pmf(x)).sum::<f64>()
    };
    let fit = poisson_mle(&xs).unwrap().mean().unwrap();
    // Grid of step 1e-3 around the fit's order of magnitude: the argmax is within one step.
    let best = (1..20_000)
        .map(|i| i as f64 * 1e-3)
        .max_by(|a, b| loglik(*a).total_cmp(&loglik(*b)))
        .unwrap();
    assert!((best - fit).abs() <= 1e-3, "grid {best} vs mle {fit}");
}

#[test]
fn normal_mle_is_the_grid_maximum_of_the_log_likelihood() {
    let xs = sample_counts(11, 200);
    let loglik = |mu: f64, sigma: f64| {
        let m = Normal::new(mu, sigma).unwrap();
        xs.iter().map(|&x| m.ln_pdf(x as f64)).sum::<f64>()
    };
    let fit = normal_mle(&xs).unwrap();
    let (mu, sigma) = (fit.mean().unwrap(), fit.std_dev().unwrap());
    // A 2-D grid of step 0.01 over a window ±1 around the fit (found independently of it by a
    // coarse grid first, so a wrong fit would not centre the fine search on itself).
    let coarse = (1..400)
        .flat_map(|i| (1..200).map(move |j| (i as f64 * 0.05, j as f64 * 0.05)))
        .max_by(|a, b| loglik(a.0, a.1).total_cmp(&loglik(b.0, b.1)))
        .unwrap();
    let fine = (-100..=100)
        .flat_map(|i| {
            (-100..=100).map(move |j| (coarse.0 + i as f64 * 0.01, coarse.1 + j as f64 * 0.01))
        })
        .filter(|&(_, s)| s > 0.0)
        .max_by(|a, b| loglik(a.0, a.1).total_cmp(&loglik(b.0, b.1)))
        .unwrap();
    assert!(
        (fine.0 - mu).abs() <= 0.01,
        "mu grid {} vs mle {mu}",
        fine.0
    );
    assert!(
        (fine.1 - sigma).abs() <= 0.01,
        "sigma grid {} vs mle {sigma}",
        fine.1
    );
    // And the 1/n variance, not 1/(n−1): sample variance by a separate formula, E[x²] − x̄².
    let n = xs.len() as f64;
    let m2 = xs.iter().map(|&x| (x * x) as f64).sum::<f64>() / n;
    assert!((sigma * sigma - (m2 - mu * mu)).abs() < 1e-9);
}

#[test]
fn kl_difference_is_the_mean_log_likelihood_difference() {
    // KL(p̂‖q_a) − KL(p̂‖q_b) = (1/n) Σ ln q_b(xᵢ) − (1/n) Σ ln q_a(xᵢ): the entropy of p̂ cancels.
    let xs = sample_counts(3, 500);
    let k_max = *xs.iter().max().unwrap();
    let p = empirical_pmf(&xs, k_max).unwrap();
    let q_pois = poisson_masses(&poisson_mle(&xs).unwrap(), k_max).unwrap();
    let q_norm = discretized_normal_masses(&normal_mle(&xs).unwrap(), k_max).unwrap();
    let kl_pois = kl::discrete::kl_divergence(&p, &q_pois).unwrap();
    let kl_norm = kl::discrete::kl_divergence(&p, &q_norm).unwrap();
    let n = xs.len() as f64;
    let ll = |q: &[f64]| xs.iter().map(|&x| q[x as usize].ln()).sum::<f64>() / n;
    let expected = ll(&q_norm) - ll(&q_pois);
    assert!(((kl_pois - kl_norm) - expected).abs() < 1e-12);
}

#[test]
fn degenerate_samples_are_errors() {
    assert_eq!(poisson_mle(&[]), Err(Error::Empty { name: "samples" }));
    assert!(matches!(
        poisson_mle(&[0, 0, 0]),
        Err(Error::InvalidParameter { name: "lambda", .. })
    ));
    assert_eq!(
        normal_mle(&[4]),
        Err(Error::TooFewSamples {
            name: "samples",
            got: 1,
            needed: 2
        })
    );
    assert!(matches!(
        normal_mle(&[4, 4, 4]),
        Err(Error::InvalidParameter { name: "sigma", .. })
    ));
}
