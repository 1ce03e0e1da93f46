//! [`LnDensity`]: the log-density the numerical routes integrate, exact in the tails.

use statrs::distribution::{
    Beta, Cauchy, Chi, ChiSquared, Continuous, Erlang, Exp, FisherSnedecor, Gamma, Gumbel,
    InverseGamma, Laplace, Levy, LogNormal, Normal, Pareto, StudentsT, Triangular, Uniform,
    Weibull,
};
use statrs::function::beta::ln_beta;
use statrs::function::gamma::ln_gamma;
use statrs::statistics::Mode;

use crate::mixture::GaussianMixture;

/// The natural logarithm of a probability density, `ln p(x)`, computed so that it stays
/// finite wherever the density is positive, however small: the log-density that
/// [`quadrature()`](super::quadrature), [`grid`](super::grid) and
/// [`monte_carlo`](super::monte_carlo) integrate.
///
/// ```text
/// ln_density(x) = ln p(x)              where p(x) > 0 (finite, even where p(x) < 10⁻³⁰⁸)
///               = −∞                   outside the support
/// ```
///
/// # Why not statrs's `ln_pdf`
/// statrs computes some log-densities as `ln(pdf(x))`, which is `−∞` as soon as `pdf`
/// underflows, long before the density is 0 (statrs 0.19.1):
///
/// | family | statrs `ln_pdf` | here |
/// |---|---|---|
/// | `Laplace(μ, b)` | `−∞` beyond ~745 scales from `μ` | `−|x − μ|/b − ln(2b)` |
/// | `Gumbel(μ, β)` | `−∞` ~6.6 scales left of `μ`, NaN ~709 | `−ln β − (z + e^(−z))`, `z = (x − μ)/β` |
/// | `InverseGamma(α, β)` (shape, rate) | `−∞` near 0 (`e^(−β/x)` underflows), not finite once `Γ(α)` or `β^α` overflows | `α ln β − ln Γ(α) − (α + 1) ln x − β/x` |
/// | `FisherSnedecor(d₁, d₂)` | not finite far out (`(d₁x)^d₁` overflows) and inaccurate near 0 (its square underflows) | `½[d₁ ln(d₁x) + d₂ ln d₂ − (d₁ + d₂) ln(d₁x + d₂)] − ln x − ln B(d₁/2, d₂/2)` |
/// | `Gamma(α, β)` (shape, rate), `α > 10⁵` | terms near `10³⁰²` cancel: no digit right at the mode | `[α ln(βx) − βx − ln Γ(α)]` in Stirling's form, `− ln x` |
/// | `Pareto(x_m, α)` | `α ln x_m − (α + 1) ln x` cancels (or is `∞ − ∞`) for a huge `α` | `ln α − α ln(x/x_m) − ln x` |
/// | `Cauchy(x₀, γ)` | `−∞` beyond ~1.3·10¹⁵⁴ scales (`z²` overflows) | `−ln(πγ) − ln(1 + z²)`, as `−ln(πγ) − 2 ln|z| − ln(1 + z⁻²)` for `|z| > 1` |
///
/// These are the densities' own formulas written in log space, not new numerics. Every other
/// statrs continuous distribution (Normal, Exp, Erlang, ChiSquared, Chi, Uniform, StudentsT,
/// Levy; and Gamma (shape ≤ 10⁵), LogNormal, Beta and Weibull except where statrs gives NaN, at the
/// edges or at extreme parameters, where the formula is taken in log space here, in ratio or
/// Stirling form where two terms would overflow; Triangular's is `ln(pdf)` of a
/// piecewise-linear density, which does not underflow) already computes its `ln_pdf` in log
/// space, and its impl delegates to it; so does [`GaussianMixture`]'s (log-sum-exp). Where a
/// formula is still `∞ − ∞` (a location or point at `±∞`, both shapes near `f64::MAX`) the
/// value is `−∞`, never NaN for a number `x`. A
/// log-density can still be `−∞` where its true value is below `−1.8·10³⁰⁸` (a Gumbel ~710
/// scales left of its location, a Normal ~1.3·10¹⁵⁴ standard deviations out): the routes
/// cannot weigh `p·ln q` there and say so (see *Known limits* of
/// [`quadrature()`](super::quadrature)).
///
/// # Your own distribution
/// Implement it next to statrs's `Continuous` (the routes also need statrs's `Min` and `Max`
/// for the support; [`quadrature()`](super::quadrature) and [`grid`](super::grid) need
/// `ContinuousCDF` for `P`, [`monte_carlo`](super::monte_carlo) a
/// `rand::distr::Distribution<f64>` to draw from it), writing `ln p` in log space: never
/// `self.pdf(x).ln()`. A `ln(pdf)` still works where `pdf` does not underflow; where it
/// does in `P`'s bulk, the routes return [`Error::UnrepresentableLnDensity`](crate::Error::UnrepresentableLnDensity)
/// rather than a wrong number. If the density has a closed form `c·e^(−g(x))`, return
/// `ln c − g(x)`; for a mixture use log-sum-exp. Return `−∞` outside the support and never
/// NaN for a number `x`.
///
/// ```
/// use kl::numeric::LnDensity;
///
/// /// The standard logistic distribution, p(x) = e^(−x) / (1 + e^(−x))².
/// struct Logistic;
///
/// impl LnDensity for Logistic {
///     fn ln_density(&self, x: f64) -> f64 {
///         // ln p = −|x| − 2 ln(1 + e^(−|x|)): symmetric, and no exp overflows.
///         -x.abs() - 2.0 * (-x.abs()).exp().ln_1p()
///     }
/// }
///
/// assert!((Logistic.ln_density(0.0) - 0.25f64.ln()).abs() < 1e-15);
/// assert!((Logistic.ln_density(-1000.0) + 1000.0).abs() < 1e-12);   // e^−1000 underflows; its log does not
/// ```
///
/// statrs's own Laplace, at 1000 scales from its location:
///
/// ```
/// use kl::numeric::LnDensity;
/// use statrs::distribution::{Continuous, Laplace};
///
/// let q = Laplace::new(0.0, 1.0)?;
/// assert_eq!(q.ln_pdf(1000.0), f64::NEG_INFINITY);                     // ln(pdf) underflowed
/// assert!((q.ln_density(1000.0) - (-1000.0 - 2f64.ln())).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait LnDensity {
    /// `ln p(x)` in nats: finite where `p(x) > 0`, `−∞` outside the support.
    fn ln_density(&self, x: f64) -> f64;

    /// The `u`-quantile the numerical routes place their pieces at, where the distribution's
    /// own `inverse_cdf` may not finish; `None` (the default) uses statrs's `inverse_cdf`.
    /// [`Beta`] overrides it: statrs's Newton iteration for the Beta quantile can loop
    /// without end at extreme shapes such as `Beta(10³⁰⁰, 10⁻³⁰⁰)`.
    ///
    /// ```
    /// use kl::numeric::LnDensity;
    /// use statrs::distribution::Beta;
    ///
    /// let median = Beta::new(2.0, 2.0)?.bounded_quantile(0.5).unwrap();
    /// assert!((median - 0.5).abs() < 1e-15);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn bounded_quantile(&self, u: f64) -> Option<f64> {
        let _ = u;
        None
    }

    /// A draw that [`monte_carlo`](super::monte_carlo) makes instead of the distribution's
    /// own `sample`, where that costs work in proportion to a parameter; `None` (the
    /// default) uses the distribution's. [`Chi`] overrides it above 64 degrees of freedom:
    /// statrs sums `k` squared normal draws per sample (10¹⁰ of them for `Chi(10¹⁰)`); the
    /// square root of a chi-squared draw (a Gamma draw, constant work) has the same law.
    ///
    /// ```
    /// use kl::numeric::LnDensity;
    /// use rand::SeedableRng;
    /// use statrs::distribution::Chi;
    ///
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    /// let x = Chi::new(10_000_000_000)?.bounded_sample(&mut rng).unwrap();
    /// assert!((x / 1e5 - 1.0).abs() < 1e-4); // √k, within a few of its 0.7 standard deviation
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn bounded_sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> Option<f64>
    where
        Self: Sized,
    {
        let _ = rng;
        None
    }

    /// The parameter (its name, value and why) for which the distribution's `cdf` and
    /// quantile would take unbounded work, so that [`quadrature()`](super::quadrature) and
    /// [`grid`](super::grid), which call them for `P`, return
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) at once instead;
    /// `None` (the default) when they finish. [`Chi`] says so above 10¹⁰ degrees of freedom;
    /// Gamma, InverseGamma, Erlang and ChiSquared above a shape of 10¹⁰. The same refusal
    /// serves a P the routes cannot resolve at all: [`GaussianMixture`] names a component
    /// narrower than `2⁻³²` of its distance from 0, whose mass no node would sample.
    ///
    /// ```
    /// use kl::numeric::LnDensity;
    /// use statrs::distribution::Chi;
    ///
    /// assert!(Chi::new(3)?.unbounded_work().is_none());
    /// assert!(Chi::new(u64::MAX)?.unbounded_work().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        None
    }
}

impl<T: LnDensity + ?Sized> LnDensity for &T {
    fn ln_density(&self, x: f64) -> f64 {
        (**self).ln_density(x)
    }

    fn bounded_quantile(&self, u: f64) -> Option<f64> {
        (**self).bounded_quantile(u)
    }

    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        (**self).unbounded_work()
    }
}

/// The `unbounded_work` of a family whose `cdf` is statrs's regularised incomplete gamma
/// function at `a = shape`: its series and continued fraction run until they converge, in
/// about `√a` terms (milliseconds at `a = 10¹⁰`, without end near `10³⁰⁰`).
fn incomplete_gamma_work(name: &'static str, a: f64) -> Option<(&'static str, f64, &'static str)> {
    (a > 1e10).then_some((
        name,
        a,
        "at most 1e10 for the quadrature and grid routes: statrs's cdf (the incomplete gamma \
         function) costs ~√shape terms; use the closed form, or Monte Carlo",
    ))
}

/// ChiSquared and Erlang: statrs's `ln_pdf` (log space), and the incomplete gamma's bound.
macro_rules! incomplete_gamma_family {
    ($($family:ty => $name:literal, $shape:expr);* $(;)?) => {
        $(
            impl LnDensity for $family {
                /// statrs's `ln_pdf` (log space); `−∞` where it is NaN.
                fn ln_density(&self, x: f64) -> f64 {
                    delegated_ln_pdf(self, x)
                }

                /// See [`LnDensity::unbounded_work`]: the shape above `10¹⁰`.
                fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
                    let shape: fn(&$family) -> f64 = $shape;
                    incomplete_gamma_work($name, shape(self))
                }
            }
        )*
    };
}

incomplete_gamma_family!(
    ChiSquared => "p.freedom", |d| 0.5 * d.freedom();
    Erlang => "p.shape", |d| d.shape() as f64;
);

impl LnDensity for Chi {
    /// statrs's `ln_pdf` (log space); `−∞` where it is NaN.
    fn ln_density(&self, x: f64) -> f64 {
        delegated_ln_pdf(self, x)
    }

    /// `√Y` with `Y ~ χ²(k)` for `k > 64` (see [`LnDensity::bounded_sample`]).
    fn bounded_sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> Option<f64> {
        let k = self.freedom();
        if k <= 64 {
            return None;
        }
        let chi_squared = ChiSquared::new(k as f64).ok()?;
        Some(rand::distr::Distribution::sample(&chi_squared, rng).sqrt())
    }

    /// Above 10¹⁰ degrees of freedom: statrs's `cdf` (the regularised incomplete gamma
    /// function at `a = k/2`) sums a series of about `√k` terms, 10 ms a call at `k = 10¹²`
    /// and tens of seconds at `k = 2⁶⁴`, and its quantile calls it ~100 times.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        let k = self.freedom();
        (k > 10_000_000_000).then_some((
            "p.freedom",
            k as f64,
            "at most 1e10 for the quadrature and grid routes (statrs's Chi cdf costs ~√k terms); \
             Chi(k) is N(√(k − ½), 1/√2) to O(1/k) there",
        ))
    }
}

/// The last resort of every impl here: a formula that is still NaN (`∞ − ∞` where the
/// parameters are so extreme that two of its terms overflow, as for a location at `±∞`) is
/// read as a density too small to represent, `−∞`: never NaN for a number `x`.
fn nan_to_neg_infinity(value: f64) -> f64 {
    if value.is_nan() {
        f64::NEG_INFINITY
    } else {
        value
    }
}

/// statrs's `ln_pdf` where it is computed in log space: a NaN `x` stays NaN, and a NaN value
/// (`∞ − ∞` at an infinite parameter or point) is read as `−∞`.
fn delegated_ln_pdf<D: Continuous<f64, f64> + ?Sized>(d: &D, x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    nan_to_neg_infinity(d.ln_pdf(x))
}

/// The shared refusal of a law with an infinite parameter (statrs accepts `∞` scales, rates
/// and locations for several families): its mass is at infinity or at a single point, so it
/// has no density the routes could integrate, and they would return `0 ± 0` for it.
fn infinite_parameter(
    parameters: &[(&'static str, f64)],
) -> Option<(&'static str, f64, &'static str)> {
    parameters.iter().find(|(_, v)| v.is_infinite()).map(|&(name, value)| {
        (
            name,
            value,
            "an infinite parameter: the law's mass is at infinity or at a point, with no density to integrate",
        )
    })
}

/// Families whose statrs `ln_pdf` is computed in log space, but is `∞ − ∞` where a parameter
/// or `x` is infinite (a location at `±∞`, `Exp(∞)` at `x > 0`): there the density is `−∞`.
macro_rules! delegate_or_neg_infinity {
    ($($family:ty),* $(,)?) => {
        $(
            impl LnDensity for $family {
                /// statrs's `ln_pdf`; `−∞` where it is NaN (an infinite location or point).
                fn ln_density(&self, x: f64) -> f64 {
                    delegated_ln_pdf(self, x)
                }
            }
        )*
    };
}

delegate_or_neg_infinity!(Uniform, Levy);

impl LnDensity for Normal {
    /// statrs's `ln_pdf`; `−∞` where it is NaN (an infinite location or point).
    fn ln_density(&self, x: f64) -> f64 {
        delegated_ln_pdf(self, x)
    }

    /// See [`LnDensity::unbounded_work`]: an infinite mean or standard deviation.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        use statrs::statistics::Distribution;
        let mean = self.mean().unwrap_or(f64::NAN);
        let sd = self.std_dev().unwrap_or(f64::NAN);
        infinite_parameter(&[("p.mean", mean), ("p.std_dev", sd)])
    }
}

impl LnDensity for Exp {
    /// statrs's `ln_pdf`; `−∞` where it is NaN (`Exp(∞)` at `x > 0`).
    fn ln_density(&self, x: f64) -> f64 {
        delegated_ln_pdf(self, x)
    }

    /// See [`LnDensity::unbounded_work`]: an infinite rate (a point mass at 0).
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        infinite_parameter(&[("p.rate", self.rate())])
    }
}

impl LnDensity for StudentsT {
    /// statrs's `ln_pdf`; `−∞` where it is NaN (an infinite location or point).
    fn ln_density(&self, x: f64) -> f64 {
        delegated_ln_pdf(self, x)
    }

    /// See [`LnDensity::unbounded_work`]: `∞` degrees of freedom (statrs accepts them; the
    /// law is then a normal, and statrs's quantile, an inverse incomplete beta, iterates
    /// without end — the fuzz found the quadrature hanging there).
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        if self.freedom() == f64::INFINITY {
            return Some((
                "p.freedom",
                self.freedom(),
                "infinite degrees of freedom: the law is Normal(location, scale); use that",
            ));
        }
        infinite_parameter(&[("p.location", self.location()), ("p.scale", self.scale())])
    }
}

impl LnDensity for GaussianMixture {
    /// The mixture's log-sum-exp log-density ([`GaussianMixture::ln_density`]); `−∞` where
    /// that is NaN (it is not, for finite components).
    fn ln_density(&self, x: f64) -> f64 {
        delegated_ln_pdf(self, x)
    }

    /// See [`LnDensity::unbounded_work`]: a component no quadrature node can resolve, one
    /// whose standard deviation is below [`GaussianMixture::MAX_OFFSET_RATIO`]⁻¹ of the
    /// distance of its mean from 0 (`|μₖ|/σₖ > 2³²`). Doubles near `μₖ` are then more than
    /// 2⁻²⁰ σₖ apart: the nodes cannot sample the component, its mass would silently drop out
    /// of the integral (with a component at `10³⁰⁸` half the mixture's mass is missed and the
    /// KL comes out negative), and the error estimate, scaled by the mixture's overall spread,
    /// would not say so.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        self.unresolvable_component().map(|k| {
            (
                "means",
                self.means()[k],
                "a component narrower than 2^-32 of its distance from 0 cannot be resolved by \
                 the quadrature and grid routes (neighbouring doubles are over 2^-20 standard \
                 deviations apart there): shift the data towards 0, or use Monte Carlo",
            )
        })
    }
}

/// `a ln y − y − ln Γ(a)` from `ln y`, the kernel of the Gamma and inverse-Gamma log-densities
/// (`y = βx` and `y = β/x`). For `a > 10⁵` it is Stirling's form
/// `−a[(e^t − 1) − t] + ½ ln(a/2π) − 1/(12a)`, `t = ln y − ln a`, whose terms cannot overflow
/// into `∞ − ∞` (its next term is `1/(360a³) < 3·10⁻¹⁸`); below, the formula as written.
fn gamma_kernel(a: f64, ln_y: f64) -> f64 {
    if a > 1e5 {
        let t = ln_y - a.ln();
        -a * (t.exp_m1() - t) + 0.5 * (a / std::f64::consts::TAU).ln() - (12.0 * a).recip()
    } else {
        a * ln_y - ln_y.exp() - ln_gamma(a)
    }
}

impl LnDensity for Gamma {
    /// `ln p(x) = α ln(βx) − βx − ln Γ(α) − ln x` for `0 < x < ∞` (shape `α`, rate `β`),
    /// `−∞` elsewhere. statrs's own `ln_pdf` for `α ≤ 10⁵` where it is a number; above, the
    /// first three terms together in Stirling's form (`gamma_kernel`): statrs's sum of
    /// terms near `10³⁰²` that cancel to `½ ln(α/2π)` at the mode has no correct digit left.
    fn ln_density(&self, x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        let (a, b) = (self.shape(), self.rate());
        if a <= 1e5 {
            let value = Continuous::ln_pdf(self, x);
            if !value.is_nan() {
                return value;
            }
        }
        if !(x > 0.0 && x < f64::INFINITY) {
            return f64::NEG_INFINITY;
        }
        nan_to_neg_infinity(gamma_kernel(a, b.ln() + x.ln()) - x.ln())
    }

    /// The `u`-quantile as `Gamma(α, 1)`'s divided by the rate (the rate is a pure scale).
    /// statrs's own quantile brackets from a fixed floor and returns `2⁻³⁰` for every rate
    /// above about `10¹⁰` (the median of `Gamma(1, 10²⁰)` is `6.9·10⁻²¹`), which put the
    /// quadrature's cuts where P has no mass: `KL(Gamma(1, 10¹⁰⁰) ‖ Gamma(2, 1))` came out
    /// `1.6·10⁻¹⁷¹` with a tiny error, against the true `460.094`.
    fn bounded_quantile(&self, u: f64) -> Option<f64> {
        use statrs::distribution::ContinuousCDF;
        let unit = Gamma::new(self.shape(), 1.0).ok()?;
        Some(unit.inverse_cdf(u) / self.rate())
    }

    /// See [`LnDensity::unbounded_work`]: the shape above `10¹⁰`, and an infinite rate (statrs
    /// accepts it: a point mass at 0, with no density, whose statrs quantile iterates without
    /// end — the fuzz found `Gamma(1, ∞)` hanging the quadrature).
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        infinite_parameter(&[("p.rate", self.rate())])
            .or_else(|| incomplete_gamma_work("p.shape", self.shape()))
    }
}

impl LnDensity for Pareto {
    /// See [`LnDensity::unbounded_work`]: an infinite parameter.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        infinite_parameter(&[("p.scale", self.scale()), ("p.shape", self.shape())])
    }

    /// `ln p(x) = ln α − α ln(x/x_m) − ln x` for `x_m ≤ x < ∞` (scale `x_m`, shape `α`), `−∞`
    /// elsewhere: the ratio keeps statrs's `α ln x_m − (α + 1) ln x` from cancelling (or
    /// being `∞ − ∞`) for a huge `α`.
    fn ln_density(&self, x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        let (scale, shape) = (self.scale(), self.shape());
        if !(x >= scale && x < f64::INFINITY) {
            return f64::NEG_INFINITY;
        }
        let ratio = x / scale;
        let ln_ratio = if ratio.is_finite() {
            ratio.ln()
        } else {
            x.ln() - scale.ln()
        };
        let decay = if ln_ratio == 0.0 {
            0.0
        } else {
            shape * ln_ratio
        };
        nan_to_neg_infinity(shape.ln() - decay - x.ln())
    }
}

impl LnDensity for Laplace {
    /// See [`LnDensity::unbounded_work`]: an infinite parameter.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        infinite_parameter(&[("p.location", self.location()), ("p.scale", self.scale())])
    }

    /// `ln p(x) = −|x − μ|/b − ln(2b)`: finite for every finite `x`.
    fn ln_density(&self, x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        nan_to_neg_infinity(-(x - self.location()).abs() / self.scale() - (2.0 * self.scale()).ln())
    }
}

impl LnDensity for Gumbel {
    /// See [`LnDensity::unbounded_work`]: an infinite parameter.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        infinite_parameter(&[("p.location", self.location()), ("p.scale", self.scale())])
    }

    /// `ln p(x) = −ln β − (z + e^(−z))`, `z = (x − μ)/β`: finite until `e^(−z)` overflows
    /// (`z < −709.78`, where `ln p < −1.8·10³⁰⁸`), then `−∞`; `−∞` at `x = ±∞`. statrs accepts
    /// `β = ∞`, a density 0 everywhere: `−∞` for every `x` (not `∞/∞` = NaN where `x − μ`
    /// overflows). NaN `x` stays NaN.
    fn ln_density(&self, x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        if x.is_infinite() || self.scale() == f64::INFINITY {
            return f64::NEG_INFINITY;
        }
        let z = (x - self.location()) / self.scale();
        let e = (-z).exp();
        if e == f64::INFINITY {
            // z + e^(−z) is +∞ (also where z itself is −∞: e^(−z) dominates).
            return f64::NEG_INFINITY;
        }
        if z == f64::INFINITY {
            return f64::NEG_INFINITY;
        }
        -self.scale().ln() - (z + e)
    }
}

impl LnDensity for InverseGamma {
    /// `ln p(x) = α ln β − ln Γ(α) − (α + 1) ln x − β/x` for `0 < x < ∞` (shape `α`, rate
    /// `β`), `−∞` elsewhere; taken as `[α ln(β/x) − β/x − ln Γ(α)] − ln x`, the bracket in
    /// Stirling's form for a huge `α`, so that no two terms overflow against each other.
    fn ln_density(&self, x: f64) -> f64 {
        if !(x > 0.0 && x < f64::INFINITY) {
            return if x.is_nan() { x } else { f64::NEG_INFINITY };
        }
        let (a, b) = (self.shape(), self.rate());
        nan_to_neg_infinity(gamma_kernel(a, b.ln() - x.ln()) - x.ln())
    }

    /// See [`LnDensity::unbounded_work`]: the shape above `10¹⁰`.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        incomplete_gamma_work("p.shape", self.shape())
    }
}

impl LnDensity for FisherSnedecor {
    /// `ln p(x) = ½[d₁ ln(d₁x) + d₂ ln d₂ − (d₁ + d₂) ln(d₁x + d₂)] − ln x − ln B(d₁/2, d₂/2)`
    /// for `0 < x < ∞`, `−∞` elsewhere.
    fn ln_density(&self, x: f64) -> f64 {
        if !(x > 0.0 && x < f64::INFINITY) {
            return if x.is_nan() { x } else { f64::NEG_INFINITY };
        }
        let (d1, d2) = (self.freedom_1(), self.freedom_2());
        let value = 0.5 * (d1 * (d1 * x).ln() + d2 * d2.ln() - (d1 + d2) * (d1 * x + d2).ln())
            - x.ln()
            - ln_beta_of_halves(d1, d2);
        if !value.is_nan() {
            return value;
        }
        // Where d₁x + d₂ (or the products) overflow: the same in terms of t = ln(d₁x/d₂),
        // −½[d₁ softplus(−t) + d₂ softplus(t)] − ln x − ln B(d₁/2, d₂/2), every term finite.
        let t = d1.ln() + x.ln() - d2.ln();
        let softplus = |u: f64| u.max(0.0) + (-u.abs()).exp().ln_1p();
        let value =
            -0.5 * (d1 * softplus(-t) + d2 * softplus(t)) - x.ln() - ln_beta_of_halves(d1, d2);
        nan_to_neg_infinity(value)
    }
}

/// `ln B(d₁/2, d₂/2)`, also where a half underflows to 0 (a subnormal degree of freedom, which
/// statrs's `ln_beta` rejects with a panic): there `ln Γ(d/2) = ln 2 − ln d` to within `d`.
fn ln_beta_of_halves(d1: f64, d2: f64) -> f64 {
    let (a, b) = (0.5 * d1, 0.5 * d2);
    if a > 0.0 && b > 0.0 {
        return ln_beta(a, b);
    }
    let ln_gamma_half = |d: f64, half: f64| {
        if half > 0.0 {
            ln_gamma(half)
        } else {
            std::f64::consts::LN_2 - d.ln()
        }
    };
    // Γ(a + b) with a + b ≥ the larger half, which is positive unless both underflowed.
    ln_gamma_half(d1, a) + ln_gamma_half(d2, b) - ln_gamma_half(d1 + d2, a + b)
}

impl LnDensity for Cauchy {
    /// See [`LnDensity::unbounded_work`]: an infinite parameter.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        infinite_parameter(&[("p.location", self.location()), ("p.scale", self.scale())])
    }

    /// `ln p(x) = −ln(πγ) − ln(1 + z²)`, `z = (x − x₀)/γ`, with `ln(1 + z²)` taken as
    /// `2 ln|z| + ln(1 + z⁻²)` for `|z| > 1` so that `z²` cannot overflow; `−∞` at `x = ±∞`.
    fn ln_density(&self, x: f64) -> f64 {
        let z = (x - self.location()) / self.scale();
        let ln_1_plus_z2 = if z.abs() > 1.0 {
            2.0 * z.abs().ln() + (z * z).recip().ln_1p()
        } else {
            (z * z).ln_1p()
        };
        if x.is_nan() {
            return x;
        }
        nan_to_neg_infinity(-(std::f64::consts::PI * self.scale()).ln() - ln_1_plus_z2)
    }
}

impl LnDensity for LogNormal {
    /// See [`LnDensity::unbounded_work`]: an infinite parameter.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        infinite_parameter(&[("p.location", self.location()), ("p.scale", self.scale())])
    }

    /// `ln p(x) = −ln x − ln σ − ½ ln 2π − ½z²`, `z = (ln x − μ)/σ`, for `0 < x < ∞`; `−∞`
    /// elsewhere. `z` is a ratio, so a tiny σ does not give `0/0`. statrs's own `ln_pdf`
    /// where it is a number.
    fn ln_density(&self, x: f64) -> f64 {
        let value = Continuous::ln_pdf(self, x);
        if !value.is_nan() || x.is_nan() {
            return value;
        }
        if !(x > 0.0 && x < f64::INFINITY) {
            return if x.is_nan() { x } else { f64::NEG_INFINITY };
        }
        let (mu, sigma) = (self.location(), self.scale());
        let z = (x.ln() - mu) / sigma;
        nan_to_neg_infinity(-x.ln() - sigma.ln() - LN_SQRT_2PI - 0.5 * z * z)
    }
}

impl LnDensity for Beta {
    /// `ln p(x) = (a − 1) ln x + (b − 1) ln(1 − x) − ln B(a, b)` for `0 < x < 1`; at the
    /// edges the limit (`+∞` at a pole, `ln b` or `ln a` where the shape is 1); `−∞` outside.
    /// statrs's own `ln_pdf` where it is a number.
    fn ln_density(&self, x: f64) -> f64 {
        let value = Continuous::ln_pdf(self, x);
        if !value.is_nan() || x.is_nan() {
            return value;
        }
        let (a, b) = (self.shape_a(), self.shape_b());
        if !(0.0..=1.0).contains(&x) {
            return f64::NEG_INFINITY;
        }
        // The factor at an edge: x^(a−1) at 0, (1 − x)^(b−1) at 1.
        // Shape 1 at the edge: the density there is 1/B(1, other) = other.
        let edge = |shape: f64, other: f64| {
            if shape < 1.0 {
                f64::INFINITY
            } else if shape > 1.0 {
                f64::NEG_INFINITY
            } else {
                other.ln()
            }
        };
        if x == 0.0 {
            return edge(a, b);
        }
        if x == 1.0 {
            return edge(b, a);
        }
        let t1 = if a == 1.0 { 0.0 } else { (a - 1.0) * x.ln() };
        let t2 = if b == 1.0 {
            0.0
        } else {
            (b - 1.0) * (-x).ln_1p()
        };
        let lb = ln_beta(a, b);
        nan_to_neg_infinity(t1 + t2 - lb)
    }

    /// The `u`-quantile by bisection on the bits of `x ∈ [0, 1]` (non-negative doubles are
    /// ordered as their bit patterns): 62 steps of the `cdf` (the `sf` above the median,
    /// where the cdf is near 1 and loses digits) reach the nearest double, at every shape.
    fn bounded_quantile(&self, u: f64) -> Option<f64> {
        if !(0.0..=1.0).contains(&u) {
            return Some(f64::NAN);
        }
        use statrs::distribution::ContinuousCDF;
        let below = |x: f64| {
            if u <= 0.5 {
                self.cdf(x) < u
            } else {
                self.sf(x) > 1.0 - u
            }
        };
        let (mut lo, mut hi) = (0u64, 1f64.to_bits());
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if below(f64::from_bits(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(f64::from_bits(hi))
    }
}

impl LnDensity for Weibull {
    /// See [`LnDensity::unbounded_work`]: an infinite parameter.
    fn unbounded_work(&self) -> Option<(&'static str, f64, &'static str)> {
        infinite_parameter(&[("p.shape", self.shape()), ("p.scale", self.scale())])
    }

    /// `ln p(x) = ln k − ln λ + (k − 1) ln(x/λ) − (x/λ)^k` for `x > 0` (shape `k`, scale
    /// `λ`); at 0 the limit (`ln k − ln λ` for `k = 1`, `+∞` below, `−∞` above); `−∞` outside.
    /// statrs's own `ln_pdf` where it is a number.
    fn ln_density(&self, x: f64) -> f64 {
        let value = Continuous::ln_pdf(self, x);
        if !value.is_nan() || x.is_nan() {
            return value;
        }
        let (k, lambda) = (self.shape(), self.scale());
        if !(0.0..f64::INFINITY).contains(&x) {
            return f64::NEG_INFINITY;
        }
        if x == 0.0 {
            return match k.partial_cmp(&1.0) {
                Some(std::cmp::Ordering::Equal) => -lambda.ln(),
                Some(std::cmp::Ordering::Less) => f64::INFINITY,
                _ => f64::NEG_INFINITY,
            };
        }
        let ln_r = x.ln() - lambda.ln();
        let power = (k * ln_r).exp();
        nan_to_neg_infinity(k.ln() - lambda.ln() + (k - 1.0) * ln_r - power)
    }
}

/// `½ ln 2π`.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

impl LnDensity for Triangular {
    /// statrs's `ln_pdf` where it is a number; else, in log space,
    /// `ln 2 + ln(x − a) − ln(b − a) − ln(c − a)` below the mode `c`, `ln 2 − ln(b − a)` at it,
    /// `ln 2 + ln(b − x) − ln(b − a) − ln(b − c)` above (a mode at an edge makes statrs's
    /// `0/0` there), `−∞` outside `[a, b]`.
    fn ln_density(&self, x: f64) -> f64 {
        let value = Continuous::ln_pdf(self, x);
        if !value.is_nan() || x.is_nan() {
            return value;
        }
        let (a, b, c) = (self.min(), self.max(), self.mode().unwrap_or(f64::NAN));
        let ln_width = (b - a).ln();
        let value = if !(a..=b).contains(&x) {
            f64::NEG_INFINITY
        } else if x == c {
            std::f64::consts::LN_2 - ln_width
        } else if x < c {
            std::f64::consts::LN_2 + (x - a).ln() - ln_width - (c - a).ln()
        } else {
            std::f64::consts::LN_2 + (b - x).ln() - ln_width - (b - c).ln()
        };
        nan_to_neg_infinity(value)
    }
}
