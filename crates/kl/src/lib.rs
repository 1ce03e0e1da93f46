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
//! Modules:
//! - [`discrete`]: KL, cross-entropy, entropy and Jensen–Shannon on probability vectors.
//! - [`closed_form`]: KL between parametric families ([`KlDivergence`], [`kl_divergence`]), with a table of every pair.
//! - [`numeric`]: quadrature, the grid rule and Monte Carlo for continuous pairs.
//! - [`fit`]: hand-derived gradients of KL, gradient checks, gradient descent.
//! - [`estimate`]: KL from samples alone.
//! - [`models`]: count data against maximum-likelihood Poisson and (discretised) normal fits.
//! - [`mixture`]: 1-D Gaussian mixtures and EM, where ln p(x) = ELBO + KL(r ‖ posterior).
//! - [`tsne`]: t-SNE, an embedding that minimises KL(P‖Q) with a hand-derived gradient.
//! - [`error`]: the one [`Error`] enum.

pub mod closed_form;
pub mod discrete;
pub mod error;
pub mod estimate;
pub mod fit;
pub mod mixture;
pub mod models;
pub mod numeric;
pub mod tsne;

pub use closed_form::{KlDivergence, kl_divergence};
pub use error::{Error, Result};
