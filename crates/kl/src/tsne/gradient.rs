//! The cost `KL(P‖Q)` of an embedding, its hand-derived gradient, and the gradient check.

use super::{JointProbabilities, Point2};
use crate::check::{self, GradientCheck};
use crate::error::{Error, Result};

pub(super) fn validate_embedding(
    p: &JointProbabilities,
    y: &[Point2],
    name: &'static str,
) -> Result<()> {
    if y.len() != p.n {
        return Err(Error::DimensionMismatch {
            name,
            expected: p.n,
            got: y.len(),
        });
    }
    for (i, point) in y.iter().enumerate() {
        for (k, &v) in point.iter().enumerate() {
            if !v.is_finite() {
                return Err(Error::NotFinite {
                    name,
                    index: 2 * i + k,
                    value: v,
                });
            }
            if v.abs() > crate::fit::MAX_COORDINATE {
                return Err(Error::InvalidParameter {
                    name,
                    value: v,
                    reason: "embedding coordinates must lie within ±2^500 (3.3e150): beyond, squared distances overflow and every kernel value is 0",
                });
            }
        }
    }
    Ok(())
}

/// The core: writes the (exaggerated) gradient into `grad` and returns `KL(P‖Q)` if `with_cost`
/// (else NaN). `w` is scratch of length `n²` (upper triangle used). Fixed summation order.
pub(super) fn cost_gradient_into(
    p: &JointProbabilities,
    y: &[Point2],
    exaggeration: f64,
    with_cost: bool,
    w: &mut [f64],
    grad: &mut [Point2],
) -> f64 {
    let n = p.n;
    // Pass 1: the kernel w_ij for i < j, and Z = Σ_{i≠j} w_ij = 2 Σ_{i<j} w_ij.
    let mut half_z = 0.0;
    for i in 0..n {
        for j in (i + 1)..n {
            let dx = y[i][0] - y[j][0];
            let dy = y[i][1] - y[j][1];
            let wij = 1.0 / (1.0 + dx * dx + dy * dy);
            w[i * n + j] = wij;
            half_z += wij;
        }
    }
    let z = 2.0 * half_z;
    let ln_z = z.ln();
    // Pass 2: forces. The pair (i, j) adds c (yᵢ − yⱼ) to gᵢ and its negative to gⱼ.
    for g in grad.iter_mut() {
        *g = [0.0, 0.0];
    }
    let mut half_cost = 0.0;
    for i in 0..n {
        for j in (i + 1)..n {
            let wij = w[i * n + j];
            let pij = p.p[i * n + j];
            let c = (exaggeration * pij - wij / z) * wij;
            let dx = y[i][0] - y[j][0];
            let dy = y[i][1] - y[j][1];
            grad[i][0] += c * dx;
            grad[i][1] += c * dy;
            grad[j][0] -= c * dx;
            grad[j][1] -= c * dy;
            if with_cost && pij > 0.0 {
                // p ln(p/q) with ln q = ln w − ln Z; ln w = −ln(1 + d²) never underflows.
                half_cost += pij * (pij.ln() - wij.ln() + ln_z);
            }
        }
    }
    for g in grad.iter_mut() {
        g[0] *= 4.0;
        g[1] *= 4.0;
    }
    if with_cost { 2.0 * half_cost } else { f64::NAN }
}

/// The t-SNE cost `KL(P‖Q)` in nats and its gradient with respect to every `yᵢ`, together:
///
/// ```text
/// C      = Σ_{i≠j} p_ij ln(p_ij / q_ij),     q_ij = (1 + ‖yᵢ − yⱼ‖²)⁻¹ / Σ_{k≠l} (1 + ‖y_k − y_l‖²)⁻¹
/// ∂C/∂yᵢ = 4 Σⱼ (p_ij − q_ij) (yᵢ − yⱼ) (1 + ‖yᵢ − yⱼ‖²)⁻¹
/// ```
///
/// (derived step by step in the [module docs](super)). Terms with `p_ij = 0` contribute 0.
///
/// # Remarks
/// - Errors: `y.len() != n` ([`Error::DimensionMismatch`]), NaN or ±∞ in `y`
///   ([`Error::NotFinite`], index `2i + k`), a coordinate beyond
///   [`MAX_COORDINATE`](crate::fit::MAX_COORDINATE) ([`Error::InvalidParameter`]).
/// - Coincident embedding points are fine (`w_ij = 1`); the cost is finite for any accepted `y`.
///
/// ```
/// use kl::tsne::{cost_and_gradient, JointProbabilities};
///
/// // Three points, P uniform over the pairs; Q is uniform too when the points form an
/// // equilateral triangle, so the cost and the gradient vanish there.
/// let p = JointProbabilities::from_matrix(3, vec![
///     0.0, 1.0 / 6.0, 1.0 / 6.0,
///     1.0 / 6.0, 0.0, 1.0 / 6.0,
///     1.0 / 6.0, 1.0 / 6.0, 0.0,
/// ])?;
/// let y = [[0.0, 0.0], [1.0, 0.0], [0.5, 3f64.sqrt() / 2.0]];
/// let (cost, grad) = cost_and_gradient(&p, &y)?;
/// assert!(cost.abs() < 1e-15);
/// assert!(grad.iter().all(|g| g[0].abs() < 1e-15 && g[1].abs() < 1e-15));
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cost_and_gradient(p: &JointProbabilities, y: &[Point2]) -> Result<(f64, Vec<Point2>)> {
    validate_embedding(p, y, "y")?;
    let mut w = vec![0.0; p.n * p.n];
    let mut grad = vec![[0.0, 0.0]; p.n];
    let cost = cost_gradient_into(p, y, 1.0, true, &mut w, &mut grad);
    Ok((cost, grad))
}

/// The t-SNE cost `KL(P‖Q)` alone, in nats (see [`cost_and_gradient`]).
///
/// ```
/// use kl::tsne::{cost, JointProbabilities};
/// let p = JointProbabilities::from_matrix(3, vec![0.0, 0.5, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0])?;
/// // All points together: Q is uniform over 6 ordered pairs, P puts 1/2 on (0,1) and (1,0).
/// let c = cost(&p, &[[0.0, 0.0]; 3])?;
/// assert!((c - 3f64.ln()).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cost(p: &JointProbabilities, y: &[Point2]) -> Result<f64> {
    cost_and_gradient(p, y).map(|(c, _)| c)
}

/// Compares [`cost_and_gradient`]'s hand gradient with central differences of the cost (the
/// library's one check, [`crate::check::gradient_check`], over the `2n` coordinates),
///
/// ```text
/// fd_k = (C(y + h e_k) − C(y − h e_k)) / (2h)
/// ```
///
/// whose truncation error is `O(h²)` and rounding error `O(ε C / h)`; `h = 1e-5` balances the
/// two near 1e-10 for coordinates of order 1.
///
/// Errors: as [`cost_and_gradient`], and `h` not finite and positive.
///
/// ```
/// use kl::tsne::{gradient_check, joint_probabilities};
/// let points = vec![vec![0.0], vec![1.0], vec![3.0], vec![7.0]];
/// let p = joint_probabilities(&points, 2.0)?;
/// let y = [[0.3, -0.1], [0.0, 0.5], [-0.4, 0.2], [0.8, 0.9]];
/// let check = gradient_check(&p, &y, 1e-5)?;
/// assert!(check.max_relative_error < 1e-7);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn gradient_check(p: &JointProbabilities, y: &[Point2], h: f64) -> Result<GradientCheck> {
    let (_, analytic) = cost_and_gradient(p, y)?;
    let flat = |v: &[Point2]| v.iter().flatten().copied().collect::<Vec<f64>>();
    let loss = |t: &[f64]| {
        let shifted: Vec<Point2> = t.chunks_exact(2).map(|c| [c[0], c[1]]).collect();
        cost(p, &shifted)
    };
    check::gradient_check(loss, &flat(&analytic), &flat(y), h)
}
