//! The integrand `p·(ln p − ln q)` built from log-densities, and its zero rules: where
//! `ln p = −∞` it is 0; where `ln q = −∞` under P's mass the divergence is `+∞` (a gap of `Q`)
//! or not computable (a log-density a double cannot hold), told apart by [`zero_of_q`].

use std::cell::Cell;

use statrs::distribution::ContinuousCDF;
use statrs::statistics::{Max, Min};

use super::{Estimate, LnDensity, quantile};
use crate::error::{Error, Result};

/// What the integrand weighs by `p`: the signed log-ratio (the divergence itself) or its
/// absolute value (a bound on what a truncated range can cost, as [`grid`](super::grid)
/// reports in its error estimate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LogRatio {
    /// `p·(ln p − ln q)`: the integrand of `KL(P‖Q)`.
    Signed,
    /// `p·|ln p − ln q|`.
    Absolute,
}

/// The tail probability outside which `P` is not its "bulk" (see `Integrand::logs`). Beyond
/// the bulk a `ln q = −∞` is taken for an underflow and dropped, with an error estimate that
/// cannot be a bound (nothing is known of `ln q` there): the bulk is wide, so that what is
/// dropped is at most 10⁻¹⁵ of P's mass. At 10⁻⁹ a Gumbel `Q` 23 times narrower than `P` lost
/// 5e-7 nats there against an estimate of 1.7e-7.
const BULK: f64 = 1e-15;

/// What the integrand found besides numbers: an infinite divergence, or a broken density.
pub(super) struct Integrand<'a, P: ?Sized, Q: ?Sized> {
    pub(super) p: &'a P,
    pub(super) q: &'a Q,
    /// P's support `[lo, hi]`.
    pub(super) lo: f64,
    pub(super) hi: f64,
    /// P's bulk: its 10⁻¹⁵ and 1 − 10⁻¹⁵ quantiles.
    bulk: (f64, f64),
    /// What the log-ratio is weighted as (see [`LogRatio`]).
    log_ratio: LogRatio,
    /// The first point of P's bulk where `ln q = −∞` (see [`zero_of_q`]).
    pub(super) zero_at: Cell<Option<f64>>,
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
    pub(super) fn new(p: &'a P, q: &'a Q, log_ratio: LogRatio) -> Self {
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
            log_ratio,
            zero_at: Cell::new(None),
            dropped: Cell::new((f64::NEG_INFINITY, f64::INFINITY)),
            lowest_lq: Cell::new((0.0, 0.0)),
            bad: Cell::new(None),
        }
    }

    /// `exp(ln p)·(ln p − ln q)` at `x`, 0 where `ln p = −∞`.
    pub(super) fn eval(&self, x: f64) -> f64 {
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
        let ratio = match self.log_ratio {
            LogRatio::Signed => ratio,
            LogRatio::Absolute => ratio.abs(),
        };
        (lp + ln_h).exp() * ratio
    }

    /// `h·exp(ln p)·(ln p − ln q)` at `x`, 0 where `ln p = −∞` (see [`Self::term_times`]),
    /// with `ln_h = ln h`.
    fn eval_times(&self, x: f64, ln_h: f64) -> f64 {
        self.logs(x)
            .map_or(0.0, |(lp, lq)| self.term_times(lp, lq, ln_h))
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
    ///
    /// `ln_h` is the map's own `ln h`, exact where `h` is not: a subnormal `h` (a support
    /// narrower than 2⁻¹⁰²², as Uniform(0, 10⁻³¹⁰), or the far end of an edge map) is rounded
    /// to a multiple of 2⁻¹⁰⁷⁴, and weighting by that staircase instead of the smooth `h` kept
    /// the rule from converging until the evaluation budget ran out (40 million evaluations,
    /// 15 s, for a constant density; 4.5 million and 1.9 s with the exact weight). For a
    /// normal `h`, `h.ln()` is used as before.
    pub(super) fn eval_from(&self, edge: f64, side: f64, h: f64, ln_h: f64) -> f64 {
        if !(h > 0.0 && h.is_finite()) {
            return 0.0;
        }
        let ln_h = if h < f64::MIN_POSITIVE && !ln_h.is_nan() {
            ln_h
        } else {
            h.ln()
        };
        let x = edge + side * h;
        // At 0, or farther than half the edge's magnitude, x carries the full relative
        // precision of h.
        if edge == 0.0 || h > 0.5 * edge.abs() {
            return self.eval_times(x, ln_h);
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
            return self.eval_times(x, ln_h);
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
            return self.eval_times(x, ln_h);
        };
        let w = (h / ha).ln() / (hb / ha).ln();
        let lp = pa + w * (pb - pa);
        let lq = qa + w * (qb - qa);
        if !(lp.is_finite() && lq.is_finite()) {
            return self.eval_times(x, ln_h);
        }
        self.term_times(lp, lq, ln_h)
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
    pub(super) fn reference(&self) -> Option<f64> {
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
    pub(super) fn dropped_error(&self) -> f64 {
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
    pub(super) fn check(&self) -> Result<()> {
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
pub(super) struct QZeros {
    reference: Option<f64>,
    zero: Option<f64>,
}

impl QZeros {
    /// `ln q(x)`, or `None` where it is −∞ (remembered); an error where it is NaN or +∞.
    pub(super) fn ln_q<Q: LnDensity + ?Sized>(&mut self, q: &Q, x: f64) -> Result<Option<f64>> {
        let lq = q.ln_density(x);
        if lq == f64::NEG_INFINITY {
            self.zero = self.zero.or(Some(x));
            return Ok(None);
        }
        self.reference = Some(x);
        finite("ln q", x, lq).map(Some)
    }

    /// The rule's result if a zero of q was met: `+∞` (a support mismatch) or an error.
    pub(super) fn verdict<Q: LnDensity + Min<f64> + Max<f64> + ?Sized>(
        self,
        q: &Q,
    ) -> Option<Result<Estimate>> {
        self.zero.map(|x| zero_of_q(q, self.reference, x))
    }
}

/// `value` if it is finite, else [`Error::BadDensity`] naming the density and the point.
pub(super) fn finite(name: &'static str, x: f64, value: f64) -> Result<f64> {
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
pub(super) fn zero_of_q<Q: LnDensity + Min<f64> + Max<f64> + ?Sized>(
    q: &Q,
    reference: Option<f64>,
    x: f64,
) -> Result<Estimate> {
    if x < q.min() || x > q.max() {
        return Ok(Estimate::INFINITE);
    }
    let underflow = || Error::UnrepresentableLnDensity { x };
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
