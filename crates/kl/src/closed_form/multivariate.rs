//! Multivariate families against themselves: Dirichlet, the multivariate normal and the
//! multinomial. Different dimensions (possible with `Dyn`) have disjoint supports: `+∞`.

use nalgebra::allocator::Allocator;
use nalgebra::{DefaultAllocator, Dim, DimMin};
use statrs::distribution::{Dirichlet, Multinomial, MultivariateNormal};
use statrs::function::gamma::{digamma, ln_gamma};

use super::{KlDivergence, same_family, tidy};

/// Dirichlet against Dirichlet; statrs's `Dirichlet::new(α)` takes the concentrations
/// `α₁, …, α_K` (all > 0, `K ≥ 2`), `α₀ = Σ αᵢ`:
///
/// ```text
/// KL = ln Γ(α₀) − Σᵢ ln Γ(αᵢ) − ln Γ(β₀) + Σᵢ ln Γ(βᵢ) + Σᵢ (αᵢ − βᵢ)(ψ(αᵢ) − ψ(α₀))
/// ```
///
/// With `K = 2` it is the Beta formula. Different `K` (possible with `Dyn`): `+∞`, the two live
/// on different simplices. Reference value below: the same formula in mpmath at 20 digits;
/// the tests check the formula by Monte Carlo and against Beta.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Dirichlet;
///
/// let p = Dirichlet::new(vec![1.0, 2.0, 3.0])?;
/// let q = Dirichlet::new(vec![2.0, 2.0, 2.0])?;
/// assert!((p.kl_divergence(&q) - 0.80685281944005469).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<D> KlDivergence<Dirichlet<D>> for Dirichlet<D>
where
    D: Dim,
    DefaultAllocator: Allocator<D>,
{
    fn kl_divergence(&self, q: &Dirichlet<D>) -> f64 {
        let (a, b) = (self.alpha(), q.alpha());
        if a.len() != b.len() {
            return f64::INFINITY;
        }
        same_family(a.as_slice(), b.as_slice(), || {
            let (a0, b0) = (a.sum(), b.sum());
            let digamma_a0 = digamma(a0);
            let terms: f64 = a
                .iter()
                .zip(b.iter())
                .map(|(&ai, &bi)| {
                    ln_gamma(bi) - ln_gamma(ai) + (ai - bi) * (digamma(ai) - digamma_a0)
                })
                .sum();
            ln_gamma(a0) - ln_gamma(b0) + terms
        })
    }
}

/// Multivariate normal against multivariate normal; statrs's `MultivariateNormal` holds the
/// mean `μ` and covariance `Σ` (dimension `k`):
///
/// ```text
/// KL = ½ [ tr(Σ₂⁻¹ Σ₁) + (μ₂ − μ₁)ᵀ Σ₂⁻¹ (μ₂ − μ₁) − k + ln det Σ₂ − ln det Σ₁ ]
/// ```
///
/// Computed through the Cholesky factors `Σ = L Lᵀ` that statrs keeps, never an explicit
/// inverse: `tr(Σ₂⁻¹Σ₁) = ‖L₂⁻¹ L₁‖²_F` and the quadratic form `‖L₂⁻¹(μ₂ − μ₁)‖²` by
/// triangular solves, `ln det Σ = 2 Σᵢ ln Lᵢᵢ`. Different dimensions (possible with `Dyn`):
/// `+∞`. Non-finite means or covariances: 0 if P and Q are equal, else `+∞`. Reference value
/// below: the formula with an explicit inverse in mpmath at 20 digits.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::MultivariateNormal;
///
/// let p = MultivariateNormal::new(vec![0.0, 0.0], vec![2.0, 0.5, 0.5, 1.0])?;
/// let q = MultivariateNormal::new(vec![1.0, -1.0], vec![1.0, 0.0, 0.0, 3.0])?;
/// assert!((p.kl_divergence(&q) - 1.10283158369967684).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<D> KlDivergence<MultivariateNormal<D>> for MultivariateNormal<D>
where
    D: DimMin<D, Output = D>,
    DefaultAllocator: Allocator<D> + Allocator<D, D>,
{
    fn kl_divergence(&self, q: &MultivariateNormal<D>) -> f64 {
        if self == q {
            return 0.0;
        }
        let (mu1, mu2) = (self.mu(), q.mu());
        if mu1.len() != mu2.len() {
            return f64::INFINITY;
        }
        // statrs stores L with zeros above the diagonal; `lower_triangle` makes sure of it.
        let l1 = self.clone_cov_chol_decomp().lower_triangle();
        let l2 = q.clone_cov_chol_decomp().lower_triangle();
        let finite = |v: &f64| v.is_finite();
        if !(mu1.iter().all(finite)
            && mu2.iter().all(finite)
            && l1.iter().all(finite)
            && l2.iter().all(finite))
        {
            return f64::INFINITY;
        }
        let Some(m) = l2.solve_lower_triangular(&l1) else {
            return f64::INFINITY;
        };
        let Some(z) = l2.solve_lower_triangular(&(mu2 - mu1)) else {
            return f64::INFINITY;
        };
        let trace = m.norm_squared();
        let quadratic = z.norm_squared();
        let ln_det1: f64 = l1.diagonal().iter().map(|d| d.ln()).sum();
        let ln_det2: f64 = l2.diagonal().iter().map(|d| d.ln()).sum();
        let k = mu1.len() as f64;
        tidy(0.5 * (trace + quadratic - k) + ln_det2 - ln_det1)
    }
}

/// Multinomial against multinomial; statrs's `Multinomial::new(p, n)` takes category weights
/// (normalised by statrs to probabilities `pᵢ`) and the number of trials `n`. The multinomial
/// coefficients cancel and `E[xᵢ] = n pᵢ`:
///
/// ```text
/// KL = n Σᵢ pᵢ ln(pᵢ/qᵢ)                     if n₁ = n₂ = n
/// KL = +∞                                   if n₁ ≠ n₂ (the counts sum to different totals)
/// ```
///
/// Different numbers of categories are compared over the longer list, the shorter one having
/// probability 0 on the extra categories (as for `Categorical`); `0 ln 0 = 0` and `pᵢ > 0 = qᵢ`
/// gives `+∞`. Reference value below: the exact sum over all count vectors in mpmath.
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Multinomial;
///
/// let p = Multinomial::new(vec![1.0, 2.0, 3.0], 4)?;
/// let q = Multinomial::new(vec![3.0, 2.0, 1.0], 4)?;
/// assert!((p.kl_divergence(&q) - 4.0 * 0.36620409622270323).abs() < 1e-14);
/// assert_eq!(p.kl_divergence(&Multinomial::new(vec![3.0, 2.0, 1.0], 5)?), f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<D> KlDivergence<Multinomial<D>> for Multinomial<D>
where
    D: Dim,
    DefaultAllocator: Allocator<D>,
{
    fn kl_divergence(&self, q: &Multinomial<D>) -> f64 {
        let (n1, n2) = (self.n(), q.n());
        if n1 != n2 {
            return f64::INFINITY;
        }
        if n1 == 0 {
            // Both are the point mass at the zero count vector.
            return 0.0;
        }
        let len = self.p().len().max(q.p().len());
        let padded = |v: &[f64]| -> Vec<f64> {
            (0..len).map(|i| v.get(i).copied().unwrap_or(0.0)).collect()
        };
        let (p, q) = (padded(self.p().as_slice()), padded(q.p().as_slice()));
        if p == q {
            return 0.0;
        }
        crate::discrete::kl_divergence(&p, &q).map_or(f64::INFINITY, |kl| tidy(n1 as f64 * kl))
    }
}
