//! Fitting a normal to a target on a grid by minimising KL: loss-and-gradient functions with
//! hand-derived gradients, a gradient check against central differences, and plain gradient
//! descent.
//!
//! The design follows argmin: the *problem* (a loss and its gradient, computed together) is
//! separate from the *solver* (the loop). A problem is anything that implements [`Objective`];
//! [`gradient_descent`] is the loop, a few lines a student can change; [`gradient_check`]
//! compares any loss-and-gradient function with central differences. A caller that only reads
//! the loss calls [`Objective::loss`], which computes no gradient.
//!
//! | file | what |
//! |---|---|
//! | `fit/descent.rs` | [`Objective`], [`gradient_descent`] (the loop to change), [`gradient_check`] |
//! | `fit/forward.rs` | [`ForwardKl`], [`moment_match`] |
//! | `fit/reverse.rs` | [`ReverseKl`] |
//! | `fit/original.rs` | [`OriginalForwardKl`]: the original tutorial's setup |
//! | `fit/pass.rs` | the fused pass over the grid, [`normal_masses`], the input rules |
//!
//! | problem | loss | parameters θ | target |
//! |---|---|---|---|
//! | [`ForwardKl`] | `KL(p‖q_θ)` in nats | `(μ, ln σ)` | masses summing to 1 |
//! | [`ReverseKl`] | `KL(q_θ‖p)` in nats | `(μ, ln σ)` | masses summing to 1, all > 0 |
//! | [`OriginalForwardKl`] | the original tutorial's loss, `≈ 1000 KL + 6908` | `(μ, σ²)` | unnormalised pdf values |
//!
//! # The model, and the one rule behind every gradient
//!
//! The gradients are derived by hand, once, here and in the docs of each problem (the book's
//! appendix "Gradients, step by step" includes the same text, from `crates/kl/doc/`).
//!
#![doc = include_str!("../../doc/fit_model.md")]
//!
//! See [`ForwardKl`] (a difference of moments), [`ReverseKl`] (a covariance) and
//! [`OriginalForwardKl`] (the original tutorial's scaled loss over the variance) for the rest,
//! and [`gradient_check`] for how each one is checked.
//!
//! # Why θ = (μ, ln σ) and a normalised target
//!
//! The original tutorial steps on the variance itself and feeds pdf values (which sum to
//! `1/dx ≈ 1000` on its grid) as `p`. Its loss is then `P·KL + P ln P` with `P ≈ 1000`, so its
//! printed "KL" is ≈ 6908 even at the optimum, its gradients are 1000 times the KL's and its
//! learning rate 0.001 is really a step of ≈ 1; and nothing keeps the variance positive. Here
//! the loss is the KL in nats, and a step on `ln σ` can never make σ ≤ 0.
//!
//! ```
//! use kl::fit::{ForwardKl, Objective, Options, gradient_descent, normal_masses};
//!
//! // Target: N(0, 2) on a grid, as masses that sum to 1.
//! let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
//! let p = normal_masses(&x, 0.0, 2.0)?;
//! let problem = ForwardKl::new(&x, &p)?;
//! let options = Options { learning_rate: 0.1, iterations: 100 };
//! let fit = gradient_descent(&problem, &problem.theta(0.0, 1.0), &options)?;
//! let last = fit.history.last().unwrap();
//! // σ converges fast; μ (already at 0, up to the grid's asymmetry) stays within 1e-8 of it.
//! assert!(last.mu.abs() < 1e-8 && (last.sigma - 2.0).abs() < 1e-9);
//! # Ok::<(), kl::Error>(())
//! ```

mod descent;
mod forward;
mod original;
mod pass;
mod reverse;

pub use self::descent::{
    Fit, MAX_ITERATIONS, MAX_WORK, Objective, Options, Step, gradient_check, gradient_descent,
};
pub use self::forward::{ForwardKl, moment_match};
pub use self::original::OriginalForwardKl;
pub use self::pass::{MAX_COORDINATE, normal_masses};
pub use self::reverse::ReverseKl;
pub use crate::check::GradientCheck;
