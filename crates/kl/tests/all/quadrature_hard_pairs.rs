//! `kl::numeric::quadrature` on the pairs that are hard to integrate — poles at the support's
//! edges, power-law tails, super-exponential tails, narrow kinks — against the closed forms
//! evaluated at 40 digits in mpmath, so the reference carries no rounding of its own. Each
//! result must be within its own error estimate: that is what the estimate promises.

use kl::numeric::{Estimate, quadrature};
use statrs::distribution::{Beta, Cauchy, Gumbel, Laplace, Pareto, Weibull};

/// The families, with statrs's parameters in the order of its constructors.
#[derive(Debug, Clone, Copy)]
enum Family {
    Weibull,
    Beta,
    Pareto,
    Gumbel,
    Laplace,
    Cauchy,
}

/// `KL(P‖Q)` from the registry's formulas (crates/kl/doc/closed_forms.md) evaluated with
/// mpmath at 40 digits (`mp.dps = 40`; `mp.gamma`, `mp.loggamma`, `mp.digamma`, `mp.euler`),
/// rounded to the nearest double: `tests/reference/closed_forms.py` recomputes every row.
const CASES: [(Family, [f64; 4], f64); 26] = [
    // A pole like x^−0.8 at 0, and a tail like exp(−x^0.2): 10⁻¹⁵ of P beyond x = 5·10⁷.
    (Family::Weibull, [0.2, 1.0, 1.5, 2.0], 4963.689003150184),
    (Family::Weibull, [0.3, 0.5, 0.25, 3.0], 0.13508438738606957),
    (Family::Weibull, [4.0, 1.0, 0.2, 0.1], 2.5297606566210247),
    // Shape 0.1 against 2: KL ≈ E[X²] = Γ(21) comes from P's tail near x = 10¹³, where
    // `|ln p|` ~ 30 limits the integrand to ~1e-14 relative.
    (Family::Weibull, [0.1, 1.0, 2.0, 1.0], 2.432902008176632e18),
    (Family::Weibull, [0.1, 3.0, 0.5, 0.2], 463.1034011915107),
    // Poles at both ends; at 1, x = 1 − h keeps only the digits of ulp(1).
    (Family::Beta, [0.1, 0.2, 0.5, 0.5], 1.7681983961044792),
    (Family::Beta, [0.3, 0.15, 2.0, 0.3], 1.5704775608436319),
    (Family::Beta, [25.0, 0.1, 0.2, 20.0], 270.0640452533717),
    // Shape 0.05: p(x) overflows a double below x ~ 1e-300, yet x·p(x) does not; statrs's
    // quantile function returns its quantiles out of order there.
    (Family::Beta, [0.05, 8.0, 4.5, 22.0], 85.64552558529348),
    (Family::Beta, [2.0, 0.05, 20.0, 3.0], 50.99596098375053),
    // P's tail like x^−1.1: 10⁻¹⁰ of its mass lies beyond x = 10¹⁰⁰.
    (Family::Pareto, [1.0, 0.1, 0.5, 2.0], 17.390562087565897),
    (Family::Pareto, [2.0, 0.5, 2.0, 0.3], 0.1108256237659907),
    (Family::Pareto, [7.0, 8.0, 0.1, 0.1], 3.8193761588788173),
    // statrs's Gumbel ln_pdf is NaN far in P's left tail, and −∞ ~6.6 scales left of Q's
    // location (it is ln(pdf)); the quadrature's `LnDensity` is exact there.
    (Family::Gumbel, [0.0, 3.0, -5.0, 1.0], 4.096246723129469),
    (Family::Gumbel, [2.0, 0.5, 0.0, 2.0], 1.2868294491793209),
    (Family::Gumbel, [-10.0, 0.1, 10.0, 10.0], 8.380856172806581),
    // Q narrow and far right of P: P's whole bulk lies where statrs's ln q is −∞, and the
    // divergence, E[e^(−(X−μ₂)/β₂)] ≈ e^((μ₂−μ₁)/β₂)·Γ(1 + β₁/β₂), comes from P's left tail
    // (the last at P's 10⁻⁴⁴ quantile, 50 of Q's scales short of where even the exact ln q
    // drops below −1.8e308).
    (Family::Gumbel, [0.0, 1.0, 5.0, 0.5], 44041.815658097774),
    (Family::Gumbel, [0.0, 3.0, 10.0, 0.2], 6.779906525361206e33),
    (Family::Gumbel, [2.0, 0.5, 6.0, 0.1], 2.82462320204424e19),
    (
        Family::Gumbel,
        [-10.0, 10.0, 10.0, 0.15],
        7.218861205284546e151,
    ),
    // Q's kink far from P's centre, Q 15 times narrower than P.
    (Family::Laplace, [0.0, 3.0, 2.0, 0.2], 13.99320658438667),
    (Family::Laplace, [1.0, 0.1, -1.0, 0.15], 12.7387984428156),
    // P's bulk 100 to 1000 of Q's scales from Q's location, where statrs's ln q (ln(pdf)) is
    // −∞ beyond ~745.
    (Family::Laplace, [0.0, 1.0, 1000.0, 1.0], 999.0),
    (
        Family::Laplace,
        [-10.0, 10.0, 10.0, 0.1],
        207.92835813767317,
    ),
    (Family::Laplace, [5.0, 2.0, -15.0, 0.02], 994.3993698069881),
    // A narrow Q ten thousand widths from P's centre, under P's heavy tail.
    (Family::Cauchy, [0.0, 1.0, 100.0, 0.01], 12.429318201641717),
];

fn run(family: Family, x: [f64; 4]) -> kl::Result<Estimate> {
    let [a, b, c, d] = x;
    match family {
        Family::Weibull => quadrature(&Weibull::new(a, b).unwrap(), &Weibull::new(c, d).unwrap()),
        Family::Beta => quadrature(&Beta::new(a, b).unwrap(), &Beta::new(c, d).unwrap()),
        Family::Pareto => quadrature(&Pareto::new(a, b).unwrap(), &Pareto::new(c, d).unwrap()),
        Family::Gumbel => quadrature(&Gumbel::new(a, b).unwrap(), &Gumbel::new(c, d).unwrap()),
        Family::Laplace => quadrature(&Laplace::new(a, b).unwrap(), &Laplace::new(c, d).unwrap()),
        Family::Cauchy => quadrature(&Cauchy::new(a, b).unwrap(), &Cauchy::new(c, d).unwrap()),
    }
}

/// The actual error within the estimate, plus a floor for what the estimate leaves out: the
/// densities' own rounding. statrs's Beta `ln_pdf` adds `ln Γ(a + b) − ln Γ(a) − ln Γ(b)`,
/// each off by up to 3.2e-13 (statrs's `ln_gamma` against mpmath on [0.05, 70]), which
/// scales P's density (and the integral) by up to 1e-12 relative and shifts `ln p − ln q` by
/// as much: 1e-12·(1 + KL) covers both. The other families' `ln_pdf` have no such constant;
/// for them the floor is 1e-14·(1 + KL), a few ulps.
/// (Measured when this was written: every case within 0.51 of its estimate, floor unused.)
#[test]
fn hard_pairs_are_within_their_error_estimate() {
    for (family, x, exact) in CASES {
        let got = run(family, x).unwrap_or_else(|e| panic!("{family:?} {x:?}: {e}"));
        let floor = match family {
            Family::Beta => 1e-12,
            _ => 1e-14,
        } * (1.0 + exact);
        let diff = (got.value - exact).abs();
        assert!(
            diff <= got.error + floor,
            "{family:?} {x:?}: {got:?} vs {exact} (off by {diff:e})"
        );
        // And the estimate is worth having: 1e-9 relative (the widest, 3.4e-10, is the Beta
        // with shape 0.05; the others stay below 5e-11).
        assert!(
            got.error <= 1e-9 * (1.0 + exact),
            "{family:?} {x:?}: error estimate {:e} for {exact}",
            got.error
        );
    }
}

/// Where even the exact log-density of Q is below −1.8e308 (−∞ as a double) where P has
/// mass, the quadrature cannot evaluate `p·|ln q|` there and says so instead of returning a
/// number it cannot stand behind:
/// - in P's bulk (a Gumbel Q 1000 of its scales right of P: KL = e^1000 + …, beyond a double),
///   [`kl::Error::UnrepresentableLnDensity`];
/// - farther out, where P's cdf is still a positive double (Q = Gumbel(30, 0.1) against
///   P = Gumbel(0, 10): overflow left of x = −41, where P's cdf is 6e-27), the value of the rest
///   with an error of +∞. It is then a lower bound: the closed form (mpmath, 40 digits) is
///   1.8127930424628928e288, most of it from the part dropped.
#[test]
fn log_density_beyond_doubles_is_reported() {
    use statrs::distribution::Continuous;
    let got = run(Family::Gumbel, [0.0, 1.0, 1000.0, 1.0]);
    assert!(
        matches!(got, Err(kl::Error::UnrepresentableLnDensity { .. })),
        "{got:?}"
    );
    let got = run(Family::Gumbel, [0.0, 10.0, 30.0, 0.1]).unwrap();
    assert_eq!(got.error, f64::INFINITY, "{got:?}");
    assert!(
        got.value > 0.0 && got.value <= 1.8127930424628928e288,
        "{got:?}"
    );
    // statrs's own ln_pdf is not finite there either.
    assert!(!Gumbel::new(1000.0, 1.0).unwrap().ln_pdf(0.0).is_finite());
}
