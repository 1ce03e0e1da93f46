//! [`MvnMixture`]: a Gaussian mixture in `d` dimensions, `Σₖ wₖ N(μₖ, Σₖ)`.

use nalgebra::{Cholesky, DMatrix, DVector, Dyn};
use statrs::distribution::{MultivariateNormal, Normal};

use super::{LN_SQRT_2PI, check_weights};
use crate::error::{Error, Result, check_all_finite};

/// How far from symmetric a covariance may be: `|Σᵢⱼ − Σⱼᵢ| ≤ 1e-12 · maxᵢⱼ |Σᵢⱼ|`. The
/// matrix used is `(Σ + Σᵀ)/2`.
pub const SYMMETRY_TOLERANCE: f64 = 1e-12;

/// A Gaussian mixture in `d ≥ 1` dimensions, `p(x) = Σₖ wₖ N(x; μₖ, Σₖ)`, with `wₖ > 0`,
/// `Σₖ wₖ = 1` and each covariance `Σₖ` symmetric positive definite.
///
/// Each component is kept as a statrs [`MultivariateNormal`] (so the registry's
/// `KlDivergence` between two of them applies) and by its Cholesky factor `Σₖ = Lₖ Lₖᵀ`, from
/// which the log-density is computed without an inverse or a determinant that could
/// overflow:
///
/// ```text
/// ln N(x; μ, Σ) = −½ ‖L⁻¹(x − μ)‖² − Σᵢ ln Lᵢᵢ − (d/2) ln 2π
/// ```
///
/// It draws points (`rand::distr::Distribution<DVector<f64>>`): a component with probability
/// `wₖ`, then `μₖ + Lₖ z` with `z` standard normal. The KL routes for mixtures are in
/// [`crate::mixture`] (the *KL between mixtures* section).
#[derive(Debug, Clone, PartialEq)]
pub struct MvnMixture {
    weights: Vec<f64>,
    pub(super) components: Vec<MultivariateNormal<Dyn>>,
    factors: Vec<DMatrix<f64>>,
    half_ln_dets: Vec<f64>,
}

impl MvnMixture {
    /// A mixture from its weights, means and covariance matrices, one entry per component.
    ///
    /// # Remarks
    /// - Errors: no component ([`Error::Empty`]; also for means of dimension 0), lists of
    ///   different lengths, a mean of another dimension than the first or a covariance that is
    ///   not `d × d` ([`Error::DimensionMismatch`]), NaN or ±∞ ([`Error::NotFinite`], `index`
    ///   the component), a negative weight ([`Error::Negative`]), weights not summing to 1
    ///   within [`WEIGHT_TOLERANCE`](super::WEIGHT_TOLERANCE) ([`Error::NotNormalized`]), a
    ///   zero weight, a covariance that is not symmetric within [`SYMMETRY_TOLERANCE`] or not
    ///   positive definite (its Cholesky factorisation fails) ([`Error::InvalidParameter`],
    ///   `value` the component's index).
    /// - Unlike the 1-D [`GaussianMixture`](super::GaussianMixture), a weight must be
    ///   positive: drop a component of weight 0.
    ///
    /// ```
    /// use kl::mixture::MvnMixture;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let (a, b) = (DMatrix::from_row_slice(2, 2, &[1.0, 0.3, 0.3, 2.0]), DMatrix::identity(2, 2));
    /// let means = [DVector::from_vec(vec![0.0, 0.0]), DVector::from_vec(vec![3.0, 1.0])];
    /// let m = MvnMixture::new(&[0.4, 0.6], &means, &[a, b])?;
    /// assert_eq!((m.len(), m.dimension()), (2, 2));
    /// // Not positive definite: a typed error, not a panic.
    /// let indefinite = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]);
    /// let bad = MvnMixture::new(&[1.0], &means[..1], &[indefinite]);
    /// assert!(matches!(bad, Err(kl::Error::InvalidParameter { .. })));
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn new(
        weights: &[f64],
        means: &[DVector<f64>],
        covariances: &[DMatrix<f64>],
    ) -> Result<Self> {
        if weights.is_empty() {
            return Err(Error::Empty { name: "weights" });
        }
        for (name, len) in [("means", means.len()), ("covariances", covariances.len())] {
            if len != weights.len() {
                return Err(Error::DimensionMismatch {
                    name,
                    expected: weights.len(),
                    got: len,
                });
            }
        }
        check_all_finite("weights", weights)?;
        let normalised = check_weights(weights)?;
        if let Some(index) = weights.iter().position(|&w| w == 0.0) {
            return Err(Error::InvalidParameter {
                name: "weights",
                value: index as f64,
                reason: "a weight is 0 (the value is its index): drop that component",
            });
        }
        let d = means[0].len();
        if d == 0 {
            return Err(Error::Empty { name: "means[0]" });
        }
        let mut components = Vec::with_capacity(weights.len());
        let mut factors = Vec::with_capacity(weights.len());
        let mut half_ln_dets = Vec::with_capacity(weights.len());
        for (k, (mean, cov)) in means.iter().zip(covariances).enumerate() {
            let (l, c) = checked_component(k, d, mean, cov)?;
            half_ln_dets.push(l.diagonal().iter().map(|x| x.ln()).sum());
            factors.push(l);
            components.push(c);
        }
        Ok(MvnMixture {
            weights: normalised,
            components,
            factors,
            half_ln_dets,
        })
    }

    /// Number of components `K`.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Always `false`: a mixture has at least one component.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The dimension `d` of the points.
    pub fn dimension(&self) -> usize {
        self.factors[0].nrows()
    }

    /// The weights `wₖ`, divided by their sum (stored normalised, as
    /// [`GaussianMixture::weights`](super::GaussianMixture::weights) explains).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Component `k` as a statrs [`MultivariateNormal`]; `None` if `k ≥ K`.
    pub fn component(&self, k: usize) -> Option<&MultivariateNormal<Dyn>> {
        self.components.get(k)
    }

    /// `Σᵢ ln (Lₖ)ᵢᵢ = ½ ln det Σₖ`.
    pub(crate) fn half_ln_det(&self, k: usize) -> f64 {
        self.half_ln_dets[k]
    }

    /// `ln p(x) = ln Σₖ wₖ N(x; μₖ, Σₖ)` in nats, by log-sum-exp over the components' log-densities
    /// (formula in the type's docs), so a point far out gives a finite value.
    ///
    /// Errors: `x` of another dimension ([`Error::DimensionMismatch`]), NaN or ±∞ in `x`
    /// ([`Error::NotFinite`]).
    ///
    /// ```
    /// use kl::mixture::MvnMixture;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let m = MvnMixture::new(&[1.0], &[DVector::zeros(2)], &[DMatrix::identity(2, 2)])?;
    /// // One standard normal in 2-D, 30 standard deviations out: −450 − ln 2π.
    /// let ln_p = m.ln_density(&DVector::from_vec(vec![30.0, 0.0]))?;
    /// assert!((ln_p - (-450.0 - (2.0 * std::f64::consts::PI).ln())).abs() < 1e-12);
    /// # Ok::<(), kl::Error>(())
    /// ```
    pub fn ln_density(&self, x: &DVector<f64>) -> Result<f64> {
        if x.len() != self.dimension() {
            return Err(Error::DimensionMismatch {
                name: "x",
                expected: self.dimension(),
                got: x.len(),
            });
        }
        check_all_finite("x", x.as_slice())?;
        Ok(self.ln_density_unchecked(x))
    }

    /// [`Self::ln_density`] for a point known to have the right dimension.
    pub(crate) fn ln_density_unchecked(&self, x: &DVector<f64>) -> f64 {
        let terms: Vec<f64> = (0..self.len())
            .map(|k| {
                let c = &self.components[k];
                self.weights[k].ln()
                    + ln_gaussian(&(x - c.mu()), &self.factors[k], self.half_ln_dets[k])
            })
            .collect();
        super::divergence::log_sum_exp(terms)
    }
}

/// `ln N(v; 0, L Lᵀ) = −½ ‖L⁻¹ v‖² − Σᵢ ln Lᵢᵢ − (d/2) ln 2π`, given `Σᵢ ln Lᵢᵢ`.
pub(crate) fn ln_gaussian(v: &DVector<f64>, l: &DMatrix<f64>, half_ln_det: f64) -> f64 {
    let Some(z) = l.solve_lower_triangular(v) else {
        return f64::NEG_INFINITY;
    };
    -0.5 * z.norm_squared() - half_ln_det - v.len() as f64 * LN_SQRT_2PI
}

/// Component `k`'s checks (dimension, finite, symmetric, positive definite), its Cholesky
/// factor and its statrs distribution.
fn checked_component(
    k: usize,
    d: usize,
    mean: &DVector<f64>,
    cov: &DMatrix<f64>,
) -> Result<(DMatrix<f64>, MultivariateNormal<Dyn>)> {
    if mean.len() != d {
        return Err(Error::DimensionMismatch {
            name: "means",
            expected: d,
            got: mean.len(),
        });
    }
    if cov.nrows() != d || cov.ncols() != d {
        return Err(Error::DimensionMismatch {
            name: "covariances",
            expected: d,
            got: if cov.nrows() != d {
                cov.nrows()
            } else {
                cov.ncols()
            },
        });
    }
    if mean.iter().any(|v| !v.is_finite()) {
        return Err(Error::NotFinite {
            name: "means",
            index: k,
            value: mean.iter().copied().find(|v| !v.is_finite()).unwrap_or(0.0),
        });
    }
    if cov.iter().any(|v| !v.is_finite()) {
        return Err(Error::NotFinite {
            name: "covariances",
            index: k,
            value: cov.iter().copied().find(|v| !v.is_finite()).unwrap_or(0.0),
        });
    }
    let scale = cov.amax();
    if (cov - cov.transpose()).amax() > SYMMETRY_TOLERANCE * scale {
        return Err(Error::InvalidParameter {
            name: "covariances",
            value: k as f64,
            reason: "a covariance is not symmetric (the value is the component's index)",
        });
    }
    let symmetric = (cov + cov.transpose()) * 0.5;
    let not_positive_definite = Error::InvalidParameter {
        name: "covariances",
        value: k as f64,
        reason: "a covariance is not positive definite: its Cholesky factorisation failed \
                 (the value is the component's index)",
    };
    let Some(chol) = Cholesky::new(symmetric.clone()) else {
        return Err(not_positive_definite);
    };
    let l = chol.l();
    if l.diagonal().iter().any(|&x| !(x > 0.0 && x.is_finite())) {
        return Err(not_positive_definite);
    }
    let c = MultivariateNormal::new_from_nalgebra(mean.clone(), symmetric)
        .map_err(|_| not_positive_definite)?;
    Ok((l, c))
}

impl rand::distr::Distribution<DVector<f64>> for MvnMixture {
    /// Draws a component with probability `wₖ`, then `μₖ + Lₖ z`, `z ~ N(0, I)`.
    fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> DVector<f64> {
        let k = super::draw_component(&self.weights, rng);
        let standard = Normal::standard();
        let z = DVector::from_fn(self.dimension(), |_, _| {
            rand::distr::Distribution::sample(&standard, rng)
        });
        self.components[k].mu() + &self.factors[k] * z
    }
}
