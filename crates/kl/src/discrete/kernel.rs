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
//!   in `p` stay on the fast route (a select, not a branch); zeros in `q` under mass of `p`,
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
//! The fast route runs through [`crate::simd::fast`]: compiled for AVX-512F, for AVX2 + FMA and
//! portably, the widest one the running CPU supports picked at run time, so a plain `cargo build
//! --release` gets the vector units without `-C target-cpu=native`.

use rayon::iter::{IndexedParallelIterator, ParallelIterator};
use rayon::slice::ParallelSlice;

use super::SUM_TOLERANCE;
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
const PARALLEL_MIN: usize = 1 << 17;

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

/// Whether `x` is finite and non-negative: what the checks accept.
#[inline(always)]
fn admissible(x: f64) -> bool {
    (0.0..=f64::MAX).contains(&x)
}

/// One divergence's rules for a single outcome. The term each rule sums is the one its
/// `finish` (in [`pair`] and [`single`]) turns into the value for the normalised vectors.
trait Rule: Sync {
    /// Two inputs (`p`, `q`) or one (`p`; `q` is then ignored).
    const PAIR: bool;
    /// The exact scalar rule of the module docs, with `f64::ln`; may return `+∞`.
    fn exact(&self, p: f64, q: f64) -> f64;
    /// The same term, branch-free, and whether this lane is clean: `(p, q)` admissible and every
    /// logarithm's argument (or both sides of a ratio) normal, in which case the term is
    /// [`Rule::exact`]'s to rounding.
    fn fast(&self, p: f64, q: f64) -> (f64, bool);
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
    #[inline(always)]
    fn exact(&self, p: f64, q: f64) -> f64 {
        if p == 0.0 {
            q
        } else if q == 0.0 {
            f64::INFINITY
        } else if normal(p) && normal(q) {
            kl_excess_normal(p, q)
        } else {
            // A subnormal side: the term is below 1e-300 or dominated by p ln(1/q).
            p * (p.ln() - q.ln()) - (p - q)
        }
    }
    #[inline(always)]
    fn fast(&self, p: f64, q: f64) -> (f64, bool) {
        let t = kl_excess_normal(p, q);
        let clean = admissible(p) & admissible(q) & ((p == 0.0) | (normal(p) & normal(q)));
        (if p > 0.0 { t } else { q }, clean)
    }
}

impl Rule for CrossEntropy {
    const PAIR: bool = true;
    #[inline(always)]
    fn exact(&self, p: f64, q: f64) -> f64 {
        if p == 0.0 {
            0.0
        } else if q == 0.0 {
            f64::INFINITY
        } else {
            -p * q.ln()
        }
    }
    #[inline(always)]
    fn fast(&self, p: f64, q: f64) -> (f64, bool) {
        let t = -p * ln_normal(q);
        let clean = admissible(p) & admissible(q) & ((p == 0.0) | normal(q));
        (if p > 0.0 { t } else { 0.0 }, clean)
    }
}

impl JensenShannon {
    #[inline(always)]
    fn term(&self, p: f64, q: f64) -> f64 {
        // p − q is exact where it matters (p, q within a factor 2); γq is a small correction.
        let g = self.gamma * q;
        let total = (p + q) + g;
        let t = ((p - q) - g) / total;
        let term = 0.25 * total * js_pair(t);
        if total > 0.0 { term } else { 0.0 }
    }
}

impl Rule for JensenShannon {
    const PAIR: bool = true;
    #[inline(always)]
    fn exact(&self, p: f64, q: f64) -> f64 {
        self.term(p, q)
    }
    #[inline(always)]
    fn fast(&self, p: f64, q: f64) -> (f64, bool) {
        // Zeros and subnormals need no special case: t is ±1 or a quotient of subnormals, and
        // js_pair only takes logarithms of 1 ± |t| (normal or exactly 0).
        (self.term(p, q), admissible(p) & admissible(q))
    }
}

impl Rule for Entropy {
    const PAIR: bool = false;
    #[inline(always)]
    fn exact(&self, p: f64, _: f64) -> f64 {
        if p > 0.0 { -p * p.ln() } else { 0.0 }
    }
    #[inline(always)]
    fn fast(&self, p: f64, _: f64) -> (f64, bool) {
        let t = -p * ln_normal(p);
        let clean = (p == 0.0) | normal(p);
        (if p > 0.0 { t } else { 0.0 }, clean)
    }
}

impl Rule for Mass {
    const PAIR: bool = true;
    #[inline(always)]
    fn exact(&self, _: f64, _: f64) -> f64 {
        0.0
    }
    #[inline(always)]
    fn fast(&self, p: f64, q: f64) -> (f64, bool) {
        (0.0, admissible(p) & admissible(q))
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

#[inline]
fn check(name: &'static str, index: usize, value: f64) -> Result<()> {
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

/// The fast route over `p.len()` elements, a multiple of `LANES`: `false` if a lane was not
/// clean (the sums are then meaningless).
#[inline(always)]
fn fast_lanes<R: Rule>(rule: &R, p: &[f64], q: &[f64], acc: &mut Lanes) -> bool {
    let mut clean = [true; LANES];
    for (pc, qc) in p.chunks_exact(LANES).zip(q.chunks_exact(LANES)) {
        for j in 0..LANES {
            let (t, ok) = rule.fast(pc[j], qc[j]);
            acc.total[j] += t;
            acc.p[j] += pc[j];
            if R::PAIR {
                acc.q[j] += qc[j] - pc[j];
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
    for (i, (&pi, &qi)) in p.iter().zip(q).enumerate() {
        check("p", offset + i, pi)?;
        if R::PAIR {
            check("q", offset + i, qi)?;
        }
        let t = rule.exact(pi, qi);
        let j = i % LANES;
        if t.is_infinite() {
            *infinite = true;
        } else {
            acc.total[j] += t;
        }
        acc.p[j] += pi;
        if R::PAIR {
            acc.q[j] += qi - pi;
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
fn masses(sums: &Sums, pair: bool) -> Result<(f64, f64, f64)> {
    let sp = sums.p.value();
    check_sum("p", sp)?;
    if !pair {
        return Ok((sp, sp, 0.0));
    }
    let gap = sums.q_minus_p.value();
    let mut sq = sums.p;
    sq.merge(sums.q_minus_p);
    let sq = sq.value();
    check_sum("q", sq)?;
    Ok((sp, sq, gap))
}

pub(super) fn pair(p: &[f64], q: &[f64], kind: Term) -> Result<f64> {
    if p.is_empty() {
        return Err(Error::Empty { name: "p" });
    }
    if q.is_empty() {
        return Err(Error::Empty { name: "q" });
    }
    if p.len() != q.len() {
        return Err(Error::LengthMismatch {
            p_len: p.len(),
            q_len: q.len(),
        });
    }
    // Every value is that of the normalised vectors P̂ = P/Σp, Q̂ = Q/Σq (module docs), by an
    // identity exact in real arithmetic, so KL ≥ 0 and 0 ≤ JS ≤ ln 2 hold to rounding, which the
    // final clamp removes.
    match kind {
        Term::Kl => {
            // Σ p̂ ln(p̂/q̂) = (Σ [p ln(p/q) − p + q] + Σp − Σq)/Σp + ln(Σq/Σp)
            //             = D/Σp − h(δ),  δ = (Σq − Σp)/Σp,  h(δ) = δ − ln(1 + δ).
            let sums = run(&Kl, p, q)?;
            let (sp, _, gap) = masses(&sums, true)?;
            if sums.infinite {
                return Ok(f64::INFINITY);
            }
            let value = sums.total.value() / sp - ln_gap(gap / sp);
            Ok(value.max(0.0))
        }
        Term::CrossEntropy => {
            // −Σ p̂ ln q̂ = −Σ p ln q / Σp + ln Σq.
            let sums = run(&CrossEntropy, p, q)?;
            let (sp, sq, _) = masses(&sums, true)?;
            if sums.infinite {
                return Ok(f64::INFINITY);
            }
            Ok((sums.total.value() / sp + (sq - 1.0).ln_1p()).max(0.0))
        }
        Term::JensenShannon => {
            // JS(P̂, Q̂) = JS(P, ρQ)/Σp with ρ = Σp/Σq (JS of weights is homogeneous of degree
            // one): a first pass checks and sums, the second sums the terms of P and ρQ.
            let mass = run(&Mass, p, q)?;
            let (sp, sq, gap) = masses(&mass, true)?;
            let gamma = -gap / sq;
            let sums = run(&JensenShannon { gamma }, p, q)?;
            Ok((sums.total.value() / sp).clamp(0.0, std::f64::consts::LN_2))
        }
    }
}

pub(super) fn single(p: &[f64]) -> Result<f64> {
    if p.is_empty() {
        return Err(Error::Empty { name: "p" });
    }
    // −Σ p̂ ln p̂ = −Σ p ln p / Σp + ln Σp, within [0, ln n].
    let sums = run(&Entropy, p, p)?;
    let (sp, _, _) = masses(&sums, false)?;
    let value = sums.total.value() / sp + (sp - 1.0).ln_1p();
    Ok(value.clamp(0.0, (p.len() as f64).ln()))
}

#[cfg(test)]
mod tests {
    use super::{
        CHUNK, CrossEntropy, Entropy, JensenShannon, Kl, Mass, PARALLEL_MIN, Rule, Sums, Term,
        chunk, chunk_dispatch, pair, single,
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
                    pair(&p, &q, Term::Kl).unwrap().to_bits(),
                    pair(&p, &q, Term::CrossEntropy).unwrap().to_bits(),
                    pair(&p, &q, Term::JensenShannon).unwrap().to_bits(),
                    single(&p).unwrap().to_bits(),
                    pair(&bad, &q, Term::Kl).unwrap_err(),
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
    }
}
