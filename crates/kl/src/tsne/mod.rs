//! t-SNE: an embedding found by minimising a KL divergence, with its gradient derived by hand.
//!
//! t-distributed stochastic neighbour embedding (van der Maaten and Hinton, 2008) places `n`
//! high-dimensional points `x₁ … xₙ` in the plane as `y₁ … yₙ` so that who-is-near-whom is
//! kept. It turns both sets of points into probability distributions over *pairs* and moves the
//! `yᵢ` to make the plane's distribution `Q` match the data's `P` in KL divergence. Every
//! quantity is in **nats**.
//!
//! # The pieces, in the order they are computed
//!
//! 1. **Conditional neighbour probabilities** ([`conditional_probabilities`]). Point `i` picks a
//!    neighbour `j ≠ i` with a Gaussian kernel of its own precision `βᵢ = 1/(2σᵢ²)`:
//!
//!    ```text
//!    p_{j|i} = exp(−βᵢ ‖xᵢ − xⱼ‖²) / Σ_{k≠i} exp(−βᵢ ‖xᵢ − xₖ‖²)
//!    ```
//!
//!    `βᵢ` is calibrated by bisection so that the entropy of `p_{·|i}` equals `ln(Perp)`:
//!    `Hᵢ = −Σⱼ p_{j|i} ln p_{j|i} = ln Perp`. The perplexity `Perp = e^H` is an effective
//!    number of neighbours, the same for every point: points in dense regions get a narrow
//!    kernel, isolated points a wide one.
//!
//! 2. **Symmetrised joint probabilities** ([`joint_probabilities`]):
//!
//!    ```text
//!    p_ij = (p_{j|i} + p_{i|j}) / (2n),      p_ii = 0,   Σ_{i≠j} p_ij = 1
//!    ```
//!
//! 3. **The Student-t similarities of the embedding**, with one degree of freedom (a Cauchy
//!    kernel, heavy-tailed so moderately distant points can be placed far apart):
//!
//!    ```text
//!    w_ij = (1 + ‖yᵢ − yⱼ‖²)⁻¹,    Z = Σ_{k≠l} w_kl,    q_ij = w_ij / Z
//!    ```
//!
//! 4. **The cost** ([`cost_and_gradient`]), `C = KL(P‖Q) = Σ_{i≠j} p_ij ln(p_ij / q_ij)`, with
//!    `p_ij = 0` contributing 0 as in [`crate::discrete::kl_divergence`].
//!
//! # The gradient, step by step
//!
//! Derived by hand, once, here (the book's appendix "Gradients, step by step" includes the
//! same text, from `crates/kl/doc/`):
//!
#![doc = include_str!("../../doc/tsne_gradient.md")]
//!
//! [`gradient_check`] compares it with central differences of the cost.
//!
//! # The optimiser ([`run`])
//!
//! Gradient descent with momentum, the schedule of the original paper and its reference code:
//! for the first iterations `P` is multiplied by an *early exaggeration* factor (12), which
//! makes the attractive terms dominate so that clusters form tight and far apart before they
//! settle; momentum is 0.5 then 0.8; per-coordinate *gains* grow by 0.2 while the gradient keeps
//! its sign and shrink by ×0.8 when it flips. During exaggeration the step follows
//! `4 Σⱼ (α p_ij − q_ij) w_ij (yᵢ − yⱼ)`, the gradient of `−α Σ p_kl ln w_kl + ln Z` (the
//! derivation above with the first term scaled by α), not of a KL divergence: a heuristic. The
//! recorded cost is always the true `KL(P‖Q)`.
//!
//! Everything is exact and `O(n²)` per iteration (no Barnes–Hut), allocation-free inside the
//! loop, and summed in a fixed order: the same input gives the same bits.
//!
//! ```
//! use kl::tsne::{Options, joint_probabilities, run};
//!
//! // Two tight groups of three points on a line.
//! let points = vec![
//!     vec![0.0], vec![0.1], vec![0.2],
//!     vec![10.0], vec![10.1], vec![10.2],
//! ];
//! let p = joint_probabilities(&points, 2.0)?;
//! let initial: Vec<[f64; 2]> = (0..6).map(|i| [1e-3 * i as f64, 1e-3 * (i % 2) as f64]).collect();
//! let options = Options { iterations: 300, learning_rate: 10.0, ..Options::default() };
//! let fit = run(&p, &initial, &options)?;
//! let first = fit.history.first().unwrap().kl;
//! let last = fit.history.last().unwrap().kl;
//! assert!(last < first);
//! # Ok::<(), kl::Error>(())
//! ```
//!
//! | file | what |
//! |---|---|
//! | `tsne/affinities.rs` | [`conditional_probabilities`], [`joint_probabilities`]: P, calibrated to a perplexity |
//! | `tsne/gradient.rs` | [`cost`], [`cost_and_gradient`], [`gradient_check`] |
//! | `tsne/descent.rs` | [`run`] with its [`Options`], returning a [`Fit`] with a history of [`Step`]s |

use crate::error::{Error, Result};

mod affinities;
mod descent;
mod gradient;

pub use self::affinities::{conditional_probabilities, joint_probabilities};
pub use self::descent::{Fit, MAX_ITERATIONS, MAX_WORK, Options, Step, run};
pub use self::gradient::{cost, cost_and_gradient, gradient_check};
pub use crate::check::GradientCheck;

/// A point of the two-dimensional embedding.
pub type Point2 = [f64; 2];

/// Largest number of bisection steps on one point's precision `β`.
const MAX_BISECTION_STEPS: usize = 200;

/// How close the entropy of a calibrated conditional distribution gets to `ln Perp`, in nats.
pub const ENTROPY_TOLERANCE: f64 = 1e-10;

/// The result of calibrating one point's Gaussian kernel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    /// The precision `β = 1/(2σ²)` that was found.
    pub beta: f64,
    /// The entropy `H = −Σⱼ p_{j|i} ln p_{j|i}` it gives, in nats.
    pub entropy: f64,
    /// Bisection steps taken.
    pub steps: usize,
}

/// The symmetrised joint probabilities `p_ij` of t-SNE: an `n × n` symmetric matrix with zero
/// diagonal whose entries sum to 1, stored row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct JointProbabilities {
    n: usize,
    p: Vec<f64>,
    calibrations: Vec<Calibration>,
}

impl JointProbabilities {
    /// Number of points `n`.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always `false`: a [`JointProbabilities`] has at least three points.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// `p_ij`; 0 for a pair outside the matrix (`i ≥ n` or `j ≥ n`: no such points, no mass).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        if i >= self.n || j >= self.n {
            return 0.0;
        }
        self.p[i * self.n + j]
    }

    /// The whole matrix, row-major (`p_ij` at `i * n + j`).
    pub fn as_slice(&self) -> &[f64] {
        &self.p
    }

    /// The per-point calibration of the kernel precision (one entry per point).
    pub fn calibrations(&self) -> &[Calibration] {
        &self.calibrations
    }

    /// Builds joint probabilities from a matrix given directly (row-major `n × n`), after
    /// checking that it is one: finite, non-negative, zero diagonal, symmetric to 1e-12, sum 1
    /// to 1e-9. Useful for tests and for a `P` computed another way. The calibrations are empty.
    ///
    /// ```
    /// let p = kl::tsne::JointProbabilities::from_matrix(3, vec![
    ///     0.0, 0.25, 0.1,
    ///     0.25, 0.0, 0.15,
    ///     0.1, 0.15, 0.0,
    /// ])?;
    /// assert_eq!(p.get(1, 0), 0.25);
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn from_matrix(n: usize, p: Vec<f64>) -> Result<Self> {
        if n < 3 {
            return Err(Error::TooFewSamples {
                name: "p",
                got: n,
                needed: 3,
            });
        }
        if n.checked_mul(n) != Some(p.len()) {
            return Err(Error::DimensionMismatch {
                name: "p",
                expected: n.saturating_mul(n),
                got: p.len(),
            });
        }
        let mut sum = 0.0;
        for (k, &v) in p.iter().enumerate() {
            if !v.is_finite() {
                return Err(Error::NotFinite {
                    name: "p",
                    index: k,
                    value: v,
                });
            }
            if v < 0.0 {
                return Err(Error::Negative {
                    name: "p",
                    index: k,
                    value: v,
                });
            }
            sum += v;
        }
        for i in 0..n {
            if p[i * n + i] != 0.0 {
                return Err(Error::InvalidParameter {
                    name: "p",
                    value: p[i * n + i],
                    reason: "the diagonal p_ii must be 0 (a point is not its own neighbour)",
                });
            }
            for j in 0..i {
                if (p[i * n + j] - p[j * n + i]).abs() > 1e-12 {
                    return Err(Error::InvalidParameter {
                        name: "p",
                        value: p[i * n + j] - p[j * n + i],
                        reason: "p must be symmetric: p_ij − p_ji is this far from 0",
                    });
                }
            }
        }
        if (sum - 1.0).abs() > 1e-9 {
            return Err(Error::NotNormalized {
                name: "p",
                sum,
                tolerance: 1e-9,
            });
        }
        Ok(JointProbabilities {
            n,
            p,
            calibrations: Vec::new(),
        })
    }
}
