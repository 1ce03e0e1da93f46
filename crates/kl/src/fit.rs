//! Fitting a normal to a target on a grid by minimising KL: loss-and-gradient functions with
//! hand-derived gradients, a gradient check against central differences, and plain gradient
//! descent.
//!
//! The design follows argmin: the *problem* (a loss and its gradient, computed together) is
//! separate from the *solver* (the loop). A problem is anything that implements [`Objective`];
//! [`gradient_descent`] is the loop, a few lines a student can change; [`gradient_check`]
//! compares any loss-and-gradient function with central differences.
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
#![doc = include_str!("../doc/fit_model.md")]
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
//! use kl::fit::{ForwardKl, Objective, gradient_descent, normal_masses};
//!
//! // Target: N(0, 2) on a grid, as masses that sum to 1.
//! let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
//! let p = normal_masses(&x, 0.0, 2.0)?;
//! let problem = ForwardKl::new(&x, &p)?;
//! let fit = gradient_descent(&problem, &problem.theta(0.0, 1.0), 0.1, 100)?;
//! let last = fit.history.last().unwrap();
//! // σ converges fast; μ (already at 0, up to the grid's asymmetry) stays within 1e-8 of it.
//! assert!(last.mu.abs() < 1e-8 && (last.sigma - 2.0).abs() < 1e-9);
//! # Ok::<(), kl::Error>(())
//! ```

use nalgebra::Vector2;

use crate::discrete::SUM_TOLERANCE;
use crate::error::{Error, Result, check_all_finite};
use crate::simd;
use crate::simd::sum::{LANES, Neumaier, fold};

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

/// Forward KL, `KL(p‖q_θ)` in nats, with θ = `(μ, ln σ)`: the loss whose minimiser matches
/// moments.
///
/// # Derivation of the gradient
///
/// With the model and rules (1) and (2) of the [module docs](self):
///
#[doc = include_str!("../doc/fit_forward.md")]
///
/// See [`moment_match`] for that optimum in closed form.
///
/// # How it is computed
///
/// The constants of the loss above (`Σ p ln p`, `m`, `v_p`) are computed once in
/// [`new`](ForwardKl::new). One pass over the grid (no allocation) gives `ln Z`,
/// `E_q[x − μ]` and `E_q[(x − μ)²]`: eight points at a time with a branch-free `exp` (within 1
/// ulp of the true value), on the widest vector unit of the running CPU, into compensated
/// sums. On a sorted grid the point nearest μ, which fixes the shift of log-sum-exp, is a
/// binary search; an unsorted grid takes one more pass.
///
/// # Remarks
/// - `x` is any set of finite points (sorted or not); `p` holds the target's masses on them:
///   finite, non-negative, summing to 1 within [`SUM_TOLERANCE`]. Pdf values on a grid are
///   not masses: normalise them first with [`crate::discrete::normalize`]. Zeros in `p` are
///   fine (they contribute 0).
/// - Errors: [`Error::Empty`], [`Error::GridMismatch`], [`Error::NotFinite`],
///   [`Error::Negative`], [`Error::NotNormalized`]; at evaluation, a non-finite θ
///   ([`Error::NotFinite`]) or a σ² = e^{2 ln σ} that is not a positive normal double
///   ([`Error::InvalidParameter`], |ln σ| ≳ 354).
///
/// ```
/// use kl::fit::{ForwardKl, Objective, normal_masses};
///
/// let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
/// let p = normal_masses(&x, 0.0, 2.0)?;
/// let problem = ForwardKl::new(&x, &p)?;
/// let (kl, gradient) = problem.loss_and_gradient(&problem.theta(0.0, 1.0))?;
/// // Closed form for the continuous pair: KL(N(0,2)‖N(0,1)) = ln(1/2) + 4/2 − 1/2 = 0.806853;
/// // the grid stops at ±5 standard deviations of p, which moves it by 2e-5.
/// assert!((kl - 0.806853).abs() < 1e-4);
/// // ∂KL/∂(ln σ) = −(E_p[x²] − E_q[x²]) / σ² = −(4 − 1) / 1 = −3 (again up to truncation).
/// assert!((gradient[1] + 3.0).abs() < 1e-3);
/// # Ok::<(), kl::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ForwardKl {
    moments: TargetMoments,
}

impl ForwardKl {
    /// The problem for grid `x` and target masses `p` (see the type's docs for the rules).
    pub fn new(x: &[f64], p: &[f64]) -> Result<Self> {
        validate_grid(x, p)?;
        validate_masses(p)?;
        Ok(ForwardKl {
            moments: TargetMoments::new(x, p),
        })
    }
}

impl Objective for ForwardKl {
    fn loss_and_gradient(&self, theta: &Vector2<f64>) -> Result<(f64, Vector2<f64>)> {
        let (mu, var) = log_sigma_to_mean_variance(theta)?;
        let t = &self.moments;
        let q = normal_on_grid(&t.x, mu, var);
        let ep_d = t.mean - mu; // E_p[x − μ]
        let ep_d2 = t.variance + ep_d * ep_d; // E_p[(x − μ)²]
        let loss = t.mass_ln_mass + t.mass * (ep_d2 / (2.0 * var) + q.ln_z);
        let gradient = Vector2::new(
            -t.mass * (ep_d - q.mean_d) / var,
            -t.mass * (ep_d2 - q.mean_d2) / var,
        );
        finite_loss(theta, loss, gradient)
    }
}

/// Reverse KL, `KL(q_θ‖p)` in nats, with θ = `(μ, ln σ)`: the mode-seeking loss.
///
/// # Derivation of the gradient
///
/// With the model and rules (1) and (2) of the [module docs](self):
///
#[doc = include_str!("../doc/fit_reverse.md")]
///
/// The once-only part is done in [`new`](ReverseKl::new) (or
/// [`from_ln_masses`](ReverseKl::from_ln_masses)); the pass allocates nothing.
///
/// # Remarks
/// - `p` must be finite, sum to 1 within [`SUM_TOLERANCE`] and be **positive at every grid
///   point**: q puts mass on every point, so a single `p_i = 0` makes `KL(q‖p) = +∞` for every
///   θ ([`Error::Unsupported`], with the index). Drop such points from the grid, or, when the
///   zeros are only underflow, give the log-masses to [`from_ln_masses`](ReverseKl::from_ln_masses).
/// - Other errors as for [`ForwardKl`].
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
            return Err(Error::Unsupported(format!(
                "reverse KL needs p > 0 at every grid point, but p[{index}] = 0: a normal q puts \
                 mass on every point, so KL(q||p) = +inf for every θ; drop that point from the grid, \
                 or, if it only underflowed, pass ln p to `ReverseKl::from_ln_masses`"
            )));
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
        if x.is_empty() {
            return Err(Error::Empty { name: "x" });
        }
        if ln_p.len() != x.len() {
            return Err(Error::GridMismatch {
                name: "ln_p",
                expected: x.len(),
                got: ln_p.len(),
            });
        }
        check_all_finite("x", x)?;
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

impl Objective for ReverseKl {
    fn loss_and_gradient(&self, theta: &Vector2<f64>) -> Result<(f64, Vector2<f64>)> {
        let (mu, var) = log_sigma_to_mean_variance(theta)?;
        let half_precision = 0.5 / var;
        let d2_min = self.x.nearest_squared_distance(mu);
        let s_max = -d2_min * half_precision;
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
}

/// The original tutorial's loss, kept to show what it does: θ = `(μ, v)` with v the
/// **variance** (its variable `sigma`), and a target of **unnormalised** pdf values.
///
/// # Derivation
///
/// With the model and rule (1) of the [module docs](self), and the forward derivation of
/// [`ForwardKl`]:
///
#[doc = include_str!("../doc/fit_original.md")]
///
/// [`ForwardKl`] steps on `ln σ` instead, with a normalised target.
///
/// # Remarks
/// - `p` must be finite and non-negative with a positive total; it is *not* required to sum
///   to 1 (that is the point). Errors as for [`ForwardKl`], except [`Error::NotNormalized`];
///   [`Error::ZeroTotal`] if every `p_i` is 0.
/// - At evaluation, `v ≤ 0` (or a v whose `1/(2v)` is not a normal double) is
///   [`Error::InvalidParameter`] named `variance`: where the original would compute NaN.
///
/// ```
/// use kl::fit::{ForwardKl, Objective, OriginalForwardKl};
///
/// let dx = 0.001;
/// let x: Vec<f64> = (0..20_000).map(|i| -10.0 + i as f64 * dx).collect();
/// // The original's p: pdf values of N(0, 2), not masses. They sum to ≈ 1000.
/// let pdf: Vec<f64> = x
///     .iter()
///     .map(|x| (-x * x / 8.0).exp() / (2.0 * (2.0 * std::f64::consts::PI).sqrt()))
///     .collect();
/// let total: f64 = pdf.iter().sum();
/// let original = OriginalForwardKl::new(&x, &pdf)?;
/// let (loss, gradient) = original.loss_and_gradient(&original.theta(0.0, 1.0))?;
///
/// let p = kl::discrete::normalize(&pdf)?;
/// let ours = ForwardKl::new(&x, &p)?;
/// let (kl, kl_gradient) = ours.loss_and_gradient(&ours.theta(0.0, 1.0))?;
/// // L = P·KL + P ln P, with P ≈ 1000: 0.806831 becomes 7714.58.
/// assert!((loss - (total * kl + total * total.ln())).abs() < 1e-8);
/// assert!((loss - 7714.58).abs() < 0.01);
/// // ∂L/∂μ is P times ∂KL/∂μ (here v = σ² = 1, so the parameterisations agree on μ).
/// assert!((gradient[0] - total * kl_gradient[0]).abs() < 1e-6);
/// // The original's `sigma` must stay positive; ours cannot leave.
/// assert!(original.loss_and_gradient(&nalgebra::Vector2::new(5.0, 0.0)).is_err());
/// # Ok::<(), kl::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct OriginalForwardKl {
    moments: TargetMoments,
}

impl OriginalForwardKl {
    /// The original's problem for grid `x` and pdf values (or any non-negative weights) `p`.
    pub fn new(x: &[f64], p: &[f64]) -> Result<Self> {
        validate_grid(x, p)?;
        validate_weights(p)?;
        let moments = TargetMoments::new(x, p);
        if moments.mass == 0.0 {
            return Err(Error::ZeroTotal { name: "p" });
        }
        Ok(OriginalForwardKl { moments })
    }

    /// `P = Σ p_i`, the factor by which this loss and its gradient exceed the KL's.
    pub fn total_mass(&self) -> f64 {
        self.moments.mass
    }
}

impl Objective for OriginalForwardKl {
    fn loss_and_gradient(&self, theta: &Vector2<f64>) -> Result<(f64, Vector2<f64>)> {
        check_finite(theta)?;
        let (mu, var) = (theta[0], theta[1]);
        if !(var > 0.0 && (0.5 / var).is_normal()) {
            return Err(Error::InvalidParameter {
                name: "variance",
                value: var,
                reason: "the original's `sigma` is a variance and must be > 0 (and not so small \
                         that 1/(2v) overflows); a gradient step on it can cross 0, a step on \
                         ln σ cannot",
            });
        }
        let t = &self.moments;
        let q = normal_on_grid(&t.x, mu, var);
        let ep_d = t.mean - mu;
        let ep_d2 = t.variance + ep_d * ep_d;
        let loss = t.mass_ln_mass + t.mass * (ep_d2 / (2.0 * var) + q.ln_z);
        let gradient = Vector2::new(
            -t.mass * (ep_d - q.mean_d) / var,
            -t.mass * (ep_d2 - q.mean_d2) / (2.0 * var * var),
        );
        finite_loss(theta, loss, gradient)
    }

    fn normal(&self, theta: &Vector2<f64>) -> (f64, f64) {
        (theta[0], theta[1].sqrt())
    }

    fn theta(&self, mu: f64, sigma: f64) -> Vector2<f64> {
        Vector2::new(mu, sigma * sigma)
    }
}

/// The closed-form forward-KL optimum over all normals on the real line: the mean and standard
/// deviation of the target, `μ* = E_p[x]`, `σ* = √Var_p[x]` (moment matching).
///
/// ```text
/// μ* = Σ_i p_i x_i          σ*² = Σ_i p_i (x_i − μ*)²
/// ```
///
/// # Remarks
/// - Setting the [`ForwardKl`] gradient to zero gives `E_q[x] = E_p[x]` and
///   `E_q[(x − μ)²] = E_p[(x − μ)²]`, where the expectations under q are over **the grid**.
///   On an unbounded grid those are μ and σ², so μ* and σ* above are the optimum. On a finite
///   grid q is truncated, and its grid variance is a little below σ² (at ±5σ, by a factor
///   `1 − 1.5e-5`): the descent's optimum sits that much away from (μ*, σ*). When p is itself
///   a normal on the same grid the descent finds that normal's exact parameters while σ* is
///   the (truncated) grid standard deviation.
/// - Same input rules and errors as [`ForwardKl::new`].
///
/// ```
/// let x: Vec<f64> = (0..2000).map(|i| -10.0 + i as f64 * 0.01).collect();
/// let p = kl::fit::normal_masses(&x, 1.0, 2.0)?;
/// let (mu, sigma) = kl::fit::moment_match(&x, &p)?;
/// // N(1, 2) cut at −5.5σ and +4.5σ: the mean moves by −3.2e-5 and the sd by −7.3e-5
/// // (numpy on the same grid: −3.2116e-5 and −7.3285e-5).
/// assert!((mu - 1.0 + 3.2116e-5).abs() < 1e-8 && (sigma - 2.0 + 7.3285e-5).abs() < 1e-8);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn moment_match(x: &[f64], p: &[f64]) -> Result<(f64, f64)> {
    validate_grid(x, p)?;
    validate_masses(p)?;
    let t = TargetMoments::new(x, p);
    Ok((t.mean, t.variance.sqrt()))
}

/// The model `q_θ` itself: the masses of a normal `(μ, σ)` on the grid `x`, normalised over
/// the grid in log space.
///
/// ```text
/// q_i = exp(s_i − s_max) / Σ_j exp(s_j − s_max),   s_i = −(x_i − μ)²/(2σ²)
/// ```
///
/// # Remarks
/// The masses sum to 1 (to rounding) whatever the grid's step, so they are the `p` that
/// [`ForwardKl`] and [`ReverseKl`] expect. Errors: [`Error::Empty`] for an empty grid,
/// [`Error::NotFinite`] for a non-finite `x_i` or μ, [`Error::InvalidParameter`] for σ ≤ 0 or
/// a σ whose `1/(2σ²)` is not a normal double, and for an `x_i` or μ beyond
/// [`MAX_COORDINATE`].
///
/// ```
/// let q = kl::fit::normal_masses(&[-1.0, 0.0, 1.0], 0.0, 1.0)?;
/// let e = (-0.5f64).exp();
/// assert!((q[1] - 1.0 / (1.0 + 2.0 * e)).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn normal_masses(x: &[f64], mu: f64, sigma: f64) -> Result<Vec<f64>> {
    if x.is_empty() {
        return Err(Error::Empty { name: "x" });
    }
    check_all_finite("x", x)?;
    if !mu.is_finite() {
        return Err(Error::NotFinite {
            name: "mu",
            index: 0,
            value: mu,
        });
    }
    check_magnitude("x", x)?;
    check_magnitude("mu", &[mu])?;
    let var = sigma * sigma;
    if !(sigma > 0.0 && sigma.is_finite() && (0.5 / var).is_normal()) {
        return Err(Error::InvalidParameter {
            name: "sigma",
            value: sigma,
            reason: "a standard deviation must be > 0 and finite, with 1/(2σ²) a normal double",
        });
    }
    let half_precision = 0.5 / var;
    let d2_min = nearest_squared_distance(x, mu);
    let mut q: Vec<f64> = x
        .iter()
        .map(|&xi| ((d2_min - (xi - mu) * (xi - mu)) * half_precision).exp())
        .collect();
    let total: f64 = q.iter().sum();
    for qi in &mut q {
        *qi /= total;
    }
    Ok(q)
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
#[doc = include_str!("../doc/fit_gradient_check.md")]
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

// ---------------------------------------------------------------------------------------------
// The shared pieces: the grid, the target's moments, one fused pass over the grid for q.
//
// Everything that does not depend on θ is computed once, by the constructors: the target's
// moments (ForwardKl, OriginalForwardKl), ln p (ReverseKl), and whether the grid is sorted.
// An evaluation then makes one pass over the grid (two for an unsorted grid, whose nearest point
// to μ takes a scan; a sorted one takes a binary search). The pass computes one exponential per
// point, with the branch-free `exp` of `crate::simd::exp`, eight lanes at a time, on the widest
// vector unit of the running CPU (`crate::simd::fast`, as `crate::discrete`'s kernel). Each lane sums at most `BLOCK / LANES` terms, the lanes
// fold by a fixed tree and the blocks go into Neumaier's compensated sum, so the rounding of the
// sums does not grow with the length of the grid. No fused multiply-add anywhere: every build
// returns the same bits.

/// Points per block: each lane adds at most 32 terms before the block's sums are compensated.
const BLOCK: usize = 256;

/// The grid's points, and whether they are sorted (then the point nearest μ is a binary search).
#[derive(Debug, Clone)]
struct Grid {
    points: Vec<f64>,
    sorted: bool,
}

impl Grid {
    fn new(x: &[f64]) -> Self {
        Grid {
            points: x.to_vec(),
            sorted: x.windows(2).all(|w| w[0] <= w[1]),
        }
    }

    /// `min_i (x_i − μ)²`, as [`nearest_squared_distance`] computes it. On a sorted grid the
    /// nearest point is one of the two around μ: `x_i − μ` rounds monotonically in `x_i`, so
    /// the rounded squares are monotone on each side of μ, and the result has the same bits as
    /// the scan's.
    fn nearest_squared_distance(&self, mu: f64) -> f64 {
        let x = &self.points;
        if !self.sorted {
            return dispatch_nearest(x, mu);
        }
        let i = x.partition_point(|&xi| xi < mu);
        let below = i.checked_sub(1).map(|j| (x[j] - mu) * (x[j] - mu));
        let above = x.get(i).map(|&xi| (xi - mu) * (xi - mu));
        below.into_iter().chain(above).fold(f64::INFINITY, f64::min)
    }
}

/// What [`ForwardKl`] and [`OriginalForwardKl`] need of the target, computed once.
#[derive(Debug, Clone)]
struct TargetMoments {
    x: Grid,
    /// `P = Σ p_i`.
    mass: f64,
    /// `Σ p_i ln p_i` over `p_i > 0`.
    mass_ln_mass: f64,
    /// `E_p̃[x] = Σ p_i x_i / P`.
    mean: f64,
    /// `Var_p̃[x] = Σ p_i (x_i − mean)² / P`.
    variance: f64,
}

impl TargetMoments {
    fn new(x: &[f64], p: &[f64]) -> Self {
        let mass: f64 = p.iter().sum();
        let mass_ln_mass = p
            .iter()
            .filter(|&&pi| pi > 0.0)
            .map(|&pi| pi * pi.ln())
            .sum();
        let (mean, variance) = if mass > 0.0 {
            let mean = x.iter().zip(p).map(|(xi, pi)| pi * xi).sum::<f64>() / mass;
            let variance = x
                .iter()
                .zip(p)
                .map(|(xi, pi)| pi * (xi - mean) * (xi - mean))
                .sum::<f64>()
                / mass;
            (mean, variance)
        } else {
            (0.0, 0.0)
        };
        TargetMoments {
            x: Grid::new(x),
            mass,
            mass_ln_mass,
            mean,
            variance,
        }
    }
}

/// `ln Z`, `E_q[x − μ]` and `E_q[(x − μ)²]` for the normal shape with mean `mu` and variance
/// `var` on the grid, in one pass after finding the shift for log-sum-exp.
struct GridNormal {
    ln_z: f64,
    mean_d: f64,
    mean_d2: f64,
}

fn normal_on_grid(x: &Grid, mu: f64, var: f64) -> GridNormal {
    let half_precision = 0.5 / var;
    let d2_min = x.nearest_squared_distance(mu);
    let [w_sum, wd_sum, wd2_sum] = forward_sums(&x.points, mu, d2_min, half_precision);
    GridNormal {
        ln_z: -d2_min * half_precision + w_sum.ln(),
        mean_d: wd_sum / w_sum,
        mean_d2: wd2_sum / w_sum,
    }
}

/// `min_i (x_i − μ)²`: the largest exponent `s_max = −min/(2σ²)` for log-sum-exp.
#[inline(always)]
fn nearest_squared_distance(x: &[f64], mu: f64) -> f64 {
    x.iter()
        .map(|&xi| (xi - mu) * (xi - mu))
        .fold(f64::INFINITY, f64::min)
}

/// The terms of one grid point for [`forward_sums`]: `w = exp((d²_min − d²)/(2σ²))`,
/// `w d`, `w d²` with `d = x − μ`. The exponent `s_i − s_max` is ≤ 0.
#[inline(always)]
fn forward_terms(xi: f64, mu: f64, d2_min: f64, half_precision: f64) -> [f64; 3] {
    let d = xi - mu;
    let d2 = d * d;
    let w = crate::simd::exp::exp((d2_min - d2) * half_precision);
    [w, w * d, w * d2]
}

/// `Σ w`, `Σ w d`, `Σ w d²` over the grid (see [`forward_terms`]).
#[inline(always)]
fn forward_sums_body(x: &[f64], mu: f64, d2_min: f64, half_precision: f64) -> [f64; 3] {
    let mut total = [Neumaier::default(); 3];
    for block in x.chunks(BLOCK) {
        let mut lanes = [[0.0; LANES]; 3];
        let mut chunks = block.chunks_exact(LANES);
        for xc in &mut chunks {
            for j in 0..LANES {
                let t = forward_terms(xc[j], mu, d2_min, half_precision);
                for k in 0..3 {
                    lanes[k][j] += t[k];
                }
            }
        }
        for (j, &xi) in chunks.remainder().iter().enumerate() {
            let t = forward_terms(xi, mu, d2_min, half_precision);
            for k in 0..3 {
                lanes[k][j] += t[k];
            }
        }
        for k in 0..3 {
            total[k].add(fold(lanes[k]));
        }
    }
    total.map(Neumaier::value)
}

/// The terms of one grid point for [`reverse_sums`]: with `d = x − μ`, `s = −d²/(2σ²)`,
/// `w = exp(s − s_max)` and `g = s − ln p`: `w, w g, w d, w d g, w d², w d² g`.
#[inline(always)]
fn reverse_terms(xi: f64, ln_pi: f64, mu: f64, s_max: f64, half_precision: f64) -> [f64; 6] {
    let d = xi - mu;
    let d2 = d * d;
    let s = -d2 * half_precision;
    let w = crate::simd::exp::exp(s - s_max);
    let g = s - ln_pi;
    [w, w * g, w * d, w * d * g, w * d2, w * d2 * g]
}

/// The six sums of [`reverse_terms`] over the grid.
#[inline(always)]
fn reverse_sums_body(
    x: &[f64],
    ln_p: &[f64],
    mu: f64,
    s_max: f64,
    half_precision: f64,
) -> [f64; 6] {
    let mut total = [Neumaier::default(); 6];
    for (xb, lb) in x.chunks(BLOCK).zip(ln_p.chunks(BLOCK)) {
        let mut lanes = [[0.0; LANES]; 6];
        let body = xb.len() - xb.len() % LANES;
        for (xc, lc) in xb[..body]
            .chunks_exact(LANES)
            .zip(lb[..body].chunks_exact(LANES))
        {
            for j in 0..LANES {
                let t = reverse_terms(xc[j], lc[j], mu, s_max, half_precision);
                for k in 0..6 {
                    lanes[k][j] += t[k];
                }
            }
        }
        for (j, (&xi, &li)) in xb[body..].iter().zip(&lb[body..]).enumerate() {
            let t = reverse_terms(xi, li, mu, s_max, half_precision);
            for k in 0..6 {
                lanes[k][j] += t[k];
            }
        }
        for k in 0..6 {
            total[k].add(fold(lanes[k]));
        }
    }
    total.map(Neumaier::value)
}

/// [`forward_sums_body`] on the widest vector unit of the running CPU.
fn forward_sums(x: &[f64], mu: f64, d2_min: f64, half_precision: f64) -> [f64; 3] {
    simd::fast(|| forward_sums_body(x, mu, d2_min, half_precision))
}

/// [`reverse_sums_body`] on the widest vector unit of the running CPU.
fn reverse_sums(x: &[f64], ln_p: &[f64], mu: f64, s_max: f64, half_precision: f64) -> [f64; 6] {
    simd::fast(|| reverse_sums_body(x, ln_p, mu, s_max, half_precision))
}

/// [`nearest_squared_distance`] on the widest vector unit of the running CPU.
fn dispatch_nearest(x: &[f64], mu: f64) -> f64 {
    simd::fast(|| nearest_squared_distance(x, mu))
}

/// θ = (μ, ln σ) → (μ, σ²), refusing what would make q undefined.
fn log_sigma_to_mean_variance(theta: &Vector2<f64>) -> Result<(f64, f64)> {
    check_finite(theta)?;
    let var = (2.0 * theta[1]).exp();
    if !(var.is_normal() && (0.5 / var).is_normal()) {
        return Err(Error::InvalidParameter {
            name: "ln_sigma",
            value: theta[1],
            reason: "σ² = exp(2 ln σ) and 1/(2σ²) must be positive normal doubles (|ln σ| < 354)",
        });
    }
    Ok((theta[0], var))
}

/// The largest `|x_i|` (and `|μ|` of [`normal_masses`]) accepted: `2⁵⁰⁰ ≈ 3.3·10¹⁵⁰`, so that
/// squared distances `(x_i − μ)²` cannot overflow.
pub const MAX_COORDINATE: f64 = 3.273390607896142e150;

/// `Err` naming the first entry of `values` beyond [`MAX_COORDINATE`].
fn check_magnitude(name: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().find(|v| v.abs() > MAX_COORDINATE) {
        Some(&value) => Err(Error::InvalidParameter {
            name,
            value,
            reason: "coordinates must lie within ±2^500 (3.3e150): beyond, squared distances overflow; rescale the grid",
        }),
        None => Ok(()),
    }
}

/// The loss and gradient, or an error where they overflowed into NaN (θ so far from the
/// grid, for its σ, that `(x − μ)²/(2σ²)` is beyond the largest double).
fn finite_loss(
    theta: &Vector2<f64>,
    loss: f64,
    gradient: Vector2<f64>,
) -> Result<(f64, Vector2<f64>)> {
    if loss.is_nan() || gradient.iter().any(|g| g.is_nan()) {
        return Err(Error::InvalidParameter {
            name: "mu",
            value: theta[0],
            reason: "the loss overflows at this θ ((x − μ)²/(2σ²) beyond the largest double): start nearer the target",
        });
    }
    Ok((loss, gradient))
}

fn check_finite(theta: &Vector2<f64>) -> Result<()> {
    check_all_finite("theta", theta.as_slice())
}

fn validate_grid(x: &[f64], p: &[f64]) -> Result<()> {
    if x.is_empty() {
        return Err(Error::Empty { name: "x" });
    }
    if p.len() != x.len() {
        return Err(Error::GridMismatch {
            name: "p",
            expected: x.len(),
            got: p.len(),
        });
    }
    check_all_finite("x", x)?;
    check_magnitude("x", x)
}

/// Finite and non-negative: the original's pdf values.
fn validate_weights(p: &[f64]) -> Result<()> {
    check_all_finite("p", p)?;
    match p.iter().position(|&v| v < 0.0) {
        Some(index) => Err(Error::Negative {
            name: "p",
            index,
            value: p[index],
        }),
        None => Ok(()),
    }
}

/// Masses: non-negative weights that sum to 1 within [`SUM_TOLERANCE`], as `kl::discrete` asks.
fn validate_masses(p: &[f64]) -> Result<()> {
    validate_weights(p)?;
    let sum: f64 = p.iter().sum();
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        return Err(Error::NotNormalized {
            name: "p",
            sum,
            tolerance: SUM_TOLERANCE,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{
        Grid, dispatch_nearest, forward_sums, forward_sums_body, nearest_squared_distance,
        reverse_sums, reverse_sums_body,
    };

    fn grid(n: usize) -> Vec<f64> {
        (0..n).map(|i| -10.0 + 20.0 * i as f64 / n as f64).collect()
    }

    /// The vector build the CPU picks (AVX-512 or AVX2) rounds exactly like the portable one:
    /// no fused multiply-add, a fixed lane order and a fixed fold.
    #[test]
    fn vector_and_portable_builds_agree_bit_for_bit() {
        for n in [1, 7, 8, 255, 256, 257, 20_000, 20_003] {
            let x = grid(n);
            let ln_p: Vec<f64> = x.iter().map(|xi| -0.5 * xi * xi - 3.0).collect();
            for (mu, var) in [(0.0, 4.0), (0.37, 0.01), (-30.0, 1.0), (9.99, 1e-6)] {
                let hp = 0.5 / var;
                let d2_min = nearest_squared_distance(&x, mu);
                let a = forward_sums(&x, mu, d2_min, hp).map(f64::to_bits);
                let a_forward = forward_sums_body(&x, mu, d2_min, hp).map(f64::to_bits);
                assert_eq!(a, a_forward, "n = {n}, mu = {mu}");
                let s_max = -d2_min * hp;
                let a = reverse_sums(&x, &ln_p, mu, s_max, hp).map(f64::to_bits);
                let b = reverse_sums_body(&x, &ln_p, mu, s_max, hp).map(f64::to_bits);
                assert_eq!(a, b, "n = {n}, mu = {mu}");
                assert_eq!(dispatch_nearest(&x, mu).to_bits(), d2_min.to_bits());
                // Every vector build the CPU has, not only the one the dispatch picks.
                for level in crate::simd::available() {
                    let f = crate::simd::at(level, || forward_sums_body(&x, mu, d2_min, hp));
                    let r = crate::simd::at(level, || reverse_sums_body(&x, &ln_p, mu, s_max, hp));
                    let n2 = crate::simd::at(level, || nearest_squared_distance(&x, mu));
                    assert_eq!(f.map(f64::to_bits), a_forward, "{level:?}");
                    assert_eq!(r.map(f64::to_bits), b, "{level:?}");
                    assert_eq!(n2.to_bits(), d2_min.to_bits(), "{level:?}");
                }
            }
        }
    }

    /// The binary search on a sorted grid returns the scan's bits: inside the grid, on its
    /// points, between them, outside it on either side, and with repeated points.
    #[test]
    fn binary_search_equals_the_scan() {
        let mut x = grid(1000);
        x.insert(500, x[500]);
        x.insert(0, x[0]);
        let sorted = Grid::new(&x);
        assert!(sorted.sorted);
        let mut mus: Vec<f64> = x
            .iter()
            .flat_map(|&xi| [xi, xi + 0.004, xi - 1e-13])
            .collect();
        mus.extend([-1e300, -50.0, 50.0, 1e300, 0.0, -0.0]);
        for mu in mus {
            assert_eq!(
                sorted.nearest_squared_distance(mu).to_bits(),
                nearest_squared_distance(&x, mu).to_bits(),
                "mu = {mu:e}"
            );
        }
        assert!(!Grid::new(&[0.0, 2.0, 1.0]).sorted);
    }
}
