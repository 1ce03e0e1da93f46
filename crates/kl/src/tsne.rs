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
#![doc = include_str!("../doc/tsne_gradient.md")]
//!
//! [`gradient_check`] compares it with central differences of the cost.
//!
//! # The optimiser ([`tsne`])
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
//! use kl::tsne::{joint_probabilities, tsne, TsneOptions};
//!
//! // Two tight groups of three points on a line.
//! let points = vec![
//!     vec![0.0], vec![0.1], vec![0.2],
//!     vec![10.0], vec![10.1], vec![10.2],
//! ];
//! let p = joint_probabilities(&points, 2.0)?;
//! let initial: Vec<[f64; 2]> = (0..6).map(|i| [1e-3 * i as f64, 1e-3 * (i % 2) as f64]).collect();
//! let options = TsneOptions { iterations: 300, learning_rate: 10.0, ..TsneOptions::default() };
//! let fit = tsne(&p, &initial, &options)?;
//! let first = fit.history.first().unwrap().kl;
//! let last = fit.history.last().unwrap().kl;
//! assert!(last < first);
//! # Ok::<(), kl::Error>(())
//! ```

use crate::error::{Error, Result};

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

/// Checks the points: at least three, all of one dimension ≥ 1, all finite.
fn validate_points(points: &[Vec<f64>]) -> Result<usize> {
    if points.len() < 3 {
        return Err(Error::TooFewSamples {
            name: "points",
            got: points.len(),
            needed: 3,
        });
    }
    let dim = points[0].len();
    if dim == 0 {
        return Err(Error::Empty { name: "points[0]" });
    }
    for (i, x) in points.iter().enumerate() {
        if x.len() != dim {
            return Err(Error::DimensionMismatch {
                name: "points",
                expected: dim,
                got: x.len(),
            });
        }
        if let Some((k, &v)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::NotFinite {
                name: "points",
                index: i * dim + k,
                value: v,
            });
        }
    }
    Ok(dim)
}

/// Checks `1 < perplexity < n − 1`: a point has `n − 1` possible neighbours, and the perplexity
/// (an effective number of neighbours) reaches `n − 1` only with an infinitely wide kernel.
fn validate_perplexity(perplexity: f64, n: usize) -> Result<()> {
    if !perplexity.is_finite() || perplexity <= 1.0 {
        return Err(Error::InvalidParameter {
            name: "perplexity",
            value: perplexity,
            reason: "the perplexity is an effective number of neighbours and must be finite and greater than 1",
        });
    }
    if perplexity >= (n - 1) as f64 {
        return Err(Error::InvalidParameter {
            name: "perplexity",
            value: perplexity,
            reason: "the perplexity must be smaller than n − 1, the number of other points; use fewer neighbours or more points",
        });
    }
    Ok(())
}

/// Squared Euclidean distances `‖xᵢ − xⱼ‖²`, row-major `n × n`.
fn squared_distances(points: &[Vec<f64>]) -> Vec<f64> {
    let n = points.len();
    let mut d2 = vec![0.0; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let s: f64 = points[i]
                .iter()
                .zip(&points[j])
                .map(|(a, b)| (a - b) * (a - b))
                .sum();
            d2[i * n + j] = s;
            d2[j * n + i] = s;
        }
    }
    d2
}

/// For one point: fills `row[j] = p_{j|i}` for precision `beta` (with `row[i] = 0`) and returns
/// the entropy in nats. Distances are shifted by their minimum so the largest exponential is 1.
fn conditional_row(d2: &[f64], i: usize, beta: f64, row: &mut [f64]) -> f64 {
    let d_min = d2
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != i)
        .map(|(_, &d)| d)
        .fold(f64::INFINITY, f64::min);
    let mut sum = 0.0;
    let mut weighted = 0.0;
    for (j, (&d, r)) in d2.iter().zip(row.iter_mut()).enumerate() {
        if j == i {
            *r = 0.0;
            continue;
        }
        let shifted = d - d_min;
        let e = (-beta * shifted).exp();
        *r = e;
        sum += e;
        weighted += e * shifted;
    }
    for r in row.iter_mut() {
        *r /= sum;
    }
    // H = −Σ p ln p with ln p_j = −β(d_j − d_min) − ln S:  H = ln S + β Σ p_j (d_j − d_min).
    sum.ln() + beta * weighted / sum
}

/// Calibrates one point's precision `β` by bisection so that the entropy of `p_{·|i}` is
/// `ln(perplexity)`, writing the conditional distribution into `row`.
///
/// `H(β)` decreases from `ln(n − 1)` at `β = 0` towards `ln(number of nearest ties)` as
/// `β → ∞`. Starting at `β = 1`, the bracket doubles until the target is enclosed, then halves
/// (geometric mean once both ends are positive, so scales from 1e-300 to 1e300 are reached).
fn calibrate_row(d2: &[f64], i: usize, perplexity: f64, row: &mut [f64]) -> Result<Calibration> {
    let target = perplexity.ln();
    let (mut lo, mut hi) = (0.0_f64, f64::INFINITY);
    let mut beta = 1.0;
    for step in 1..=MAX_BISECTION_STEPS {
        let h = conditional_row(d2, i, beta, row);
        if (h - target).abs() <= ENTROPY_TOLERANCE {
            return Ok(Calibration {
                beta,
                entropy: h,
                steps: step,
            });
        }
        if h > target {
            // Too many effective neighbours: narrow the kernel.
            lo = beta;
            beta = if hi.is_finite() {
                (lo * hi).sqrt()
            } else {
                beta * 2.0
            };
        } else {
            hi = beta;
            beta = if lo > 0.0 {
                (lo * hi).sqrt()
            } else {
                beta / 2.0
            };
        }
        if !beta.is_finite() || beta == 0.0 {
            break;
        }
    }
    Err(Error::Unsupported(format!(
        "could not calibrate point {i} to perplexity {perplexity}: the entropy of its neighbour \
         distribution cannot reach ln(perplexity) (duplicate points or a perplexity below the \
         number of equally near neighbours?)"
    )))
}

/// The conditional neighbour distributions `p_{j|i}` (row `i`, row-major `n × n`, zero
/// diagonal), each calibrated to the same perplexity, with the calibration of every point.
///
/// ```text
/// p_{j|i} = exp(−βᵢ ‖xᵢ − xⱼ‖²) / Σ_{k≠i} exp(−βᵢ ‖xᵢ − xₖ‖²),   −Σⱼ p_{j|i} ln p_{j|i} = ln Perp
/// ```
///
/// # Remarks
/// - `points`: `n ≥ 3` points of one dimension; entropy in nats, so `Perp = e^H`.
/// - Each row's entropy is within [`ENTROPY_TOLERANCE`] of `ln(perplexity)`.
/// - Errors: fewer than 3 points ([`Error::TooFewSamples`]), points of different dimensions
///   ([`Error::DimensionMismatch`]), NaN or ±∞ ([`Error::NotFinite`], index `i·dim + k`), a
///   perplexity not in `(1, n − 1)` ([`Error::InvalidParameter`]), a point whose entropy cannot
///   reach the target, e.g. among duplicates ([`Error::Unsupported`]).
///
/// ```
/// let points = vec![vec![0.0], vec![1.0], vec![3.0], vec![7.0]];
/// let (p, calibrations) = kl::tsne::conditional_probabilities(&points, 2.0)?;
/// let row0 = &p[0..4];
/// let entropy: f64 = row0.iter().filter(|&&v| v > 0.0).map(|v| -v * v.ln()).sum();
/// assert!((entropy - 2.0_f64.ln()).abs() < 1e-9);
/// assert!((row0.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// assert!(calibrations[0].beta > 0.0);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn conditional_probabilities(
    points: &[Vec<f64>],
    perplexity: f64,
) -> Result<(Vec<f64>, Vec<Calibration>)> {
    validate_points(points)?;
    let n = points.len();
    validate_perplexity(perplexity, n)?;
    let d2 = squared_distances(points);
    let mut p = vec![0.0; n * n];
    let mut calibrations = Vec::with_capacity(n);
    for i in 0..n {
        let c = calibrate_row(
            &d2[i * n..(i + 1) * n],
            i,
            perplexity,
            &mut p[i * n..(i + 1) * n],
        )?;
        calibrations.push(c);
    }
    Ok((p, calibrations))
}

/// The symmetrised joint probabilities of t-SNE,
///
/// ```text
/// p_ij = (p_{j|i} + p_{i|j}) / (2n),   p_ii = 0,   Σ_{i≠j} p_ij = 1
/// ```
///
/// from [`conditional_probabilities`] at the given perplexity. Same errors as there.
///
/// ```
/// let points = vec![vec![0.0, 0.0], vec![1.0, 0.0], vec![0.0, 2.0], vec![5.0, 5.0]];
/// let p = kl::tsne::joint_probabilities(&points, 1.5)?;
/// assert_eq!(p.get(0, 3), p.get(3, 0));
/// assert!((p.as_slice().iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn joint_probabilities(points: &[Vec<f64>], perplexity: f64) -> Result<JointProbabilities> {
    let (conditional, calibrations) = conditional_probabilities(points, perplexity)?;
    let n = points.len();
    let mut p = vec![0.0; n * n];
    let scale = 1.0 / (2.0 * n as f64);
    for i in 0..n {
        for j in (i + 1)..n {
            let v = (conditional[i * n + j] + conditional[j * n + i]) * scale;
            p[i * n + j] = v;
            p[j * n + i] = v;
        }
    }
    Ok(JointProbabilities { n, p, calibrations })
}

fn validate_embedding(p: &JointProbabilities, y: &[Point2], name: &'static str) -> Result<()> {
    if y.len() != p.n {
        return Err(Error::DimensionMismatch {
            name,
            expected: p.n,
            got: y.len(),
        });
    }
    for (i, point) in y.iter().enumerate() {
        for (k, &v) in point.iter().enumerate() {
            if !v.is_finite() {
                return Err(Error::NotFinite {
                    name,
                    index: 2 * i + k,
                    value: v,
                });
            }
            if v.abs() > crate::fit::MAX_COORDINATE {
                return Err(Error::InvalidParameter {
                    name,
                    value: v,
                    reason: "embedding coordinates must lie within ±2^500 (3.3e150): beyond, squared distances overflow and every kernel value is 0",
                });
            }
        }
    }
    Ok(())
}

/// The core: writes the (exaggerated) gradient into `grad` and returns `KL(P‖Q)` if `with_cost`
/// (else NaN). `w` is scratch of length `n²` (upper triangle used). Fixed summation order.
fn cost_gradient_into(
    p: &JointProbabilities,
    y: &[Point2],
    exaggeration: f64,
    with_cost: bool,
    w: &mut [f64],
    grad: &mut [Point2],
) -> f64 {
    let n = p.n;
    // Pass 1: the kernel w_ij for i < j, and Z = Σ_{i≠j} w_ij = 2 Σ_{i<j} w_ij.
    let mut half_z = 0.0;
    for i in 0..n {
        for j in (i + 1)..n {
            let dx = y[i][0] - y[j][0];
            let dy = y[i][1] - y[j][1];
            let wij = 1.0 / (1.0 + dx * dx + dy * dy);
            w[i * n + j] = wij;
            half_z += wij;
        }
    }
    let z = 2.0 * half_z;
    let ln_z = z.ln();
    // Pass 2: forces. The pair (i, j) adds c (yᵢ − yⱼ) to gᵢ and its negative to gⱼ.
    for g in grad.iter_mut() {
        *g = [0.0, 0.0];
    }
    let mut half_cost = 0.0;
    for i in 0..n {
        for j in (i + 1)..n {
            let wij = w[i * n + j];
            let pij = p.p[i * n + j];
            let c = (exaggeration * pij - wij / z) * wij;
            let dx = y[i][0] - y[j][0];
            let dy = y[i][1] - y[j][1];
            grad[i][0] += c * dx;
            grad[i][1] += c * dy;
            grad[j][0] -= c * dx;
            grad[j][1] -= c * dy;
            if with_cost && pij > 0.0 {
                // p ln(p/q) with ln q = ln w − ln Z; ln w = −ln(1 + d²) never underflows.
                half_cost += pij * (pij.ln() - wij.ln() + ln_z);
            }
        }
    }
    for g in grad.iter_mut() {
        g[0] *= 4.0;
        g[1] *= 4.0;
    }
    if with_cost { 2.0 * half_cost } else { f64::NAN }
}

/// The t-SNE cost `KL(P‖Q)` in nats and its gradient with respect to every `yᵢ`, together:
///
/// ```text
/// C      = Σ_{i≠j} p_ij ln(p_ij / q_ij),     q_ij = (1 + ‖yᵢ − yⱼ‖²)⁻¹ / Σ_{k≠l} (1 + ‖y_k − y_l‖²)⁻¹
/// ∂C/∂yᵢ = 4 Σⱼ (p_ij − q_ij) (yᵢ − yⱼ) (1 + ‖yᵢ − yⱼ‖²)⁻¹
/// ```
///
/// (derived step by step in the [module docs](self)). Terms with `p_ij = 0` contribute 0.
///
/// # Remarks
/// - Errors: `y.len() != n` ([`Error::DimensionMismatch`]), NaN or ±∞ in `y`
///   ([`Error::NotFinite`], index `2i + k`), a coordinate beyond
///   [`MAX_COORDINATE`](crate::fit::MAX_COORDINATE) ([`Error::InvalidParameter`]).
/// - Coincident embedding points are fine (`w_ij = 1`); the cost is finite for any accepted `y`.
///
/// ```
/// use kl::tsne::{cost_and_gradient, JointProbabilities};
///
/// // Three points, P uniform over the pairs; Q is uniform too when the points form an
/// // equilateral triangle, so the cost and the gradient vanish there.
/// let p = JointProbabilities::from_matrix(3, vec![
///     0.0, 1.0 / 6.0, 1.0 / 6.0,
///     1.0 / 6.0, 0.0, 1.0 / 6.0,
///     1.0 / 6.0, 1.0 / 6.0, 0.0,
/// ])?;
/// let y = [[0.0, 0.0], [1.0, 0.0], [0.5, 3f64.sqrt() / 2.0]];
/// let (cost, grad) = cost_and_gradient(&p, &y)?;
/// assert!(cost.abs() < 1e-15);
/// assert!(grad.iter().all(|g| g[0].abs() < 1e-15 && g[1].abs() < 1e-15));
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cost_and_gradient(p: &JointProbabilities, y: &[Point2]) -> Result<(f64, Vec<Point2>)> {
    validate_embedding(p, y, "y")?;
    let mut w = vec![0.0; p.n * p.n];
    let mut grad = vec![[0.0, 0.0]; p.n];
    let cost = cost_gradient_into(p, y, 1.0, true, &mut w, &mut grad);
    Ok((cost, grad))
}

/// The t-SNE cost `KL(P‖Q)` alone, in nats (see [`cost_and_gradient`]).
///
/// ```
/// use kl::tsne::{cost, JointProbabilities};
/// let p = JointProbabilities::from_matrix(3, vec![0.0, 0.5, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0])?;
/// // All points together: Q is uniform over 6 ordered pairs, P puts 1/2 on (0,1) and (1,0).
/// let c = cost(&p, &[[0.0, 0.0]; 3])?;
/// assert!((c - 3f64.ln()).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cost(p: &JointProbabilities, y: &[Point2]) -> Result<f64> {
    cost_and_gradient(p, y).map(|(c, _)| c)
}

/// The result of comparing the hand gradient with central differences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradientCheck {
    /// `max_k |g_k − fd_k|` over all `2n` coordinates.
    pub max_abs_error: f64,
    /// `max_k |g_k − fd_k| / max_k |fd_k|`: the error relative to the gradient's size (a
    /// per-coordinate ratio would blow up on coordinates whose derivative is near 0).
    pub relative_error: f64,
}

/// Compares [`cost_and_gradient`]'s hand gradient with central differences of the cost,
///
/// ```text
/// fd_k = (C(y + h e_k) − C(y − h e_k)) / (2h)
/// ```
///
/// whose truncation error is `O(h²)` and rounding error `O(ε C / h)`; `h = 1e-5` balances the
/// two near 1e-10 for coordinates of order 1.
///
/// Errors: as [`cost_and_gradient`], and `h` not finite and positive.
///
/// ```
/// use kl::tsne::{gradient_check, joint_probabilities};
/// let points = vec![vec![0.0], vec![1.0], vec![3.0], vec![7.0]];
/// let p = joint_probabilities(&points, 2.0)?;
/// let y = [[0.3, -0.1], [0.0, 0.5], [-0.4, 0.2], [0.8, 0.9]];
/// let check = gradient_check(&p, &y, 1e-5)?;
/// assert!(check.relative_error < 1e-7);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn gradient_check(p: &JointProbabilities, y: &[Point2], h: f64) -> Result<GradientCheck> {
    if !h.is_finite() || h <= 0.0 {
        return Err(Error::InvalidParameter {
            name: "h",
            value: h,
            reason: "the finite-difference step must be finite and positive",
        });
    }
    let (_, grad) = cost_and_gradient(p, y)?;
    let mut shifted = y.to_vec();
    let mut max_abs_error: f64 = 0.0;
    let mut max_fd: f64 = 0.0;
    for i in 0..y.len() {
        for k in 0..2 {
            shifted[i][k] = y[i][k] + h;
            let up = cost(p, &shifted)?;
            shifted[i][k] = y[i][k] - h;
            let down = cost(p, &shifted)?;
            shifted[i][k] = y[i][k];
            let fd = (up - down) / (2.0 * h);
            max_abs_error = max_abs_error.max((grad[i][k] - fd).abs());
            max_fd = max_fd.max(fd.abs());
        }
    }
    Ok(GradientCheck {
        max_abs_error,
        relative_error: if max_fd > 0.0 {
            max_abs_error / max_fd
        } else {
            max_abs_error
        },
    })
}

/// The optimiser's settings. The defaults are those of van der Maaten's reference code.
#[derive(Debug, Clone, PartialEq)]
pub struct TsneOptions {
    /// Number of gradient steps (default 1000).
    pub iterations: usize,
    /// Step size η (default 200, as in van der Maaten's code). On small data sets
    /// `η = n / exaggeration` (Belkina et al., 2019) is steadier: gradient descent oscillates
    /// once η times the cost's curvature (which grows with the exaggeration and with `1/n`)
    /// passes about 2, and the cost then jumps when the exaggeration ends.
    pub learning_rate: f64,
    /// Factor α multiplying `P` early on (default 12).
    pub exaggeration: f64,
    /// Iterations with exaggeration (default 250).
    pub exaggeration_iterations: usize,
    /// Momentum before `momentum_switch` (default 0.5).
    pub initial_momentum: f64,
    /// Momentum from `momentum_switch` on (default 0.8).
    pub final_momentum: f64,
    /// The iteration at which momentum switches (default 250).
    pub momentum_switch: usize,
    /// Per-coordinate adaptive gains (default `true`): `+0.2` while the descent direction `−g`
    /// agrees in sign with the last step, `×0.8` when it disagrees, never below 0.01.
    pub gains: bool,
    /// Record `KL(P‖Q)` every this many iterations (default 10; the last iteration is always
    /// recorded). Computing the cost costs `n²/2` logarithms.
    pub record_every: usize,
}

impl Default for TsneOptions {
    fn default() -> Self {
        TsneOptions {
            iterations: 1000,
            learning_rate: 200.0,
            exaggeration: 12.0,
            exaggeration_iterations: 250,
            initial_momentum: 0.5,
            final_momentum: 0.8,
            momentum_switch: 250,
            gains: true,
            record_every: 10,
        }
    }
}

/// One recorded point of the optimisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TsneStep {
    /// Iteration index (0 = the initial embedding).
    pub iteration: usize,
    /// `KL(P‖Q)` at the embedding before this iteration's step, in nats (never exaggerated).
    pub kl: f64,
    /// Euclidean norm of the (possibly exaggerated) step direction, over all `2n` coordinates.
    pub gradient_norm: f64,
}

/// What [`tsne`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct TsneFit {
    /// The final embedding, centred at the origin.
    pub embedding: Vec<Point2>,
    /// `KL(P‖Q)` every `record_every` iterations, and at the final embedding.
    pub history: Vec<TsneStep>,
}

/// The most iterations [`tsne`] accepts (each costs `n²` kernel evaluations).
pub const MAX_ITERATIONS: usize = 1_000_000;

/// Runs t-SNE's gradient descent from `initial`:
///
/// ```text
/// gᵢ   = 4 Σⱼ (α p_ij − q_ij) (yᵢ − yⱼ) (1 + ‖yᵢ − yⱼ‖²)⁻¹     (α = exaggeration early, then 1)
/// vᵢ  ← μ vᵢ − η gainᵢ ⊙ gᵢ
/// yᵢ  ← yᵢ + vᵢ,   then every point is shifted so the embedding's mean is 0
/// ```
///
/// # Remarks
/// - Deterministic: no randomness inside (pass a seeded `initial`, conventionally
///   `N(0, 1e-4²)` per coordinate), fixed summation order, no threads.
/// - Allocates once, before the loop.
/// - Errors: `initial.len() != n`, NaN or ±∞ in `initial`, a learning rate or exaggeration
///   not finite and positive, momenta outside `[0, 1)`, `record_every = 0`, more than
///   [`MAX_ITERATIONS`] iterations ([`Error::TooLarge`]).
///
/// See the [module docs](self) for an example.
pub fn tsne(p: &JointProbabilities, initial: &[Point2], options: &TsneOptions) -> Result<TsneFit> {
    validate_embedding(p, initial, "initial")?;
    for (name, value) in [
        ("learning_rate", options.learning_rate),
        ("exaggeration", options.exaggeration),
    ] {
        if !value.is_finite() || value <= 0.0 {
            return Err(Error::InvalidParameter {
                name,
                value,
                reason: "must be finite and positive",
            });
        }
    }
    for (name, value) in [
        ("initial_momentum", options.initial_momentum),
        ("final_momentum", options.final_momentum),
    ] {
        if !(0.0..1.0).contains(&value) {
            return Err(Error::InvalidParameter {
                name,
                value,
                reason: "momentum must lie in [0, 1)",
            });
        }
    }
    if options.record_every == 0 {
        return Err(Error::InvalidParameter {
            name: "record_every",
            value: 0.0,
            reason: "must be at least 1",
        });
    }
    if options.iterations > MAX_ITERATIONS {
        return Err(Error::TooLarge {
            name: "iterations",
            got: options.iterations as u64,
            limit: MAX_ITERATIONS as u64,
            reason: "t-SNE settles within a few thousand iterations; more would not finish in reasonable time",
        });
    }
    let n = p.n;
    let mut y = initial.to_vec();
    let mut velocity = vec![[0.0, 0.0]; n];
    let mut gains = vec![[1.0, 1.0]; n];
    let mut grad = vec![[0.0, 0.0]; n];
    let mut w = vec![0.0; n * n];
    let mut history = Vec::with_capacity(options.iterations / options.record_every + 2);
    for iteration in 0..options.iterations {
        let alpha = if iteration < options.exaggeration_iterations {
            options.exaggeration
        } else {
            1.0
        };
        let momentum = if iteration < options.momentum_switch {
            options.initial_momentum
        } else {
            options.final_momentum
        };
        let record = iteration % options.record_every == 0;
        let kl = if record && alpha != 1.0 {
            // The recorded cost is the true KL(P‖Q), not the exaggerated objective.
            let kl = cost_gradient_into(p, &y, 1.0, true, &mut w, &mut grad);
            cost_gradient_into(p, &y, alpha, false, &mut w, &mut grad);
            kl
        } else {
            cost_gradient_into(p, &y, alpha, record, &mut w, &mut grad)
        };
        if record {
            history.push(TsneStep {
                iteration,
                kl,
                gradient_norm: norm(&grad),
            });
        }
        for i in 0..n {
            for k in 0..2 {
                if options.gains && velocity[i][k] != 0.0 {
                    // The step direction is −g; the last step was `velocity` (none yet on the
                    // first iteration, where the gains stay at 1).
                    let same_direction = (grad[i][k] > 0.0) == (velocity[i][k] > 0.0);
                    gains[i][k] = if same_direction {
                        (gains[i][k] * 0.8_f64).max(0.01)
                    } else {
                        gains[i][k] + 0.2
                    };
                }
                velocity[i][k] =
                    momentum * velocity[i][k] - options.learning_rate * gains[i][k] * grad[i][k];
                y[i][k] += velocity[i][k];
            }
        }
        center(&mut y);
    }
    let kl = cost_gradient_into(p, &y, 1.0, true, &mut w, &mut grad);
    history.push(TsneStep {
        iteration: options.iterations,
        kl,
        gradient_norm: norm(&grad),
    });
    Ok(TsneFit {
        embedding: y,
        history,
    })
}

fn norm(g: &[Point2]) -> f64 {
    g.iter()
        .map(|v| v[0] * v[0] + v[1] * v[1])
        .sum::<f64>()
        .sqrt()
}

fn center(y: &mut [Point2]) {
    let n = y.len() as f64;
    let mut mean = [0.0, 0.0];
    for v in y.iter() {
        mean[0] += v[0];
        mean[1] += v[1];
    }
    mean[0] /= n;
    mean[1] /= n;
    for v in y.iter_mut() {
        v[0] -= mean[0];
        v[1] -= mean[1];
    }
}
