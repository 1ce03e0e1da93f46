//! Graders for chapter 09. Independent routes: the entropy from `kl::discrete::entropy` and
//! the defining form `pⱼ ∝ exp(−β dⱼ)` for the calibration; the cost from
//! `kl::discrete::kl_divergence` and central differences of it for the gradient.

use nalgebra::DMatrix;

use super::{Case, Draw, Fails, Got, HeldOut, Numbers, close, compare, ensure, outputs};
use crate::ch09::{exercise_9_1, exercise_9_2};

/// Deterministic, irregular squared distances: `n` values in (0, scale].
fn distances(n: usize, scale: f64) -> Vec<f64> {
    (1..=n)
        .map(|j| scale * (0.05 + (j as f64 * 0.618_033_988_749_895).fract()))
        .collect()
}

pub(crate) fn grade_9_1() -> Result<(), String> {
    let cases = [
        (distances(99, 10.0), 5.0),
        (distances(99, 10.0), 30.0),
        (distances(40, 1e4), 10.0),
        (distances(12, 0.01), 3.0),
    ];
    for (d, target) in &cases {
        let what = format!(
            "{} neighbours, distances up to {:.2}, perplexity {target}",
            d.len(),
            d.iter().copied().fold(0.0, f64::max)
        );
        let p = exercise_9_1(d, *target);
        ensure(
            p.len() == d.len() && p.iter().all(|v| v.is_finite()),
            || {
                format!(
                    "{what}: expected {} finite probabilities, got {p:?}",
                    d.len()
                )
            },
        )?;
        let total: f64 = p.iter().sum();
        close(&format!("{what}: sum of p"), total, 1.0, 1e-12)?;
        let h = kl::discrete::entropy(&p).map_err(|e| e.to_string())?;
        close(
            &format!("{what}: perplexity exp(H)"),
            h.exp(),
            *target,
            1e-5 * target,
        )?;
        // The form pⱼ ∝ exp(−β dⱼ): one β > 0 explains every ratio against the nearest point.
        let i0 = (0..d.len())
            .min_by(|&a, &b| d[a].total_cmp(&d[b]))
            .unwrap_or(0);
        let betas: Vec<f64> = (0..d.len())
            .filter(|&j| {
                j != i0 && p[j] > 1e-250 && (d[j] - d[i0]).abs() > 1e-9 * d[i0].abs().max(1e-300)
            })
            .map(|j| (p[i0].ln() - p[j].ln()) / (d[j] - d[i0]))
            .collect();
        let beta = betas.first().copied().unwrap_or(f64::NAN);
        ensure(beta > 0.0, || {
            format!("{what}: closer neighbours must get more probability")
        })?;
        for b in &betas {
            close(
                &format!("{what}: p is not of the form exp(-beta d); implied beta"),
                *b,
                beta,
                1e-7 * beta,
            )?;
        }
    }
    Ok(())
}

/// The t-SNE cost computed from its definition with the library's KL on the off-diagonal
/// entries.
fn cost(p: &DMatrix<f64>, y: &DMatrix<f64>) -> Result<f64, String> {
    let n = y.nrows();
    let mut pv = Vec::new();
    let mut wv = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if i != j {
                pv.push(p[(i, j)]);
                wv.push(1.0 / (1.0 + (y.row(i) - y.row(j)).norm_squared()));
            }
        }
    }
    let qv = kl::discrete::normalize(&wv).map_err(|e| e.to_string())?;
    kl::discrete::kl_divergence(&pv, &qv).map_err(|e| e.to_string())
}

pub(crate) fn grade_9_2() -> Result<(), String> {
    let n = 6;
    // Symmetric affinities with zero diagonal and one zero pair, normalised to sum 1.
    let mut p = DMatrix::from_fn(n, n, |i, j| {
        if i == j || (i.min(j) == 0 && i.max(j) == 5) {
            0.0
        } else {
            1.0 + ((i + j) as f64 * 0.7).sin().abs()
        }
    });
    p /= p.sum();
    let y = DMatrix::from_row_slice(
        n,
        2,
        &[
            0.0, 0.0, 1.0, 0.2, -0.5, 1.3, 2.0, -1.0, 0.3, 0.9, -1.5, -0.7,
        ],
    );
    let (c, grad) = exercise_9_2(&p, &y);
    let want = cost(&p, &y)?;
    close(
        "t-SNE cost against kl::discrete::kl_divergence",
        c,
        want,
        1e-12,
    )?;
    ensure(grad.nrows() == n && grad.ncols() == 2, || {
        format!(
            "the gradient should be {n} × 2, got {} × {}",
            grad.nrows(),
            grad.ncols()
        )
    })?;
    // Central differences, h = 1e-6: truncation ≈ 1e-12 · |C'''|, rounding ≈ 1e-16 · C / 1e-6
    // ≈ 1e-10; 1e-7 leaves room for both.
    let h = 1e-6;
    for i in 0..n {
        for k in 0..2 {
            let mut up = y.clone();
            up[(i, k)] += h;
            let mut down = y.clone();
            down[(i, k)] -= h;
            let fd = (cost(&p, &up)? - cost(&p, &down)?) / (2.0 * h);
            close(
                &format!("dC/dy[{i}][{k}] against central differences"),
                grad[(i, k)],
                fd,
                1e-7,
            )?;
        }
    }
    Ok(())
}

// Held-out checks. References: for 9.1 the properties that define the answer, checked here
// (a distribution, of the form exp(−βd) with one β, at the target perplexity, with the
// entropy computed here); for 9.2 the cost from its definition and central differences of it.

fn draw_9_1(d: &mut Draw) -> Vec<Case> {
    (0..7)
        .map(|j| {
            let n = d.int(10, 60) as usize;
            let scale = if j < 4 {
                d.uniform(0.5, 50.0)
            } else {
                d.uniform(1e3, 1e4)
            };
            let dist: Vec<f64> = (0..n)
                .map(|_| (scale * d.uniform(0.05, 1.0)).powi(2))
                .collect();
            let perplexity = d.uniform(1.5, n as f64 / 2.0);
            Case {
                check: usize::from(j >= 4),
                input: vec![dist, vec![perplexity]],
            }
        })
        .collect()
}

fn run_9_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    Ok(vec![exercise_9_1(&i[0], i[1][0])])
}

fn judge_9_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let (dist, target) = (&case.input[0], case.input[1][0]);
    let p = &outputs(got, &[dist.len()])?[0];
    let what = format!(
        "{} distances up to {:.3e}, perplexity {target}",
        dist.len(),
        dist.iter().copied().fold(0.0, f64::max)
    );
    let mut f = Fails::default();
    if p.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(format!(
            "{what}: entries that are negative or not finite: {p:?}; likely \
            cause: exp of large distances without subtracting the smallest (0/0)"
        ));
    }
    let total: f64 = p.iter().sum();
    f.add(compare(
        &format!("{what}: Σp"),
        total,
        1.0,
        1e-9,
        "p not normalised",
    ));
    let h: f64 = -p
        .iter()
        .filter(|&&v| v > 0.0)
        .map(|v| v * v.ln())
        .sum::<f64>();
    f.add(compare(
        &format!("{what}: perplexity exp(H(p))"),
        h.exp(),
        target,
        1e-5 * target,
        "the bisection stopped early, moved the wrong way, or used log base 2",
    ));
    // One β for every pair: ln p₀ − ln pⱼ = β (dⱼ − d₀) from the nearest point 0.
    let i0 = (0..dist.len())
        .min_by(|&a, &b| dist[a].total_cmp(&dist[b]))
        .unwrap_or(0);
    let range = dist.iter().copied().fold(0.0, f64::max) - dist[i0];
    let betas: Vec<f64> = (0..dist.len())
        .filter(|&j| p[j] > 1e-250 && dist[j] - dist[i0] > 1e-6 * range)
        .map(|j| (p[i0].ln() - p[j].ln()) / (dist[j] - dist[i0]))
        .collect();
    if let (Some(lo), Some(hi)) = (
        betas.iter().copied().reduce(f64::min),
        betas.iter().copied().reduce(f64::max),
    ) {
        f.add(compare(
            &format!("{what}: β implied by each neighbour (smallest vs largest)"),
            lo,
            hi,
            1e-6 * hi.abs().max(1e-300),
            "p not of the form exp(−β dⱼ) / Z",
        ));
    }
    f.done()
}

/// HELD-OUT checks of 9.1.
pub(crate) const HELD_OUT_9_1: HeldOut = HeldOut {
    checks: &[
        ("held-out neighbourhoods", 2),
        ("held-out large distances", 1),
    ],
    draw: draw_9_1,
    run: run_9_1,
    judge: judge_9_1,
};

fn draw_9_2(d: &mut Draw) -> Vec<Case> {
    (0..8)
        .map(|j| {
            let n = d.int(4, 12) as usize;
            let mut p = DMatrix::<f64>::zeros(n, n);
            for a in 0..n {
                for b in 0..a {
                    let v = if d.uniform(0.0, 1.0) < 0.15 {
                        0.0
                    } else {
                        d.uniform(0.01, 1.0)
                    };
                    p[(a, b)] = v;
                    p[(b, a)] = v;
                }
            }
            p[(0, 1)] = p[(0, 1)].max(0.1);
            p[(1, 0)] = p[(0, 1)];
            let total = p.sum();
            p /= total;
            let spread = d.uniform(0.3, 5.0);
            let y: Vec<f64> = (0..2 * n).map(|_| d.normal(0.0, spread)).collect();
            Case {
                check: usize::from(j >= 4),
                input: vec![p.as_slice().to_vec(), y, vec![n as f64]],
            }
        })
        .collect()
}

fn unpack_9_2(i: &[Vec<f64>]) -> (DMatrix<f64>, DMatrix<f64>) {
    let n = i[2][0] as usize;
    (
        DMatrix::from_column_slice(n, n, &i[0]),
        DMatrix::from_row_slice(n, 2, &i[1]),
    )
}

fn run_9_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (p, y) = unpack_9_2(i);
    let (c, g) = exercise_9_2(&p, &y);
    let mut flat = Vec::new();
    for r in 0..g.nrows() {
        flat.extend(g.row(r).iter());
    }
    Ok(vec![vec![c], flat])
}

fn judge_9_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let (p, y) = unpack_9_2(&case.input);
    let n = y.nrows();
    let out = outputs(got, &[1, 2 * n])?;
    let what = format!("{n} points");
    let c0 = cost(&p, &y)?;
    if case.check == 0 {
        return compare(
            &format!("the cost for {what}"),
            out[0][0],
            c0,
            1e-10 * c0.abs().max(1.0),
            "qᵢⱼ normalised per row instead of over all pairs, or pᵢⱼ = 0 terms giving NaN",
        );
    }
    let mut f = Fails::default();
    let h = 1e-6;
    for r in 0..n {
        for c in 0..2 {
            let (mut up, mut down) = (y.clone(), y.clone());
            up[(r, c)] += h;
            down[(r, c)] -= h;
            let want = (cost(&p, &up)? - cost(&p, &down)?) / (2.0 * h);
            f.add(compare(
                &format!("∂C/∂y[{r}][{c}] for {what} against central differences"),
                out[1][2 * r + c],
                want,
                1e-6 * (want.abs() + 1.0),
                "the factor 4 missing, (yⱼ − yᵢ) for (yᵢ − yⱼ), or wᵢⱼ² in place of wᵢⱼ",
            ));
        }
    }
    f.done()
}

/// HELD-OUT checks of 9.2.
pub(crate) const HELD_OUT_9_2: HeldOut = HeldOut {
    checks: &[("held-out cost", 2), ("held-out gradient", 2)],
    draw: draw_9_2,
    run: run_9_2,
    judge: judge_9_2,
};
