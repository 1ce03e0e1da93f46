//! Structured multivariate normals ([`crate::structured`]): diagonal and low rank plus
//! diagonal, against themselves, each other and statrs's dense `MultivariateNormal`. Every
//! pair is the dense formula
//!
//! ```text
//! KL = ½ [ tr(Σ₂⁻¹ Σ₁) + (μ₂ − μ₁)ᵀ Σ₂⁻¹ (μ₂ − μ₁) − k + ln det Σ₂ − ln det Σ₁ ]
//! ```
//!
//! with each term computed from the structure: a diagonal covariance termwise, a low-rank one
//! by the Woodbury identity and the matrix determinant lemma `ln det Σ = ln det C + Σ ln dᵢ`
//! (both through the singular vectors `V` and values `sⱼ` of `D^{-½} W`, see
//! [`LowRankNormal`]), a dense one through its Cholesky factor. Reference
//! values in the doctests: the dense formula with an explicit inverse in mpmath at 30
//! digits. Different dimensions: `+∞` (disjoint supports), as for `MultivariateNormal`.

use nalgebra::{DMatrix, Dyn};
use statrs::distribution::MultivariateNormal;

use super::{KlDivergence, normal_normal, ratio_gap, tidy};
use crate::structured::{DiagonalNormal, Factored, LowRankNormal, column, mean_gap};

/// `N(μ, diag σ²)` against `N(μ', diag σ'²)`: the coordinates are independent, so the sum of
/// `k` univariate KLs, `O(k)`:
///
/// ```text
/// KL = Σᵢ [ ln(σ'ᵢ/σᵢ) + (σᵢ² + (μᵢ − μ'ᵢ)²)/(2σ'ᵢ²) − ½ ]
/// ```
///
/// each term evaluated as the `Normal` impl does, without cancellation.
///
/// ```
/// use kl::KlDivergence;
/// use kl::structured::DiagonalNormal;
///
/// let p = DiagonalNormal::new(vec![0.0, 1.0], vec![1.0, 2.0])?;
/// let q = DiagonalNormal::new(vec![1.0, -1.0], vec![2.0, 1.0])?;
/// assert!((p.kl_divergence(&q) - 3.25).abs() < 1e-14);
/// # Ok::<(), kl::Error>(())
/// ```
impl KlDivergence<DiagonalNormal> for DiagonalNormal {
    fn kl_divergence(&self, q: &DiagonalNormal) -> f64 {
        if self.dimension() != q.dimension() {
            return f64::INFINITY;
        }
        if self == q {
            return 0.0;
        }
        let terms = self
            .mean()
            .iter()
            .zip(self.std_dev())
            .zip(q.mean().iter().zip(q.std_dev()));
        tidy(
            terms
                .map(|((&m1, &s1), (&m2, &s2))| normal_normal(m1, s1, m2, s2))
                .sum(),
        )
    }
}

/// `N(μ, diag σ²)` against a dense `N(μ', Σ')` (statrs, `Σ' = L Lᵀ`):
///
/// ```text
/// KL = ½ [ ‖L⁻¹ diag σ‖²_F + ‖L⁻¹(μ' − μ)‖² − k + 2 Σᵢ ln Lᵢᵢ − 2 Σᵢ ln σᵢ ]
/// ```
///
/// ```
/// use kl::KlDivergence;
/// use kl::structured::DiagonalNormal;
/// use statrs::distribution::MultivariateNormal;
///
/// let p = DiagonalNormal::new(vec![0.0, 0.0], vec![1.0, 2.0])?;
/// let q = MultivariateNormal::new(vec![1.0, -1.0], vec![2.0, 0.5, 0.5, 1.0])?;
/// assert!((p.kl_divergence(&q) - 2.30094642769348032).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<MultivariateNormal<Dyn>> for DiagonalNormal {
    fn kl_divergence(&self, q: &MultivariateNormal<Dyn>) -> f64 {
        factored_dense(&self.factored(), q)
    }
}

/// A dense `N(μ, Σ)` (statrs, `Σ = L Lᵀ`) against `N(μ', diag σ'²)`:
///
/// ```text
/// KL = ½ [ Σᵢ Σᵢᵢ/σ'ᵢ² + Σᵢ ((μ'ᵢ − μᵢ)/σ'ᵢ)² − k + 2 Σᵢ ln σ'ᵢ − 2 Σᵢ ln Lᵢᵢ ]
/// ```
///
/// ```
/// use kl::KlDivergence;
/// use kl::structured::DiagonalNormal;
/// use statrs::distribution::MultivariateNormal;
///
/// let p = MultivariateNormal::new(vec![1.0, -1.0], vec![2.0, 0.5, 0.5, 1.0])?;
/// let q = DiagonalNormal::new(vec![0.0, 0.0], vec![1.0, 2.0])?;
/// assert!((p.kl_divergence(&q) - 1.16333928659223397).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<DiagonalNormal> for MultivariateNormal<Dyn> {
    fn kl_divergence(&self, q: &DiagonalNormal) -> f64 {
        dense_factored(self, &q.factored())
    }
}

/// `N(μ, W Wᵀ + D)` against `N(μ', W' W'ᵀ + D')`, with `δ = μ' − μ`, `eᵢ = dᵢ/d'ᵢ`,
/// `C, C'` the capacitances and `V', s'` the singular vectors and values of `D'^{-½} W'`:
///
/// ```text
/// KL = ½ [ Σᵢ (eᵢ − 1 − ln eᵢ) − Σᵢ eᵢ Σⱼ V'ᵢⱼ² s'ⱼ²/(1 + s'ⱼ²) + tr(Wᵀ Σ'⁻¹ W)
///          + δᵀ Σ'⁻¹ δ + ln det C' − ln det C ]
/// ```
///
/// `O(k r'² + k r r')`, as torch's `_kl_lowrankmultivariatenormal_lowrankmultivariatenormal`;
/// the diagonal parts are grouped as `e − 1 − ln e`, and `Σ'⁻¹` is applied as a sum of
/// non-negative parts ([`LowRankNormal`]), so nearly equal normals keep their precision.
///
/// ```
/// use kl::KlDivergence;
/// use kl::structured::LowRankNormal;
///
/// let w = vec![1.0, 0.5, -1.0]; // 3 × 1
/// let p = LowRankNormal::new(vec![0.0; 3], w, 1, vec![1.0, 2.0, 0.5])?;
/// let w = vec![0.5, 0.0, 1.0, 1.0, 0.0, -0.5]; // 3 × 2, row-major
/// let q = LowRankNormal::new(vec![1.0, 0.0, -1.0], w, 2, vec![1.0; 3])?;
/// assert!((p.kl_divergence(&q) - 1.26352011008845194).abs() < 1e-14);
/// # Ok::<(), kl::Error>(())
/// ```
impl KlDivergence<LowRankNormal> for LowRankNormal {
    fn kl_divergence(&self, q: &LowRankNormal) -> f64 {
        if self == q {
            return 0.0;
        }
        factored_factored(&self.factored(), &q.factored())
    }
}

/// `N(μ, W Wᵀ + D)` against a dense `N(μ', Σ')` (statrs, `Σ' = L Lᵀ`), the determinant of P
/// by the lemma:
///
/// ```text
/// KL = ½ [ ‖L⁻¹W‖²_F + ‖L⁻¹ D^½‖²_F + ‖L⁻¹(μ' − μ)‖² − k + 2 Σᵢ ln Lᵢᵢ
///          − ln det C − Σᵢ ln dᵢ ]
/// ```
///
/// ```
/// use kl::KlDivergence;
/// use kl::structured::LowRankNormal;
/// use statrs::distribution::MultivariateNormal;
///
/// let p = LowRankNormal::new(vec![0.0; 3], vec![1.0, 0.5, -1.0], 1, vec![1.0, 2.0, 0.5])?;
/// let cov = vec![2.0, 0.5, 0.0, 0.5, 1.0, 0.2, 0.0, 0.2, 1.5];
/// let q = MultivariateNormal::new(vec![1.0, 0.0, -1.0], cov)?;
/// assert!((p.kl_divergence(&q) - 1.15735353318257707).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<MultivariateNormal<Dyn>> for LowRankNormal {
    fn kl_divergence(&self, q: &MultivariateNormal<Dyn>) -> f64 {
        factored_dense(&self.factored(), q)
    }
}

/// A dense `N(μ, Σ)` (statrs, `Σ = L Lᵀ`) against `N(μ', W' W'ᵀ + D')`, `Σ'⁻¹` by Woodbury:
///
/// ```text
/// KL = ½ [ tr(Lᵀ Σ'⁻¹ L) + δᵀ Σ'⁻¹ δ − k + ln det C' + Σᵢ ln d'ᵢ − 2 Σᵢ ln Lᵢᵢ ]
/// ```
///
/// with `tr(Mᵀ Σ'⁻¹ M) = ‖M̃ − V'V'ᵀM̃‖²_F + Σⱼ ‖(V'ᵀM̃)ⱼ‖²/(1 + s'ⱼ²)`, `M̃ = D'^{-½} M`
/// (`O(k² r')`).
///
/// ```
/// use kl::KlDivergence;
/// use kl::structured::LowRankNormal;
/// use statrs::distribution::MultivariateNormal;
///
/// let cov = vec![2.0, 0.5, 0.0, 0.5, 1.0, 0.2, 0.0, 0.2, 1.5];
/// let p = MultivariateNormal::new(vec![1.0, 0.0, -1.0], cov)?;
/// let q = LowRankNormal::new(vec![0.0; 3], vec![1.0, 0.5, -1.0], 1, vec![1.0, 2.0, 0.5])?;
/// assert!((p.kl_divergence(&q) - 0.917225260649654882).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<LowRankNormal> for MultivariateNormal<Dyn> {
    fn kl_divergence(&self, q: &LowRankNormal) -> f64 {
        dense_factored(self, &q.factored())
    }
}

/// `N(μ, diag σ²)` against `N(μ', W' W'ᵀ + D')`: the low-rank formula with `W = 0`, `D = diag σ²`
/// (`O(k r'²)`).
///
/// ```
/// use kl::KlDivergence;
/// use kl::structured::{DiagonalNormal, LowRankNormal};
///
/// let p = DiagonalNormal::new(vec![0.0; 3], vec![1.0, 2.0, 0.5])?;
/// let q = LowRankNormal::new(vec![1.0, 0.0, -1.0], vec![1.0, 0.5, -1.0], 1, vec![1.0, 2.0, 0.5])?;
/// assert!((p.kl_divergence(&q) - 1.09489664625695852).abs() < 1e-14);
/// # Ok::<(), kl::Error>(())
/// ```
impl KlDivergence<LowRankNormal> for DiagonalNormal {
    fn kl_divergence(&self, q: &LowRankNormal) -> f64 {
        factored_factored(&self.factored(), &q.factored())
    }
}

/// `N(μ, W Wᵀ + D)` against `N(μ', diag σ'²)`: the low-rank formula with `W' = 0`,
/// `D' = diag σ'²`, so `Σ'⁻¹ = D'⁻¹` (`O(k r²)`).
///
/// ```
/// use kl::KlDivergence;
/// use kl::structured::{DiagonalNormal, LowRankNormal};
///
/// let p = LowRankNormal::new(vec![1.0, 0.0, -1.0], vec![1.0, 0.5, -1.0], 1, vec![1.0, 2.0, 0.5])?;
/// let q = DiagonalNormal::new(vec![0.0; 3], vec![1.0, 2.0, 0.5])?;
/// assert!((p.kl_divergence(&q) - 4.57271699010667785).abs() < 1e-14);
/// # Ok::<(), kl::Error>(())
/// ```
impl KlDivergence<DiagonalNormal> for LowRankNormal {
    fn kl_divergence(&self, q: &DiagonalNormal) -> f64 {
        factored_factored(&self.factored(), &q.factored())
    }
}

// ---------------------------------------------------------------------------------------------
// The three shapes every pair above reduces to.
// ---------------------------------------------------------------------------------------------

/// Factored P against factored Q: the formula of the low-rank pair.
fn factored_factored(p: &Factored, q: &Factored) -> f64 {
    if p.mean.len() != q.mean.len() {
        return f64::INFINITY;
    }
    let ratios: Vec<f64> = p.diag.iter().zip(&q.diag).map(|(d1, d2)| d1 / d2).collect();
    let gaps: f64 = p
        .diag
        .iter()
        .zip(&q.diag)
        .map(|(&d1, &d2)| ratio_gap(d1, d2))
        .sum();
    let diagonal = gaps - q.factor_share(&ratios);
    let factor = q.inverse_form(&p.factor);
    let quadratic = q.inverse_form(&mean_gap(p.mean, q.mean));
    let ln_dets = q.ln_det_capacitance() - p.ln_det_capacitance();
    tidy(0.5 * (diagonal + factor + quadratic + ln_dets))
}

/// The lower Cholesky factor and mean of a statrs normal, `None` if any entry is not finite.
fn dense_parts(n: &MultivariateNormal<Dyn>) -> Option<(DMatrix<f64>, DMatrix<f64>)> {
    let l = n.clone_cov_chol_decomp().lower_triangle();
    let mu = n.mu();
    let mean = DMatrix::from_column_slice(mu.len(), 1, mu.as_slice());
    let finite = l.iter().chain(mean.iter()).all(|v| v.is_finite());
    finite.then_some((l, mean))
}

/// `2 Σᵢ ln Lᵢᵢ = ln det(L Lᵀ)`.
fn ln_det_cholesky(l: &DMatrix<f64>) -> f64 {
    2.0 * l.diagonal().iter().map(|v| v.ln()).sum::<f64>()
}

/// Factored P against a dense Q = N(μ', L Lᵀ).
fn factored_dense(p: &Factored, q: &MultivariateNormal<Dyn>) -> f64 {
    let k = p.mean.len();
    if q.mu().len() != k {
        return f64::INFINITY;
    }
    let Some((l, mean)) = dense_parts(q) else {
        return f64::INFINITY;
    };
    let root_diag = DMatrix::from_diagonal(&column(&p.diag).map(f64::sqrt));
    let solved = [&p.factor, &root_diag, &(mean - p.mean_column())]
        .map(|m| l.solve_lower_triangular(m).map(|x| x.norm_squared()));
    let [Some(factor), Some(diagonal), Some(quadratic)] = solved else {
        return f64::INFINITY;
    };
    let k = k as f64;
    tidy(0.5 * (factor + diagonal + quadratic - k + ln_det_cholesky(&l) - p.ln_det()))
}

/// A dense P = N(μ, L Lᵀ) against factored Q.
fn dense_factored(p: &MultivariateNormal<Dyn>, q: &Factored) -> f64 {
    let k = q.mean.len();
    if p.mu().len() != k {
        return f64::INFINITY;
    }
    let Some((l, mean)) = dense_parts(p) else {
        return f64::INFINITY;
    };
    let trace = q.inverse_form(&l);
    let quadratic = q.inverse_form(&(q.mean_column() - mean));
    let k = k as f64;
    tidy(0.5 * (trace + quadratic - k + q.ln_det() - ln_det_cholesky(&l)))
}
