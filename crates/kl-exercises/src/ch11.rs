//! Exercises for chapter 11: the VAE's KL term.

/// The VAE's KL term and its gradient.
///
/// An encoder outputs, for one input, the means `μ` and the log standard deviations
/// `s = ln σ` of `q(z|x) = N(μ, diag σ²)` (both of length `k`). Return
///
/// ```text
/// KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σⱼ (μⱼ² + σⱼ² − 1 − ln σⱼ²)
/// ```
///
/// in nats, and its gradient in `(μ₁, …, μ_k, s₁, …, s_k)`, in that order (length `2k`).
/// Derive the gradient by hand first: what pulls `σ` towards 1?
pub fn exercise_11_1(mu: &[f64], ln_sd: &[f64]) -> (f64, Vec<f64>) {
    // Hint: with σ = e^s, each term is ½ μ² + ½ (e^{2s} − 1 − 2s).
    // BEGIN SOLUTION
    let mut kl = 0.0;
    let mut gradient = mu.to_vec();
    for (&m, &s) in mu.iter().zip(ln_sd) {
        let variance = (2.0 * s).exp();
        kl += 0.5 * (m * m + (2.0 * s).exp_m1() - 2.0 * s);
        gradient.push(variance - 1.0);
    }
    (kl, gradient)
    // END SOLUTION
}

/// The KL term by Monte Carlo, with the reparameterisation trick.
///
/// Given the encoder's `μ` and `σ` (standard deviations, length `k`) and `n` draws
/// `ε⁽¹⁾, …, ε⁽ⁿ⁾` of `N(0, I)` (`eps[i]` has length `k`), set `z⁽ⁱ⁾ = μ + σ ⊙ ε⁽ⁱ⁾` and
/// return the Monte Carlo estimate of `KL(N(μ, diag σ²) ‖ N(0, I))`, the mean of
/// `ln q(z⁽ⁱ⁾) − ln p(z⁽ⁱ⁾)` with `q = N(μ, diag σ²)` and `p = N(0, I)`, together with its
/// standard error `sd/√n` (sample standard deviation with divisor `n − 1`; `n ≥ 2`).
///
/// Write out both log-densities; then notice what `(z − μ)/σ` is and simplify.
pub fn exercise_11_2(mu: &[f64], sigma: &[f64], eps: &[Vec<f64>]) -> (f64, f64) {
    // Hint: ln N(z; m, s) = −ln s − ½ ln 2π − ½ ((z − m)/s)²; the ½ ln 2π cancel.
    // BEGIN SOLUTION
    let terms: Vec<f64> = eps
        .iter()
        .map(|e| {
            mu.iter()
                .zip(sigma)
                .zip(e)
                .map(|((m, s), e)| {
                    let z = m + s * e;
                    -s.ln() - 0.5 * e * e + 0.5 * z * z
                })
                .sum()
        })
        .collect();
    let n = terms.len() as f64;
    let mean = terms.iter().sum::<f64>() / n;
    let var = terms.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
    // END SOLUTION
}
