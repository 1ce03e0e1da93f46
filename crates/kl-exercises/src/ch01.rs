//! Exercises for chapter 01: KL divergence between discrete distributions.

use kl::Error;

/// Jensen–Shannon from KL.
///
/// KL is not symmetric, and it is infinite as soon as `Q` rules out an outcome that `P`
/// allows. The Jensen–Shannon divergence repairs both by comparing each distribution with
/// their average `M`:
///
/// ```text
/// M = (P + Q) / 2        JS(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M)
/// ```
///
/// Write `JS(P, Q)` in nats using `kl::discrete::kl_divergence` for the two KL terms (build
/// `M` yourself), and pass its errors on with `?`. Then convince yourself that the result is
/// symmetric, finite even when `P` and `Q` have disjoint supports, and never above `ln 2`.
pub fn exercise_1_1(p: &[f64], q: &[f64]) -> Result<f64, Error> {
    // Hint: check the lengths before you build M, or let kl_divergence report them.
    // BEGIN SOLUTION
    if p.len() != q.len() {
        return Err(Error::LengthMismatch {
            p_len: p.len(),
            q_len: q.len(),
        });
    }
    let m: Vec<f64> = p.iter().zip(q).map(|(a, b)| 0.5 * (a + b)).collect();
    Ok(0.5 * kl::discrete::kl_divergence(p, &m)? + 0.5 * kl::discrete::kl_divergence(q, &m)?)
    // END SOLUTION
}

/// Cross-entropy minus entropy.
///
/// The divergence splits into two quantities that have names of their own:
///
/// ```text
/// H(P, Q) = −Σ pᵢ ln qᵢ      H(P) = −Σ pᵢ ln pᵢ      KL(P‖Q) = H(P, Q) − H(P)
/// ```
///
/// Without calling anything from `kl`, write the two sums with plain loops or iterators and
/// return `(H(P, Q), H(P), KL(P‖Q))` in nats, the last as the difference of the first two.
/// Use the convention `0 · ln 0 = 0` (an outcome `P` never produces contributes nothing), and
/// return `+∞` for the cross-entropy and the divergence when some `qᵢ = 0` where `pᵢ > 0`.
/// You may assume `p` and `q` are valid probability vectors of the same length.
pub fn exercise_1_2(p: &[f64], q: &[f64]) -> (f64, f64, f64) {
    // Hint: skip the terms with pᵢ = 0 *before* taking a logarithm; 0 * ln 0 is NaN in f64.
    // BEGIN SOLUTION
    let mut cross = 0.0;
    let mut own = 0.0;
    for (&pi, &qi) in p.iter().zip(q) {
        if pi > 0.0 {
            cross -= pi * qi.ln();
            own -= pi * pi.ln();
        }
    }
    if cross.is_infinite() {
        return (f64::INFINITY, own, f64::INFINITY);
    }
    (cross, own, cross - own)
    // END SOLUTION
}

/// KL between two samples of counts.
///
/// You rolled two dice many times and counted the faces: `counts_p[i]` and `counts_q[i]` are
/// how often face `i` came up. Estimate `KL(P‖Q)` in nats from the empirical frequencies
/// `pᵢ = counts_p[i] / Σ counts_p` (and the same for `Q`).
///
/// Return `Error::LengthMismatch` if the two count vectors differ in length and
/// `Error::ZeroTotal { name: "counts_p" }` (or `"counts_q"`) if a die was never rolled. A face
/// seen under `P` but never under `Q` makes the estimate `+∞`: return that, it is the honest
/// answer. Do not call anything from `kl::discrete` (`normalize`, the `*_unnormalized`
/// functions and the rest) or `kl::kl_divergence` (which takes statrs `Categorical`s): the
/// point is to see what they do.
pub fn exercise_1_3(counts_p: &[u64], counts_q: &[u64]) -> Result<f64, Error> {
    // Hint: convert the totals to f64 once; a term with counts_p[i] = 0 contributes nothing.
    // BEGIN SOLUTION
    if counts_p.len() != counts_q.len() {
        return Err(Error::LengthMismatch {
            p_len: counts_p.len(),
            q_len: counts_q.len(),
        });
    }
    let total_p: u64 = counts_p.iter().sum();
    let total_q: u64 = counts_q.iter().sum();
    if total_p == 0 {
        return Err(Error::ZeroTotal { name: "counts_p" });
    }
    if total_q == 0 {
        return Err(Error::ZeroTotal { name: "counts_q" });
    }
    let mut sum = 0.0;
    for (&cp, &cq) in counts_p.iter().zip(counts_q) {
        if cp == 0 {
            continue;
        }
        if cq == 0 {
            return Ok(f64::INFINITY);
        }
        let pi = cp as f64 / total_p as f64;
        let qi = cq as f64 / total_q as f64;
        sum += pi * (pi / qi).ln();
    }
    Ok(sum)
    // END SOLUTION
}
