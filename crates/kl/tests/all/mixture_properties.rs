//! Gaussian mixtures and EM checked by independent routes: scipy reference values, the
//! ELBO + KL identity, EM's monotonicity, recovery of known parameters, and the mixture's KL
//! by quadrature against Monte Carlo.

use kl::Error;
use kl::mixture::{
    GaussianMixture, Options, elbo, em, log_likelihood, m_step, posterior_kl, responsibilities,
};
use proptest::prelude::{ProptestConfig, Strategy, prop, prop_assert, prop_assume, proptest};
use rand::SeedableRng;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use statrs::distribution::{Continuous, ContinuousCDF};

fn reference_mixture() -> GaussianMixture {
    GaussianMixture::new(&[0.2, 0.5, 0.3], &[-2.0, 0.5, 3.0], &[0.7, 1.2, 0.5]).unwrap()
}

#[test]
fn density_and_cdf_match_scipy() {
    // scipy 1.17.1 (tests/reference/mixture_properties.py): logsumexp(log(w) + norm.logpdf(x, m, s)) and (w * norm.cdf(x, m, s)).sum();
    // mpmath at 30 digits agrees with scipy's cdf at x = −3 (0.016197229221522477). statrs's
    // normal cdf is off there by 4e-11 relative (N(−2, 0.7) at −3: statrs 0.07656372551323,
    // mpmath 0.07656372550983), hence the cdf tolerance of 1e-10 relative.
    let cases = [
        (-3.0, -3.1361911299193337, 0.016197229221522474),
        (0.0, -1.8686673946627248, 0.36880308665530387),
        (2.5, -1.6786205733790576, 0.7237014000301489),
        (40.0, -543.5478794927809, 1.0),
    ];
    let m = reference_mixture();
    for (x, ln_pdf, cdf) in cases {
        assert!(
            (m.ln_pdf(x) - ln_pdf).abs() < 1e-12 * ln_pdf.abs().max(1.0),
            "ln_pdf({x})"
        );
        assert!(
            (m.cdf(x) - cdf).abs() < 1e-10 * cdf,
            "cdf({x}) = {} vs {cdf}",
            m.cdf(x)
        );
    }
}

#[test]
fn cdf_inverse_and_pdf_agree() {
    let m = reference_mixture();
    for p in [1e-6, 0.01, 0.3, 0.5, 0.9, 0.999999] {
        let x = m.inverse_cdf(p);
        // statrs's default bisection stops at its relative accuracy (~1e-15 of |x|).
        assert!((m.cdf(x) - p).abs() < 1e-12, "p = {p}, x = {x}");
    }
    // The pdf is the derivative of the cdf: central differences, h = 1e-5, error ~h² f''.
    for x in [-2.5, 0.0, 1.7, 3.2] {
        let h = 1e-5;
        let slope = (m.cdf(x + h) - m.cdf(x - h)) / (2.0 * h);
        assert!((slope - m.pdf(x)).abs() < 1e-8, "x = {x}");
    }
}

/// `∫ f` over [−30, 30] with the `quadrature` crate's double-exponential rule on pieces: the
/// range is cut at `μ + jσ` for `j ∈ {−8, −4, −2, −1, 0, 1, 2, 4, 8}` of every component given.
/// Uncut, the rule's "error is squaring" stopping test fires early on a wide range with narrow
/// peaks (a mass of 1 − 3e-9 was seen); on pieces a few σ wide it converges to rounding.
/// Independent of `kl::numeric`.
fn integrate_split(f: impl Fn(f64) -> f64, components: &[&GaussianMixture]) -> f64 {
    let mut cuts: Vec<f64> = vec![-30.0, 30.0];
    for m in components {
        for (mu, sd) in m.means().iter().zip(m.std_devs()) {
            for j in [-8.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 8.0] {
                cuts.push((mu + j * sd).clamp(-30.0, 30.0));
            }
        }
    }
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    cuts.windows(2)
        .map(|w| quadrature::double_exponential::integrate(&f, w[0], w[1], 1e-14).integral)
        .sum()
}

/// `KL(P‖Q) = ∫ p ln(p/q)` by [`integrate_split`], cut around the components of both.
fn kl_by_quadrature(p: &GaussianMixture, q: &GaussianMixture) -> f64 {
    integrate_split(
        |x| {
            let lp = p.ln_pdf(x);
            lp.exp() * (lp - q.ln_pdf(x))
        },
        &[p, q],
    )
}

#[test]
fn mixture_kl_by_quadrature_agrees_with_monte_carlo() {
    let p = GaussianMixture::new(&[0.35, 0.45, 0.2], &[-3.8, 0.2, 4.9], &[1.1, 1.6, 0.7]).unwrap();
    let q = GaussianMixture::new(&[0.3, 0.5, 0.2], &[-4.0, 0.0, 5.0], &[1.0, 1.5, 0.8]).unwrap();
    let exact = kl_by_quadrature(&p, &q);
    let mut rng = StdRng::seed_from_u64(2024);
    let draws = 200_000;
    let values: Vec<f64> = (0..draws)
        .map(|_| {
            let x = p.sample(&mut rng);
            p.ln_pdf(x) - q.ln_pdf(x)
        })
        .collect();
    let mean = values.iter().sum::<f64>() / draws as f64;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (draws as f64 - 1.0);
    let se = (var / draws as f64).sqrt();
    // A correct sampler and density give a Monte Carlo mean within 4 standard errors of the
    // integral (probability of failing by chance ≈ 6e-5, and the seed is fixed).
    assert!(exact > 0.0);
    assert!(
        (mean - exact).abs() < 4.0 * se,
        "quadrature {exact}, Monte Carlo {mean} ± {se}"
    );
    // The pdf integrates to 1 by the same rule.
    let mass = integrate_split(|x| p.pdf(x), &[&p]);
    assert!((mass - 1.0).abs() < 1e-10, "mass {mass}");
}

#[test]
fn sampling_matches_the_weights_mean_and_variance() {
    use statrs::statistics::Distribution as _;
    let m = reference_mixture();
    let mut rng = StdRng::seed_from_u64(7);
    let n = 100_000;
    let xs: Vec<f64> = (0..n).map(|_| m.sample(&mut rng)).collect();
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
    let true_mean = m.mean().unwrap();
    let true_var = m.variance().unwrap();
    // Standard error of the mean √(var/n) ≈ 0.0064; 4 of them.
    assert!((mean - true_mean).abs() < 4.0 * (true_var / n as f64).sqrt());
    // Σ wₖ μₖ and the law of total variance, by hand: 0.2·−2 + 0.5·0.5 + 0.3·3 = 0.75.
    assert!((true_mean - 0.75).abs() < 1e-15);
    assert!((var / true_var - 1.0).abs() < 0.02);
}

/// Random mixtures of 1 to 4 components, data and responsibilities.
#[allow(clippy::type_complexity)]
fn problem() -> impl Strategy<Value = (GaussianMixture, Vec<f64>, Vec<Vec<f64>>)> {
    (1usize..5, 1usize..40).prop_flat_map(|(k, n)| {
        (
            prop::collection::vec((0.05f64..1.0, -5.0f64..5.0, 0.2f64..3.0), k),
            prop::collection::vec(-8.0f64..8.0, n),
            prop::collection::vec(prop::collection::vec(0.0f64..1.0, k), n),
        )
            .prop_map(|(params, data, raw)| {
                let total: f64 = params.iter().map(|p| p.0).sum();
                let w: Vec<f64> = params.iter().map(|p| p.0 / total).collect();
                let mu: Vec<f64> = params.iter().map(|p| p.1).collect();
                let sd: Vec<f64> = params.iter().map(|p| p.2).collect();
                let r = raw
                    .into_iter()
                    .map(|row| {
                        let s: f64 = row.iter().sum();
                        if s > 0.0 {
                            row.iter().map(|v| v / s).collect()
                        } else {
                            vec![1.0 / row.len() as f64; row.len()]
                        }
                    })
                    .collect();
                (GaussianMixture::new(&w, &mu, &sd).unwrap(), data, r)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// ln p(x|θ) = ELBO(r, θ) + KL(r ‖ p(z|x, θ)) for any r. The three are sums of up to 40
    /// terms of size up to ~10³ nats, so rounding stays near 1e-13·|ln p|; 1e-10 leaves room.
    #[test]
    fn elbo_plus_kl_is_the_log_likelihood((m, data, r) in problem()) {
        let ll = log_likelihood(&m, &data).unwrap();
        let bound = elbo(&m, &data, &r).unwrap();
        let gap = posterior_kl(&m, &data, &r).unwrap();
        prop_assert!(gap >= 0.0);
        prop_assert!((bound + gap - ll).abs() <= 1e-10 * ll.abs().max(1.0), "{bound} + {gap} vs {ll}");
        // At the posterior the gap closes.
        let post = responsibilities(&m, &data).unwrap();
        prop_assert!(posterior_kl(&m, &data, &post).unwrap() < 1e-10);
        prop_assert!((elbo(&m, &data, &post).unwrap() - ll).abs() <= 1e-10 * ll.abs().max(1.0));
    }

    /// EM's log-likelihood never decreases (up to rounding of the sum, 1e-12 relative).
    #[test]
    fn em_never_lowers_the_log_likelihood((m, data, _r) in problem()) {
        prop_assume!(data.len() >= 2 * m.len());
        let options = Options { iterations: 60, ..Options::default() };
        match em(&data, &m, &options) {
            Ok(fit) => {
                for w in fit.history.windows(2) {
                    let (a, b) = (w[0].log_likelihood, w[1].log_likelihood);
                    prop_assert!(b >= a - 1e-12 * a.abs().max(1.0), "{} then {}", a, b);
                }
            }
            // A component collapsing onto one point is EM's known failure, reported as such.
            Err(e) => prop_assert!(matches!(e, Error::EmptyComponent { .. }), "{e}"),
        }
    }
}

#[test]
fn em_recovers_well_separated_parameters() {
    let truth =
        GaussianMixture::new(&[0.3, 0.45, 0.25], &[-10.0, 0.0, 10.0], &[1.0, 1.5, 0.8]).unwrap();
    let mut rng = StdRng::seed_from_u64(11);
    let n = 5000;
    let data: Vec<f64> = (0..n).map(|_| truth.sample(&mut rng)).collect();
    let start = GaussianMixture::new(&[1.0 / 3.0; 3], &[-5.0, 1.0, 5.0], &[3.0; 3]).unwrap();
    let fit = em(&data, &start, &Options::default()).unwrap();
    assert!(fit.converged);
    let m = &fit.mixture;
    for k in 0..3 {
        let (w, mu, sd) = (truth.weights()[k], truth.means()[k], truth.std_devs()[k]);
        let nk = n as f64 * w;
        // Four standard errors of each maximum-likelihood estimate (the components barely
        // overlap, so they behave like separate normal samples of size n·w):
        // weight √(w(1−w)/n), mean σ/√(nw), std dev σ/√(2nw).
        assert!((m.weights()[k] - w).abs() < 4.0 * (w * (1.0 - w) / n as f64).sqrt());
        assert!((m.means()[k] - mu).abs() < 4.0 * sd / nk.sqrt());
        assert!((m.std_devs()[k] - sd).abs() < 4.0 * sd / (2.0 * nk).sqrt());
    }
}

#[test]
fn m_step_is_the_weighted_maximum_likelihood() {
    // With hard responsibilities the M-step is each group's sample weight, mean and
    // (biased, 1/N) standard deviation, worked by hand.
    let data = [1.0, 2.0, 3.0, 10.0, 14.0];
    let r = vec![
        vec![1.0, 0.0],
        vec![1.0, 0.0],
        vec![1.0, 0.0],
        vec![0.0, 1.0],
        vec![0.0, 1.0],
    ];
    let start = GaussianMixture::new(&[0.5, 0.5], &[0.0, 1.0], &[1.0, 1.0]).unwrap();
    let m = m_step(&start, &data, &r).unwrap();
    assert!((m.weights()[0] - 0.6).abs() < 1e-15);
    assert!((m.means()[0] - 2.0).abs() < 1e-15);
    assert!((m.std_devs()[0] - (2.0f64 / 3.0).sqrt()).abs() < 1e-15);
    assert!((m.means()[1] - 12.0).abs() < 1e-15);
    assert!((m.std_devs()[1] - 2.0).abs() < 1e-15);
}

#[test]
fn bad_input_gets_a_clear_error() {
    assert_eq!(
        GaussianMixture::new(&[], &[], &[]).unwrap_err(),
        Error::Empty { name: "weights" }
    );
    assert_eq!(
        GaussianMixture::new(&[0.5, 0.5], &[0.0], &[1.0, 1.0]).unwrap_err(),
        Error::DimensionMismatch {
            name: "means",
            expected: 2,
            got: 1
        }
    );
    assert!(matches!(
        GaussianMixture::new(&[0.5, 0.5], &[0.0, f64::NAN], &[1.0, 1.0]).unwrap_err(),
        Error::NotFinite {
            name: "means",
            index: 1,
            ..
        }
    ));
    assert!(matches!(
        GaussianMixture::new(&[1.5, -0.5], &[0.0, 1.0], &[1.0, 1.0]).unwrap_err(),
        Error::Negative {
            name: "weights",
            index: 1,
            ..
        }
    ));
    assert!(matches!(
        GaussianMixture::new(&[0.5, 0.4], &[0.0, 1.0], &[1.0, 1.0]).unwrap_err(),
        Error::NotNormalized {
            name: "weights",
            ..
        }
    ));
    assert!(matches!(
        GaussianMixture::new(&[0.5, 0.5], &[0.0, 1.0], &[1.0, 0.0]).unwrap_err(),
        Error::InvalidParameter {
            name: "std_devs",
            ..
        }
    ));
    let m = reference_mixture();
    assert_eq!(
        log_likelihood(&m, &[]).unwrap_err(),
        Error::Empty { name: "data" }
    );
    assert!(matches!(
        responsibilities(&m, &[0.0, f64::INFINITY]).unwrap_err(),
        Error::NotFinite {
            name: "data",
            index: 1,
            ..
        }
    ));
    assert!(matches!(
        elbo(&m, &[0.0], &[vec![0.5, 0.5]]).unwrap_err(),
        Error::DimensionMismatch { .. }
    ));
    assert!(matches!(
        posterior_kl(&m, &[0.0], &[vec![0.5, 0.5, 0.5]]).unwrap_err(),
        Error::NotNormalized { .. }
    ));
    // Three components, two points: fewer data than components.
    assert!(matches!(
        em(&[0.0, 1.0], &m, &Options::default()).unwrap_err(),
        Error::TooFewSamples { .. }
    ));
    // A component given no responsibility at all cannot be re-estimated.
    let two = GaussianMixture::new(&[0.5, 0.5], &[0.0, 1.0], &[1.0, 1.0]).unwrap();
    let err = m_step(&two, &[0.0, 1.0], &[vec![1.0, 0.0], vec![1.0, 0.0]]).unwrap_err();
    assert!(
        matches!(err, Error::EmptyComponent { component: 1, responsibility, .. } if responsibility == 0.0),
        "{err}"
    );
    assert!(
        err.to_string().starts_with(
            "component 1 collapsed in the M-step (total responsibility 0, variance NaN)"
        ),
        "{err}"
    );
}

#[test]
fn kl_numeric_quadrature_handles_mixtures() {
    // kl::numeric::quadrature (statrs traits of GaussianMixture) against the split
    // double-exponential rule above and against kl::numeric::monte_carlo within 4 standard
    // errors. The two quadratures share only the `quadrature` crate's basic rule.
    let p = GaussianMixture::new(&[0.35, 0.45, 0.2], &[-3.8, 0.2, 4.9], &[1.1, 1.6, 0.7]).unwrap();
    let q = GaussianMixture::new(&[0.3, 0.5, 0.2], &[-4.0, 0.0, 5.0], &[1.0, 1.5, 0.8]).unwrap();
    for (a, b) in [(&p, &q), (&q, &p)] {
        let library = kl::numeric::quadrature(a, b).unwrap();
        let split = kl_by_quadrature(a, b);
        assert!(
            (library.value - split).abs() < 1e-10,
            "{} vs {split}",
            library.value
        );
        let mut rng = StdRng::seed_from_u64(99);
        let mc = kl::numeric::monte_carlo(a, b, 200_000, &mut rng).unwrap();
        assert!((mc.value - library.value).abs() < 4.0 * mc.error);
    }
}
