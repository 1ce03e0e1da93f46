//! Exercises for chapter 04: minimising KL by gradient descent, with gradients derived by hand.

use nalgebra::Vector2;

/// The gradient of KL on a grid, derived by hand.
///
/// As in the original tutorial, `P` is given on a grid `x₀, x₁, …` as a probability vector `p`,
/// and `Q` is a normal curve evaluated on the same grid and normalised there:
///
/// ```text
/// qᵢ = exp(−(xᵢ − μ)² / (2σ²)) / Σⱼ exp(−(xⱼ − μ)² / (2σ²))      L(μ, σ) = Σᵢ pᵢ ln(pᵢ / qᵢ)
/// ```
///
/// Derive `∂L/∂μ` and `∂L/∂σ` by hand and return `(L, ∂L/∂μ, ∂L/∂σ)`. Terms with `pᵢ = 0`
/// contribute nothing. Compute `ln qᵢ` with the log-sum-exp trick: the grader also starts `Q`
/// far from `P`, where every `exp` in the sum underflows to 0 in `f64`.
///
/// Check your gradient against central differences of `L` before you hand it in.
pub fn exercise_4_1(x: &[f64], p: &[f64], mu: f64, sigma: f64) -> (f64, f64, f64) {
    // Hint: ln qᵢ = aᵢ − ln Σⱼ e^(aⱼ) with aᵢ = −(xᵢ − μ)²/(2σ²); differentiating the log of
    // the normaliser gives an expectation under Q. The gradient is a difference between an
    // expectation under P and the same expectation under Q.
    // BEGIN SOLUTION
    let a: Vec<f64> = x
        .iter()
        .map(|&xi| -(xi - mu) * (xi - mu) / (2.0 * sigma * sigma))
        .collect();
    let a_max = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let log_norm = a_max + a.iter().map(|ai| (ai - a_max).exp()).sum::<f64>().ln();
    let ln_q: Vec<f64> = a.iter().map(|ai| ai - log_norm).collect();
    let (mut loss, mut ep_d, mut ep_d2, mut eq_d, mut eq_d2) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for ((&xi, &pi), &lq) in x.iter().zip(p).zip(&ln_q) {
        let d = xi - mu;
        let qi = lq.exp();
        eq_d += qi * d;
        eq_d2 += qi * d * d;
        if pi > 0.0 {
            loss += pi * (pi.ln() - lq);
            ep_d += pi * d;
            ep_d2 += pi * d * d;
        }
    }
    let s2 = sigma * sigma;
    (loss, -(ep_d - eq_d) / s2, -(ep_d2 - eq_d2) / (s2 * sigma))
    // END SOLUTION
}

/// Descent with momentum: count the epochs.
///
/// Plain gradient descent takes `θ ← θ − η ∇f(θ)`. The heavy-ball method keeps a velocity:
///
/// ```text
/// v ← β v − η ∇f(θ)        θ ← θ + v          (v starts at 0)
/// ```
///
/// `f` returns the loss and its gradient together. Starting at `start`, run epochs until the
/// gradient's Euclidean norm at the current `θ` is below `tol`, or `max_epochs` updates have
/// been made. Return the final `θ` and the number of updates made (0 if `start` already
/// satisfies `tol`). With `β = 0` this is plain gradient descent.
///
/// Then count: on `KL(N(0, 2) ‖ N(μ, σ))` from `(μ, σ) = (5, 4)` with `η = 0.1`, how many
/// epochs do `β = 0` and `β = 0.9` need to reach `tol = 1e-6`? On an elongated bowl?
pub fn exercise_4_2<F>(
    f: F,
    start: Vector2<f64>,
    learning_rate: f64,
    beta: f64,
    tol: f64,
    max_epochs: usize,
) -> (Vector2<f64>, usize)
where
    F: Fn(&Vector2<f64>) -> (f64, Vector2<f64>),
{
    // Hint: evaluate the gradient once per epoch, at the top of the loop, and test it there.
    // BEGIN SOLUTION
    let mut theta = start;
    let mut velocity = Vector2::zeros();
    for epoch in 0..max_epochs {
        let (_, grad) = f(&theta);
        if grad.norm() < tol {
            return (theta, epoch);
        }
        velocity = velocity * beta - grad * learning_rate;
        theta += velocity;
    }
    (theta, max_epochs)
    // END SOLUTION
}
