//! `kl::estimate::knn_divergence` against closed forms, for consistency, invariances and errors.
//!
//! Tolerances: the spread of the k = 1 estimate, measured over repeated seeded runs in chapter
//! 07 (`examples/07_from_samples.rs`, the "sd" column: 0.023 at n = m = 10⁴ and 0.012 at
//! 3·10⁴ in 1-D; 0.033 and 0.021 in 2-D), falls like 1/√n, so at n = m = 20 000 it is about
//! 0.016 (1-D) and 0.025 (2-D). The tolerances 0.06 and 0.1 below are about 4 of those; the
//! bias at this n (≤ 0.03 in 2-D, smaller in 1-D, same source) fits inside them. k = 5 has a
//! smaller spread than k = 1, so it gets the tighter 0.04.

use kl::Error;
use kl::estimate::{knn_divergence, knn_divergence_1d};
use nalgebra::{Matrix2, Vector2};
use ndarray::{Array2, array};
use proptest::prelude::{ProptestConfig, prop_assert, proptest};
use rand::SeedableRng;
use rand::distr::Distribution as _;
use rand::rngs::StdRng;
use statrs::distribution::{MultivariateNormal, Normal};

fn normal_sample(mean: f64, sd: f64, n: usize, seed: u64) -> Vec<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let dist = Normal::new(mean, sd).unwrap();
    (0..n).map(|_| dist.sample(&mut rng)).collect()
}

fn mvn_sample(mean: [f64; 2], cov: [f64; 4], n: usize, seed: u64) -> Array2<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let dist = MultivariateNormal::new(mean.to_vec(), cov.to_vec()).unwrap();
    let mut out = Array2::zeros((n, 2));
    for mut row in out.outer_iter_mut() {
        let v = dist.sample(&mut rng);
        row[0] = v[0];
        row[1] = v[1];
    }
    out
}

#[test]
fn one_dimensional_normals_match_the_closed_form() {
    let (p, q) = (
        Normal::new(0.0, 1.0).unwrap(),
        Normal::new(1.0, 1.5).unwrap(),
    );
    let exact = kl::kl_divergence(&p, &q);
    let x = normal_sample(0.0, 1.0, 20_000, 1);
    let y = normal_sample(1.0, 1.5, 20_000, 2);
    let estimate = knn_divergence_1d(&x, &y, 1).unwrap();
    assert!((estimate - exact).abs() < 0.06, "{estimate} vs {exact}");
    // k = 5: lower variance, same target.
    let estimate = knn_divergence_1d(&x, &y, 5).unwrap();
    assert!(
        (estimate - exact).abs() < 0.04,
        "k = 5: {estimate} vs {exact}"
    );
}

/// KL between two-dimensional normals from the standard formula, written out here
/// independently of the library:
/// `½ [tr(Σ₂⁻¹Σ₁) + (μ₂−μ₁)ᵀ Σ₂⁻¹ (μ₂−μ₁) − d + ln(det Σ₂ / det Σ₁)]`.
fn mvn_kl(m1: [f64; 2], s1: [f64; 4], m2: [f64; 2], s2: [f64; 4]) -> f64 {
    let s1 = Matrix2::from_row_slice(&s1);
    let s2 = Matrix2::from_row_slice(&s2);
    let dm = Vector2::from(m2) - Vector2::from(m1);
    let inv2 = s2.try_inverse().unwrap();
    0.5 * ((inv2 * s1).trace() + (dm.transpose() * inv2 * dm)[0] - 2.0
        + (s2.determinant() / s1.determinant()).ln())
}

#[test]
fn two_dimensional_normals_match_the_closed_form() {
    let (m1, s1) = ([0.0, 0.0], [1.0, 0.6, 0.6, 2.0]);
    let (m2, s2) = ([1.0, -0.5], [1.5, -0.3, -0.3, 1.0]);
    let exact = mvn_kl(m1, s1, m2, s2);
    // The same formula in numpy (tests/reference/estimate.py) gives 0.8517516958159917, and so does the library's closed form.
    assert!((exact - 0.8517516958159917).abs() < 1e-14);
    let p = MultivariateNormal::new(m1.to_vec(), s1.to_vec()).unwrap();
    let q = MultivariateNormal::new(m2.to_vec(), s2.to_vec()).unwrap();
    assert!((kl::kl_divergence(&p, &q) - exact).abs() < 1e-12);
    let x = mvn_sample(m1, s1, 20_000, 3);
    let y = mvn_sample(m2, s2, 20_000, 4);
    let estimate = knn_divergence(x.view(), y.view(), 1).unwrap();
    assert!((estimate - exact).abs() < 0.1, "{estimate} vs {exact}");
}

#[test]
fn error_shrinks_with_the_sample_size() {
    let exact = kl::kl_divergence(
        &Normal::new(0.0, 1.0).unwrap(),
        &Normal::new(1.0, 1.5).unwrap(),
    );
    let mean_abs_error = |n: usize| {
        (0..8)
            .map(|s| {
                let x = normal_sample(0.0, 1.0, n, 100 + s);
                let y = normal_sample(1.0, 1.5, n, 200 + s);
                (knn_divergence_1d(&x, &y, 1).unwrap() - exact).abs()
            })
            .sum::<f64>()
            / 8.0
    };
    let (small, large) = (mean_abs_error(100), mean_abs_error(10_000));
    // The standard deviation falls like 1/√n: a factor 10 here; ask for at least 3.
    assert!(large * 3.0 < small, "n = 100: {small}, n = 10 000: {large}");
}

#[test]
fn identical_distributions_estimate_near_zero_and_symmetric_pairs_agree() {
    let x = normal_sample(0.0, 1.0, 20_000, 5);
    let x2 = normal_sample(0.0, 1.0, 20_000, 6);
    let y = normal_sample(1.0, 1.0, 20_000, 7);
    let same = knn_divergence_1d(&x, &x2, 1).unwrap();
    assert!(same.abs() < 0.06, "KL(P||P) estimate {same}");
    // N(0,1) and N(1,1): KL is ½ in both directions.
    let forward = knn_divergence_1d(&x, &y, 1).unwrap();
    let backward = knn_divergence_1d(&y, &x, 1).unwrap();
    assert!((forward - 0.5).abs() < 0.06, "{forward}");
    assert!((backward - 0.5).abs() < 0.06, "{backward}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Shifting both samples by one vector, or scaling both by one factor, changes no ratio
    /// ν/ρ: the estimate must not move (beyond rounding in the distances).
    #[test]
    fn invariant_under_shared_shift_and_scale(
        seed in 0u64..1000,
        shift in -10.0f64..10.0,
        scale in 0.1f64..10.0,
    ) {
        let x = mvn_sample([0.0, 0.0], [1.0, 0.3, 0.3, 1.0], 300, seed);
        let y = mvn_sample([0.5, 0.0], [2.0, 0.0, 0.0, 1.0], 200, seed + 1);
        let base = knn_divergence(x.view(), y.view(), 2).unwrap();
        let moved = knn_divergence(
            (&x * scale + shift).view(),
            (&y * scale + shift).view(),
            2,
        ).unwrap();
        prop_assert!((base - moved).abs() < 1e-9, "{} vs {}", base, moved);
    }
}

/// The estimator written out naively: every distance computed, every list sorted. A separate
/// route from the library's k-d trees and its brute-force selection.
fn naive(x: &Array2<f64>, y: &Array2<f64>, k: usize) -> f64 {
    let dist = |a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>| {
        a.iter()
            .zip(b)
            .map(|(p, q)| (p - q).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let (n, d) = x.dim();
    let mut sum = 0.0;
    for (i, xi) in x.outer_iter().enumerate() {
        let mut own: Vec<f64> = x
            .outer_iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, xj)| dist(xi, xj))
            .collect();
        let mut other: Vec<f64> = y.outer_iter().map(|yj| dist(xi, yj)).collect();
        own.sort_by(f64::total_cmp);
        other.sort_by(f64::total_cmp);
        sum += (other[k - 1] / own[k - 1]).ln();
    }
    d as f64 / n as f64 * sum + (y.nrows() as f64 / (n as f64 - 1.0)).ln()
}

#[test]
fn every_dimension_agrees_with_the_naive_sum() {
    // d = 1..=8 go through a k-d tree of that const dimension, d = 9 and 12 through brute
    // force: each arm of the dispatch is checked against the naive sum.
    let mut rng = StdRng::seed_from_u64(9);
    let unit = Normal::new(0.0, 1.0).unwrap();
    for d in (1..=9).chain([12]) {
        let x = Array2::from_shape_fn((60, d), |_| unit.sample(&mut rng));
        let y = Array2::from_shape_fn((45, d), |_| 0.3 + 1.2 * unit.sample(&mut rng));
        for k in [1, 3] {
            let got = knn_divergence(x.view(), y.view(), k).unwrap();
            let expected = naive(&x, &y, k);
            assert!(
                (got - expected).abs() < 1e-12 * expected.abs().max(1.0),
                "d = {d}, k = {k}: {got} vs {expected}"
            );
        }
    }
}

#[test]
fn bad_input_is_an_error() {
    let x = array![[0.0], [1.0], [3.0]];
    let y = array![[0.5], [4.0]];
    assert!(matches!(
        knn_divergence(x.view(), y.view(), 0),
        Err(Error::InvalidParameter { name: "k", .. })
    ));
    assert_eq!(
        knn_divergence(x.view(), y.view(), 3),
        Err(Error::TooFewSamples {
            name: "x",
            got: 3,
            needed: 4
        })
    );
    assert_eq!(
        knn_divergence(array![[0.0], [1.0], [3.0], [4.0]].view(), y.view(), 3),
        Err(Error::TooFewSamples {
            name: "y",
            got: 2,
            needed: 3
        })
    );
    assert_eq!(
        knn_divergence(x.view(), array![[0.5, 1.0], [4.0, 1.0]].view(), 1),
        Err(Error::DimensionMismatch {
            name: "y",
            expected: 1,
            got: 2
        })
    );
    let empty = Array2::<f64>::zeros((3, 0));
    assert!(matches!(
        knn_divergence(empty.view(), empty.view(), 1),
        Err(Error::DimensionMismatch { got: 0, .. })
    ));
    let nan = knn_divergence_1d(&[0.0, f64::NAN, 2.0], &[1.0], 1).unwrap_err();
    assert!(
        matches!(
            nan,
            Error::NotFinite {
                name: "x",
                index: 1,
                ..
            }
        ),
        "{nan:?}"
    );
    let inf = knn_divergence_1d(&[0.0, 1.0], &[1.0, f64::NEG_INFINITY], 1).unwrap_err();
    assert!(
        matches!(
            inf,
            Error::NotFinite {
                name: "y",
                index: 1,
                ..
            }
        ),
        "{inf:?}"
    );
}

#[test]
fn duplicates_are_an_error_that_names_both_points() {
    // x[1] and x[3] coincide: ρ₁ = 0 for both.
    let err = knn_divergence_1d(&[0.0, 2.0, 5.0, 2.0], &[1.0, 3.0], 1).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("x[1] and x[3]"), "{msg}");
    // With k = 2 one copy is no longer a zero distance: the estimate is finite.
    assert!(
        knn_divergence_1d(&[0.0, 2.0, 5.0, 2.0], &[1.0, 3.0], 2)
            .unwrap()
            .is_finite()
    );
    // x[2] sits exactly on y[1]: ν₁ = 0.
    let msg = knn_divergence_1d(&[0.0, 2.0, 5.0], &[1.0, 5.0], 1)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("x[2] and y[1]"), "{msg}");
    // The brute-force path (d > 8) says the same.
    let mut x = Array2::from_shape_fn((5, 9), |(i, j)| (i * 9 + j) as f64);
    let row = x.row(0).to_owned();
    x.row_mut(4).assign(&row);
    let y = Array2::from_shape_fn((3, 9), |(i, j)| (i * 9 + j) as f64 + 0.5);
    let msg = knn_divergence(x.view(), y.view(), 1)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("x[0] and x[4]"), "{msg}");
}

#[test]
fn many_identical_points_are_the_duplicate_error_not_a_panic() {
    // More copies than a k-d tree leaf holds (32), in 1-D and 2-D.
    let x = vec![1.5; 100];
    let y: Vec<f64> = (0..50).map(|i| i as f64).collect();
    let err = knn_divergence_1d(&x, &y, 3).unwrap_err();
    assert!(
        matches!(
            err,
            Error::DuplicateSamples {
                other_set: "x",
                k: 3,
                ..
            }
        ),
        "{err}"
    );
    let msg = err.to_string();
    assert!(msg.contains("are the same point"), "{msg}");
    let x2 = Array2::from_elem((100, 2), 0.25);
    let y2 = Array2::from_shape_fn((40, 2), |(i, j)| (i + j) as f64);
    let msg = knn_divergence(x2.view(), y2.view(), 1)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("are the same point"), "{msg}");
    // All y's on one point that is also an x.
    let msg = knn_divergence_1d(&y, &[3.0; 40], 5)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("x[3] and y["), "{msg}");
}
