//! KL between Gaussian mixtures (`kl::mixture`'s routes) checked against each other and
//! against the closed forms: the bounds bracket Monte Carlo (± 4 standard errors) and, in
//! 1-D, quadrature, on drawn mixtures; one component each gives the registry's normal and
//! MVN KL; identical mixtures give 0; a 1-D mixture and the same mixture as an `MvnMixture`
//! of dimension 1 (Cholesky code, not scalar code) agree; bad input gives typed errors.

use kl::mixture::{
    GaussianMixture, MvnMixture, lower_bound, monte_carlo, quadrature, variational,
    variational_upper_bound,
};
use kl::{Error, KlDivergence};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::{ProptestConfig, Strategy, prop, prop_assert, prop_assert_eq, proptest};
use rand::SeedableRng;
use rand::rngs::StdRng;
use statrs::distribution::{MultivariateNormal, Normal};

/// Draws for Monte Carlo in the property tests: s.e. ~1e-2 on these pairs, milliseconds.
const DRAWS: usize = 20_000;
/// Rounds of the upper bound's updates: far more than the drawn pairs need to converge.
const ROUNDS: usize = 10_000;

/// A vector from its entries.
fn v(x: &[f64]) -> DVector<f64> {
    DVector::from_column_slice(x)
}

/// A `d × d` matrix from its rows.
fn mat(d: usize, rows: &[f64]) -> DMatrix<f64> {
    DMatrix::from_row_slice(d, d, rows)
}

/// Weights from positive raw numbers, normalised.
fn normalise(raw: &[f64]) -> Vec<f64> {
    let total: f64 = raw.iter().sum();
    raw.iter().map(|w| w / total).collect()
}

/// 1 to 3 components, weights ≥ 0.05 of the raw total, means in [−5, 5], σ in [0.3, 3].
fn mixture_1d() -> impl Strategy<Value = GaussianMixture> {
    prop::collection::vec((0.05f64..1.0, -5.0f64..5.0, 0.3f64..3.0), 1..=3).prop_map(|c| {
        let w = normalise(&c.iter().map(|t| t.0).collect::<Vec<_>>());
        let m: Vec<f64> = c.iter().map(|t| t.1).collect();
        let s: Vec<f64> = c.iter().map(|t| t.2).collect();
        GaussianMixture::new(&w, &m, &s).unwrap()
    })
}

/// 1 to 3 components in 2-D, covariance `L Lᵀ` with `L` lower triangular, diagonal in
/// [0.3, 2], off-diagonal in [−1, 1].
fn mixture_2d() -> impl Strategy<Value = MvnMixture> {
    let component = (
        0.05f64..1.0,
        (-3.0f64..3.0, -3.0f64..3.0),
        (0.3f64..2.0, 0.3f64..2.0, -1.0f64..1.0),
    );
    prop::collection::vec(component, 1..=3).prop_map(|c| {
        let w = normalise(&c.iter().map(|t| t.0).collect::<Vec<_>>());
        let means: Vec<DVector<f64>> = c.iter().map(|t| v(&[t.1.0, t.1.1])).collect();
        let covs: Vec<DMatrix<f64>> = c
            .iter()
            .map(|t| {
                let l = mat(2, &[t.2.0, 0.0, t.2.2, t.2.1]);
                &l * l.transpose()
            })
            .collect();
        MvnMixture::new(&w, &means, &covs).unwrap()
    })
}

/// The same 1-D mixture as an `MvnMixture` of dimension 1.
fn as_mvn(m: &GaussianMixture) -> MvnMixture {
    let means: Vec<DVector<f64>> = m.means().iter().map(|&x| v(&[x])).collect();
    let covs: Vec<DMatrix<f64>> = m.std_devs().iter().map(|&s| mat(1, &[s * s])).collect();
    MvnMixture::new(m.weights(), &means, &covs).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// lower ≤ quadrature ≤ upper ≤ convexity bound, and lower ≤ MC ± 4 s.e. ≤ upper. The
    /// quadrature slack is its own error estimate plus 1e-9 (rounding of sums of ~1 nat).
    #[test]
    fn bounds_bracket_quadrature_and_monte_carlo_1d(
        f in mixture_1d(), g in mixture_1d(), seed in 0u64..1000,
    ) {
        let lower = lower_bound(&f, &g).unwrap();
        let upper = variational_upper_bound(&f, &g, ROUNDS).unwrap();
        let convexity = variational_upper_bound(&f, &g, 0).unwrap().value;
        let quad = quadrature(&f, &g).unwrap();
        let mc = monte_carlo(&f, &g, DRAWS, &mut StdRng::seed_from_u64(seed)).unwrap();
        let slack = quad.error + 1e-9;
        prop_assert!(lower <= quad.value + slack, "lower {lower} > quad {}", quad.value);
        prop_assert!(quad.value <= upper.value + slack, "quad {} > upper {}", quad.value, upper.value);
        prop_assert!(upper.value <= convexity + 1e-12);
        prop_assert!(lower <= mc.value + 4.0 * mc.error);
        prop_assert!(mc.value - 4.0 * mc.error <= upper.value);
        // Monte Carlo and quadrature agree within 4 s.e. (plus quadrature's error).
        prop_assert!((mc.value - quad.value).abs() <= 4.0 * mc.error + slack);
    }

    /// In 2-D there is no quadrature: lower ≤ MC ± 4 s.e. ≤ upper ≤ convexity bound.
    #[test]
    fn bounds_bracket_monte_carlo_2d(f in mixture_2d(), g in mixture_2d(), seed in 0u64..1000) {
        let lower = lower_bound(&f, &g).unwrap();
        let upper = variational_upper_bound(&f, &g, ROUNDS).unwrap();
        let convexity = variational_upper_bound(&f, &g, 0).unwrap().value;
        let mc = monte_carlo(&f, &g, DRAWS, &mut StdRng::seed_from_u64(seed)).unwrap();
        prop_assert!(lower <= mc.value + 4.0 * mc.error, "lower {lower} mc {mc:?}");
        prop_assert!(mc.value - 4.0 * mc.error <= upper.value, "mc {mc:?} upper {upper:?}");
        prop_assert!(upper.value <= convexity + 1e-12);
    }

    /// Each round of updates lowers the upper bound or leaves it (exact minimisations of a
    /// convex function; 1e-12 for rounding).
    #[test]
    fn upper_bound_never_rises(f in mixture_1d(), g in mixture_1d()) {
        let mut last = f64::INFINITY;
        for rounds in 0..12 {
            let value = variational_upper_bound(&f, &g, rounds).unwrap().value;
            prop_assert!(value <= last + 1e-12);
            last = value;
        }
    }

    /// The 1-D mixture's scalar formulas and the `MvnMixture` of dimension 1 (Cholesky
    /// factors, the registry's MVN KL) give the same numbers to rounding.
    #[test]
    fn one_dimension_two_codes(f in mixture_1d(), g in mixture_1d()) {
        let (fm, gm) = (as_mvn(&f), as_mvn(&g));
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-11 * a.abs().max(1.0);
        prop_assert!(close(variational(&f, &g).unwrap(), variational(&fm, &gm).unwrap()));
        prop_assert!(close(lower_bound(&f, &g).unwrap(), lower_bound(&fm, &gm).unwrap()));
        let u1 = variational_upper_bound(&f, &g, 50).unwrap().value;
        let u2 = variational_upper_bound(&fm, &gm, 50).unwrap().value;
        prop_assert!(close(u1, u2), "{u1} {u2}");
    }

    /// One component each: every route is the registry's closed form (Monte Carlo within
    /// 4 s.e.; the bounds to rounding of terms of size ~H(f), hence 1e-12).
    #[test]
    fn single_normals_give_the_closed_form(
        m1 in -5.0f64..5.0, s1 in 0.3f64..3.0, m2 in -5.0f64..5.0, s2 in 0.3f64..3.0,
        seed in 0u64..1000,
    ) {
        let f = GaussianMixture::new(&[1.0], &[m1], &[s1]).unwrap();
        let g = GaussianMixture::new(&[1.0], &[m2], &[s2]).unwrap();
        let exact = Normal::new(m1, s1).unwrap().kl_divergence(&Normal::new(m2, s2).unwrap());
        let close = |a: f64| (a - exact).abs() <= 1e-12 * exact.max(1.0);
        prop_assert!(close(variational(&f, &g).unwrap()));
        prop_assert!(close(variational_upper_bound(&f, &g, ROUNDS).unwrap().value));
        prop_assert!(close(variational_upper_bound(&f, &g, 0).unwrap().value));
        let quad = quadrature(&f, &g).unwrap();
        prop_assert!((quad.value - exact).abs() <= quad.error + 1e-9);
        let mc = monte_carlo(&f, &g, DRAWS, &mut StdRng::seed_from_u64(seed)).unwrap();
        prop_assert!((mc.value - exact).abs() <= 4.0 * mc.error);
        prop_assert!(close(lower_bound(&f, &g).unwrap()), "{}", lower_bound(&f, &g).unwrap());
    }

    /// Identical mixtures: D_var and Monte Carlo are exactly 0 (the same sums on both
    /// sides), quadrature 0 to 1e-9, the lower bound ≤ 0, the upper bound ≥ 0 and falling
    /// to 0 (below 1e-3 after 10⁴ rounds: the updates converge slowly when the optimum
    /// coupling puts zeros where the start has none).
    #[test]
    fn identical_mixtures_give_zero(f in mixture_1d(), h in mixture_2d()) {
        prop_assert_eq!(variational(&f, &f).unwrap(), 0.0);
        prop_assert_eq!(variational(&h, &h).unwrap(), 0.0);
        prop_assert!(quadrature(&f, &f).unwrap().value.abs() <= 1e-9);
        let mc = monte_carlo(&h, &h, 100, &mut StdRng::seed_from_u64(3)).unwrap();
        prop_assert_eq!((mc.value, mc.error), (0.0, 0.0));
        prop_assert!(lower_bound(&f, &f).unwrap() <= 1e-12);
        prop_assert!(lower_bound(&h, &h).unwrap() <= 1e-12);
        for upper in [
            variational_upper_bound(&f, &f, ROUNDS).unwrap().value,
            variational_upper_bound(&h, &h, ROUNDS).unwrap().value,
        ] {
            prop_assert!((-1e-12..1e-3).contains(&upper), "upper {upper}");
        }
    }
}

/// One MVN component each: every route is the registry's MVN closed form.
#[test]
fn single_mvns_give_the_closed_form() {
    let (m1, c1) = (v(&[0.0, 1.0]), mat(2, &[2.0, 0.5, 0.5, 1.0]));
    let (m2, c2) = (v(&[1.0, -1.0]), mat(2, &[1.0, 0.0, 0.0, 3.0]));
    let f = MvnMixture::new(&[1.0], std::slice::from_ref(&m1), std::slice::from_ref(&c1)).unwrap();
    let g = MvnMixture::new(&[1.0], std::slice::from_ref(&m2), std::slice::from_ref(&c2)).unwrap();
    let exact = MultivariateNormal::new_from_nalgebra(m1, c1)
        .unwrap()
        .kl_divergence(&MultivariateNormal::new_from_nalgebra(m2, c2).unwrap());
    assert!((variational(&f, &g).unwrap() - exact).abs() < 1e-14);
    assert!((variational_upper_bound(&f, &g, 5).unwrap().value - exact).abs() < 1e-14);
    let mc = monte_carlo(&f, &g, 200_000, &mut StdRng::seed_from_u64(11)).unwrap();
    assert!(
        (mc.value - exact).abs() < 4.0 * mc.error,
        "{mc:?} vs {exact}"
    );
    assert!((lower_bound(&f, &g).unwrap() - exact).abs() < 1e-13);
}

/// Bad input: typed errors, never a panic.
#[test]
fn bad_input_gives_typed_errors() {
    let eye = mat(2, &[1.0, 0.0, 0.0, 1.0]);
    let two = MvnMixture::new(&[1.0], &[v(&[0.0, 0.0])], std::slice::from_ref(&eye)).unwrap();
    let one = MvnMixture::new(&[1.0], &[v(&[0.0])], &[mat(1, &[1.0])]).unwrap();
    let e = |r: kl::Result<f64>| r.unwrap_err();
    assert!(matches!(
        e(variational(&two, &one)),
        Error::DimensionMismatch {
            expected: 2,
            got: 1,
            ..
        }
    ));
    assert!(matches!(
        e(lower_bound(&one, &two)),
        Error::DimensionMismatch { .. }
    ));
    let mut rng = StdRng::seed_from_u64(1);
    assert!(matches!(
        monte_carlo(&two, &two, 1, &mut rng).unwrap_err(),
        Error::TooFewSamples { .. }
    ));
    assert!(matches!(
        monte_carlo(&two, &two, kl::numeric::MAX_SAMPLES + 1, &mut rng).unwrap_err(),
        Error::TooLarge { .. }
    ));
    assert!(matches!(
        variational_upper_bound(&two, &two, kl::mixture::MAX_BOUND_ITERATIONS + 1).unwrap_err(),
        Error::TooLarge { .. }
    ));
    let mean = [v(&[0.0, 0.0])];
    let cases: [(kl::Result<MvnMixture>, &str); 9] = [
        (MvnMixture::new(&[], &[], &[]), "empty"),
        (
            MvnMixture::new(&[0.5, 0.5], &mean, std::slice::from_ref(&eye)),
            "lengths",
        ),
        (
            MvnMixture::new(&[0.9], &mean, std::slice::from_ref(&eye)),
            "unnormalised",
        ),
        (
            MvnMixture::new(
                &[1.0, 0.0],
                &[mean[0].clone(), mean[0].clone()],
                &[eye.clone(), eye.clone()],
            ),
            "zero weight",
        ),
        (
            MvnMixture::new(&[1.0], &[v(&[0.0])], std::slice::from_ref(&eye)),
            "mean dimension",
        ),
        (
            MvnMixture::new(&[1.0], &[v(&[f64::NAN, 0.0])], std::slice::from_ref(&eye)),
            "NaN mean",
        ),
        (
            MvnMixture::new(&[1.0], &mean, &[mat(2, &[1.0, 0.5, 0.4, 1.0])]),
            "asymmetric",
        ),
        (
            MvnMixture::new(&[1.0], &mean, &[mat(2, &[1.0, 2.0, 2.0, 1.0])]),
            "indefinite",
        ),
        (
            MvnMixture::new(&[1.0], &mean, &[mat(2, &[0.0, 0.0, 0.0, 1.0])]),
            "singular",
        ),
    ];
    let expected = [
        "Empty",
        "DimensionMismatch",
        "NotNormalized",
        "InvalidParameter",
        "DimensionMismatch",
        "NotFinite",
        "InvalidParameter",
        "InvalidParameter",
        "InvalidParameter",
    ];
    for ((outcome, what), variant) in cases.into_iter().zip(expected) {
        let err = outcome.expect_err(what);
        assert!(format!("{err:?}").starts_with(variant), "{what}: {err:?}");
    }
    assert!(matches!(
        two.ln_density(&v(&[0.0])).unwrap_err(),
        Error::DimensionMismatch { .. }
    ));
}

/// A 1-D mixture with a component of weight 0 gives the same numbers as without it.
#[test]
fn zero_weights_are_skipped() {
    let with = GaussianMixture::new(&[0.6, 0.0, 0.4], &[-1.0, 9.0, 2.0], &[1.0, 0.1, 0.5]).unwrap();
    let without = GaussianMixture::new(&[0.6, 0.4], &[-1.0, 2.0], &[1.0, 0.5]).unwrap();
    let g = GaussianMixture::new(&[0.3, 0.7], &[0.0, 1.0], &[2.0, 1.0]).unwrap();
    for (a, b) in [(&with, &g), (&g, &with)] {
        let (c, d) = if std::ptr::eq(a, &with) {
            (&without, &g)
        } else {
            (&g, &without)
        };
        assert_eq!(variational(a, b).unwrap(), variational(c, d).unwrap());
        assert_eq!(lower_bound(a, b).unwrap(), lower_bound(c, d).unwrap());
        assert_eq!(
            variational_upper_bound(a, b, 100).unwrap(),
            variational_upper_bound(c, d, 100).unwrap()
        );
    }
}

/// Extreme but valid parameters: every route returns a number or +∞ (never NaN), or a typed
/// error, and does not panic (the closed forms between components may overflow to +∞).
#[test]
fn extreme_parameters_give_numbers_not_nan() {
    let wide = GaussianMixture::new(&[0.5, 0.5], &[0.0, 1e300], &[1e200, 1e-200]).unwrap();
    let narrow = GaussianMixture::new(&[1.0], &[-1e300], &[1e-300]).unwrap();
    let usual = GaussianMixture::new(&[0.3, 0.7], &[0.0, 1.0], &[1.0, 2.0]).unwrap();
    for (f, g) in [
        (&wide, &narrow),
        (&narrow, &wide),
        (&usual, &wide),
        (&wide, &usual),
    ] {
        let outcome = kl_common_guard(f.clone(), g.clone());
        assert!(outcome.is_ok(), "{outcome:?}");
    }
}

/// Runs every route on the pair, on its own thread, and fails on a panic or a NaN.
fn kl_common_guard(f: GaussianMixture, g: GaussianMixture) -> Result<(), String> {
    super::common::guarded(move || {
        let mut rng = StdRng::seed_from_u64(5);
        let values = [
            variational(&f, &g).map(|v| ("variational", v)),
            lower_bound(&f, &g).map(|v| ("lower", v)),
            variational_upper_bound(&f, &g, 100).map(|u| ("upper", u.value)),
            monte_carlo(&f, &g, 100, &mut rng).map(|e| ("monte carlo", e.value)),
            quadrature(&f, &g).map(|e| ("quadrature", e.value)),
        ];
        for value in values.into_iter().flatten() {
            if value.1.is_nan() {
                return Err(format!("{} is NaN", value.0));
            }
        }
        Ok(())
    })?
}
