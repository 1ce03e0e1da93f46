//! A natural logarithm for normal, positive, finite doubles, written without branches or tables
//! so that a loop calling it compiles to SIMD code.
//!
//! The method is fdlibm's `e_log.c` (the one the `libm` crate and musl use), error < 1 ulp:
//!
//! ```text
//! x = 2^k (1 + f),  √½ ≤ 1 + f < √2
//! s = f / (2 + f),  ln(1 + f) = ln(1 + s) − ln(1 − s) = 2s + s·R(s²)
//! R(z) ≈ Lg1 z + Lg2 z² + … + Lg7 z⁷    (Remez on [0, 0.1716], |error| < 2^-58.45)
//! ln x = k·ln2_hi + (f − (hfsq − (s (hfsq + R) + k·ln2_lo))),  hfsq = f²/2
//! ```
//!
//! Every branch of the scalar original handles an input this version is never given (zero,
//! subnormal, negative, ±∞, NaN): the kernel only calls it on lanes it has checked, and sends
//! blocks holding anything else down the scalar route with `f64::ln`. The exponent `k` becomes a
//! double without an integer-to-float instruction (AVX2 has none for 64-bit lanes): the biased
//! exponent is OR-ed into the mantissa of 2^52 and 2^52 + 1023 subtracted, both exact.
//!
//! Only IEEE additions, multiplications and one division are used, never a fused multiply-add
//! (Rust does not contract `a * b + c`), so the scalar, AVX2 and AVX-512 builds of this function
//! return the same bits.

// The constants by their bit patterns, as fdlibm lists them (ln2_hi has 20 trailing zero bits,
// so k·ln2_hi is exact for |k| < 2000).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const LG1: f64 = f64::from_bits(0x3fe5_5555_5555_5593);
const LG2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04);
const LG3: f64 = f64::from_bits(0x3fd2_4924_9422_9359);
const LG4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af);
const LG5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de);
const LG6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f);
const LG7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244);

/// `ln x` for `x` normal, positive and finite (`f64::MIN_POSITIVE ≤ x ≤ f64::MAX`); any other
/// input gives an unspecified value (never a panic).
#[inline(always)]
pub(crate) fn ln_normal(x: f64) -> f64 {
    let bits = x.to_bits();
    // Shift the high word so that the exponent field counts from √½ instead of from 1.
    let shifted = bits.wrapping_add((0x3ff0_0000 - 0x3fe6_a09e) << 32);
    let biased_k = shifted >> 52;
    let high = ((shifted >> 32) & 0x000f_ffff) + 0x3fe6_a09e;
    let m = f64::from_bits((high << 32) | (bits & 0xffff_ffff));
    // k − 1023 + 1023 as a double, exactly: 2^52 + biased_k − (2^52 + 1023).
    let dk = f64::from_bits(0x4330_0000_0000_0000 | biased_k) - (4_503_599_627_370_496.0 + 1023.0);

    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI
}

/// `ln(p/q)` for `p` and `q` normal, positive and finite, with one division and without forming
/// `p/q` (which may overflow or underflow): the mantissas `m_p, m_q ∈ [1, 2)` are brought within
/// a factor √2 of each other by doubling one of them, then
///
/// ```text
/// p/q = 2^k m_p/m_q,   s = (m_p − m_q)/(m_p + m_q),   ln(m_p/m_q) = ln((1+s)/(1−s)) = 2s + s·R(s²)
/// ```
///
/// with fdlibm's `R` as in [`ln_normal`] (|s| ≤ 0.1716). `m_p − m_q` is exact (Sterbenz), so
/// the result keeps its relative accuracy even where `p/q` is close to 1. Any other input gives
/// an unspecified value (never a panic). The kernel uses its pieces through
/// [`kl_excess_normal`] (which takes `k ln 2` as one product where `k ≠ 0`); this is the
/// logarithm those pieces make, kept to test them.
#[cfg(test)]
#[inline(always)]
pub(crate) fn ln_ratio_normal(p: f64, q: f64) -> f64 {
    let (k, s, r) = ratio_parts(p, q);
    k * LN2_HI + ((s + s) + (s * r + k * LN2_LO))
}

/// The pieces of [`ln_ratio_normal`]: `p/q = 2^k (1+s)/(1−s)` with `|s| ≤ 0.1716`, and
/// `r = R(s²)`, so that `ln(p/q) = k ln 2 + 2s + s·r`. When `k = 0`, `s = (p − q)/(p + q)`.
#[inline(always)]
fn ratio_parts(p: f64, q: f64) -> (f64, f64, f64) {
    const MANTISSA: u64 = 0x000f_ffff_ffff_ffff;
    const ONE: u64 = 0x3ff0_0000_0000_0000;
    const TWO_52: u64 = 0x4330_0000_0000_0000;
    let (bp, bq) = (p.to_bits(), q.to_bits());
    let mp = f64::from_bits((bp & MANTISSA) | ONE);
    let mq = f64::from_bits((bq & MANTISSA) | ONE);
    // Exponent difference as a double, exactly: both are integers below 2^53.
    let k = f64::from_bits(TWO_52 | (bp >> 52)) - f64::from_bits(TWO_52 | (bq >> 52));
    let up = mp > std::f64::consts::SQRT_2 * mq;
    let down = mq > std::f64::consts::SQRT_2 * mp;
    let mq = if up { 2.0 * mq } else { mq };
    let mp = if down { 2.0 * mp } else { mp };
    let k = k + if up { 1.0 } else { 0.0 } - if down { 1.0 } else { 0.0 };

    let s = (mp - mq) / (mp + mq);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    (k, s, t2 + t1)
}

/// The relative-entropy term `p ln(p/q) − p + q ≥ 0` (scipy's `kl_div`) for `p` and `q` normal,
/// positive and finite, to a few ulp *relative to the term itself*, also where `p ≈ q` and the
/// term is `≈ (p − q)²/2q`, far below the size of `p ln(p/q)`. With `ln(p/q) = k ln 2 + 2s + s·R`
/// from [`ratio_parts`], the term is a linear part plus `s·p·R`:
///
/// ```text
/// within a factor ≈ √2 (k = 0):  p = m(1+s), q = m(1−s),  m = (p+q)/2,  p − q = 2ms exact
///     p ln(p/q) − p + q = p(2s + s·R) − 2ms = 2ms² + p·s·R = s·(p − q) + s·(p·R)
/// otherwise:                     p(k ln 2 + 2s) − (p − q) + s·(p·R)          (|ln(p/q)| ≳ 0.34)
/// ```
///
/// In the first form `s(p − q) = 2ms² ≥ 0` and `|p·s·R| ≤ 0.06 · 2ms²` (`R ≈ ⅔ s²`, `|s| ≤
/// 0.1716`): nothing cancels. In the second, `p ln(p/q)` and `p − q` cancel by at most 3 bits
/// (at `p/q = √2`, where the term is `0.076 q` and `p ln(p/q)` is `0.49 q`); `k ln 2` is one
/// product with `ln 2` rounded, within an ulp of its value, and `|ln(p/q)| ≥ |k| ln 2 − 0.35 ≥
/// ½ |k| ln 2`, so that costs at most 2 ulp of the logarithm (fdlibm's hi/lo split of `ln 2`
/// matters only where `k ln 2` is added to a small `2s`, which here is the first form). Only
/// the linear part differs between the forms, so one of two cheap expressions is selected and
/// the loop stays branch-free; the `s·(p·R)` part is shared. At `p = 0` (with `q` normal) the
/// second form gives exactly `q`, the term's value there: `k ≤ −1`, and `0·(k ln 2 + 2s) −
/// (0 − q) + s·(0·R) = q`.
///
/// This is the `ln_1p((p − q)/q)` care of scipy's `rel_entr` taken one step further: the linear
/// part `p − q`, whose sum over a probability vector is 0, is taken out exactly, term by term.
#[inline(always)]
pub(crate) fn kl_excess_normal(p: f64, q: f64) -> f64 {
    let (k, s, r) = ratio_parts(p, q);
    let gap = p - q;
    let linear = if k == 0.0 {
        s * gap
    } else {
        p * (k * std::f64::consts::LN_2 + (s + s)) - gap
    };
    linear + s * (p * r)
}

/// Coefficients `1/(j(2j−1))` of `J(t) = Σⱼ t^{2j}/(j(2j−1))`, `j = 1 … 10`.
const JS_SERIES: [f64; 10] = [
    1.0,
    1.0 / 6.0,
    1.0 / 15.0,
    1.0 / 28.0,
    1.0 / 45.0,
    1.0 / 66.0,
    1.0 / 91.0,
    1.0 / 120.0,
    1.0 / 153.0,
    1.0 / 190.0,
];

/// `J(t) = (1+t) ln(1+t) + (1−t) ln(1−t)` for `−1 ≤ t ≤ 1` (with `0 ln 0 = 0`), to a few ulp
/// relative to `J` also near `t = 0`, where `J ≈ t²` while each half is `≈ ±t`.
///
/// The Jensen–Shannon term of one outcome is `(p + q)/4 · J(t)`, `t = (p − q)/(p + q)`:
/// `2p/(p+q) = 1 + t` and `2q/(p+q) = 1 − t`, the `ln_1p((p−q)/(p+q))` form of the issue with
/// the linear parts cancelled exactly. For `|t| ≤ 0.17` the even series
/// `J = Σⱼ t^{2j}/(j(2j−1))` is summed to `j = 10` (truncation < 2e-18 relative); beyond, the
/// two logarithms (arguments in `[2^-53, 2]`, normal) lose nothing that matters, `J ≥ 0.0289`.
/// Branch-free (both are computed, one selected).
#[inline(always)]
pub(crate) fn js_pair(t: f64) -> f64 {
    let a = t.abs().min(1.0);
    let z = a * a;
    let mut poly = JS_SERIES[9];
    for &c in JS_SERIES[..9].iter().rev() {
        poly = c + z * poly;
    }
    let near = z * poly;
    let (up, down) = (1.0 + a, 1.0 - a);
    let right = if down > 0.0 {
        down * ln_normal(down)
    } else {
        0.0
    };
    let far = up * ln_normal(up) + right;
    if a <= 0.17 { near } else { far }
}

#[cfg(test)]
mod tests {
    use super::{kl_excess_normal, ln_normal, ln_ratio_normal};
    use crate::testing::{splitmix, ulps};

    /// Against the platform's `f64::ln` (glibc's, itself within 1 ulp of the true value):
    /// fdlibm's bound is < 1 ulp, so two correct-to-1-ulp results differ by at most 2 ulp. Four
    /// million inputs: every normal binade uniformly (random bit patterns), and [0.5, 2] densely
    /// (where ln x → 0 and a careless reduction loses digits), plus the edges of the range.
    #[test]
    fn within_two_ulp_of_std_ln_on_millions_of_inputs() {
        let mut state = 42;
        let mut worst: f64 = 0.0;
        let mut worst_x = 0.0;
        let mut check = |x: f64| {
            let e = ulps(ln_normal(x), x.ln());
            if e > worst {
                worst = e;
                worst_x = x;
            }
        };
        for _ in 0..2_000_000 {
            // Any positive normal double: exponent field 1..=2046, random mantissa.
            let r = splitmix(&mut state);
            let exponent = 1 + (r >> 52) % 2046;
            check(f64::from_bits((exponent << 52) | (r & ((1 << 52) - 1))));
            // Uniform on [0.5, 2).
            let u = (splitmix(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
            check(0.5 + 1.5 * u);
        }
        for x in [
            f64::MIN_POSITIVE,
            f64::MAX,
            1.0,
            2.0,
            0.5,
            std::f64::consts::E,
        ] {
            check(x);
        }
        // Near 1 on both sides, ulp by ulp.
        for i in 0..1000u64 {
            check(f64::from_bits(1.0f64.to_bits() + i));
            check(f64::from_bits(1.0f64.to_bits() - i));
        }
        assert!(worst <= 2.0, "{worst} ulp at x = {worst_x:e}");
        assert_eq!(ln_normal(1.0), 0.0);
    }

    /// `ln(p/q)` against an accurate route: `ln_1p((p − q)/q)` where `p/q ∈ [½, 2]` (the
    /// difference is exact there, the quotient and `ln_1p` each within an ulp), `ln(p/q)` elsewhere
    /// (`|ln(p/q)| ≥ ln 2`, so the quotient's rounding moves it by < 1.5 ulp). Two million pairs:
    /// random normal doubles, and pairs within a few percent of each other.
    #[test]
    fn ratio_within_four_ulp_of_an_accurate_route() {
        let mut state = 7;
        let mut worst: f64 = 0.0;
        let mut at = (0.0, 0.0);
        let mut check = |p: f64, q: f64| {
            if !(p.is_normal() && q.is_normal()) {
                return;
            }
            let r = p / q;
            let want = if (0.5..=2.0).contains(&r) {
                ((p - q) / q).ln_1p()
            } else if r.is_normal() && r.is_finite() {
                r.ln()
            } else {
                return;
            };
            let e = ulps(ln_ratio_normal(p, q), want);
            if e > worst {
                worst = e;
                at = (p, q);
            }
        };
        let normal = |state: &mut u64| {
            let r = splitmix(state);
            let exponent = 1 + (r >> 52) % 2046;
            f64::from_bits((exponent << 52) | (r & ((1 << 52) - 1)))
        };
        for _ in 0..1_000_000 {
            let (p, q) = (normal(&mut state), normal(&mut state));
            check(p, q);
            let u = (splitmix(&mut state) >> 11) as f64 / (1u64 << 53) as f64;
            check(p, p * (0.97 + 0.06 * u));
        }
        check(1.0, 1.0);
        check(f64::MIN_POSITIVE, f64::MAX);
        assert!(worst <= 4.0, "{worst} ulp at p/q = {:e}/{:e}", at.0, at.1);
        assert_eq!(ln_ratio_normal(0.3, 0.3), 0.0);
    }

    /// The KL term against 50-digit mpmath references (`tests/reference/kl_term.py`, 2 400
    /// pairs: nearly equal to 1e-15, ratios at the √2 and 1/√2 switch between the two forms, and
    /// ratios over the whole normal range). Bounds: where `|ln(p/q)| < 0.3` (always the first
    /// form, no cancellation) a few roundings of operands within a factor 2 of each other, 4 ulp;
    /// elsewhere the second form's cancellation of up to 3 bits multiplies a few ulp by up to 8,
    /// 24 ulp. Terms below `2⁻⁹⁶⁹` (`2⁵³` smallest normals) pass through subnormal
    /// intermediates and are held to an absolute `2⁻¹⁰²²` instead: a KL sum cannot see them.
    #[test]
    fn kl_term_within_a_few_ulp_of_mpmath() {
        let table = include_str!("../../tests/reference/kl_term.txt");
        let (mut near, mut far, mut cases) = (0.0f64, 0.0f64, 0);
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let [p, q, want] = [0, 1, 2].map(|i| {
                let field = line.split(' ').nth(i).expect("three fields");
                f64::from_bits(u64::from_str_radix(field, 16).expect("hex bits"))
            });
            let got = kl_excess_normal(p, q);
            cases += 1;
            if want < f64::MIN_POSITIVE * 2f64.powi(53) {
                assert!(
                    (got - want).abs() <= f64::MIN_POSITIVE,
                    "{p:e} {q:e}: {got:e} vs {want:e}"
                );
                continue;
            }
            let e = ulps(got, want);
            if (p / q).ln().abs() < 0.3 {
                near = near.max(e);
            } else {
                far = far.max(e);
            }
        }
        assert_eq!(cases, 2400);
        assert!(near <= 4.0, "{near} ulp where p ≈ q");
        assert!(far <= 24.0, "{far} ulp elsewhere");
    }
}
