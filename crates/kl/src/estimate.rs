//! KL divergence estimated from samples alone, when neither density is known.
//!
//! [`knn_divergence`] is the k-nearest-neighbour estimator of Wang, Kulkarni and Verdú (2009),
//! "Divergence estimation for multidimensional densities via k-nearest-neighbor distances",
//! *IEEE Transactions on Information Theory* 55(5), 2392–2405. With `x₁ … x_n ~ P` and
//! `y₁ … y_m ~ Q` in `ℝᵈ`,
//!
//! ```text
//! D̂ = (d/n) Σᵢ ln(ν_k(i) / ρ_k(i)) + ln(m / (n − 1))
//!
//! ρ_k(i) = Euclidean distance from xᵢ to its k-th nearest neighbour among the other x's
//! ν_k(i) = Euclidean distance from xᵢ to its k-th nearest neighbour among the y's
//! ```
//!
//! in nats. It is consistent (`D̂ → KL(P‖Q)` as `n, m → ∞` with `k` fixed) for densities that
//! are regular enough, but biased at small `n`: see chapter 07 of the book.
//!
//! # Points
//!
//! Samples are `ndarray` matrices with **one point per row** and one coordinate per column:
//! `x` is `n × d`, `y` is `m × d`. A one-dimensional sample is an `n × 1` matrix; for plain
//! slices [`knn_divergence_1d`] does the wrapping.
//!
//! # Neighbour search
//!
//! For `d ≤` [`MAX_TREE_DIMENSION`] the neighbours come from two exact k-d trees (one over the
//! x's, one over the y's; `estimate/kd_tree.rs`): `O((n + m) d log)` to build, queries that
//! visit a few leaves. Above that, k-d trees lose their edge and the search is brute force,
//! `O(n (n + m) d)` time and `O(n + m)` extra memory: fine for a few thousand points.
//!
//! # Duplicates
//!
//! A point that coincides with `k` or more others gives `ρ_k = 0` (a repeated `x`) or `ν_k = 0`
//! (an `x` equal to `k` or more of the `y`'s), and `ln 0` would make the estimate `±∞` or NaN.
//! The estimator assumes densities, under which ties happen with probability 0; tied samples
//! mean the data are rounded or discrete, and no rule for breaking the tie gives an answer that
//! means anything. So this is an [`Error::DuplicateSamples`] that names the two points involved.
//! Remove the duplicates, or add noise well below the data's resolution knowing that the
//! estimate then depends on the noise's scale.
//!
//! # KL from log-probabilities: Schulman's estimators k1, k2 and k3.
//!
//! The setting of a KL penalty in policy optimisation: draws `x₁ … x_n ~ Q` (the policy being
//! trained), and at each draw the two log-densities `ln q(xᵢ)` and `ln p(xᵢ)` (the reference).
//! With the log-ratio `ln rᵢ = ln p(xᵢ) − ln q(xᵢ)` (J. Schulman, "Approximating KL
//! divergence", 2020):
//!
//! ```text
//! k1 = −ln r                  E_Q[k1] = KL(Q‖P)          unbiased, can be negative
//! k2 = ½ (ln r)²              E_Q[k2] ≠ KL(Q‖P)          biased, ≥ 0, low variance when close
//! k3 = (r − 1) − ln r         E_Q[k3] = KL(Q‖P)          unbiased, ≥ 0
//! ```
//!
//! **The direction.** The draws come from `Q`, so all three estimate `KL(Q‖P) = E_Q[ln q/p]`,
//! the divergence *of the sampling distribution from the other one*, not `KL(P‖Q)`. k3 is
//! unbiased because `E_Q[r] = ∫ p = 1` adds zero in expectation; this needs `p = 0` wherever
//! `q = 0` (otherwise `E_Q[r] = P(q > 0) < 1` and k3 is biased low by the mass of `P` that
//! `Q` never visits). k2 is k3's leading term: `(r − 1) − ln r = e^{ln r} − 1 − ln r =
//! ½ (ln r)² + O((ln r)³)`, so for `r` near 1 its mean is `KL(Q‖P)` up to a term of order
//! `(ln r)³`; for two normals of equal σ at distance `δ = Δμ/σ`,
//! `E[k2] = δ²/2 + δ⁴/8` against `KL = δ²/2`.
//!
//! **The variance as the distributions separate.** For the equal-σ pair, `ln r ~ N(−δ²/2, δ²)`
//! under `Q`: `Var k1 = δ²`, so k1's relative error per draw is `2/δ`, huge when the
//! distributions are close; k3 is `(ln r)²/2 + O((ln r)³)` like k2, with variance of order
//! `δ⁴` (smaller than k1's when close), but it contains `r` itself, and
//! `Var_Q[r] = χ²(P‖Q) = e^{δ²} − 1` grows exponentially: far apart, k3's variance explodes and
//! k1 is the steadier of the two unbiased estimators. Chapter 12 of the book prints the tables.
//!
//! **Numbers.** `r` is never formed: k3 is `expm1(ln r) − ln r` (a series where `|ln r|` is
//! small, where that difference cancels), so `r = 0` and `ln r = −∞` (a draw where `p = 0`)
//! give k1 = k2 = k3 = `+∞`, and a log-ratio above 709.78 gives k3 = `+∞` without NaN.

use ndarray::{ArrayView1, ArrayView2, Axis};

use crate::error::{Error, Result};

mod kd_tree;
mod log_ratio;
use kd_tree::{KdTree, Neighbours};
pub use log_ratio::{LogRatioEstimates, k1, k2, k3, log_ratio_estimates};

/// Largest dimension searched with k-d trees; higher dimensions use brute force.
pub const MAX_TREE_DIMENSION: usize = 8;

/// The k-nearest-neighbour estimate of `KL(P‖Q)` from `x ~ P` (rows of `x`) and `y ~ Q` (rows
/// of `y`), in nats:
///
/// ```text
/// D̂ = (d/n) Σᵢ ln(ν_k(i) / ρ_k(i)) + ln(m / (n − 1))
/// ```
///
/// (Wang, Kulkarni and Verdú 2009; notation in the [module docs](self)). Distances are
/// Euclidean.
///
/// # Remarks
/// - `x` is `n × d`, `y` is `m × d`, one point per row; `d ≥ 1`.
/// - `k ≥ 1`. `k = 1` has the least bias; a larger `k` lowers the variance and tolerates small
///   clusters. The estimate can be negative at small samples (the true KL never is).
/// - The estimate is unchanged when both samples are shifted by the same vector or scaled by
///   the same positive factor, as the divergence itself is. Samples with coordinates beyond
///   ~10⁷⁷ (or all below ~10⁻⁷⁷) are scaled by a power of 2 first, so squared distances
///   neither overflow nor underflow.
/// - Errors, never panics: `k = 0` is [`Error::InvalidParameter`]; fewer than `k + 1` x's or
///   `k` y's is [`Error::TooFewSamples`] (`x`, `y`); `d = 0` or columns that differ between `x`
///   and `y` is [`Error::DimensionMismatch`]; NaN or ±∞ is [`Error::NotFinite`] with the
///   point's row; a zero neighbour distance (duplicated samples) is [`Error::DuplicateSamples`]
///   naming both points (see the [module docs](self#duplicates)).
///
/// ```
/// use ndarray::array;
///
/// let x = array![[0.0], [1.0], [3.0]];
/// let y = array![[0.5], [4.0]];
/// // ρ₁ = (1, 1, 2), ν₁ = (0.5, 0.5, 1): D̂ = (1/3)·3·ln ½ + ln(2/2) = −ln 2.
/// let d = kl::estimate::knn_divergence(x.view(), y.view(), 1)?;
/// assert!((d + std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn knn_divergence(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>, k: usize) -> Result<f64> {
    let (n, d) = x.dim();
    let m = y.nrows();
    if k == 0 {
        return Err(Error::InvalidParameter {
            name: "k",
            value: 0.0,
            reason: "the neighbour rank k must be at least 1",
        });
    }
    if d == 0 {
        return Err(Error::DimensionMismatch {
            name: "x",
            expected: 1,
            got: 0,
        });
    }
    if y.ncols() != d {
        return Err(Error::DimensionMismatch {
            name: "y",
            expected: d,
            got: y.ncols(),
        });
    }
    if n < k + 1 {
        return Err(Error::TooFewSamples {
            name: "x",
            got: n,
            needed: k + 1,
        });
    }
    if m < k {
        return Err(Error::TooFewSamples {
            name: "y",
            got: m,
            needed: k,
        });
    }
    check_finite("x", x)?;
    check_finite("y", y)?;
    // Coordinates so large that squared distances overflow (|x| ≳ 10¹⁵⁴), or so small that
    // they underflow: the estimate is scale-free, so scale both samples by the same power of
    // 2 (exact) to put the largest coordinate in [1, 2).
    let top = x.iter().chain(y.iter()).fold(0.0f64, |a, v| a.max(v.abs()));
    const BIG: f64 = 5.8e76; // 2^255
    if top > BIG || (top > 0.0 && top < 1.0 / BIG) {
        let e = top.log2().floor() as i32;
        let (s1, s2) = (2f64.powi(-e / 2), 2f64.powi(-(e - e / 2)));
        let scale = |a: ArrayView2<'_, f64>| a.mapv(|v| v * s1 * s2);
        return knn_divergence(scale(x).view(), scale(y).view(), k);
    }

    let sum_log_ratio = match d {
        1..=MAX_TREE_DIMENSION => tree(x, y, k)?,
        _ => brute_force(x, y, k)?,
    };
    Ok(d as f64 / n as f64 * sum_log_ratio + (m as f64 / (n as f64 - 1.0)).ln())
}

/// [`knn_divergence`] for one-dimensional samples given as slices.
///
/// ```
/// let d = kl::estimate::knn_divergence_1d(&[0.0, 1.0, 3.0], &[0.5, 4.0], 1)?;
/// assert!((d + std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn knn_divergence_1d(x: &[f64], y: &[f64], k: usize) -> Result<f64> {
    let x = ArrayView1::from(x).insert_axis(Axis(1));
    let y = ArrayView1::from(y).insert_axis(Axis(1));
    knn_divergence(x, y, k)
}

fn check_finite(name: &'static str, points: ArrayView2<'_, f64>) -> Result<()> {
    for (index, row) in points.outer_iter().enumerate() {
        if let Some(&value) = row.iter().find(|v| !v.is_finite()) {
            return Err(Error::NotFinite { name, index, value });
        }
    }
    Ok(())
}

/// The error for a zero neighbour distance: `x[i]` coincides with a point of `set` (the x's,
/// leaving `x[i]` itself out, or the y's). It names the first such point (lowest index), the
/// same whichever search found the zero distance.
fn duplicate(
    x: ArrayView2<'_, f64>,
    i: usize,
    set: (&'static str, ArrayView2<'_, f64>),
    k: usize,
) -> Error {
    let (name, points) = set;
    let xi = x.row(i);
    let j = points
        .outer_iter()
        .enumerate()
        .position(|(j, p)| !(name == "x" && j == i) && p == xi)
        .unwrap_or(i);
    Error::DuplicateSamples {
        index: i,
        other_set: name,
        other_index: j,
        k,
    }
}

/// `Σᵢ ln(ν_k(i)/ρ_k(i))` with k-d trees (one over the x's, one over the y's).
fn tree(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>, k: usize) -> Result<f64> {
    let d = x.ncols();
    let xs: Vec<f64> = x.iter().copied().collect();
    let x_tree = KdTree::new(xs.clone(), d);
    let y_tree = KdTree::new(y.iter().copied().collect(), d);
    let mut own = Neighbours::new(k);
    let mut other = Neighbours::new(k);
    let mut sum = 0.0;
    for (i, point) in xs.chunks_exact(d).enumerate() {
        // ρ: the k-th nearest among the other x's (the query point itself left out by index).
        x_tree.search(point, Some(i), &mut own);
        if own.kth() == 0.0 {
            return Err(duplicate(x, i, ("x", x), k));
        }
        y_tree.search(point, None, &mut other);
        if other.kth() == 0.0 {
            return Err(duplicate(x, i, ("y", y), k));
        }
        // ln(ν/ρ) from squared distances: ½ ln(ν²/ρ²).
        sum += 0.5 * (other.kth() / own.kth()).ln();
    }
    Ok(sum)
}

/// `Σᵢ ln(ν_k(i)/ρ_k(i))` by computing every distance: any dimension.
fn brute_force(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>, k: usize) -> Result<f64> {
    let sq = |a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>| -> f64 {
        a.iter().zip(b.iter()).map(|(p, q)| (p - q) * (p - q)).sum()
    };
    let mut own: Vec<(f64, usize)> = Vec::with_capacity(x.nrows());
    let mut other: Vec<(f64, usize)> = Vec::with_capacity(y.nrows());
    let mut sum = 0.0;
    for (i, xi) in x.outer_iter().enumerate() {
        own.clear();
        own.extend(
            x.outer_iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(j, xj)| (sq(xi, xj), j)),
        );
        other.clear();
        other.extend(y.outer_iter().enumerate().map(|(j, yj)| (sq(xi, yj), j)));
        let by_distance = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0);
        let (_, &mut (rho2, _), _) = own.select_nth_unstable_by(k - 1, by_distance);
        if rho2 == 0.0 {
            return Err(duplicate(x, i, ("x", x), k));
        }
        let (_, &mut (nu2, _), _) = other.select_nth_unstable_by(k - 1, by_distance);
        if nu2 == 0.0 {
            return Err(duplicate(x, i, ("y", y), k));
        }
        sum += 0.5 * (nu2 / rho2).ln();
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same on every tree dimension, sizes from below one leaf to many levels, and
    /// coordinates on a coarse lattice so that distances tie and points sit on split planes
    /// (exact ties in ν and ρ only, never a zero distance: the lattice points are distinct
    /// within x and the y's are offset by half a step).
    #[test]
    fn tree_is_exact_in_every_dimension_with_ties() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for d in 1..=MAX_TREE_DIMENSION {
            for (n, m) in [(3, 2), (17, 40), (300, 257)] {
                let lattice = 4 + 2 * n as u64;
                let mut seen = std::collections::HashSet::new();
                let mut rows = Vec::new();
                while rows.len() < n {
                    let row: Vec<u64> = (0..d).map(|_| next() % lattice).collect();
                    if seen.insert(row.clone()) {
                        rows.push(row);
                    }
                }
                let x = ndarray::Array2::from_shape_fn((n, d), |(i, j)| rows[i][j] as f64);
                let y = ndarray::Array2::from_shape_fn((m, d), |_| (next() % lattice) as f64 + 0.5);
                for k in [1, 2] {
                    let t = tree(x.view(), y.view(), k).unwrap();
                    let b = brute_force(x.view(), y.view(), k).unwrap();
                    assert_eq!(t.to_bits(), b.to_bits(), "d = {d}, n = {n}, k = {k}");
                }
            }
        }
    }

    /// The tree and brute-force searches are two routes to the same sums: compare them where
    /// both apply, on points whose distances have no ties.
    #[test]
    fn tree_and_brute_force_agree() {
        let x = ndarray::Array2::from_shape_fn((40, 3), |(i, j)| {
            ((i * 7 + j * 13) as f64 * 0.618_033_988_75).fract() + 0.01 * i as f64
        });
        let y = ndarray::Array2::from_shape_fn((55, 3), |(i, j)| {
            ((i * 11 + j * 5) as f64 * 0.414_213_562_37).fract() * 1.3
        });
        for k in [1, 2, 5] {
            let t = tree(x.view(), y.view(), k).unwrap();
            let b = brute_force(x.view(), y.view(), k).unwrap();
            assert!(
                (t - b).abs() < 1e-10 * b.abs().max(1.0),
                "k = {k}: {t} vs {b}"
            );
        }
    }
}
