//! [`ReverseKl`](super::ReverseKl), `KL(q_θ‖p)`: the mode-seeking loss.

use nalgebra::Vector2;

use super::descent::Objective;
use super::pass::{
    Grid, finite_loss, log_sigma_to_mean_variance, reverse_loss_sums, reverse_sums, validate_grid,
    validate_lengths, validate_masses,
};
use crate::discrete::SUM_TOLERANCE;
use crate::error::{Error, Result, check_all_finite};

/// Reverse KL, `KL(q_θ‖p)` in nats, with θ = `(μ, ln σ)`: the mode-seeking loss.
///
/// # Derivation of the gradient
///
/// With the model and rules (1) and (2) of the [module docs](super):
///
#[doc = include_str!("../../doc/fit_reverse.md")]
///
/// The once-only part is done in [`new`](ReverseKl::new) (or
/// [`from_ln_masses`](ReverseKl::from_ln_masses)); the pass allocates nothing.
///
/// # Remarks
/// - `p` must be finite, sum to 1 within [`SUM_TOLERANCE`] and be **positive at every grid
///   point**: q puts mass on every point, so a single `p_i = 0` makes `KL(q‖p) = +∞` for every
///   θ ([`Error::ZeroTargetMass`], with the index). Drop such points from the grid, or, when the
///   zeros are only underflow, give the log-masses to [`from_ln_masses`](ReverseKl::from_ln_masses).
/// - Other errors as for [`ForwardKl`](super::ForwardKl).
///
/// ```
/// use kl::fit::{Objective, ReverseKl, normal_masses};
///
/// let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
/// let p = normal_masses(&x, 0.0, 2.0)?;
/// let problem = ReverseKl::new(&x, &p)?;
/// let (kl, _) = problem.loss_and_gradient(&problem.theta(0.0, 1.0))?;
/// // KL(N(0,1)‖N(0,2)) = ln 2 + 1/8 − 1/2 = 0.318147 for the continuous pair.
/// assert!((kl - 0.318147).abs() < 1e-5);
/// # Ok::<(), kl::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ReverseKl {
    x: Grid,
    ln_p: Vec<f64>,
}

impl ReverseKl {
    /// The problem for grid `x` and target masses `p` (see the type's docs for the rules).
    pub fn new(x: &[f64], p: &[f64]) -> Result<Self> {
        validate_grid(x, p)?;
        validate_masses(p)?;
        if let Some(index) = p.iter().position(|&pi| pi == 0.0) {
            return Err(Error::ZeroTargetMass { index });
        }
        Ok(ReverseKl {
            x: Grid::new(x),
            ln_p: p.iter().map(|pi| pi.ln()).collect(),
        })
    }

    /// The problem for grid `x` and the target's **log**-masses `ln p`: for targets whose
    /// masses underflow to 0 in the tails of the grid (a narrow mode on a wide grid), where
    /// [`new`](ReverseKl::new) would refuse a zero.
    ///
    /// ```text
    /// ln p_i finite for every i,   |Σ_i exp(ln p_i) − 1| ≤ SUM_TOLERANCE
    /// ```
    ///
    /// The sum is computed as `exp(m) Σ_i exp(ln p_i − m)` with `m = max_i ln p_i`, so it does
    /// not underflow either. Errors: [`Error::Empty`], [`Error::GridMismatch`],
    /// [`Error::NotFinite`] (a `−∞` included: that is a zero mass, see the type's docs),
    /// [`Error::NotNormalized`].
    ///
    /// ```
    /// use kl::fit::{Objective, ReverseKl};
    ///
    /// // N(0, 0.1) on [−20, 20): at x = −20, p = exp(−20000)/… underflows, ln p does not.
    /// let x: Vec<f64> = (0..4000).map(|i| -20.0 + i as f64 * 0.01).collect();
    /// let shape: Vec<f64> = x.iter().map(|x| -x * x / (2.0 * 0.01)).collect();
    /// let max = shape.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    /// let ln_total = max + shape.iter().map(|s| (s - max).exp()).sum::<f64>().ln();
    /// let ln_p: Vec<f64> = shape.iter().map(|s| s - ln_total).collect();
    /// let problem = ReverseKl::from_ln_masses(&x, &ln_p)?;
    /// let (kl, _) = problem.loss_and_gradient(&problem.theta(0.0, 0.1))?;
    /// assert!(kl.abs() < 1e-12);
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn from_ln_masses(x: &[f64], ln_p: &[f64]) -> Result<Self> {
        validate_lengths(x, "ln_p", ln_p)?;
        check_all_finite("ln_p", ln_p)?;
        let max = ln_p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum = max.exp() * ln_p.iter().map(|l| (l - max).exp()).sum::<f64>();
        if (sum - 1.0).abs() > SUM_TOLERANCE {
            return Err(Error::NotNormalized {
                name: "ln_p",
                sum,
                tolerance: SUM_TOLERANCE,
            });
        }
        Ok(ReverseKl {
            x: Grid::new(x),
            ln_p: ln_p.to_vec(),
        })
    }
}

impl ReverseKl {
    /// `(μ, 1/(2σ²), s_max)` at θ: the shift `s_max = −min_i (x_i − μ)²/(2σ²)` of log-sum-exp.
    fn shape(&self, theta: &Vector2<f64>) -> Result<(f64, f64, f64, f64)> {
        let (mu, var) = log_sigma_to_mean_variance(theta)?;
        let half_precision = 0.5 / var;
        let s_max = -self.x.nearest_squared_distance(mu) * half_precision;
        Ok((mu, var, half_precision, s_max))
    }
}

impl Objective for ReverseKl {
    fn points(&self) -> usize {
        self.x.points.len()
    }

    fn loss_and_gradient(&self, theta: &Vector2<f64>) -> Result<(f64, Vector2<f64>)> {
        let (mu, var, half_precision, s_max) = self.shape(theta)?;
        // Σ w, Σ w g, Σ w d, Σ w d g, Σ w d², Σ w d² g
        let sums = reverse_sums(&self.x.points, &self.ln_p, mu, s_max, half_precision);
        let [w, wg, wd, wdg, wd2, wd2g] = sums;
        let ln_z = s_max + w.ln();
        let eq_g = wg / w;
        let loss = eq_g - ln_z;
        let gradient = Vector2::new(
            (wdg / w - (wd / w) * eq_g) / var,
            (wd2g / w - (wd2 / w) * eq_g) / var,
        );
        finite_loss(theta, loss, gradient)
    }

    fn loss(&self, theta: &Vector2<f64>) -> Result<f64> {
        let (mu, _, half_precision, s_max) = self.shape(theta)?;
        let [w, wg] = reverse_loss_sums(&self.x.points, &self.ln_p, mu, s_max, half_precision);
        let loss = wg / w - (s_max + w.ln());
        finite_loss(theta, loss, Vector2::zeros()).map(|(loss, _)| loss)
    }
}
