//! `kl::numeric` checked against independent routes: the closed form for Normal pairs, values
//! computed with mpmath for other families, and the routes against each other.

use kl::numeric::{Estimate, LnDensity, grid, monte_carlo, quadrature, quadrature_between};
use kl::{Error, KlDivergence};
use proptest::prelude::{ProptestConfig, prop_assert, proptest};
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
    /// adaptive halving resolves. P's bulk (|x − μ₁| ≤ 34 b₁ holds all but 10⁻¹⁵ of it) may lie
    /// up to 1000 scales b₂ from μ₂, beyond the ~745 where statrs's `ln_pdf` (`ln(pdf)`) is
    /// −∞: the routes use [`LnDensity`], which stays finite there.
    #[test]
    fn quadrature_matches_laplace_formula(
        m1 in -100.0f64..100.0,
        dm in -20.0f64..20.0,
        lb1 in -1.0f64..1.0,
        lb2 in -1.0f64..1.0,
    ) {
        let (b1, b2) = (10f64.powf(lb1), 10f64.powf(lb2));
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
/// at the kinks and the support edges) (`tests/reference/numeric.py`); several also agree with
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

/// `Min` and `Max` for a test density supported on the whole line.
macro_rules! whole_line_support {
    ($density:ty) => {
        impl statrs::statistics::Min<f64> for $density {
            fn min(&self) -> f64 {
                f64::NEG_INFINITY
            }
        }

        impl statrs::statistics::Max<f64> for $density {
            fn max(&self) -> f64 {
                f64::INFINITY
            }
        }
    };
}

/// A Q whose density is 0 on a gap inside its nominal support: only the rule's nodes can find
/// that ln q = −∞ where ln p is finite.
struct Gappy(Normal);

impl LnDensity for Gappy {
    fn ln_density(&self, x: f64) -> f64 {
        if (0.5..1.5).contains(&x) {
            f64::NEG_INFINITY
        } else {
            self.0.ln_pdf(x)
        }
    }
}

whole_line_support!(Gappy);

/// A "distribution" whose log-density is NaN: a broken input, reported, not integrated.
struct Broken;

impl LnDensity for Broken {
    fn ln_density(&self, _: f64) -> f64 {
        f64::NAN
    }
}

whole_line_support!(Broken);

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
    // [10, ∞), 30 digits) (`tests/reference/numeric.py`).
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

/// A user's distribution whose log-density is computed as `ln(pdf)`, as statrs's own Laplace
/// `ln_pdf` is: −∞ beyond ~745 scales, long before the density is 0.
struct LnOfPdf(Laplace);

impl LnDensity for LnOfPdf {
    fn ln_density(&self, x: f64) -> f64 {
        self.0.pdf(x).ln()
    }
}

whole_line_support!(LnOfPdf);

#[test]
fn laplace_far_out_is_computed_in_log_space() {
    // KL(Laplace(0, 8) ‖ Laplace(0, 0.1)) = ln(0.0125) + 0 + 80 − 1 = 74.62 (formula above).
    // statrs's Laplace ln_pdf of Q is −∞ for |x| > ~74.5, where P still has 10⁻⁴ of its mass;
    // the routes use `LnDensity`, which is finite there, and all three find the value.
    let p = Laplace::new(0.0, 8.0).unwrap();
    let q = Laplace::new(0.0, 0.1).unwrap();
    assert_eq!(q.ln_pdf(80.0), f64::NEG_INFINITY);
    let exact = laplace_kl(0.0, 8.0, 0.0, 0.1);
    assert!((exact - 74.617_973_365_326_12).abs() < 1e-9);
    assert_close(
        "Laplace(0,8)||Laplace(0,0.1)",
        quadrature(&p, &q).unwrap(),
        exact,
        1e-12,
    );
    // The grid on [−400, 400) leaves out e^(−50) of P (with |ln p − ln q| ≈ 4000 there).
    let g = grid(&p, &q, -400.0..400.0, 0.01).unwrap();
    assert!((g.value - exact).abs() <= g.error, "{g:?} vs {exact}");
    assert!(g.error < 1e-3, "{g:?}");
    // Monte Carlo: within 5 standard errors (a 6e-7 chance of failing if the routes agree).
    let mc = monte_carlo(&p, &q, 200_000, &mut StdRng::seed_from_u64(4)).unwrap();
    assert!(
        (mc.value - exact).abs() <= 5.0 * mc.error,
        "{mc:?} vs {exact}"
    );
}

/// KL is invariant under a bijection of the line: if X ~ InverseGamma(α, β) then 1/X ~
/// Gamma(α, β) (shape, rate), so KL between inverse gammas equals the Gamma closed form. In
/// the last pair statrs's `ln_pdf` of Q (`ln(pdf)`, with `e^(−20/x)`) is −∞ below x ≈ 0.027,
/// where P has 6e-14 of its mass (inside its bulk); the exact `LnDensity` is not.
#[test]
fn inverse_gamma_quadrature_equals_the_gamma_closed_form() {
    use statrs::distribution::InverseGamma;
    for (a1, b1, a2, b2) in [
        (2.0, 1.0, 3.0, 2.0),
        (0.7, 0.5, 5.0, 4.0),
        (3.0, 1.0, 2.0, 20.0),
    ] {
        let exact = Gamma::new(a1, b1)
            .unwrap()
            .kl_divergence(&Gamma::new(a2, b2).unwrap());
        let p = InverseGamma::new(a1, b1).unwrap();
        let q = InverseGamma::new(a2, b2).unwrap();
        let got = quadrature(&p, &q).unwrap();
        let diff = (got.value - exact).abs();
        // The estimate, plus what neither controls: ln Γ's ~3e-13 in both routes.
        assert!(
            diff <= got.error + 1e-12 * (1.0 + exact),
            "InverseGamma({a1}, {b1})||InverseGamma({a2}, {b2}): {got:?} vs {exact}"
        );
    }
    assert_eq!(
        InverseGamma::new(2.0, 20.0).unwrap().ln_pdf(0.02),
        f64::NEG_INFINITY
    );
}

/// A distribution sampled by its inverse cdf, `F⁻¹(U)`, with its own log-density.
struct InverseCdf<D>(D);

impl<D: statrs::distribution::ContinuousCDF<f64, f64>> rand::distr::Distribution<f64>
    for InverseCdf<D>
{
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        use rand::RngExt;
        // U in (0, 1): the open interval keeps F⁻¹ finite.
        let u: f64 = rng.random();
        self.0.inverse_cdf(u.max(f64::MIN_POSITIVE))
    }
}

impl<D: LnDensity> LnDensity for InverseCdf<D> {
    fn ln_density(&self, x: f64) -> f64 {
        self.0.ln_density(x)
    }
}

#[test]
fn gumbel_left_of_q_is_computed_in_log_space() {
    use statrs::distribution::Gumbel;
    // KL(Gumbel(0, 1) ‖ Gumbel(2, 0.5)) = 104.08036855063007 (mpmath, 40 digits, the closed
    // form ln(β₂/β₁) + (μ₁−μ₂)/β₂ + γ(β₁/β₂ − 1) + e^((μ₂−μ₁)/β₂)·Γ(1 + β₁/β₂) − 1).
    // statrs's ln_pdf of Q is −∞ left of x ≈ −1.3, where P has 2.5% of its mass.
    let p = Gumbel::new(0.0, 1.0).unwrap();
    let q = Gumbel::new(2.0, 0.5).unwrap();
    assert_eq!(q.ln_pdf(-1.5), f64::NEG_INFINITY);
    let exact = 104.08036855063007;
    assert_close(
        "Gumbel(0,1)||Gumbel(2,0.5)",
        quadrature(&p, &q).unwrap(),
        exact,
        1e-12,
    );
    // P's mass left of −8 is exp(−e⁸) ≈ 0, right of 40 e^(−40).
    let g = grid(&p, &q, -8.0..40.0, 0.001).unwrap();
    assert!((g.value - exact).abs() <= g.error, "{g:?} vs {exact}");
    assert!(g.error < 1e-6 * exact, "{g:?}");
    // statrs 0.19.1's Gumbel sampler returns NaN (it takes ln(−u)); the route says so.
    let err = monte_carlo(&p, &q, 10, &mut StdRng::seed_from_u64(6)).unwrap_err();
    assert!(matches!(err, Error::NotFinite { index: 0, .. }), "{err}");
    // Drawn by the inverse cdf instead, Monte Carlo agrees. The log-ratio's variance is
    // E[e^(4(2−X))] − KL² ≈ 6·10⁴ (Γ(5)·e⁸): a standard error of ~0.55 at n = 2·10⁵; within 5
    // of them.
    let mc = monte_carlo(&InverseCdf(p), &q, 200_000, &mut StdRng::seed_from_u64(6)).unwrap();
    assert!(
        (mc.value - exact).abs() <= 5.0 * mc.error,
        "{mc:?} vs {exact}"
    );
}

#[test]
fn underflowing_user_density_is_an_error_not_infinity() {
    // The same pair with Q's log-density as ln(pdf): an underflow, not a gap. The routes say
    // they cannot compute the divergence instead of returning +∞.
    let p = Laplace::new(0.0, 8.0).unwrap();
    let q = LnOfPdf(Laplace::new(0.0, 0.1).unwrap());
    for err in [
        quadrature(&p, &q).unwrap_err(),
        grid(&p, &q, -200.0..200.0, 0.01).unwrap_err(),
        monte_carlo(&p, &q, 200_000, &mut StdRng::seed_from_u64(4)).unwrap_err(),
    ] {
        assert!(
            matches!(err, Error::UnrepresentableLnDensity { x } if x.is_finite()),
            "{err}"
        );
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

/// The largest `|mine − statrs| / (ε·(1 + terms(x)))` over `xs` where statrs's `ln_pdf` is
/// above −300, after checking that `ln_density` is finite at every `x` (all inside the
/// support). `terms(x)` is the sum of the magnitudes of the formula's terms: where they cancel
/// (a Fisher–Snedecor with d₁ = 40 sums terms of ~170 into ~1), each side keeps only the
/// absolute precision of the terms, and mpmath shows both sides off by ~70 ulp of the result
/// (e.g. FisherSnedecor(40, 3) at 1.768: 1.5e-14 here, 2e-14 statrs). Below −300 statrs's
/// `pdf` (for the Fisher–Snedecor its square, inside) nears the subnormal range and loses the
/// digits its logarithm needs: there the mpmath values of the next test are the reference.
fn worst_ulps<D: LnDensity + Continuous<f64, f64> + std::fmt::Debug>(
    d: &D,
    xs: &[f64],
    terms: impl Fn(f64) -> f64,
) -> f64 {
    let mut worst: f64 = 0.0;
    for &x in xs {
        let mine = d.ln_density(x);
        assert!(mine.is_finite(), "{d:?} at {x}: {mine}");
        let theirs = d.ln_pdf(x);
        if theirs.is_finite() && theirs > -300.0 {
            let ulps = (mine - theirs).abs() / (f64::EPSILON * (1.0 + terms(x)));
            worst = worst.max(ulps);
        }
    }
    worst
}

/// Points from `a` to `b` spaced evenly in `x` (n of them).
fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// The exact log-densities agree with statrs's `ln_pdf` wherever the latter is finite (and
/// not near the subnormal range), to a few ulp of the formula's terms (each side rounds
/// `exp`, `ln` and a product or two per term), and stay finite where statrs's is −∞ or NaN.
#[test]
fn exact_ln_densities_match_statrs_where_it_is_finite() {
    use statrs::distribution::{Cauchy, FisherSnedecor, Gumbel, InverseGamma};
    use statrs::function::beta::ln_beta;
    use statrs::function::gamma::ln_gamma;
    let mut worst: f64 = 0.0;
    for (m, b) in [(0.0, 1.0), (5.0, 0.25), (-3.0, 7.0f64)] {
        let z = |x: f64| (x - m) / b;
        let xs = linspace(m - 2000.0 * b, m + 2000.0 * b, 4001);
        let laplace = |x: f64| z(x).abs() + (2.0 * b).ln().abs();
        worst = worst.max(worst_ulps(&Laplace::new(m, b).unwrap(), &xs, laplace));
        let xs = linspace(m - 700.0 * b, m + 2000.0 * b, 4001);
        let gumbel = |x: f64| z(x).abs() + (-z(x)).exp() + b.ln().abs();
        worst = worst.max(worst_ulps(&Gumbel::new(m, b).unwrap(), &xs, gumbel));
        let xs = linspace(m - 1e6 * b, m + 1e6 * b, 4001);
        let cauchy = |x: f64| (std::f64::consts::PI * b).ln().abs() + z(x).powi(2).ln_1p();
        worst = worst.max(worst_ulps(&Cauchy::new(m, b).unwrap(), &xs, cauchy));
    }
    let xs: Vec<f64> = linspace(-30.0, 30.0, 4001)
        .iter()
        .map(|t| t.exp())
        .collect();
    for (a, r) in [(0.5, 1.0), (2.0, 3.0), (30.0, 0.2f64)] {
        let terms =
            |x: f64| (a * r.ln()).abs() + ln_gamma(a).abs() + (a + 1.0) * x.ln().abs() + r / x;
        worst = worst.max(worst_ulps(&InverseGamma::new(a, r).unwrap(), &xs, terms));
    }
    for (d1, d2) in [(1.0, 1.0), (5.0, 7.0), (40.0, 3.0f64)] {
        let terms = |x: f64| {
            0.5 * (d1 * (d1 * x).ln().abs()
                + d2 * d2.ln().abs()
                + (d1 + d2) * (d1 * x + d2).ln().abs())
                + x.ln().abs()
                + ln_beta(0.5 * d1, 0.5 * d2).abs()
        };
        worst = worst.max(worst_ulps(
            &FisherSnedecor::new(d1, d2).unwrap(),
            &xs,
            terms,
        ));
    }
    eprintln!("worst disagreement {worst} ulp");
    assert!(worst <= 4.0, "worst disagreement {worst} ulp of the terms");
}

/// Where statrs's `ln_pdf` underflows (or overflows inside), the exact log-density is the
/// formula's value: mpmath at 40 digits (`tests/reference/numeric.py`, the formulas in
/// `LnDensity`'s table), relative tolerance a few ulp.
#[test]
fn exact_ln_densities_are_right_where_statrs_is_not_finite() {
    use statrs::distribution::{Cauchy, FisherSnedecor, Gumbel, InverseGamma};
    let cases: [(&str, f64, f64, f64); 9] = [
        (
            "Laplace(0,1) at 1000",
            Laplace::new(0.0, 1.0).unwrap().ln_density(1000.0),
            Laplace::new(0.0, 1.0).unwrap().ln_pdf(1000.0),
            -1000.6931471805599,
        ),
        (
            "Laplace(5,0.25) at −3000",
            Laplace::new(5.0, 0.25).unwrap().ln_density(-3000.0),
            Laplace::new(5.0, 0.25).unwrap().ln_pdf(-3000.0),
            -12019.30685281944,
        ),
        (
            "Gumbel(0,1) at −10",
            Gumbel::new(0.0, 1.0).unwrap().ln_density(-10.0),
            Gumbel::new(0.0, 1.0).unwrap().ln_pdf(-10.0),
            -22016.465794806718,
        ),
        (
            "Gumbel(2,0.5) at −300",
            Gumbel::new(2.0, 0.5).unwrap().ln_density(-300.0),
            Gumbel::new(2.0, 0.5).unwrap().ln_pdf(-300.0),
            -2.059999284682719e262,
        ),
        (
            "Gumbel(0,1) at 1e5",
            Gumbel::new(0.0, 1.0).unwrap().ln_density(1e5),
            Gumbel::new(0.0, 1.0).unwrap().ln_pdf(1e5),
            -100000.0,
        ),
        (
            "InverseGamma(2,3) at 1e-3",
            InverseGamma::new(2.0, 3.0).unwrap().ln_density(1e-3),
            InverseGamma::new(2.0, 3.0).unwrap().ln_pdf(1e-3),
            -2977.0795095857175,
        ),
        (
            "InverseGamma(200,50) at 0.01",
            InverseGamma::new(200.0, 50.0).unwrap().ln_density(0.01),
            InverseGamma::new(200.0, 50.0).unwrap().ln_pdf(0.01),
            -4149.889861356622,
        ),
        (
            "FisherSnedecor(5,7) at 1e300",
            FisherSnedecor::new(5.0, 7.0).unwrap().ln_density(1e300),
            FisherSnedecor::new(5.0, 7.0).unwrap().ln_pdf(1e300),
            -3104.0103874438255,
        ),
        (
            "Cauchy(0,1) at 1e200",
            Cauchy::new(0.0, 1.0).unwrap().ln_density(1e200),
            Cauchy::new(0.0, 1.0).unwrap().ln_pdf(1e200),
            -922.1787670834676,
        ),
    ];
    for (name, mine, theirs, exact) in cases {
        assert!(
            !theirs.is_finite(),
            "{name}: statrs's ln_pdf is finite here ({theirs})"
        );
        assert!(
            (mine - exact).abs() <= 8.0 * f64::EPSILON * exact.abs(),
            "{name}: {mine} vs mpmath {exact}"
        );
    }
    // Outside the support, and at ±∞: −∞, never NaN.
    let g = Gumbel::new(0.0, 1.0).unwrap();
    assert_eq!(g.ln_density(f64::NEG_INFINITY), f64::NEG_INFINITY);
    assert_eq!(g.ln_density(f64::INFINITY), f64::NEG_INFINITY);
    assert_eq!(g.ln_density(-1000.0), f64::NEG_INFINITY); // ln p < −1.8e308
    let ig = InverseGamma::new(2.0, 3.0).unwrap();
    assert_eq!(ig.ln_density(0.0), f64::NEG_INFINITY);
    assert_eq!(ig.ln_density(-1.0), f64::NEG_INFINITY);
    let f = FisherSnedecor::new(5.0, 7.0).unwrap();
    assert_eq!(f.ln_density(0.0), f64::NEG_INFINITY);
    assert_eq!(f.ln_density(f64::INFINITY), f64::NEG_INFINITY);
    assert_eq!(
        Cauchy::new(0.0, 1.0).unwrap().ln_density(f64::INFINITY),
        f64::NEG_INFINITY
    );
    assert_eq!(
        Laplace::new(0.0, 1.0)
            .unwrap()
            .ln_density(f64::NEG_INFINITY),
        f64::NEG_INFINITY
    );
}

/// A "distribution" whose log-density is finite everywhere but at ∓1.8e308, so that
/// `p·(ln p − ln q)` overflows to `+∞` on the left of 0 and to `−∞` on the right: every node
/// is a number, the integral is not.
struct Overflowing;

impl LnDensity for Overflowing {
    fn ln_density(&self, x: f64) -> f64 {
        if x < 0.0 { -f64::MAX } else { f64::MAX }
    }
}

whole_line_support!(Overflowing);

/// Regression: `quadrature_between` was a copy of `quadrature` that had lost the check for a
/// sum that is not a number, and returned `Ok(NaN)`; both now share one body and say
/// `BadDensity`.
#[test]
fn an_integral_that_is_not_a_number_is_an_error_on_both_quadrature_routes() {
    let p = Normal::new(0.0, 1.0).unwrap();
    let whole = quadrature(&p, &Overflowing).unwrap_err();
    let between =
        quadrature_between(&p, &Overflowing, f64::NEG_INFINITY, f64::INFINITY).unwrap_err();
    let part = quadrature_between(&p, &Overflowing, -1.0, 1.0).unwrap_err();
    for err in [whole, between, part] {
        assert!(
            matches!(err, Error::BadDensity { name: "∫ p (ln p − ln q)", value, .. } if value.is_nan()),
            "{err}"
        );
    }
}
