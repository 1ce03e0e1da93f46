//! Exercises for chapter 06: Poisson or normal? Discrete families and their approximations.

/// Two Poissons in closed form.
///
/// A Poisson distribution with mean `λ` has `P(k) = λᵏ e^(−λ) / k!` for `k = 0, 1, 2, …`.
/// Derive `KL(Poisson(λ_p) ‖ Poisson(λ_q))` by hand and return it in nats. The `k!` cancels
/// in the log-ratio and only `E_P[K] = λ_p` is needed. Check your formula against a direct sum
/// over `k` with `statrs::distribution::Poisson` before you hand it in. Compare it with the
/// closed form for two exponentials (exercise 2.2): what is the same, what differs?
pub fn exercise_6_1(lambda_p: f64, lambda_q: f64) -> f64 {
    // Hint: ln(P(k)/Q(k)) = k ln(λ_p/λ_q) − λ_p + λ_q.
    // BEGIN SOLUTION
    lambda_p * (lambda_p / lambda_q).ln() + lambda_q - lambda_p
    // END SOLUTION
}

/// How good is the normal approximation to a Poisson?
///
/// Approximate `Poisson(λ)` by a normal `N(λ, √λ)` rounded to the nearest integer, with the
/// whole lower tail given to 0:
///
/// ```text
/// q(0) = Φ((½ − λ)/√λ)        q(k) = Φ((k + ½ − λ)/√λ) − Φ((k − ½ − λ)/√λ),   k ≥ 1
/// ```
///
/// (`Φ` is the standard normal CDF, `statrs::distribution::ContinuousCDF::cdf`). Return
/// `KL(Poisson(λ) ‖ Q)` in nats, summing over `k` until the Poisson's remaining mass is below
/// `1e-15`. Far in the upper tail `q(k)` is a difference of two numbers close to 1; compute
/// it from the upper tail (`sf`) there, or its value is pure rounding error. How fast does the
/// divergence fall as `λ` grows? Try `λ = 1, 10, 100, 1000`.
pub fn exercise_6_2(lambda: f64) -> f64 {
    // Hint: the Poisson's `ln_pmf` and `sf` are in `statrs::distribution::{Discrete,
    // DiscreteCDF}`; stop when `sf(k) < 1e-15`.
    // BEGIN SOLUTION
    use statrs::distribution::{ContinuousCDF, Discrete, DiscreteCDF, Normal, Poisson};
    let (Ok(pois), Ok(std_normal)) = (Poisson::new(lambda), Normal::new(0.0, 1.0)) else {
        return f64::NAN;
    };
    let sd = lambda.sqrt();
    let z = |k: f64| (k - lambda) / sd;
    let cell = |k: u64| {
        let kf = k as f64;
        if k == 0 {
            std_normal.cdf(z(0.5))
        } else if kf >= lambda {
            std_normal.sf(z(kf - 0.5)) - std_normal.sf(z(kf + 0.5))
        } else {
            std_normal.cdf(z(kf + 0.5)) - std_normal.cdf(z(kf - 0.5))
        }
    };
    let mut total = 0.0;
    let mut k = 0u64;
    loop {
        let ln_p = pois.ln_pmf(k);
        total += ln_p.exp() * (ln_p - cell(k).ln());
        if pois.sf(k) < 1e-15 {
            break;
        }
        k += 1;
    }
    total
    // END SOLUTION
}
