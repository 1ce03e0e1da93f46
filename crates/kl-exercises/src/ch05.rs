//! Exercises for chapter 05: forward against reverse KL (mode-covering and mode-seeking).

/// The gradient of reverse KL on a grid.
///
/// Minimising the *reverse* divergence `KL(Q‖P)` over `Q` gives a different fit from the
/// forward one: where `Q` puts mass that `P` lacks, `ln(q/p)` is large, so `Q` hides inside
/// one mode. With `P` a probability vector on the grid `x` (every `pᵢ > 0`) and `Q` the
/// normalised normal curve of exercise 4.1,
///
/// ```text
/// qᵢ = exp(aᵢ) / Σⱼ exp(aⱼ),   aᵢ = −(xᵢ − μ)² / (2σ²)        R(μ, σ) = Σᵢ qᵢ ln(qᵢ / pᵢ)
/// ```
///
/// derive `∂R/∂μ` and `∂R/∂σ` by hand and return `(R, ∂R/∂μ, ∂R/∂σ)`. Unlike the forward
/// case, `Q` now sits inside the logarithm *and* in front of it.
pub fn exercise_5_1(x: &[f64], p: &[f64], mu: f64, sigma: f64) -> (f64, f64, f64) {
    // Hint: ∂ ln qᵢ/∂θ = ∂aᵢ/∂θ − Σⱼ qⱼ ∂aⱼ/∂θ, and Σᵢ qᵢ ∂ ln qᵢ/∂θ = 0. The gradient is a
    // covariance under Q between ln(q/p) and ∂a/∂θ.
    // BEGIN SOLUTION
    let a: Vec<f64> = x
        .iter()
        .map(|&xi| -(xi - mu) * (xi - mu) / (2.0 * sigma * sigma))
        .collect();
    let a_max = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let log_norm = a_max + a.iter().map(|ai| (ai - a_max).exp()).sum::<f64>().ln();
    let (mut loss, mut e_g_dmu, mut e_g_dsig, mut e_dmu, mut e_dsig) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for ((&xi, &pi), &ai) in x.iter().zip(p).zip(&a) {
        let ln_q = ai - log_norm;
        let qi = ln_q.exp();
        if qi == 0.0 {
            continue;
        }
        let g = ln_q - pi.ln();
        let d_mu = (xi - mu) / (sigma * sigma);
        let d_sigma = (xi - mu) * (xi - mu) / (sigma * sigma * sigma);
        loss += qi * g;
        e_g_dmu += qi * g * d_mu;
        e_g_dsig += qi * g * d_sigma;
        e_dmu += qi * d_mu;
        e_dsig += qi * d_sigma;
    }
    (loss, e_g_dmu - loss * e_dmu, e_g_dsig - loss * e_dsig)
    // END SOLUTION
}

/// The forward fit in closed form: match the moments.
///
/// For any `P` with a finite variance, the normal `N(μ, σ)` that minimises the *forward*
/// divergence `KL(P‖N(μ, σ))` has `μ = E_P[X]` and `σ² = Var_P[X]`. Prove it: only the
/// cross-entropy `−E_P[ln q]` depends on `(μ, σ)`. Then return that `(μ, σ)` for the mixture
/// `P = Σₖ wₖ N(mₖ, sₖ)` (weights summing to 1, standard deviations `sₖ`).
///
/// For `P = ½ N(−3, 1) + ½ N(3, 1)` this `Q` sits between the modes, where `P` has almost no
/// mass: that is mode covering. Where does reverse KL put it (exercise 5.1)?
pub fn exercise_5_2(weights: &[f64], means: &[f64], sds: &[f64]) -> (f64, f64) {
    // Hint: E[X²] of a mixture is Σₖ wₖ (sₖ² + mₖ²).
    // BEGIN SOLUTION
    let mut first = 0.0;
    let mut second = 0.0;
    for ((w, m), s) in weights.iter().zip(means).zip(sds) {
        first += w * m;
        second += w * (s * s + m * m);
    }
    (first, (second - first * first).sqrt())
    // END SOLUTION
}
