//! Exercises for chapter 12: estimating KL from log-probabilities.

/// Schulman's three estimators, with their standard errors.
///
/// A KL penalty holds `n` draws `xᵢ ~ Q` and, at each, the two log-probabilities
/// `ln_p[i] = ln p(xᵢ)` and `ln_q[i] = ln q(xᵢ)`. With `ln rᵢ = ln_p[i] − ln_q[i]`, return
///
/// ```text
/// [k̂1, se1, k̂2, se2, k̂3, se3]
/// k1 = −ln r,   k2 = ½ (ln r)²,   k3 = (r − 1) − ln r
/// ```
///
/// where each `k̂` is the mean over the draws and each `se` its standard error `s/√n` (`s` the
/// sample standard deviation with divisor `n − 1`; `n ≥ 2`). All three estimate `KL(Q‖P)`.
///
/// When `Q` and `P` are close, `r − 1` and `ln r` agree in their leading digits and their
/// difference cancels: k3 (and its standard error) must stay accurate to 1e-8 relative even
/// when every `|ln r|` is below 1e-4.
pub fn exercise_12_1(ln_p: &[f64], ln_q: &[f64]) -> [f64; 6] {
    // Hint: r − 1 = e^{ln r} − 1 is `ln_r.exp_m1()`, computed without the subtraction.
    // BEGIN SOLUTION
    let ln_r: Vec<f64> = ln_p.iter().zip(ln_q).map(|(p, q)| p - q).collect();
    let mean_and_se = |k: &dyn Fn(f64) -> f64| {
        let terms: Vec<f64> = ln_r.iter().map(|&t| k(t)).collect();
        let n = terms.len() as f64;
        let mean = terms.iter().sum::<f64>() / n;
        let var = terms.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        (mean, (var / n).sqrt())
    };
    let (k1, se1) = mean_and_se(&|t| -t);
    let (k2, se2) = mean_and_se(&|t| 0.5 * t * t);
    let (k3, se3) = mean_and_se(&|t| t.exp_m1() - t);
    [k1, se1, k2, se2, k3, se3]
    // END SOLUTION
}

/// The exact mean and variance of one draw's k1, k2 and k3.
///
/// Take `Q = N(mu_q, sigma)` and `P = N(mu_p, sigma)` (the same standard deviation), draws
/// `x ~ Q` and `ln r = ln p(x) − ln q(x)`. Return, exactly (no sampling),
///
/// ```text
/// [E k1, Var k1, E k2, Var k2, E k3, Var k3]
/// ```
///
/// under `Q`, for `k1 = −ln r`, `k2 = ½ (ln r)²` and `k3 = (r − 1) − ln r`. First show that
/// `ln r = d z − d²/2` with `z = (x − mu_q)/sigma ~ N(0, 1)` and `d = (mu_p − mu_q)/sigma`;
/// then every moment is one of a normal's. Which of the three means is not `KL(Q‖P) = d²/2`?
pub fn exercise_12_2(mu_q: f64, mu_p: f64, sigma: f64) -> [f64; 6] {
    // Hint: for Y ~ N(m, s²), E[Y²] = m² + s² and Var[Y²] = 2s⁴ + 4m²s²; E[e^{aZ}] = e^{a²/2}.
    // BEGIN SOLUTION
    let d = (mu_p - mu_q) / sigma;
    let d2 = d * d;
    // r = e^{dz − d²/2}: E r = 1, E r² = e^{d²}, Cov(r, ln r) = E_P[ln r] − E_Q[ln r] = d².
    [
        0.5 * d2,
        d2,
        0.5 * d2 + d2 * d2 / 8.0,
        d2 * d2 / 2.0 + d2 * d2 * d2 / 4.0,
        0.5 * d2,
        d2.exp_m1() - d2,
    ]
    // END SOLUTION
}
