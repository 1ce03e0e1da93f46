//! [`OriginalForwardKl`]: the original tutorial's setup, kept to show what it does (θ =
//! `(μ, v)` with v the variance, a target of unnormalised pdf values).

use nalgebra::Vector2;

use super::descent::Objective;
use super::pass::{
    TargetMoments, check_finite, finite_loss, ln_z_on_grid, validate_grid, validate_weights,
};
use crate::error::{Error, Result};

/// The original tutorial's loss, kept to show what it does: θ = `(μ, v)` with v the
/// **variance** (its variable `sigma`), and a target of **unnormalised** pdf values.
///
/// # Derivation
///
/// With the model and rule (1) of the [module docs](super), and the forward derivation of
/// [`ForwardKl`](super::ForwardKl):
///
#[doc = include_str!("../../doc/fit_original.md")]
///
/// [`ForwardKl`](super::ForwardKl) steps on `ln σ` instead, with a normalised target.
///
/// # Remarks
/// - `p` must be finite and non-negative with a positive total; it is *not* required to sum
///   to 1 (that is the point). Errors as for [`ForwardKl`](super::ForwardKl), except [`Error::NotNormalized`];
///   [`Error::ZeroTotal`] if every `p_i` is 0.
/// - At evaluation, `v ≤ 0` (or a v whose `1/(2v)` is not a normal double) is
///   [`Error::InvalidParameter`] named `variance`: where the original would compute NaN.
///
/// ```
/// use kl::fit::{ForwardKl, Objective, OriginalForwardKl};
///
/// let dx = 0.001;
/// let x: Vec<f64> = (0..20_000).map(|i| -10.0 + i as f64 * dx).collect();
/// // The original's p: pdf values of N(0, 2), not masses. They sum to ≈ 1000.
/// let pdf: Vec<f64> = x
///     .iter()
///     .map(|x| (-x * x / 8.0).exp() / (2.0 * (2.0 * std::f64::consts::PI).sqrt()))
///     .collect();
/// let total: f64 = pdf.iter().sum();
/// let original = OriginalForwardKl::new(&x, &pdf)?;
/// let (loss, gradient) = original.loss_and_gradient(&original.theta(0.0, 1.0))?;
///
/// let p = kl::discrete::normalize(&pdf)?;
/// let ours = ForwardKl::new(&x, &p)?;
/// let (kl, kl_gradient) = ours.loss_and_gradient(&ours.theta(0.0, 1.0))?;
/// // L = P·KL + P ln P, with P ≈ 1000: 0.806831 becomes 7714.58.
/// assert!((loss - (total * kl + total * total.ln())).abs() < 1e-8);
/// assert!((loss - 7714.58).abs() < 0.01);
/// // ∂L/∂μ is P times ∂KL/∂μ (here v = σ² = 1, so the parameterisations agree on μ).
/// assert!((gradient[0] - total * kl_gradient[0]).abs() < 1e-6);
/// // The original's `sigma` must stay positive; ours cannot leave.
/// assert!(original.loss_and_gradient(&nalgebra::Vector2::new(5.0, 0.0)).is_err());
/// # Ok::<(), kl::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct OriginalForwardKl {
    moments: TargetMoments,
}

impl OriginalForwardKl {
    /// The original's problem for grid `x` and pdf values (or any non-negative weights) `p`.
    pub fn new(x: &[f64], p: &[f64]) -> Result<Self> {
        validate_grid(x, p)?;
        validate_weights(p)?;
        let moments = TargetMoments::new(x, p);
        if moments.mass == 0.0 {
            return Err(Error::ZeroTotal { name: "p" });
        }
        Ok(OriginalForwardKl { moments })
    }

    /// `P = Σ p_i`, the factor by which this loss and its gradient exceed the KL's.
    pub fn total_mass(&self) -> f64 {
        self.moments.mass
    }
}

impl OriginalForwardKl {
    /// θ = `(μ, v)`, refusing a variance that would make q undefined.
    fn mean_variance(theta: &Vector2<f64>) -> Result<(f64, f64)> {
        check_finite(theta)?;
        let (mu, var) = (theta[0], theta[1]);
        if !(var > 0.0 && (0.5 / var).is_normal()) {
            return Err(Error::InvalidParameter {
                name: "variance",
                value: var,
                reason: "the original's `sigma` is a variance and must be > 0 (and not so small \
                         that 1/(2v) overflows); a gradient step on it can cross 0, a step on \
                         ln σ cannot",
            });
        }
        Ok((mu, var))
    }
}

impl Objective for OriginalForwardKl {
    fn points(&self) -> usize {
        self.moments.x.points.len()
    }

    fn loss_and_gradient(&self, theta: &Vector2<f64>) -> Result<(f64, Vector2<f64>)> {
        let (mu, var) = Self::mean_variance(theta)?;
        let (loss, [d_mu, d_var]) = self.moments.forward_at(mu, var);
        finite_loss(
            theta,
            loss,
            Vector2::new(d_mu / var, d_var / (2.0 * var * var)),
        )
    }

    fn loss(&self, theta: &Vector2<f64>) -> Result<f64> {
        let (mu, var) = Self::mean_variance(theta)?;
        let t = &self.moments;
        let loss = t.forward_loss(mu, var, ln_z_on_grid(&t.x, mu, var));
        finite_loss(theta, loss, Vector2::zeros()).map(|(loss, _)| loss)
    }

    fn normal(&self, theta: &Vector2<f64>) -> (f64, f64) {
        (theta[0], theta[1].sqrt())
    }

    fn theta(&self, mu: f64, sigma: f64) -> Vector2<f64> {
        Vector2::new(mu, sigma * sigma)
    }
}
