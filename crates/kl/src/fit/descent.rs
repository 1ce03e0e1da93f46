//! The solver side: the [`Objective`] a problem implements, the descent loop a student
//! modifies, and the gradient check that works on any loss-and-gradient function.

use nalgebra::Vector2;

use crate::check::{self, GradientCheck};
use crate::error::{Error, Result};

/// A loss over two parameters θ that describe a normal `(μ, σ)`: what [`gradient_descent`]
/// minimises.
///
/// Implement it to give the solver a new problem; the solver only ever calls
/// [`loss_and_gradient`](Objective::loss_and_gradient), and [`normal`](Objective::normal) to
/// record `(μ, σ)` in the history.
///
/// ```
/// use kl::fit::{Objective, Options, gradient_descent};
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
/// let options = Options { learning_rate: 0.25, iterations: 40 };
/// let fit = gradient_descent(&Bowl, &Bowl.theta(0.0, 4.0), &options)?;
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
    /// θ = `(μ, ln σ)`, the parameterisation of [`ForwardKl`](super::ForwardKl) and [`ReverseKl`](super::ReverseKl).
    fn normal(&self, theta: &Vector2<f64>) -> (f64, f64) {
        (theta[0], theta[1].exp())
    }

    /// The θ that stands for the normal `(μ, σ)`: the inverse of [`normal`](Objective::normal).
    /// By default `(μ, ln σ)`.
    fn theta(&self, mu: f64, sigma: f64) -> Vector2<f64> {
        Vector2::new(mu, sigma.ln())
    }

    /// The work of one evaluation, in grid points: [`gradient_descent`] refuses more than
    /// [`MAX_WORK`] `iterations × points`. The problems of this module visit their grid once
    /// per evaluation (`x.len()`); by default 1.
    fn points(&self) -> usize {
        1
    }
}

/// Compares any loss-and-gradient function with central differences at θ, and returns both
/// gradients with the error below in a [`GradientCheck`] (the library's one check,
/// [`crate::check::gradient_check`], at θ's two coordinates).
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
    let (_, analytic) = f(theta)?;
    let loss = |t: &[f64]| f(&Vector2::from_column_slice(t)).map(|(loss, _)| loss);
    check::gradient_check(loss, analytic.as_slice(), theta.as_slice(), h)
}

/// One row of a descent's history: the parameters after `iteration` steps and their loss.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// How many steps have been taken (0 is the start).
    pub iteration: usize,
    /// The normal's mean.
    pub mu: f64,
    /// The normal's standard deviation.
    pub sigma: f64,
    /// The loss there (the KL in nats, or the original's scaled loss).
    pub loss: f64,
}

/// The settings of [`gradient_descent`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The step size η of `θ ← θ − η ∇loss(θ)`.
    pub learning_rate: f64,
    /// How many steps to take.
    pub iterations: usize,
}

/// The result of [`gradient_descent`]: the final θ and the history, one row per iteration.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// θ after the last step.
    pub theta: Vector2<f64>,
    /// `iterations + 1` rows: the start, then the state after each step.
    pub history: Vec<Step>,
}

/// The most iterations [`gradient_descent`] accepts: its history holds `iterations + 1` rows.
pub const MAX_ITERATIONS: usize = 10_000_000;

/// The most `iterations × points` ([`Objective::points`]) [`gradient_descent`] accepts: a few
/// seconds (measured on a 2-core EPYC, one evaluation costs 1.5 ns per grid point for
/// [`ForwardKl`](super::ForwardKl) and 12 ns for [`ReverseKl`](super::ReverseKl); chapter 04's
/// descent is 100 × 20 000 = 2·10⁶).
pub const MAX_WORK: u64 = 300_000_000;

/// Plain gradient descent with a fixed step: `θ ← θ − η ∇loss(θ)` (η = `learning_rate`), `iterations` times.
///
/// The history has one row per iteration, the start included: row k holds `(μ, σ)` after k
/// steps and the loss there, so `iterations` steps evaluate the objective `iterations + 1`
/// times.
///
/// This is the loop to change in the exercises (momentum, a decaying step, a stopping rule);
/// the problem does not need to know.
///
/// # Remarks
/// `learning_rate` must be positive and finite ([`Error::InvalidParameter`] named
/// `learning_rate`). An error from the objective (the original's variance stepping below 0,
/// say) stops the descent and is returned. More than [`MAX_ITERATIONS`] iterations, or more than
/// [`MAX_WORK`] `iterations × points`, is [`Error::TooLarge`] (`iterations`), checked before
/// anything is allocated.
///
/// ```
/// use kl::fit::{ForwardKl, Objective, Options, gradient_descent, normal_masses};
///
/// let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
/// let p = normal_masses(&x, 1.0, 0.5)?;
/// let problem = ForwardKl::new(&x, &p)?;
/// let options = Options { learning_rate: 0.1, iterations: 200 };
/// let fit = gradient_descent(&problem, &problem.theta(0.0, 1.0), &options)?;
/// assert_eq!(fit.history.len(), 201);
/// let (mu, sigma) = problem.normal(&fit.theta);
/// assert!((mu - 1.0).abs() < 1e-6 && (sigma - 0.5).abs() < 1e-6);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn gradient_descent<O>(objective: &O, start: &Vector2<f64>, options: &Options) -> Result<Fit>
where
    O: Objective + ?Sized,
{
    let Options {
        learning_rate,
        iterations,
    } = *options;
    if !(learning_rate > 0.0 && learning_rate.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "learning_rate",
            value: learning_rate,
            reason: "the learning rate must be positive and finite",
        });
    }
    if iterations > MAX_ITERATIONS {
        return Err(Error::TooLarge {
            name: "iterations",
            got: iterations as u64,
            limit: MAX_ITERATIONS as u64,
            reason: "the history would not fit in memory and the descent would not finish in reasonable time",
        });
    }
    crate::error::check_work(
        iterations,
        objective.points() as u64,
        MAX_WORK,
        "iterations × grid points above kl::fit::MAX_WORK: the descent would not finish in reasonable time",
    )?;
    let mut theta = *start;
    let mut history = Vec::with_capacity(iterations + 1);
    for iteration in 0..=iterations {
        let (loss, gradient) = objective.loss_and_gradient(&theta)?;
        let (mu, sigma) = objective.normal(&theta);
        history.push(Step {
            iteration,
            mu,
            sigma,
            loss,
        });
        if iteration < iterations {
            theta -= learning_rate * gradient;
        }
    }
    Ok(Fit { theta, history })
}
