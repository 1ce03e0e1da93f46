//! The fast paths, in one place: the branch-free elementary functions that let a loop compile
//! to SIMD code ([`exp`], [`ln`]), the fixed-order compensated sums the vectorised passes
//! accumulate in ([`sum`]), and the one CPU-feature dispatch that runs a pass on the widest
//! vector unit the running CPU has ([`fast`]).
//!
//! A pass (`discrete`'s kernel, `fit`'s grid sums) is written once, as plain scalar Rust over
//! [`sum::LANES`] lanes, and handed to [`fast`] as a closure:
//!
//! ```text
//! let sums = simd::fast(#[inline(always)] || forward_sums_body(x, mu, d2_min, half_precision));
//! ```
//!
//! [`fast`] calls it inside a function compiled for AVX-512F, for AVX2 + FMA, or portably,
//! whichever [`level`] found (detected once per process, then read from a cache), so a plain
//! `cargo build --release` gets the vector units without `-C target-cpu=native`. The closure
//! must be `#[inline(always)]` (and the pass's body too): only code inlined into that function
//! is compiled for its features. Without the attribute LLVM kept `discrete`'s large chunk pass
//! out of line, and the KL of two 10⁶-entry vectors took 13–26 ms instead of 3–5 ms. None of the code uses a fused
//! multiply-add (Rust never contracts `a * b + c`), and the lanes fold in a fixed order, so
//! every level returns the same bits: the tests run each pass at every [`Level`] the CPU has
//! ([`available`]) and compare the bits.

use std::sync::OnceLock;

pub(crate) mod exp;
pub(crate) mod ln;
pub(crate) mod sum;

/// The vector units a pass can be compiled for, narrowest first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) enum Level {
    /// No target features beyond the build's own (the only level off x86-64).
    Portable,
    /// AVX2 and FMA (FMA is enabled only because every AVX2 CPU has it; nothing contracts
    /// `a * b + c` into one, so the rounding is the portable build's).
    Avx2,
    /// AVX-512F.
    Avx512,
}

/// The widest [`Level`] the running CPU supports, detected on the first call and cached.
pub(crate) fn level() -> Level {
    static LEVEL: OnceLock<Level> = OnceLock::new();
    *LEVEL.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return Level::Avx512;
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                return Level::Avx2;
            }
        }
        Level::Portable
    })
}

/// Every [`Level`] the running CPU can run, narrowest first (for the tests that compare them).
#[cfg(test)]
pub(crate) fn available() -> Vec<Level> {
    [Level::Portable, Level::Avx2, Level::Avx512]
        .into_iter()
        .filter(|&l| l <= level())
        .collect()
}

/// Runs `pass` compiled for the widest vector unit of the running CPU (see the module docs).
#[inline(always)]
pub(crate) fn fast<T>(pass: impl FnOnce() -> T) -> T {
    at(level(), pass)
}

/// Runs `pass` compiled for `level`, or for the CPU's [`level()`] if that is narrower.
#[inline(always)]
pub(crate) fn at<T>(level: Level, pass: impl FnOnce() -> T) -> T {
    match level.min(self::level()) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the level is at most what `level()` detected on the CPU running this code.
        Level::Avx512 => unsafe { avx512(pass) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above: the CPU has AVX2 and FMA.
        Level::Avx2 => unsafe { avx2(pass) },
        _ => pass(),
    }
}

/// `pass()` compiled for AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn avx512<T>(pass: impl FnOnce() -> T) -> T {
    pass()
}

/// `pass()` compiled for AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn avx2<T>(pass: impl FnOnce() -> T) -> T {
    pass()
}
