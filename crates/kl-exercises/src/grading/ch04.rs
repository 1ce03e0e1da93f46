//! Graders for chapter 04. Independent routes: the loss computed here (in log space, and by
//! `kl::discrete::kl_divergence` where no `qᵢ` underflows), central differences of that loss,
//! the closed-form iterates of plain descent on a quadratic bowl, and the known minimum of
//! `KL(N(0, 2) ‖ N(μ, σ))`.

use nalgebra::Vector2;
use statrs::distribution::{Continuous, Normal};

use super::{close, ensure};
use crate::ch04::{exercise_4_1, exercise_4_2};

/// `L(μ, σ) = Σ pᵢ (ln pᵢ − ln qᵢ)` with `ln qᵢ` by log-sum-exp, written here independently.
fn grid_loss(x: &[f64], p: &[f64], mu: f64, sigma: f64) -> f64 {
    let a: Vec<f64> = x
        .iter()
        .map(|xi| -((xi - mu) / sigma).powi(2) / 2.0)
        .collect();
    let top = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let log_z = top + a.iter().map(|ai| (ai - top).exp()).sum::<f64>().ln();
    x.iter()
        .zip(p)
        .zip(&a)
        .filter(|((_, pi), _)| **pi > 0.0)
        .map(|((_, pi), ai)| pi * (pi.ln() - (ai - log_z)))
        .sum()
}

pub(crate) fn grade_4_1() -> Result<(), String> {
    let x: Vec<f64> = (0..2000).map(|i| -10.0 + 0.01 * i as f64).collect();
    let normal = Normal::new(0.0, 2.0).map_err(|e| e.to_string())?;
    let raw: Vec<f64> = x.iter().map(|&xi| normal.pdf(xi)).collect();
    let p_normal = kl::discrete::normalize(&raw).map_err(|e| e.to_string())?;
    // A flat P on [-3, 3) with exact zeros elsewhere.
    let flat: Vec<f64> = x
        .iter()
        .map(|&xi| if (-3.0..3.0).contains(&xi) { 1.0 } else { 0.0 })
        .collect();
    let p_flat = kl::discrete::normalize(&flat).map_err(|e| e.to_string())?;
    let cases: [(&str, &[f64], f64, f64); 5] = [
        ("P = N(0, 2) on the grid", &p_normal, 3.0, 1.0),
        ("P = N(0, 2) on the grid", &p_normal, -1.0, 5.0),
        ("P = N(0, 2) on the grid", &p_normal, 0.0, 2.0),
        ("P flat on [-3, 3)", &p_flat, 1.5, 0.7),
        ("P = N(0, 2) on the grid, Q far away", &p_normal, 30.0, 0.5),
    ];
    for (name, p, mu, sigma) in cases {
        let (loss, d_mu, d_sigma) = exercise_4_1(&x, p, mu, sigma);
        let what = format!("{name}, mu = {mu}, sigma = {sigma}");
        ensure(
            loss.is_finite() && d_mu.is_finite() && d_sigma.is_finite(),
            || format!("{what}: got ({loss}, {d_mu}, {d_sigma}); use log-sum-exp for ln q"),
        )?;
        let want = grid_loss(&x, p, mu, sigma);
        close(
            &format!("{what}: loss"),
            loss,
            want,
            1e-9 * want.abs().max(1.0),
        )?;
        if mu.abs() < 10.0 {
            // No qᵢ underflows here, so the library gives a second route to the loss.
            let q: Vec<f64> = x
                .iter()
                .map(|xi| (-((xi - mu) / sigma).powi(2) / 2.0).exp())
                .collect();
            let q = kl::discrete::normalize(&q).map_err(|e| e.to_string())?;
            let lib = kl::discrete::kl_divergence(p, &q).map_err(|e| e.to_string())?;
            close(
                &format!("{what}: loss against kl::discrete"),
                loss,
                lib,
                1e-9 * lib.max(1.0),
            )?;
        }
        // Central differences with h = 1e-5: truncation ≈ h² · L''' ≈ 1e-10 · |L'''|, rounding
        // ≈ 1e-16 · |L| / h ≈ 1e-11 · |L|; 1e-6 relative leaves a wide margin for both.
        let h = 1e-5;
        let fd_mu = (grid_loss(&x, p, mu + h, sigma) - grid_loss(&x, p, mu - h, sigma)) / (2.0 * h);
        let fd_sigma =
            (grid_loss(&x, p, mu, sigma + h) - grid_loss(&x, p, mu, sigma - h)) / (2.0 * h);
        close(
            &format!("{what}: dL/dmu against central differences"),
            d_mu,
            fd_mu,
            1e-6 * fd_mu.abs().max(1.0),
        )?;
        close(
            &format!("{what}: dL/dsigma against central differences"),
            d_sigma,
            fd_sigma,
            1e-6 * fd_sigma.abs().max(1.0),
        )?;
    }
    Ok(())
}

/// `KL(N(0, 2) ‖ N(μ, σ)) = ln(σ/2) + (4 + μ²)/(2σ²) − ½` and its gradient, by hand:
/// `∂/∂μ = μ/σ²`, `∂/∂σ = 1/σ − (4 + μ²)/σ³`. Minimum 0 at `(0, 2)`.
fn kl_to_n02(theta: &Vector2<f64>) -> (f64, Vector2<f64>) {
    let (mu, s) = (theta[0], theta[1]);
    let loss = (s / 2.0).ln() + (4.0 + mu * mu) / (2.0 * s * s) - 0.5;
    (
        loss,
        Vector2::new(mu / (s * s), 1.0 / s - (4.0 + mu * mu) / (s * s * s)),
    )
}

pub(crate) fn grade_4_2() -> Result<(), String> {
    // Plain descent (β = 0) on f = ‖θ‖² (gradient 2θ) with η = 0.1: θₖ = 0.8ᵏ θ₀, so the
    // gradient norm is 10 · 0.8ᵏ from θ₀ = (3, 4). It drops below 1e-6 first at k = 73
    // (10 · 0.8⁷² ≈ 1.06e-6, 10 · 0.8⁷³ ≈ 8.5e-7).
    let bowl = |t: &Vector2<f64>| (t.norm_squared(), 2.0 * t);
    let start = Vector2::new(3.0, 4.0);
    let (theta, epochs) = exercise_4_2(bowl, start, 0.1, 0.0, 1e-6, 1000);
    ensure(epochs == 73, || {
        format!(
            "plain descent on |θ|² from (3, 4), η = 0.1, tol = 1e-6: expected 73 epochs, got {epochs}"
        )
    })?;
    let want = start * 0.8f64.powi(73);
    close(
        "θ after 73 epochs on |θ|² (0.8^73 · θ₀), first coordinate",
        theta[0],
        want[0],
        1e-12,
    )?;
    close(
        "θ after 73 epochs on |θ|² (0.8^73 · θ₀), second coordinate",
        theta[1],
        want[1],
        1e-12,
    )?;
    // The budget: 10 epochs, whatever the tolerance.
    let (theta, epochs) = exercise_4_2(bowl, start, 0.1, 0.0, 1e-12, 10);
    ensure(epochs == 10, || {
        format!("max_epochs = 10: got {epochs} epochs")
    })?;
    close(
        "θ after the 10-epoch budget (0.8^10 · 3)",
        theta[0],
        3.0 * 0.8f64.powi(10),
        1e-12,
    )?;
    // Already at the minimum: no update at all.
    let (theta, epochs) = exercise_4_2(bowl, Vector2::zeros(), 0.1, 0.9, 1e-6, 1000);
    ensure(epochs == 0 && theta == Vector2::zeros(), || {
        format!("starting at the minimum: expected 0 epochs at (0, 0), got {epochs} at {theta:?}")
    })?;
    // Momentum, by hand for two steps on |θ|² from θ₀ = (1, 0), η = 0.1, β = 0.5:
    // v₁ = −0.2 → θ₁ = 0.8; v₂ = 0.5·(−0.2) − 0.1·1.6 = −0.26 → θ₂ = 0.54.
    let (theta, _) = exercise_4_2(bowl, Vector2::new(1.0, 0.0), 0.1, 0.5, 1e-12, 2);
    close(
        "two heavy-ball steps on |θ|² by hand (θ₂ = 0.54)",
        theta[0],
        0.54,
        1e-14,
    )?;
    // An elongated bowl: momentum must beat plain descent.
    let long = |t: &Vector2<f64>| {
        (
            0.5 * (t[0] * t[0] + 50.0 * t[1] * t[1]),
            Vector2::new(t[0], 50.0 * t[1]),
        )
    };
    let (t0, plain) = exercise_4_2(long, Vector2::new(5.0, 1.0), 0.03, 0.0, 1e-8, 100_000);
    let (t1, heavy) = exercise_4_2(long, Vector2::new(5.0, 1.0), 0.03, 0.9, 1e-8, 100_000);
    ensure(t0.norm() < 1e-7 && t1.norm() < 1e-7, || {
        format!("elongated bowl: both runs should reach (0, 0), got {t0:?} and {t1:?}")
    })?;
    ensure(heavy < plain, || {
        format!(
            "elongated bowl: momentum took {heavy} epochs, plain descent {plain}; momentum should need fewer"
        )
    })?;
    // The chapter's loss: KL(N(0, 2) || N(μ, σ)) from (5, 4) reaches (0, 2).
    let (theta, epochs) = exercise_4_2(kl_to_n02, Vector2::new(5.0, 4.0), 0.1, 0.9, 1e-9, 100_000);
    ensure(epochs < 100_000, || {
        "KL(N(0, 2) || N(μ, σ)) from (5, 4): no convergence in 100 000 epochs".into()
    })?;
    close("KL fit from (5, 4): μ", theta[0], 0.0, 1e-6)?;
    close("KL fit from (5, 4): σ", theta[1], 2.0, 1e-6)
}
