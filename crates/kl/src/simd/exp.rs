//! An exponential written without branches or tables, so that a loop calling it compiles to SIMD
//! code: the `exp` of the fit loop's log-sum-exp ([`crate::fit`]), as [`crate::discrete`]'s
//! logarithm is the `ln` of its kernel.
//!
//! The method is fdlibm's `e_exp.c` (the one musl and the `libm` crate use), error < 1 ulp:
//!
//! ```text
//! x = k ln2 + r,  k = round(x / ln2),  |r| ≤ ln2/2,  r = hi − lo with hi = x − k·ln2_hi, lo = k·ln2_lo
//! c = r − r²(P1 + r²(P2 + r²(P3 + r²(P4 + r² P5))))     (Remez on [0, 0.347], |error| < 2^-59)
//! exp(r) = 1 − ((lo − r·c/(2 − c)) − hi)
//! exp(x) = 2^k exp(r)
//! ```
//!
//! The branches of the scalar original become selects and one change of method:
//!
//! - `2^k` is built from its bits, in two halves `2^⌊k/2⌋ · 2^(k − ⌊k/2⌋)`, so every `k` from
//!   −1443 to 1024 gives two normal factors: results in the subnormal range come out as the
//!   correctly rounded product (within one subnormal step, 4.9e-324, of `f64::exp`), results
//!   below half the smallest subnormal (x < −745.13) as 0, results above `f64::MAX`
//!   (x > 709.78) as `+∞` — the same semantics as `f64::exp`, with no flush to zero.
//! - `x` is clamped to [−1000, 710] first (`exp` is 0 and `+∞` there already), so `k` stays in
//!   that range; `−∞` gives 0, `+∞` gives `+∞`, NaN stays NaN (the clamp is two comparisons
//!   that a NaN fails).
//! - `k` comes from adding `1.5·2^52` (round to nearest by the addition itself), and its integer
//!   value from the bits of that sum: no float-to-integer instruction, which AVX2 lacks for
//!   64-bit lanes.
//!
//! Only IEEE additions, multiplications and one division are used, never a fused multiply-add
//! (Rust does not contract `a * b + c`), so the scalar, AVX2 and AVX-512 builds of this function
//! return the same bits.

// The constants by their bit patterns, as fdlibm lists them. ln2_hi has 21 trailing zero bits,
// so k·ln2_hi is exact for |k| < 2^21.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const INV_LN2: f64 = f64::from_bits(0x3ff7_1547_652b_82fe);
const P1: f64 = f64::from_bits(0x3fc5_5555_5555_553e);
const P2: f64 = f64::from_bits(0xbf66_c16c_16be_bd93);
const P3: f64 = f64::from_bits(0x3f11_566a_af25_de2c);
const P4: f64 = f64::from_bits(0xbebb_bd41_c5d2_6bf1);
const P5: f64 = f64::from_bits(0x3e66_3769_72be_a4d0);
/// 1.5·2^52: adding it rounds a double of magnitude < 2^51 to an integer, which then sits in the
/// low bits of the sum's mantissa.
const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// `e^x` for every double, within 1 ulp of the true value (and so within 2 ulp of `f64::exp`)
/// for normal results; see the module docs for the subnormal, zero, infinite and NaN cases.
#[inline(always)]
pub(crate) fn exp(x: f64) -> f64 {
    let x = if x < -1000.0 { -1000.0 } else { x };
    let x = if x > 710.0 { 710.0 } else { x };
    // k = round(x / ln2), as a double and as an integer.
    let t = x * INV_LN2 + ROUNDER;
    let k = t - ROUNDER;
    let k_int = t.to_bits().wrapping_sub(ROUNDER.to_bits()) as i64;

    let hi = x - k * LN2_HI;
    let lo = k * LN2_LO;
    let r = hi - lo;
    let rr = r * r;
    let c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
    let y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);

    // 2^k = 2^k1 · 2^k2, both normal for −1443 ≤ k ≤ 1024.
    let k1 = k_int >> 1;
    let k2 = k_int - k1;
    let two_k1 = f64::from_bits(((k1 + 1023) as u64) << 52);
    let two_k2 = f64::from_bits(((k2 + 1023) as u64) << 52);
    y * two_k1 * two_k2
}

#[cfg(test)]
mod tests {
    use super::exp;
    use crate::testing::{ulps, uniform};

    /// Against the platform's `f64::exp` (glibc's, itself within 1 ulp of the true value):
    /// fdlibm's bound is < 1 ulp, so two correct-to-1-ulp results differ by at most 2 ulp. Four
    /// million inputs: the log-sum-exp range the fit uses, [−745, 0] (every term of the loop is
    /// `exp` of a non-positive number), densely near 0 where `exp ≈ 1`; the whole normal range
    /// up to 709.7; and the points where the reduction changes `k`.
    #[test]
    fn within_two_ulp_of_std_exp_on_millions_of_inputs() {
        let mut state = 42;
        let mut worst: f64 = 0.0;
        let mut worst_x = 0.0;
        let mut check = |x: f64| {
            let want = x.exp();
            // Subnormal results are checked by the next test, in absolute terms.
            if !want.is_normal() {
                return;
            }
            let e = ulps(exp(x), want);
            if e > worst {
                worst = e;
                worst_x = x;
            }
        };
        for _ in 0..1_000_000 {
            check(uniform(&mut state, -708.4, 0.0));
            check(uniform(&mut state, -1.0, 0.0));
            check(uniform(&mut state, -1e-6, 1e-6));
            check(uniform(&mut state, -708.4, 709.7));
        }
        // Around each multiple of ln2/2 in [−708, 709], where k steps and |r| is largest.
        for j in -2043..=2047 {
            let m = j as f64 * std::f64::consts::LN_2 / 2.0;
            for i in 0..8u64 {
                check(f64::from_bits(m.to_bits() + i));
                check(f64::from_bits(m.to_bits().wrapping_sub(i)));
            }
        }
        for x in [0.0, -0.0, 1.0, -1.0, 709.78, -708.39, 1e-300, -1e-300] {
            check(x);
        }
        assert!(worst <= 2.0, "{worst} ulp at x = {worst_x:e}");
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
    }

    /// The edges: subnormal results within one subnormal step (4.9e-324) of `f64::exp`, then 0
    /// where `f64::exp` gives 0, `+∞` where it overflows, and the special values.
    #[test]
    fn matches_std_exp_at_the_edges() {
        let mut state = 3;
        for _ in 0..200_000 {
            let x = uniform(&mut state, -746.0, -708.0);
            let (got, want) = (exp(x), x.exp());
            assert!(
                (got - want).abs() <= f64::from_bits(1),
                "x = {x:e}: {got:e} vs {want:e}"
            );
        }
        for x in [-745.2, -746.0, -800.0, -1000.0, -1e10, -1e300, f64::MIN] {
            assert_eq!(exp(x), 0.0, "{x:e}");
            assert_eq!(x.exp(), 0.0, "{x:e}");
        }
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        for x in [709.79, 710.0, 800.0, 1e300, f64::MAX, f64::INFINITY] {
            assert_eq!(exp(x), f64::INFINITY, "{x:e}");
        }
        assert!(exp(f64::NAN).is_nan());
        // The largest finite result.
        let x = 709.782712893384;
        assert!(ulps(exp(x), x.exp()) <= 2.0);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::{prop_assert, proptest};

    use super::exp;

    proptest! {
        /// Within 2 ulp of `f64::exp` anywhere the result is normal (see the sweep above for why
        /// 2).
        #[test]
        fn close_to_std_exp(x in -708.39f64..709.78) {
            let (got, want) = (exp(x), x.exp());
            let ulp = f64::from_bits(want.to_bits() + 1) - want;
            prop_assert!((got - want).abs() <= 2.0 * ulp, "x = {:e}: {:e} vs {:e}", x, got, want);
        }
    }
}
