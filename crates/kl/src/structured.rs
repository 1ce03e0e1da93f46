//! Multivariate normals with structured covariance: diagonal (a VAE's encoder output) and
//! low rank plus diagonal (torch's `LowRankMultivariateNormal`).
//!
//! A dense `k × k` covariance costs `O(k³)` to factor; these two never form it.
//!
//! - [`DiagonalNormal`]: `N(μ, diag σ²)`, `σ` the standard deviations. The dimensions are
//!   independent, so KL between two of them is a sum of `k` univariate KLs, `O(k)`.
//! - [`LowRankNormal`]: `N(μ, W Wᵀ + D)` with `W` a `k × r` factor and `D = diag(d)`,
//!   `d` the variances of the diagonal part. Its inverse by the Woodbury identity and its
//!   log-determinant by the matrix determinant lemma, both through the `r × r` capacitance
//!   `C = I_r + Wᵀ D⁻¹ W`:
//!
//! ```text
//! Σ⁻¹       = D⁻¹ − D⁻¹ W C⁻¹ Wᵀ D⁻¹
//! ln det Σ  = ln det C + Σᵢ ln dᵢ
//! ```
//!
//! so every KL against it costs `O(k r²)` (plus `O(k r₁ r₂)` against another low-rank one).
//! Both are evaluated through the singular value decomposition of `D^{-½} W`, taken once at
//! construction, in a form that adds no large terms of opposite sign (see [`LowRankNormal`]).
//!
//! Accuracy, measured (`tests/all/structured.rs`): against the dense formula over drawn
//! parameters with condition numbers up to ~1e5, within 2e-14 of the terms' size; against
//! mpmath at condition numbers up to 1.4e8, within 7e-15 relative, and 7e-10 relative for a
//! nearly equal pair whose KL (5e-6) is a difference of terms of size 1e8 in the textbook
//! form.
//! The pairs, with statrs's dense [`MultivariateNormal`](statrs::distribution::MultivariateNormal),
//! are in the [registry](crate::closed_form).
//!
//! [`standard_normal_kl`] is the VAE's KL term `KL(N(μ, diag σ²) ‖ N(0, I))` with its
//! gradient in `(μ, ln σ)`, the parameters an encoder outputs.

use nalgebra::{DMatrix, DVector};

use crate::error::{Error, Result, check_all_finite};

/// The largest dimension `k` accepted: a diagonal normal holds `2k` numbers and each KL
/// reads them once.
pub const MAX_DIMENSION: usize = 1 << 24;

/// The largest `k · r` accepted for a low-rank factor (80 MB of doubles); the capacitance costs
/// `k r²` operations to form.
pub const MAX_FACTOR_ENTRIES: usize = 10_000_000;

/// The largest rank `r` accepted: the capacitance matrix is `r × r` and factored in `O(r³)`.
pub const MAX_RANK: usize = 2_000;

/// `N(μ, diag σ²)`: a multivariate normal with independent coordinates, mean `μ` and standard
/// deviations `σ` (not variances), dimension `k ≥ 1`.
///
/// ```text
/// ln p(x) = −(k/2) ln(2π) − Σᵢ ln σᵢ − ½ Σᵢ ((xᵢ − μᵢ)/σᵢ)²
/// ```
///
/// ```
/// use kl::structured::DiagonalNormal;
///
/// let p = DiagonalNormal::new(vec![0.0, 1.0], vec![1.0, 2.0])?;
/// assert_eq!(p.dimension(), 2);
/// // ln p(μ) = −ln(2π) − ln 2
/// let expected = -(2.0 * std::f64::consts::PI).ln() - 2f64.ln();
/// assert!((p.ln_pdf(&[0.0, 1.0])? - expected).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DiagonalNormal {
    mean: Vec<f64>,
    std_dev: Vec<f64>,
}

/// `N(μ, W Wᵀ + D)`: a multivariate normal whose covariance is a rank-`r` factor `W` (`k × r`)
/// plus a diagonal `D = diag(d)` of variances `dᵢ > 0`, as torch's
/// `LowRankMultivariateNormal(loc, cov_factor, cov_diag)`. `r = 0` is the diagonal normal
/// with `σᵢ = √dᵢ`.
///
/// Construction takes the thin singular value decomposition of the whitened factor
/// `U = D^{-½} W = V S Gᵀ` once (`O(k r²)`), so that, with `V` orthonormal (`k × m`,
/// `m = min(k, r)`) and `sⱼ` its singular values,
///
/// ```text
/// Σ⁻¹      = D^{-½} [ (I − V Vᵀ) + V diag(1/(1 + sⱼ²)) Vᵀ ] D^{-½}      (Woodbury)
/// ln det Σ = Σⱼ ln(1 + sⱼ²) + Σᵢ ln dᵢ                       (determinant lemma)
/// ```
///
/// are at hand for every KL. Written so, `tr(Mᵀ Σ⁻¹ M)` is a sum of non-negative terms: the
/// part of `D^{-½} M` outside the span of `V` (a residual, computed as a difference of
/// vectors) and the part inside it shrunk by `1/(1 + s²)`. The textbook form
/// `Σ⁻¹ = D⁻¹ − D⁻¹ W C⁻¹ Wᵀ D⁻¹` subtracts two numbers of size `‖W‖²/d` instead, and loses
/// everything below `ε ‖W‖²/d`: three digits for nearly equal normals with `‖W‖²/d ≈ 1e8`.
///
/// ```
/// use kl::structured::LowRankNormal;
///
/// // Σ = w wᵀ + I with w = (1, 1): [[2, 1], [1, 2]], det Σ = 3.
/// let p = LowRankNormal::new(vec![0.0, 0.0], vec![1.0, 1.0], 1, vec![1.0, 1.0])?;
/// assert!((p.ln_det_covariance() - 3f64.ln()).abs() < 1e-15);
/// assert_eq!(p.covariance(), vec![2.0, 1.0, 1.0, 2.0]);
/// # Ok::<(), kl::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LowRankNormal {
    mean: Vec<f64>,
    /// `W`, `k × r`.
    factor: DMatrix<f64>,
    /// `d`, the variances of the diagonal part.
    diag: Vec<f64>,
    /// `V`, the left singular vectors of `D^{-½} W`, `k × min(k, r)`.
    basis: DMatrix<f64>,
    /// `sⱼ²`, the squared singular values of `D^{-½} W`.
    singular_sq: Vec<f64>,
}

/// `Err(Error::TooLarge)` for a dimension above [`MAX_DIMENSION`], `Err(Error::Empty)` for 0.
fn check_dimension(name: &'static str, k: usize) -> Result<()> {
    if k == 0 {
        return Err(Error::Empty { name });
    }
    if k > MAX_DIMENSION {
        return Err(Error::TooLarge {
            name,
            got: k as u64,
            limit: MAX_DIMENSION as u64,
            reason: "a multivariate normal of this dimension would not fit in memory",
        });
    }
    Ok(())
}

/// `Err(Error::DimensionMismatch)` unless `got == expected`.
fn check_length(name: &'static str, expected: usize, got: usize) -> Result<()> {
    if got == expected {
        Ok(())
    } else {
        Err(Error::DimensionMismatch {
            name,
            expected,
            got,
        })
    }
}

/// Finite and strictly positive: `Err(Error::NotFinite)` or `Err(Error::NotPositive)` at the
/// first entry that is not.
fn check_positive(name: &'static str, values: &[f64]) -> Result<()> {
    check_all_finite(name, values)?;
    match values.iter().position(|&v| v <= 0.0) {
        Some(index) => Err(Error::NotPositive {
            name,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

impl DiagonalNormal {
    /// `N(μ, diag σ²)` from the means `μ` and the standard deviations `σ`.
    ///
    /// # Errors
    /// [`Error::Empty`] for `k = 0`; [`Error::TooLarge`] above [`MAX_DIMENSION`];
    /// [`Error::DimensionMismatch`] if `std_dev` has not `k` entries; [`Error::NotFinite`] for
    /// a NaN or infinite entry; [`Error::NotPositive`] for `σᵢ ≤ 0`.
    ///
    /// ```
    /// use kl::structured::DiagonalNormal;
    ///
    /// let err = DiagonalNormal::new(vec![0.0, 0.0], vec![1.0, 0.0]).unwrap_err();
    /// assert!(matches!(err, kl::Error::NotPositive { name: "std_dev", index: 1, .. }));
    /// ```
    pub fn new(mean: Vec<f64>, std_dev: Vec<f64>) -> Result<Self> {
        check_dimension("mean", mean.len())?;
        check_length("std_dev", mean.len(), std_dev.len())?;
        check_all_finite("mean", &mean)?;
        check_positive("std_dev", &std_dev)?;
        Ok(Self { mean, std_dev })
    }

    /// `N(0, I)` in dimension `k`, the VAE's prior.
    ///
    /// # Errors
    /// [`Error::Empty`] for `k = 0`, [`Error::TooLarge`] above [`MAX_DIMENSION`].
    ///
    /// ```
    /// let prior = kl::structured::DiagonalNormal::standard(3)?;
    /// assert_eq!(prior.std_dev(), &[1.0, 1.0, 1.0]);
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn standard(k: usize) -> Result<Self> {
        check_dimension("k", k)?;
        Ok(Self {
            mean: vec![0.0; k],
            std_dev: vec![1.0; k],
        })
    }

    /// The dimension `k`.
    pub fn dimension(&self) -> usize {
        self.mean.len()
    }

    /// The means `μ`.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// The standard deviations `σ`.
    pub fn std_dev(&self) -> &[f64] {
        &self.std_dev
    }

    /// The dense covariance `diag σ²`, row-major `k × k` (as statrs's
    /// `MultivariateNormal::new` takes it).
    ///
    /// ```
    /// let p = kl::structured::DiagonalNormal::new(vec![0.0, 0.0], vec![1.0, 3.0])?;
    /// assert_eq!(p.covariance(), vec![1.0, 0.0, 0.0, 9.0]);
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn covariance(&self) -> Vec<f64> {
        let k = self.dimension();
        let mut cov = vec![0.0; k * k];
        for (i, s) in self.std_dev.iter().enumerate() {
            cov[i * k + i] = s * s;
        }
        cov
    }

    /// `ln p(x) = −(k/2) ln(2π) − Σᵢ ln σᵢ − ½ Σᵢ ((xᵢ − μᵢ)/σᵢ)²`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `x` has not `k` entries; [`Error::NotFinite`] for a NaN
    /// or infinite entry.
    ///
    /// ```
    /// let p = kl::structured::DiagonalNormal::standard(1)?;
    /// let ln_p = p.ln_pdf(&[1.0])?;
    /// assert!((ln_p - (-0.5 - 0.5 * (2.0 * std::f64::consts::PI).ln())).abs() < 1e-15);
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn ln_pdf(&self, x: &[f64]) -> Result<f64> {
        check_length("x", self.dimension(), x.len())?;
        check_all_finite("x", x)?;
        let mut sum = 0.0;
        for ((&xi, &m), &s) in x.iter().zip(&self.mean).zip(&self.std_dev) {
            let z = (xi - m) / s;
            sum += s.ln() + 0.5 * z * z;
        }
        Ok(-(self.dimension() as f64) * statrs::consts::LN_SQRT_2PI - sum)
    }

    /// The same distribution as a rank-0 [`Factored`] (`d = σ²`, no factor).
    pub(crate) fn factored(&self) -> Factored<'_> {
        let k = self.dimension();
        Factored {
            mean: &self.mean,
            diag: self.std_dev.iter().map(|s| s * s).collect(),
            factor: DMatrix::zeros(k, 0),
            basis: DMatrix::zeros(k, 0),
            singular_sq: Vec::new(),
        }
    }
}

impl LowRankNormal {
    /// `N(μ, W Wᵀ + diag d)` from the mean `μ` (`k`), the factor `W` as a row-major `k × r`
    /// list (`cov_factor[i·r + j] = W_ij`, the layout of torch's `cov_factor`) and the
    /// variances `d` (`k`, all > 0) of the diagonal part.
    ///
    /// # Errors
    /// [`Error::Empty`] for `k = 0`; [`Error::TooLarge`] for `k` above [`MAX_DIMENSION`], `r`
    /// above [`MAX_RANK`] or `k r` above [`MAX_FACTOR_ENTRIES`];
    /// [`Error::DimensionMismatch`] if `cov_factor` has not `k r` entries or `cov_diag` not
    /// `k`; [`Error::NotFinite`] for a NaN or infinite entry; [`Error::NotPositive`] for
    /// `dᵢ ≤ 0`; [`Error::InvalidParameter`] named `cov_factor` if `(D^{-½} W)²` overflows
    /// (or, never seen, its singular value decomposition does not converge).
    ///
    /// ```
    /// use kl::structured::LowRankNormal;
    ///
    /// let err = LowRankNormal::new(vec![0.0; 3], vec![1.0; 5], 2, vec![1.0; 3]).unwrap_err();
    /// assert!(matches!(err, kl::Error::DimensionMismatch { expected: 6, got: 5, .. }));
    /// ```
    pub fn new(
        mean: Vec<f64>,
        cov_factor: Vec<f64>,
        rank: usize,
        cov_diag: Vec<f64>,
    ) -> Result<Self> {
        let k = mean.len();
        check_dimension("mean", k)?;
        crate::error::check_at_most(
            "rank",
            rank,
            MAX_RANK,
            "the r × r capacitance matrix is factored in O(r³); use a dense \
                         MultivariateNormal for a covariance of such rank",
        )?;
        let entries = k.saturating_mul(rank);
        crate::error::check_at_most(
            "cov_factor",
            entries,
            MAX_FACTOR_ENTRIES,
            "forming the capacitance costs k r² operations",
        )?;
        check_length("cov_factor", entries, cov_factor.len())?;
        check_length("cov_diag", k, cov_diag.len())?;
        check_all_finite("mean", &mean)?;
        check_all_finite("cov_factor", &cov_factor)?;
        check_positive("cov_diag", &cov_diag)?;
        let factor = DMatrix::from_row_slice(k, rank, &cov_factor);
        let overflow = Error::InvalidParameter {
            name: "cov_factor",
            value: factor.amax(),
            reason: "W Wᵀ is too large against cov_diag: D^(-1/2) W overflows a double, or \
                     its singular value decomposition did not converge",
        };
        let mut whitened = factor.clone();
        for (i, d) in cov_diag.iter().enumerate() {
            whitened.row_mut(i).unscale_mut(d.sqrt());
        }
        let finite_squares = whitened.iter().all(|v| (v * v).is_finite());
        if !finite_squares {
            return Err(overflow);
        }
        let (basis, singular_sq) = if rank == 0 {
            (DMatrix::zeros(k, 0), Vec::new())
        } else {
            // 200 sweeps: Golub–Kahan converges in a few per singular value; the cap only
            // bounds the work on input that would not converge.
            let svd = whitened
                .try_svd(true, false, f64::EPSILON, 200 * rank.min(k))
                .ok_or_else(|| overflow.clone())?;
            let basis = svd.u.ok_or_else(|| overflow.clone())?;
            let sq: Vec<f64> = svd.singular_values.iter().map(|s| s * s).collect();
            (basis, sq)
        };
        if !all_finite(&singular_sq) || !basis.iter().all(|v| v.is_finite()) {
            return Err(overflow);
        }
        Ok(Self {
            mean,
            factor,
            diag: cov_diag,
            basis,
            singular_sq,
        })
    }

    /// The dimension `k`.
    pub fn dimension(&self) -> usize {
        self.mean.len()
    }

    /// The rank `r` of the factor.
    pub fn rank(&self) -> usize {
        self.factor.ncols()
    }

    /// The mean `μ`.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// The variances `d` of the diagonal part.
    pub fn cov_diag(&self) -> &[f64] {
        &self.diag
    }

    /// The factor `W`, row-major `k × r` (the layout [`LowRankNormal::new`] takes).
    pub fn cov_factor(&self) -> Vec<f64> {
        self.factor.transpose().as_slice().to_vec()
    }

    /// `ln det Σ = ln det(I_r + Wᵀ D⁻¹ W) + Σᵢ ln dᵢ` (the matrix determinant lemma).
    pub fn ln_det_covariance(&self) -> f64 {
        self.factored().ln_det()
    }

    /// The dense covariance `W Wᵀ + diag d`, row-major `k × k` (as statrs's
    /// `MultivariateNormal::new` takes it); `O(k² r)`, for checks and small `k`.
    pub fn covariance(&self) -> Vec<f64> {
        let mut cov = &self.factor * self.factor.transpose();
        for (i, d) in self.diag.iter().enumerate() {
            cov[(i, i)] += d;
        }
        // Symmetric, so column-major and row-major agree.
        cov.as_slice().to_vec()
    }

    pub(crate) fn factored(&self) -> Factored<'_> {
        Factored {
            mean: &self.mean,
            diag: self.diag.clone(),
            factor: self.factor.clone(),
            basis: self.basis.clone(),
            singular_sq: self.singular_sq.clone(),
        }
    }
}

/// Every entry finite.
fn all_finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}

/// `N(μ, W Wᵀ + diag d)` with the pieces of its inverse (see [`LowRankNormal`]): what every
/// structured KL reads. A [`DiagonalNormal`] is the case `r = 0`.
pub(crate) struct Factored<'a> {
    pub(crate) mean: &'a [f64],
    /// `d`, variances.
    pub(crate) diag: Vec<f64>,
    /// `W`, `k × r`.
    pub(crate) factor: DMatrix<f64>,
    /// `V`, the left singular vectors of `D^{-½} W`.
    pub(crate) basis: DMatrix<f64>,
    /// `sⱼ²`, the squared singular values of `D^{-½} W`.
    pub(crate) singular_sq: Vec<f64>,
}

impl Factored<'_> {
    /// `ln det C = Σⱼ ln(1 + sⱼ²)`, `C = I + Wᵀ D⁻¹ W` the capacitance.
    pub(crate) fn ln_det_capacitance(&self) -> f64 {
        self.singular_sq.iter().map(|s| s.ln_1p()).sum()
    }

    /// `ln det Σ = ln det C + Σᵢ ln dᵢ`.
    pub(crate) fn ln_det(&self) -> f64 {
        self.ln_det_capacitance() + self.diag.iter().map(|d| d.ln()).sum::<f64>()
    }

    /// `tr(Mᵀ Σ⁻¹ M)` for a `k × c` matrix `M` (with `M` a column `v`, the quadratic form
    /// `vᵀ Σ⁻¹ v`): with `M' = D^{-½} M` and `B = Vᵀ M'`,
    /// `‖M' − V B‖²_F + Σⱼ ‖Bⱼ‖²/(1 + sⱼ²)`, both parts non-negative.
    pub(crate) fn inverse_form(&self, m: &DMatrix<f64>) -> f64 {
        let mut whitened = m.clone();
        for (i, d) in self.diag.iter().enumerate() {
            whitened.row_mut(i).unscale_mut(d.sqrt());
        }
        let inside = self.basis.transpose() * &whitened;
        let outside = (&whitened - &self.basis * &inside).norm_squared();
        let shrunk: f64 = (0..inside.nrows())
            .map(|j| inside.row(j).norm_squared() / (1.0 + self.singular_sq[j]))
            .sum();
        outside + shrunk
    }

    /// `Σᵢ eᵢ Σⱼ Vᵢⱼ² sⱼ²/(1 + sⱼ²)`: how far the factor lowers `tr(Σ⁻¹ diag(e ⊙ d))` below
    /// `Σᵢ eᵢ` (with `eᵢ = d'ᵢ/dᵢ` for another normal's variances `d'`).
    pub(crate) fn factor_share(&self, e: &[f64]) -> f64 {
        (0..self.basis.ncols())
            .map(|j| {
                let s2 = self.singular_sq[j];
                let weight = s2 / (1.0 + s2);
                let column = self.basis.column(j);
                weight * column.iter().zip(e).map(|(v, e)| e * v * v).sum::<f64>()
            })
            .sum()
    }

    /// The mean as a `k × 1` matrix.
    pub(crate) fn mean_column(&self) -> DMatrix<f64> {
        DMatrix::from_column_slice(self.mean.len(), 1, self.mean)
    }
}

/// The mean difference `μ_q − μ_p` as a `k × 1` matrix.
pub(crate) fn mean_gap(p: &[f64], q: &[f64]) -> DMatrix<f64> {
    DMatrix::from_iterator(p.len(), 1, q.iter().zip(p).map(|(b, a)| b - a))
}

/// Dense `k` vector of a slice (nalgebra's column).
pub(crate) fn column(v: &[f64]) -> DVector<f64> {
    DVector::from_column_slice(v)
}

/// The VAE's KL term and its gradient: `KL(N(μ, diag σ²) ‖ N(0, I))` for an encoder's outputs
/// `μ` and `s = ln σ` (each of length `k`), with the gradient in `θ = (μ₁ … μ_k, s₁ … s_k)`:
///
/// ```text
/// KL       = ½ Σᵢ (μᵢ² + σᵢ² − 1 − 2 ln σᵢ)        σᵢ = e^{sᵢ}
/// ∂KL/∂μᵢ  = μᵢ
/// ∂KL/∂sᵢ  = σᵢ² − 1
/// ```
///
/// Derivation: each term is `½ μᵢ² + ½ (e^{2sᵢ} − 1 − 2sᵢ)`; the derivative of
/// `½ e^{2s}` in `s` is `e^{2s} = σ²`, of `−s` is `−1`. `σ² − 1 − ln σ²` is evaluated without
/// cancellation near `σ = 1`. In nats.
///
/// # Errors
/// [`Error::LengthMismatch`] if the two lengths differ, [`Error::Empty`] if they are 0,
/// [`Error::TooLarge`] above [`MAX_DIMENSION`], [`Error::NotFinite`] for a NaN or
/// infinite entry. A `ln σ` so large that `σ²` overflows gives `KL = +∞` and an infinite
/// gradient entry, the limits.
///
/// ```
/// use kl::structured::standard_normal_kl;
///
/// // μ = (1, 0), σ = (1, e): KL = ½(1 + 0) + ½(e² − 1 − 2) = ½(e² − 2).
/// let (kl, gradient) = standard_normal_kl(&[1.0, 0.0], &[0.0, 1.0])?;
/// let e2 = 1f64.exp().powi(2);
/// assert!((kl - 0.5 * (e2 - 2.0)).abs() < 1e-14);
/// assert_eq!(gradient[..3], [1.0, 0.0, 0.0]);
/// assert!((gradient[3] - (e2 - 1.0)).abs() < 1e-14);
/// // The hand gradient against central differences.
/// let check = kl::check::gradient_check(
///     |t: &[f64]| Ok(standard_normal_kl(&t[..2], &t[2..])?.0),
///     &gradient,
///     &[1.0, 0.0, 0.0, 1.0],
///     1e-5,
/// )?;
/// assert!(check.max_relative_error < 1e-9);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn standard_normal_kl(mean: &[f64], ln_std_dev: &[f64]) -> Result<(f64, Vec<f64>)> {
    if mean.len() != ln_std_dev.len() {
        return Err(Error::LengthMismatch {
            p_len: mean.len(),
            q_len: ln_std_dev.len(),
        });
    }
    check_dimension("mean", mean.len())?;
    check_all_finite("mean", mean)?;
    check_all_finite("ln_std_dev", ln_std_dev)?;
    let mut kl = 0.0;
    let mut gradient = Vec::with_capacity(2 * mean.len());
    gradient.extend_from_slice(mean);
    for (&m, &s) in mean.iter().zip(ln_std_dev) {
        let variance = (2.0 * s).exp();
        kl += 0.5 * (m * m + variance_gap(s));
        gradient.push(variance - 1.0);
    }
    Ok((kl, gradient))
}

/// `σ² − 1 − ln σ² = e^{2s} − 1 − 2s` for `s = ln σ`, without the cancellation near `s = 0`:
/// for `|2s| < 0.1` the series `Σ_{j ≥ 2} (2s)ʲ/j!` through `j = 14` (the next term is below
/// `1e-22` of the sum), else `expm1(2s) − 2s`, which loses at most a factor `2/|2s| ≤ 20` of
/// rounding to cancellation.
fn variance_gap(s: f64) -> f64 {
    let t = 2.0 * s;
    if t == f64::INFINITY {
        // |s| > 9e307: `2s` overflows, and so does the true value.
        return f64::INFINITY;
    }
    if t.abs() < 0.1 {
        // Horner: t²(1/2! + t(1/3! + t(1/4! + …))).
        let mut sum = 0.0;
        for j in (2..=14).rev() {
            sum = sum * t + 1.0 / factorial(j);
        }
        sum * t * t
    } else {
        t.exp_m1() - t
    }
}

/// `j!` as a double, for the few small `j` of a series.
fn factorial(j: u32) -> f64 {
    (1..=j).map(f64::from).product()
}
