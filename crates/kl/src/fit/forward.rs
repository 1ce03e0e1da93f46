//! [`ForwardKl`], `KL(p‖q_θ)`: the mass-covering loss whose optimum matches moments, and
//! [`moment_match`], that optimum in closed form.

use nalgebra::Vector2;

use super::descent::Objective;
use super::pass::{
    TargetMoments, finite_loss, ln_z_on_grid, log_sigma_to_mean_variance, validate_grid,
    validate_masses,
};
use crate::error::Result;

/// Forward KL, `KL(p‖q_θ)` in nats, with θ = `(μ, ln σ)`: the loss whose minimiser matches
/// moments.
///
/// # Derivation of the gradient
///
/// With the model and rules (1) and (2) of the [module docs](super):
///
#[doc = include_str!("../../doc/fit_forward.md")]
///
/// See [`moment_match`] for that optimum in closed form.
///
/// # How it is computed
///
/// The constants of the loss above (`Σ p ln p`, `m`, `v_p`) are computed once in
/// [`new`](ForwardKl::new). One pass over the grid (no allocation) gives `ln Z`,
/// `E_q[x − μ]` and `E_q[(x − μ)²]`: eight points at a time with a branch-free `exp` (within 1
/// ulp of the true value), on the widest vector unit of the running CPU, into compensated
/// sums. On a sorted grid the point nearest μ, which fixes the shift of log-sum-exp, is a
/// binary search; an unsorted grid takes one more pass.
///
/// # Remarks
/// - `x` is any set of finite points (sorted or not); `p` holds the target's masses on them:
///   finite, non-negative, summing to 1 within [`SUM_TOLERANCE`](crate::discrete::SUM_TOLERANCE). Pdf values on a grid are
///   not masses: normalise them first with [`crate::discrete::normalize`]. Zeros in `p` are
///   fine (they contribute 0).
/// - Errors: [`Error::Empty`](crate::Error::Empty), [`Error::GridMismatch`](crate::Error::GridMismatch), [`Error::NotFinite`](crate::Error::NotFinite),
///   [`Error::Negative`](crate::Error::Negative), [`Error::NotNormalized`](crate::Error::NotNormalized); at evaluation, a non-finite θ
///   ([`Error::NotFinite`](crate::Error::NotFinite)) or a σ² = e^{2 ln σ} that is not a positive normal double
///   ([`Error::InvalidParameter`](crate::Error::InvalidParameter), |ln σ| ≳ 354).
///
/// ```
/// use kl::fit::{ForwardKl, Objective, normal_masses};
///
/// let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
/// let p = normal_masses(&x, 0.0, 2.0)?;
/// let problem = ForwardKl::new(&x, &p)?;
/// let (kl, gradient) = problem.loss_and_gradient(&problem.theta(0.0, 1.0))?;
/// // Closed form for the continuous pair: KL(N(0,2)‖N(0,1)) = ln(1/2) + 4/2 − 1/2 = 0.806853;
/// // the grid stops at ±5 standard deviations of p, which moves it by 2e-5.
/// assert!((kl - 0.806853).abs() < 1e-4);
/// // ∂KL/∂(ln σ) = −(E_p[x²] − E_q[x²]) / σ² = −(4 − 1) / 1 = −3 (again up to truncation).
/// assert!((gradient[1] + 3.0).abs() < 1e-3);
/// # Ok::<(), kl::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ForwardKl {
    moments: TargetMoments,
}

impl ForwardKl {
    /// The problem for grid `x` and target masses `p` (see the type's docs for the rules).
    pub fn new(x: &[f64], p: &[f64]) -> Result<Self> {
        validate_grid(x, p)?;
        validate_masses(p)?;
        Ok(ForwardKl {
            moments: TargetMoments::new(x, p),
        })
    }
}

impl Objective for ForwardKl {
    fn points(&self) -> usize {
        self.moments.x.points.len()
    }

    fn loss_and_gradient(&self, theta: &Vector2<f64>) -> Result<(f64, Vector2<f64>)> {
        let (mu, var) = log_sigma_to_mean_variance(theta)?;
        let (loss, [d_mu, d_var]) = self.moments.forward_at(mu, var);
        finite_loss(theta, loss, Vector2::new(d_mu / var, d_var / var))
    }

    fn loss(&self, theta: &Vector2<f64>) -> Result<f64> {
        let (mu, var) = log_sigma_to_mean_variance(theta)?;
        let t = &self.moments;
        let loss = t.forward_loss(mu, var, ln_z_on_grid(&t.x, mu, var));
        finite_loss(theta, loss, Vector2::zeros()).map(|(loss, _)| loss)
    }
}

/// The closed-form forward-KL optimum over all normals on the real line: the mean and standard
/// deviation of the target, `μ* = E_p[x]`, `σ* = √Var_p[x]` (moment matching).
///
/// ```text
/// μ* = Σ_i p_i x_i          σ*² = Σ_i p_i (x_i − μ*)²
/// ```
///
/// # Remarks
/// - Setting the [`ForwardKl`] gradient to zero gives `E_q[x] = E_p[x]` and
///   `E_q[(x − μ)²] = E_p[(x − μ)²]`, where the expectations under q are over **the grid**.
///   On an unbounded grid those are μ and σ², so μ* and σ* above are the optimum. On a finite
///   grid q is truncated, and its grid variance is a little below σ² (at ±5σ, by a factor
///   `1 − 1.5e-5`): the descent's optimum sits that much away from (μ*, σ*). When p is itself
///   a normal on the same grid the descent finds that normal's exact parameters while σ* is
///   the (truncated) grid standard deviation.
/// - Same input rules and errors as [`ForwardKl::new`].
///
/// ```
/// let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
/// let p = kl::fit::normal_masses(&x, 1.0, 2.0)?;
/// let (mu, sigma) = kl::fit::moment_match(&x, &p)?;
/// // N(1, 2) cut at −5.5σ and +4.5σ: the mean moves by −3.2e-5 and the sd by −7.3e-5
/// // (numpy on the same grid: −3.2116e-5 and −7.3285e-5).
/// assert!((mu - 1.0 + 3.2116e-5).abs() < 1e-8 && (sigma - 2.0 + 7.3285e-5).abs() < 1e-8);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn moment_match(x: &[f64], p: &[f64]) -> Result<(f64, f64)> {
    validate_grid(x, p)?;
    validate_masses(p)?;
    let t = TargetMoments::new(x, p);
    Ok((t.mean, t.variance.sqrt()))
}
