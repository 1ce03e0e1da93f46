//! # kl — the Kullback–Leibler divergence, computed right
//!
//! The library under the *kl-tutorial* book. All the mathematics lives here; there is no
//! plotting and no printing. Every result is in **nats** unless a name says otherwise.
//!
//! A short tour:
//!
//! ```
//! use kl::discrete;
//!
//! // Probability vectors: validated, zeros handled exactly, nats.
//! let p = [0.5, 0.5];
//! let q = [0.9, 0.1];
//! let kl = discrete::kl_divergence(&p, &q)?;               // 0.510826
//! let h_pq = discrete::cross_entropy(&p, &q)?;             // H(P, Q)
//! let h_p = discrete::entropy(&p)?;                        // H(P)
//! assert!((kl - (h_pq - h_p)).abs() < 1e-15);              // KL = H(P, Q) − H(P)
//! let js = discrete::js_divergence(&p, &q)?;               // symmetric, ≤ ln 2
//! assert!(js <= std::f64::consts::LN_2);
//! let bits = discrete::nats_to_bits(kl);                   // 0.736966 bits
//! assert!((bits - 0.7369655941662062).abs() < 1e-12);
//!
//! // Bad input is an error that says what and where, never a panic.
//! let err = discrete::kl_divergence(&[0.5, 0.6], &q).unwrap_err();
//! assert!(err.to_string().contains("sums to 1.1"));
//! # Ok::<(), kl::Error>(())
//! ```
//!
//! Continuous distributions (statrs types in, nats out), three independent routes that agree:
//!
//! ```
//! use kl::numeric;
//! use statrs::distribution::Normal;
//!
//! let p = Normal::new(0.0, 2.0)?;
//! let q = Normal::new(2.0, 2.0)?;
//! let exact = kl::kl_divergence(&p, &q);                   // closed form: 0.5
//! let quad = numeric::quadrature(&p, &q)?;                 // value ± error estimate
//! let grid = numeric::grid(&p, &q, -10.0..10.0, 0.001)?;   // the Riemann sum, with dx
//! assert!((exact - 0.5).abs() < 1e-15);
//! assert!((quad.value - exact).abs() <= quad.error.max(1e-12));
//! assert!((grid.value - exact).abs() <= grid.error);
//!
//! // Fitting by hand-derived gradients: loss and gradient together, checked numerically.
//! use kl::fit::{ForwardKl, Objective, gradient_check};
//! let x: Vec<f64> = (0..2000).map(|i| -10.0 + 0.01 * i as f64).collect();
//! let target = kl::fit::normal_masses(&x, 0.0, 2.0)?;
//! let forward = ForwardKl::new(&x, &target)?;
//! let theta = forward.theta(1.0, 1.0);                     // θ = (μ, ln σ)
//! let check = gradient_check(|t| forward.loss_and_gradient(t), &theta, 1e-5)?;
//! assert!(check.max_relative_error < 1e-6);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Modules:
//! - [`discrete`]: KL, cross-entropy, entropy and Jensen–Shannon on probability vectors, from
//!   log-probabilities and logits, row by row over 2-D arrays; the logit gradient of the loss.
//! - [`closed_form`]: KL between parametric families ([`KlDivergence`], [`kl_divergence`]), with a table of every pair.
//! - [`numeric`]: quadrature, the grid rule and Monte Carlo for continuous pairs (`numeric/quadrature.rs`, `grid.rs`, `monte_carlo.rs`).
//! - [`fit`]: hand-derived gradients of KL, gradient descent (`fit/descent.rs`: the loop to change).
//! - [`fit_grid`]: the exact forward-KL optimum over normals on a grid (grid moment matching).
//! - [`check`]: the one gradient check of every optimiser ([`check::GradientCheck`]).
//! - [`divergences`]: KL's family: Rényi, Hellinger, total variation, χ², f-divergences, mutual information.
//! - [`estimate`]: KL from samples alone, and k1/k2/k3 from log-densities.
//! - [`models`]: count data against maximum-likelihood Poisson and (discretised) normal fits.
//! - [`discretised`]: the folded, discretised normal fitted by maximum likelihood in its family.
//! - [`histogram`]: a sample binned as a density ([`histogram::density_bins`]).
//! - [`mixture`]: 1-D Gaussian mixtures and EM, where ln p(x) = ELBO + KL(r ‖ posterior); KL
//!   between two mixtures (1-D or multivariate): Monte Carlo, variational, bounds, quadrature.
//! - [`structured`]: multivariate normals with diagonal and low-rank-plus-diagonal covariance; the VAE's KL term.
//! - [`tsne`]: t-SNE, an embedding that minimises KL(P‖Q) with a hand-derived gradient.
//! - [`vae`]: a linear VAE on 2-D data, trained by hand gradients; the rate-distortion trade of β.
//! - [`error`]: the one [`Error`] enum, a variant per condition.
//!
//! The optimisers ([`fit`], [`tsne`], [`mixture::em`]) speak one vocabulary: an `Options`
//! (`iterations`, and `learning_rate` where there is a step), a `Fit` whose `history` is a
//! `Vec<Step>` indexed by `iteration`, and [`check::GradientCheck`] for the hand gradients.
//! The fast paths (branch-free `exp` and `ln`, compensated sums, one CPU-feature dispatch)
//! live in the private `simd` module.
//!
//! Which chapter (example) uses which module:
//!
//! | chapter | modules |
//! |---|---|
//! | 01 discrete KL | [`discrete`] |
//! | 02 normal pairs | [`closed_form`], [`numeric`] (`numeric/grid.rs`: the grid rule; `numeric/quadrature.rs`) |
//! | 03 asymmetry | [`closed_form`], [`numeric`] (`numeric/grid.rs`, `numeric/quadrature.rs`) |
//! | 04 minimisation | [`fit`] (`fit/descent.rs`, `fit/forward.rs`, `fit/original.rs`), [`fit_grid`], [`discrete`], [`check`] |
//! | 05 forward vs reverse | [`fit`] (`fit/forward.rs`, `fit/reverse.rs`), [`discrete`], [`check`] |
//! | 06 Poisson or normal | [`models`], [`discretised`], [`discrete`] |
//! | 07 from samples | [`estimate`] (`estimate/kd_tree.rs`: the neighbour search), [`closed_form`], [`numeric`] (`numeric/monte_carlo.rs`) |
//! | 08 Gaussian mixtures | [`mixture`] (`mixture/em.rs`, `mixture/divergence.rs`), [`numeric`], [`histogram`] |
//! | 09 t-SNE | [`tsne`] (`tsne/affinities.rs`, `tsne/gradient.rs`, `tsne/descent.rs`), [`check`] |
//! | 10 cross-entropy | [`discrete`] (`discrete/kernel.rs`: the log-space rules; `discrete/rows.rs`), [`check`] |
//! | 11 the VAE's KL term | [`structured`], [`vae`], [`check`] |
//! | 12 log-ratio estimators | [`estimate`], [`closed_form`] |
//! | 13 KL's family | [`divergences`], [`discrete`], [`closed_form`] |

#![warn(missing_docs)]

pub mod check;
pub mod closed_form;
pub mod discrete;
pub mod discretised;
pub mod divergences;
pub mod error;
pub mod estimate;
pub mod fit;
pub mod fit_grid;
pub mod histogram;
pub mod mixture;
pub mod models;
pub mod numeric;
mod simd;
pub mod structured;
#[cfg(test)]
mod testing;
pub mod tsne;
pub mod vae;

pub use closed_form::{KlDivergence, kl_divergence};
pub use error::{Error, Result};
