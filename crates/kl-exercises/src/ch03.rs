//! Exercises for chapter 03: asymmetry.

use statrs::distribution::{Continuous, Normal, Uniform};

/// The asymmetry of a normal pair, in closed form.
///
/// Swapping the arguments changes the divergence. Starting from the closed form of chapter
/// 02, derive a formula for the gap
///
/// ```text
/// Δ = KL(P‖Q) − KL(Q‖P)      for P = N(μ_p, σ_p), Q = N(μ_q, σ_q)
/// ```
///
/// simplify it as far as you can and code the simplified form (not two calls of
/// `kl::kl_divergence`). Read off from your formula when `Δ = 0`: does moving the means apart
/// ever create an asymmetry on its own?
pub fn exercise_3_1(p: &Normal, q: &Normal) -> f64 {
    // Hint: statrs gives the parameters through `statrs::statistics::Distribution`'s
    // `mean()` and `std_dev()`, as Options.
    // BEGIN SOLUTION
    use statrs::statistics::Distribution;
    let (mp, sp) = (
        p.mean().unwrap_or(f64::NAN),
        p.std_dev().unwrap_or(f64::NAN),
    );
    let (mq, sq) = (
        q.mean().unwrap_or(f64::NAN),
        q.std_dev().unwrap_or(f64::NAN),
    );
    let d2 = (mp - mq) * (mp - mq);
    2.0 * (sq / sp).ln() + (sp * sp + d2) / (2.0 * sq * sq) - (sq * sq + d2) / (2.0 * sp * sp)
    // END SOLUTION
}

/// Heavy tails, both ways round: a numerical KL for any pair of densities.
///
/// Write the trapezoidal rule for `KL(P‖Q) = ∫ p(x) ln(p(x)/q(x)) dx` on `[lo, hi]` with `n`
/// equal intervals, in nats, for any two `statrs` continuous distributions (anything with
/// `ln_pdf`). Use log-densities as in exercise 2.1.
///
/// Then use it on a Student-t with 5 degrees of freedom, `T = StudentsT::new(0.0, 1.0, 5.0)`,
/// and the standard normal `N`. Which is larger, `KL(T‖N)` or `KL(N‖T)`, and why? Think of
/// where `ln(p/q)` is large and how much mass `P` puts there. How wide must `[lo, hi]` be for
/// `KL(T‖N)` to be right to six decimals, compared with `KL(N‖T)`?
pub fn exercise_3_2<P, Q>(p: &P, q: &Q, lo: f64, hi: f64, n: usize) -> f64
where
    P: Continuous<f64, f64>,
    Q: Continuous<f64, f64>,
{
    // Hint: the trapezoidal rule weights the two end points by ½ and every inner point by 1.
    // BEGIN SOLUTION
    let h = (hi - lo) / n as f64;
    let integrand = |x: f64| {
        let (lp, lq) = (p.ln_pdf(x), q.ln_pdf(x));
        let density = lp.exp();
        if density == 0.0 {
            0.0
        } else {
            density * (lp - lq)
        }
    };
    let inner: f64 = (1..n).map(|i| integrand(lo + i as f64 * h)).sum();
    h * (0.5 * integrand(lo) + inner + 0.5 * integrand(hi))
    // END SOLUTION
}

/// When one direction is infinite: two uniforms.
///
/// For `P = U(a_p, b_p)` and `Q = U(a_q, b_q)` derive `KL(P‖Q)` and return it in nats. It is
/// finite only when `P`'s interval lies inside `Q`'s; otherwise `P` puts mass where `Q` has
/// density 0 and the divergence is `+∞` (return `f64::INFINITY`). So for two different
/// nested intervals exactly one direction is finite: which one?
pub fn exercise_3_3(p: &Uniform, q: &Uniform) -> f64 {
    // Hint: `Uniform::min` and `Uniform::max` give the end points.
    // BEGIN SOLUTION
    let (ap, bp) = (p.min(), p.max());
    let (aq, bq) = (q.min(), q.max());
    if ap < aq || bp > bq {
        return f64::INFINITY;
    }
    ((bq - aq) / (bp - ap)).ln()
    // END SOLUTION
}
