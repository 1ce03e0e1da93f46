//! Exercises for chapter 10: cross-entropy loss is KL.

/// The cross-entropy loss of logits and its gradient.
///
/// A classifier outputs logits `z`; its probabilities are `q = softmax(z)`,
/// `qₖ = e^{zₖ} / Σⱼ e^{zⱼ}`. For a target probability vector `p` return the loss and its
/// gradient with respect to the logits:
///
/// ```text
/// H(p, softmax(z)) = −Σᵢ pᵢ ln qᵢ,    ln qᵢ = zᵢ − ln Σⱼ e^{zⱼ}
/// ∂H/∂zₖ = qₖ − pₖ
/// ```
///
/// Compute it stably, in log space: subtract `m = maxⱼ zⱼ` before exponentiating, so that
/// `ln Σⱼ e^{zⱼ} = m + ln Σⱼ e^{zⱼ − m}`. Logits may be as large as ±1000, and a probability
/// that softmax rounds to 0 must still give a finite loss where `p` has mass. Entries with
/// `pᵢ = 0` contribute 0 to the loss (and `qᵢ` to the gradient). You may assume `p` and `z`
/// have the same length, at least 1, and `p` sums to 1.
pub fn exercise_10_1(p: &[f64], z: &[f64]) -> (f64, Vec<f64>) {
    // Hint: compute ln qᵢ = zᵢ − lse once, then the loss from it and qᵢ = exp(ln qᵢ).
    // BEGIN SOLUTION
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lse = m + z.iter().map(|zi| (zi - m).exp()).sum::<f64>().ln();
    let loss = p
        .iter()
        .zip(z)
        .filter(|(pi, _)| **pi > 0.0)
        .map(|(pi, zi)| -pi * (zi - lse))
        .sum();
    let grad = p
        .iter()
        .zip(z)
        .map(|(pi, zi)| (zi - lse).exp() - pi)
        .collect();
    (loss, grad)
    // END SOLUTION
}

/// Softmax regression with label smoothing: the mean loss and its gradient.
///
/// Points `xᵢ` in the plane carry labels `cᵢ` among `k` classes. The model's logits are
/// `z = W x + b`, with `W` a `k × 2` matrix and `b` a vector of `k`, packed in
/// `theta = [W₀₀, W₀₁, W₁₀, W₁₁, …, b₀, …, b_{k−1}]` (the rows of `W`, then `b`;
/// `k = theta.len() / 3`). Label smoothing trains against
/// `yᵢ = (1 − ε)·onehot(cᵢ) + ε/k` (`eps` is ε), so the loss is
///
/// ```text
/// L(θ) = (1/n) Σᵢ H(yᵢ, qᵢ) = (1/n) Σᵢ [H(yᵢ) + KL(yᵢ ‖ qᵢ)],   qᵢ = softmax(W xᵢ + b)
/// ∂L/∂W_cj = (1/n) Σᵢ (q_ic − y_ic) x_ij,    ∂L/∂b_c = (1/n) Σᵢ (q_ic − y_ic)
/// ```
///
/// Return `L` in nats and the gradient in the order of `theta`. You may call your
/// `exercise_10_1`. With `eps = 0` this is the plain cross-entropy of one-hot labels, which
/// equals the mean KL because `H(onehot) = 0`.
pub fn exercise_10_2(theta: &[f64], x: &[[f64; 2]], labels: &[usize], eps: f64) -> (f64, Vec<f64>) {
    // Hint: the chain rule through z = W x + b multiplies each point's qᵢ − yᵢ by xᵢ for W
    // and by 1 for b.
    // BEGIN SOLUTION
    let k = theta.len() / 3;
    let mut loss = 0.0;
    let mut grad = vec![0.0; theta.len()];
    for (xi, &c) in x.iter().zip(labels) {
        let z: Vec<f64> = (0..k)
            .map(|r| theta[2 * r] * xi[0] + theta[2 * r + 1] * xi[1] + theta[2 * k + r])
            .collect();
        let y: Vec<f64> = (0..k)
            .map(|r| (1.0 - eps) * f64::from(u8::from(r == c)) + eps / k as f64)
            .collect();
        let (h, g) = exercise_10_1(&y, &z);
        loss += h;
        for r in 0..k {
            grad[2 * r] += g[r] * xi[0];
            grad[2 * r + 1] += g[r] * xi[1];
            grad[2 * k + r] += g[r];
        }
    }
    let n = x.len() as f64;
    (loss / n, grad.into_iter().map(|g| g / n).collect())
    // END SOLUTION
}
