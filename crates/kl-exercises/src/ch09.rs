//! Exercises for chapter 09: t-SNE, an embedding found by minimising KL.

use nalgebra::DMatrix;

/// Calibrate a point's neighbourhood to a perplexity.
///
/// t-SNE turns the squared distances `dⱼ` from a point to its neighbours into a distribution
/// `pⱼ ∝ exp(−β dⱼ)` and chooses the precision `β = 1/(2σ²)` so that the distribution's
/// perplexity `exp(H(p))` (entropy in nats) equals a target the user sets, a smooth count of
/// "effective neighbours".
///
/// Find `β` by bisection (the perplexity falls as `β` grows) until the perplexity is within
/// `1e-6` relative of `perplexity`, and return the distribution `p`. Compute it stably:
/// subtract the smallest distance before exponentiating, or large distances give `0/0`. You
/// may assume `1 < perplexity < dist_sq.len()` and that the distances are not all equal.
pub fn exercise_9_1(dist_sq: &[f64], perplexity: f64) -> Vec<f64> {
    // Hint: bracket β first: start from [0, 1] and double the upper end until the perplexity
    // there is below the target.
    // BEGIN SOLUTION
    let d_min = dist_sq.iter().copied().fold(f64::INFINITY, f64::min);
    let dist_at = |beta: f64| -> (Vec<f64>, f64) {
        let w: Vec<f64> = dist_sq
            .iter()
            .map(|d| (-beta * (d - d_min)).exp())
            .collect();
        let total: f64 = w.iter().sum();
        let p: Vec<f64> = w.iter().map(|v| v / total).collect();
        let h: f64 = p.iter().filter(|&&v| v > 0.0).map(|v| -v * v.ln()).sum();
        (p, h.exp())
    };
    let (mut lo, mut hi) = (0.0, 1.0);
    while dist_at(hi).1 > perplexity {
        lo = hi;
        hi *= 2.0;
    }
    loop {
        let mid = 0.5 * (lo + hi);
        let (p, perp) = dist_at(mid);
        if (perp - perplexity).abs() <= 1e-6 * perplexity || hi - lo <= f64::EPSILON * hi {
            return p;
        }
        if perp > perplexity {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    // END SOLUTION
}

/// The t-SNE cost and its gradient.
///
/// Given symmetric affinities `P` (an `n × n` matrix with zero diagonal whose entries add up
/// to one) and an embedding `Y` (`n × 2`, one point per row), t-SNE measures the embedding
/// with a Student-t kernel and the divergence from `P`:
///
/// ```text
/// wᵢⱼ = 1 / (1 + ‖yᵢ − yⱼ‖²),   qᵢⱼ = wᵢⱼ / Σₖ≠ₗ wₖₗ   (i ≠ j)        C = Σᵢ≠ⱼ pᵢⱼ ln(pᵢⱼ / qᵢⱼ)
/// ∂C/∂yᵢ = 4 Σⱼ (pᵢⱼ − qᵢⱼ) wᵢⱼ (yᵢ − yⱼ)
/// ```
///
/// Return `C` in nats and the gradient as an `n × 2` matrix (row `i` is `∂C/∂yᵢ`). Terms with
/// `pᵢⱼ = 0` contribute nothing to `C`. Then derive the gradient yourself: where does the 4
/// come from?
pub fn exercise_9_2(p: &DMatrix<f64>, y: &DMatrix<f64>) -> (f64, DMatrix<f64>) {
    // Hint: compute all wᵢⱼ and their sum Z first; qᵢⱼ = wᵢⱼ / Z.
    // BEGIN SOLUTION
    let n = y.nrows();
    let mut w = DMatrix::<f64>::zeros(n, n);
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let d2 = (y.row(i) - y.row(j)).norm_squared();
                w[(i, j)] = 1.0 / (1.0 + d2);
            }
        }
    }
    let z = w.sum();
    let mut cost = 0.0;
    let mut grad = DMatrix::<f64>::zeros(n, y.ncols());
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let q = w[(i, j)] / z;
            let pij = p[(i, j)];
            if pij > 0.0 {
                cost += pij * (pij / q).ln();
            }
            let coeff = 4.0 * (pij - q) * w[(i, j)];
            let diff = y.row(i) - y.row(j);
            let mut row = grad.row_mut(i);
            row += diff * coeff;
        }
    }
    (cost, grad)
    // END SOLUTION
}
