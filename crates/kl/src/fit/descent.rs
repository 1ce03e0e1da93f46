//! The solver side: the [`Objective`] a problem implements, the descent loop a student
//! modifies, and the gradient check that works on any loss-and-gradient function.

use nalgebra::Vector2;

use crate::error::{Error, Result};

/// A loss over two parameters θ that describe a normal `(μ, σ)`: what [`gradient_descent`]
/// minimises.
///
/// Implement it to give the solver a new problem; the solver only ever calls
/// [`loss_and_gradient`](Objective::loss_and_gradient), and [`normal`](Objective::normal) to
/// record `(μ, σ)` in the history.
///
/// ```
/// use kl::fit::{Objective, gradient_descent};
/// use nalgebra::Vector2;
///
/// /// A toy problem: (μ − 1)² + (ln σ)², smallest at μ = 1, σ = 1.
/// struct Bowl;
///
/// impl Objective for Bowl {
///     fn loss_and_gradient(&self, t: &Vector2<f64>) -> kl::Result<(f64, Vector2<f64>)> {
///         let loss = (t[0] - 1.0).powi(2) + t[1].powi(2);
///         Ok((loss, Vector2::new(2.0 * (t[0] - 1.0), 2.0 * t[1])))
///     }
///     // `normal` and `theta` keep their default, θ = (μ, ln σ).
/// }
///
/// // Each step multiplies the distance to the minimum by 1 − 2·0.25 = 0.5.
/// let fit = gradient_descent(&Bowl, &Bowl.theta(0.0, 4.0), 0.25, 40)?;
/// let (mu, sigma) = Bowl.normal(&fit.theta);
/// assert!((mu - 1.0).abs() < 1e-11 && (sigma - 1.0).abs() < 1e-11);
/// # Ok::<(), kl::Error>(())
/// ```
pub trait Objective {
    /// The loss at θ and its gradient with respect to θ, computed together in one pass.
    fn loss_and_gradient(&self, theta: &Vector2<f64>) -> Result<(f64, Vector2<f64>)>;

    /// The loss at θ alone, without the gradient: what a caller that only reads the loss
    /// (a table of losses, a line search) should call. The problems of this module compute only
    /// the sums the loss needs, with the same bits as the loss of
    /// [`loss_and_gradient`](Objective::loss_and_gradient); by default it is that loss.
    fn loss(&self, theta: &Vector2<f64>) -> Result<f64> {
        self.loss_and_gradient(theta).map(|(loss, _)| loss)
    }

    /// The normal `(μ, σ)` that θ stands for (σ the standard deviation). By default
    /// θ = `(μ, ln σ)`, the parameterisation of [`ForwardKl`] and [`ReverseKl`].
    fn normal(&self, theta: &Vector2<f64>) -> (f64, f64) {
        (theta[0], theta[1].exp())
    }

    /// The θ that stands for the normal `(μ, σ)`: the inverse of [`normal`](Objective::normal).
    /// By default `(μ, ln σ)`.
    fn theta(&self, mu: f64, sigma: f64) -> Vector2<f64> {
        Vector2::new(mu, sigma.ln())
    }
}

/// What [`gradient_check`] found: the analytic gradient, the central-difference estimate, and
/// how far apart they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradientCheck {
    /// The gradient the function returned.
    pub analytic: Vector2<f64>,
    /// `(f(θ + h e_k) − f(θ − h e_k)) / (2h)` for each coordinate k.
    pub numeric: Vector2<f64>,
    /// `max_k |analytic_k − numeric_k| / max_k max(|analytic_k|, |numeric_k|)`: the largest
    /// difference relative to the size of the gradient (0 when both are exactly 0).
    pub max_relative_error: f64,
}

/// Compares any loss-and-gradient function with central differences at θ, and returns both
/// gradients with the error below in a [`GradientCheck`].
///
#[doc = include_str!("../../doc/fit_gradient_check.md")]
///
/// # Remarks
/// `h` must be positive and finite ([`Error::InvalidParameter`] named `h`); any error from `f`
/// is passed on.
///
/// ```
/// use kl::fit::{ForwardKl, Objective, gradient_check, normal_masses};
///
/// let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
/// let p = normal_masses(&x, 0.0, 2.0)?;
/// let problem = ForwardKl::new(&x, &p)?;
/// let check = gradient_check(
///     |theta| problem.loss_and_gradient(theta),
///     &problem.theta(1.0, 1.5),
///     1e-5,
/// )?;
/// assert!(check.max_relative_error < 1e-7);
///
/// // It checks any function: f(θ) = θ₀² + 3θ₁, gradient (2θ₀, 3).
/// let f = |t: &nalgebra::Vector2<f64>| Ok((t[0] * t[0] + 3.0 * t[1], nalgebra::Vector2::new(2.0 * t[0], 3.0)));
/// let check = gradient_check(f, &nalgebra::Vector2::new(2.0, 1.0), 1e-4)?;
/// assert!(check.max_relative_error < 1e-10);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn gradient_check<F>(f: F, theta: &Vector2<f64>, h: f64) -> Result<GradientCheck>
where
    F: Fn(&Vector2<f64>) -> Result<(f64, Vector2<f64>)>,
{
    if !(h > 0.0 && h.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "h",
            value: h,
            reason: "the finite-difference step must be positive and finite",
        });
    }
    let (_, analytic) = f(theta)?;
    let mut numeric = Vector2::zeros();
    for k in 0..2 {
        let mut up = *theta;
        let mut down = *theta;
        up[k] += h;
        down[k] -= h;
        numeric[k] = (f(&up)?.0 - f(&down)?.0) / (2.0 * h);
    }
    let scale = analytic.amax().max(numeric.amax());
    let max_relative_error = if scale == 0.0 {
        0.0
    } else {
        (analytic - numeric).amax() / scale
    };
    Ok(GradientCheck {
        analytic,
        numeric,
        max_relative_error,
    })
}

/// One row of a descent's history: the parameters after `epoch` steps and their loss.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Epoch {
    /// How many steps have been taken (0 is the start).
    pub epoch: usize,
    /// The normal's mean.
    pub mu: f64,
    /// The normal's standard deviation.
    pub sigma: f64,
    /// The loss there (the KL in nats, or the original's scaled loss).
    pub loss: f64,
}

/// The result of [`gradient_descent`]: the final θ and the history, one row per epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct Descent {
    /// θ after the last step.
    pub theta: Vector2<f64>,
    /// `epochs + 1` rows: the start, then the state after each step.
    pub history: Vec<Epoch>,
}

/// The most epochs [`gradient_descent`] accepts: its history holds `epochs + 1` rows.
pub const MAX_EPOCHS: usize = 10_000_000;

/// Plain gradient descent with a fixed step: `θ ← θ − step · ∇loss(θ)`, `epochs` times.
///
/// The history has one row per epoch, the start included: row k holds `(μ, σ)` after k steps
/// and the loss there, so `epochs` steps evaluate the objective `epochs + 1` times.
///
/// This is the loop to change in the exercises (momentum, a decaying step, a stopping rule);
/// the problem does not need to know.
///
/// # Remarks
/// `step` must be positive and finite ([`Error::InvalidParameter`] named `step`). An error from
/// the objective (the original's variance stepping below 0, say) stops the descent and is
/// returned. More than [`MAX_EPOCHS`] epochs is [`Error::TooLarge`] (`epochs`), checked before
/// anything is allocated.
///
/// ```
/// use kl::fit::{ForwardKl, Objective, gradient_descent, normal_masses};
///
/// let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
/// let p = normal_masses(&x, 1.0, 0.5)?;
/// let problem = ForwardKl::new(&x, &p)?;
/// let fit = gradient_descent(&problem, &problem.theta(0.0, 1.0), 0.1, 200)?;
/// assert_eq!(fit.history.len(), 201);
/// let (mu, sigma) = problem.normal(&fit.theta);
/// assert!((mu - 1.0).abs() < 1e-6 && (sigma - 0.5).abs() < 1e-6);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn gradient_descent<O>(
    objective: &O,
    start: &Vector2<f64>,
    step: f64,
    epochs: usize,
) -> Result<Descent>
where
    O: Objective + ?Sized,
{
    if !(step > 0.0 && step.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "step",
            value: step,
            reason: "the step (learning rate) must be positive and finite",
        });
    }
    if epochs > MAX_EPOCHS {
        return Err(Error::TooLarge {
            name: "epochs",
            got: epochs as u64,
            limit: MAX_EPOCHS as u64,
            reason: "the history would not fit in memory and the descent would not finish in reasonable time",
        });
    }
    let mut theta = *start;
    let mut history = Vec::with_capacity(epochs + 1);
    for epoch in 0..=epochs {
        let (loss, gradient) = objective.loss_and_gradient(&theta)?;
        let (mu, sigma) = objective.normal(&theta);
        history.push(Epoch {
            epoch,
            mu,
            sigma,
            loss,
        });
        if epoch < epochs {
            theta -= step * gradient;
        }
    }
    Ok(Descent { theta, history })
}
