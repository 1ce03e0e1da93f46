//! One gradient check for every optimiser of the library ([`crate::fit`], [`crate::tsne`]): a
//! hand-derived gradient against central differences of the loss, with one definition of the
//! error.
//!
//! ```text
//! numeric_k          = (f(θ + h e_k) − f(θ − h e_k)) / (2h)
//! max_abs_error      = max_k |analytic_k − numeric_k|
//! max_relative_error = max_abs_error / max_k max(|analytic_k|, |numeric_k|)   (0 when both are 0)
//! ```
//!
//! The relative error is taken against the size of the whole gradient, not coordinate by
//! coordinate: a per-coordinate ratio would blow up on a coordinate whose derivative is near 0.

use crate::error::{Error, Result};

/// What a gradient check found: both gradients (flattened: θ's coordinates in order), and how
/// far apart they are (see the [module docs](self) for the definitions).
#[derive(Debug, Clone, PartialEq)]
pub struct GradientCheck {
    /// The gradient the hand-derived formula gave.
    pub analytic: Vec<f64>,
    /// The central-difference estimate, `(f(θ + h e_k) − f(θ − h e_k)) / (2h)` for each `k`.
    pub numeric: Vec<f64>,
    /// `max_k |analytic_k − numeric_k|`.
    pub max_abs_error: f64,
    /// `max_abs_error / max_k max(|analytic_k|, |numeric_k|)`, 0 when both gradients are 0.
    pub max_relative_error: f64,
}

/// Compares `analytic`, the gradient at `theta`, with central differences of `loss` at
/// `theta` with step `h`.
///
/// # Errors
/// [`Error::InvalidParameter`] named `h` unless `h` is positive and finite;
/// [`Error::DimensionMismatch`] if `analytic` and `theta` differ in length;
/// [`Error::NotFinite`] for a NaN or infinite entry of either; any error of `loss` is passed
/// on. A loss that is not finite at a shifted point gives a difference quotient that is not
/// a number: both errors are then `+∞` (the check fails, visibly), never NaN.
///
/// ```
/// // f(θ) = θ₀² + 3θ₁, gradient (2θ₀, 3).
/// let f = |t: &[f64]| Ok(t[0] * t[0] + 3.0 * t[1]);
/// let check = kl::check::gradient_check(f, &[4.0, 3.0], &[2.0, 1.0], 1e-4)?;
/// assert!(check.max_relative_error < 1e-10);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn gradient_check<F>(loss: F, analytic: &[f64], theta: &[f64], h: f64) -> Result<GradientCheck>
where
    F: Fn(&[f64]) -> Result<f64>,
{
    if !(h > 0.0 && h.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "h",
            value: h,
            reason: "the finite-difference step must be positive and finite",
        });
    }
    if analytic.len() != theta.len() {
        return Err(Error::DimensionMismatch {
            name: "analytic",
            expected: theta.len(),
            got: analytic.len(),
        });
    }
    crate::error::check_all_finite("theta", theta)?;
    crate::error::check_all_finite("analytic", analytic)?;
    let mut shifted = theta.to_vec();
    let mut numeric = Vec::with_capacity(theta.len());
    for k in 0..theta.len() {
        shifted[k] = theta[k] + h;
        let up = loss(&shifted)?;
        shifted[k] = theta[k] - h;
        let down = loss(&shifted)?;
        shifted[k] = theta[k];
        numeric.push((up - down) / (2.0 * h));
    }
    let max_abs_error = analytic
        .iter()
        .zip(&numeric)
        .map(|(a, n)| {
            let e = (a - n).abs();
            if e.is_nan() { f64::INFINITY } else { e }
        })
        .fold(0.0, f64::max);
    let scale = analytic
        .iter()
        .chain(&numeric)
        .map(|v| v.abs())
        .fold(0.0, f64::max);
    let max_relative_error = if max_abs_error == f64::INFINITY {
        f64::INFINITY
    } else if scale == 0.0 {
        0.0
    } else {
        max_abs_error / scale
    };
    Ok(GradientCheck {
        analytic: analytic.to_vec(),
        numeric,
        max_abs_error,
        max_relative_error,
    })
}
