//! Graders for chapter 09. Independent routes: the entropy from `kl::discrete::entropy` and
//! the defining form `pⱼ ∝ exp(−β dⱼ)` for the calibration; the cost from
//! `kl::discrete::kl_divergence` and central differences of it for the gradient.

use nalgebra::DMatrix;

use super::{close, ensure};
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
