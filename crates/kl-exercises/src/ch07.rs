//! Exercises for chapter 07: KL from samples alone (nearest-neighbour estimators).

use kl::Error;

/// A 1-nearest-neighbour estimate of KL, by brute force.
///
/// When all you have are samples `x₁ … xₙ` from `P` and `y₁ … yₘ` from `Q` (here on the real
/// line), the nearest-neighbour estimator of Wang, Kulkarni and Verdú (2009) compares how far
/// each `xᵢ` is from the other `x`'s with how far it is from the `y`'s:
///
/// ```text
/// KL̂(P‖Q) = (1/n) Σᵢ ln(νᵢ / ρᵢ) + ln(m / (n − 1))
/// ρᵢ = minⱼ≠ᵢ |xᵢ − xⱼ|        νᵢ = minₖ |xᵢ − yₖ|
/// ```
///
/// (in `d` dimensions the log-ratio is multiplied by `d`; here `d = 1`). Write it by brute
/// force, comparing every pair, in nats. Return `Error::TooFewSamples { name: "x", got, needed:
/// 2 }` for fewer than two `x`'s and the same with `name: "y"` and `needed: 1` for no `y`. You
/// may assume the samples are distinct.
///
/// Then try it on `P = N(0, 1)` and `Q = N(1, 1)` (true value 0.5): how does the estimate
/// scatter around 0.5 as `n = m` grows from 10 to 10 000?
pub fn exercise_7_1(x: &[f64], y: &[f64]) -> Result<f64, Error> {
    // Hint: for each xᵢ, two loops give ρᵢ (skip j = i) and νᵢ.
    // BEGIN SOLUTION
    if x.len() < 2 {
        return Err(Error::TooFewSamples {
            name: "x",
            got: x.len(),
            needed: 2,
        });
    }
    if y.is_empty() {
        return Err(Error::TooFewSamples {
            name: "y",
            got: 0,
            needed: 1,
        });
    }
    let (n, m) = (x.len() as f64, y.len() as f64);
    let mut total = 0.0;
    for (i, &xi) in x.iter().enumerate() {
        let rho = x
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, &xj)| (xi - xj).abs())
            .fold(f64::INFINITY, f64::min);
        let nu = y
            .iter()
            .map(|&yk| (xi - yk).abs())
            .fold(f64::INFINITY, f64::min);
        total += (nu / rho).ln();
    }
    Ok(total / n + (m / (n - 1.0)).ln())
    // END SOLUTION
}

/// From 1 to k neighbours.
///
/// The 1-NN estimate is noisy. Using the `k`-th nearest neighbour instead averages over more
/// of the sample:
///
/// ```text
/// KL̂ₖ(P‖Q) = (1/n) Σᵢ ln(νᵢ,ₖ / ρᵢ,ₖ) + ln(m / (n − 1))
/// ```
///
/// where `ρᵢ,ₖ` is the distance from `xᵢ` to its `k`-th nearest neighbour among the other
/// `x`'s and `νᵢ,ₖ` the distance to its `k`-th nearest `y` (one dimension again). Write it in
/// nats; `k = 1` must give the estimator of exercise 7.1. Return
/// `Error::InvalidParameter { name: "k", .. }` for `k = 0`, and `Error::TooFewSamples` when
/// there are fewer than `k + 1` `x`'s (`name: "x"`) or fewer than `k` `y`'s (`name: "y"`).
///
/// Sorting every distance list costs `O(n log n)` per point; `select_nth_unstable_by` finds the
/// `k`-th smallest in linear time.
pub fn exercise_7_2(x: &[f64], y: &[f64], k: usize) -> Result<f64, Error> {
    // Hint: the k-th smallest of the distances from xᵢ to the other x's is element k − 1 of
    // that list once it is partially sorted.
    // BEGIN SOLUTION
    if k == 0 {
        return Err(Error::InvalidParameter {
            name: "k",
            value: 0.0,
            reason: "the neighbour rank must be at least 1",
        });
    }
    if x.len() < k + 1 {
        return Err(Error::TooFewSamples {
            name: "x",
            got: x.len(),
            needed: k + 1,
        });
    }
    if y.len() < k {
        return Err(Error::TooFewSamples {
            name: "y",
            got: y.len(),
            needed: k,
        });
    }
    let kth = |mut d: Vec<f64>| {
        let (_, v, _) = d.select_nth_unstable_by(k - 1, f64::total_cmp);
        *v
    };
    let (n, m) = (x.len() as f64, y.len() as f64);
    let mut total = 0.0;
    for (i, &xi) in x.iter().enumerate() {
        let own: Vec<f64> = x
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, &xj)| (xi - xj).abs())
            .collect();
        let other: Vec<f64> = y.iter().map(|&yk| (xi - yk).abs()).collect();
        total += (kth(other) / kth(own)).ln();
    }
    Ok(total / n + (m / (n - 1.0)).ln())
    // END SOLUTION
}
