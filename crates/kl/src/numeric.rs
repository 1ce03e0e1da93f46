//! Numerical routes to KL between continuous distributions: adaptive quadrature over
//! ln-densities, the grid (Riemann) rule, and Monte Carlo. Each returns an [`Estimate`]: a value
//! in nats and an error estimate, so a chapter can print `value ± error` and a test can check
//! one route against another.
//!
//! All three compute the same integral,
//!
//! ```text
//! KL(P‖Q) = ∫ p(x) (ln p(x) − ln q(x)) dx   (nats)
//! ```
//!
//! from the distributions' log-densities ([`LnDensity`]), never from `ln(pdf)`: `pdf`
//! underflows to 0 a few dozen standard deviations out, while the log-density stays finite, so
//! the log-ratio is exact wherever it is needed. The density `p = exp(ln p)` appears only as
//! the weight. [`LnDensity`] is implemented for every statrs continuous distribution (and
//! [`GaussianMixture`](crate::mixture::GaussianMixture)); for the families whose statrs
//! `ln_pdf` is `ln(pdf)` (Laplace, Gumbel, InverseGamma, FisherSnedecor) and for the Cauchy
//! (whose `z²` overflows), it is the density's formula written in log space.
//!
//! | route | what it is | `error` |
//! |---|---|---|
//! | [`quadrature()`] | double-exponential quadrature, split at `P`'s quantiles, adaptive | whole piece vs two halves, plus rounding |
//! | [`grid`] | the original tutorial's grid with the `dx` it forgot | discretisation (twice the change from `dx` to `dx/2`) plus the tails outside the range |
//! | [`monte_carlo`] | mean of `ln p(X) − ln q(X)` over `X ~ P` | the standard error |
//!
//! Conventions shared by all three:
//! - Where `ln p = −∞` (outside `P`'s support) the integrand is 0, whatever `q` is.
//! - Where `ln p` is finite but `ln q = −∞`, `P` puts mass where `Q` has none: the divergence is
//!   `+∞` (returned as `Ok` with `value = +∞`, `error = 0`), not an error. Outside `Q`'s
//!   `[min, max]` that is certain; inside, `ln q = −∞` may instead be a log-density a double
//!   cannot hold: a user's [`LnDensity`] computed as `ln(pdf)`, `−∞` once `pdf` underflows,
//!   or a true log-density below `−1.8·10³⁰⁸` (a Gumbel ~710 scales left of its location).
//!   The two are told apart by bisecting to the edge of the `−∞` region: a gap is a jump from
//!   an ordinary `ln q`, the other a continuous fade to below −700. That, where `P` has mass,
//!   is [`Error::Unsupported`]: the divergence is not computable from that log-density.
//! - A NaN log-density is [`Error::BadDensity`]; bad arguments are [`Error::InvalidParameter`]
//!   or [`Error::TooFewSamples`]. Nothing here panics on input.

use std::cell::Cell;
use std::ops::Range;

use statrs::distribution::ContinuousCDF;
use statrs::statistics::{Max, Min};

use crate::error::{Error, Result};

mod ln_density;

pub use ln_density::LnDensity;

/// A numerical result and how far from the truth it may be, both in nats.
///
/// `error` is an *estimate* (its meaning is stated by each function), not a proven bound.
/// When the divergence is infinite, `value` is `+∞` and `error` is 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The estimated divergence, in nats.
    pub value: f64,
    /// The estimated absolute error of `value`, in nats.
    pub error: f64,
}

impl Estimate {
    /// The estimate of an infinite divergence: `+∞ ± 0`.
    const INFINITE: Estimate = Estimate {
        value: f64::INFINITY,
        error: 0.0,
    };
}

/// Probabilities at which `P`'s quantiles split the integration range. The median places
/// `P`'s centre (and a Laplace kink) on a breakpoint; the others make sure every piece holds a
/// sizable, well-scaled share of `P`'s mass, wherever `P` sits and however wide it is.
const SPLIT_PROBABILITIES: [f64; 13] = [
    1e-9,
    1e-6,
    1e-3,
    0.02,
    0.1,
    0.25,
    0.5,
    0.75,
    0.9,
    0.98,
    0.999,
    0.999_999,
    0.999_999_999,
];

/// The tail probability outside which `P` is not its "bulk" (see `Integrand::logs`). Beyond
/// the bulk a `ln q = −∞` is taken for an underflow and dropped, with an error estimate that
/// cannot be a bound (nothing is known of `ln q` there): the bulk is wide, so that what is
/// dropped is at most 10⁻¹⁵ of P's mass. At 10⁻⁹ a Gumbel `Q` 23 times narrower than `P` lost
/// 5e-7 nats there against an estimate of 1.7e-7.
const BULK: f64 = 1e-15;
/// Absolute error asked of each piece before it is split further.
const PIECE_ABSOLUTE_TOLERANCE: f64 = 1e-15;
/// Relative error asked of each piece (relative to the piece's own integral): the rounding
/// floor that [`Sum::error`] reports anyway, 256 ε ≈ 5.7e-14. Asking for less only halves
/// noise: where `|ln p|` is large (a Weibull with shape 0.1 far out in its tail) the integrand
/// itself is only good to ~1e-14, and at 1e-14 such a pair took 8 million evaluations
/// (350 ms) instead of 81 thousand, for the same value.
const PIECE_RELATIVE_TOLERANCE: f64 = 256.0 * f64::EPSILON;
/// How many times a piece may be halved when the rule does not converge on it (a kink of `Q`,
/// a discontinuity): at most 2¹² sub-pieces per piece.
const MAX_DEPTH: u32 = 12;
/// Most grid points [`grid`] will visit (in its `dx/2` pass).
const MAX_GRID_POINTS: f64 = 2e8;

/// The most draws [`monte_carlo`] accepts: `10⁸`, seconds of work.
pub const MAX_SAMPLES: usize = 100_000_000;

/// What the integrand found besides numbers: an infinite divergence, or a broken density.
struct Integrand<'a, P: ?Sized, Q: ?Sized> {
    p: &'a P,
    q: &'a Q,
    /// P's support `[lo, hi]`.
    lo: f64,
    hi: f64,
    /// P's bulk: its 10⁻¹⁵ and 1 − 10⁻¹⁵ quantiles.
    bulk: (f64, f64),
    /// Integrate `p·|ln p − ln q|` instead of `p·(ln p − ln q)`.
    absolute: bool,
    /// The first point of P's bulk where `ln q = −∞` (see [`zero_of_q`]).
    zero_at: Cell<Option<f64>>,
    /// The innermost points below and above P's bulk where `ln q = −∞` was dropped.
    dropped: Cell<(f64, f64)>,
    /// The lowest finite `ln q` met below and above P's bulk: below [`LN_OF_PDF_FLOOR`], a
    /// `−∞` there is not an `ln(pdf)` that underflowed (see [`Self::dropped_error`]).
    lowest_lq: Cell<(f64, f64)>,
    /// The first NaN log-density met: (which, x, value).
    bad: Cell<Option<(&'static str, f64, f64)>>,
}

impl<'a, P, Q> Integrand<'a, P, Q>
where
    P: LnDensity + ContinuousCDF<f64, f64> + ?Sized,
    Q: LnDensity + ?Sized,
{
    fn new(p: &'a P, q: &'a Q, absolute: bool) -> Self {
        let (lo, hi) = (p.min(), p.max());
        let (b0, b1) = (quantile(p, BULK), quantile(p, 1.0 - BULK));
        Integrand {
            p,
            q,
            lo,
            hi,
            bulk: (
                if b0.is_finite() { b0 } else { lo },
                if b1.is_finite() { b1 } else { hi },
            ),
            absolute,
            zero_at: Cell::new(None),
            dropped: Cell::new((f64::NEG_INFINITY, f64::INFINITY)),
            lowest_lq: Cell::new((0.0, 0.0)),
            bad: Cell::new(None),
        }
    }

    /// `exp(ln p)·(ln p − ln q)` at `x`, 0 where `ln p = −∞`.
    fn eval(&self, x: f64) -> f64 {
        self.logs(x).map_or(0.0, |(lp, lq)| self.term(lp, lq))
    }

    /// `exp(ln p)·(ln p − ln q)`, or its absolute value.
    fn term(&self, lp: f64, lq: f64) -> f64 {
        self.term_times(lp, lq, 0.0)
    }

    /// `exp(ln p + ln_h)·(ln p − ln q)`: the integrand times `h`, with `h` taken into the
    /// exponent, so that a pole whose `p(x)` overflows (`ln p > 709`, e.g. a Beta with shape
    /// 0.05 at `x = 10⁻³²⁰`) still gives the finite `h·p(x)` the edge maps integrate.
    fn term_times(&self, lp: f64, lq: f64, ln_h: f64) -> f64 {
        let ratio = lp - lq;
        (lp + ln_h).exp() * if self.absolute { ratio.abs() } else { ratio }
    }

    /// `h·exp(ln p)·(ln p − ln q)` at `x`, 0 where `ln p = −∞` (see [`Self::term_times`]).
    fn eval_times(&self, x: f64, h: f64) -> f64 {
        self.logs(x)
            .map_or(0.0, |(lp, lq)| self.term_times(lp, lq, h.ln()))
    }

    /// `h` times the integrand at `edge + side·h` (`side` = ±1; the factor `h` is the Jacobian
    /// of the logarithmic maps, taken into the exponent: see [`Self::term_times`]) for an
    /// *exact* offset `h > 0` from a
    /// finite edge of P's support. Near an edge `e ≠ 0` the point `e ± h` is rounded to a
    /// double `ulp(e)` apart from its neighbours, so a pole there (a Beta with shape below 1
    /// at 1: `p ∝ h^(b−1)`) would be evaluated at the wrong offset, by a relative error
    /// `ulp(e)/h` that is large exactly where the pole holds its mass. Instead, `ln p` and
    /// `ln q` are evaluated at the two doubles bracketing `e ± h` (their offsets are exact)
    /// and interpolated linearly in `ln h`, in which a power-law pole is a straight line.
    /// Below one ulp of `e` no double is left: the line through the two innermost doubles is
    /// extrapolated, i.e. the pole is taken to stay a power law over the last ulp.
    fn eval_from(&self, edge: f64, side: f64, h: f64) -> f64 {
        if !(h > 0.0 && h.is_finite()) {
            return 0.0;
        }
        let x = edge + side * h;
        // At 0, or farther than half the edge's magnitude, x carries the full relative
        // precision of h.
        if edge == 0.0 || h > 0.5 * edge.abs() {
            return self.eval_times(x, h);
        }
        // (Sterbenz: these differences are exact.)
        let offset = |y: f64| (y - edge).abs();
        let away = |y: f64| {
            if side > 0.0 {
                y.next_up()
            } else {
                y.next_down()
            }
        };
        let toward = |y: f64| {
            if side > 0.0 {
                y.next_down()
            } else {
                y.next_up()
            }
        };
        let h1 = offset(x);
        if h1 == h {
            return self.eval_times(x, h);
        }
        let (xa, xb) = if h1 == 0.0 {
            let xa = away(edge);
            (xa, away(xa))
        } else if h1 < h || offset(toward(x)) == 0.0 {
            // x is nearer the edge than asked, or the only double nearer is the edge itself.
            (x, away(x))
        } else {
            (toward(x), x)
        };
        let (ha, hb) = (offset(xa), offset(xb));
        let (Some((pa, qa)), Some((pb, qb))) = (self.logs(xa), self.logs(xb)) else {
            return self.eval_times(x, h);
        };
        let w = (h / ha).ln() / (hb / ha).ln();
        let lp = pa + w * (pb - pa);
        let lq = qa + w * (qb - qa);
        if !(lp.is_finite() && lq.is_finite()) {
            return self.eval_times(x, h);
        }
        self.term_times(lp, lq, h.ln())
    }

    /// `(ln p, ln q)` at `x`, or `None` where the integrand is 0 (after recording what was
    /// met there).
    fn logs(&self, x: f64) -> Option<(f64, f64)> {
        if !(x > self.lo && x < self.hi) {
            // The edges of P's support are single points without mass, and the only place
            // where an isolated zero of q (Exp against Gamma(2, ·) at 0) or a pole of p can
            // be met exactly: the edge maps crowd nodes onto them until they round onto them.
            return None;
        }
        let lp = self.p.ln_density(x);
        if lp.is_nan() {
            self.flag_bad("ln p", x, lp);
            return None;
        }
        // A pole (ln p = +∞) is a single point without mass; ln p = −∞ has no mass.
        if lp.is_infinite() {
            return None;
        }
        let lq = self.q.ln_density(x);
        if lq.is_nan() {
            self.flag_bad("ln q", x, lq);
            return None;
        }
        if lq == f64::NEG_INFINITY {
            // In P's bulk (between its 10⁻¹⁵ and 1 − 10⁻¹⁵ quantiles) this is a gap of Q
            // (KL = +∞) or a log-density that could not be represented; `zero_of_q` tells
            // which afterwards. Farther out it is taken for such a log-density (a user's
            // `ln(pdf)` that underflowed; an exact one below −1.8e308, as a Gumbel's ~710
            // scales left of its location) and dropped: P's mass there is below 10⁻¹⁵.
            if x >= self.bulk.0 && x <= self.bulk.1 {
                if self.zero_at.get().is_none() {
                    self.zero_at.set(Some(x));
                }
            } else {
                let (below, above) = self.dropped.get();
                self.dropped.set(if x < self.bulk.0 {
                    (below.max(x), above)
                } else {
                    (below, above.min(x))
                });
            }
            return None;
        }
        if lq == f64::INFINITY {
            // The same for a pole of q.
            return None;
        }
        if lq < LN_OF_PDF_FLOOR && !(x >= self.bulk.0 && x <= self.bulk.1) {
            let (below, above) = self.lowest_lq.get();
            self.lowest_lq.set(if x < self.bulk.0 {
                (below.min(lq), above)
            } else {
                (below, above.min(lq))
            });
        }
        Some((lp, lq))
    }

    fn flag_bad(&self, name: &'static str, x: f64, value: f64) {
        if self.bad.get().is_none() {
            self.bad.set(Some((name, x, value)));
        }
    }

    /// A point near P's centre where `ln q` is finite, to tell a gap from an underflow.
    fn reference(&self) -> Option<f64> {
        [0.5, 0.25, 0.75, 0.02, 0.98]
            .iter()
            .map(|&u| quantile(self.p, u))
            .find(|&x| self.q.ln_density(x).is_finite())
    }

    /// What the dropped tails may hold, added to the error estimate: for each side, P's mass
    /// beyond the innermost dropped point (0 if none) times twice a bound on `|ln p − ln q|`
    /// there:
    /// - if a finite `ln q` below [`LN_OF_PDF_FLOOR`] was met on that side, the `−∞` is not an
    ///   `ln(pdf)` that underflowed but a log-density below `−1.8e308` (a Gumbel `Q` ~710 of
    ///   its scales left of its location): no bound, and a mass that a double can hold makes
    ///   the error `+∞`. (A Gumbel `Q` 100 times narrower than `P` and 20 of P's scales to its
    ///   right: the dropped tail is 5.6e-8 of KL = 6.7e244. At 0.15 instead of 0.1 the
    ///   overflow lies where P's `cdf` is 0, and the error stays finite);
    /// - otherwise `|ln p| + 745` (745 is where an `ln(pdf)` underflows; a tail's log-ratio
    ///   keeps growing beyond it, hence the factor 2).
    fn dropped_error(&self) -> f64 {
        let (below, above) = self.dropped.get();
        let (lowest_below, lowest_above) = self.lowest_lq.get();
        let side = |mass: f64, at: f64, lowest: f64| {
            if mass == 0.0 {
                0.0
            } else if lowest < LN_OF_PDF_FLOOR {
                f64::INFINITY
            } else {
                2.0 * mass * (self.p.ln_density(at).abs() + 745.0)
            }
        };
        let mut error = 0.0;
        if below > f64::NEG_INFINITY {
            error += side(self.p.cdf(below), below, lowest_below);
        }
        if above < f64::INFINITY {
            error += side(self.p.sf(above), above, lowest_above);
        }
        error
    }

    /// The error to return, if the integrand met a broken density.
    fn check(&self) -> Result<()> {
        match self.bad.get() {
            Some((name, x, value)) => Err(Error::BadDensity { name, x, value }),
            None => Ok(()),
        }
    }
}

/// Below this, a finite `ln q` is "about to underflow" (the smallest double is e^−745).
const UNDERFLOW_LN: f64 = -700.0;

/// Below this, a finite `ln q` cannot be the logarithm of a double (the smallest positive
/// one is e^−744.44): the log-density was computed in log space.
const LN_OF_PDF_FLOOR: f64 = -750.0;

/// The zeros of `q` met by a point-wise rule (`grid`, `monte_carlo`): the first point where
/// `ln q = −∞` under P's mass, and the last point where `ln q` was finite (the bisection in
/// [`zero_of_q`] starts between the two).
#[derive(Default)]
struct QZeros {
    reference: Option<f64>,
    zero: Option<f64>,
}

impl QZeros {
    /// `ln q(x)`, or `None` where it is −∞ (remembered); an error where it is NaN or +∞.
    fn ln_q<Q: LnDensity + ?Sized>(&mut self, q: &Q, x: f64) -> Result<Option<f64>> {
        let lq = q.ln_density(x);
        if lq == f64::NEG_INFINITY {
            self.zero = self.zero.or(Some(x));
            return Ok(None);
        }
        self.reference = Some(x);
        finite("ln q", x, lq).map(Some)
    }

    /// The rule's result if a zero of q was met: `+∞` (a support mismatch) or an error.
    fn verdict<Q: LnDensity + Min<f64> + Max<f64> + ?Sized>(
        self,
        q: &Q,
    ) -> Option<Result<Estimate>> {
        self.zero.map(|x| zero_of_q(q, self.reference, x))
    }
}

/// `value` if it is finite, else [`Error::BadDensity`] naming the density and the point.
fn finite(name: &'static str, x: f64, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::BadDensity { name, x, value })
    }
}

/// `ln q = −∞` at `x`, where P has density: a gap in Q's support (KL = +∞) or a log-density
/// a double cannot hold (an `ln(pdf)` that underflowed, or a true value below −1.8e308: not
/// computable)? Outside Q's `[min, max]` it is the former. Inside, bisect between
/// `reference`, where `ln q` is finite, and `x` for the edge of the region where it is `−∞`.
/// A gap is a jump: just inside the edge `ln q` is an ordinary number. The other is
/// continuous: just inside the edge `ln q` is near −745 (an underflow) or far below.
fn zero_of_q<Q: LnDensity + Min<f64> + Max<f64> + ?Sized>(
    q: &Q,
    reference: Option<f64>,
    x: f64,
) -> Result<Estimate> {
    if x < q.min() || x > q.max() {
        return Ok(Estimate::INFINITE);
    }
    let underflow = || {
        Error::Unsupported(format!(
            "`ln q` is −∞ at x = {x}, where P has density, and Q's density fades continuously \
             to 0 on the way there: ln q underflowed (an `LnDensity` computed as ln(pdf) is −∞ \
             once pdf < 5e-324) or is below −1.8e308 (a Gumbel ~710 scales left of its \
             location). The divergence cannot be computed from this log-density; one computed \
             in log space can, unless it is itself beyond the range of doubles."
        ))
    };
    let Some(mut inside) = reference else {
        return Err(underflow());
    };
    let mut outside = x;
    for _ in 0..2100 {
        let mid = 0.5 * (inside + outside);
        if mid == inside || mid == outside {
            break;
        }
        if q.ln_density(mid) == f64::NEG_INFINITY {
            outside = mid;
        } else {
            inside = mid;
        }
    }
    if q.ln_density(inside) > UNDERFLOW_LN {
        Ok(Estimate::INFINITE)
    } else {
        Err(underflow())
    }
}

/// A running sum of integrals over pieces.
#[derive(Default)]
struct Sum {
    value: f64,
    error: f64,
    /// Σ |piece integral|, for the rounding term of the error estimate.
    magnitude: f64,
    /// |median| / spread of P: how many digits the nodes lose to P's location.
    offset: f64,
    /// Integrand evaluations so far; past [`EVALUATION_BUDGET`] no piece is split again.
    evaluations: u64,
}

/// The most integrand evaluations one integration spends on splitting pieces: past it, each
/// remaining piece is accepted with its own (then larger) error estimate, so a hard integrand
/// returns in bounded time (seconds) with an honest `error` instead of refining on.
/// Every pair of the registry needs far fewer.
const EVALUATION_BUDGET: u64 = 40_000_000;

impl Sum {
    fn add(&mut self, value: f64, error: f64) {
        self.value += value;
        self.error += if error.is_nan() { f64::INFINITY } else { error };
        self.magnitude += value.abs();
    }

    /// The error estimate: the rule's own, plus rounding in the sums (256 ε per unit of
    /// integrand) and in the nodes' positions (4 ε |median| / spread per unit).
    fn error(&self) -> f64 {
        self.error + (256.0 + 4.0 * self.offset) * f64::EPSILON * self.magnitude
    }
}

/// Integrates `g` over `[a, b]` with the double-exponential rule (see [`refine`]).
fn adaptive<G: Fn(f64) -> f64>(g: &G, a: f64, b: f64, sum: &mut Sum) {
    let whole = quadrature::integrate(g, a, b, PIECE_ABSOLUTE_TOLERANCE);
    sum.evaluations += u64::from(whole.num_function_evaluations);
    refine(g, a, b, whole.integral, MAX_DEPTH, false, sum);
}

/// Compares `whole` (the rule's result on `[a, b]`) with the sum of its two halves. The rule's
/// own error estimate can declare convergence early (it extrapolates from its last two levels;
/// a sign change or a kink inside the piece fools it), so the difference between the two
/// results is the estimate that counts. A piece is accepted when two successive levels agree
/// within the tolerance (one agreement alone can be a coincidence at a kink); otherwise each
/// half is refined the same way, at most `depth` more times, and then by the trapezoid rule.
fn refine<G: Fn(f64) -> f64>(
    g: &G,
    a: f64,
    b: f64,
    whole: f64,
    depth: u32,
    agreed: bool,
    sum: &mut Sum,
) {
    let mid = 0.5 * (a + b);
    if !(mid > a && mid < b) {
        sum.add(whole, 0.0);
        return;
    }
    let left = quadrature::integrate(g, a, mid, PIECE_ABSOLUTE_TOLERANCE);
    let right = quadrature::integrate(g, mid, b, PIECE_ABSOLUTE_TOLERANCE);
    sum.evaluations +=
        u64::from(left.num_function_evaluations) + u64::from(right.num_function_evaluations);
    let halves = left.integral + right.integral;
    // Where the rule converges slowly (a kink inside the piece), halving the piece only halves
    // its error, so the halves are off by about as much as they differ from the whole: twice
    // the difference covers that case.
    let error = 2.0 * (whole - halves).abs() + left.error_estimate + right.error_estimate;
    // Relative to the piece, plus the rounding floor of nodes far from 0 (see `Sum::error`):
    // asking for less than the floor would only halve noise.
    let relative = PIECE_RELATIVE_TOLERANCE + 4.0 * f64::EPSILON * sum.offset;
    let tolerance = PIECE_ABSOLUTE_TOLERANCE.max(relative * halves.abs());
    let agrees = error <= tolerance;
    if (agrees && agreed) || sum.evaluations > EVALUATION_BUDGET {
        sum.add(halves, error);
        return;
    }
    if depth == 0 {
        // Still no agreement on a piece 2¹² times narrower than where it started: a kink (or
        // a jump) sits inside, and the rule, built for smooth integrands, cannot certify its
        // own result. The trapezoid rule can: its error at a kink is O(h²), and comparing
        // h with 2h estimates it.
        let (fine, coarse) = trapezoid(g, a, b);
        sum.evaluations += 4097;
        sum.add(fine, 2.0 * (fine - coarse).abs());
        return;
    }
    refine(g, a, mid, left.integral, depth - 1, agrees, sum);
    refine(g, mid, b, right.integral, depth - 1, agrees, sum);
}

/// The trapezoid rule on `[a, b]` with 4096 and with 2048 intervals, in one pass.
fn trapezoid<G: Fn(f64) -> f64>(g: &G, a: f64, b: f64) -> (f64, f64) {
    const N: usize = 4096;
    let h = (b - a) / N as f64;
    let (mut fine, mut coarse) = (0.0, 0.0);
    for i in 0..=N {
        let x = if i == N { b } else { a + i as f64 * h };
        let w = if i == 0 || i == N { 0.5 } else { 1.0 };
        let y = g(x);
        fine += w * y;
        if i % 2 == 0 {
            coarse += w * y;
        }
    }
    (fine * h, coarse * 2.0 * h)
}

/// Runs one of the public routines, turning a panic inside the distributions' own methods
/// (statrs's special functions `unwrap` arguments outside the range their numerics handle,
/// for parameters its constructors accept) into [`Error::DistributionFailed`].
fn guarded<T>(routine: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".to_string());
        Err(Error::DistributionFailed {
            call: routine,
            message,
        })
    })
}

/// P's `u`-quantile: statrs's `inverse_cdf`. (A bounded bisection of our own would finish
/// for every shape, but statrs's `cdf` panics far out in the tails for some families, e.g.
/// a Gamma where `x · rate` overflows; statrs's Beta quantile can iterate without bound at
/// shapes like `(10³⁰⁰, 10⁻³⁰⁰)`: not fixed here.)
fn quantile<P: ContinuousCDF<f64, f64> + ?Sized>(p: &P, u: f64) -> f64 {
    p.inverse_cdf(u)
}

/// A piece `[a, b]` whose far end is more than this many times farther from its anchor (a
/// finite edge of P's support, else P's median) than its near end is integrated in the
/// logarithm of the distance to the anchor: a power law there (a pole at the edge, a heavy
/// tail) is then smooth and well scaled instead of crowded against one end.
const LOG_RATIO: f64 = 8.0;

/// `∫ f` over `[lo, hi]` (either end may be infinite), split at `P`'s quantiles inside it.
///
/// - A piece at a finite edge of P's support: `x = edge ± w·e^(−v)`, `v = t/(1 − t)`, with
///   the offsets from a nonzero edge kept exact (see [`Integrand::eval_from`]).
/// - A piece whose anchor is a finite edge, or that spans a wide ratio of distances from
///   its anchor (see [`LOG_RATIO`]): in
///   `ln |x − anchor|`.
/// - Other pieces: in `x`.
/// - An infinite tail beyond the outermost quantile `x_q`: `x = x_q ± s·v` with `s` the
///   interquartile range when the tail is light, and `x = x_q ± d·(e^v − 1)` with `d` the
///   distance from the median to `x_q` when it is heavy (the spacing of the 1 − 10⁻⁹,
///   1 − 10⁻⁶ and 1 − 10⁻³ quantiles grows by more than 2: a power law), so a tail like
///   `x^(−1.3)` is covered out to the largest double instead of 10¹⁶ interquartile ranges.
///   The tail stops where `P`'s `cdf` (below) or `sf` (above) is 0: P has no mass there
///   that a double can hold, and its log-density need not be evaluated there.
fn integrate_support<P, Q>(it: &Integrand<'_, P, Q>, lo: f64, hi: f64) -> Sum
where
    P: LnDensity + ContinuousCDF<f64, f64> + ?Sized,
    Q: LnDensity + ?Sized,
{
    let p = it.p;
    let f = |x: f64| it.eval(x);
    let mut sum = Sum::default();
    if lo.is_nan() || hi.is_nan() || lo >= hi {
        return sum;
    }
    // Far from 0 and narrow, the nodes x themselves carry a rounding error ε|x| that is large
    // against P's spread: the rounding term of the error estimate grows with |median|/spread.
    let median = quantile(p, 0.5);
    let mut cuts: Vec<f64> = SPLIT_PROBABILITIES
        .iter()
        .map(|&u| quantile(p, u))
        .filter(|x| x.is_finite() && *x > lo && *x < hi)
        .collect();
    // The spread of P sets the scale of the tail maps: the interquartile range, or any
    // positive scale when P has none (a very narrow P, a failing quantile function).
    let (q1, q3) = (quantile(p, 0.25), quantile(p, 0.75));
    let mut spread = q3 - q1;
    if !(spread.is_finite() && spread > 0.0) {
        spread = 1.0;
    }
    sum.offset = if median.is_finite() {
        median.abs() / spread
    } else {
        0.0
    };
    if lo.is_finite() {
        cuts.push(lo);
    }
    if hi.is_finite() {
        cuts.push(hi);
    }
    if cuts.is_empty() {
        // Both ends infinite and no usable quantile: centre on the median, or on 0.
        cuts.push(if median.is_finite() { median } else { 0.0 });
    }
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let first = cuts[0];
    let last = cuts[cuts.len() - 1];
    let centre = if median.is_finite() && median > first && median < last {
        median
    } else {
        0.5 * (first + last)
    };
    if lo == f64::NEG_INFINITY {
        let heavy = heavy_tail(p, [1e-3, 1e-6, 1e-9]);
        tail(
            &f,
            first,
            -1.0,
            spread,
            heavy.then_some(centre - first),
            &|x| p.cdf(x) == 0.0,
            &mut sum,
        );
    }
    for (i, w) in cuts.windows(2).enumerate() {
        let (a, b) = (w[0], w[1]);
        let width = b - a;
        if i == 0 && a == lo {
            // The piece at a finite lower edge of P's support: x = a + width·e^(−v), v ≥ 0
            // (v = t/(1 − t)), so nodes crowd the edge with full relative precision and a
            // pole there (a Gamma with shape < 1 at 0) is integrated, not cut off at ε·width.
            let edge = |t: f64| {
                if t >= 1.0 {
                    return 0.0;
                }
                let r = 1.0 / (1.0 - t);
                let h = width * (-t * r).exp();
                it.eval_from(a, 1.0, h) * r * r
            };
            adaptive(&edge, 0.0, 1.0, &mut sum);
        } else if i + 2 == cuts.len() && b == hi {
            // The same at a finite upper edge: x = b − width·e^(−v).
            let edge = |t: f64| {
                if t >= 1.0 {
                    return 0.0;
                }
                let r = 1.0 / (1.0 - t);
                let h = width * (-t * r).exp();
                it.eval_from(b, -1.0, h) * r * r
            };
            adaptive(&edge, 0.0, 1.0, &mut sum);
        } else {
            // The anchor: the finite edge of the support on the piece's side of the centre,
            // else the centre.
            let (anchor, side) = if b <= centre {
                if lo.is_finite() {
                    (lo, 1.0)
                } else {
                    (centre, -1.0)
                }
            } else if hi.is_finite() {
                (hi, -1.0)
            } else {
                (centre, 1.0)
            };
            let (da, db) = ((a - anchor).abs(), (b - anchor).abs());
            let (near, far) = (da.min(db), da.max(db));
            // Near a finite edge always: a few ulps from an edge `e ≠ 0` hold only a few
            // doubles, and a pole there has mass between them (see `Integrand::eval_from`).
            let edge_exact = anchor == lo || anchor == hi;
            if near > 0.0 && (edge_exact || far > LOG_RATIO * near) {
                // x = anchor + side·e^s, s from ln near to ln far.
                let log_piece = |s: f64| {
                    let h = s.exp();
                    if edge_exact {
                        it.eval_from(anchor, side, h)
                    } else {
                        f(anchor + side * h) * h
                    }
                };
                adaptive(&log_piece, near.ln(), far.ln(), &mut sum);
            } else {
                adaptive(&f, a, b, &mut sum);
            }
        }
    }
    if hi == f64::INFINITY {
        let heavy = heavy_tail(p, [1.0 - 1e-3, 1.0 - 1e-6, 1.0 - 1e-9]);
        tail(
            &f,
            last,
            1.0,
            spread,
            heavy.then_some(last - centre),
            &|x| p.sf(x) == 0.0,
            &mut sum,
        );
    }
    sum
}

/// Whether P's tail is heavy: the quantiles at the three probabilities (from the bulk
/// outwards) spread apart by more than a factor 2 (a power law spreads them by
/// `1000^(1/α)`; exponential tails by about 1, Gaussian ones by less).
fn heavy_tail<P: ContinuousCDF<f64, f64> + ?Sized>(p: &P, u: [f64; 3]) -> bool {
    let [x0, x1, x2] = u.map(|u| quantile(p, u));
    let (d0, d1) = ((x1 - x0).abs(), (x2 - x1).abs());
    d0.is_finite() && d1.is_finite() && d1 > 2.0 * d0
}

/// `∫ f` from `start` to `side·∞` (see [`integrate_support`]): `x = start + side·s·v` or, for
/// a heavy tail with a positive distance `d`, `x = start + side·d·(e^v − 1)`; `v = t/(1 − t)`.
/// The range stops at the first `v = 2ᵏ` where `empty(x)` (P holds no mass beyond `x`).
fn tail<F: Fn(f64) -> f64>(
    f: &F,
    start: f64,
    side: f64,
    spread: f64,
    heavy: Option<f64>,
    empty: &dyn Fn(f64) -> bool,
    sum: &mut Sum,
) {
    let d = heavy.filter(|d| d.is_finite() && *d > 0.0);
    let at = |v: f64| match d {
        Some(d) => start + side * d * v.exp_m1(),
        None => start + side * spread * v,
    };
    let slope = |v: f64| match d {
        Some(d) => d * v.exp(),
        None => spread,
    };
    let mut end = f64::INFINITY;
    let mut v = 1.0;
    while v < 1e300 {
        let x = at(v);
        if !x.is_finite() {
            break;
        }
        if empty(x) {
            end = x;
            break;
        }
        v *= 2.0;
    }
    let g = |t: f64| {
        if t >= 1.0 {
            return 0.0;
        }
        let r = 1.0 / (1.0 - t);
        let v = t * r;
        let x = at(v);
        if !x.is_finite() || (x - end) * side >= 0.0 {
            return 0.0;
        }
        let value = f(x);
        if value == 0.0 {
            return 0.0;
        }
        value * slope(v) * r * r
    };
    adaptive(&g, 0.0, 1.0, sum);
}

/// `true` when `P`'s support `[min, max]` is not inside `Q`'s.
fn support_escapes<P, Q>(p: &P, q: &Q) -> bool
where
    P: Min<f64> + Max<f64> + ?Sized,
    Q: Min<f64> + Max<f64> + ?Sized,
{
    p.min() < q.min() || p.max() > q.max()
}

/// `KL(P‖Q)` by adaptive double-exponential quadrature, in nats:
///
/// ```text
/// KL(P‖Q) = ∫ exp(ln p(x)) · (ln p(x) − ln q(x)) dx   over P's support [P.min, P.max]
/// ```
///
/// The integrand is 0 where `ln p = −∞`, and is built from [`LnDensity`] (exact log-densities,
/// not statrs's `ln_pdf` where that is `ln(pdf)`) so that far tails (and a `Q` far from `P`)
/// do not underflow.
///
/// # How
/// The range is cut at `P`'s quantiles (probabilities 10⁻⁹, 10⁻⁶, 10⁻³, 0.02, 0.1, 0.25, 0.5
/// and their mirror images), so every piece holds a well-scaled share of `P`'s mass wherever
/// `P` sits (`P = N(100, 1)` is as easy as `N(0, 1)`) and a kink at `P`'s median (Laplace)
/// falls on a cut. Each piece is mapped so that the integrand is smooth in the new variable:
/// - a piece at a finite edge of the support by `x = edge ± w·e^(−v)`, and a piece between
///   quantiles on that side of the median in `ln |x − edge|`, so a pole at the edge (a Gamma
///   or Weibull with shape < 1 at 0, a Beta with a shape < 1 at 0 or 1) is a smooth function
///   of the new variable. Near an edge `e ≠ 0` (a Beta at 1) `e − h` would round `h` to a
///   multiple of `ulp(e)`; the log-densities are instead taken at the two doubles around
///   `e − h` and interpolated in `ln h`, in which a pole `h^(b−1)` is a straight line;
/// - a piece that spans more than a factor 8 in distance from the median, in the logarithm of
///   that distance;
/// - an infinite tail by `x = x_q ± s·t/(1 − t)` (`s` the interquartile range), or, when the
///   tail is heavy (P's 10⁻³, 10⁻⁶, 10⁻⁹ quantiles spread apart faster than a factor 2: a
///   power law such as Pareto or Cauchy), by `x = x_q ± d·(e^(t/(1−t)) − 1)`, which reaches the
///   largest double. A tail stops where `P`'s `cdf` (or `sf`) is 0: no mass a double can hold
///   lies beyond.
///
/// Each piece goes to the `quadrature` crate's double-exponential rule twice, whole and as
/// two halves; until two successive levels agree (and the rule's own estimates are) within
/// `1e-15` absolute and `256 ε ≈ 5.7e-14` relative, the halves are split again, up to 12
/// times, which localises kinks of `ln q` (a Laplace `Q`) and jumps wherever they are; a
/// piece that still
/// disagrees (it holds the kink) goes to the trapezoid rule with 4096 intervals, whose error
/// there is `O(h²)` and estimated from `h` against `2h`.
///
/// # Result
/// - `value`: the integral; `error`: the sum over the pieces of 2 |whole − halves| and the
///   rule's own estimates, plus rounding, `(256 + 4 |median|/IQR) · ε · Σ|piece|` (the
///   second part because nodes far from 0 on a narrow `P` carry a position error `ε|x|` that
///   is large against its spread). An estimate, not a proven bound. Tested against the closed
///   form of every continuous pair of the registry (Weibull shapes 0.1–5, Beta shapes 0.05–30,
///   Pareto shapes 0.1–10, Gumbel and Laplace with Q up to 100 times narrower than P, …), the
///   actual error stayed within 0.51 of the estimate, once the error of the densities
///   themselves is set aside: the estimate does not include it, and statrs's `ln_pdf` of a
///   Beta or Gamma carries `ln Γ`'s error (up to ~3e-13), which moves the divergence by
///   about that times `1 + KL`.
/// - `+∞` (`error` 0) when `P`'s support `[min, max]` is not inside `Q`'s, or when the rule
///   meets a point in `P`'s bulk (between its 10⁻¹⁵ and 1 − 10⁻¹⁵ quantiles) where
///   `ln q = −∞` after a jump (a gap of `Q`). Farther out such a point is taken for
///   an underflow of `ln q` and contributes 0, and `error` grows by twice P's mass beyond it
///   (below 10⁻¹⁵) times `|ln p| + 745`. A gap inside `Q`'s support that no node hits is not
///   detected.
///
/// # Known limits
/// - **A log-density a double cannot hold.** The integrand comes from [`LnDensity`], exact
///   for every statrs family (statrs's own `ln_pdf` is `ln(pdf)` for the Laplace and the
///   Gumbel, `−∞` about 745 scales from a Laplace's location and 6.6 scales left of a
///   Gumbel's: 40% of random Gumbel pairs and 6% of Laplace pairs used to fail for it). A
///   true log-density can still be below `−1.8·10³⁰⁸`: a Gumbel `Q` more than ~710 of its
///   scales right of where `P` has mass. Then `p·|ln q|` cannot be evaluated there: in `P`'s
///   bulk the result is [`Error::Unsupported`] (the divergence is then above ~10²⁹⁰); farther
///   out, where `P`'s `cdf` is still a positive double, the value is returned with an
///   `error` of `+∞`. Of Gumbel pairs with locations within ±10 and scales 0.1–10, about 1
///   in 18 000 (the worst, `P = Gumbel(−10, 10)`, `Q = Gumbel(10, 0.1)`: KL = 6.7e244, of
///   which 5.6e-8 is dropped). A user's [`LnDensity`] computed as `ln(pdf)` underflows like
///   statrs's Laplace did: [`Error::Unsupported`] in `P`'s bulk, and beyond it the dropped
///   tail's estimate assumes `|ln q|` there grows no faster than `P`'s tail thins.
/// - **Beta shapes below 0.05**: `P`'s mass below the smallest double, about `e^(−744a)`, is
///   lost (2e-10 at `a = 0.03`), uncounted in `error`. (Below ~0.06 statrs's `inverse_cdf`
///   returns quantiles out of order; the cuts are only breakpoints, and the result stays
///   right: tested at 0.05.)
/// - **Pareto (or any power-law tail) with shape below 0.1**: the mass beyond the largest
///   double, `sf(1.8e308) = (m/1.8e308)^α`, is lost, uncounted in `error`: about 10⁻³¹ at
///   shape 0.1 (tested), 10⁻¹⁵ at 0.05.
///
/// # Errors
/// [`Error::Unsupported`] when `ln q = −∞` in `P`'s bulk is not a gap: just inside the region
/// where it is `−∞`, `ln q` is below −700 (an `ln(pdf)` that underflowed, or a log-density
/// below `−1.8·10³⁰⁸`) instead of jumping from an ordinary value. The divergence cannot be
/// computed from that log-density (see *Known limits*).
///
/// [`Error::BadDensity`] if either log-density returns NaN at a node, or if the integral is
/// not a number.
///
/// ```
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(5.0, 4.0)?;
/// let kl = kl::numeric::quadrature(&p, &q)?;
/// assert!((kl.value - 1.0993971805599454).abs() < 1e-12);
/// assert!(kl.error < 1e-10);
///
/// // P's support [0, 2] is not inside Q's [0, 1]:
/// use statrs::distribution::Uniform;
/// let wide = Uniform::new(0.0, 2.0)?;
/// let narrow = Uniform::new(0.0, 1.0)?;
/// assert_eq!(kl::numeric::quadrature(&wide, &narrow)?.value, f64::INFINITY);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn quadrature<P, Q>(p: &P, q: &Q) -> Result<Estimate>
where
    P: LnDensity + ContinuousCDF<f64, f64> + Min<f64> + Max<f64>,
    Q: LnDensity + Min<f64> + Max<f64>,
{
    guarded("quadrature", || {
        if support_escapes(p, q) {
            return Ok(Estimate::INFINITE);
        }
        let integrand = Integrand::new(p, q, false);
        let sum = integrate_support(&integrand, p.min(), p.max());
        integrand.check()?;
        if let Some(x) = integrand.zero_at.get() {
            return zero_of_q(q, integrand.reference(), x);
        }
        if sum.value.is_nan() {
            return Err(Error::BadDensity {
                name: "∫ p (ln p − ln q)",
                x: f64::NAN,
                value: sum.value,
            });
        }
        Ok(Estimate {
            value: sum.value,
            error: sum.error() + integrand.dropped_error(),
        })
    })
}

/// The part of `KL(P‖Q)` that comes from `x ∈ [a, b]`, by the same quadrature, in nats:
///
/// ```text
/// ∫ₐᵇ p(x) (ln p(x) − ln q(x)) dx      (a may be −∞, b may be +∞)
/// ```
///
/// Pieces over a partition of P's support add up to [`quadrature()`]'s value. A single piece
/// can be negative (where `q > p`); the whole is never. Use it to ask where a divergence comes
/// from, e.g. how much of `KL(Q‖P)` lies beyond the end of a grid.
///
/// # Result and errors
/// As [`quadrature()`], restricted to `[a, b] ∩ [P.min, P.max]` (0 when that is empty):
/// `+∞` if `ln q = −∞` at a node in `P`'s bulk inside the interval, or if the interval reaches
/// beyond Q's support where P has support. [`Error::InvalidParameter`] if `a` or `b` is NaN
/// or `b < a`; [`Error::BadDensity`] for a NaN log-density.
///
/// ```
/// use statrs::distribution::Normal;
/// use kl::numeric::{quadrature, quadrature_between};
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(5.0, 4.0)?;
/// let left = quadrature_between(&q, &p, f64::NEG_INFINITY, 10.0)?;
/// let right = quadrature_between(&q, &p, 10.0, f64::INFINITY)?;
/// let whole = quadrature(&q, &p)?;
/// assert!((left.value + right.value - whole.value).abs() < 1e-12);
/// assert!(right.value > 1.6);   // KL(Q‖P) beyond x = 10: what a grid on [−10, 10) misses
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn quadrature_between<P, Q>(p: &P, q: &Q, a: f64, b: f64) -> Result<Estimate>
where
    P: LnDensity + ContinuousCDF<f64, f64> + Min<f64> + Max<f64>,
    Q: LnDensity + Min<f64> + Max<f64>,
{
    guarded("quadrature_between", || {
        if a.is_nan() {
            return Err(Error::InvalidParameter {
                name: "a",
                value: a,
                reason: "the interval's start must be a number (−∞ is allowed)",
            });
        }
        if b.is_nan() || b < a {
            return Err(Error::InvalidParameter {
                name: "b",
                value: b,
                reason: "the interval's end must be a number not below its start (+∞ is allowed)",
            });
        }
        let lo = a.max(p.min());
        let hi = b.min(p.max());
        if lo >= hi {
            return Ok(Estimate {
                value: 0.0,
                error: 0.0,
            });
        }
        if lo < q.min() || hi > q.max() {
            return Ok(Estimate::INFINITE);
        }
        let integrand = Integrand::new(p, q, false);
        let sum = integrate_support(&integrand, lo, hi);
        integrand.check()?;
        if let Some(x) = integrand.zero_at.get() {
            return zero_of_q(q, integrand.reference(), x);
        }
        Ok(Estimate {
            value: sum.value,
            error: sum.error() + integrand.dropped_error(),
        })
    })
}

/// One Riemann sum `Σᵢ p(xᵢ)(ln p(xᵢ) − ln q(xᵢ)) dx` over `xᵢ = start + i·dx < end`.
fn riemann<P, Q>(p: &P, q: &Q, start: f64, count: usize, dx: f64) -> Result<f64>
where
    P: LnDensity + ?Sized,
    Q: LnDensity + Min<f64> + Max<f64> + ?Sized,
{
    let mut total = 0.0;
    let mut zeros = QZeros::default();
    for i in 0..count {
        let x = start + i as f64 * dx;
        let lp = p.ln_density(x);
        if lp == f64::NEG_INFINITY {
            continue;
        }
        let lp = finite("ln p", x, lp)?;
        let Some(lq) = zeros.ln_q(q, x)? else {
            continue;
        };
        total += lp.exp() * (lp - lq);
    }
    if let Some(verdict) = zeros.verdict(q) {
        return verdict.map(|e| e.value);
    }
    Ok(total * dx)
}

/// How many points `np.arange(start, end, dx)` has: `⌈(end − start)/dx⌉`.
fn arange_len(start: f64, end: f64, dx: f64) -> Result<usize> {
    let n = ((end - start) / dx).ceil();
    if n.is_nan() || n > MAX_GRID_POINTS {
        return Err(Error::InvalidParameter {
            name: "dx",
            value: dx,
            reason: "the grid would have more than 10⁸ points; use a larger step or `quadrature`",
        });
    }
    Ok(n as usize)
}

/// `KL(P‖Q)` by the grid (left Riemann) rule on the original tutorial's grid, in nats:
///
/// ```text
/// KL ≈ Σᵢ p(xᵢ) (ln p(xᵢ) − ln q(xᵢ)) · dx,   xᵢ = start + i·dx,  i = 0, 1, …, n − 1
/// n = ⌈(end − start) / dx⌉      (numpy's np.arange(start, end, dx): end excluded)
/// ```
///
/// This is what the original's `np.sum(p * np.log(p / q))` computes once it is multiplied by
/// `dx`; without `dx` the sum is `KL / dx` (1000 × KL for `dx = 0.001`).
///
/// # Error estimate
/// `error = 2 |S(dx) − S(dx/2)| + T`, where
/// - `S(dx) − S(dx/2)` is the change when the step is halved (same range, `np.arange` with
///   `dx/2`). Where the rule is first order (a density that is not 0 at the range's ends, or
///   jumps), `S(dx) − KL ≈ C dx`, so the discretisation error of `S(dx)` is about twice that
///   change (Richardson); for smooth densities that vanish at the ends it is far smaller;
/// - `T = ∫ p |ln p − ln q|` over the part of `P`'s support the grid's cells
///   `[start, start + n·dx)` leave out, computed by the same machinery as [`quadrature()`]: a
///   bound on what the truncation can cost. It does not shrink with `dx`; only a wider range
///   removes it. It is `+∞` if `Q` has no density somewhere in `P`'s support outside the range.
///
/// The halved step costs twice the points of the sum itself; the error is worth it.
///
/// # Result and errors
/// `+∞` (`error` 0) if a grid point has finite `ln p` and `ln q = −∞`. Errors:
/// [`Error::InvalidParameter`] for a `dx` that is not a positive finite number (or so small
/// the grid exceeds 10⁸ points), and for a range whose ends are not finite or with
/// `end ≤ start`; [`Error::BadDensity`] for a NaN or `+∞` log-density at a grid point.
///
/// ```
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(2.0, 2.0)?;
/// let kl = kl::numeric::grid(&p, &q, -10.0..10.0, 0.001)?;
/// assert!((kl.value - 0.5).abs() < 1e-5);        // the closed form is 0.5
/// assert!((kl.value - 0.5).abs() <= kl.error);   // and the estimate says how close
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn grid<P, Q>(p: &P, q: &Q, range: Range<f64>, dx: f64) -> Result<Estimate>
where
    P: LnDensity + ContinuousCDF<f64, f64> + Min<f64> + Max<f64>,
    Q: LnDensity + Min<f64> + Max<f64>,
{
    guarded("grid", || {
        let Range { start, end } = range;
        if !(dx.is_finite() && dx > 0.0) {
            return Err(Error::InvalidParameter {
                name: "dx",
                value: dx,
                reason: "the grid step must be a positive finite number",
            });
        }
        if !start.is_finite() {
            return Err(Error::InvalidParameter {
                name: "range.start",
                value: start,
                reason: "the grid's ends must be finite",
            });
        }
        if !(end.is_finite() && end > start) {
            return Err(Error::InvalidParameter {
                name: "range.end",
                value: end,
                reason: "the grid's end must be finite and greater than its start",
            });
        }
        let n = arange_len(start, end, dx)?;
        let n_half = arange_len(start, end, 0.5 * dx)?;
        let coarse = riemann(p, q, start, n, dx)?;
        let fine = riemann(p, q, start, n_half, 0.5 * dx)?;
        if coarse == f64::INFINITY || fine == f64::INFINITY {
            return Ok(Estimate::INFINITE);
        }
        // The part of P's support outside the cells [start, start + n·dx).
        let covered_end = start + n as f64 * dx;
        let integrand = Integrand::new(p, q, true);
        let left = integrate_support(&integrand, p.min(), start.min(p.max()));
        let right = integrate_support(&integrand, covered_end.max(p.min()), p.max());
        integrand.check()?;
        // A zero of q outside the range (a gap, or an underflow of ln q): the tails' share is
        // not known, and the error estimate says so.
        let tails = if integrand.zero_at.get().is_some() {
            f64::INFINITY
        } else {
            left.value + right.value + left.error() + right.error() + integrand.dropped_error()
        };
        Ok(Estimate {
            value: coarse,
            error: 2.0 * (coarse - fine).abs() + tails,
        })
    })
}

/// `KL(P‖Q)` by Monte Carlo, in nats: the sample mean of the log-ratio under `P`,
///
/// ```text
/// KL ≈ (1/n) Σᵢ (ln p(Xᵢ) − ln q(Xᵢ)),   Xᵢ ~ P independent
/// error = s / √n,   s² = (1/(n − 1)) Σᵢ (rᵢ − r̄)²   (the standard error)
/// ```
///
/// Unbiased, with an error that shrinks like `1/√n` whatever the dimension or shape; the
/// standard error is itself estimated from the sample. Draws come from `P`'s
/// `rand::distr::Distribution` impl (statrs's samplers), so a seeded `rng` gives the same
/// value every run.
///
/// # Result and errors
/// `+∞` (`error` 0) as soon as a draw lands where `ln q = −∞`. Errors:
/// [`Error::TooFewSamples`] for `n < 2` (no standard error from one draw);
/// [`Error::NotFinite`] for a draw of `P` that is NaN or infinite (statrs 0.19.1's `Gumbel`
/// sampler returns NaN every time: sample it by its inverse cdf instead);
/// [`Error::BadDensity`] if a log-density is NaN or `+∞` at a draw, or if `ln p = −∞` at a draw
/// of `P` (the sampler and the density disagree).
///
/// ```
/// use rand::SeedableRng;
/// use rand::rngs::StdRng;
/// use statrs::distribution::Normal;
///
/// let p = Normal::new(0.0, 2.0)?;
/// let q = Normal::new(2.0, 2.0)?;
/// let mut rng = StdRng::seed_from_u64(7);
/// let kl = kl::numeric::monte_carlo(&p, &q, 100_000, &mut rng)?;
/// assert!((kl.value - 0.5).abs() < 4.0 * kl.error);   // the closed form is 0.5
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn monte_carlo<P, Q, R: rand::Rng + ?Sized>(
    p: &P,
    q: &Q,
    n: usize,
    rng: &mut R,
) -> Result<Estimate>
where
    P: LnDensity + rand::distr::Distribution<f64>,
    Q: LnDensity + Min<f64> + Max<f64>,
{
    guarded("monte_carlo", || {
        if n < 2 {
            return Err(Error::TooFewSamples {
                name: "n",
                got: n,
                needed: 2,
            });
        }
        if n > MAX_SAMPLES {
            return Err(Error::TooLarge {
                name: "n",
                got: n as u64,
                limit: MAX_SAMPLES as u64,
                reason: "more draws would not finish in reasonable time (the error falls only as 1/√n); use `quadrature` for accuracy",
            });
        }
        // Welford's running mean and sum of squared deviations: one pass, no cancellation.
        let mut mean = 0.0;
        let mut m2 = 0.0;
        let mut zeros = QZeros::default();
        for i in 0..n {
            let x = p.sample(rng);
            if !x.is_finite() {
                // A broken sampler (statrs 0.19.1's Gumbel draws ln of a negative number: NaN).
                return Err(Error::NotFinite {
                    name: "draw of P",
                    index: i,
                    value: x,
                });
            }
            let lp = finite("ln p", x, p.ln_density(x))?;
            let Some(lq) = zeros.ln_q(q, x)? else {
                continue;
            };
            let r = lp - lq;
            let delta = r - mean;
            mean += delta / (i + 1) as f64;
            m2 += delta * (r - mean);
        }
        if let Some(verdict) = zeros.verdict(q) {
            return verdict;
        }
        let variance = m2 / (n - 1) as f64;
        Ok(Estimate {
            value: mean,
            error: (variance / n as f64).sqrt(),
        })
    })
}
