//! Helpers for the unit tests of the hand-written elementary functions (`simd::exp`, `simd::ln`).

/// The distance between `got` and `want` in units of the last place of `want` (for a subnormal
/// `want`, in units of the smallest subnormal).
pub(crate) fn ulps(got: f64, want: f64) -> f64 {
    if got == want {
        return 0.0;
    }
    let ulp = f64::from_bits(want.abs().to_bits() + 1) - want.abs();
    (got - want).abs() / ulp
}

/// splitmix64: a cheap, well-mixed stream of 64-bit patterns for sweeps over many inputs.
pub(crate) fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A uniform draw from `[lo, hi)` out of the splitmix64 stream.
pub(crate) fn uniform(state: &mut u64, lo: f64, hi: f64) -> f64 {
    let u = (splitmix(state) >> 11) as f64 / (1u64 << 53) as f64;
    lo + (hi - lo) * u
}
