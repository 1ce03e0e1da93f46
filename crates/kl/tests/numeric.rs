//! `kl::numeric` checked against independent routes: the closed form for Normal pairs, values
//! computed with mpmath for other families, and the routes against each other.

use kl::numeric::{Estimate, grid, monte_carlo, quadrature, quadrature_between};
use kl::{Error, KlDivergence};
use proptest::prelude::{ProptestConfig, prop_assert, prop_assume, proptest};
use rand::SeedableRng;
use rand::rngs::StdRng;
use statrs::distribution::{Continuous, Exp, Gamma, Laplace, Normal, Uniform};

/// Relative tolerance of quadrature against an exact value. The rule converges to ~1e-15 on
/// these smooth pieces; 1e-8 leaves room for the closed form's own rounding when KL is tiny
/// (it subtracts numbers of size ~1) and still catches any lost piece of mass.
const QUAD_RTOL: f64 = 1e-8;

fn assert_close(name: &str, got: Estimate, exact: f64, rtol: f64) {
    let diff = (got.value - exact).abs();
    assert!(
        diff <= rtol * exact.abs().max(1e-300),
        "{name}: got {} ± {}, exact {exact}, relative error {:e}",
        got.value,
        got.error,
        diff / exact.abs()
    );
    // The error estimate is honest: it covers the actual error (plus the reference's own
    // last-digit rounding, 1e-14 relative).
    assert!(
        diff <= got.error + 1e-14 * exact.abs(),
        "{name}: actual error {diff:e} exceeds the estimate {:e}",
        got.error
    );
}

#[test]
fn quadrature_normal_pairs_from_the_original() {
    let p = Normal::new(0.0, 2.0).unwrap();
    for (m, s) in [(2.0, 2.0), (5.0, 4.0)] {
        let q = Normal::new(m, s).unwrap();
        assert_close(
            "N(0,2)||Q",
            quadrature(&p, &q).unwrap(),
            p.kl_divergence(&q),
            1e-12,
        );
        assert_close(
            "Q||N(0,2)",
            quadrature(&q, &p).unwrap(),
            q.kl_divergence(&p),
            1e-12,
        );
    }
}

#[test]
fn quadrature_far_away_location_does_not_return_zero() {
    // The trap in the toolchain notes: a map centred on 0 misses all of N(100, 1).
    let p = Normal::new(100.0, 1.0).unwrap();
    for q in [
        Normal::new(0.0, 1.0).unwrap(),
        Normal::new(100.5, 1.0).unwrap(),
        Normal::new(-3.0, 50.0).unwrap(),
    ] {
        let exact = p.kl_divergence(&q);
        assert_close("N(100,1)||Q", quadrature(&p, &q).unwrap(), exact, 1e-10);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Quadrature agrees with the closed form across locations up to ±1000 and scales from
    /// 10⁻³ to 10³ (very different scales for P and Q included).
    #[test]
    fn quadrature_matches_normal_closed_form(
        m1 in -1000.0f64..1000.0,
        m2 in -1000.0f64..1000.0,
        ls1 in -3.0f64..3.0,
        ls2 in -3.0f64..3.0,
    ) {
        let p = Normal::new(m1, 10f64.powf(ls1)).unwrap();
        let q = Normal::new(m2, 10f64.powf(ls2)).unwrap();
        let exact = p.kl_divergence(&q);
        let got = quadrature(&p, &q).unwrap();
        let diff = (got.value - exact).abs();
        prop_assert!(diff <= QUAD_RTOL * exact, "got {got:?}, exact {exact}");
        prop_assert!(diff <= got.error + 1e-12 * exact, "got {got:?}, exact {exact}, diff {diff:e}");
    }

    /// Nearby pairs (KL as small as ~1e-6) keep their relative accuracy.
    #[test]
    fn quadrature_matches_normal_closed_form_for_close_pairs(
        m in -100.0f64..100.0,
        dm in 1e-3f64..1.0,
        s in 0.1f64..10.0,
        ds in 0.9f64..1.1,
    ) {
        let p = Normal::new(m, s).unwrap();
        let q = Normal::new(m + dm * s, s * ds).unwrap();
        let exact = p.kl_divergence(&q);
        let got = quadrature(&p, &q).unwrap();
        prop_assert!((got.value - exact).abs() <= QUAD_RTOL * exact, "got {got:?}, exact {exact}");
    }
}

/// KL between Laplace distributions (location μ, scale b), by hand:
/// `ln(b₂/b₁) + |μ₁ − μ₂|/b₂ + (b₁/b₂) exp(−|μ₁ − μ₂|/b₁) − 1`. Checked against mpmath below
/// (Laplace(0,1)‖Laplace(3,2) = 1.2180407147438773).
fn laplace_kl(m1: f64, b1: f64, m2: f64, b2: f64) -> f64 {
    let d = (m1 - m2).abs();
    (b2 / b1).ln() + d / b2 + (b1 / b2) * (-d / b1).exp() - 1.0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// Laplace pairs: ln q has a kink at Q's location, anywhere in P's range, which only the
    /// adaptive halving resolves. P's bulk (|x − μ₁| ≤ 34 b₁ holds all but 10⁻¹⁵ of it) stays
    /// within 700 scales b₂ of μ₂, because statrs's Laplace computes ln(pdf), which underflows
    /// to −∞ beyond ~745 scales (see `laplace_underflow_is_an_error_not_infinity`).
    #[test]
    fn quadrature_matches_laplace_formula(
        m1 in -100.0f64..100.0,
        dm in -20.0f64..20.0,
        lb1 in -1.0f64..1.0,
        lb2 in -1.0f64..1.0,
    ) {
        let (b1, b2) = (10f64.powf(lb1), 10f64.powf(lb2));
        prop_assume!((dm.abs() + 34.0 * b1) / b2 < 700.0);
        let exact = laplace_kl(m1, b1, m1 + dm, b2);
        let p = Laplace::new(m1, b1).unwrap();
        let q = Laplace::new(m1 + dm, b2).unwrap();
        let got = quadrature(&p, &q).unwrap();
        let diff = (got.value - exact).abs();
        prop_assert!(diff <= QUAD_RTOL * exact, "got {got:?}, exact {exact}");
        prop_assert!(diff <= got.error + 1e-12 * exact, "got {got:?}, exact {exact}, diff {diff:e}");
    }
}

/// Reference values computed with mpmath (40 digits, `mp.quad` over the log-densities, split
/// at the kinks and the support edges) in /opt/pyref/bin/python; several also agree with
/// closed forms by hand (Exp‖Exp = ln(λ₁/λ₂) + λ₂/λ₁ − 1, Exp(1)‖Gamma(2,1) = Euler's γ,
/// Uniform(0,1)‖Uniform(−1,2) = ln 3).
#[test]
fn quadrature_matches_mpmath_for_other_families() {
    let e = |r: f64| Exp::new(r).unwrap();
    let g = |a: f64, b: f64| Gamma::new(a, b).unwrap();
    let l = |m: f64, s: f64| Laplace::new(m, s).unwrap();
    let n = |m: f64, s: f64| Normal::new(m, s).unwrap();
    let u = |a: f64, b: f64| Uniform::new(a, b).unwrap();
    // Gamma with shape < 1 has a pole at 0: the rule's endpoint clustering handles it, to a
    // looser 1e-9.
    let cases: [(&str, Estimate, f64, f64); 11] = [
        (
            "Exp(1)||Exp(2)",
            quadrature(&e(1.0), &e(2.0)).unwrap(),
            0.306_852_819_440_054_7,
            1e-12,
        ),
        (
            "Exp(0.5)||Exp(3)",
            quadrature(&e(0.5), &e(3.0)).unwrap(),
            3.208_240_530_771_945,
            1e-12,
        ),
        (
            "Gamma(2,1)||Gamma(3,2)",
            quadrature(&g(2.0, 1.0), &g(3.0, 2.0)).unwrap(),
            0.190_921_303_781_642_24,
            1e-11,
        ),
        (
            "Gamma(0.5,1)||Gamma(2,1)",
            quadrature(&g(0.5, 1.0), &g(2.0, 1.0)).unwrap(),
            2.372_900_096_107_435,
            1e-9,
        ),
        (
            "Exp(1)||Gamma(2,1)",
            quadrature(&e(1.0), &g(2.0, 1.0)).unwrap(),
            0.577_215_664_901_532_9,
            1e-11,
        ),
        (
            "Laplace(0,1)||Laplace(3,2)",
            quadrature(&l(0.0, 1.0), &l(3.0, 2.0)).unwrap(),
            1.218_040_714_743_877_3,
            1e-10,
        ),
        (
            "Laplace(100,1)||Laplace(99,0.5)",
            quadrature(&l(100.0, 1.0), &l(99.0, 0.5)).unwrap(),
            1.042_611_701_782_939_3,
            1e-10,
        ),
        (
            "Laplace(0,1)||Normal(1,2)",
            quadrature(&l(0.0, 1.0), &n(1.0, 2.0)).unwrap(),
            0.293_938_533_204_672_7,
            1e-11,
        ),
        (
            "Uniform(0,1)||Uniform(-1,2)",
            quadrature(&u(0.0, 1.0), &u(-1.0, 2.0)).unwrap(),
            1.098_612_288_668_109_7,
            1e-12,
        ),
        (
            "Uniform(0,1)||Normal(0.5,1)",
            quadrature(&u(0.0, 1.0), &n(0.5, 1.0)).unwrap(),
            0.960_605_199_871_339_4,
            1e-12,
        ),
        (
            "Normal(0,1)||Laplace(0.5,1)",
            quadrature(&n(0.0, 1.0), &l(0.5, 1.0)).unwrap(),
            0.169_801_762_157_884_63,
            1e-10,
        ),
    ];
    for (name, got, exact, rtol) in cases {
        assert_close(name, got, exact, rtol);
    }
}

#[test]
fn support_mismatch_is_infinite() {
    let inf = f64::INFINITY;
    // N → Exp: P has mass below 0, where Q has none.
    let normal = Normal::new(1.0, 1.0).unwrap();
    let exp = Exp::new(1.0).unwrap();
    assert_eq!(quadrature(&normal, &exp).unwrap().value, inf);
    let mut rng = StdRng::seed_from_u64(1);
    assert_eq!(
        monte_carlo(&normal, &exp, 10_000, &mut rng).unwrap().value,
        inf
    );
    assert_eq!(grid(&normal, &exp, -5.0..5.0, 0.01).unwrap().value, inf);
    // Uniform(0, 2) → Uniform(0, 1).
    let wide = Uniform::new(0.0, 2.0).unwrap();
    let narrow = Uniform::new(0.0, 1.0).unwrap();
    assert_eq!(quadrature(&wide, &narrow).unwrap().value, inf);
    assert_eq!(grid(&wide, &narrow, 0.0..2.0, 0.01).unwrap().value, inf);
    // The other way round is finite: ln 2.
    let back = quadrature(&narrow, &wide).unwrap();
    assert!((back.value - std::f64::consts::LN_2).abs() <= back.error);
    assert!(back.error < 1e-13);
    // A grid inside Q's support cannot see the mismatch, but its error estimate does.
    let blind = grid(&normal, &exp, 0.0..10.0, 0.01).unwrap();
    assert!(blind.value.is_finite());
    assert_eq!(blind.error, inf);
}

/// A Q whose density is 0 on a gap inside its nominal support: only the rule's nodes can find
/// that ln q = −∞ where ln p is finite.
struct Gappy(Normal);

impl Continuous<f64, f64> for Gappy {
    fn pdf(&self, x: f64) -> f64 {
        self.ln_pdf(x).exp()
    }
    fn ln_pdf(&self, x: f64) -> f64 {
        if (0.5..1.5).contains(&x) {
            f64::NEG_INFINITY
        } else {
            self.0.ln_pdf(x)
        }
    }
}

impl statrs::statistics::Min<f64> for Gappy {
    fn min(&self) -> f64 {
        f64::NEG_INFINITY
    }
}

impl statrs::statistics::Max<f64> for Gappy {
    fn max(&self) -> f64 {
        f64::INFINITY
    }
}

/// A "distribution" whose log-density is NaN: a broken input, reported, not integrated.
struct Broken;

impl Continuous<f64, f64> for Broken {
    fn pdf(&self, _: f64) -> f64 {
        f64::NAN
    }
    fn ln_pdf(&self, _: f64) -> f64 {
        f64::NAN
    }
}

impl statrs::statistics::Min<f64> for Broken {
    fn min(&self) -> f64 {
        f64::NEG_INFINITY
    }
}

impl statrs::statistics::Max<f64> for Broken {
    fn max(&self) -> f64 {
        f64::INFINITY
    }
}

#[test]
fn zero_density_inside_q_is_infinite_and_nan_is_an_error() {
    let p = Normal::new(0.0, 1.0).unwrap();
    let gappy = Gappy(Normal::new(0.0, 1.0).unwrap());
    assert_eq!(quadrature(&p, &gappy).unwrap().value, f64::INFINITY);
    let err = quadrature(&p, &Broken).unwrap_err();
    assert!(
        matches!(err, Error::BadDensity { name: "ln q", .. }),
        "{err}"
    );
    let err = grid(&p, &Broken, -1.0..1.0, 0.1).unwrap_err();
    assert!(
        matches!(err, Error::BadDensity { name: "ln q", .. }),
        "{err}"
    );
    let mut rng = StdRng::seed_from_u64(2);
    let err = monte_carlo(&p, &Broken, 10, &mut rng).unwrap_err();
    assert!(
        matches!(err, Error::BadDensity { name: "ln q", .. }),
        "{err}"
    );
}

#[test]
fn invalid_arguments_are_errors() {
    let p = Normal::new(0.0, 2.0).unwrap();
    let q = Normal::new(2.0, 2.0).unwrap();
    let mut rng = StdRng::seed_from_u64(3);
    for n in [0, 1] {
        assert_eq!(
            monte_carlo(&p, &q, n, &mut rng).unwrap_err(),
            Error::TooFewSamples {
                name: "n",
                got: n,
                needed: 2
            }
        );
    }
    for dx in [0.0, -0.1, f64::NAN, f64::INFINITY, 1e-300] {
        let err = grid(&p, &q, -1.0..1.0, dx).unwrap_err();
        assert!(
            matches!(err, Error::InvalidParameter { name: "dx", .. }),
            "{err}"
        );
    }
    #[allow(clippy::reversed_empty_ranges)]
    let bad_ranges = [1.0..1.0, 1.0..-1.0, -1.0..f64::NAN, -1.0..f64::INFINITY];
    for range in bad_ranges {
        let err = grid(&p, &q, range, 0.1).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidParameter {
                    name: "range.end",
                    ..
                }
            ),
            "{err}"
        );
    }
    let err = grid(&p, &q, f64::NEG_INFINITY..1.0, 0.1).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                name: "range.start",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn monte_carlo_within_four_standard_errors_of_the_closed_form() {
    // Four standard errors: a correct estimator fails this with probability ~6e-5 per case;
    // the seeds are fixed, so the test is deterministic.
    let pairs = [
        ((0.0, 2.0), (2.0, 2.0)),
        ((0.0, 2.0), (5.0, 4.0)),
        ((5.0, 4.0), (0.0, 2.0)),
        ((100.0, 1.0), (0.0, 1.0)),
        ((0.0, 0.01), (0.0, 100.0)),
    ];
    for (seed, ((m1, s1), (m2, s2))) in pairs.into_iter().enumerate() {
        let p = Normal::new(m1, s1).unwrap();
        let q = Normal::new(m2, s2).unwrap();
        let exact = p.kl_divergence(&q);
        let mut rng = StdRng::seed_from_u64(seed as u64);
        let mc = monte_carlo(&p, &q, 200_000, &mut rng).unwrap();
        assert!(
            (mc.value - exact).abs() <= 4.0 * mc.error,
            "N({m1},{s1})||N({m2},{s2}): {mc:?} against {exact}"
        );
        // The standard error is about right too: the log-ratio of two Normals is a quadratic
        // in X, whose variance is known; the sample sd should be within 5 % of it.
        let a = 1.0 / (2.0 * s2 * s2) - 1.0 / (2.0 * s1 * s1);
        let b = m1 / (s1 * s1) - m2 / (s2 * s2);
        // r(X) = a X² + b X + c: Var = a²·Var(X²) + b²·Var(X) + 2ab·Cov(X², X).
        let var = a * a * (4.0 * m1 * m1 * s1 * s1 + 2.0 * s1.powi(4))
            + b * b * s1 * s1
            + 2.0 * a * b * 2.0 * m1 * s1 * s1;
        let expected_se = (var / 200_000.0).sqrt();
        assert!(
            (mc.error / expected_se - 1.0).abs() < 0.05,
            "standard error {} against {expected_se}",
            mc.error
        );
    }
}

#[test]
fn grid_converges_as_dx_shrinks() {
    // A range wide enough that truncation is negligible: the error is discretisation.
    let p = Normal::new(0.0, 2.0).unwrap();
    let q = Normal::new(5.0, 4.0).unwrap();
    let exact = p.kl_divergence(&q);
    let mut last_error = f64::INFINITY;
    // The Riemann sum of a smooth density converges geometrically (≈ exp(−2π²σ²/dx²)), so
    // the steps stay coarse enough that the error is not yet at rounding level.
    for dx in [4.0, 3.0, 2.5, 2.0] {
        let g = grid(&p, &q, -30.0..40.0, dx).unwrap();
        assert!(
            g.error < last_error,
            "dx = {dx}: error {} did not shrink",
            g.error
        );
        assert!(
            (g.value - exact).abs() <= g.error + 1e-14,
            "dx = {dx}: {g:?} vs {exact}"
        );
        last_error = g.error;
    }
    // A density with jumps converges only like dx: Uniform(0,1) against Normal.
    let u = Uniform::new(0.0, 1.0).unwrap();
    let n = Normal::new(0.5, 1.0).unwrap();
    let exact = 0.960_605_199_871_339_4; // mpmath, as above
    let mut last = f64::INFINITY;
    last_error = f64::INFINITY;
    for dx in [0.1, 0.01, 0.001] {
        let g = grid(&u, &n, -1.0..2.0, dx).unwrap();
        let diff = (g.value - exact).abs();
        assert!(diff < last, "dx = {dx}: {diff} did not shrink");
        assert!(
            g.error < last_error,
            "dx = {dx}: error {} did not shrink",
            g.error
        );
        assert!(diff <= g.error, "dx = {dx}: {g:?} vs {exact}");
        last = diff;
        last_error = g.error;
    }
}

#[test]
fn grid_error_flags_the_truncated_tail() {
    // The original's reversed pair on its grid [-10, 10): N(5, 4) has ~10.6 % of its mass
    // beyond 10, and the grid misses KL's tail there. The estimate must cover the miss.
    let p = Normal::new(5.0, 4.0).unwrap();
    let q = Normal::new(0.0, 2.0).unwrap();
    let exact = p.kl_divergence(&q);
    let g = grid(&p, &q, -10.0..10.0, 0.001).unwrap();
    assert!(exact - g.value > 1.0, "{g:?} vs {exact}");
    assert!(exact - g.value <= g.error, "{g:?} vs {exact}");
    // The original's example on its grid: the error estimate is small and honest.
    let p = Normal::new(0.0, 2.0).unwrap();
    let q = Normal::new(2.0, 2.0).unwrap();
    let g = grid(&p, &q, -10.0..10.0, 0.001).unwrap();
    assert!(g.error < 1e-5);
    assert!((g.value - 0.5).abs() <= g.error);
}

#[test]
fn quadrature_between_splits_the_divergence() {
    // KL(N(5,4) || N(0,2)) beyond x = 10, from mpmath (quad of the same integrand over
    // [10, ∞), 30 digits) in /opt/pyref/bin/python.
    let p = Normal::new(5.0, 4.0).unwrap();
    let q = Normal::new(0.0, 2.0).unwrap();
    let right = quadrature_between(&p, &q, 10.0, f64::INFINITY).unwrap();
    assert_close("beyond 10", right, TAIL_BEYOND_10, 1e-10);
    let left = quadrature_between(&p, &q, f64::NEG_INFINITY, 10.0).unwrap();
    assert_close(
        "below 10",
        left,
        p.kl_divergence(&q) - TAIL_BEYOND_10,
        1e-10,
    );
    // Outside P's support the piece is 0; a reversed interval is an error.
    let e = Exp::new(1.0).unwrap();
    let g = Gamma::new(2.0, 1.0).unwrap();
    assert_eq!(quadrature_between(&e, &g, -5.0, 0.0).unwrap().value, 0.0);
    assert!(quadrature_between(&e, &g, 1.0, 0.0).is_err());
    // Beyond Q's support where P has support: +∞.
    let n = Normal::new(0.0, 1.0).unwrap();
    assert_eq!(
        quadrature_between(&n, &e, -1.0, 1.0).unwrap().value,
        f64::INFINITY
    );
    assert!(
        quadrature_between(&n, &e, 0.0, 1.0)
            .unwrap()
            .value
            .is_finite()
    );
}

/// `∫_10^∞ N(5,4)·(ln N(5,4) − ln N(0,2))`, mpmath (see above).
const TAIL_BEYOND_10: f64 = 1.671_111_822_514_754;

#[test]
fn laplace_underflow_is_an_error_not_infinity() {
    // KL(Laplace(0, 8) ‖ Laplace(0, 0.1)) = ln(0.0125) + 0 + 80 − 1 = 74.62 (formula above),
    // but statrs's Laplace ln_pdf is −∞ for |x| > ~74.5, where P still has 10⁻⁴ of its mass.
    // That is an underflow, not a gap: the routes say so instead of returning +∞.
    let p = Laplace::new(0.0, 8.0).unwrap();
    let q = Laplace::new(0.0, 0.1).unwrap();
    assert!((laplace_kl(0.0, 8.0, 0.0, 0.1) - 74.617_973_365_326_12).abs() < 1e-9);
    for err in [
        quadrature(&p, &q).unwrap_err(),
        grid(&p, &q, -200.0..200.0, 0.01).unwrap_err(),
        monte_carlo(&p, &q, 200_000, &mut StdRng::seed_from_u64(4)).unwrap_err(),
    ] {
        assert!(matches!(err, Error::Unsupported(_)), "{err}");
        assert!(err.to_string().contains("underflowed"), "{err}");
    }
    // A real gap (a jump of ln q to −∞) stays +∞ for all three routes.
    let n = Normal::new(0.0, 1.0).unwrap();
    let gappy = Gappy(Normal::new(0.0, 1.0).unwrap());
    assert_eq!(
        grid(&n, &gappy, -3.0..3.0, 0.01).unwrap().value,
        f64::INFINITY
    );
    let mut rng = StdRng::seed_from_u64(5);
    assert_eq!(
        monte_carlo(&n, &gappy, 1_000, &mut rng).unwrap().value,
        f64::INFINITY
    );
}
