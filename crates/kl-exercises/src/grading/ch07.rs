//! Graders for chapter 07. Independent routes: estimates worked out by hand on tiny samples,
//! and the true KL(N(0, 1) ‖ N(1, 1)) = 0.5 on large seeded samples, with tolerances from the
//! estimators' spread measured with scipy's cKDTree over 300 seeds.

use kl::Error;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};

use super::{
    Case, Draw, Got, HeldOut, Numbers, close, compare, ensure, err_text, expect_error, outputs,
};
use crate::ch07::{exercise_7_1, exercise_7_2};

/// `n` draws from N(0, 1) and `n` from N(1, 1), seeded.
fn samples(n: usize, seed: u64) -> Result<(Vec<f64>, Vec<f64>), String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let p = Normal::new(0.0, 1.0).map_err(|e| e.to_string())?;
    let q = Normal::new(1.0, 1.0).map_err(|e| e.to_string())?;
    let x = (0..n).map(|_| p.sample(&mut rng)).collect();
    let y = (0..n).map(|_| q.sample(&mut rng)).collect();
    Ok((x, y))
}

pub(crate) fn grade_7_1() -> Result<(), String> {
    // By hand: x = (0, 1, 3), y = (0.5, 2.5): ρ = (1, 1, 2), ν = (0.5, 0.5, 0.5), m/(n−1) = 1.
    let hand = ((0.5f64 / 1.0).ln() + (0.5f64 / 1.0).ln() + (0.5f64 / 2.0).ln()) / 3.0;
    let got = exercise_7_1(&[0.0, 1.0, 3.0], &[0.5, 2.5]).map_err(|e| e.to_string())?;
    close("x = (0, 1, 3), y = (0.5, 2.5), by hand", got, hand, 1e-14)?;
    // By hand: x = (0, 2), y = (5): ρ = (2, 2), ν = (5, 3), m/(n−1) = 1.
    let hand = ((5.0f64 / 2.0).ln() + (3.0f64 / 2.0).ln()) / 2.0;
    let got = exercise_7_1(&[2.0, 0.0], &[5.0]).map_err(|e| e.to_string())?;
    close("x = (2, 0), y = (5), by hand", got, hand, 1e-14)?;
    // By hand, m ≠ n − 1: x = (0, 1), y = (0.25, 3, 4, 9): ρ = (1, 1), ν = (0.25, 0.75),
    // m/(n−1) = 4.
    let hand = ((0.25f64).ln() + (0.75f64).ln()) / 2.0 + 4.0f64.ln();
    let got = exercise_7_1(&[0.0, 1.0], &[0.25, 3.0, 4.0, 9.0]).map_err(|e| e.to_string())?;
    close("x = (0, 1), y = (0.25, 3, 4, 9), by hand", got, hand, 1e-14)?;
    // Large samples: the 1-NN estimate at n = m = 4000 scatters with a standard deviation of
    // 0.04 around 0.496 (scipy, 300 seeds); 0.2 is five standard deviations.
    let (x, y) = samples(4000, 7)?;
    let got = exercise_7_1(&x, &y).map_err(|e| e.to_string())?;
    close(
        "N(0, 1) against N(1, 1), n = m = 4000 (true KL 0.5)",
        got,
        0.5,
        0.2,
    )?;
    match exercise_7_1(&[1.0], &[2.0]) {
        Err(Error::TooFewSamples {
            name: "x",
            got: 1,
            needed: 2,
        }) => {}
        other => {
            return Err(format!(
                "one x: expected TooFewSamples for \"x\" (got 1, needed 2), got {other:?}"
            ));
        }
    }
    match exercise_7_1(&[1.0, 2.0], &[]) {
        Err(Error::TooFewSamples {
            name: "y",
            got: 0,
            needed: 1,
        }) => Ok(()),
        other => Err(format!(
            "no y: expected TooFewSamples for \"y\" (got 0, needed 1), got {other:?}"
        )),
    }
}

pub(crate) fn grade_7_2() -> Result<(), String> {
    // k = 1 by hand, as in 7.1: x = (0, 1, 3), y = (0.5, 2.5).
    let hand1 = ((0.5f64 / 1.0).ln() + (0.5f64 / 1.0).ln() + (0.5f64 / 2.0).ln()) / 3.0;
    let got = exercise_7_2(&[0.0, 1.0, 3.0], &[0.5, 2.5], 1).map_err(|e| e.to_string())?;
    close(
        "k = 1, x = (0, 1, 3), y = (0.5, 2.5), by hand",
        got,
        hand1,
        1e-14,
    )?;
    // k = 2 by hand: x = (0, 1, 3, 6), y = (0.5, 2.5, 10).
    //   x = 0: others at 1, 3, 6 → ρ = 3; y at 0.5, 2.5, 10 → ν = 2.5
    //   x = 1: others at 1, 2, 5 → ρ = 2; y at 0.5, 1.5, 9  → ν = 1.5
    //   x = 3: others at 3, 2, 3 → ρ = 3; y at 2.5, 0.5, 7  → ν = 2.5
    //   x = 6: others at 6, 5, 3 → ρ = 5; y at 5.5, 3.5, 4  → ν = 4
    //   m/(n−1) = 3/3 = 1.
    let hand2 =
        ((2.5f64 / 3.0).ln() + (1.5f64 / 2.0).ln() + (2.5f64 / 3.0).ln() + (4.0f64 / 5.0).ln())
            / 4.0;
    let got =
        exercise_7_2(&[6.0, 0.0, 3.0, 1.0], &[10.0, 0.5, 2.5], 2).map_err(|e| e.to_string())?;
    close(
        "k = 2, x = (6, 0, 3, 1), y = (10, 0.5, 2.5), by hand",
        got,
        hand2,
        1e-14,
    )?;
    // k = 3 by hand: x = (0, 1, 3, 6, 10), y = (0.5, 2.5, 7, 12); m/(n−1) = 4/4 = 1.
    //   x = 0:  others 1, 3, 6, 10 → ρ = 6;   y at 0.5, 2.5, 7, 12 → ν = 7
    //   x = 1:  others 1, 2, 5, 9  → ρ = 5;   y at 0.5, 1.5, 6, 11 → ν = 6
    //   x = 3:  others 2, 3, 3, 7  → ρ = 3;   y at 0.5, 2.5, 4, 9  → ν = 4
    //   x = 6:  others 3, 4, 5, 6  → ρ = 5;   y at 1, 3.5, 5.5, 6  → ν = 5.5
    //   x = 10: others 4, 7, 9, 10 → ρ = 9;   y at 2, 3, 7.5, 9.5  → ν = 7.5
    let hand3 = ((7.0f64 / 6.0).ln()
        + (6.0f64 / 5.0).ln()
        + (4.0f64 / 3.0).ln()
        + (5.5f64 / 5.0).ln()
        + (7.5f64 / 9.0).ln())
        / 5.0;
    let got = exercise_7_2(&[0.0, 1.0, 3.0, 6.0, 10.0], &[0.5, 2.5, 7.0, 12.0], 3)
        .map_err(|e| e.to_string())?;
    close(
        "k = 3, x = (0, 1, 3, 6, 10), y = (0.5, 2.5, 7, 12), by hand",
        got,
        hand3,
        1e-14,
    )?;
    // Large samples, k = 5: standard deviation 0.028 around 0.49 at n = m = 4000 (scipy,
    // 300 seeds); 0.15 is five standard deviations plus the bias.
    let (x, y) = samples(4000, 11)?;
    let got = exercise_7_2(&x, &y, 5).map_err(|e| e.to_string())?;
    close(
        "k = 5, N(0, 1) against N(1, 1), n = m = 4000 (true KL 0.5)",
        got,
        0.5,
        0.15,
    )?;
    match exercise_7_2(&[0.0, 1.0], &[0.5], 0) {
        Err(Error::InvalidParameter { name: "k", .. }) => {}
        other => {
            return Err(format!(
                "k = 0: expected InvalidParameter for \"k\", got {other:?}"
            ));
        }
    }
    match exercise_7_2(&[0.0, 1.0, 2.0], &[0.5, 1.5, 2.5], 3) {
        Err(Error::TooFewSamples {
            name: "x",
            got: 3,
            needed: 4,
        }) => {}
        other => {
            return Err(format!(
                "k = 3 with three x's: expected TooFewSamples for \"x\" (needed 4), got {other:?}"
            ));
        }
    }
    let too_few_y = exercise_7_2(&[0.0, 1.0, 2.0, 4.0], &[0.5, 1.5], 3);
    ensure(
        matches!(
            too_few_y,
            Err(Error::TooFewSamples {
                name: "y",
                got: 2,
                needed: 3
            })
        ),
        || {
            format!(
                "k = 3 with two y's: expected TooFewSamples for \"y\" (needed 3), got {too_few_y:?}"
            )
        },
    )
}

// Held-out checks. Reference: the same estimators by another algorithm: the samples sorted
// once, and each k-th nearest neighbour found by walking outwards from the point's place in
// the sorted order (no all-pairs distances, no selection).

/// The distance from `t` to its `k`-th nearest value in `sorted` (k ≥ 1, k ≤ len).
fn kth_nearest(sorted: &[f64], t: f64, k: usize) -> f64 {
    let mut right = sorted.partition_point(|&v| v < t);
    let mut left = right; // candidates: sorted[..left] and sorted[right..]
    let mut last = 0.0;
    for _ in 0..k {
        let dl = if left > 0 {
            t - sorted[left - 1]
        } else {
            f64::INFINITY
        };
        let dr = if right < sorted.len() {
            sorted[right] - t
        } else {
            f64::INFINITY
        };
        if dl <= dr {
            last = dl;
            left -= 1;
        } else {
            last = dr;
            right += 1;
        }
    }
    last
}

fn knn_by_sorting(x: &[f64], y: &[f64], k: usize) -> f64 {
    let mut ys = y.to_vec();
    ys.sort_by(f64::total_cmp);
    let (n, m) = (x.len() as f64, y.len() as f64);
    let total: f64 = (0..x.len())
        .map(|i| {
            let mut others: Vec<f64> = x
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &v)| v)
                .collect();
            others.sort_by(f64::total_cmp);
            (kth_nearest(&ys, x[i], k) / kth_nearest(&others, x[i], k)).ln()
        })
        .sum();
    total / n + (m / (n - 1.0)).ln()
}

/// Samples `[x, y]` from two random normals.
fn sample_pair(d: &mut Draw) -> Numbers {
    let (n, m) = (d.int(40, 250) as usize, d.int(40, 250) as usize);
    let (a, sa, b, sb) = (
        d.uniform(-1.0, 1.0),
        d.uniform(0.5, 2.0),
        d.uniform(-1.0, 1.0),
        d.uniform(0.5, 2.0),
    );
    let x = (0..n).map(|_| d.normal(a, sa)).collect();
    let y = (0..m).map(|_| d.normal(b, sb)).collect();
    vec![x, y]
}

fn judge_knn(case: &Case, got: Got<'_>, k: usize) -> Result<(), String> {
    let (x, y) = (&case.input[0], &case.input[1]);
    if k == 0 {
        return expect_error("k = 0", got, "InvalidParameter { name: \"k\"");
    }
    if x.len() < k + 1 {
        let want = format!(
            "TooFewSamples {{ name: \"x\", got: {}, needed: {} }}",
            x.len(),
            k + 1
        );
        return expect_error(&format!("{} x's for k = {k}", x.len()), got, &want);
    }
    if y.len() < k {
        let want = format!(
            "TooFewSamples {{ name: \"y\", got: {}, needed: {k} }}",
            y.len()
        );
        return expect_error(&format!("{} y's for k = {k}", y.len()), got, &want);
    }
    let want = knn_by_sorting(x, y, k);
    compare(
        &format!(
            "the {k}-NN estimate for n = {}, m = {} samples",
            x.len(),
            y.len()
        ),
        outputs(got, &[1])?[0][0],
        want,
        1e-9 * want.abs().max(1.0),
        "xᵢ counted as its own neighbour (ρ = 0), ln(m/(n − 1)) written as ln(m/n), or the \
         k-th distance taken from an unsorted list",
    )
}

fn draw_7_1(d: &mut Draw) -> Vec<Case> {
    let mut cases: Vec<Case> = (0..5)
        .map(|_| Case {
            check: 0,
            input: sample_pair(d),
        })
        .collect();
    let one = vec![d.normal(0.0, 1.0)];
    let some: Vec<f64> = (0..d.int(2, 9)).map(|_| d.normal(0.0, 1.0)).collect();
    cases.push(Case {
        check: 1,
        input: vec![one, some.clone()],
    });
    cases.push(Case {
        check: 1,
        input: vec![some, Vec::new()],
    });
    cases
}

fn run_7_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    exercise_7_1(&i[0], &i[1])
        .map(|v| vec![vec![v]])
        .map_err(err_text)
}

fn judge_7_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    judge_knn(case, got, 1)
}

/// HELD-OUT checks of 7.1.
pub(crate) const HELD_OUT_7_1: HeldOut = HeldOut {
    checks: &[("held-out samples", 2), ("held-out errors", 1)],
    draw: draw_7_1,
    run: run_7_1,
    judge: judge_7_1,
};

fn draw_7_2(d: &mut Draw) -> Vec<Case> {
    let mut cases: Vec<Case> = (0..6)
        .map(|j| {
            let mut input = sample_pair(d);
            let k = if j == 0 { 1 } else { d.int(2, 8) };
            input.push(vec![k as f64]);
            Case { check: 0, input }
        })
        .collect();
    let k = d.int(2, 6) as usize;
    let draw = |d: &mut Draw, n: usize| (0..n).map(|_| d.normal(0.0, 1.0)).collect::<Vec<f64>>();
    let (x, y) = (draw(d, k + 3), draw(d, k + 3));
    cases.push(Case {
        check: 1,
        input: vec![x.clone(), y.clone(), vec![0.0]],
    });
    cases.push(Case {
        check: 1,
        input: vec![draw(d, k), y, vec![k as f64]],
    });
    cases.push(Case {
        check: 1,
        input: vec![x, draw(d, k - 1), vec![k as f64]],
    });
    cases
}

fn run_7_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    exercise_7_2(&i[0], &i[1], i[2][0] as usize)
        .map(|v| vec![vec![v]])
        .map_err(err_text)
}

fn judge_7_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    judge_knn(case, got, case.input[2][0] as usize)
}

/// HELD-OUT checks of 7.2.
pub(crate) const HELD_OUT_7_2: HeldOut = HeldOut {
    checks: &[("held-out samples", 2), ("held-out errors", 1)],
    draw: draw_7_2,
    run: run_7_2,
    judge: judge_7_2,
};
