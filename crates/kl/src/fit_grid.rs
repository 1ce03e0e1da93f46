//! The exact optimum of forward KL over normals on a grid: the normal whose *grid* moments
//! match the target's.
//!
//! The model of [`crate::fit`] is a normal `(μ, σ)` normalised over the grid,
//! `q_i ∝ exp(−(x_i − μ)²/(2σ²))` ([`crate::fit::normal_masses`]). In the natural parameters
//! `η = (μ/σ², −1/(2σ²))` and features `T(x) = (x, x²)` it is an exponential family on the
//! grid, `q_i = exp(η·T(x_i) − ln Z(η))`, so
//!
//! ```text
//! KL(P‖q_η) = Σ p_i ln p_i − η·E_p[T] + ln Z(η),    ∇_η KL = E_q[T] − E_p[T],
//! ∇²_η KL = Cov_q[T]   (positive definite: KL is convex in η)
//! ```
//!
//! The minimiser is the `q` whose grid mean and grid variance equal the target's. That is not
//! [`crate::fit::moment_match`], the *continuous* normal with the target's grid moments: a
//! normal cut off at the grid's ends has a smaller variance than its σ², so its σ must be a
//! little larger than the target's grid standard deviation. [`grid_moment_match`] solves the
//! grid equations by Newton's method in `η`.

use crate::error::{Error, Result};
use crate::fit::moment_match;

/// The `(μ, σ)` of the normal on the grid `x` that minimises `KL(P‖q_θ)`, `q_θ` the normal
/// normalised over the grid: the one whose grid mean and grid variance equal `P`'s.
///
/// ```text
/// Σ q_i x_i = Σ p_i x_i,     Σ q_i x_i² = Σ p_i x_i²,     q_i ∝ exp(−(x_i − μ)²/(2σ²))
/// ```
///
/// # Remarks
/// Newton's method on the convex `KL(P‖q_η)` in the natural parameters (see the module),
/// in centred and scaled coordinates, started at [`crate::fit::moment_match`] and damped by
/// step halving so the divergence never rises. It stops when both moment equations hold to
/// `1e-12` of the target's variance. `p` must be masses on the grid (as for
/// [`crate::fit::ForwardKl`]); the same errors as [`crate::fit::moment_match`], and
/// [`Error::PointMassTarget`] or [`Error::NoMatchingNormal`] when no normal matches (a target with all its mass on one point, or
/// a variance at least that of the uniform on the grid, which only σ → ∞ approaches) or
/// Newton does not converge in 100 steps.
///
/// ```
/// // P: N(0, 2) normalised on [-10, 10) with step 0.01. Its grid variance is below 4,
/// // yet the normal that matches it on this grid is P itself, σ = 2.
/// let x: Vec<f64> = (0..2000).map(|i| -10.0 + 0.01 * i as f64).collect();
/// let p = kl::fit::normal_masses(&x, 0.0, 2.0)?;
/// let (_, sd_of_p) = kl::fit::moment_match(&x, &p)?;
/// assert!(sd_of_p < 1.99999);
/// let (mu, sigma) = kl::fit_grid::grid_moment_match(&x, &p)?;
/// assert!(mu.abs() < 1e-9 && (sigma - 2.0).abs() < 1e-9);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn grid_moment_match(x: &[f64], p: &[f64]) -> Result<(f64, f64)> {
    let (mean, sd) = moment_match(x, p)?;
    if sd <= 0.0 || sd.is_nan() {
        return Err(Error::PointMassTarget);
    }
    let total: f64 = p.iter().sum();
    // Centred, scaled coordinates u = (x − mean)/sd: the target's E[u] = 0, E[u²] = 1.
    let u: Vec<f64> = x.iter().map(|&xi| (xi - mean) / sd).collect();
    let w: Vec<f64> = p.iter().map(|&pi| pi / total).collect();
    let target = [
        w.iter().zip(&u).map(|(w, u)| w * u).sum::<f64>(),
        w.iter().zip(&u).map(|(w, u)| w * u * u).sum::<f64>(),
    ];
    // KL up to the constant Σ p ln p, and the model's moments, at η = (a, b), b < 0.
    let evaluate = |a: f64, b: f64| {
        let s: Vec<f64> = u.iter().map(|&u| a * u + b * u * u).collect();
        let top = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = s.iter().map(|&s| (s - top).exp()).collect();
        let z: f64 = e.iter().sum();
        let ln_z = top + z.ln();
        let m = |k: i32| e.iter().zip(&u).map(|(e, u)| e * u.powi(k)).sum::<f64>() / z;
        let moments = [m(1), m(2), m(3), m(4)];
        (ln_z - a * target[0] - b * target[1], moments)
    };
    let (mut a, mut b) = (0.0, -0.5);
    let (mut loss, mut m) = evaluate(a, b);
    for _ in 0..100 {
        let g = [m[0] - target[0], m[1] - target[1]];
        if g[0].abs() <= 1e-12 && g[1].abs() <= 1e-12 {
            let sigma = (-0.5 / b).sqrt();
            let mu = a * sigma * sigma;
            return Ok((mean + sd * mu, sd * sigma));
        }
        // Cov_q[(u, u²)]: the Hessian of the KL in η.
        let h11 = m[1] - m[0] * m[0];
        let h12 = m[2] - m[0] * m[1];
        let h22 = m[3] - m[1] * m[1];
        let det = h11 * h22 - h12 * h12;
        if det <= 0.0 || det.is_nan() {
            break;
        }
        let da = -(h22 * g[0] - h12 * g[1]) / det;
        let db = -(h11 * g[1] - h12 * g[0]) / det;
        let mut t = 1.0;
        loop {
            let (na, nb) = (a + t * da, b + t * db);
            if nb < 0.0 {
                let (nl, nm) = evaluate(na, nb);
                if nl <= loss + 1e-13 * loss.abs().max(1.0) {
                    (a, b, loss, m) = (na, nb, nl, nm);
                    break;
                }
            }
            t *= 0.5;
            if t < 1e-12 {
                return Err(no_match());
            }
        }
    }
    Err(no_match())
}

fn no_match() -> Error {
    Error::NoMatchingNormal
}

#[cfg(test)]
mod tests {
    use super::grid_moment_match;
    use crate::fit::{ForwardKl, Objective, moment_match, normal_masses};
    use nalgebra::Vector2;

    fn grid(lo: f64, n: usize, h: f64) -> Vec<f64> {
        (0..n).map(|i| lo + h * i as f64).collect()
    }

    /// Independent route: the forward-KL objective of `crate::fit` (its own code for the
    /// normalised model and its gradient) is stationary at the result and larger nearby.
    #[test]
    fn the_result_minimises_forward_kl_on_the_grid() {
        let x = grid(-10.0, 2000, 0.01);
        // A skewed, truncated target: a two-normal mix, so no normal is exact.
        let p: Vec<f64> = {
            let a = normal_masses(&x, -1.0, 1.5).unwrap();
            let b = normal_masses(&x, 3.0, 4.0).unwrap();
            a.iter().zip(&b).map(|(a, b)| 0.3 * a + 0.7 * b).collect()
        };
        let (mu, sigma) = grid_moment_match(&x, &p).unwrap();
        let objective = ForwardKl::new(&x, &p).unwrap();
        let at = |m: f64, s: f64| {
            objective
                .loss_and_gradient(&Vector2::new(m, s.ln()))
                .unwrap()
        };
        let (best, gradient) = at(mu, sigma);
        assert!(gradient.norm() < 1e-9, "gradient {gradient}");
        for (dm, ds) in [(1e-3, 0.0), (-1e-3, 0.0), (0.0, 1e-3), (0.0, -1e-3)] {
            assert!(at(mu + dm, sigma + ds).0 > best);
        }
        // The continuous moment match is a different, worse point on this grid.
        let (m0, s0) = moment_match(&x, &p).unwrap();
        assert!(at(m0, s0).0 > best && (s0 - sigma).abs() > 1e-3);
    }

    #[test]
    fn a_normal_on_the_grid_is_its_own_match() {
        for (m, s) in [(0.0, 2.0), (1.5, 0.7), (-3.0, 5.0)] {
            let x = grid(-10.0, 4000, 0.005);
            let p = normal_masses(&x, m, s).unwrap();
            let (mu, sigma) = grid_moment_match(&x, &p).unwrap();
            assert!(
                (mu - m).abs() < 1e-8 && (sigma - s).abs() < 1e-8,
                "{mu} {sigma}"
            );
        }
    }

    #[test]
    fn unmatchable_targets_are_errors() {
        let x = grid(0.0, 5, 1.0);
        assert!(grid_moment_match(&x, &[0.0, 0.0, 1.0, 0.0, 0.0]).is_err());
        // Two spikes at the ends: a variance above the uniform's, only σ → ∞ approaches it.
        assert!(grid_moment_match(&x, &[0.5, 0.0, 0.0, 0.0, 0.5]).is_err());
        assert!(grid_moment_match(&x, &[0.2; 4]).is_err());
    }
}
