//! The pairs added to the registry for issue 17, each against an independent route across
//! drawn parameters: `kl::numeric::quadrature` (its own error estimate added to the
//! tolerance) for continuous pairs, direct sums of statrs's log-pmfs for discrete ones.

use kl::KlDivergence;
use kl::numeric::{LnDensity, quadrature};
use proptest::prelude::{ProptestConfig, prop_assert, proptest};
use statrs::distribution::{
    Bernoulli, Beta, Binomial, Chi, ChiSquared, ContinuousCDF, Discrete, DiscreteUniform, Erlang,
    Exp, Gamma, Gumbel, InverseGamma, Laplace, Multinomial, NegativeBinomial, Normal, Pareto,
    Poisson, Uniform, Weibull,
};
use statrs::statistics::{Max, Min};

use crate::common::log_uniform;

/// `|closed − quadrature| ≤ 1e-8 relative + the quadrature's error estimate + 1e-12`.
fn against_quadrature<P, Q>(p: &P, q: &Q) -> Result<(), String>
where
    P: KlDivergence<Q> + LnDensity + ContinuousCDF<f64, f64> + Min<f64> + Max<f64>,
    Q: LnDensity + Min<f64> + Max<f64>,
{
    let closed = p.kl_divergence(q);
    let quad = quadrature(p, q).map_err(|e| e.to_string())?;
    if closed.is_infinite() && quad.value.is_infinite() {
        return Ok(());
    }
    let tol = 1e-8 * quad.value.abs() + quad.error + 1e-12;
    if (closed - quad.value).abs() <= tol && !closed.is_nan() {
        Ok(())
    } else {
        Err(format!(
            "closed {closed} vs quadrature {} ± {}",
            quad.value, quad.error
        ))
    }
}

/// `Σₖ P(k)(ln P(k) − ln Q(k))` over `k ≤ last`.
fn sum<P: Discrete<u64, f64>, Q: Discrete<u64, f64>>(p: &P, q: &Q, last: u64) -> f64 {
    (0..=last)
        .map(|k| {
            let lp = p.ln_pmf(k);
            if lp == f64::NEG_INFINITY {
                0.0
            } else {
                lp.exp() * (lp - q.ln_pmf(k))
            }
        })
        .sum()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn gamma_relatives_match_quadrature(
        k1 in 1u64..40, k2 in 1u64..40, a1 in log_uniform(0.2, 30.0), b1 in log_uniform(0.1, 10.0),
        a2 in log_uniform(0.2, 30.0), b2 in log_uniform(0.1, 10.0),
    ) {
        let r = against_quadrature(&Chi::new(k1).unwrap(), &Chi::new(k2).unwrap());
        prop_assert!(r.is_ok(), "chi: {r:?}");
        let (c1, c2) = (ChiSquared::new(a1).unwrap(), ChiSquared::new(a2).unwrap());
        let r = against_quadrature(&c1, &c2);
        prop_assert!(r.is_ok(), "chi²: {r:?}");
        let (e1, e2) = (Erlang::new(k1, b1).unwrap(), Erlang::new(k2, b2).unwrap());
        let r = against_quadrature(&e1, &e2);
        prop_assert!(r.is_ok(), "erlang: {r:?}");
        let (i1, i2) = (InverseGamma::new(a1, b1).unwrap(), InverseGamma::new(a2, b2).unwrap());
        let r = against_quadrature(&i1, &i2);
        prop_assert!(r.is_ok(), "inverse gamma: {r:?}");
        let g = Gamma::new(a2, b2).unwrap();
        prop_assert!(against_quadrature(&c1, &g).is_ok());
        prop_assert!(against_quadrature(&Gamma::new(a1, b1).unwrap(), &c2).is_ok());
        prop_assert!(against_quadrature(&e1, &g).is_ok());
        prop_assert!(against_quadrature(&Gamma::new(a1, b1).unwrap(), &e2).is_ok());
        let ex = Exp::new(b1).unwrap();
        prop_assert!(against_quadrature(&ex, &c2).is_ok());
        prop_assert!(against_quadrature(&c1, &Exp::new(b2).unwrap()).is_ok());
    }

    #[test]
    fn beta_pareto_uniform_pairs_match_quadrature(
        a in log_uniform(0.3, 20.0), b in log_uniform(0.3, 20.0), l in log_uniform(0.1, 10.0),
        mu in -2.0..2.0f64, s in log_uniform(0.2, 5.0), m in log_uniform(0.2, 5.0),
        alpha in log_uniform(0.5, 10.0), lo in 0.0..0.5f64, w in 0.05..0.5f64,
    ) {
        let beta = Beta::new(a, b).unwrap();
        let r = against_quadrature(&beta, &Exp::new(l).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&beta, &Gamma::new(alpha, l).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&beta, &Normal::new(mu, s).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&beta, &Uniform::new(-lo, 1.0 + w).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        // Shapes with a finite mean (Exp, Gamma) and variance (Normal): below them KL is +∞.
        let pareto = Pareto::new(m, 1.0 + alpha).unwrap();
        let r = against_quadrature(&pareto, &Exp::new(l).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&pareto, &Gamma::new(a, l).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&Pareto::new(m, 2.0 + alpha).unwrap(), &Normal::new(mu, s).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        let u = Uniform::new(lo, lo + w).unwrap();
        let r = against_quadrature(&u, &Beta::new(a, b).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        let up = Uniform::new(m + lo, m + lo + w).unwrap();
        let r = against_quadrature(&up, &Pareto::new(m, alpha).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
    }

    #[test]
    fn gumbel_laplace_weibull_pairs_match_quadrature(
        mu in -2.0..2.0f64, beta in log_uniform(0.3, 5.0), m in -2.0..2.0f64,
        s in log_uniform(0.3, 5.0), l in log_uniform(0.2, 5.0), a in log_uniform(0.3, 20.0),
        k in log_uniform(0.5, 5.0), lo in -2.0..2.0f64, w in log_uniform(0.1, 5.0),
    ) {
        let g = Gumbel::new(mu, beta).unwrap();
        let r = against_quadrature(&Exp::new(l).unwrap(), &g); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&Gamma::new(a, l).unwrap(), &g); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&Normal::new(m, s).unwrap(), &g); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&Uniform::new(lo, lo + w).unwrap(), &g); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&g, &Normal::new(m, s).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&Normal::new(m, s).unwrap(), &Laplace::new(mu, beta).unwrap());
        prop_assert!(r.is_ok(), "{r:?}");
        let wb = Weibull::new(k, s).unwrap();
        let r = against_quadrature(&Exp::new(l).unwrap(), &wb); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&wb, &Exp::new(l).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
        let r = against_quadrature(&wb, &Gamma::new(a, l).unwrap()); prop_assert!(r.is_ok(), "{r:?}");
    }

    #[test]
    fn discrete_pairs_match_sums(
        r1 in log_uniform(0.2, 20.0), r2 in log_uniform(0.2, 20.0), p1 in 0.05..0.95f64,
        p2 in 0.05..0.95f64, n in 0u64..60, l in log_uniform(0.05, 30.0),
    ) {
        let nb1 = NegativeBinomial::new(r1, p1).unwrap();
        for q in [NegativeBinomial::new(r1, p2).unwrap(), NegativeBinomial::new(r2, p2).unwrap()] {
            let (closed, direct) = (nb1.kl_divergence(&q), sum(&nb1, &q, 20_000));
            prop_assert!((closed - direct).abs() <= 1e-8 * direct + 1e-12, "{closed} vs {direct}");
        }
        let bern = Bernoulli::new(p1).unwrap();
        let pois = Poisson::new(l).unwrap();
        let (closed, direct) = (bern.kl_divergence(&pois), sum(&bern, &pois, 1));
        prop_assert!((closed - direct).abs() <= 1e-8 * direct + 1e-12, "{closed} vs {direct}");
        let bin = Binomial::new(p1, n).unwrap();
        let (closed, direct) = (bin.kl_divergence(&pois), sum(&bin, &pois, n));
        prop_assert!((closed - direct).abs() <= 1e-8 * direct + 1e-12, "{closed} vs {direct}");
    }
}

#[test]
fn discrete_uniform_and_multinomial_match_exact_sums() {
    let p = DiscreteUniform::new(2, 5).unwrap();
    let q = DiscreteUniform::new(-3, 10).unwrap();
    let direct: f64 = (2..=5).map(|_| 0.25 * (0.25f64 / (1.0 / 14.0)).ln()).sum();
    assert!((p.kl_divergence(&q) - direct).abs() < 1e-15);
    assert_eq!(q.kl_divergence(&p), f64::INFINITY);
    // Multinomial(n = 3) over three categories: the sum over every count vector.
    let (pw, qw) = ([0.2, 0.3, 0.5], [0.6, 0.1, 0.3]);
    let p = Multinomial::new(pw.to_vec(), 3).unwrap();
    let q = Multinomial::new(qw.to_vec(), 3).unwrap();
    let fact = |k: u32| (1..=k).product::<u32>() as f64;
    let mut direct = 0.0;
    for a in 0..=3u32 {
        for b in 0..=(3 - a) {
            let c = 3 - a - b;
            let coef = fact(3) / (fact(a) * fact(b) * fact(c));
            let pmf = |w: [f64; 3]| {
                coef * w[0].powi(a as i32) * w[1].powi(b as i32) * w[2].powi(c as i32)
            };
            let (pp, qq) = (pmf(pw), pmf(qw));
            direct += pp * (pp / qq).ln();
        }
    }
    assert!(
        (p.kl_divergence(&q) - direct).abs() < 1e-13,
        "{} vs {direct}",
        p.kl_divergence(&q)
    );
}

#[test]
fn new_pairs_are_never_nan_at_extremes() {
    let shapes = [1e-3, 0.5, 1.0, 7.0, 1e3, 1e8];
    for &a in &shapes {
        for &b in &shapes {
            let values = [
                Beta::new(a, b)
                    .unwrap()
                    .kl_divergence(&Exp::new(b).unwrap()),
                Beta::new(a, b)
                    .unwrap()
                    .kl_divergence(&Gamma::new(a, b).unwrap()),
                Gamma::new(a, b)
                    .unwrap()
                    .kl_divergence(&Gumbel::new(a, b).unwrap()),
                Exp::new(a)
                    .unwrap()
                    .kl_divergence(&Gumbel::new(-a, b).unwrap()),
                Normal::new(a, b)
                    .unwrap()
                    .kl_divergence(&Gumbel::new(-a, b).unwrap()),
                Normal::new(a, b)
                    .unwrap()
                    .kl_divergence(&Laplace::new(-a, b).unwrap()),
                Pareto::new(a, b)
                    .unwrap()
                    .kl_divergence(&Normal::new(a, b).unwrap()),
                Weibull::new(a, b)
                    .unwrap()
                    .kl_divergence(&Gamma::new(a, b).unwrap()),
                InverseGamma::new(a, b)
                    .unwrap()
                    .kl_divergence(&InverseGamma::new(b, a).unwrap()),
                NegativeBinomial::new(a, 0.5)
                    .unwrap()
                    .kl_divergence(&NegativeBinomial::new(a, 0.9).unwrap()),
            ];
            for v in values {
                assert!(!v.is_nan() && v >= 0.0, "{v} at a = {a}, b = {b}");
            }
        }
    }
}
