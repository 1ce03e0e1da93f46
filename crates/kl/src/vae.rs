//! A linear variational autoencoder on 2-D data with a 2-D latent space, trained by
//! hand-derived gradients: the smallest model where the VAE's KL term does what it does in a
//! large one (chapter 11).
//!
//! For a point `x ∈ ℝ²` the encoder gives `q(z|x) = N(A x + b, diag σ²)` (σ the standard
//! deviations, shared by all points, as in the linear VAE of Lucas et al., 2019); the decoder
//! reconstructs `x̂ = W z + c`, with unit noise `p(x|z) = N(W z + c, I)`. With `μᵢ = A xᵢ + b`
//! and the residual `rᵢ = xᵢ − W μᵢ − c`, the loss over `n` points, per point, is
//!
//! ```text
//! distortion D = (1/n) Σᵢ ½ E_q ‖xᵢ − W z − c‖² = (1/n) Σᵢ ½ ‖rᵢ‖² + ½ Σⱼ σⱼ² ‖W₍:,ⱼ₎‖²
//! rate       R = (1/n) Σᵢ KL(N(μᵢ, diag σ²) ‖ N(0, I))
//! loss         = D + β R
//! ```
//!
//! (the expectation over `z = μᵢ + σ ⊙ ε` is exact for a linear decoder, so no sampling is
//! needed; `β = 1` is the negative ELBO less the constant `ln 2π`). The gradient, with
//! `gᵢ = (β μᵢ − Wᵀ rᵢ)/n` the derivative in `μᵢ` and `s = ln σ`:
//!
//! ```text
//! ∂/∂A = Σᵢ gᵢ xᵢᵀ        ∂/∂b = Σᵢ gᵢ
//! ∂/∂W = −(1/n) Σᵢ rᵢ μᵢᵀ + W diag σ²        ∂/∂c = −(1/n) Σᵢ rᵢ
//! ∂/∂sⱼ = σⱼ² ‖W₍:,ⱼ₎‖² + β (σⱼ² − 1)
//! ```
//!
//! the last term from [`crate::structured::standard_normal_kl`]. At the optimum a latent
//! direction whose data variance `λ` is below `β` collapses (`μ` constant, `σ = 1`, no
//! rate), and the trained `(R, D)` follow the Gaussian rate-distortion curve
//! `R = Σₖ ½ ln⁺(λₖ/β)`, `D = Σₖ ½ min(λₖ, β)` ([`rate_distortion_bound`]).
//!
//! # The gradient, derived
//!
#![doc = include_str!("../doc/vae_gradient.md")]

use crate::check::{self, GradientCheck};
use crate::error::{Error, Result};
use crate::structured::standard_normal_kl;

/// A 2-D point.
pub type Point2 = [f64; 2];

/// The parameters of the linear VAE, `θ` (14 numbers; [`LinearVae::to_vec`] flattens them in
/// the order of the fields, matrices row by row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearVae {
    /// `A`, the encoder's matrix: `μ = A x + b`, `A[j][l]` the weight of `x_l` in `μ_j`.
    pub encoder: [[f64; 2]; 2],
    /// `b`, the encoder's offset.
    pub encoder_bias: [f64; 2],
    /// `s = ln σ`, the log standard deviations of `q(z|x)`.
    pub ln_std_dev: [f64; 2],
    /// `W`, the decoder's matrix: `x̂ = W z + c`, `W[k][j]` the weight of `z_j` in `x̂_k`.
    pub decoder: [[f64; 2]; 2],
    /// `c`, the decoder's offset.
    pub decoder_bias: [f64; 2],
}

/// The loss of [`LinearVae`] at one `β`, per point, in nats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loss {
    /// `D + β R`.
    pub total: f64,
    /// `D`, the expected reconstruction error `½ E‖x − x̂‖²`.
    pub distortion: f64,
    /// `R`, the mean `KL(q(z|x) ‖ N(0, I))`.
    pub rate: f64,
}

/// The settings of [`fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The step size η of `θ ← θ − η ∇loss(θ)`.
    pub learning_rate: f64,
    /// How many steps to take.
    pub iterations: usize,
}

/// One row of a fit's history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// How many steps have been taken (0 is the start).
    pub iteration: usize,
    /// The loss there.
    pub loss: Loss,
}

/// The result of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The parameters after the last step.
    pub model: LinearVae,
    /// The loss at the start and after every step, `iterations + 1` rows.
    pub history: Vec<Step>,
    /// `‖∇loss‖` at the final parameters: how far from a stationary point the fit stopped.
    pub gradient_norm: f64,
}

/// The most `iterations × points` [`fit`] accepts: `3·10⁷`, a few seconds of work (measured
/// on a 2-core EPYC, a step costs 80–160 ns per point; chapter 11 fits 300 points for 20 000
/// steps, `6·10⁶`).
pub const MAX_WORK: u64 = 30_000_000;

impl LinearVae {
    /// The fourteen parameters in the order of the fields, matrices row by row.
    ///
    /// ```
    /// let model = kl::vae::LinearVae::from_slice(&(0..14).map(f64::from).collect::<Vec<_>>())?;
    /// assert_eq!(model.decoder, [[8.0, 9.0], [10.0, 11.0]]);
    /// assert_eq!(model.to_vec()[13], 13.0);
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn to_vec(&self) -> Vec<f64> {
        let mut v = Vec::with_capacity(14);
        v.extend(self.encoder.iter().flatten());
        v.extend(self.encoder_bias);
        v.extend(self.ln_std_dev);
        v.extend(self.decoder.iter().flatten());
        v.extend(self.decoder_bias);
        v
    }

    /// The inverse of [`LinearVae::to_vec`].
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] named `theta` unless there are 14 numbers;
    /// [`Error::NotFinite`] for a NaN or an infinity.
    pub fn from_slice(theta: &[f64]) -> Result<Self> {
        if theta.len() != 14 {
            return Err(Error::DimensionMismatch {
                name: "theta",
                expected: 14,
                got: theta.len(),
            });
        }
        crate::error::check_all_finite("theta", theta)?;
        let t = |i: usize| theta[i];
        Ok(Self {
            encoder: [[t(0), t(1)], [t(2), t(3)]],
            encoder_bias: [t(4), t(5)],
            ln_std_dev: [t(6), t(7)],
            decoder: [[t(8), t(9)], [t(10), t(11)]],
            decoder_bias: [t(12), t(13)],
        })
    }

    /// The encoder's mean `μ = A x + b`: a point's latent code.
    ///
    /// ```
    /// let mut model = kl::vae::LinearVae::from_slice(&[0.0; 14])?;
    /// model.encoder = [[1.0, 0.0], [0.0, 2.0]];
    /// model.encoder_bias = [0.5, 0.0];
    /// assert_eq!(model.code([1.0, 1.0]), [1.5, 2.0]);
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn code(&self, x: Point2) -> Point2 {
        let (a, b) = (self.encoder, self.encoder_bias);
        [
            a[0][0] * x[0] + a[0][1] * x[1] + b[0],
            a[1][0] * x[0] + a[1][1] * x[1] + b[1],
        ]
    }

    /// The decoder's mean `W z + c`.
    pub fn decode(&self, z: Point2) -> Point2 {
        let (w, c) = (self.decoder, self.decoder_bias);
        [
            w[0][0] * z[0] + w[0][1] * z[1] + c[0],
            w[1][0] * z[0] + w[1][1] * z[1] + c[1],
        ]
    }
}

/// `Err` unless `data` is non-empty and finite and `β ≥ 0` is finite.
fn check_inputs(data: &[Point2], beta: f64) -> Result<()> {
    if data.is_empty() {
        return Err(Error::Empty { name: "data" });
    }
    if let Some(index) = data
        .iter()
        .position(|x| !(x[0].is_finite() && x[1].is_finite()))
    {
        let value = if data[index][0].is_finite() {
            data[index][1]
        } else {
            data[index][0]
        };
        return Err(Error::NotFinite {
            name: "data",
            index,
            value,
        });
    }
    if !(beta >= 0.0 && beta.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "beta",
            value: beta,
            reason: "the weight of the KL term must be finite and >= 0",
        });
    }
    Ok(())
}

/// The loss `D + β R` and its gradient in `θ` (as a [`LinearVae`] of derivatives), by the
/// formulas of the [module docs](self).
///
/// # Errors
/// [`Error::Empty`] for no data, [`Error::NotFinite`] for a NaN or infinite coordinate,
/// [`Error::InvalidParameter`] named `beta` unless `β ≥ 0` is finite, or named `theta` if
/// the parameters are so large that the loss or the gradient is `∞ − ∞`.
///
/// ```
/// use kl::vae::{LinearVae, loss_and_gradient};
///
/// // The identity autoencoder with σ = 1 on the points (±1, 0):
/// // D = ½ Σⱼ σⱼ² ‖W₍:,ⱼ₎‖² = 1 (the residuals are 0), R = ½ (1 + 0) = 0.5.
/// let mut model = LinearVae::from_slice(&[0.0; 14])?;
/// model.encoder = [[1.0, 0.0], [0.0, 1.0]];
/// model.decoder = [[1.0, 0.0], [0.0, 1.0]];
/// let (loss, gradient) = loss_and_gradient(&[[1.0, 0.0], [-1.0, 0.0]], &model, 2.0)?;
/// assert_eq!((loss.distortion, loss.rate, loss.total), (1.0, 0.5, 2.0));
/// assert_eq!(gradient.ln_std_dev, [1.0, 1.0]); // σ²‖W₍:,ⱼ₎‖² + β(σ² − 1)
/// # Ok::<(), kl::Error>(())
/// ```
// The indices j (latent) and k (data coordinate) are those of the formulas.
#[allow(clippy::needless_range_loop)]
pub fn loss_and_gradient(
    data: &[Point2],
    model: &LinearVae,
    beta: f64,
) -> Result<(Loss, LinearVae)> {
    check_inputs(data, beta)?;
    let n = data.len() as f64;
    let w = model.decoder;
    let variance = model.ln_std_dev.map(|s| (2.0 * s).exp());
    let column_norm = [
        w[0][0] * w[0][0] + w[1][0] * w[1][0],
        w[0][1] * w[0][1] + w[1][1] * w[1][1],
    ];
    let mut g = LinearVae::from_slice(&[0.0; 14])?;
    let (mut squared_residuals, mut rate) = (0.0, 0.0);
    for &x in data {
        let mu = model.code(x);
        let x_hat = model.decode(mu);
        let r = [x[0] - x_hat[0], x[1] - x_hat[1]];
        squared_residuals += r[0] * r[0] + r[1] * r[1];
        let (kl, kl_gradient) = standard_normal_kl(&mu, &model.ln_std_dev)?;
        rate += kl;
        for j in 0..2 {
            // ∂loss/∂μⱼ for this point: β μⱼ − (Wᵀ r)ⱼ, over n.
            let gj = (beta * kl_gradient[j] - (w[0][j] * r[0] + w[1][j] * r[1])) / n;
            g.encoder[j][0] += gj * x[0];
            g.encoder[j][1] += gj * x[1];
            g.encoder_bias[j] += gj;
            for k in 0..2 {
                g.decoder[k][j] -= r[k] * mu[j] / n;
            }
        }
        for k in 0..2 {
            g.decoder_bias[k] -= r[k] / n;
        }
    }
    for j in 0..2 {
        for k in 0..2 {
            g.decoder[k][j] += w[k][j] * variance[j];
        }
        g.ln_std_dev[j] = variance[j] * column_norm[j] + beta * (variance[j] - 1.0);
    }
    let spread: f64 = (0..2).map(|j| variance[j] * column_norm[j]).sum();
    let distortion = 0.5 * (squared_residuals / n + spread);
    let rate = rate / n;
    // β = 0 ignores the rate, even an infinite one (0 · ∞ would be NaN).
    let total = if beta == 0.0 {
        distortion
    } else {
        distortion + beta * rate
    };
    let loss = Loss {
        total,
        distortion,
        rate,
    };
    let values = g.to_vec();
    if [total, distortion, rate]
        .iter()
        .chain(&values)
        .any(|v| v.is_nan())
    {
        return Err(Error::InvalidParameter {
            name: "theta",
            value: model.to_vec().iter().fold(0.0, |m, v| v.abs().max(m)),
            reason: "the model's outputs overflow a double (∞ − ∞): the parameters are too large",
        });
    }
    Ok((loss, g))
}

/// [`loss_and_gradient`]'s gradient against central differences of its loss (the library's
/// one [`check::gradient_check`], over the 14 coordinates of [`LinearVae::to_vec`]).
///
/// # Errors
/// Those of [`loss_and_gradient`], and [`Error::InvalidParameter`] named `h` unless `h > 0`
/// is finite.
///
/// ```
/// use kl::vae::{LinearVae, gradient_check};
///
/// let theta: Vec<f64> = (0..14).map(|i| 0.1 * f64::from(i) - 0.5).collect();
/// let model = LinearVae::from_slice(&theta)?;
/// let data = [[1.0, 2.0], [-0.5, 0.3], [0.2, -1.1]];
/// let check = gradient_check(&data, &model, 0.7, 1e-5)?;
/// assert!(check.max_relative_error < 1e-8);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn gradient_check(
    data: &[Point2],
    model: &LinearVae,
    beta: f64,
    h: f64,
) -> Result<GradientCheck> {
    let (_, gradient) = loss_and_gradient(data, model, beta)?;
    let loss = |t: &[f64]| {
        Ok(loss_and_gradient(data, &LinearVae::from_slice(t)?, beta)?
            .0
            .total)
    };
    check::gradient_check(loss, &gradient.to_vec(), &model.to_vec(), h)
}

/// Plain gradient descent on [`loss_and_gradient`] from `start`: `θ ← θ − η ∇loss(θ)`,
/// `iterations` times, recording the loss before the first step and after each.
///
/// # Errors
/// Those of [`loss_and_gradient`]; [`Error::InvalidParameter`] named `learning_rate` unless it
/// is positive and finite, or if the loss overflows (the step is too large for the data);
/// [`Error::TooLarge`] named `iterations` above [`crate::fit::MAX_ITERATIONS`] or if
/// `iterations × points` exceeds [`MAX_WORK`].
///
/// ```
/// use kl::vae::{LinearVae, Options, covariance_eigenvalues, fit, rate_distortion_bound};
///
/// // Four corners (±2, ±0.5): covariance eigenvalues 4 and 0.25. At β = 1 the first
/// // direction is kept (R = ½ ln 4), the second collapses (D = ½ (1 + 0.25)).
/// let data = [[2.0, 0.5], [2.0, -0.5], [-2.0, 0.5], [-2.0, -0.5]];
/// let start = LinearVae::from_slice(&[0.5, 0.1, -0.1, 0.5, 0.0, 0.0, 0.0, 0.0,
///                                      0.5, -0.1, 0.1, 0.5, 0.0, 0.0])?;
/// let options = Options { learning_rate: 0.05, iterations: 3000 };
/// let fit = fit(&data, &start, 1.0, &options)?;
/// let last = fit.history[3000].loss;
/// let (rate, distortion) = rate_distortion_bound(&covariance_eigenvalues(&data)?, 1.0)?;
/// assert!((last.rate - rate).abs() < 1e-10 && (last.distortion - distortion).abs() < 1e-10);
/// assert!(fit.gradient_norm < 1e-10);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn fit(data: &[Point2], start: &LinearVae, beta: f64, options: &Options) -> Result<Fit> {
    check_inputs(data, beta)?;
    let eta = options.learning_rate;
    if !(eta > 0.0 && eta.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "learning_rate",
            value: eta,
            reason: "the step size must be positive and finite",
        });
    }
    let work = (options.iterations as u64).saturating_mul(data.len() as u64);
    if options.iterations > crate::fit::MAX_ITERATIONS || work > MAX_WORK {
        return Err(Error::TooLarge {
            name: "iterations",
            got: options.iterations as u64,
            limit: (MAX_WORK / data.len() as u64).min(crate::fit::MAX_ITERATIONS as u64),
            reason: "the history holds a row per iteration (at most 1e7) and iterations × \
                     points is capped at kl::vae::MAX_WORK (3e7); use fewer points or iterations",
        });
    }
    let mut theta = start.to_vec();
    let mut history = Vec::with_capacity(options.iterations + 1);
    let mut iteration = 0;
    loop {
        let Ok(model) = LinearVae::from_slice(&theta) else {
            return Err(Error::InvalidParameter {
                name: "learning_rate",
                value: eta,
                reason: "the parameters overflowed: the step is too large for these data",
            });
        };
        let evaluated = loss_and_gradient(data, &model, beta);
        if iteration > 0 && evaluated.is_err() {
            return Err(Error::InvalidParameter {
                name: "learning_rate",
                value: eta,
                reason: "the parameters overflowed: the step is too large for these data",
            });
        }
        let (loss, gradient) = evaluated?;
        if !loss.total.is_finite() {
            return Err(Error::InvalidParameter {
                name: "learning_rate",
                value: eta,
                reason: "the loss overflowed: the step is too large for these data",
            });
        }
        history.push(Step { iteration, loss });
        let gradient = gradient.to_vec();
        if iteration == options.iterations {
            let gradient_norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
            return Ok(Fit {
                model,
                history,
                gradient_norm,
            });
        }
        for (t, g) in theta.iter_mut().zip(&gradient) {
            *t -= eta * g;
        }
        iteration += 1;
    }
}

/// The Gaussian rate-distortion curve at `β` for data with covariance eigenvalues `λ`, the
/// linear VAE's optimum (reverse water-filling at level `β`):
///
/// ```text
/// R(β) = Σₖ ½ ln⁺(λₖ/β)        D(β) = Σₖ ½ min(λₖ, β)
/// ```
///
/// (`ln⁺ = max(0, ln)`). Returned as `(rate, distortion)`, in nats. A direction with
/// `λₖ ≤ β` carries no rate: its posterior has collapsed onto the prior.
///
/// # Errors
/// [`Error::InvalidParameter`] named `beta` unless `β > 0` is finite; [`Error::NotFinite`] or
/// [`Error::Negative`] for an eigenvalue that is not finite and ≥ 0.
///
/// ```
/// let (rate, distortion) = kl::vae::rate_distortion_bound(&[4.0, 1.0], 2.0)?;
/// assert!((rate - 0.5 * 2f64.ln()).abs() < 1e-15);
/// assert_eq!(distortion, 0.5 * (2.0 + 1.0));
/// # Ok::<(), kl::Error>(())
/// ```
pub fn rate_distortion_bound(eigenvalues: &[f64], beta: f64) -> Result<(f64, f64)> {
    if !(beta > 0.0 && beta.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "beta",
            value: beta,
            reason: "the water level must be positive and finite",
        });
    }
    crate::error::check_all_finite("eigenvalues", eigenvalues)?;
    if let Some(index) = eigenvalues.iter().position(|&l| l < 0.0) {
        return Err(Error::Negative {
            name: "eigenvalues",
            index,
            value: eigenvalues[index],
        });
    }
    let rate = eigenvalues
        .iter()
        .map(|&l| if l > beta { 0.5 * (l / beta).ln() } else { 0.0 })
        .sum();
    let distortion = eigenvalues.iter().map(|&l| 0.5 * l.min(beta)).sum();
    Ok((rate, distortion))
}

/// The eigenvalues `λ₁ ≥ λ₂` of the data's covariance (divisor `n`, the maximum-likelihood
/// covariance the linear VAE's optimum depends on), from the 2 × 2 formula
/// `λ = m ± √(((c₁₁ − c₂₂)/2)² + c₁₂²)`, `m = (c₁₁ + c₂₂)/2`.
///
/// # Errors
/// [`Error::Empty`] for no data, [`Error::NotFinite`] for a NaN or infinite coordinate.
///
/// ```
/// let l = kl::vae::covariance_eigenvalues(&[[1.0, 1.0], [-1.0, -1.0]])?;
/// assert_eq!(l, [2.0, 0.0]);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn covariance_eigenvalues(data: &[Point2]) -> Result<[f64; 2]> {
    check_inputs(data, 0.0)?;
    let n = data.len() as f64;
    // Each term divided by n first, and the deviations scaled to at most 1, so that data
    // near the largest doubles give +∞ eigenvalues rather than ∞ − ∞.
    let mean = [0, 1].map(|k| data.iter().map(|x| x[k] / n).sum::<f64>());
    let deviation = |x: &Point2| [x[0] - mean[0], x[1] - mean[1]];
    let scale = data
        .iter()
        .flat_map(deviation)
        .fold(0.0f64, |m, v| m.max(v.abs()));
    if scale == 0.0 || !scale.is_finite() {
        return Ok(if scale == 0.0 {
            [0.0, 0.0]
        } else {
            [f64::INFINITY; 2]
        });
    }
    let (mut c11, mut c12, mut c22) = (0.0, 0.0, 0.0);
    for x in data {
        let [a, b] = deviation(x).map(|v| v / scale);
        c11 += a * a / n;
        c12 += a * b / n;
        c22 += b * b / n;
    }
    let m = 0.5 * (c11 + c22);
    let root = (0.5 * (c11 - c22)).hypot(c12);
    let unscale = |l: f64| if l > 0.0 { l * scale * scale } else { 0.0 };
    Ok([unscale(m + root), unscale(m - root)])
}
