//! The one fused pass behind every function of [`super`]: validate, accumulate the terms and the
//! two sums, all while reading the input once.
//!
//! # Layout of the pass
//!
//! ```text
//! input  ─┬─ chunk 0 (CHUNK elements) ─┬─ block 0 (BLOCK elements) ─ 8 lanes
//!         │                            ├─ block 1 …
//!         ├─ chunk 1 …                 └─ …
//! ```
//!
//! - A **block** first goes through the fast route: eight lanes at a time, the branch-free
//!   logarithms of [`crate::simd::ln`] (`ln(p/q)` straight from the two mantissas, one division),
//!   plain per-lane sums, and a per-lane "clean" flag (every entry finite and non-negative, and
//!   every logarithm's argument a normal double). If a single lane
//!   of the block is not clean, the block's fast sums are thrown away and the block is done
//!   again by the exact scalar rules with `f64::ln`, which also find the first bad index. Zeros
//!   in `p` stay on the fast route (a select, not a branch, or for KL the term's own
//!   arithmetic, which gives `q` there); zeros in `q` under mass of `p`,
//!   subnormal logarithm arguments, NaN, ±∞ and negatives take the scalar route.
//! - Each block's three lane sums are folded by a fixed tree and added to the chunk's
//!   compensated (Neumaier) sums, so rounding grows with the block length (≤ 32 additions per
//!   lane), not with n.
//! - **Chunks** have a fixed length, whatever the number of threads. Long inputs compute them in
//!   parallel (rayon), short ones one after the other; either way the chunk results are combined
//!   in index order by the same compensated sum, so the result has the same bits on every
//!   thread count and on every CPU (the fast route uses no fused multiply-add, so AVX-512, AVX2
//!   and the portable build round identically).
//!
//! - **Log-space rules** (`LogKl`, `LogCrossEntropy`, `LogJensenShannon`, `LogMass`) take
//!   `a = ln p`, `b = ln q` (minus a shift: the log-sum-exp of logits, computed first by
//!   [`log_sum_exp`]) and read both masses through [`crate::simd::exp`]; each term is written
//!   in `d = b − a` (`p·φ(d)`, `φ(d) = eᵈ − 1 − d` by its series near 0), so the same pass,
//!   checks and finishing identities serve probabilities and their logarithms.
//!
//! The fast route runs through [`crate::simd::fast`]: compiled for AVX-512F, for AVX2 + FMA and
//! portably, the widest one the running CPU supports picked at run time, so a plain `cargo build
//! --release` gets the vector units without `-C target-cpu=native`.

use rayon::iter::{IndexedParallelIterator, ParallelIterator};
use rayon::slice::ParallelSlice;

use super::{SUM_TOLERANCE, Scale};
use crate::error::{Error, Result};
use crate::simd;
use crate::simd::ln::{js_pair, kl_excess_normal, ln_normal};
use crate::simd::sum::{LANES, Neumaier, fold};

/// Elements per block: the unit that takes the fast or the scalar route.
const BLOCK: usize = 256;
/// Elements per chunk: the unit of parallel work (≈ 20 µs of work, far above rayon's cost of a
/// task). Fixed, so the result does not depend on the thread count. A multiple of `BLOCK`.
const CHUNK: usize = 1 << 14;
/// From this length on the chunks run in parallel. Measured on a 2-core AMD EPYC (Zen 5, shared
/// with other jobs) by timing both routes at n = 2^13 … 2^20 on two threads: handing even one
/// chunk to a rayon worker costs 10–20 µs of wake-up, and the parallel route won every repeat
/// from 2^17 elements on (≈ 200 µs against ≈ 220–300 µs), not reliably below.
pub(super) const PARALLEL_MIN: usize = 1 << 17;

#[derive(Clone, Copy)]
pub(super) enum Term {
    Kl,
    CrossEntropy,
    JensenShannon,
}

/// Whether `r` is a normal, finite, positive double: an argument [`ln_normal`] handles.
#[inline(always)]
fn normal(r: f64) -> bool {
    (f64::MIN_POSITIVE..=f64::MAX).contains(&r)
}

/// [`normal`] on the bit pattern `bits` of a double: the patterns of non-negative doubles are
/// ordered as their values, and every negative double, NaN and `+∞` lies outside the span
/// `[MIN_POSITIVE, MAX]`, so one wrapping subtraction and one unsigned comparison decide it.
#[inline(always)]
fn normal_bits(bits: u64) -> bool {
    const MIN: u64 = f64::MIN_POSITIVE.to_bits();
    bits.wrapping_sub(MIN) <= f64::MAX.to_bits() - MIN
}

/// Whether `x` is finite and non-negative: what the checks accept.
#[inline(always)]
fn admissible(x: f64) -> bool {
    (0.0..=f64::MAX).contains(&x)
}

/// What one outcome adds to a pass: its term, its mass in `P` and its `qᵢ − pᵢ` (or `pᵢ − qᵢ`
/// for a rule with [`Rule::P_MINUS_Q`]).
#[derive(Clone, Copy)]
struct Part {
    term: f64,
    p: f64,
    gap: f64,
}

/// The part of an outcome given as two probabilities (`gap` is exact where `p ≈ q`).
#[inline(always)]
fn part(term: f64, p: f64, q: f64) -> Part {
    Part {
        term,
        p,
        gap: q - p,
    }
}

/// One divergence's rules for a single outcome. The term each rule sums is the one its
/// `finish` (in [`pair`] and [`single`]) turns into the value for the normalised vectors.
trait Rule: Sync {
    /// Two inputs (`p`, `q`) or one (`p`; `q` is then ignored).
    const PAIR: bool;
    /// What the inputs are, which names the errors and picks the checks.
    const SCALE: Input;
    /// Whether [`Part::gap`] is `p − q` (subtracted from the pass's `Σ(q − p)`, the same bits)
    /// rather than `q − p`: for a term that computes `p − q` itself, this saves the second
    /// subtraction on the fast route.
    const P_MINUS_Q: bool = false;
    /// The exact scalar rule of the module docs, with `f64::ln`; may return `+∞`.
    fn exact(&self, p: f64, q: f64) -> Part;
    /// The same term, branch-free, and whether this lane is clean: `(p, q)` admissible and every
    /// logarithm's argument (or both sides of a ratio) normal, in which case the term is
    /// [`Rule::exact`]'s to rounding.
    fn fast(&self, p: f64, q: f64) -> (Part, bool);
}

/// How the entries of a pass are given: probabilities (finite, non-negative) or natural
/// logarithms of probabilities (not NaN, not `+∞`; `−∞` is a zero mass).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Input {
    Probabilities,
    LogProbabilities,
}

impl Input {
    /// The names of the two arguments in errors.
    pub(super) fn names(self) -> [&'static str; 2] {
        match self {
            Input::Probabilities => ["p", "q"],
            Input::LogProbabilities => ["log_p", "log_q"],
        }
    }
}

/// KL's term: `p ln(p/q) − p + q ≥ 0` (scipy's `kl_div`), whose sum is `Σ p ln(p/q)` minus
/// `Σp − Σq`; `pᵢ = 0` gives `qᵢ`, `qᵢ = 0` under `pᵢ > 0` is `+∞`.
struct Kl;
/// Cross-entropy's term: `−p ln q`; `pᵢ = 0` gives 0, `qᵢ = 0` under `pᵢ > 0` is `+∞`.
struct CrossEntropy;
/// Jensen–Shannon's term for `P` and `ρQ`: `(p + ρq)/4 · J(t)`, `t = (p − ρq)/(p + ρq)`,
/// `ρ = 1 + gamma` (see [`crate::simd::ln::js_pair`]).
struct JensenShannon {
    gamma: f64,
}
/// Entropy's term: `−p ln p`, 0 at `p = 0`.
struct Entropy;
/// No divergence, only the checks and the sums (its term is 0).
struct Mass;

impl Rule for Kl {
    const PAIR: bool = true;
    const SCALE: Input = Input::Probabilities;
    const P_MINUS_Q: bool = true;
    #[inline(always)]
    fn exact(&self, p: f64, q: f64) -> Part {
        let term = if p == 0.0 {
            q
        } else if q == 0.0 {
            f64::INFINITY
        } else if normal(p) && normal(q) {
            kl_excess_normal(p, q)
        } else {
            // A subnormal side: the term is below 1e-300 or dominated by p ln(1/q).
            p * (p.ln() - q.ln()) - (p - q)
        };
        Kl::part(term, p, q)
    }
    #[inline(always)]
    fn fast(&self, p: f64, q: f64) -> (Part, bool) {
        // No select for p = 0: kl_excess_normal's far form gives exactly q there (q normal),
        // and 0 at p = q = 0. A zero p over a subnormal q takes the exact route, and so does a
        // −0.0 (its bits are not 0): the test on bit patterns is the cheaper one on AVX-512.
        let (bp, bq) = (p.to_bits(), q.to_bits());
        let clean = ((bp == 0) | normal_bits(bp)) & (normal_bits(bq) | ((bp | bq) == 0));
        (Kl::part(kl_excess_normal(p, q), p, q), clean)
    }
}

impl Kl {
    /// KL's [`Part`], whose gap is `p − q` ([`Rule::P_MINUS_Q`]): the subtraction the term
    /// makes itself, shared on the fast route.
    #[inline(always)]
    fn part(term: f64, p: f64, q: f64) -> Part {
        Part {
            term,
            p,
            gap: p - q,
        }
    }
}

impl Rule for CrossEntropy {
    const PAIR: bool = true;
    const SCALE: Input = Input::Probabilities;
    #[inline(always)]
    fn exact(&self, p: f64, q: f64) -> Part {
        let term = if p == 0.0 {
            0.0
        } else if q == 0.0 {
            f64::INFINITY
        } else {
            -p * q.ln()
        };
        part(term, p, q)
    }
    #[inline(always)]
    fn fast(&self, p: f64, q: f64) -> (Part, bool) {
        let t = -p * ln_normal(q);
        let clean = admissible(p) & admissible(q) & ((p == 0.0) | normal(q));
        (part(if p > 0.0 { t } else { 0.0 }, p, q), clean)
    }
}

/// Jensen–Shannon's term for `P` and `ρQ` from `p`, `q` and `p − q` (given separately, so that
/// the log-space rule can pass the difference it computes without cancellation).
#[inline(always)]
fn js_term(gamma: f64, p: f64, q: f64, p_minus_q: f64) -> f64 {
    // p − q is exact where it matters (p, q within a factor 2); γq is a small correction.
    let g = gamma * q;
    let total = (p + q) + g;
    let t = (p_minus_q - g) / total;
    let term = 0.25 * total * js_pair(t);
    if total > 0.0 { term } else { 0.0 }
}

impl JensenShannon {
    #[inline(always)]
    fn term(&self, p: f64, q: f64) -> f64 {
        js_term(self.gamma, p, q, p - q)
    }
}

impl Rule for JensenShannon {
    const PAIR: bool = true;
    const SCALE: Input = Input::Probabilities;
    #[inline(always)]
    fn exact(&self, p: f64, q: f64) -> Part {
        part(self.term(p, q), p, q)
    }
    #[inline(always)]
    fn fast(&self, p: f64, q: f64) -> (Part, bool) {
        // Zeros and subnormals need no special case: t is ±1 or a quotient of subnormals, and
        // js_pair only takes logarithms of 1 ± |t| (normal or exactly 0).
        (part(self.term(p, q), p, q), admissible(p) & admissible(q))
    }
}

impl Rule for Entropy {
    const PAIR: bool = false;
    const SCALE: Input = Input::Probabilities;
    #[inline(always)]
    fn exact(&self, p: f64, _: f64) -> Part {
        part(if p > 0.0 { -p * p.ln() } else { 0.0 }, p, p)
    }
    #[inline(always)]
    fn fast(&self, p: f64, _: f64) -> (Part, bool) {
        let t = -p * ln_normal(p);
        let clean = (p == 0.0) | normal(p);
        (part(if p > 0.0 { t } else { 0.0 }, p, p), clean)
    }
}

impl Rule for Mass {
    const PAIR: bool = true;
    const SCALE: Input = Input::Probabilities;
    #[inline(always)]
    fn exact(&self, p: f64, q: f64) -> Part {
        part(0.0, p, q)
    }
    #[inline(always)]
    fn fast(&self, p: f64, q: f64) -> (Part, bool) {
        (part(0.0, p, q), admissible(p) & admissible(q))
    }
}

/// `1/k!` for `k = 2 … 15`: the series of `φ(d) = eᵈ − 1 − d`.
const PHI_SERIES: [f64; 14] = [
    0.5,
    0.16666666666666666,
    0.041666666666666664,
    0.008333333333333333,
    0.001388888888888889,
    0.0001984126984126984,
    2.48015873015873e-05,
    2.7557319223985893e-06,
    2.755731922398589e-07,
    2.505210838544172e-08,
    2.08767569878681e-09,
    1.6059043836821613e-10,
    1.1470745597729725e-11,
    7.647163731819816e-13,
];
/// Below this `|d|` the log-space terms use the series of `φ`; above, the plain forms.
const NEAR: f64 = 0.5;

/// `φ(d) = eᵈ − 1 − d = Σₖ dᵏ/k!` (`k = 2 … 15`) for `|d| < 0.5`: truncation below
/// `2·0.5¹⁴/16! < 6e-18` relative to `φ ≥ d²/2·0.78`, and no cancellation, so `p·φ(d)` keeps
/// its relative accuracy as `d → 0` where `q − p − p·d` would lose it all. Branch-free.
#[inline(always)]
fn phi_series(d: f64) -> f64 {
    let mut poly = PHI_SERIES[13];
    for &c in PHI_SERIES[..13].iter().rev() {
        poly = c + d * poly;
    }
    d * d * poly
}

/// `eˣ`: the branch-free one on the fast route, the platform's on the exact one.
#[inline(always)]
fn exp<const FAST: bool>(x: f64) -> f64 {
    if FAST { simd::exp::exp(x) } else { x.exp() }
}

/// One outcome given as `a = ln p` and `b = ln q`: both masses, `d = b − a` (exact where
/// `p ≈ q`), and `φ(d)` by its series (meaningful where `|d| < NEAR`).
#[derive(Clone, Copy)]
struct LogPoint {
    p: f64,
    q: f64,
    d: f64,
    phi: f64,
    near: bool,
}

impl LogPoint {
    #[inline(always)]
    fn new<const FAST: bool>(a: f64, b: f64) -> Self {
        let d = b - a;
        LogPoint {
            p: exp::<FAST>(a),
            q: exp::<FAST>(b),
            d,
            phi: phi_series(d),
            near: d.abs() < NEAR,
        }
    }

    /// The point of `(x, y)` shifted by `shift`, and the shifted `(a, b)`.
    #[inline(always)]
    fn shifted<const FAST: bool>(shift: [f64; 2], x: f64, y: f64) -> (Self, f64, f64) {
        let (a, b) = (x - shift[0], y - shift[1]);
        (LogPoint::new::<FAST>(a, b), a, b)
    }

    /// The outcome's [`Part`] with this `term`.
    #[inline(always)]
    fn part(&self, term: f64) -> Part {
        Part {
            term,
            p: self.p,
            gap: self.gap(),
        }
    }

    /// `q − p`, as `p·(eᵈ − 1) = p·(φ(d) + d)` where `p ≈ q` (no cancellation); `q` where
    /// `a = −∞` (`d` is then `+∞` or NaN, never near).
    #[inline(always)]
    fn gap(&self) -> f64 {
        if self.near {
            self.p * (self.phi + self.d)
        } else {
            self.q - self.p
        }
    }

    /// KL's term `p ln(p/q) − p + q = p·φ(d)`, the same as [`Kl`]'s from the logarithms:
    /// `p·φ(d)` near, `(q − p) − p·d` beyond (cancellation there loses < 4 bits: `φ(d) ≥
    /// 0.1 p` for `|d| ≥ 0.5`); `q` where `p = 0`. Not for `b = −∞ < a` (the term is `+∞`).
    #[inline(always)]
    fn kl(&self, a: f64) -> f64 {
        let term = if self.near {
            self.p * self.phi
        } else {
            (self.q - self.p) - self.p * self.d
        };
        if a == f64::NEG_INFINITY { self.q } else { term }
    }
}

/// Whether a (shifted) log-probability may take the fast route: not NaN, not `+∞`, and at most
/// 1 (`eˣ > 2` is no probability; the exact route lets the sum check say so).
#[inline(always)]
fn log_admissible(x: f64) -> bool {
    x <= 1.0
}

/// Whether an outcome has mass under `P` and none under `Q`: the KL and cross-entropy term is
/// `+∞` (left to the exact route).
#[inline(always)]
fn log_excluded(a: f64, b: f64) -> bool {
    (b == f64::NEG_INFINITY) & (a > f64::NEG_INFINITY)
}

/// [`Kl`] from log-probabilities `x = ln p + shift[0]`, `y = ln q + shift[1]` (the shifts are
/// the log-sum-exps of logits, 0 for log-probabilities).
struct LogKl {
    shift: [f64; 2],
}
/// [`CrossEntropy`] from log-probabilities: `−p ln q = −eᵃ b`.
struct LogCrossEntropy {
    shift: [f64; 2],
}
/// [`JensenShannon`] from log-probabilities, for `P` and `ρQ` (`ρ = 1 + γ`).
struct LogJensenShannon {
    shift: [f64; 2],
    gamma: f64,
}
/// [`Mass`] from log-probabilities.
struct LogMass {
    shift: [f64; 2],
}

impl Rule for LogKl {
    const PAIR: bool = true;
    const SCALE: Input = Input::LogProbabilities;
    #[inline(always)]
    fn exact(&self, x: f64, y: f64) -> Part {
        let (lp, a, b) = LogPoint::shifted::<false>(self.shift, x, y);
        lp.part(if log_excluded(a, b) {
            f64::INFINITY
        } else {
            lp.kl(a)
        })
    }
    #[inline(always)]
    fn fast(&self, x: f64, y: f64) -> (Part, bool) {
        let (lp, a, b) = LogPoint::shifted::<true>(self.shift, x, y);
        let clean = log_admissible(a) & log_admissible(b) & !log_excluded(a, b);
        (lp.part(lp.kl(a)), clean)
    }
}

/// Cross-entropy's term from the logarithms, `−eᵃ b`; 0 where `a = −∞`. Not for
/// `b = −∞ < a` (the term is `+∞`).
#[inline(always)]
fn log_cross_entropy(lp: &LogPoint, a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        0.0
    } else {
        -lp.p * b
    }
}

// LogKl and LogCrossEntropy spell out the same two routes on purpose: written once, with the
// term passed in as a closure, the pair measured twice as slow (3.7 → 7.0 ns per element in a
// one-thread probe), the closures apparently escaping the target-feature inlining that
// `simd::fast` relies on.
impl Rule for LogCrossEntropy {
    const PAIR: bool = true;
    const SCALE: Input = Input::LogProbabilities;
    #[inline(always)]
    fn exact(&self, x: f64, y: f64) -> Part {
        let (lp, a, b) = LogPoint::shifted::<false>(self.shift, x, y);
        lp.part(if log_excluded(a, b) {
            f64::INFINITY
        } else {
            log_cross_entropy(&lp, a, b)
        })
    }
    #[inline(always)]
    fn fast(&self, x: f64, y: f64) -> (Part, bool) {
        let (lp, a, b) = LogPoint::shifted::<true>(self.shift, x, y);
        let clean = log_admissible(a) & log_admissible(b) & !log_excluded(a, b);
        (lp.part(log_cross_entropy(&lp, a, b)), clean)
    }
}

impl LogJensenShannon {
    /// [`JensenShannon`]'s term, with `p − q = −gap` taken from the logarithms (so without
    /// cancellation where `p ≈ q`). Zeros: `a = −∞` gives `t = −1`, `b = −∞` gives `t = 1`,
    /// both give a total of 0 and the term 0.
    #[inline(always)]
    fn part<const FAST: bool>(&self, x: f64, y: f64) -> (Part, bool) {
        let (lp, a, b) = LogPoint::shifted::<FAST>(self.shift, x, y);
        let gap = lp.gap();
        let term = js_term(self.gamma, lp.p, lp.q, -gap);
        let clean = log_admissible(a) & log_admissible(b);
        (Part { term, p: lp.p, gap }, clean)
    }
}

impl Rule for LogJensenShannon {
    const PAIR: bool = true;
    const SCALE: Input = Input::LogProbabilities;
    #[inline(always)]
    fn exact(&self, x: f64, y: f64) -> Part {
        self.part::<false>(x, y).0
    }
    #[inline(always)]
    fn fast(&self, x: f64, y: f64) -> (Part, bool) {
        self.part::<true>(x, y)
    }
}

impl Rule for LogMass {
    const PAIR: bool = true;
    const SCALE: Input = Input::LogProbabilities;
    #[inline(always)]
    fn exact(&self, x: f64, y: f64) -> Part {
        LogPoint::shifted::<false>(self.shift, x, y).0.part(0.0)
    }
    #[inline(always)]
    fn fast(&self, x: f64, y: f64) -> (Part, bool) {
        let (lp, a, b) = LogPoint::shifted::<true>(self.shift, x, y);
        (lp.part(0.0), log_admissible(a) & log_admissible(b))
    }
}

pub(super) fn sum(xs: &[f64]) -> f64 {
    let mut s = Neumaier::default();
    for &x in xs {
        s.add(x);
    }
    s.value()
}

/// The sums of a chunk (or of the whole input).
#[derive(Default, Clone, Copy)]
struct Sums {
    total: Neumaier,
    p: Neumaier,
    /// `Σ (qᵢ − pᵢ)`, not `Σ qᵢ`: each difference is exact where `pᵢ ≈ qᵢ`, so this sum has its
    /// full relative accuracy even when `Σp` and `Σq` agree to the last bit.
    q_minus_p: Neumaier,
    /// A term was `+∞` (it is kept out of `total`).
    infinite: bool,
}

impl Sums {
    fn merge(&mut self, other: Sums) {
        self.total.merge(other.total);
        self.p.merge(other.p);
        self.q_minus_p.merge(other.q_minus_p);
        self.infinite |= other.infinite;
    }
}

/// Lane accumulators of one block (`q` holds `qᵢ − pᵢ`).
struct Lanes {
    total: [f64; LANES],
    p: [f64; LANES],
    q: [f64; LANES],
}

impl Lanes {
    #[inline(always)]
    fn new() -> Self {
        Lanes {
            total: [0.0; LANES],
            p: [0.0; LANES],
            q: [0.0; LANES],
        }
    }
}

/// The checks of one entry: a probability must be finite and non-negative, a log-probability
/// must not be NaN or `+∞` (`−∞` is a zero mass).
#[inline]
fn check(scale: Input, name: &'static str, index: usize, value: f64) -> Result<()> {
    if scale == Input::LogProbabilities {
        return if value.is_nan() || value == f64::INFINITY {
            Err(Error::NotFinite { name, index, value })
        } else {
            Ok(())
        };
    }
    if !value.is_finite() {
        Err(Error::NotFinite { name, index, value })
    } else if value < 0.0 {
        Err(Error::Negative { name, index, value })
    } else {
        Ok(())
    }
}

fn check_sum(name: &'static str, sum: f64) -> Result<()> {
    if (sum - 1.0).abs() <= SUM_TOLERANCE {
        Ok(())
    } else {
        Err(Error::NotNormalized {
            name,
            sum,
            tolerance: SUM_TOLERANCE,
        })
    }
}

/// Adds an outcome's `q − p` to a lane's sum, given as [`Part::gap`].
#[inline(always)]
fn accumulate_gap<R: Rule>(sum: &mut f64, gap: f64) {
    if R::P_MINUS_Q {
        *sum -= gap;
    } else {
        *sum += gap;
    }
}

/// The fast route over `p.len()` elements, a multiple of `LANES`: `false` if a lane was not
/// clean (the sums are then meaningless).
#[inline(always)]
fn fast_lanes<R: Rule>(rule: &R, p: &[f64], q: &[f64], acc: &mut Lanes) -> bool {
    let mut clean = [true; LANES];
    for (pc, qc) in p.chunks_exact(LANES).zip(q.chunks_exact(LANES)) {
        for j in 0..LANES {
            let (t, ok) = rule.fast(pc[j], qc[j]);
            acc.total[j] += t.term;
            acc.p[j] += t.p;
            if R::PAIR {
                accumulate_gap::<R>(&mut acc.q[j], t.gap);
            }
            clean[j] &= ok;
        }
    }
    clean.iter().all(|&c| c)
}

/// The exact scalar route over a block starting at `offset`, element `i` into lane `i % LANES`.
#[inline(always)]
fn exact_lanes<R: Rule>(
    rule: &R,
    p: &[f64],
    q: &[f64],
    offset: usize,
    acc: &mut Lanes,
    infinite: &mut bool,
) -> Result<()> {
    let [p_name, q_name] = R::SCALE.names();
    for (i, (&pi, &qi)) in p.iter().zip(q).enumerate() {
        check(R::SCALE, p_name, offset + i, pi)?;
        if R::PAIR {
            check(R::SCALE, q_name, offset + i, qi)?;
        }
        let t = rule.exact(pi, qi);
        let j = i % LANES;
        if t.term.is_infinite() {
            *infinite = true;
        } else {
            acc.total[j] += t.term;
        }
        acc.p[j] += t.p;
        if R::PAIR {
            accumulate_gap::<R>(&mut acc.q[j], t.gap);
        }
    }
    Ok(())
}

/// One chunk: its blocks in order, each by the fast route if it is clean, else by the exact one.
/// `offset` is the index of the chunk's first element in the whole input.
#[inline(always)]
fn chunk<R: Rule>(rule: &R, p: &[f64], q: &[f64], offset: usize) -> Result<Sums> {
    let mut sums = Sums::default();
    for (b, (pb, qb)) in p.chunks(BLOCK).zip(q.chunks(BLOCK)).enumerate() {
        let mut acc = Lanes::new();
        let mut infinite = false;
        let body = pb.len() - pb.len() % LANES;
        let clean = fast_lanes(rule, &pb[..body], &qb[..body], &mut acc);
        if clean {
            exact_lanes(
                rule,
                &pb[body..],
                &qb[body..],
                offset + b * BLOCK + body,
                &mut acc,
                &mut infinite,
            )?;
        } else {
            acc = Lanes::new();
            exact_lanes(rule, pb, qb, offset + b * BLOCK, &mut acc, &mut infinite)?;
        }
        sums.total.add(fold(acc.total));
        sums.p.add(fold(acc.p));
        sums.q_minus_p.add(fold(acc.q));
        sums.infinite |= infinite;
    }
    Ok(sums)
}

/// [`chunk`] on the widest vector unit of the running CPU.
fn chunk_dispatch<R: Rule>(rule: &R, p: &[f64], q: &[f64], offset: usize) -> Result<Sums> {
    simd::fast(
        #[inline(always)]
        || chunk(rule, p, q, offset),
    )
}

/// All chunks, in parallel for long inputs, combined in index order.
fn run<R: Rule>(rule: &R, p: &[f64], q: &[f64]) -> Result<Sums> {
    let mut all = Sums::default();
    if p.len() < PARALLEL_MIN {
        for (k, (pc, qc)) in p.chunks(CHUNK).zip(q.chunks(CHUNK)).enumerate() {
            all.merge(chunk_dispatch(rule, pc, qc, k * CHUNK)?);
        }
    } else {
        let parts: Vec<Result<Sums>> = p
            .par_chunks(CHUNK)
            .zip(q.par_chunks(CHUNK))
            .enumerate()
            .map(|(k, (pc, qc))| chunk_dispatch(rule, pc, qc, k * CHUNK))
            .collect();
        // The first failing chunk holds the first bad index.
        for part in parts {
            all.merge(part?);
        }
    }
    Ok(all)
}

/// `h(δ) = δ − ln(1 + δ) ≥ 0`, by its series where `|δ|` is small (there `δ − ln_1p(δ)` would
/// cancel): `h = δ²/2 − δ³/3 + δ⁴/4 − δ⁵/5`, truncation `< δ⁶/6`, relative `< 1e-12` for
/// `|δ| < 1e-3` (accepted input has `|δ| ≤ 2.000002e-6`, relative `< 1e-23`).
fn ln_gap(delta: f64) -> f64 {
    if delta.abs() < 1e-3 {
        delta * delta * (0.5 - delta * (1.0 / 3.0 - delta * (0.25 - delta / 5.0)))
    } else {
        delta - delta.ln_1p()
    }
}

/// The sums of one pass, checked: `(Σp, Σq, Σq − Σp)` (`Σq = Σp` for one vector).
fn masses(sums: &Sums, pair: bool, names: [&'static str; 2]) -> Result<(f64, f64, f64)> {
    let sp = sums.p.value();
    check_sum(names[0], sp)?;
    if !pair {
        return Ok((sp, sp, 0.0));
    }
    let gap = sums.q_minus_p.value();
    let mut sq = sums.p;
    sq.merge(sums.q_minus_p);
    let sq = sq.value();
    check_sum(names[1], sq)?;
    Ok((sp, sq, gap))
}

/// KL by `rule` ([`Kl`] or [`LogKl`]):
///
/// ```text
/// Σ p̂ ln(p̂/q̂) = (Σ [p ln(p/q) − p + q] + Σp − Σq)/Σp + ln(Σq/Σp)
///             = D/Σp − h(δ),  δ = (Σq − Σp)/Σp,  h(δ) = δ − ln(1 + δ).
/// ```
fn kl_value<R: Rule>(rule: &R, p: &[f64], q: &[f64]) -> Result<f64> {
    let sums = run(rule, p, q)?;
    let (sp, _, gap) = masses(&sums, true, R::SCALE.names())?;
    if sums.infinite {
        return Ok(f64::INFINITY);
    }
    let value = sums.total.value() / sp - ln_gap(gap / sp);
    Ok(value.max(0.0))
}

/// Cross-entropy by `rule` ([`CrossEntropy`] or [`LogCrossEntropy`]):
/// `−Σ p̂ ln q̂ = −Σ p ln q / Σp + ln Σq`.
fn cross_entropy_value<R: Rule>(rule: &R, p: &[f64], q: &[f64]) -> Result<f64> {
    let sums = run(rule, p, q)?;
    let (sp, sq, _) = masses(&sums, true, R::SCALE.names())?;
    if sums.infinite {
        return Ok(f64::INFINITY);
    }
    Ok((sums.total.value() / sp + (sq - 1.0).ln_1p()).max(0.0))
}

/// Jensen–Shannon: `JS(P̂, Q̂) = JS(P, ρQ)/Σp` with `ρ = Σp/Σq = 1 + γ` (JS of weights is
/// homogeneous of degree one): a first pass (`mass`) checks and sums, the second (`terms(γ)`)
/// sums the terms of `P` and `ρQ`.
fn js_value<M: Rule, R: Rule>(
    mass: &M,
    terms: impl FnOnce(f64) -> R,
    p: &[f64],
    q: &[f64],
) -> Result<f64> {
    let sums = run(mass, p, q)?;
    let (sp, sq, gap) = masses(&sums, true, M::SCALE.names())?;
    let sums = run(&terms(-gap / sq), p, q)?;
    Ok((sums.total.value() / sp).clamp(0.0, std::f64::consts::LN_2))
}

pub(super) fn pair(p: &[f64], q: &[f64], kind: Term, scale: Scale) -> Result<f64> {
    let [p_name, q_name] = match scale {
        Scale::Probabilities => ["p", "q"],
        Scale::LogProbabilities => ["log_p", "log_q"],
        Scale::Logits => ["logits_p", "logits_q"],
    };
    if p.is_empty() {
        return Err(Error::Empty { name: p_name });
    }
    if q.is_empty() {
        return Err(Error::Empty { name: q_name });
    }
    if p.len() != q.len() {
        return Err(Error::LengthMismatch {
            p_len: p.len(),
            q_len: q.len(),
        });
    }
    // Every value is that of the normalised vectors P̂ = P/Σp, Q̂ = Q/Σq (module docs), by an
    // identity exact in real arithmetic, so KL ≥ 0 and 0 ≤ JS ≤ ln 2 hold to rounding, which the
    // final clamp removes. Logits are log-probabilities shifted by their log-sum-exp, which the
    // log rules subtract on the fly (no temporary vector).
    let shift = match scale {
        Scale::Probabilities => None,
        Scale::LogProbabilities => Some([0.0, 0.0]),
        Scale::Logits => Some([log_sum_exp(p, p_name)?, log_sum_exp(q, q_name)?]),
    };
    match (kind, shift) {
        (Term::Kl, None) => kl_value(&Kl, p, q),
        (Term::Kl, Some(shift)) => kl_value(&LogKl { shift }, p, q),
        (Term::CrossEntropy, None) => cross_entropy_value(&CrossEntropy, p, q),
        (Term::CrossEntropy, Some(shift)) => cross_entropy_value(&LogCrossEntropy { shift }, p, q),
        (Term::JensenShannon, None) => js_value(&Mass, |gamma| JensenShannon { gamma }, p, q),
        (Term::JensenShannon, Some(shift)) => js_value(
            &LogMass { shift },
            |gamma| LogJensenShannon { shift, gamma },
            p,
            q,
        ),
    }
}

/// Checks a probability vector `p` (finite, non-negative, sum within [`SUM_TOLERANCE`]) in
/// one pass, with the errors of [`pair`]; returns `Σp`.
pub(super) fn check_probabilities(p: &[f64]) -> Result<f64> {
    if p.is_empty() {
        return Err(Error::Empty { name: "p" });
    }
    let sums = run(&Mass, p, p)?;
    let (sp, _, _) = masses(&sums, false, Input::Probabilities.names())?;
    Ok(sp)
}

/// `ln Σ eˣⁱ`, stably: `m + ln Σ e^{xᵢ − m}` with `m = max xᵢ`, so no term overflows and the
/// largest is 1 (the sum lies in `[1, n]`). Every entry must be finite ([`Error::NotFinite`]
/// with `name` and the index). Two passes: the maximum and the check, then the sum of the
/// branch-free `exp`, eight lanes and a compensated sum over blocks as in [`chunk`].
pub(super) fn log_sum_exp(x: &[f64], name: &'static str) -> Result<f64> {
    if x.is_empty() {
        return Err(Error::Empty { name });
    }
    let (max, finite) = simd::fast(
        #[inline(always)]
        || max_and_finite(x),
    );
    if !finite {
        let index = x.iter().position(|v| !v.is_finite()).unwrap_or(0);
        let value = x[index];
        return Err(Error::NotFinite { name, index, value });
    }
    let total = simd::fast(
        #[inline(always)]
        || exp_sum(x, max),
    );
    Ok(max + total.ln())
}

#[inline(always)]
fn max_and_finite(x: &[f64]) -> (f64, bool) {
    let mut max = [f64::NEG_INFINITY; LANES];
    let mut finite = [true; LANES];
    let body = x.len() - x.len() % LANES;
    for c in x[..body].chunks_exact(LANES) {
        for j in 0..LANES {
            max[j] = if c[j] > max[j] { c[j] } else { max[j] };
            finite[j] &= c[j].is_finite();
        }
    }
    for (i, &v) in x[body..].iter().enumerate() {
        max[i] = if v > max[i] { v } else { max[i] };
        finite[i] &= v.is_finite();
    }
    let m = max.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (m, finite.iter().all(|&f| f))
}

/// `Σ e^{xᵢ − shift}`: lane sums per block, then Neumaier's sum of the blocks.
#[inline(always)]
fn exp_sum(x: &[f64], shift: f64) -> f64 {
    let mut total = Neumaier::default();
    for block in x.chunks(BLOCK) {
        let mut acc = [0.0; LANES];
        let body = block.len() - block.len() % LANES;
        for c in block[..body].chunks_exact(LANES) {
            for j in 0..LANES {
                acc[j] += simd::exp::exp(c[j] - shift);
            }
        }
        for (i, &v) in block[body..].iter().enumerate() {
            acc[i] += simd::exp::exp(v - shift);
        }
        total.add(fold(acc));
    }
    total.value()
}

pub(super) fn single(p: &[f64]) -> Result<f64> {
    if p.is_empty() {
        return Err(Error::Empty { name: "p" });
    }
    // −Σ p̂ ln p̂ = −Σ p ln p / Σp + ln Σp, within [0, ln n].
    let sums = run(&Entropy, p, p)?;
    let (sp, _, _) = masses(&sums, false, Entropy::SCALE.names())?;
    let value = sums.total.value() / sp + (sp - 1.0).ln_1p();
    Ok(value.clamp(0.0, (p.len() as f64).ln()))
}

#[cfg(test)]
mod tests {
    use super::{
        CHUNK, CrossEntropy, Entropy, JensenShannon, Kl, LogCrossEntropy, LogJensenShannon, LogKl,
        LogMass, Mass, PARALLEL_MIN, Rule, Scale, Sums, Term, chunk, chunk_dispatch, normal,
        normal_bits, pair, single,
    };

    /// A probability vector from a cheap deterministic formula, with zeros sprinkled in.
    fn vector(n: usize, seed: u64, zeros: bool) -> Vec<f64> {
        let w: Vec<f64> = (0..n as u64)
            .map(|i| {
                let h = (i.wrapping_add(seed)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40;
                if zeros && h % 97 == 0 {
                    0.0
                } else {
                    1.0 + h as f64
                }
            })
            .collect();
        let total: f64 = super::sum(&w);
        w.into_iter().map(|x| x / total).collect()
    }

    /// The parallel route gives the same bits on 1, 2 and 4 threads (and the same as the
    /// sequential order, which the 1-thread pool runs), for every divergence; and the same
    /// first bad index.
    #[test]
    fn same_bits_whatever_the_thread_count() {
        let n = PARALLEL_MIN + 3 * CHUNK + 77;
        let p = vector(n, 1, true);
        let q = vector(n, 2, false);
        let lp: Vec<f64> = p.iter().map(|x| x.ln()).collect();
        let lq: Vec<f64> = q.iter().map(|x| x.ln()).collect();
        let zp: Vec<f64> = lp.iter().map(|x| x.max(-50.0)).collect();
        let mut bad = p.clone();
        bad[n - 5] = f64::NAN;
        bad[CHUNK + 3] = -1.0;
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                (
                    pair(&p, &q, Term::Kl, Scale::Probabilities)
                        .unwrap()
                        .to_bits(),
                    pair(&p, &q, Term::CrossEntropy, Scale::Probabilities)
                        .unwrap()
                        .to_bits(),
                    pair(&p, &q, Term::JensenShannon, Scale::Probabilities)
                        .unwrap()
                        .to_bits(),
                    single(&p).unwrap().to_bits(),
                    pair(&bad, &q, Term::Kl, Scale::Probabilities).unwrap_err(),
                    pair(&lp, &lq, Term::Kl, Scale::LogProbabilities)
                        .unwrap()
                        .to_bits(),
                    pair(&zp, &lq, Term::JensenShannon, Scale::Logits)
                        .unwrap()
                        .to_bits(),
                )
            })
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(4));
        assert!(matches!(
            one.4,
            crate::Error::Negative { index, .. } if index == CHUNK + 3
        ));
    }

    fn bits(s: &Sums) -> [u64; 6] {
        [
            s.total.s,
            s.total.c,
            s.p.s,
            s.p.c,
            s.q_minus_p.s,
            s.q_minus_p.c,
        ]
        .map(f64::to_bits)
    }

    fn same_on_every_route<R: Rule>(rule: &R, p: &[f64], q: &[f64]) {
        let portable = chunk(rule, p, q, 0).unwrap();
        for level in crate::simd::available() {
            let vector = crate::simd::at(level, || chunk(rule, p, q, 0)).unwrap();
            assert_eq!(bits(&portable), bits(&vector), "{level:?}");
            assert_eq!(portable.infinite, vector.infinite, "{level:?}");
        }
        let dispatched = chunk_dispatch(rule, p, q, 0).unwrap();
        assert_eq!(bits(&portable), bits(&dispatched));
    }

    /// The vector builds (AVX-512 and AVX2, those this CPU has) round exactly like the
    /// portable build: the fast route uses no fused multiply-add and a fixed lane order.
    #[test]
    fn vector_and_portable_builds_agree_bit_for_bit() {
        let n = CHUNK - 13;
        let p = vector(n, 3, true);
        let q = vector(n, 4, false);
        same_on_every_route(&Kl, &p, &q);
        same_on_every_route(&CrossEntropy, &p, &q);
        same_on_every_route(&JensenShannon { gamma: 3e-7 }, &p, &q);
        same_on_every_route(&Entropy, &p, &p);
        same_on_every_route(&Mass, &p, &q);
        // The log-space rules, with zeros as −∞ and the shift of logits.
        let lp: Vec<f64> = p.iter().map(|x| x.ln()).collect();
        let lq: Vec<f64> = q.iter().map(|x| x.ln()).collect();
        for shift in [[0.0, 0.0], [-3.5, 2.25]] {
            same_on_every_route(&LogKl { shift }, &lp, &lq);
            same_on_every_route(&LogCrossEntropy { shift }, &lp, &lq);
            let gamma = 3e-7;
            same_on_every_route(&LogJensenShannon { shift, gamma }, &lp, &lq);
            same_on_every_route(&LogMass { shift }, &lp, &lq);
        }
        let z: Vec<f64> = lp.iter().map(|x| x.max(-50.0) + 7.0).collect();
        let lse = |v: &[f64]| {
            crate::simd::at(crate::simd::Level::Portable, || {
                super::log_sum_exp(v, "z").unwrap()
            })
        };
        for level in crate::simd::available() {
            let at = crate::simd::at(level, || super::log_sum_exp(&z, "z").unwrap());
            assert_eq!(at.to_bits(), lse(&z).to_bits(), "{level:?}");
        }
    }

    /// The bit-pattern test is `normal` at every edge: zeros of both signs, the largest
    /// subnormal, the smallest and largest normals, ±∞, NaNs of both signs, negatives.
    #[test]
    fn normal_bits_is_normal() {
        let edges = [
            0.0,
            -0.0,
            f64::from_bits(f64::MIN_POSITIVE.to_bits() - 1),
            f64::MIN_POSITIVE,
            1.0,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            -f64::MIN_POSITIVE,
            -1.0,
            -f64::MAX,
            5e-324,
        ];
        for x in edges {
            assert_eq!(normal_bits(x.to_bits()), normal(x), "{x:e}");
        }
    }

    /// KL's fast rule, where it calls a lane clean, gives the exact rule's bits (term and gap):
    /// at p = 0 the far form's arithmetic gives exactly q, with no select. The lanes it must
    /// not call clean (a zero p over a subnormal or −0.0 entries, q = 0 under mass, NaN, ±∞,
    /// negatives) go to the exact route.
    #[test]
    fn kl_fast_rule_is_the_exact_rule_where_clean() {
        let sub = 1e-310;
        let values = [
            0.0,
            1e-300,
            0.25,
            0.5,
            0.5000000001,
            0.7,
            1.0,
            f64::MAX / 4.0,
        ];
        for &p in &values {
            for &q in &values {
                let (fast, clean) = Kl.fast(p, q);
                let exact = Kl.exact(p, q);
                if p > 0.0 && q == 0.0 {
                    assert!(!clean, "{p:e} {q:e}");
                    continue;
                }
                assert!(clean, "{p:e} {q:e}");
                assert_eq!(fast.term.to_bits(), exact.term.to_bits(), "{p:e} {q:e}");
                assert_eq!(fast.gap.to_bits(), exact.gap.to_bits(), "{p:e} {q:e}");
            }
        }
        for (p, q) in [
            (0.0, sub),
            (-0.0, 0.5),
            (0.5, -0.0),
            (sub, 0.5),
            (0.5, f64::NAN),
            (f64::INFINITY, 0.5),
            (-0.5, 0.5),
        ] {
            assert!(!Kl.fast(p, q).1, "{p:e} {q:e}");
        }
    }
}
