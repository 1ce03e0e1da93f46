//! P: the conditional neighbour probabilities, each row calibrated to the perplexity, and
//! their symmetrised joint.

use super::{Calibration, ENTROPY_TOLERANCE, JointProbabilities, MAX_BISECTION_STEPS};
use crate::error::{Error, Result};

/// Checks the points: at least three, all of one dimension ≥ 1, all finite.
fn validate_points(points: &[Vec<f64>]) -> Result<usize> {
    if points.len() < 3 {
        return Err(Error::TooFewSamples {
            name: "points",
            got: points.len(),
            needed: 3,
        });
    }
    let dim = points[0].len();
    if dim == 0 {
        return Err(Error::Empty { name: "points[0]" });
    }
    for (i, x) in points.iter().enumerate() {
        if x.len() != dim {
            return Err(Error::DimensionMismatch {
                name: "points",
                expected: dim,
                got: x.len(),
            });
        }
        if let Some((k, &v)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::NotFinite {
                name: "points",
                index: i * dim + k,
                value: v,
            });
        }
    }
    Ok(dim)
}

/// Checks `1 < perplexity < n − 1`: a point has `n − 1` possible neighbours, and the perplexity
/// (an effective number of neighbours) reaches `n − 1` only with an infinitely wide kernel.
fn validate_perplexity(perplexity: f64, n: usize) -> Result<()> {
    if !perplexity.is_finite() || perplexity <= 1.0 {
        return Err(Error::InvalidParameter {
            name: "perplexity",
            value: perplexity,
            reason: "the perplexity is an effective number of neighbours and must be finite and greater than 1",
        });
    }
    if perplexity >= (n - 1) as f64 {
        return Err(Error::InvalidParameter {
            name: "perplexity",
            value: perplexity,
            reason: "the perplexity must be smaller than n − 1, the number of other points; use fewer neighbours or more points",
        });
    }
    Ok(())
}

/// Squared Euclidean distances `‖xᵢ − xⱼ‖²`, row-major `n × n`.
fn squared_distances(points: &[Vec<f64>]) -> Vec<f64> {
    let n = points.len();
    let mut d2 = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let s: f64 = points[i]
                .iter()
                .zip(&points[j])
                .map(|(a, b)| (a - b) * (a - b))
                .sum();
            d2[i * n + j] = s;
            d2[j * n + i] = s;
        }
    }
    d2
}

/// For one point: fills `row[j] = p_{j|i}` for precision `beta` (with `row[i] = 0`) and returns
/// the entropy in nats. Distances are shifted by their minimum so the largest exponential is 1.
fn conditional_row(d2: &[f64], i: usize, beta: f64, row: &mut [f64]) -> f64 {
    let d_min = d2
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != i)
        .map(|(_, &d)| d)
        .fold(f64::INFINITY, f64::min);
    let mut sum = 0.0;
    let mut weighted = 0.0;
    for (j, (&d, r)) in d2.iter().zip(row.iter_mut()).enumerate() {
        if j == i {
            *r = 0.0;
            continue;
        }
        let shifted = d - d_min;
        let e = (-beta * shifted).exp();
        *r = e;
        sum += e;
        weighted += e * shifted;
    }
    for r in row.iter_mut() {
        *r /= sum;
    }
    // H = −Σ p ln p with ln p_j = −β(d_j − d_min) − ln S:  H = ln S + β Σ p_j (d_j − d_min).
    sum.ln() + beta * weighted / sum
}

/// Calibrates one point's precision `β` by bisection so that the entropy of `p_{·|i}` is
/// `ln(perplexity)`, writing the conditional distribution into `row`.
///
/// `H(β)` decreases from `ln(n − 1)` at `β = 0` towards `ln(number of nearest ties)` as
/// `β → ∞`. Starting at `β = 1`, the bracket doubles until the target is enclosed, then halves
/// (geometric mean once both ends are positive, so scales from 1e-300 to 1e300 are reached).
fn calibrate_row(d2: &[f64], i: usize, perplexity: f64, row: &mut [f64]) -> Result<Calibration> {
    let target = perplexity.ln();
    let (mut lo, mut hi) = (0.0_f64, f64::INFINITY);
    let mut beta = 1.0;
    for step in 1..=MAX_BISECTION_STEPS {
        let h = conditional_row(d2, i, beta, row);
        if (h - target).abs() <= ENTROPY_TOLERANCE {
            return Ok(Calibration {
                beta,
                entropy: h,
                steps: step,
            });
        }
        if h > target {
            // Too many effective neighbours: narrow the kernel.
            lo = beta;
            beta = if hi.is_finite() {
                (lo * hi).sqrt()
            } else {
                beta * 2.0
            };
        } else {
            hi = beta;
            beta = if lo > 0.0 {
                (lo * hi).sqrt()
            } else {
                beta / 2.0
            };
        }
        if !beta.is_finite() || beta == 0.0 {
            break;
        }
    }
    Err(Error::CalibrationFailed {
        point: i,
        perplexity,
    })
}

/// The conditional neighbour distributions `p_{j|i}` (row `i`, row-major `n × n`, zero
/// diagonal), each calibrated to the same perplexity, with the calibration of every point.
///
/// ```text
/// p_{j|i} = exp(−βᵢ ‖xᵢ − xⱼ‖²) / Σ_{k≠i} exp(−βᵢ ‖xᵢ − xₖ‖²),   −Σⱼ p_{j|i} ln p_{j|i} = ln Perp
/// ```
///
/// # Remarks
/// - `points`: `n ≥ 3` points of one dimension; entropy in nats, so `Perp = e^H`.
/// - Each row's entropy is within [`ENTROPY_TOLERANCE`] of `ln(perplexity)`.
/// - Errors: fewer than 3 points ([`Error::TooFewSamples`]), points of different dimensions
///   ([`Error::DimensionMismatch`]), NaN or ±∞ ([`Error::NotFinite`], index `i·dim + k`), a
///   perplexity not in `(1, n − 1)` ([`Error::InvalidParameter`]), a point whose entropy cannot
///   reach the target, e.g. among duplicates ([`Error::CalibrationFailed`]).
///
/// ```
/// let points = vec![vec![0.0], vec![1.0], vec![3.0], vec![7.0]];
/// let (p, calibrations) = kl::tsne::conditional_probabilities(&points, 2.0)?;
/// let row0 = &p[0..4];
/// let entropy: f64 = row0.iter().filter(|&&v| v > 0.0).map(|v| -v * v.ln()).sum();
/// assert!((entropy - 2.0_f64.ln()).abs() < 1e-9);
/// assert!((row0.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// assert!(calibrations[0].beta > 0.0);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn conditional_probabilities(
    points: &[Vec<f64>],
    perplexity: f64,
) -> Result<(Vec<f64>, Vec<Calibration>)> {
    validate_points(points)?;
    let n = points.len();
    validate_perplexity(perplexity, n)?;
    let d2 = squared_distances(points);
    let mut p = vec![0.0; n * n];
    let mut calibrations = Vec::with_capacity(n);
    for i in 0..n {
        let c = calibrate_row(
            &d2[i * n..(i + 1) * n],
            i,
            perplexity,
            &mut p[i * n..(i + 1) * n],
        )?;
        calibrations.push(c);
    }
    Ok((p, calibrations))
}

/// The symmetrised joint probabilities of t-SNE,
///
/// ```text
/// p_ij = (p_{j|i} + p_{i|j}) / (2n),   p_ii = 0,   Σ_{i≠j} p_ij = 1
/// ```
///
/// from [`conditional_probabilities`] at the given perplexity. Same errors as there.
///
/// ```
/// let points = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![0.0, 2.0], vec![5.0, 5.0]];
/// let p = kl::tsne::joint_probabilities(&points, 1.5)?;
/// assert_eq!(p.get(0, 3), p.get(3, 0));
/// assert!((p.as_slice().iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn joint_probabilities(points: &[Vec<f64>], perplexity: f64) -> Result<JointProbabilities> {
    let (conditional, calibrations) = conditional_probabilities(points, perplexity)?;
    let n = points.len();
    let mut p = vec![0.0; n * n];
    let scale = 1.0 / (2.0 * n as f64);
    for i in 0..n {
        for j in (i + 1)..n {
            let v = (conditional[i * n + j] + conditional[j * n + i]) * scale;
            p[i * n + j] = v;
            p[j * n + i] = v;
        }
    }
    Ok(JointProbabilities { n, p, calibrations })
}
