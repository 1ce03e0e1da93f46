//! Regression tests of issue 14, one per class the outside harness found: panics inside statrs
//! calls, panics of our own, hangs, and NaN results. Each call runs through [`guarded`]: on a
//! thread of its own, with its panic caught and a generous time budget (a hang detector, not a
//! timing assertion).

use crate::common::{assert_divergence, assert_estimate, guarded};

use statrs::distribution::{
    Beta, Binomial, Chi, FisherSnedecor, Gamma, Gumbel, InverseGamma, LogNormal, Normal, Poisson,
    Triangular, Uniform, Weibull,
};

#[test]
fn statrs_special_functions_out_of_their_range_do_not_panic() {
    let q = Poisson::new(f64::INFINITY).unwrap();
    let masses = guarded(move || kl::models::poisson_masses(&q, 3))
        .unwrap()
        .unwrap();
    assert_eq!(masses, vec![0.0, 0.0, 0.0, 0.0, 1.0]);

    use kl::numeric::LnDensity;
    let f = FisherSnedecor::new(1e-300, 1e300).unwrap();
    let v = guarded(move || f.ln_density(1.0)).unwrap();
    assert!(!v.is_nan(), "{v}");

    let p = Beta::new(1e-300, 1e-300).unwrap();
    let q = Beta::new(2.0, 2.0).unwrap();
    assert_estimate(
        "quadrature Beta(1e-300)",
        guarded(move || kl::numeric::quadrature(&p, &q)),
    );
    assert_estimate(
        "grid Beta(1e-300)",
        guarded(move || kl::numeric::grid(&p, &q, 0.0..1.0, 1e-3)),
    );
    assert_estimate(
        "monte_carlo Beta(1e-300)",
        guarded(move || {
            let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
            kl::numeric::monte_carlo(&p, &q, 1000, &mut rng)
        }),
    );
}

#[test]
fn our_own_indexing_and_allocation_do_not_panic() {
    let r = guarded(|| kl::tsne::JointProbabilities::from_matrix(1 << 32, vec![])).unwrap();
    assert!(r.is_err());
    let p = kl::tsne::JointProbabilities::from_matrix(
        3,
        vec![0.0, 0.25, 0.1, 0.25, 0.0, 0.15, 0.1, 0.15, 0.0],
    )
    .unwrap();
    let p2 = p.clone();
    assert_eq!(guarded(move || p2.get(3, 0)).unwrap(), 0.0);

    let x: Vec<f64> = (0..50).map(|i| i as f64 * 0.1).collect();
    let m = kl::fit::normal_masses(&x, 2.5, 1.0).unwrap();
    let problem = kl::fit::ForwardKl::new(&x, &m).unwrap();
    let r = guarded(move || {
        let theta = kl::fit::Objective::theta(&problem, 0.0, 1.0);
        kl::fit::gradient_descent(
            &problem,
            &theta,
            &kl::fit::Options {
                learning_rate: 0.1,
                iterations: usize::MAX / 2,
            },
        )
        .map(|_| ())
    })
    .unwrap();
    assert!(
        matches!(
            r,
            Err(kl::Error::TooLarge {
                name: "iterations",
                ..
            })
        ),
        "{r:?}"
    );

    let options = kl::tsne::Options {
        iterations: 1 << 60,
        ..Default::default()
    };
    let r = guarded(move || {
        let y = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]];
        kl::tsne::run(&p, &y, &options).map(|_| ())
    })
    .unwrap();
    assert!(
        matches!(
            r,
            Err(kl::Error::TooLarge {
                name: "iterations",
                ..
            })
        ),
        "{r:?}"
    );
}

#[test]
fn every_routine_finishes() {
    let p = Uniform::new(0.0, 1e-310).unwrap();
    let q = Uniform::new(-1.0, 1.0).unwrap();
    assert_estimate(
        "quadrature tiny uniform",
        guarded(move || kl::numeric::quadrature(&p, &q)),
    );
    let p = Gamma::new(1e10, 1.0).unwrap();
    let q = Gamma::new(1e10, 1.0001).unwrap();
    assert_estimate(
        "quadrature Gamma(1e10)",
        guarded(move || kl::numeric::quadrature(&p, &q)),
    );

    let m =
        kl::mixture::GaussianMixture::new(&[0.5, 0.5 - 5e-10], &[0.0, 1.0], &[1.0, 1.0]).unwrap();
    let m2 = m.clone();
    let q = Normal::new(0.0, 2.0).unwrap();
    assert_estimate(
        "grid mixture",
        guarded(move || kl::numeric::grid(&m2, &q, -10.0..10.0, 0.01)),
    );
    let u =
        guarded(move || statrs::distribution::ContinuousCDF::inverse_cdf(&m, 1.0 - 1e-12)).unwrap();
    assert!(u.is_finite(), "{u}");

    let p = Chi::new(1_000_000).unwrap();
    let q = Chi::new(1_000_001).unwrap();
    assert_estimate(
        "grid Chi(1e6)",
        guarded(move || kl::numeric::grid(&p, &q, 990.0..1010.0, 0.01)),
    );

    let p = Normal::new(0.0, 1.0).unwrap();
    let q = Normal::new(1.0, 1.0).unwrap();
    assert_estimate(
        "monte_carlo huge n",
        guarded(move || {
            let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
            kl::numeric::monte_carlo(&p, &q, usize::MAX, &mut rng)
        }),
    );

    let p = Binomial::new(0.3, 1_000_000_000_000_000).unwrap();
    let q = Binomial::new(0.3, 1_000_000_000_000_001).unwrap();
    assert_divergence(
        "Binomial 1e15",
        guarded(move || Ok(kl::closed_form::kl_divergence(&p, &q))),
    );
    let p = Binomial::new(0.3, 1_000_000_000_000_000).unwrap();
    let q = Binomial::new(0.4, 1_000_000_000_000_000).unwrap();
    let v = guarded(move || kl::closed_form::kl_divergence(&p, &q)).unwrap();
    // n·KL(Bernoulli(0.3) ‖ Bernoulli(0.4)).
    let want = 1e15 * (0.3f64 * (0.3f64 / 0.4).ln() + 0.7 * (0.7f64 / 0.6).ln());
    assert!((v - want).abs() <= 1e-9 * want, "{v} vs {want}");

    let r = guarded(|| kl::models::empirical_pmf(&[1, 2], u64::MAX - 1)).unwrap();
    assert!(r.is_err());
}

#[test]
fn no_nan_at_extreme_magnitudes() {
    use kl::numeric::LnDensity;
    let x = ndarray::Array2::from_shape_vec((4, 1), vec![1e200, 2e200, 3e200, 5e200]).unwrap();
    let y = ndarray::Array2::from_shape_vec((4, 1), vec![1.5e200, 2.5e200, 4e200, 7e200]).unwrap();
    let v = guarded(move || kl::estimate::knn_divergence(x.view(), y.view(), 1)).unwrap();
    assert!(v.as_ref().is_ok_and(|v| !v.is_nan()) || v.is_err(), "{v:?}");
    let x = ndarray::Array2::from_shape_vec((4, 1), vec![1.0, 2.0, 3.0, 5.0]).unwrap();
    let y = ndarray::Array2::from_shape_vec((4, 1), vec![1.5, 2.5, 4.0, 7.0]).unwrap();
    let small = kl::estimate::knn_divergence(x.view(), y.view(), 1).unwrap();
    let x = x.mapv(|v| v * 1e200);
    let y = y.mapv(|v| v * 1e200);
    let big = kl::estimate::knn_divergence(x.view(), y.view(), 1).unwrap();
    assert!(
        (big - small).abs() < 1e-9,
        "the estimate is scale-free: {big} vs {small}"
    );

    let m = kl::mixture::GaussianMixture::new(&[0.3, 0.7], &[0.0, 1.0], &[1.0, 2.0]).unwrap();
    let r = kl::mixture::responsibilities(&m, &[1e200, -1e200, 1.0]).unwrap();
    for row in &r {
        assert!(row.iter().all(|v| (0.0..=1.0).contains(v)), "{r:?}");
        assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{r:?}");
    }
    assert_eq!(r[0], vec![0.0, 1.0]); // the wider component wins far out

    let x: Vec<f64> = (0..10).map(|i| i as f64).collect();
    let masses = kl::fit::normal_masses(&x, 1e300, 1.0);
    assert!(
        masses
            .as_ref()
            .map_or(true, |m| m.iter().all(|v| !v.is_nan())),
        "{masses:?}"
    );

    let x = [-1e308, 0.0, 1e308];
    let p = [0.25, 0.5, 0.25];
    if let Ok(problem) = kl::fit::ForwardKl::new(&x, &p) {
        let theta = kl::fit::Objective::theta(&problem, 0.0, 1.0);
        if let Ok((loss, g)) = kl::fit::Objective::loss_and_gradient(&problem, &theta) {
            assert!(
                !loss.is_nan() && !g[0].is_nan() && !g[1].is_nan(),
                "{loss} {g:?}"
            );
        }
    }

    let p = kl::tsne::JointProbabilities::from_matrix(
        3,
        vec![0.0, 0.25, 0.1, 0.25, 0.0, 0.15, 0.1, 0.15, 0.0],
    )
    .unwrap();
    let y = [[0.0, 0.0], [1e200, 0.0], [0.0, -1e200]];
    if let Ok(fit) = kl::tsne::run(
        &p,
        &y,
        &kl::tsne::Options {
            iterations: 20,
            ..Default::default()
        },
    ) {
        assert!(
            fit.history
                .iter()
                .all(|s| !s.kl.is_nan() && !s.gradient_norm.is_nan())
        );
        assert!(fit.embedding.iter().flatten().all(|v| !v.is_nan()));
    }

    let extremes = [
        0.0,
        1e-310,
        1e-300,
        1e-10,
        0.5,
        1.0,
        1e10,
        1e300,
        f64::MAX,
        f64::INFINITY,
        -1.0,
        -1e300,
    ];
    let check = |name: &str, d: &dyn LnDensity| {
        for &x in &extremes {
            let v = d.ln_density(x);
            assert!(!v.is_nan(), "{name} at {x}: {v}");
        }
    };
    for &(a, b) in &[
        (1e-300, 1e-300),
        (1e300, 1e300),
        (1e-300, 1e300),
        (0.5, 0.5),
        (2.0, 3.0),
    ] {
        check("Beta", &Beta::new(a, b).unwrap());
        check("Gamma", &Gamma::new(a, b).unwrap());
        check("InverseGamma", &InverseGamma::new(a, b).unwrap());
        check("Weibull", &Weibull::new(a, b).unwrap());
        check("FisherSnedecor", &FisherSnedecor::new(a, b).unwrap());
        check("LogNormal", &LogNormal::new(a.ln(), b).unwrap());
        check("Gumbel", &Gumbel::new(a, b).unwrap());
    }
    check("Triangular", &Triangular::new(0.0, 1e-300, 0.0).unwrap());
    check("Triangular", &Triangular::new(-1e300, 1e300, 0.0).unwrap());
}

/// Log-densities at the most extreme parameters statrs accepts (`f64::MAX` shapes, subnormal
/// degrees of freedom, locations at `±∞`): where two terms overflow against each other the
/// formula is taken in ratio or Stirling form, and what is still `∞ − ∞` is `−∞`, never NaN
/// nor a panic inside statrs's `ln_beta` (a half of a subnormal degree of freedom is 0).
#[test]
fn ln_densities_at_the_extremes_of_their_parameters() {
    use kl::numeric::LnDensity;
    use statrs::distribution::{Cauchy, Continuous, Laplace, Pareto};
    let points = [
        0.0,
        5e-324,
        1e-300,
        0.3,
        1.0,
        100.0,
        1e300,
        f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    let shapes = [
        5e-324,
        1e-310,
        1e-300,
        0.01,
        1.0,
        3.0,
        1e10,
        1e300,
        f64::MAX,
    ];
    let check = |name: String, d: Box<dyn LnDensity + Send>| {
        let v = guarded(move || points.map(|x| d.ln_density(x))).unwrap();
        assert!(v.iter().all(|v| !v.is_nan()), "{name}: {v:?}");
    };
    for &a in &shapes {
        for &b in &shapes {
            check(
                format!("F({a}, {b})"),
                Box::new(FisherSnedecor::new(a, b).unwrap()),
            );
            check(
                format!("Gamma({a}, {b})"),
                Box::new(Gamma::new(a, b).unwrap()),
            );
            check(
                format!("InvGamma({a}, {b})"),
                Box::new(InverseGamma::new(a, b).unwrap()),
            );
            check(
                format!("Pareto({a}, {b})"),
                Box::new(Pareto::new(a, b).unwrap()),
            );
        }
    }
    for location in [f64::INFINITY, f64::NEG_INFINITY] {
        check(
            "Normal(∞)".into(),
            Box::new(Normal::new(location, 1.0).unwrap()),
        );
        check(
            "Laplace(∞)".into(),
            Box::new(Laplace::new(location, 1.0).unwrap()),
        );
        check(
            "Cauchy(∞)".into(),
            Box::new(Cauchy::new(location, 1.0).unwrap()),
        );
    }

    // Where the formula is a number it is the right one. Gamma(α, β) with α = β = 10³⁰⁰ is a
    // spike at 1 whose log-density there is ½ ln(α/2π) − 1/(12α) (Stirling, exact to 10⁻⁹⁰⁰):
    // statrs's sum of terms near 7·10³⁰² has no digit of it left.
    let spike = Gamma::new(1e300, 1e300).unwrap();
    let expected = 0.5 * (1e300 / std::f64::consts::TAU).ln();
    let v = spike.ln_density(1.0);
    assert!((v - expected).abs() < 1e-12 * expected, "{v} vs {expected}");
    // Below 10⁵ the impl is statrs's own, and Stirling's form joins it without a step.
    for &(a, x) in &[(9.9e4, 1.0), (1.01e5, 1.0), (1.01e5, 0.999)] {
        let g = Gamma::new(a, a).unwrap();
        let ours = g.ln_density(x);
        let statrs = g.ln_pdf(x);
        assert!(
            (ours - statrs).abs() < 1e-9,
            "Gamma({a}) at {x}: {ours} vs {statrs}"
        );
    }
    // Pareto(x_m = 3, α = f64::MAX) at its scale: ln α − ln x_m (statrs: ∞ − ∞).
    let v = Pareto::new(3.0, f64::MAX).unwrap().ln_density(3.0);
    assert!((v - (f64::MAX.ln() - 3f64.ln())).abs() < 1e-12, "{v}");
    // A subnormal degree of freedom: ln Γ(d/2) = ln 2 − ln d to within d.
    let f = FisherSnedecor::new(5e-324, 1.0).unwrap();
    assert!(!guarded(move || f.ln_density(1.0)).unwrap().is_nan());
}

/// statrs's Beta quantile (Newton with step halving, AS 109) loops without end where its
/// step is NaN, at shapes like `(0.01, 10³⁰⁰)`; the routes place their pieces at
/// [`LnDensity::bounded_quantile`] instead, a 62-step bisection on the bits of `x`.
#[test]
fn beta_quantiles_are_bounded_and_exact() {
    use kl::numeric::LnDensity;
    use statrs::distribution::ContinuousCDF;
    for &(a, b) in &[
        (0.01, 1e300),
        (1e300, 0.01),
        (1e300, 1e-300),
        (1e-300, 1e300),
    ] {
        let p = Beta::new(a, b).unwrap();
        let q = Beta::new(b, a).unwrap();
        assert_estimate(
            &format!("quadrature Beta({a}, {b})"),
            guarded(move || kl::numeric::quadrature(&p, &q)),
        );
    }
    // Where statrs's quantile finishes, the bisection finds the same point to a few ulps.
    let p = Beta::new(2.0, 5.0).unwrap();
    for u in [1e-9, 0.1, 0.5, 0.9, 1.0 - 1e-9] {
        let ours = p.bounded_quantile(u).unwrap();
        let theirs = p.inverse_cdf(u);
        assert!(
            (ours - theirs).abs() <= 1e-12 * theirs,
            "u = {u}: {ours} vs {theirs}"
        );
    }
}

/// An error estimate is never NaN: a P and Q ~10³⁰⁸ from the range asked about leave the
/// rounding term `0 · ∞`, which is reported as an unknown error, `+∞`.
#[test]
fn error_estimates_are_never_nan() {
    let p = Normal::new(f64::MAX, 0.01).unwrap();
    let q = Normal::new(-f64::MAX, 0.01).unwrap();
    let (p1, q1) = (p, q);
    assert_estimate(
        "quadrature_between at ±f64::MAX",
        guarded(move || kl::numeric::quadrature_between(&p1, &q1, -10.0, 10.0)),
    );
    assert_estimate(
        "grid at ±f64::MAX",
        guarded(move || kl::numeric::grid(&q, &p, -10.0..10.0, 1e-3)),
    );
    let q = Normal::new(f64::INFINITY, 1.0).unwrap();
    let masses = guarded(move || kl::models::discretized_normal_masses(&q, 3)).unwrap();
    assert!(
        masses.is_err(),
        "a mean at ∞ has no masses to bin: {masses:?}"
    );
}

/// Work that grows with a parameter inside statrs: `Chi(k)` draws `k` normals per sample and
/// its `cdf` sums ~√k terms. Monte Carlo draws `√χ²(k)` (one Gamma draw) instead, and the
/// routes that need P's `cdf` refuse `k > 10¹⁰` with a typed error, at once.
#[test]
fn work_that_grows_with_a_parameter_is_bounded() {
    let p = Chi::new(u64::MAX).unwrap();
    let q = Chi::new(u64::MAX - 1).unwrap();
    let (p1, q1) = (p, q);
    let r = guarded(move || kl::numeric::quadrature(&p1, &q1)).unwrap();
    assert!(
        matches!(r, Err(kl::Error::InvalidParameter { .. })),
        "{r:?}"
    );
    let (p1, q1) = (p, q);
    let r = guarded(move || kl::numeric::grid(&p1, &q1, 0.0..10.0, 1e-3)).unwrap();
    assert!(
        matches!(r, Err(kl::Error::InvalidParameter { .. })),
        "{r:?}"
    );
    assert_estimate(
        "monte_carlo Chi(2^64)",
        guarded(move || {
            let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(3);
            kl::numeric::monte_carlo(&p, &q, 1000, &mut rng)
        }),
    );
    // The √χ² draw has Chi's law: at k = 100 its mean is E[Chi(100)] = √2 Γ(50.5)/Γ(50)
    // = 9.975_1..., and 10⁴ draws (standard deviation ≈ 0.707) give it within 4 standard
    // errors (0.028).
    use kl::numeric::LnDensity;
    let chi = Chi::new(100).unwrap();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(5);
    let mean = (0..10_000)
        .map(|_| chi.bounded_sample(&mut rng).unwrap())
        .sum::<f64>()
        / 1e4;
    let exact = statrs::statistics::Distribution::mean(&chi).unwrap();
    assert!((mean - exact).abs() < 0.03, "{mean} vs {exact}");

    // The grid's and Monte Carlo's caps keep the slowest family within seconds (a 10⁸-point
    // grid of a Beta took 50 s): 10⁷ grid points (2·10⁷ in the dx/2 pass) and 10⁷ draws.
    let (b, c) = (
        statrs::distribution::Beta::new(2.0, 3.0).unwrap(),
        statrs::distribution::Beta::new(3.0, 2.0).unwrap(),
    );
    let refused = kl::numeric::grid(&b, &c, 0.0..1.0, 0.99e-7).unwrap_err();
    assert!(
        matches!(refused, kl::Error::InvalidParameter { name: "dx", .. }),
        "{refused:?}"
    );
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(5);
    let refused = kl::numeric::monte_carlo(&b, &c, 10_000_001, &mut rng).unwrap_err();
    assert!(matches!(refused, kl::Error::TooLarge { .. }), "{refused:?}");
}

/// `∞ − ∞` in the later chapters' functions: k3 at `ln r = +∞` (`expm1(∞) − ∞`), and the
/// generic gradient check with a loss that is infinite at a shifted point (`∞ − ∞` in the
/// difference quotient, which `f64::max` would silently drop), or with gradients of different
/// lengths (the zip would silently drop the extra coordinates).
#[test]
fn infinities_in_the_estimators_and_the_gradient_check() {
    assert_eq!(kl::estimate::k3(f64::INFINITY), f64::INFINITY);
    let loss = |x: &[f64]| {
        Ok(if x[0].abs() > 1.0 {
            f64::INFINITY
        } else {
            x[0] * x[0]
        })
    };
    let c = kl::check::gradient_check(loss, &[2.0], &[1.0], 0.5).unwrap();
    assert_eq!(c.max_abs_error, f64::INFINITY, "{c:?}");
    assert_eq!(c.max_relative_error, f64::INFINITY, "{c:?}");
    let r = kl::check::gradient_check(loss, &[2.0, 0.0], &[1.0], 0.5);
    assert!(
        matches!(r, Err(kl::Error::DimensionMismatch { .. })),
        "{r:?}"
    );
    let r = kl::check::gradient_check(loss, &[f64::NAN], &[0.5], 0.5);
    assert!(matches!(r, Err(kl::Error::NotFinite { .. })), "{r:?}");
}

/// The discretised normal's likelihood needs only the observed counts' masses: a count of
/// 2⁶⁴ − 1 once asked for that many bins (capacity overflow), and a count of 10⁶ made every
/// Nelder–Mead step fill 10⁶ bins (seconds per fit). The values are those of the full table.
#[test]
fn likelihood_work_follows_the_samples_not_the_largest_count() {
    let model = Normal::new(3.0, 2.0).unwrap();
    let l = guarded(move || kl::discretised::log_likelihood(&[0, 2, u64::MAX], &model)).unwrap();
    assert!(l.is_ok_and(|l| l == f64::NEG_INFINITY || l < 0.0));
    let fit = guarded(|| kl::discretised::folded_normal_mle(&[1_000_000, 23_559, 3])).unwrap();
    assert!(fit.is_ok_and(|f| f.sigma > 0.0 && f.log_likelihood.is_finite()));
    let samples = [0u64, 0, 1, 2, 2, 2, 5, 9];
    let masses = kl::models::discretized_normal_masses(&model, 9).unwrap();
    let full: f64 = [0usize, 0, 1, 2, 2, 2, 5, 9]
        .iter()
        .map(|&k| masses[k].ln())
        .sum();
    let sparse = kl::discretised::log_likelihood(&samples, &model).unwrap();
    assert!(
        (sparse - full).abs() <= 1e-12 * full.abs(),
        "{sparse} vs {full}"
    );
}

/// A histogram's size is the caller's: `usize::MAX` bins overflowed the edges' allocation,
/// and `hi − lo` overflowing to `∞` made every edge NaN. Both are typed errors.
#[test]
fn histogram_sizes_are_bounded() {
    let r = guarded(|| kl::histogram::density_bins(&[0.5], 0.0, 1.0, usize::MAX)).unwrap();
    assert!(matches!(r, Err(kl::Error::TooLarge { .. })), "{r:?}");
    let r = guarded(|| kl::histogram::density_bins(&[0.5], -f64::MAX, f64::MAX, 4)).unwrap();
    assert!(
        matches!(r, Err(kl::Error::InvalidParameter { .. })),
        "{r:?}"
    );
}

/// Mixture weights accepted within `WEIGHT_TOLERANCE` of a sum of 1 are stored normalised, so
/// the mixture's density integrates to 1 and its divergences are not below 0 by the missing
/// mass: before, `[0.5, 0.5 − 5e-10]` against a normal gave a KL `5e-10` too small, and
/// against itself a quadrature that could come out below 0.
#[test]
fn mixture_weights_within_tolerance_are_normalised() {
    use kl::mixture::GaussianMixture;
    let short = GaussianMixture::new(&[0.5, 0.5 - 5e-10], &[0.0, 1.0], &[1.0, 2.0]).unwrap();
    let sum: f64 = short.weights().iter().sum();
    assert!((sum - 1.0).abs() <= 2.0 * f64::EPSILON, "{sum}");
    let exact = GaussianMixture::new(&[0.5, 0.5], &[0.0, 1.0], &[1.0, 2.0]).unwrap();
    assert_eq!(
        exact.weights(),
        &[0.5, 0.5],
        "a sum of exactly 1 is kept as given"
    );
    // The normalised mixture is the one with weights w/Σw: its KL to a normal matches the
    // same mixture built from those weights, to the quadrature's accuracy.
    let q = Normal::new(1.0, 2.0).unwrap();
    let w = [0.5 / (1.0 - 5e-10), (0.5 - 5e-10) / (1.0 - 5e-10)];
    let rebuilt = GaussianMixture::new(&w, &[0.0, 1.0], &[1.0, 2.0]).unwrap();
    let a = kl::numeric::quadrature(&short, &q).unwrap();
    let b = kl::numeric::quadrature(&rebuilt, &q).unwrap();
    assert!((a.value - b.value).abs() <= 1e-13, "{a:?} vs {b:?}");
    for (p, q) in [(&short, &short), (&short, &exact), (&exact, &short)] {
        let e = kl::numeric::quadrature(p, q).unwrap();
        assert!(e.value >= 0.0, "{e:?}");
        let g = kl::numeric::grid(p, q, -40.0..40.0, 0.01).unwrap();
        assert!(g.value >= 0.0, "{g:?}");
    }
}

/// A mixture component far narrower than the spacing of doubles at its mean (here at
/// `f64::MAX`) cannot be sampled by any quadrature node: it used to drop out of the integral
/// silently (KL = −0.3466 ± 3e-14 against N(0, 1), half the mixture's mass missing). The
/// routes that integrate over P refuse it with a typed error; as Q it is harmless and the
/// value is right (`ln 2`, P's density being twice the mixture's wherever P lives).
#[test]
fn an_unresolvable_mixture_component_is_refused() {
    use kl::mixture::GaussianMixture;
    let far = GaussianMixture::new(&[0.5, 0.5], &[0.0, f64::MAX], &[1.0, 1.0]).unwrap();
    let q = Normal::new(0.0, 1.0).unwrap();
    for r in [
        kl::numeric::quadrature(&far, &q),
        kl::numeric::grid(&far, &q, -10.0..10.0, 0.01),
        kl::mixture::quadrature(&far, &far),
    ] {
        assert!(
            matches!(r, Err(kl::Error::InvalidParameter { name: "means", .. })),
            "{r:?}"
        );
    }
    let as_q = kl::numeric::quadrature(&q, &far).unwrap();
    assert!((as_q.value - 2f64.ln()).abs() < 1e-12, "{as_q:?}");
    // At the limit and just inside it, the component is integrated.
    let ratio = GaussianMixture::MAX_OFFSET_RATIO;
    let inside = GaussianMixture::new(&[0.5, 0.5], &[0.0, ratio], &[1.0, 1.0]).unwrap();
    assert!(kl::numeric::quadrature(&inside, &inside).is_ok());
    let beyond = GaussianMixture::new(&[0.5, 0.5], &[0.0, 2.0 * ratio], &[1.0, 1.0]).unwrap();
    assert!(kl::numeric::quadrature(&beyond, &q).is_err());
}

/// A quadrature of `p ln(p/q)` for `P ≈ Q` can round below 0; it is reported as 0 with an
/// error of at least the rounding, so `KL ≥ 0` holds for every value quadrature returns.
#[test]
fn quadrature_never_returns_a_negative_divergence() {
    let mut negatives_before = 0;
    for k in 0..200 {
        let shift = 1e-9 * k as f64;
        let p = Normal::new(shift, 1.0).unwrap();
        let q = Normal::new(0.0, 1.0 + 1e-12 * k as f64).unwrap();
        let e = kl::numeric::quadrature(&p, &q).unwrap();
        assert!(e.value >= 0.0, "{e:?}");
        // The truth is below 1e-16 here: the value is within its error of it.
        let truth = kl::kl_divergence(&p, &q);
        assert!(
            (e.value - truth).abs() <= e.error.max(1e-15),
            "{e:?} vs {truth}"
        );
        let raw =
            kl::numeric::quadrature_between(&p, &q, f64::NEG_INFINITY, f64::INFINITY).unwrap();
        negatives_before += usize::from(raw.value < 0.0);
    }
    // quadrature_between is the same integral without the floor: the case does occur.
    assert!(negatives_before > 0, "no P ≈ Q pair rounded below 0");
}

/// Every parameter statrs's constructors accept, the infinite ones included (a Gumbel of
/// scale `∞`, which the fuzz found: `x − μ` overflowed and `∞/∞` gave NaN), for every
/// log-density written here rather than delegated to statrs (the delegated ones read
/// statrs's NaN as `−∞`): no NaN at any point that is not NaN itself, and no panic.
#[test]
fn ln_densities_at_every_parameter_statrs_accepts() {
    use kl::numeric::LnDensity;
    use statrs::distribution::{Cauchy, Laplace, Pareto, Triangular, Weibull};
    let values = [
        f64::NEG_INFINITY,
        -f64::MAX,
        -1e300,
        -1.0,
        -0.0,
        0.0,
        5e-324,
        1e-300,
        0.5,
        1.0,
        3.0,
        1e300,
        f64::MAX,
        f64::INFINITY,
    ];
    let check = |name: String, d: Box<dyn LnDensity + Send>| {
        let v = guarded(move || values.map(|x| d.ln_density(x))).unwrap();
        assert!(v.iter().all(|v| !v.is_nan()), "{name}: {v:?}");
    };
    macro_rules! two {
        ($family:ident) => {
            for &a in &values {
                for &b in &values {
                    if let Ok(d) = $family::new(a, b) {
                        check(format!("{}({a}, {b})", stringify!($family)), Box::new(d));
                    }
                }
            }
        };
    }
    two!(Gamma);
    two!(Pareto);
    two!(Laplace);
    two!(Gumbel);
    two!(InverseGamma);
    two!(FisherSnedecor);
    two!(Cauchy);
    two!(LogNormal);
    two!(Beta);
    two!(Weibull);
    for &a in &values {
        for &b in &values {
            for &c in &values {
                if let Ok(d) = Triangular::new(a, b, c) {
                    check(format!("Triangular({a}, {b}, {c})"), Box::new(d));
                }
            }
        }
    }
}

/// The descents bound their work, not only their iteration count: 10⁷ iterations over a
/// 20 000-point grid (the fuzz harness's kind of "large but allowed") would run for an hour,
/// and 10⁶ t-SNE iterations of 50 points for seconds beyond any budget. Both are refused
/// before anything runs, with the largest count that is accepted.
#[test]
fn the_descents_bound_iterations_times_size() {
    use kl::fit::{MAX_WORK, Objective, Options, ReverseKl, gradient_descent, normal_masses};
    let x: Vec<f64> = (0..20_000).map(|i| -10.0 + 0.001 * i as f64).collect();
    let p = normal_masses(&x, 1.0, 2.0).unwrap();
    let problem = ReverseKl::new(&x, &p).unwrap();
    assert_eq!(problem.points(), 20_000);
    let start = problem.theta(0.0, 1.0);
    let options = |iterations| Options {
        learning_rate: 0.01,
        iterations,
    };
    let refused = gradient_descent(&problem, &start, &options(20_000)).unwrap_err();
    assert!(
        matches!(refused, kl::Error::TooLarge { name: "iterations", limit, .. } if limit == MAX_WORK / 20_000),
        "{refused:?}"
    );
    assert!(gradient_descent(&problem, &start, &options(10)).is_ok());

    let points: Vec<Vec<f64>> = (0..50).map(|i| vec![i as f64, (i % 7) as f64]).collect();
    let joint = kl::tsne::joint_probabilities(&points, 10.0).unwrap();
    let initial: Vec<[f64; 2]> = (0..50).map(|i| [1e-4 * i as f64, 0.0]).collect();
    let options = kl::tsne::Options {
        iterations: kl::tsne::MAX_ITERATIONS,
        ..Default::default()
    };
    let refused = kl::tsne::run(&joint, &initial, &options).unwrap_err();
    assert!(
        matches!(refused, kl::Error::TooLarge { name: "iterations", limit, .. } if limit == kl::tsne::MAX_WORK / 2500),
        "{refused:?}"
    );
}

/// Two laws statrs accepts whose statrs quantile iterates without end (the random-seed fuzz
/// found both hanging the quadrature): a Gamma of rate `∞` (a point mass at 0) and a Student
/// t of `∞` degrees of freedom. The routes refuse them by name, within the budget.
#[test]
fn laws_whose_statrs_quantile_never_returns_are_refused() {
    use statrs::distribution::StudentsT;
    let gamma = Gamma::new(1.0, f64::INFINITY).unwrap();
    let t = StudentsT::new(0.0, 1.0, f64::INFINITY).unwrap();
    let q = Gamma::new(2.0, 1.0).unwrap();
    let r = guarded(move || kl::numeric::quadrature(&gamma, &q)).unwrap();
    assert!(
        matches!(r, Err(kl::Error::InvalidParameter { name: "p.rate", .. })),
        "{r:?}"
    );
    let r = guarded(move || kl::numeric::quadrature_between(&gamma, &q, 0.0, 1.0)).unwrap();
    assert!(r.is_err(), "{r:?}");
    let r = guarded(move || kl::numeric::grid(&gamma, &q, 0.0..1.0, 0.01)).unwrap();
    assert!(
        matches!(r, Err(kl::Error::InvalidParameter { name: "p.rate", .. })),
        "{r:?}"
    );
    let n = Normal::new(0.0, 1.0).unwrap();
    let r = guarded(move || kl::numeric::quadrature(&t, &n)).unwrap();
    assert!(
        matches!(
            r,
            Err(kl::Error::InvalidParameter {
                name: "p.freedom",
                ..
            })
        ),
        "{r:?}"
    );
    let r = guarded(move || kl::numeric::quadrature_between(&t, &n, -1.0, 1.0)).unwrap();
    assert!(r.is_err(), "{r:?}");
}

/// Laws with an infinite parameter (accepted by statrs) have their mass at infinity or at a
/// point: the routes returned `0 ± 0` for them, a divergence nobody could have. Now each is
/// refused, naming the parameter.
#[test]
fn laws_with_an_infinite_parameter_are_refused() {
    use statrs::distribution::{Cauchy, Exp, Laplace, Pareto, StudentsT, Weibull};
    let inf = f64::INFINITY;
    let q = Normal::new(1.0, 2.0).unwrap();
    let refused = |name: &str, r: kl::Result<kl::numeric::Estimate>, want: &str| {
        assert!(
            matches!(&r, Err(kl::Error::InvalidParameter { name, .. }) if *name == want),
            "{name}: {r:?}"
        );
    };
    refused(
        "Normal",
        kl::numeric::quadrature(&Normal::new(0.0, inf).unwrap(), &q),
        "p.std_dev",
    );
    refused(
        "Exp",
        kl::numeric::quadrature(&Exp::new(inf).unwrap(), &q),
        "p.rate",
    );
    refused(
        "Gumbel",
        kl::numeric::quadrature(&Gumbel::new(0.0, inf).unwrap(), &q),
        "p.scale",
    );
    refused(
        "Gumbel ∞",
        kl::numeric::grid(&Gumbel::new(inf, 1.0).unwrap(), &q, 0.0..1.0, 0.1),
        "p.location",
    );
    refused(
        "Weibull",
        kl::numeric::quadrature(&Weibull::new(inf, 1.0).unwrap(), &q),
        "p.shape",
    );
    refused(
        "LogNormal",
        kl::numeric::quadrature(&LogNormal::new(0.0, inf).unwrap(), &q),
        "p.scale",
    );
    refused(
        "Pareto",
        kl::numeric::quadrature(&Pareto::new(1.0, inf).unwrap(), &q),
        "p.shape",
    );
    refused(
        "Laplace",
        kl::numeric::quadrature(&Laplace::new(0.0, inf).unwrap(), &q),
        "p.scale",
    );
    refused(
        "Cauchy",
        kl::numeric::quadrature(&Cauchy::new(0.0, inf).unwrap(), &q),
        "p.scale",
    );
    refused(
        "StudentsT",
        kl::numeric::quadrature(&StudentsT::new(0.0, inf, 3.0).unwrap(), &q),
        "p.scale",
    );
    // A wide but finite law is still computed.
    assert!(kl::numeric::quadrature(&Normal::new(0.0, 1e6).unwrap(), &q).is_ok());
}

/// statrs's Gamma quantile returns `2⁻³⁰` for every rate above about 10¹⁰, which put the
/// quadrature's cuts where P has no mass (`1.6e-171` with a tiny error at rate 10¹⁰⁰). The
/// quantile is now the unit-rate one divided by the rate. Against the exact
/// `KL(Gamma(1, β) ‖ Gamma(2, 1)) = 2 ln β − 1 + γ + 1/β` (Euler's γ; from `E ln X = −γ − ln β`).
#[test]
fn gamma_quadrature_at_extreme_rates_matches_the_exact_value() {
    const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;
    let q = Gamma::new(2.0, 1.0).unwrap();
    for rate in [1e-5, 1.0, 1e20, 1e100, 1e300] {
        let p = Gamma::new(1.0, rate).unwrap();
        let exact = 2.0 * rate.ln() - 1.0 + EULER_GAMMA + 1.0 / rate;
        let e = kl::numeric::quadrature(&p, &q).unwrap();
        assert!(
            (e.value - exact).abs() <= 1e-12 * exact.abs().max(1.0) + e.error,
            "rate {rate:e}: {e:?} vs {exact}"
        );
        assert!(
            e.error <= 1e-9 * exact.abs().max(1.0),
            "rate {rate:e}: {e:?}"
        );
    }
}
