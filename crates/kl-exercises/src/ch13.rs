//! Exercises for chapter 13: KL's family.

/// The Rényi divergence between two normals.
///
/// For `P = N(m1, s1)` and `Q = N(m2, s2)` (standard deviations) and an order `alpha > 0`,
/// return `D_α(P‖Q) = 1/(α − 1) · ln ∫ p(x)^α q(x)^{1−α} dx` in nats:
///
/// ```text
/// D_α = ln(s2/s1) + ln(s2²/σ²_α) / (2(α − 1)) + α (m1 − m2)² / (2σ²_α),
/// σ²_α = α s2² + (1 − α) s1²
/// ```
///
/// when `σ²_α > 0`, and `+∞` when `σ²_α ≤ 0` (the integral diverges). At `α = 1` return
/// `KL(P‖Q)`, the limit. Near `α = 1` the first fraction is a logarithm of a number close to 1
/// divided by a small number: stay accurate to 1e-9 for `α` within 1e-9 of 1.
pub fn exercise_13_1(m1: f64, s1: f64, m2: f64, s2: f64, alpha: f64) -> f64 {
    // Hint: σ²_α / s2² = 1 − (α − 1)(s1² − s2²)/s2², and ln(1 + x) is `x.ln_1p()`.
    // BEGIN SOLUTION
    let (v1, v2) = (s1 * s1, s2 * s2);
    let d2 = (m1 - m2) * (m1 - m2);
    if alpha == 1.0 {
        return (s2 / s1).ln() + (v1 + d2) / (2.0 * v2) - 0.5;
    }
    let x = -(alpha - 1.0) * (v1 - v2) / v2; // σ²_α / s2² − 1
    if x <= -1.0 {
        return f64::INFINITY;
    }
    (s2 / s1).ln() - x.ln_1p() / (2.0 * (alpha - 1.0)) + alpha * d2 / (2.0 * v2 * (1.0 + x))
    // END SOLUTION
}

/// Mutual information of a joint table.
///
/// `joint` holds the probabilities `P(X = i, Y = j)` of a `rows × cols` table row by row
/// (`joint[i * cols + j]`; the entries are non-negative and sum to 1; some may be 0). Return
///
/// ```text
/// I(X; Y) = KL(P_XY ‖ P_X P_Y) = Σᵢⱼ P(i, j) ln( P(i, j) / (P_X(i) P_Y(j)) )
/// ```
///
/// in nats, with the marginals `P_X(i) = Σⱼ P(i, j)` and `P_Y(j) = Σᵢ P(i, j)`. A zero cell
/// contributes 0. Which tables give `I = 0`?
pub fn exercise_13_2(joint: &[f64], cols: usize) -> f64 {
    // BEGIN SOLUTION
    let rows = joint.len() / cols;
    let px: Vec<f64> = (0..rows)
        .map(|i| joint[i * cols..(i + 1) * cols].iter().sum())
        .collect();
    let py: Vec<f64> = (0..cols)
        .map(|j| (0..rows).map(|i| joint[i * cols + j]).sum())
        .collect();
    let mut total = 0.0;
    for i in 0..rows {
        for j in 0..cols {
            let pij = joint[i * cols + j];
            if pij > 0.0 {
                total += pij * (pij / (px[i] * py[j])).ln();
            }
        }
    }
    total.max(0.0)
    // END SOLUTION
}
