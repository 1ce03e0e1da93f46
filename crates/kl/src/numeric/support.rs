//! The support partition and the tail maps: where the integration range is cut (at P's
//! quantiles) and how each piece is mapped (edge maps for poles, logarithmic maps for wide
//! pieces, light and heavy tail maps out to infinity) before the adaptive engine sees it.

use statrs::distribution::ContinuousCDF;
use statrs::statistics::{Max, Min};

use super::adaptive::{Sum, adaptive};
use super::integrand::Integrand;
use super::{LnDensity, quantile};

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
pub(super) fn integrate_support<P, Q>(it: &Integrand<'_, P, Q>, lo: f64, hi: f64) -> Sum
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
                it.eval_from(a, 1.0, h, width.ln() - t * r) * r * r
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
                it.eval_from(b, -1.0, h, width.ln() - t * r) * r * r
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
                        it.eval_from(anchor, side, h, s)
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
fn heavy_tail<P: LnDensity + ContinuousCDF<f64, f64> + ?Sized>(p: &P, u: [f64; 3]) -> bool {
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
pub(super) fn support_escapes<P, Q>(p: &P, q: &Q) -> bool
where
    P: Min<f64> + Max<f64> + ?Sized,
    Q: Min<f64> + Max<f64> + ?Sized,
{
    p.min() < q.min() || p.max() > q.max()
}
