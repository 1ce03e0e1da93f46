//! The structured normals of `kl::structured` (diagonal, low rank plus diagonal): every pair
//! of the registry against the dense formula (`MultivariateNormal` against
//! `MultivariateNormal`, through Cholesky factors of the dense covariances) across drawn
//! parameters, ill-conditioned ones included; one pair by Monte Carlo; the VAE gradient by
//! central differences; the typed errors.
//!
//! Tolerance against the dense formula. Both routes add the same four terms
//! (`tr`, the quadratic form, `k`, the log-determinants) of total size
//! `T = KL + k + |ln det Σ₁| + |ln det Σ₂|` (up to a factor 2), each computed by
//! triangular solves or the Woodbury identity to a relative error of about
//! `k κ ε`, with `κ` the condition number of the covariances and `ε = 2.2e-16`.
//! The draws keep `κ ≲ 1e5` (variances from 1e-2 to 1e2 and factors up to 10 against
//! them) and `k ≤ 6`, so `k κ ε ≲ 1.3e-10`; the tests allow `2e-10 · T`, the worst case
//! of that bound. Measured over the draws: at most 2e-14 · T, and 2e-14 relative to the
//! KL itself (printed by `cargo test -p kl --test all structured:: -- --nocapture`): the
//! bound is far from tight, as rounding errors rarely align.

use kl::structured::{DiagonalNormal, LowRankNormal, standard_normal_kl};
use kl::{Error, KlDivergence};
use nalgebra::{DMatrix, Dyn};
use proptest::collection::vec;
use proptest::prelude::{ProptestConfig, Strategy, prop_assert, proptest};
use rand::SeedableRng;
use rand::distr::Distribution as _;
use rand::rngs::StdRng;
use statrs::distribution::{Continuous, MultivariateNormal, Normal};

use crate::common::log_uniform;

type Dense = MultivariateNormal<Dyn>;

/// See the module docs: `2e-10` of the terms' size.
const TOLERANCE: f64 = 2e-10;

/// Parameters of a low-rank normal of dimension `k` and rank `r`: means in [−3, 3], a factor
/// with entries in [−1, 1] times a scale from 1e-2 to 10, variances from 1e-2 to 1e2.
fn low_rank(k: usize, r: usize) -> impl Strategy<Value = LowRankNormal> {
    (
        vec(-3.0..3.0f64, k),
        vec(-1.0..1.0f64, k * r),
        log_uniform(1e-2, 10.0),
        vec(log_uniform(1e-2, 1e2), k),
    )
        .prop_map(move |(mean, w, scale, d)| {
            let w = w.iter().map(|v| v * scale).collect();
            LowRankNormal::new(mean, w, r, d).unwrap()
        })
}

/// A diagonal normal of dimension `k`: means in [−3, 3], standard deviations from 0.1 to 10.
fn diagonal(k: usize) -> impl Strategy<Value = DiagonalNormal> {
    (vec(-3.0..3.0f64, k), vec(log_uniform(0.1, 10.0), k))
        .prop_map(|(mean, sd)| DiagonalNormal::new(mean, sd).unwrap())
}

/// Two low-rank normals, two diagonal ones and two dense ones (low-rank covariances made dense,
/// rank up to k), all of one dimension `k ≤ 6`.
#[allow(clippy::type_complexity)]
fn family() -> impl Strategy<
    Value = (
        LowRankNormal,
        LowRankNormal,
        DiagonalNormal,
        DiagonalNormal,
        LowRankNormal,
        LowRankNormal,
    ),
> {
    (1usize..=6, 0usize..=3, 0usize..=3).prop_flat_map(|(k, r1, r2)| {
        (
            low_rank(k, r1),
            low_rank(k, r2),
            diagonal(k),
            diagonal(k),
            low_rank(k, k),
            low_rank(k, k),
        )
    })
}

fn dense_of_low_rank(n: &LowRankNormal) -> Dense {
    MultivariateNormal::new(n.mean().to_vec(), n.covariance()).unwrap()
}

fn dense_of_diagonal(n: &DiagonalNormal) -> Dense {
    MultivariateNormal::new(n.mean().to_vec(), n.covariance()).unwrap()
}

/// `ln det Σ` of a dense normal, from its covariance.
fn ln_det(n: &Dense) -> f64 {
    n.cov().determinant().ln()
}

/// `|structured − dense| ≤ TOLERANCE · (dense + k + |ln det Σ₁| + |ln det Σ₂|)`; returns the
/// error relative to that size and relative to the KL.
fn agree(structured: f64, p: &Dense, q: &Dense) -> Result<(f64, f64), String> {
    let dense = p.kl_divergence(q);
    let k = p.mu().len() as f64;
    let size = dense + k + ln_det(p).abs() + ln_det(q).abs();
    let err = (structured - dense).abs();
    if structured.is_finite() && err <= TOLERANCE * size {
        Ok((err / size, err / dense.max(f64::MIN_POSITIVE)))
    } else {
        Err(format!(
            "structured {structured} vs dense {dense} (size {size})"
        ))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The eight structured pairs against the dense formula on the same distributions.
    #[test]
    fn every_pair_matches_the_dense_formula((a, b, c, d, e, f) in family()) {
        let (da, db, dc, dd) = (
            dense_of_low_rank(&a), dense_of_low_rank(&b),
            dense_of_diagonal(&c), dense_of_diagonal(&d),
        );
        let (de, df) = (dense_of_low_rank(&e), dense_of_low_rank(&f));
        let cases = [
            ("diag-diag", c.kl_divergence(&d), &dc, &dd),
            ("diag-full", c.kl_divergence(&de), &dc, &de),
            ("full-diag", de.kl_divergence(&c), &de, &dc),
            ("lowrank-lowrank", a.kl_divergence(&b), &da, &db),
            ("lowrank-full", a.kl_divergence(&df), &da, &df),
            ("full-lowrank", df.kl_divergence(&a), &df, &da),
            ("diag-lowrank", c.kl_divergence(&a), &dc, &da),
            ("lowrank-diag", b.kl_divergence(&d), &db, &dd),
        ];
        let mut worst = (0.0f64, 0.0f64);
        for (name, value, p, q) in cases {
            let r = agree(value, p, q);
            prop_assert!(r.is_ok(), "{name}: {r:?}");
            let (of_size, of_kl) = r.unwrap_or_default();
            worst = (worst.0.max(of_size), worst.1.max(of_kl));
        }
        println!("worst error / size {:.1e}, / KL {:.1e}", worst.0, worst.1);
    }

    /// A diagonal normal is the rank-0 low-rank normal with `d = σ²`: the same KL against
    /// every other kind, to rounding.
    #[test]
    fn a_diagonal_normal_is_a_rank_zero_low_rank_one((a, _b, c, d, e, _f) in family()) {
        let variances: Vec<f64> = c.std_dev().iter().map(|s| s * s).collect();
        let c0 = LowRankNormal::new(c.mean().to_vec(), vec![], 0, variances).unwrap();
        let de = dense_of_low_rank(&e);
        let pairs = [
            (c.kl_divergence(&a), c0.kl_divergence(&a)),
            (c.kl_divergence(&de), c0.kl_divergence(&de)),
            (de.kl_divergence(&c), de.kl_divergence(&c0)),
            (a.kl_divergence(&c), a.kl_divergence(&c0)),
            (c.kl_divergence(&d), {
                let v: Vec<f64> = d.std_dev().iter().map(|s| s * s).collect();
                c0.kl_divergence(&LowRankNormal::new(d.mean().to_vec(), vec![], 0, v).unwrap())
            }),
        ];
        for (diag, low_rank) in pairs {
            prop_assert!((diag - low_rank).abs() <= 1e-12 * (1.0 + diag), "{diag} vs {low_rank}");
        }
    }

    /// The VAE term: the hand gradient against central differences, and its value against the
    /// diagonal pair `KL(N(μ, diag σ²) ‖ N(0, I))` (a different formula for each term).
    #[test]
    fn the_vae_gradient_matches_central_differences(
        theta in (1usize..=5).prop_flat_map(|k| (vec(-3.0..3.0f64, k), vec(-3.0..2.0f64, k)))
    ) {
        let (mean, ln_sd) = theta;
        let (kl, gradient) = standard_normal_kl(&mean, &ln_sd).unwrap();
        let k = mean.len();
        let flat: Vec<f64> = mean.iter().chain(&ln_sd).copied().collect();
        // Central differences with h = 1e-5 on a function whose third derivative is at most
        // e^{2·2}·8/6 ≈ 73 here: truncation h²·73 ≈ 7e-9, rounding ε·KL/h ≈ 1e-10 · KL;
        // against gradients of size ≥ 1e-2 or so, 1e-6 relative is a wide margin.
        let check = kl::check::gradient_check(
            |t: &[f64]| Ok(standard_normal_kl(&t[..k], &t[k..])?.0),
            &gradient,
            &flat,
            1e-5,
        ).unwrap();
        prop_assert!(check.max_abs_error < 1e-6 * (1.0 + check.analytic.iter().fold(0.0f64, |m, v| m.max(v.abs()))),
            "{check:?}");
        let sd: Vec<f64> = ln_sd.iter().map(|s| s.exp()).collect();
        let p = DiagonalNormal::new(mean.clone(), sd).unwrap();
        let pair = p.kl_divergence(&DiagonalNormal::standard(k).unwrap());
        prop_assert!((kl - pair).abs() <= 1e-13 * kl.max(1e-300) + 1e-300, "{kl} vs {pair}");
    }
}

/// One pair by Monte Carlo: `KL(P‖Q) = E_P[ln p(X) − ln q(X)]` with P low rank (drawn as
/// `μ + W ε₁ + √d ⊙ ε₂`, which has covariance `W Wᵀ + D`) and Q dense, the log-densities
/// from statrs. 200 000 draws; the closed form must lie within 4 standard errors.
#[test]
fn low_rank_against_dense_matches_monte_carlo() {
    let p = LowRankNormal::new(
        vec![0.5, -0.5, 1.0],
        vec![1.0, 0.2, 0.5, -0.7, -1.0, 0.3],
        2,
        vec![0.3, 0.5, 0.8],
    )
    .unwrap();
    let cov = vec![2.0, 0.5, 0.0, 0.5, 1.0, 0.2, 0.0, 0.2, 1.5];
    let q = MultivariateNormal::new(vec![0.0, 0.0, 0.0], cov).unwrap();
    let dense_p = dense_of_low_rank(&p);
    let standard = Normal::new(0.0, 1.0).unwrap();
    let mut rng = StdRng::seed_from_u64(11);
    let n = 200_000;
    let w = DMatrix::from_row_slice(3, 2, &p.cov_factor());
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    for _ in 0..n {
        let e1 = nalgebra::DVector::from_fn(2, |_, _| standard.sample(&mut rng));
        let shared = &w * e1;
        let x = nalgebra::DVector::from_fn(3, |i, _| {
            p.mean()[i] + shared[i] + p.cov_diag()[i].sqrt() * standard.sample(&mut rng)
        });
        let ratio = dense_p.ln_pdf(&x) - q.ln_pdf(&x);
        sum += ratio;
        sum_sq += ratio * ratio;
    }
    let mean = sum / n as f64;
    let se = ((sum_sq / n as f64 - mean * mean) / (n as f64 - 1.0)).sqrt();
    let exact = p.kl_divergence(&q);
    assert!(
        (mean - exact).abs() < 4.0 * se,
        "Monte Carlo {mean} ± {se} vs closed form {exact}"
    );
}

/// A factor whose columns are dependent (rank 1 in a rank-3 factor) or more numerous than the
/// dimension: the singular vectors still span what they must.
#[test]
fn rank_deficient_and_wide_factors_match_the_dense_formula() {
    let w = vec![1.0, 2.0, -1.0, 0.5, 1.0, -0.5, -2.0, -4.0, 2.0]; // 3 × 3, columns ∝ (1, 2, −1)
    let p = LowRankNormal::new(vec![0.0, 1.0, 0.0], w, 3, vec![0.5, 1.0, 2.0]).unwrap();
    let wide = vec![1.0, 0.0, 2.0, -1.0, 0.5, 1.0, 0.0, 3.0]; // 2 × 4
    let q2 = LowRankNormal::new(vec![1.0, 0.0], wide, 4, vec![1.0, 0.3]).unwrap();
    let q =
        LowRankNormal::new(vec![1.0, 0.0, -1.0], vec![0.3, -0.2, 1.0], 1, vec![1.0; 3]).unwrap();
    let p2 = DiagonalNormal::new(vec![0.0, 0.5], vec![1.0, 2.0]).unwrap();
    for (name, got, want) in [
        (
            "rank-deficient P",
            p.kl_divergence(&q),
            dense_of_low_rank(&p).kl_divergence(&dense_of_low_rank(&q)),
        ),
        (
            "rank-deficient Q",
            q.kl_divergence(&p),
            dense_of_low_rank(&q).kl_divergence(&dense_of_low_rank(&p)),
        ),
        (
            "wide Q",
            p2.kl_divergence(&q2),
            dense_of_diagonal(&p2).kl_divergence(&dense_of_low_rank(&q2)),
        ),
        (
            "wide P",
            q2.kl_divergence(&p2),
            dense_of_low_rank(&q2).kl_divergence(&dense_of_diagonal(&p2)),
        ),
    ] {
        assert!(
            (got - want).abs() < 1e-12 * (1.0 + want),
            "{name}: {got} vs {want}"
        );
    }
}

#[test]
fn identical_and_mismatched_dimensions() {
    let a = LowRankNormal::new(vec![0.0, 1.0], vec![1.0, 2.0], 1, vec![0.5, 0.5]).unwrap();
    assert_eq!(a.kl_divergence(&a.clone()), 0.0);
    let d = DiagonalNormal::new(vec![0.0, 1.0], vec![1.0, 2.0]).unwrap();
    assert_eq!(d.kl_divergence(&d.clone()), 0.0);
    let d3 = DiagonalNormal::standard(3).unwrap();
    let full3 = dense_of_diagonal(&d3);
    assert_eq!(d.kl_divergence(&d3), f64::INFINITY);
    assert_eq!(a.kl_divergence(&d3), f64::INFINITY);
    assert_eq!(d3.kl_divergence(&a), f64::INFINITY);
    assert_eq!(a.kl_divergence(&full3), f64::INFINITY);
    assert_eq!(full3.kl_divergence(&a), f64::INFINITY);
    assert_eq!(d.kl_divergence(&full3), f64::INFINITY);
    assert_eq!(full3.kl_divergence(&d), f64::INFINITY);
}

/// Nearly equal diagonal normals keep their relative precision: `σ' = σ(1 + δ)` with
/// `δ = 1e-9` gives per coordinate `ln(1+δ) + 1/(2(1+δ)²) − ½ = δ² − (5/3)δ³ + …`, which a
/// formula that subtracts `1 − 1` would lose entirely.
#[test]
fn nearly_equal_diagonal_normals_keep_precision() {
    let delta = 1e-9;
    let p = DiagonalNormal::new(vec![0.0; 4], vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    let q = DiagonalNormal::new(
        vec![0.0; 4],
        p.std_dev().iter().map(|s| s * (1.0 + delta)).collect(),
    )
    .unwrap();
    // Per term ln(1+δ) + 1/(2(1+δ)²) − ½ = δ² − (5/3)δ³ + …
    let expected = 4.0 * (delta * delta - 5.0 / 3.0 * delta.powi(3));
    let got = p.kl_divergence(&q);
    assert!(
        (got - expected).abs() < 1e-6 * expected,
        "{got} vs {expected}"
    );
    // The VAE term near σ = 1: ½ Σ (e^{2s} − 1 − 2s) ≈ s² per coordinate.
    let s = 1e-9;
    let (kl, _) = standard_normal_kl(&[0.0, 0.0], &[s, -s]).unwrap();
    assert!((kl - 2.0 * s * s).abs() < 1e-6 * kl, "{kl}");
}

#[test]
fn bad_parameters_are_typed_errors() {
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    assert!(matches!(
        DiagonalNormal::new(vec![nan, 0.0], vec![1.0, 1.0]),
        Err(Error::NotFinite {
            name: "mean",
            index: 0,
            ..
        })
    ));
    assert!(matches!(
        DiagonalNormal::new(vec![0.0, 0.0], vec![1.0, inf]),
        Err(Error::NotFinite {
            name: "std_dev",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        DiagonalNormal::new(vec![0.0, 0.0], vec![-1.0, 1.0]),
        Err(Error::NotPositive {
            name: "std_dev",
            index: 0,
            ..
        })
    ));
    assert!(matches!(
        DiagonalNormal::new(vec![0.0, 0.0], vec![1.0]),
        Err(Error::DimensionMismatch {
            name: "std_dev",
            expected: 2,
            got: 1
        })
    ));
    assert!(matches!(
        DiagonalNormal::new(vec![], vec![]),
        Err(Error::Empty { name: "mean" })
    ));
    assert!(matches!(
        DiagonalNormal::standard(usize::MAX),
        Err(Error::TooLarge { name: "k", .. })
    ));
    assert!(matches!(
        LowRankNormal::new(vec![0.0; 2], vec![1.0, nan], 1, vec![1.0; 2]),
        Err(Error::NotFinite {
            name: "cov_factor",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        LowRankNormal::new(vec![0.0; 2], vec![1.0, 1.0], 1, vec![1.0, 0.0]),
        Err(Error::NotPositive {
            name: "cov_diag",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        LowRankNormal::new(vec![0.0; 2], vec![1.0, 1.0], 1, vec![1.0]),
        Err(Error::DimensionMismatch {
            name: "cov_diag",
            expected: 2,
            got: 1
        })
    ));
    assert!(matches!(
        LowRankNormal::new(vec![0.0; 2], vec![], 5000, vec![1.0; 2]),
        Err(Error::TooLarge { name: "rank", .. })
    ));
    assert!(matches!(
        LowRankNormal::new(vec![0.0; 10_000], vec![], 1_500, vec![1.0; 10_000]),
        Err(Error::TooLarge {
            name: "cov_factor",
            ..
        })
    ));
    assert!(matches!(
        LowRankNormal::new(vec![0.0; 2], vec![1e200, 1e200], 1, vec![1e-200, 1.0]),
        Err(Error::InvalidParameter {
            name: "cov_factor",
            ..
        })
    ));
    assert!(matches!(
        standard_normal_kl(&[0.0], &[0.0, 1.0]),
        Err(Error::LengthMismatch { p_len: 1, q_len: 2 })
    ));
    assert!(matches!(
        standard_normal_kl(&[0.0], &[nan]),
        Err(Error::NotFinite {
            name: "ln_std_dev",
            index: 0,
            ..
        })
    ));
    // ln σ so large that σ² overflows: +∞, not NaN.
    let (kl, gradient) = standard_normal_kl(&[0.0], &[400.0]).unwrap();
    assert_eq!(kl, f64::INFINITY);
    assert_eq!(gradient[1], f64::INFINITY);
    // ln σ so large that 2 ln σ overflows (found by the fuzz target): +∞ too.
    let (kl, _) = standard_normal_kl(&[0.0], &[1e308]).unwrap();
    assert_eq!(kl, f64::INFINITY);
}

/// Ill-conditioned covariances (condition numbers 6e3 to 1.4e8) and a nearly equal pair
/// against the dense formula in mpmath at 60 digits (`tests/reference/structured.py`, which
/// prints these values). The Woodbury route loses about `κ ε` relative to the terms it adds;
/// with `κ ≈ 1e8` that is about 1e-8, the tolerance here (measured: printed by
/// `-- --nocapture`).
#[test]
fn ill_conditioned_and_nearly_equal_pairs_match_mpmath() {
    let w1 = vec![300.0, -10.0, 200.0, 5.0, -100.0, 40.0, 50.0, 0.1];
    let d1 = vec![1e-3, 2e-3, 5e-4, 1e-3];
    let p = LowRankNormal::new(vec![0.5, -1.0, 2.0, 0.0], w1, 2, d1).unwrap();
    let m2 = vec![0.0, 0.5, 1.0, -0.5];
    let d2 = vec![2e-3, 1e-3, 1e-3, 4e-3];
    let q = LowRankNormal::new(m2.clone(), vec![150.0, 250.0, -80.0, 10.0], 1, d2.clone()).unwrap();
    let qb = LowRankNormal::new(m2.clone(), vec![150.00015, 250.0, -80.0, 10.0], 1, d2).unwrap();
    let cov = vec![
        4.0, 1.999, 0.0, 0.0, 1.999, 1.0, 0.0, 0.0, 0.0, 0.0, 1e-3, 0.0, 0.0, 0.0, 0.0, 2.0,
    ];
    let full = MultivariateNormal::new(m2, cov).unwrap();
    let cases = [
        ("lowrank-lowrank", p.kl_divergence(&q), 8066414.692902173),
        ("lowrank-full", p.kl_divergence(&full), 7117963.449147465),
        ("full-lowrank", full.kl_divergence(&p), 2124.454394866413),
    ];
    for (name, got, want) in cases {
        let relative = ((got - want) / want).abs();
        println!("{name}: relative error {relative:.1e}");
        assert!(relative < 1e-8, "{name}: {got} vs {want}");
    }
    // Nearly equal, with ‖W‖²/d ≈ 1e8: KL ≈ 5e-6 from terms of size 1e8 in the textbook
    // Woodbury form (D⁻¹ − D⁻¹W C⁻¹WᵀD⁻¹), which lost three digits here (9.7e-4 relative).
    // The singular-vector form of `LowRankNormal` adds only terms of size 1 (measured:
    // 6.6e-10 relative; the dense Cholesky route 4.5e-10).
    let want = 4.835709546512384e-6;
    let structured = q.kl_divergence(&qb);
    let dense = dense_of_low_rank(&q).kl_divergence(&dense_of_low_rank(&qb));
    println!("nearly equal: structured {structured:e}, dense {dense:e}, mpmath {want:e}");
    assert!(
        ((structured - want) / want).abs() < 1e-8,
        "{structured} vs {want}"
    );
}
