//! t-SNE's pieces checked by independent routes: the hand gradient against central
//! differences, calibrated rows against their own definition, P and the cost against scipy, the
//! cost against `kl::discrete`, and bad input against clear errors.

use kl::Error;
use kl::tsne::{
    JointProbabilities, Options, Point2, conditional_probabilities, cost, cost_and_gradient,
    gradient_check, joint_probabilities, run,
};
use proptest::prelude::{ProptestConfig, Strategy, prop, prop_assert, proptest};

/// Six points in the plane and a perplexity of 3, and an embedding of them.
const X: [[f64; 2]; 6] = [
    [0.0, 0.0],
    [1.0, 0.5],
    [2.0, -1.0],
    [4.0, 3.0],
    [-1.5, 2.0],
    [0.5, -2.5],
];
const Y: [Point2; 6] = [
    [0.3, -0.2],
    [1.1, 0.4],
    [-0.7, 0.9],
    [0.2, 1.5],
    [-1.0, -1.2],
    [0.8, -0.6],
];

/// P for `X` at perplexity 3, computed independently with numpy (tests/reference/tsne_properties.py): each row's β found by
/// `scipy.optimize.brentq` (xtol = rtol = 1e-15) on H(β) − ln 3 with `scipy.special.xlogy`,
/// then (P + Pᵀ)/(2n).
const P_SCIPY: [[f64; 6]; 6] = [
    [
        0.0,
        0.09582346987258418,
        0.03596497587085202,
        0.009905466237438997,
        0.051521285467961316,
        0.0358488476535417,
    ],
    [
        0.09582346987258418,
        0.0,
        0.062612183213813,
        0.048095061503933924,
        0.03689031680248009,
        0.021193904333782345,
    ],
    [
        0.03596497587085202,
        0.062612183213813,
        0.0,
        0.022253336985926506,
        0.005629435779021385,
        0.06388597662393115,
    ],
    [
        0.009905466237438997,
        0.048095061503933924,
        0.022253336985926506,
        0.0,
        0.0050420509005022944,
        0.0006352720319958998,
    ],
    [
        0.051521285467961316,
        0.03689031680248009,
        0.005629435779021385,
        0.0050420509005022944,
        0.0,
        0.004698416722235236,
    ],
    [
        0.0358488476535417,
        0.021193904333782345,
        0.06388597662393115,
        0.0006352720319958998,
        0.004698416722235236,
        0.0,
    ],
];
/// KL(P‖Q) for that P and the embedding `Y`, from the same numpy script.
const KL_SCIPY: f64 = 0.3329571895678363;

fn x_points() -> Vec<Vec<f64>> {
    X.iter().map(|p| p.to_vec()).collect()
}

#[test]
fn joint_probabilities_match_scipy() {
    let p = joint_probabilities(&x_points(), 3.0).unwrap();
    // Our bisection stops within 1e-10 nats of ln 3, brentq within 1e-15 in β: entries of
    // size 1e-3..1e-1 then agree to well below 1e-9.
    for (i, row) in P_SCIPY.iter().enumerate() {
        for (j, &expected) in row.iter().enumerate() {
            assert!(
                (p.get(i, j) - expected).abs() < 1e-9,
                "p[{i}][{j}] = {} vs scipy {expected}",
                p.get(i, j)
            );
        }
    }
}

#[test]
fn cost_matches_scipy_and_kl_discrete() {
    let p = joint_probabilities(&x_points(), 3.0).unwrap();
    let c = cost(&p, &Y).unwrap();
    assert!((c - KL_SCIPY).abs() < 1e-9, "{c} vs {KL_SCIPY}");
    // The same KL through the library's reference entry point, with Q built here by its
    // definition over ordered pairs i ≠ j (the diagonal of both is 0 and contributes 0).
    let n = Y.len();
    let mut q = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let d2 = (Y[i][0] - Y[j][0]).powi(2) + (Y[i][1] - Y[j][1]).powi(2);
                q[i * n + j] = 1.0 / (1.0 + d2);
            }
        }
    }
    let z: f64 = q.iter().sum();
    q.iter_mut().for_each(|v| *v /= z);
    let reference = kl::discrete::kl_divergence(p.as_slice(), &q).unwrap();
    assert!((c - reference).abs() < 1e-13, "{c} vs {reference}");
}

/// Random small problems: n points in `dim` dimensions, a perplexity inside (1, n − 1), and
/// an embedding of spread ~1.
fn small_problem() -> impl Strategy<Value = (Vec<Vec<f64>>, f64, Vec<Point2>)> {
    (4usize..10, 1usize..5).prop_flat_map(|(n, dim)| {
        (
            prop::collection::vec(prop::collection::vec(-5.0f64..5.0, dim), n),
            1.2f64..(n as f64 - 1.5),
            prop::collection::vec((-2.0f64..2.0, -2.0f64..2.0).prop_map(|(a, b)| [a, b]), n),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Central differences with h = 1e-5 have truncation error ~h²·C''' ≈ 1e-10 and rounding
    /// error ~ε·C/h ≈ 1e-11 for costs and coordinates of order 1, so the hand gradient must
    /// agree to far better than 1e-6 of the gradient's largest component.
    #[test]
    fn hand_gradient_matches_central_differences((points, perplexity, y) in small_problem()) {
        let p = joint_probabilities(&points, perplexity).unwrap();
        let check = gradient_check(&p, &y, 1e-5).unwrap();
        prop_assert!(check.max_relative_error <= 1e-6, "{check:?}");
    }

    /// Each calibrated row is a distribution with entropy ln(Perp), and it has the Gaussian
    /// form: ln(p_{j|i} / p_{k|i}) = −β (d_ij² − d_ik²).
    #[test]
    fn calibrated_rows_hit_the_perplexity((points, perplexity, _y) in small_problem()) {
        let n = points.len();
        let (p, calibrations) = conditional_probabilities(&points, perplexity).unwrap();
        for i in 0..n {
            let row = &p[i * n..(i + 1) * n];
            prop_assert!(row[i] == 0.0);
            prop_assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            let h: f64 = row.iter().filter(|&&v| v > 0.0).map(|v| -v * v.ln()).sum();
            // ENTROPY_TOLERANCE is 1e-10 nats, so Perp = e^H within ~1e-10 relative.
            prop_assert!(((h.exp() - perplexity) / perplexity).abs() < 1e-9, "row {i}: e^H = {}", h.exp());
            let d2 = |j: usize| -> f64 {
                points[i].iter().zip(&points[j]).map(|(a, b)| (a - b) * (a - b)).sum()
            };
            let (j, k) = if i == 0 { (1, 2) } else { (0, if i == 1 { 2 } else { 1 }) };
            if row[j] > 1e-200 && row[k] > 1e-200 {
                let lhs = (row[j] / row[k]).ln();
                let rhs = -calibrations[i].beta * (d2(j) - d2(k));
                prop_assert!((lhs - rhs).abs() <= 1e-9 * (1.0 + rhs.abs()), "{lhs} vs {rhs}");
            }
        }
    }

    #[test]
    fn joint_p_is_symmetric_and_sums_to_one((points, perplexity, _y) in small_problem()) {
        let p = joint_probabilities(&points, perplexity).unwrap();
        let n = p.len();
        for i in 0..n {
            prop_assert!(p.get(i, i) == 0.0);
            for j in 0..n {
                prop_assert!(p.get(i, j) == p.get(j, i));
                prop_assert!(p.get(i, j) >= 0.0);
            }
        }
        prop_assert!((p.as_slice().iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}

/// Three tight groups of five points in 4-D (deterministic, no RNG needed).
fn three_groups() -> Vec<Vec<f64>> {
    let mut points = Vec::new();
    for g in 0..3 {
        for k in 0..5 {
            let t = k as f64;
            points.push(vec![
                10.0 * g as f64 + 0.3 * t.sin(),
                -7.0 * g as f64 + 0.2 * t.cos(),
                0.1 * t,
                5.0 * (g % 2) as f64 - 0.15 * t,
            ]);
        }
    }
    points
}

#[test]
fn the_cost_decreases_overall_and_groups_separate() {
    let points = three_groups();
    let p = joint_probabilities(&points, 4.0).unwrap();
    let initial: Vec<Point2> = (0..points.len())
        .map(|i| {
            let t = i as f64;
            [1e-4 * (1.7 * t).sin(), 1e-4 * (2.3 * t).cos()]
        })
        .collect();
    let options = Options {
        iterations: 500,
        learning_rate: 15.0 / 12.0,
        ..Options::default()
    };
    let fit = run(&p, &initial, &options).unwrap();
    let first = fit.history.first().unwrap().kl;
    let last = fit.history.last().unwrap().kl;
    assert!(last < 0.5 * first, "KL went from {first} to {last}");
    // After exaggeration ends, the cost only creeps down: no recorded value in the last
    // half exceeds one recorded 100 iterations earlier.
    let late: Vec<f64> = fit
        .history
        .iter()
        .filter(|s| s.iteration >= 300)
        .map(|s| s.kl)
        .collect();
    assert!(late.windows(11).all(|w| w[10] <= w[0] + 1e-12), "{late:?}");
    // Groups end up apart: every point is nearer to its own group's mean than to another's.
    let mean = |g: usize| -> Point2 {
        let s = fit.embedding[g * 5..g * 5 + 5]
            .iter()
            .fold([0.0, 0.0], |a, y| [a[0] + y[0], a[1] + y[1]]);
        [s[0] / 5.0, s[1] / 5.0]
    };
    let means = [mean(0), mean(1), mean(2)];
    for (i, y) in fit.embedding.iter().enumerate() {
        let d = |m: Point2| (y[0] - m[0]).powi(2) + (y[1] - m[1]).powi(2);
        let own = d(means[i / 5]);
        assert!((0..3).all(|g| g == i / 5 || d(means[g]) > own));
    }
}

#[test]
fn the_optimiser_is_deterministic() {
    let points = three_groups();
    let p = joint_probabilities(&points, 4.0).unwrap();
    let initial: Vec<Point2> = (0..15)
        .map(|i| [1e-4 * i as f64, -1e-4 * (i % 3) as f64])
        .collect();
    let options = Options {
        iterations: 100,
        ..Options::default()
    };
    let a = run(&p, &initial, &options).unwrap();
    let b = run(&p, &initial, &options).unwrap();
    assert_eq!(a, b);
}

#[test]
fn bad_input_gets_a_clear_error() {
    let points = x_points();
    // Perplexity at or beyond the number of other points (n − 1 = 5), or not above 1.
    for perplexity in [5.0, 6.0, 1.0, f64::NAN] {
        let err = joint_probabilities(&points, perplexity).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidParameter {
                    name: "perplexity",
                    ..
                }
            ),
            "{err}"
        );
    }
    assert!(
        joint_probabilities(&points, 6.0)
            .unwrap_err()
            .to_string()
            .contains("smaller than n − 1")
    );
    // Too few points.
    let err = joint_probabilities(&points[..2], 1.5).unwrap_err();
    assert_eq!(
        err,
        Error::TooFewSamples {
            name: "points",
            got: 2,
            needed: 3
        }
    );
    // Non-finite input, with its flat index i·dim + k.
    let mut bad = points.clone();
    bad[2][1] = f64::NAN;
    let err = joint_probabilities(&bad, 3.0).unwrap_err();
    assert!(matches!(
        err,
        Error::NotFinite {
            name: "points",
            index: 5,
            ..
        }
    ));
    // Points of different dimensions.
    let mut ragged = points.clone();
    ragged[4].push(1.0);
    let err = joint_probabilities(&ragged, 3.0).unwrap_err();
    assert_eq!(
        err,
        Error::DimensionMismatch {
            name: "points",
            expected: 2,
            got: 3
        }
    );
    // Duplicates: point 0 has three identical nearest neighbours, so its entropy cannot drop
    // below ln 3 and perplexity 2 is out of reach.
    let dup = vec![
        vec![0.0],
        vec![1.0],
        vec![1.0],
        vec![1.0],
        vec![5.0],
        vec![9.0],
    ];
    let err = joint_probabilities(&dup, 2.0).unwrap_err();
    assert!(
        matches!(err, Error::CalibrationFailed { point, perplexity } if point < dup.len() && perplexity == 2.0),
        "{err}"
    );
    assert!(
        err.to_string().starts_with("could not calibrate point "),
        "{err}"
    );
    // An embedding of the wrong length or with NaN.
    let p = joint_probabilities(&points, 3.0).unwrap();
    let err = cost_and_gradient(&p, &Y[..5]).unwrap_err();
    assert_eq!(
        err,
        Error::DimensionMismatch {
            name: "y",
            expected: 6,
            got: 5
        }
    );
    let mut y = Y;
    y[3][0] = f64::INFINITY;
    assert!(matches!(
        cost(&p, &y).unwrap_err(),
        Error::NotFinite {
            name: "y",
            index: 6,
            ..
        }
    ));
    let bad_rate = Options {
        learning_rate: -1.0,
        ..Options::default()
    };
    assert!(matches!(
        run(&p, &Y, &bad_rate).unwrap_err(),
        Error::InvalidParameter {
            name: "learning_rate",
            ..
        }
    ));
    // A matrix that is not a joint distribution.
    let err = JointProbabilities::from_matrix(3, vec![0.0, 0.5, 0.0, 0.4, 0.0, 0.1, 0.0, 0.0, 0.0])
        .unwrap_err();
    assert!(err.to_string().contains("symmetric"), "{err}");
}
