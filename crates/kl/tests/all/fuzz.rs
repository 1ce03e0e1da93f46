//! The fuzz target of issue 14: every public function of `kl` on arbitrary inputs (NaN, ±∞,
//! subnormals, ±10^±300, ordinary numbers; arbitrary lengths), each call on its own thread
//! (see `common::guarded`) asserting that it does not panic, returns within the budget, and
//! that every `Ok` value is a number or `+∞`, not below 0 where it is a divergence.
//!
//! CI runs a few cases with a fixed seed, in seconds. `just fuzz` runs many more
//! (`PROPTEST_CASES`) from a random seed, with a shorter budget (`FUZZ_BUDGET_SECS`); a
//! failure prints the seed and the minimal input. Every public function of `kl` is called
//! here except the accessors (`len`, `weights`, …) and what takes only a closure of the
//! caller's (the optimisers' `Objective` trait is reached through `ForwardKl`/`ReverseKl`).

use crate::common::{assert_divergence, assert_divergence_estimate, assert_estimate, guarded};
use proptest::prelude::*;
use statrs::distribution::{
    Bernoulli, Beta, Binomial, Categorical, Cauchy, Chi, Exp, FisherSnedecor, Gamma, Geometric,
    Gumbel, InverseGamma, Laplace, LogNormal, Normal, Pareto, Poisson, Triangular, Uniform,
    Weibull,
};

/// Cases per property: `PROPTEST_CASES`, else 16 (CI: seconds).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let mut config = ProptestConfig::with_cases(cases);
    // A fixed seed unless `just fuzz` asks for a random one (FUZZ_RANDOM_SEED=1).
    if std::env::var_os("FUZZ_RANDOM_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(14);
    }
    config.failure_persistence = None;
    config
}

/// Any double that is hard for numerics.
fn wild() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE),
        Just(f64::MAX),
        Just(-f64::MAX),
        (1u64..1 << 52).prop_map(f64::from_bits), // subnormals
        Just(1e300),
        Just(-1e300),
        Just(1e-300),
        Just(1e200),
        Just(1e154),
        -1e3..1e3f64,
        0.0..1.0f64,
        0.5..2.0f64,
        any::<f64>(),
    ]
}

/// A positive parameter, often extreme.
fn positive() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.01..100.0f64,
        Just(1e-300),
        Just(1e300),
        Just(f64::MIN_POSITIVE),
        (1u64..1 << 52).prop_map(f64::from_bits),
        Just(1e10),
        Just(1.0),
        wild(),
    ]
}

fn vector() -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        prop::collection::vec(wild(), 0..12),
        prop::collection::vec(0.0..1.0f64, 0..40),
    ]
}

/// A probability vector, often nearly one: normalised weights, then perturbed or not.
fn probability() -> impl Strategy<Value = Vec<f64>> {
    (
        prop::collection::vec(0.0..1.0f64, 1..20),
        prop::bool::ANY,
        wild(),
    )
        .prop_map(|(w, perturb, e)| {
            let total: f64 = w.iter().sum();
            let mut p: Vec<f64> = w.iter().map(|v| v / total).collect();
            if perturb && !p.is_empty() {
                p[0] += e * 1e-7;
            }
            p
        })
}

fn finite_ok(what: &str, outcome: Result<kl::Result<f64>, String>) {
    match outcome {
        Err(e) => panic!("{what}: {e}"),
        Ok(Err(_)) => {}
        Ok(Ok(v)) => assert!(!v.is_nan(), "{what}: NaN"),
    }
}

fn all_numbers(what: &str, values: &[f64]) {
    assert!(values.iter().all(|v| !v.is_nan()), "{what}: {values:?}");
}

macro_rules! pair {
    ($what:expr, $p:expr, $q:expr) => {
        if let (Ok(p), Ok(q)) = ($p, $q) {
            let text = format!("{} {:?} vs {:?}", $what, p, q);
            assert_divergence(&text, guarded(move || Ok(kl::kl_divergence(&p, &q))));
        }
    };
}

macro_rules! numeric {
    ($what:expr, $p:expr, $q:expr, $lo:expr, $hi:expr, $dx:expr, $n:expr) => {
        if let (Ok(p), Ok(q)) = ($p, $q) {
            let text = format!("{} {:?} vs {:?}", $what, p, q);
            let (p1, q1, p2, q2, p3, q3) = (p.clone(), q.clone(), p.clone(), q.clone(), p, q);
            assert_divergence_estimate(
                &format!("quadrature {text}"),
                guarded(move || kl::numeric::quadrature(&p1, &q1)),
            );
            let (lo, hi, dx) = ($lo, $hi, $dx);
            assert_estimate(
                &format!("quadrature_between {text}"),
                guarded(move || kl::numeric::quadrature_between(&p2, &q2, lo, hi)),
            );
            let (p4, q4) = (p3.clone(), q3.clone());
            assert_divergence_estimate(
                &format!("grid {text}"),
                guarded(move || kl::numeric::grid(&p4, &q4, lo..hi, dx)),
            );
            let n = $n;
            assert_estimate(
                &format!("monte_carlo {text}"),
                guarded(move || {
                    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(7);
                    kl::numeric::monte_carlo(&p3, &q3, n, &mut rng)
                }),
            );
        }
    };
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn discrete(p in prop_oneof![vector(), probability()], q in prop_oneof![vector(), probability()]) {
        use kl::discrete::*;
        let (a, b) = (p.clone(), q.clone());
        assert_divergence("kl_divergence", guarded(move || kl_divergence(&a, &b)));
        let (a, b) = (p.clone(), q.clone());
        finite_ok("cross_entropy", guarded(move || cross_entropy(&a, &b)));
        let a = p.clone();
        assert_divergence("entropy", guarded(move || entropy(&a)));
        let (a, b) = (p.clone(), q.clone());
        match guarded(move || js_divergence(&a, &b)) {
            Err(e) => panic!("js_divergence: {e}"),
            Ok(Ok(v)) => assert!((0.0..=std::f64::consts::LN_2).contains(&v), "js_divergence {p:?} {q:?}: {v}"),
            Ok(Err(_)) => {}
        }
        let a = p.clone();
        if let Ok(n) = guarded(move || normalize(&a)).unwrap() { all_numbers("normalize", &n) }
        let (a, b) = (p.clone(), q.clone());
        assert_divergence("kl_divergence_unnormalized", guarded(move || kl_divergence_unnormalized(&a, &b)));
        let (a, b) = (p.clone(), q.clone());
        assert_divergence("views::kl_divergence", guarded(move || views::kl_divergence(ndarray::ArrayView1::from(&a), ndarray::ArrayView1::from(&b))));
        let (a, b) = (p.clone(), q.clone());
        finite_ok("views::cross_entropy", guarded(move || views::cross_entropy(ndarray::ArrayView1::from(&a), ndarray::ArrayView1::from(&b))));
        let a = p.clone();
        assert_divergence("views::entropy", guarded(move || views::entropy(ndarray::ArrayView1::from(&a))));
        let (a, b) = (p.clone(), q.clone());
        finite_ok("views::js_divergence", guarded(move || views::js_divergence(ndarray::ArrayView1::from(&a), ndarray::ArrayView1::from(&b))));
        let x = p.first().copied().unwrap_or(0.0);
        let _ = guarded(move || nats_to_bits(x)).unwrap();
        // Issue 18: the same inputs read as log-probabilities, as logits, and as one row.
        for (name, f) in [
            ("kl_divergence_log", kl_divergence_log as fn(&[f64], &[f64]) -> kl::Result<f64>),
            ("kl_divergence_logits", kl_divergence_logits),
            ("cross_entropy_log", cross_entropy_log),
            ("cross_entropy_logits", cross_entropy_logits),
            ("js_divergence_log", js_divergence_log),
            ("js_divergence_logits", js_divergence_logits),
        ] {
            let (a, b) = (p.clone(), q.clone());
            assert_divergence(name, guarded(move || f(&a, &b)));
        }
        for (name, f) in [
            ("kl_divergence_logits_gradient", kl_divergence_logits_gradient as fn(&[f64], &[f64]) -> kl::Result<(f64, Vec<f64>)>),
            ("cross_entropy_logits_gradient", cross_entropy_logits_gradient),
        ] {
            let (a, b) = (p.clone(), q.clone());
            if let Ok((v, g)) = guarded(move || f(&a, &b)).unwrap() {
                assert!(v >= 0.0 && !v.is_nan(), "{name}: {v}");
                all_numbers(name, &g);
            }
        }
        let a = p.clone();
        if let Ok(s) = guarded(move || softmax(&a)).unwrap() { all_numbers("softmax", &s) }
        let a = p.clone();
        if let Ok(s) = guarded(move || log_softmax(&a)).unwrap() {
            assert!(s.iter().all(|x| !x.is_nan() && *x <= 0.0), "log_softmax {s:?}");
        }
        for scale in [Scale::Probabilities, Scale::LogProbabilities, Scale::Logits] {
            let (a, b) = (p.clone(), q.clone());
            assert_divergence("rows::kl_divergence_mean", guarded(move || {
                let (n, m) = (a.len(), b.len());
                let pa = ndarray::ArrayView2::from_shape((1, n), &a).unwrap();
                let qa = ndarray::ArrayView2::from_shape((1, m), &b).unwrap();
                rows::kl_divergence_mean(pa, qa, scale)
            }));
        }
    }

    #[test]
    fn closed_forms(a in wild(), b in positive(), c in wild(), d in positive(), n in any::<u64>(), m in any::<u64>(), u in 0.0..1.0f64, v in 0.0..1.0f64) {
        pair!("Normal", Normal::new(a, b), Normal::new(c, d));
        pair!("LogNormal", LogNormal::new(a, b), LogNormal::new(c, d));
        pair!("Exp", Exp::new(b), Exp::new(d));
        pair!("Gamma", Gamma::new(b, d), Gamma::new(d, b));
        pair!("Beta", Beta::new(b, d), Beta::new(d, b));
        pair!("Laplace", Laplace::new(a, b), Laplace::new(c, d));
        pair!("Cauchy", Cauchy::new(a, b), Cauchy::new(c, d));
        pair!("Gumbel", Gumbel::new(a, b), Gumbel::new(c, d));
        pair!("Weibull", Weibull::new(b, d), Weibull::new(d, b));
        pair!("Pareto", Pareto::new(b, d), Pareto::new(d, b));
        pair!("Uniform", Uniform::new(a, c), Uniform::new(a.min(c) - b, a.max(c) + d));
        pair!("Poisson", Poisson::new(b), Poisson::new(d));
        pair!("Bernoulli", Bernoulli::new(u), Bernoulli::new(v));
        pair!("Binomial", Binomial::new(u, n), Binomial::new(v, m));
        pair!("Binomial same n", Binomial::new(u, n), Binomial::new(v, n));
        pair!("Binomial near n", Binomial::new(u, n >> 4), Binomial::new(v, (n >> 4) + (m & 3)));
        pair!("Geometric", Geometric::new(u), Geometric::new(v));
        pair!("Categorical", Categorical::new(&[u, v, b]), Categorical::new(&[v, u, d]));
        pair!("Exp-Gamma", Exp::new(b), Gamma::new(d, b));
        pair!("Gamma-Exp", Gamma::new(b, d), Exp::new(d));
        pair!("Exp-Normal", Exp::new(b), Normal::new(c, d));
        pair!("Gamma-Normal", Gamma::new(b, d), Normal::new(c, d));
        pair!("Laplace-Normal", Laplace::new(a, b), Normal::new(c, d));
        pair!("Uniform-Normal", Uniform::new(a.min(c), a.max(c)), Normal::new(c, d));
        pair!("Uniform-Exp", Uniform::new(a.min(c), a.max(c)), Exp::new(d));
        pair!("Uniform-Gamma", Uniform::new(a.min(c), a.max(c)), Gamma::new(b, d));
        pair!("Normal-Exp", Normal::new(a, b), Exp::new(d));
        pair!("Normal-Gamma", Normal::new(a, b), Gamma::new(b, d));
    }

    #[test]
    fn ln_densities(a in wild(), b in positive(), c in positive(), x in wild()) {
        use kl::numeric::LnDensity;
        fn check<D: LnDensity + std::fmt::Debug + Send + 'static>(d: Result<D, impl std::fmt::Debug>, x: f64) {
            if let (Ok(d), false) = (d, x.is_nan()) {
                let text = format!("{d:?} at {x}");
                let v = guarded(move || d.ln_density(x)).unwrap_or_else(|e| panic!("{text}: {e}"));
                assert!(!v.is_nan(), "{text}: NaN");
            }
        }
        check(Beta::new(b, c), x);
        check(Gumbel::new(a, b), x);
        check(InverseGamma::new(b, c), x);
        check(LogNormal::new(a, b), x);
        check(Triangular::new(a.min(0.0), a.max(0.0) + b, a.max(0.0)), x);
        check(Weibull::new(b, c), x);
        check(FisherSnedecor::new(b, c), x);
        check(Gamma::new(b, c), x);
        check(Normal::new(a, b), x);
        check(Laplace::new(a, b), x);
        check(Cauchy::new(a, b), x);
        check(Pareto::new(b, c), x);
        check(Exp::new(b), x);
        check(Uniform::new(a.min(0.0), a.max(0.0) + b), x);
        check(kl::mixture::GaussianMixture::new(&[0.5, 0.5], &[a, 0.0], &[b, c]), x);
        check(Chi::new((b as u64).max(1)), x);
        check(statrs::distribution::ChiSquared::new(b), x);
        check(statrs::distribution::Erlang::new((b as u64).max(1), c), x);
        check(statrs::distribution::StudentsT::new(a, b, c), x);
        check(statrs::distribution::Levy::new(a, b), x);
    }

    #[test]
    fn numerical_routes(a in wild(), b in positive(), c in wild(), d in positive(), lo in wild(), hi in wild(), dx in positive(), n in prop_oneof![Just(usize::MAX), 0usize..2000]) {
        numeric!("Normal", Normal::new(a, b), Normal::new(c, d), lo, hi, dx, n);
        numeric!("Gamma", Gamma::new(b, d), Gamma::new(d, b), lo, hi, dx, n);
        numeric!("Beta", Beta::new(b, d), Beta::new(d, b), lo, hi, dx, n);
        numeric!("Uniform", Uniform::new(a.min(c), a.max(c)), Uniform::new(a.min(c) - b, a.max(c) + d), lo, hi, dx, n);
        numeric!("Chi", Chi::new((b as u64).max(1)), Chi::new((d as u64).max(1)), lo, hi, dx, n);
        numeric!("mixture", kl::mixture::GaussianMixture::new(&[0.5, 0.5 - 5e-10], &[a, c], &[b, d]), Normal::new(c, d), lo, hi, dx, n);
    }

    #[test]
    fn estimators(x in vector(), y in vector(), k in 0usize..4, scale in wild()) {
        let (a, b) = (x.clone(), y.clone());
        finite_ok("knn_divergence_1d", guarded(move || kl::estimate::knn_divergence_1d(&a, &b, k)));
        let xs: Vec<f64> = x.iter().map(|v| v * scale).collect();
        let ys: Vec<f64> = y.iter().map(|v| v * scale).collect();
        finite_ok("knn_divergence_1d scaled", guarded(move || kl::estimate::knn_divergence_1d(&xs, &ys, k)));
        let (a, b) = (x.clone(), y.clone());
        finite_ok("knn_divergence 2d", guarded(move || {
            let (n, m) = (a.len() / 2, b.len() / 2);
            let xa = ndarray::Array2::from_shape_vec((n, 2), a[..2 * n].to_vec()).unwrap();
            let ya = ndarray::Array2::from_shape_vec((m, 2), b[..2 * m].to_vec()).unwrap();
            kl::estimate::knn_divergence(xa.view(), ya.view(), k)
        }));
        let counts: Vec<u64> = x.iter().map(|v| v.abs().min(1e6) as u64).collect();
        let c1 = counts.clone();
        if let Ok(v) = guarded(move || kl::models::empirical_pmf(&c1, k as u64 * 7)).unwrap() { all_numbers("empirical_pmf", &v) }
        let _ = guarded(|| kl::models::empirical_pmf(&[3], u64::MAX)).unwrap();
        let c1 = counts.clone();
        let _ = guarded(move || kl::models::poisson_mle(&c1).map(|_| ())).unwrap();
        let c1 = counts.clone();
        let _ = guarded(move || kl::models::normal_mle(&c1).map(|_| ())).unwrap();
        let lambda = scale.abs();
        if let Ok(p) = Poisson::new(lambda)
            && let Ok(v) = guarded(move || kl::models::poisson_masses(&p, k as u64 * 5)).unwrap()
        {
            all_numbers("poisson_masses", &v)
        }
        if let Ok(q) = Normal::new(scale, lambda)
            && let Ok(v) =
                guarded(move || kl::models::discretized_normal_masses(&q, k as u64 * 5)).unwrap()
        {
            all_numbers("discretized_normal_masses", &v)
        }
    }

    #[test]
    fn fits(x in vector(), p in prop_oneof![vector(), probability()], mu in wild(), sigma in positive(), t0 in wild(), t1 in -5.0..5.0f64, step in positive(), epochs in prop_oneof![Just(usize::MAX), 0usize..50]) {
        use kl::fit::*;
        let theta = nalgebra::Vector2::new(t0, t1);
        let (a, b) = (x.clone(), p.clone());
        if let Ok(m) = guarded(move || normal_masses(&a, mu, sigma)).unwrap() { all_numbers("normal_masses", &m) }
        let (a, b2) = (x.clone(), b.clone());
        let _ = guarded(move || moment_match(&a, &b2).map(|_| ())).unwrap();
        let (a, b2) = (x.clone(), b.clone());
        let outcome = guarded(move || {
            let mut results = vec![];
            if let Ok(o) = ForwardKl::new(&a, &b2) {
                results.push(o.loss_and_gradient(&theta).map(|(l, g)| vec![l, g[0], g[1]]));
                results.push(gradient_descent(&o, &theta, &Options { learning_rate: step, iterations: epochs }).map(|d| d.history.iter().map(|e| e.loss).collect()));
                results.push(gradient_check(|t| o.loss_and_gradient(t), &theta, 1e-5).map(|c| vec![c.max_relative_error]));
            }
            if let Ok(o) = ReverseKl::new(&a, &b2) {
                results.push(o.loss_and_gradient(&theta).map(|(l, g)| vec![l, g[0], g[1]]));
                results.push(gradient_descent(&o, &theta, &Options { learning_rate: step, iterations: epochs }).map(|d| d.history.iter().map(|e| e.loss).collect()));
            }
            let ln_p: Vec<f64> = b2.iter().map(|v| v.ln()).collect();
            if let Ok(o) = ReverseKl::from_ln_masses(&a, &ln_p) {
                results.push(o.loss_and_gradient(&theta).map(|(l, g)| vec![l, g[0], g[1]]));
            }
            if let Ok(o) = OriginalForwardKl::new(&a, &b2) {
                results.push(o.loss_and_gradient(&theta).map(|(l, g)| vec![l, g[0], g[1]]));
                results.push(Ok(vec![o.total_mass()]));
            }
            results
        }).unwrap();
        for r in outcome.into_iter().flatten() {
            all_numbers("fit", &r);
        }
    }

    #[test]
    fn mixtures(w in vector(), m in vector(), s in vector(), data in vector(), iterations in prop_oneof![Just(usize::MAX), 0usize..20]) {
        use kl::mixture::*;
        let outcome = guarded(move || {
            let mut out = vec![];
            if let Ok(mix) = GaussianMixture::new(&w, &m, &s) {
                if let Ok(v) = log_likelihood(&mix, &data) { out.push(vec![v]); }
                if let Ok(r) = responsibilities(&mix, &data) {
                    for row in &r { out.push(row.clone()); }
                    if let Ok(v) = elbo(&mix, &data, &r) { out.push(vec![v]); }
                    if let Ok(v) = posterior_kl(&mix, &data, &r) {
                        assert!(v >= 0.0 || v.is_nan(), "posterior_kl {v}");
                        out.push(vec![v]);
                    }
                    let _ = m_step(&mix, &data, &r);
                }
                let options = kl::mixture::Options { iterations, ..Default::default() };
                if let Ok(fit) = em(&data, &mix, &options) { let _ = fit; }
                for u in [0.0, 1e-300, 1e-9, 0.5, 1.0 - 1e-12, 1.0] {
                    let x = statrs::distribution::ContinuousCDF::inverse_cdf(&mix, u);
                    assert!(!x.is_nan(), "inverse_cdf({u})");
                }
                // KL between mixtures, against itself and a plain one, both ways.
                let plain = GaussianMixture::new(&[0.5, 0.5], &[-1.0, 2.0], &[1.0, 0.5]).unwrap();
                for (f, g) in [(&mix, &mix), (&mix, &plain), (&plain, &mix)] {
                    if let Ok(v) = variational(f, g) { out.push(vec![v]); }
                    if let Ok(v) = lower_bound(f, g) { out.push(vec![v]); }
                    if let Ok(u) = variational_upper_bound(f, g, iterations.min(50)) { out.push(vec![u.value]); }
                    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
                    if let Ok(e) = monte_carlo(f, g, 64, &mut rng) { out.push(vec![e.value, e.error]); }
                }
                let means: Vec<_> = m.iter().map(|&x| nalgebra::DVector::from_vec(vec![x])).collect();
                let covs: Vec<_> = s.iter().map(|&x| nalgebra::DMatrix::from_element(1, 1, x)).collect();
                if let Ok(mvn) = MvnMixture::new(&w, &means, &covs) {
                    if let Ok(v) = lower_bound(&mvn, &mvn) { out.push(vec![v]); }
                    if let Ok(u) = variational_upper_bound(&mvn, &mvn, iterations.min(50)) { out.push(vec![u.value]); }
                }
            }
            out
        }).unwrap();
        for r in outcome { all_numbers("mixture", &r); }
    }

    #[test]
    fn tsne(points in prop::collection::vec(prop::collection::vec(wild(), 2), 0..7), perplexity in wild(), iterations in prop_oneof![Just(usize::MAX), Just(1usize << 60), 0usize..30], i in 0usize..10, j in 0usize..10) {
        use kl::tsne::*;
        let outcome = guarded(move || {
            let mut out = vec![];
            if let Ok((c, _)) = conditional_probabilities(&points, perplexity) { out.push(c); }
            let _ = JointProbabilities::from_matrix(points.len(), vec![]);
            if let Ok(p) = joint_probabilities(&points, perplexity) {
                out.push(vec![p.get(i, j)]);
                let y: Vec<Point2> = points.iter().map(|v| [v[0], v[1]]).collect();
                if let Ok(c) = cost(&p, &y) { out.push(vec![c]); }
                if let Ok((c, g)) = cost_and_gradient(&p, &y) { out.push(vec![c]); out.push(g.iter().flatten().copied().collect()); }
                if let Ok(c) = gradient_check(&p, &y, 1e-5) { let _ = c; }
                let options = Options { iterations, ..Default::default() };
                if let Ok(fit) = run(&p, &y, &options) {
                    out.push(fit.embedding.iter().flatten().copied().collect());
                    out.push(fit.history.iter().map(|s| s.kl).collect());
                }
            }
            out
        }).unwrap();
        for r in outcome { all_numbers("tsne", &r); }
    }

    #[test]
    fn structured_normals(m in vector(), w in vector(), d in vector(), e in vector(), r in prop_oneof![Just(usize::MAX), 0usize..4]) {
        use kl::structured::*;
        let k = m.len();
        // Q's parameters, of P's length (statrs's constructor panics on a mismatch).
        let tail = |v: &[f64]| v.iter().copied().chain(std::iter::repeat(1.0)).take(k).collect::<Vec<f64>>();
        let (m2, d2) = (tail(&e), tail(&d));
        let low = |mean: Vec<f64>, diag: Vec<f64>| LowRankNormal::new(mean, w.clone(), r, diag);
        let dense = statrs::distribution::MultivariateNormal::new(m2.clone(), {
            let mut c = vec![0.0; k * k];
            for i in 0..k { c[i * k + i] = d2.get(i).copied().unwrap_or(1.0).abs().max(1e-300); }
            c
        });
        pair!("diag-diag", DiagonalNormal::new(m.clone(), d.clone()), DiagonalNormal::new(m2.clone(), d2.clone()));
        pair!("diag-lowrank", DiagonalNormal::new(m.clone(), d.clone()), low(m2.clone(), d2.clone()));
        pair!("lowrank-diag", low(m.clone(), d.clone()), DiagonalNormal::new(m2.clone(), d2.clone()));
        pair!("lowrank-lowrank", low(m.clone(), d.clone()), low(m2.clone(), d2.clone()));
        pair!("lowrank-full", low(m.clone(), d.clone()), dense.clone());
        pair!("full-lowrank", dense.clone(), low(m.clone(), d.clone()));
        pair!("diag-full", DiagonalNormal::new(m.clone(), d.clone()), dense.clone());
        pair!("full-diag", dense, DiagonalNormal::new(m.clone(), d.clone()));
        let (a, b) = (m.clone(), d.clone());
        if let Ok(Ok((kl, g))) = guarded(move || standard_normal_kl(&a, &b)) {
            prop_assert!(kl >= 0.0);
            all_numbers("standard_normal_kl", &g);
        }
        if let Ok(p) = DiagonalNormal::new(m.clone(), d.clone()) {
            finite_ok("ln_pdf", guarded(move || p.ln_pdf(&e)));
        }
    }

    #[test]
    fn linear_vae(x in vector(), theta in prop::collection::vec(wild(), 14), beta in wild(), eta in positive(), iterations in prop_oneof![Just(usize::MAX), 0usize..20]) {
        use kl::vae::*;
        let data: Vec<[f64; 2]> = x.chunks_exact(2).map(|c| [c[0], c[1]]).collect();
        let outcome = guarded(move || {
            let mut out = vec![];
            if let Ok(model) = LinearVae::from_slice(&theta) {
                if let Ok((loss, g)) = loss_and_gradient(&data, &model, beta) {
                    out.push(vec![loss.total, loss.rate, loss.distortion]);
                    out.push(g.to_vec());
                }
                let options = Options { learning_rate: eta, iterations };
                if let Ok(fit) = fit(&data, &model, beta, &options) {
                    out.push(fit.model.to_vec());
                    out.push(fit.history.iter().map(|s| s.loss.total).collect());
                }
            }
            if let Ok(l) = covariance_eigenvalues(&data) { out.push(l.to_vec()); }
            if let Ok((r, d)) = rate_distortion_bound(&x, beta) { out.push(vec![r, d]); }
            out
        }).unwrap();
        for r in outcome { all_numbers("linear_vae", &r); }
    }

    /// The functions of the later chapters (KL's family, the log-ratio estimators, the
    /// discretised normal, the grid moments, the histogram, the generic gradient check): the
    /// same promise, and each one's own range (distances in [0, 1], divergences ≥ 0).
    #[test]
    fn family_and_estimators(p in prop_oneof![vector(), probability()], q in prop_oneof![vector(), probability()], alpha in wild(), t in wild(), lo in wild(), hi in wild(), bins in prop_oneof![Just(usize::MAX), 0usize..50]) {
        use kl::divergences::*;
        let in_range = |what: &str, outcome: Result<kl::Result<f64>, String>, range: std::ops::RangeInclusive<f64>| match outcome {
            Err(e) => panic!("{what}: {e}"),
            Ok(Ok(v)) => assert!(range.contains(&v) || (v == f64::INFINITY && *range.end() == f64::INFINITY), "{what} {p:?} {q:?}: {v}"),
            Ok(Err(_)) => {}
        };
        let (a, b) = (p.clone(), q.clone());
        in_range("renyi_divergence", guarded(move || renyi_divergence(&a, &b, alpha)), 0.0..=f64::INFINITY);
        let (a, b) = (p.clone(), q.clone());
        in_range("hellinger_distance", guarded(move || hellinger_distance(&a, &b)), 0.0..=1.0);
        let (a, b) = (p.clone(), q.clone());
        in_range("total_variation", guarded(move || total_variation(&a, &b)), 0.0..=1.0);
        let (a, b) = (p.clone(), q.clone());
        in_range("chi_squared", guarded(move || chi_squared(&a, &b)), 0.0..=f64::INFINITY);
        let (a, b) = (p.clone(), q.clone());
        // KL's own generator, f(t) = t ln t, whose slope grows without bound.
        let f = |t: f64| if t == 0.0 { 0.0 } else { t * t.ln() };
        in_range("f_divergence", guarded(move || f_divergence(&a, &b, f, f64::INFINITY)), 0.0..=f64::INFINITY);
        let a = p.clone();
        in_range("mutual_information", guarded(move || {
            let n = a.len() / 2;
            let joint = ndarray::Array2::from_shape_vec((n.min(1), n), a[..n * n.min(1)].to_vec()).unwrap();
            mutual_information(joint.view())
        }), 0.0..=f64::INFINITY);

        use kl::estimate::{k1, k2, k3, log_ratio_estimates};
        let _ = guarded(move || k1(t)).unwrap();
        assert!(guarded(move || k2(t)).unwrap() >= 0.0 || t.is_nan(), "k2({t})");
        assert!(guarded(move || k3(t)).unwrap() >= 0.0 || t.is_nan(), "k3({t})");
        let (a, b) = (p.clone(), q.clone());
        if let Ok(e) = guarded(move || log_ratio_estimates(&a, &b)).unwrap() {
            for x in [e.k1, e.k2, e.k3] {
                assert!(!x.value.is_nan() && !x.error.is_nan() && x.error >= 0.0, "log_ratio_estimates: {e:?}");
            }
        }

        let counts: Vec<u64> = p.iter().map(|v| (v.abs() * 30.0).min(1e6) as u64).collect();
        let c = counts.clone();
        if let Ok(fit) = guarded(move || kl::discretised::folded_normal_mle(&c)).unwrap() {
            all_numbers("folded_normal_mle", &[fit.mu, fit.sigma, fit.log_likelihood]);
        }
        if let Ok(model) = Normal::new(t, alpha.abs()) {
            let c = counts.clone();
            finite_ok("discretised::log_likelihood", guarded(move || kl::discretised::log_likelihood(&c, &model)));
        }
        let (a, b) = (q.clone(), p.clone());
        if let Ok((m, s)) = guarded(move || kl::fit_grid::grid_moment_match(&a, &b)).unwrap() {
            all_numbers("grid_moment_match", &[m, s]);
        }
        let a = q.clone();
        if let Ok((edges, density)) = guarded(move || kl::histogram::density_bins(&a, lo, hi, bins)).unwrap() {
            all_numbers("density_bins", &edges);
            assert!(density.iter().all(|d| *d >= 0.0), "density_bins: {density:?}");
        }
        let (a, b) = (p.clone(), q.clone());
        let check = guarded(move || kl::check::gradient_check(|x: &[f64]| Ok(x.iter().map(|v| v * v).sum()), &b, &a, alpha)).unwrap();
        if let Ok(c) = check {
            all_numbers("check::gradient_check", &[c.max_abs_error, c.max_relative_error]);
        }
    }
}
