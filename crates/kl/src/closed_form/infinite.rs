//! Pairs whose supports never nest: `KL = +∞` for every parameter value, through one rule
//! (torch's `_infinite_like`).
//!
//! Each group below says why: P puts mass where Q has none, whatever the parameters are.
//! Pairs that are `+∞` only for *some* parameters (a uniform reaching below 0 against an
//! exponential, a Pareto mean that is infinite) are not here: their impls decide.
//!
//! ```
//! use kl::KlDivergence;
//! use statrs::distribution::{Beta, Exp, Gamma, Normal, Pareto, Poisson, Binomial};
//!
//! let n = Normal::new(10.0, 1.0)?;
//! assert_eq!(n.kl_divergence(&Exp::new(1.0)?), f64::INFINITY);   // mass on x < 0
//! assert_eq!(n.kl_divergence(&Gamma::new(2.0, 1.0)?), f64::INFINITY);
//! let g = Gamma::new(2.0, 1.0)?;
//! assert_eq!(g.kl_divergence(&Beta::new(2.0, 2.0)?), f64::INFINITY);   // mass on x > 1
//! assert_eq!(g.kl_divergence(&Pareto::new(1.0, 2.0)?), f64::INFINITY); // mass below m
//! let poisson = Poisson::new(3.0)?;
//! assert_eq!(poisson.kl_divergence(&Binomial::new(0.5, 100)?), f64::INFINITY); // k > 100
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use statrs::distribution::{
    Bernoulli, Beta, Binomial, Cauchy, Chi, ChiSquared, Erlang, Exp, Gamma, Geometric, Gumbel,
    InverseGamma, Laplace, LogNormal, Normal, Pareto, Poisson, Uniform, Weibull,
};

use super::KlDivergence;

/// The one rule: `+∞`, whatever the parameters (the types alone say that P's support is not
/// inside Q's).
fn infinite_like<P: ?Sized, Q: ?Sized>(_p: &P, _q: &Q) -> f64 {
    f64::INFINITY
}

/// `[P₁, P₂, …] => [Q₁, Q₂, …];` implements `KlDivergence<Qⱼ> for Pᵢ` as [`infinite_like`]
/// for every `i, j`. The registry test reads these groups, and the registry table has one row
/// per group.
macro_rules! infinite_pairs {
    ($([$($p:ident),+] => $qs:tt;)+) => {
        $($(infinite_pairs!(@one $p $qs);)+)+
    };
    (@one $p:ident [$($q:ident),+]) => {
        $(
            impl KlDivergence<$q> for $p {
                fn kl_divergence(&self, q: &$q) -> f64 {
                    infinite_like(self, q)
                }
            }
        )+
    };
}

infinite_pairs! {
    // Mass on all of ℝ against a support inside [0, ∞) or a bounded interval.
    [Normal, Gumbel, Laplace, Cauchy] => [Exp, Gamma, Beta, Uniform, Pareto, Weibull, LogNormal, Chi, ChiSquared, Erlang, InverseGamma];
    // Unbounded mass on (0, ∞) against a bounded interval.
    [Exp, Gamma, Weibull, LogNormal, Chi, ChiSquared, Erlang, InverseGamma, Pareto] => [Beta, Uniform];
    // Mass arbitrarily near 0 against a support [m, ∞) with m > 0.
    [Exp, Gamma, Weibull, LogNormal, Chi, ChiSquared, Erlang, InverseGamma, Beta] => [Pareto];
    // Mass on every count 0, 1, … against a bounded support (or one starting at 1).
    [Poisson] => [Binomial, Bernoulli, Geometric];
}
