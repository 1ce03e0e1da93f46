//! KL divergences in closed form between parametric families, dispatched by type.
//!
//! [`KlDivergence<Q>`] is implemented for each pair of `statrs` distributions that has a closed
//! form, so a pair without one is a compile error, not a run-time surprise. Every impl holds
//! just its formula, written in its doc comment with statrs's parameterisation. Results are in
//! nats; `+∞` where P's support is not inside Q's.

use statrs::distribution::Normal;
use statrs::statistics::Distribution;

/// `KL(self ‖ q)` in closed form, in nats.
pub trait KlDivergence<Q: ?Sized> {
    /// The divergence of `q` from `self`: `∫ p ln(p/q)` (or `Σ` for discrete families).
    fn kl_divergence(&self, q: &Q) -> f64;
}

/// `KL(p ‖ q)` for any pair with a closed form: the free-function spelling of
/// [`KlDivergence::kl_divergence`].
///
/// ```
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(2.0, 2.0)?;
/// assert!((kl::kl_divergence(&p, &q) - 0.5).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn kl_divergence<P: KlDivergence<Q> + ?Sized, Q: ?Sized>(p: &P, q: &Q) -> f64 {
    p.kl_divergence(q)
}

/// Mean and standard deviation of a statrs `Normal` (statrs reports them as `Option`s, which
/// are always `Some` for this family).
fn normal_params(n: &Normal) -> (f64, f64) {
    (
        n.mean().unwrap_or(f64::NAN),
        n.std_dev().unwrap_or(f64::NAN),
    )
}

/// Normal `N(μ₁, σ₁)` against normal `N(μ₂, σ₂)` (statrs: mean and standard deviation):
///
/// ```text
/// KL = ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²) / (2σ₂²) − 1/2
/// ```
///
/// ```
/// use kl::KlDivergence;
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(5.0, 4.0)?;
/// assert!((p.kl_divergence(&q) - 1.0993971805599454).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl KlDivergence<Normal> for Normal {
    fn kl_divergence(&self, q: &Normal) -> f64 {
        let (m1, s1) = normal_params(self);
        let (m2, s2) = normal_params(q);
        (s2 / s1).ln() + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2.0 * s2 * s2) - 0.5
    }
}
