//! Divergences between probability vectors: the reference entry points.
//!
//! All results are in **nats** (natural logarithms); [`nats_to_bits`] converts.
//!
//! # The rules every function here follows
//!
//! | input | result |
//! |---|---|
//! | `p_i = 0` (whatever `q_i` is, even 0) | the term contributes 0, because `x ln x → 0` as `x → 0` |
//! | `q_i = 0` where `p_i > 0` | `+∞`: `P` puts mass where `Q` says it is impossible |
//! | empty vector | [`Error::Empty`] |
//! | `p.len() != q.len()` | [`Error::LengthMismatch`], with both lengths |
//! | NaN, `+∞` or `−∞` anywhere | [`Error::NotFinite`], with the index |
//! | a negative entry | [`Error::Negative`], with the index |
//! | `|Σ − 1| > `[`SUM_TOLERANCE`] | [`Error::NotNormalized`], with the sum |
//!
//! # Sums within the tolerance: the values of the normalised vectors
//!
//! A vector whose sum is within [`SUM_TOLERANCE`] of 1 but not exactly 1 is accepted, and every
//! function returns the value **for `p/Σp` (and `q/Σq`)**, computed exactly by identities applied
//! after the single pass (for example `KL = Σ[p ln(p/q) − p + q]/Σp − h(δ)`, `δ = Σ(q − p)/Σp`,
//! `h(δ) = δ − ln(1 + δ)`), not by dividing every entry. So what is accepted always gets a
//! possible value: `KL ≥ 0`, `H(P, Q) ≥ 0`, `0 ≤ H ≤ ln n`, `0 ≤ JS ≤ ln 2`; the results are
//! clamped into these ranges, which removes rounding residues only (≤ a few ulp of the terms).
//! Where `p ≈ q` every term is computed in an `ln_1p`-style form without cancellation (on the
//! 8-lane body and the scalar tail alike), so the relative accuracy stays near 1e-15 down to
//! `|p/q − 1| = 1e-12` at every length (tests/discrete_accuracy.rs, against mpmath).
//!
//! Beyond the tolerance nothing is normalised silently (scipy's `entropy` does, and its users
//! trip on it):
//! for weights or counts call [`normalize`] or the `*_unnormalized` variants, which say so in
//! their name. Views of `ndarray` arrays go through the thin wrappers in [`views`].
//!
//! The input checks run in the same single pass as the arithmetic, so validated input costs
//! no extra trip through memory.
//!
//! # Log-probabilities, logits, batches
//!
//! What a model hands over is often `ln p` or logits, not `p`. The `*_log` functions take
//! natural logarithms (`−∞` is a zero mass; NaN and `+∞` are errors; `Σ e^{ln pᵢ}` is checked
//! against the same tolerance), the `*_logits` functions any finite reals, read through a stable
//! log-softmax ([`log_softmax`]); both run the same single pass, with the same identities for
//! sums within the tolerance. [`kl_divergence_logits_gradient`] and
//! [`cross_entropy_logits_gradient`] give the loss of a classifier and its gradient
//! `softmax(z) − p`. [`rows`] applies any of them to each row of two 2-D arrays ([`Scale`]
//! says which).

use crate::error::{Error, Result};

/// How far from 1 the sum of a probability vector may be: `|Σ pᵢ − 1| ≤ 1e-6`.
///
/// Loose enough for vectors normalised in `f32` or read from text with six decimals, tight enough
/// to catch counts, percentages and forgotten normalisations.
pub const SUM_TOLERANCE: f64 = 1e-6;

/// Converts a divergence or entropy from nats to bits: `bits = nats / ln 2`.
///
/// ```
/// let bits = kl::discrete::nats_to_bits(std::f64::consts::LN_2);
/// assert!((bits - 1.0).abs() < 1e-15);
/// ```
pub fn nats_to_bits(nats: f64) -> f64 {
    nats / std::f64::consts::LN_2
}

/// The Kullback–Leibler divergence of `q` from `p`, in nats:
///
/// ```text
/// KL(P‖Q) = Σᵢ pᵢ ln(pᵢ / qᵢ)
/// ```
///
/// # Remarks
/// - `p` and `q` are probability vectors over the same outcomes, in the same order; each must be
///   finite, non-negative and sum to 1 within [`SUM_TOLERANCE`].
/// - `pᵢ = 0` contributes 0, also where `qᵢ = 0`.
/// - `qᵢ = 0` where `pᵢ > 0` gives `Ok(f64::INFINITY)`: that is the divergence, not an error.
/// - Errors (never panics) for empty input, a length mismatch, NaN or ±∞, negative entries and a
///   sum away from 1; see the [module docs](self).
/// - For vectors that sum to 1 the result equals scipy's `rel_entr(p, q).sum()`, more accurately
///   where `p ≈ q` (each term is `pᵢ ln(pᵢ/qᵢ) − pᵢ + qᵢ ≥ 0`, without cancellation); sums
///   within the tolerance give the value for `p/Σp` and `q/Σq` (module docs), never below 0.
///   Where `pᵢ/qᵢ` would overflow or underflow a double the term is still finite.
///
/// ```
/// use kl::discrete::kl_divergence;
///
/// let p = [0.5, 0.5];
/// let q = [0.9, 0.1];
/// let kl = kl_divergence(&p, &q)?;
/// assert!((kl - 0.510825623765991).abs() < 1e-15);
///
/// // Q rules out an outcome that P allows: the divergence is infinite.
/// assert_eq!(kl_divergence(&[0.5, 0.5], &[1.0, 0.0])?, f64::INFINITY);
/// // P gives no mass where Q does: that outcome contributes nothing.
/// assert!((kl_divergence(&[1.0, 0.0], &[0.5, 0.5])? - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn kl_divergence(p: &[f64], q: &[f64]) -> Result<f64> {
    kernel::pair(p, q, kernel::Term::Kl, Scale::Probabilities)
}

/// The cross-entropy of `q` relative to `p`, in nats:
///
/// ```text
/// H(P, Q) = −Σᵢ pᵢ ln qᵢ          and   KL(P‖Q) = H(P, Q) − H(P)
/// ```
///
/// # Remarks
/// Same rules as [`kl_divergence`]: `pᵢ = 0` contributes 0; `qᵢ = 0` where `pᵢ > 0` gives
/// `+∞`; bad input is an [`Error`].
///
/// ```
/// use kl::discrete::{cross_entropy, entropy, kl_divergence};
///
/// let p = [0.25, 0.75];
/// let q = [0.5, 0.5];
/// let h_pq = cross_entropy(&p, &q)?;
/// assert!((h_pq - std::f64::consts::LN_2).abs() < 1e-15);
/// let gap = h_pq - entropy(&p)?;
/// assert!((gap - kl_divergence(&p, &q)?).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cross_entropy(p: &[f64], q: &[f64]) -> Result<f64> {
    kernel::pair(p, q, kernel::Term::CrossEntropy, Scale::Probabilities)
}

/// The Shannon entropy of one probability vector, in nats:
///
/// ```text
/// H(P) = −Σᵢ pᵢ ln pᵢ
/// ```
///
/// # Remarks
/// `pᵢ = 0` contributes 0. The result lies in `[0, ln n]`. Bad input is an [`Error`]
/// ([`Error::Empty`], [`Error::NotFinite`], [`Error::Negative`], [`Error::NotNormalized`]).
///
/// ```
/// let fair_die = [1.0 / 6.0; 6];
/// let h = kl::discrete::entropy(&fair_die)?;
/// assert!((h - 6f64.ln()).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn entropy(p: &[f64]) -> Result<f64> {
    kernel::single(p)
}

/// The Jensen–Shannon divergence, in nats:
///
/// ```text
/// JS(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M),   M = ½ (P + Q)
/// ```
///
/// # Remarks
/// Symmetric, always finite, and between 0 and `ln 2` (one bit): `M` has mass wherever `P` or `Q`
/// does, so no zero makes it infinite. Zeros contribute 0. Bad input is an [`Error`] as for
/// [`kl_divergence`].
///
/// ```
/// use kl::discrete::js_divergence;
///
/// // Disjoint supports: the largest possible value, ln 2.
/// let js = js_divergence(&[1.0, 0.0], &[0.0, 1.0])?;
/// assert!((js - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn js_divergence(p: &[f64], q: &[f64]) -> Result<f64> {
    kernel::pair(p, q, kernel::Term::JensenShannon, Scale::Probabilities)
}

/// Divides non-negative weights (counts, unnormalised masses) by their total.
///
/// # Remarks
/// Errors for empty input, NaN or ±∞ ([`Error::NotFinite`]), negative weights
/// ([`Error::Negative`]) and a total of zero ([`Error::ZeroTotal`]). The name of the argument in
/// the error is `weights`.
///
/// ```
/// let p = kl::discrete::normalize(&[1.0, 3.0])?;
/// assert_eq!(p, vec![0.25, 0.75]);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn normalize(weights: &[f64]) -> Result<Vec<f64>> {
    normalize_named(weights, "weights")
}

fn normalize_named(weights: &[f64], name: &'static str) -> Result<Vec<f64>> {
    if weights.is_empty() {
        return Err(Error::Empty { name });
    }
    for (index, &value) in weights.iter().enumerate() {
        if !value.is_finite() {
            return Err(Error::NotFinite { name, index, value });
        }
        if value < 0.0 {
            return Err(Error::Negative { name, index, value });
        }
    }
    let total = kernel::sum(weights);
    if total == 0.0 {
        return Err(Error::ZeroTotal { name });
    }
    if !total.is_finite() {
        // Finite weights whose total overflows: scale first, then divide.
        let max = weights.iter().copied().fold(0.0, f64::max);
        let scaled: Vec<f64> = weights.iter().map(|w| w / max).collect();
        let total = kernel::sum(&scaled);
        return Ok(scaled.into_iter().map(|w| w / total).collect());
    }
    Ok(weights.iter().map(|w| w / total).collect())
}

/// [`kl_divergence`] of two weight vectors, each normalised first by [`normalize`].
///
/// This is scipy's `entropy(p, q)` behaviour, made explicit: use it for counts or histograms,
/// never to paper over a probability vector that should already sum to 1.
///
/// ```
/// let kl = kl::discrete::kl_divergence_unnormalized(&[2.0, 2.0], &[9.0, 1.0])?;
/// assert!((kl - 0.510825623765991).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn kl_divergence_unnormalized(p_weights: &[f64], q_weights: &[f64]) -> Result<f64> {
    if p_weights.len() != q_weights.len() {
        return Err(Error::LengthMismatch {
            p_len: p_weights.len(),
            q_len: q_weights.len(),
        });
    }
    let p = normalize_named(p_weights, "p")?;
    let q = normalize_named(q_weights, "q")?;
    kl_divergence(&p, &q)
}

/// How the entries of the vectors (or rows) given to a divergence are expressed.
///
/// | scale | entry | checks |
/// |---|---|---|
/// | `Probabilities` | `pᵢ` | finite, `≥ 0`, `|Σ pᵢ − 1| ≤ `[`SUM_TOLERANCE`] |
/// | `LogProbabilities` | `ln pᵢ` (`−∞` is a zero mass) | not NaN, not `+∞`, `|Σ e^{ln pᵢ} − 1| ≤ `[`SUM_TOLERANCE`] |
/// | `Logits` | `zᵢ`, `pᵢ = softmax(z)ᵢ` | finite (any real, no sum) |
///
/// ```
/// use kl::discrete::{Scale, rows};
/// use ndarray::array;
///
/// let logits = array![[0.0, 0.0], [2.0, 0.0]];
/// let same = rows::kl_divergence(logits.view(), logits.view(), Scale::Logits)?;
/// assert_eq!(same.to_vec(), vec![0.0, 0.0]);
/// # Ok::<(), kl::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Probabilities `pᵢ`, as [`kl_divergence`] takes them.
    Probabilities,
    /// Natural logarithms `ln pᵢ`, as [`kl_divergence_log`] takes them.
    LogProbabilities,
    /// Logits `zᵢ` of `pᵢ = e^{zᵢ} / Σⱼ e^{zⱼ}`, as [`kl_divergence_logits`] takes them.
    Logits,
}

/// [`kl_divergence`] from natural logarithms of the probabilities, `log_p = ln p` and
/// `log_q = ln q`, in nats:
///
/// ```text
/// KL(P‖Q) = Σᵢ e^{aᵢ} (aᵢ − bᵢ),   a = ln p,  b = ln q
/// ```
///
/// # Remarks
/// - `−∞` is a zero mass, with the rules of probabilities: `aᵢ = −∞` contributes 0; `bᵢ = −∞`
///   where `aᵢ > −∞` gives `Ok(f64::INFINITY)`.
/// - NaN or `+∞` is [`Error::NotFinite`] named `log_p` or `log_q` with the index; the masses
///   `e^{aᵢ}` must sum to 1 within [`SUM_TOLERANCE`] ([`Error::NotNormalized`]); empty input and
///   a length mismatch are errors as for [`kl_divergence`].
/// - One pass, like [`kl_divergence`]'s: each term is `pᵢ·φ(bᵢ − aᵢ)` with
///   `φ(d) = eᵈ − 1 − d ≥ 0` taken from its series where `|d| < 0.5`, so where `p ≈ q` the
///   difference of the logarithms, not of the masses, sets the accuracy (and a `q` that would
///   underflow as a probability still counts: `ln q = −800` is no zero).
///
/// ```
/// use kl::discrete::kl_divergence_log;
///
/// let log_p = [0.5f64.ln(), 0.5f64.ln()];
/// let log_q = [0.9f64.ln(), 0.1f64.ln()];
/// let kl = kl_divergence_log(&log_p, &log_q)?;
/// assert!((kl - 0.510825623765991).abs() < 1e-14);
///
/// // ln 0 = −∞ is a zero mass: that outcome contributes nothing.
/// let kl = kl_divergence_log(&[0.0, f64::NEG_INFINITY], &log_p)?;
/// assert!((kl - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn kl_divergence_log(log_p: &[f64], log_q: &[f64]) -> Result<f64> {
    kernel::pair(log_p, log_q, kernel::Term::Kl, Scale::LogProbabilities)
}

/// [`cross_entropy`] from natural logarithms of the probabilities, in nats:
///
/// ```text
/// H(P, Q) = −Σᵢ e^{aᵢ} bᵢ,   a = ln p,  b = ln q
/// ```
///
/// # Remarks
/// The rules of [`kl_divergence_log`]: `aᵢ = −∞` contributes 0, `bᵢ = −∞` under `aᵢ > −∞` gives
/// `+∞`, NaN and `+∞` are errors, `Σ e^{aᵢ}` and `Σ e^{bᵢ}` must be 1 within the tolerance.
///
/// ```
/// use kl::discrete::cross_entropy_log;
///
/// let log_p = [0.25f64.ln(), 0.75f64.ln()];
/// let log_q = [0.5f64.ln(), 0.5f64.ln()];
/// let h = cross_entropy_log(&log_p, &log_q)?;
/// assert!((h - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cross_entropy_log(log_p: &[f64], log_q: &[f64]) -> Result<f64> {
    kernel::pair(
        log_p,
        log_q,
        kernel::Term::CrossEntropy,
        Scale::LogProbabilities,
    )
}

/// [`js_divergence`] from natural logarithms of the probabilities, in nats:
///
/// ```text
/// JS(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M),   M = ½ (e^a + e^b),  a = ln p,  b = ln q
/// ```
///
/// # Remarks
/// Between 0 and `ln 2`, always finite; `−∞` entries are zero masses. Each term is taken from
/// `ln(q/p) = b − a`, without forming `p − q`. Errors as for [`kl_divergence_log`].
///
/// ```
/// use kl::discrete::js_divergence_log;
///
/// let inf = f64::NEG_INFINITY;
/// let js = js_divergence_log(&[0.0, inf], &[inf, 0.0])?;
/// assert!((js - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn js_divergence_log(log_p: &[f64], log_q: &[f64]) -> Result<f64> {
    kernel::pair(
        log_p,
        log_q,
        kernel::Term::JensenShannon,
        Scale::LogProbabilities,
    )
}

/// [`kl_divergence`] of `softmax(logits_p)` from `softmax(logits_q)`, in nats:
///
/// ```text
/// KL = Σᵢ pᵢ (aᵢ − bᵢ),   a = z − lse(z),  b = w − lse(w),  p = eᵃ,
/// lse(z) = m + ln Σᵢ e^{zᵢ − m},  m = maxᵢ zᵢ
/// ```
///
/// # Remarks
/// - Logits are any finite reals (NaN or ±∞: [`Error::NotFinite`] named `logits_p` or
///   `logits_q`), and adding a constant to one of them changes nothing.
/// - The log-softmax is done stably: the maximum is subtracted before `exp`, so no term
///   overflows; a pass finds the maximum and checks, a second sums `e^{zᵢ − m}`, then the pass of
///   [`kl_divergence_log`] subtracts `lse` on the fly (no temporary vector).
///
/// ```
/// use kl::discrete::kl_divergence_logits;
///
/// // softmax(0, 0) = (0.5, 0.5), softmax(ln 9, 0) = (0.9, 0.1).
/// let kl = kl_divergence_logits(&[0.0, 0.0], &[9f64.ln(), 0.0])?;
/// assert!((kl - 0.510825623765991).abs() < 1e-14);
/// // Shifting the logits by 1000 changes nothing (no overflow).
/// let far = kl_divergence_logits(&[1000.0, 1000.0], &[1000.0 + 9f64.ln(), 1000.0])?;
/// assert!((far - kl).abs() < 1e-12);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn kl_divergence_logits(logits_p: &[f64], logits_q: &[f64]) -> Result<f64> {
    kernel::pair(logits_p, logits_q, kernel::Term::Kl, Scale::Logits)
}

/// [`cross_entropy`] of `softmax(logits_q)` relative to `softmax(logits_p)`, in nats:
/// `H = −Σᵢ pᵢ bᵢ` with `p = softmax(logits_p)`, `b = log_softmax(logits_q)`.
///
/// # Remarks
/// As [`kl_divergence_logits`]. For a target given as probabilities and a model as logits
/// (the classification loss), use [`cross_entropy_logits_gradient`].
///
/// ```
/// use kl::discrete::cross_entropy_logits;
///
/// // softmax(0, ln 3) = (0.25, 0.75) against the uniform (0.5, 0.5).
/// let h = cross_entropy_logits(&[0.0, 3f64.ln()], &[7.0, 7.0])?;
/// assert!((h - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cross_entropy_logits(logits_p: &[f64], logits_q: &[f64]) -> Result<f64> {
    kernel::pair(
        logits_p,
        logits_q,
        kernel::Term::CrossEntropy,
        Scale::Logits,
    )
}

/// [`js_divergence`] of `softmax(logits_p)` and `softmax(logits_q)`, in nats.
///
/// # Remarks
/// As [`kl_divergence_logits`]; the result lies in `[0, ln 2)` (softmax never gives a zero, so
/// `ln 2` is approached, not reached).
///
/// ```
/// use kl::discrete::{js_divergence, js_divergence_logits};
///
/// let js = js_divergence_logits(&[0.0, 0.0], &[9f64.ln(), 0.0])?;
/// let same = js_divergence(&[0.5, 0.5], &[0.9, 0.1])?;
/// assert!((js - same).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn js_divergence_logits(logits_p: &[f64], logits_q: &[f64]) -> Result<f64> {
    kernel::pair(
        logits_p,
        logits_q,
        kernel::Term::JensenShannon,
        Scale::Logits,
    )
}

/// The log-softmax of finite logits, computed stably:
///
/// ```text
/// log_softmax(z)ᵢ = zᵢ − lse(z),   lse(z) = m + ln Σⱼ e^{zⱼ − m},  m = maxⱼ zⱼ
/// ```
///
/// # Remarks
/// Empty input is [`Error::Empty`], NaN or ±∞ [`Error::NotFinite`] (both named `logits`). Every
/// entry is `≤ 0` and none is `−∞` unless `zᵢ − m` is below about −1.8e308.
///
/// ```
/// let ls = kl::discrete::log_softmax(&[0.0, 3f64.ln()])?;
/// assert!((ls[0] - 0.25f64.ln()).abs() < 1e-15 && (ls[1] - 0.75f64.ln()).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn log_softmax(logits: &[f64]) -> Result<Vec<f64>> {
    let lse = kernel::log_sum_exp(logits, "logits")?;
    Ok(logits.iter().map(|z| z - lse).collect())
}

/// The softmax of finite logits, `softmax(z)ᵢ = e^{zᵢ − lse(z)}` (see [`log_softmax`]): a
/// probability vector, summing to 1 to rounding.
///
/// ```
/// let p = kl::discrete::softmax(&[1000.0, 1000.0 + 3f64.ln()])?;
/// assert!((p[0] - 0.25).abs() < 1e-13 && (p[1] - 0.75).abs() < 1e-13);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn softmax(logits: &[f64]) -> Result<Vec<f64>> {
    Ok(log_softmax(logits)?.into_iter().map(f64::exp).collect())
}

/// `KL(p ‖ softmax(z))` and its gradient with respect to the logits `z`, written by hand:
///
/// ```text
/// L(z)     = Σᵢ pᵢ ln pᵢ − Σᵢ pᵢ (zᵢ − lse(z))
/// ∂L/∂z_k  = −p_k + softmax(z)_k Σᵢ pᵢ = softmax(z)_k − p_k
/// ```
///
/// # Remarks
/// - `p` is a probability vector (the rules of [`kl_divergence`]: finite, non-negative, sum 1
///   within [`SUM_TOLERANCE`], errors named `p`); `logits` any finite reals (errors named
///   `logits`); different lengths are [`Error::LengthMismatch`].
/// - The gradient is finite everywhere, also where `pᵢ = 0` (there it is `softmax(z)ᵢ > 0`:
///   mass the model should give back), and it is the gradient of [`cross_entropy_logits_gradient`]
///   too: the two losses differ by `H(p)`, which does not depend on `z`.
/// - A `p` within the tolerance of 1 but not exactly is read as `p/Σp`, in the value and in
///   the gradient alike.
/// - The value is [`kl_divergence_log`] of `ln p` and `log_softmax(z)`, so a probability that
///   softmax would round to 0 still gives a finite value.
///
/// ```
/// use kl::discrete::kl_divergence_logits_gradient;
///
/// // A one-hot target and a model that knows nothing: KL = ln 3.
/// let (kl, grad) = kl_divergence_logits_gradient(&[1.0, 0.0, 0.0], &[0.0, 0.0, 0.0])?;
/// assert!((kl - 3f64.ln()).abs() < 1e-15);
/// assert!((grad[0] + 2.0 / 3.0).abs() < 1e-15 && (grad[1] - 1.0 / 3.0).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn kl_divergence_logits_gradient(p: &[f64], logits: &[f64]) -> Result<(f64, Vec<f64>)> {
    logit_loss(p, logits, kernel::Term::Kl)
}

/// The cross-entropy loss `H(p, softmax(z))` and its gradient with respect to the logits `z`:
///
/// ```text
/// L(z)     = −Σᵢ pᵢ (zᵢ − lse(z)) = H(p) + KL(p ‖ softmax(z))
/// ∂L/∂z_k  = softmax(z)_k − p_k
/// ```
///
/// # Remarks
/// The loss of softmax classification (with a one-hot `p`, `−ln softmax(z)_label`); the rules
/// of [`kl_divergence_logits_gradient`], whose gradient this is too.
///
/// ```
/// use kl::discrete::cross_entropy_logits_gradient;
///
/// let (h, grad) = cross_entropy_logits_gradient(&[0.5, 0.5], &[0.0, 0.0])?;
/// assert!((h - std::f64::consts::LN_2).abs() < 1e-15);
/// assert_eq!(grad, vec![0.0, 0.0]);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cross_entropy_logits_gradient(p: &[f64], logits: &[f64]) -> Result<(f64, Vec<f64>)> {
    logit_loss(p, logits, kernel::Term::CrossEntropy)
}

fn logit_loss(p: &[f64], logits: &[f64], kind: kernel::Term) -> Result<(f64, Vec<f64>)> {
    if !p.is_empty() && !logits.is_empty() && p.len() != logits.len() {
        return Err(Error::LengthMismatch {
            p_len: p.len(),
            q_len: logits.len(),
        });
    }
    let total = kernel::check_probabilities(p)?;
    let log_q = log_softmax(logits)?;
    // ln 0 = −∞ is a zero mass for the log-space kernel.
    let log_p: Vec<f64> = p.iter().map(|x| x.ln()).collect();
    let value = kernel::pair(&log_p, &log_q, kind, Scale::LogProbabilities)?;
    let gradient = log_q
        .iter()
        .zip(p)
        .map(|(b, pi)| b.exp() - pi / total)
        .collect();
    Ok((value, gradient))
}

/// The same functions for one-dimensional `ndarray` views.
///
/// Contiguous views are read in place; strided views (a column of a row-major matrix, a
/// reversed view) are copied once into a vector first. Results and errors are those of the
/// slice functions.
///
/// ```
/// use ndarray::array;
///
/// let p = array![0.5, 0.5];
/// let q = array![0.9, 0.1];
/// let kl = kl::discrete::views::kl_divergence(p.view(), q.view())?;
/// assert!((kl - 0.510825623765991).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub mod views {
    use std::borrow::Cow;

    use ndarray::ArrayView1;

    use crate::error::Result;

    fn slice<'a>(v: &'a ArrayView1<'_, f64>) -> Cow<'a, [f64]> {
        match v.as_slice() {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(v.to_vec()),
        }
    }

    /// [`super::kl_divergence`] on views.
    pub fn kl_divergence(p: ArrayView1<'_, f64>, q: ArrayView1<'_, f64>) -> Result<f64> {
        super::kl_divergence(&slice(&p), &slice(&q))
    }

    /// [`super::cross_entropy`] on views.
    pub fn cross_entropy(p: ArrayView1<'_, f64>, q: ArrayView1<'_, f64>) -> Result<f64> {
        super::cross_entropy(&slice(&p), &slice(&q))
    }

    /// [`super::entropy`] on a view.
    pub fn entropy(p: ArrayView1<'_, f64>) -> Result<f64> {
        super::entropy(&slice(&p))
    }

    /// [`super::js_divergence`] on views.
    pub fn js_divergence(p: ArrayView1<'_, f64>, q: ArrayView1<'_, f64>) -> Result<f64> {
        super::js_divergence(&slice(&p), &slice(&q))
    }
}

mod kernel;
pub mod rows;

#[cfg(test)]
mod tests {
    use std::f64::consts::LN_2;

    use super::*;

    /// Values computed with scipy 1.17.1: `scipy.special.rel_entr(p, q).sum()`.
    #[test]
    fn matches_scipy_rel_entr() {
        let cases: [(&[f64], &[f64], f64); 3] = [
            (&[0.5, 0.5], &[0.9, 0.1], 0.5108256237659906),
            (
                &[0.1, 0.2, 0.3, 0.4],
                &[0.25, 0.25, 0.25, 0.25],
                0.10644013528622315,
            ),
            (&[0.36, 0.48, 0.16], &[1.0 / 3.0; 3], 0.08529960131837057),
        ];
        for (p, q, expected) in cases {
            let got = kl_divergence(p, q).unwrap();
            assert!(
                ((got - expected) / expected).abs() <= 1e-12,
                "{got} vs {expected}"
            );
        }
    }

    #[test]
    fn zero_in_p_contributes_nothing_even_against_zero_in_q() {
        let kl = kl_divergence(&[0.0, 1.0], &[0.0, 1.0]).unwrap();
        assert_eq!(kl, 0.0);
        let kl = kl_divergence(&[0.0, 0.5, 0.5], &[0.5, 0.25, 0.25]).unwrap();
        assert!((kl - LN_2).abs() < 1e-15);
    }

    #[test]
    fn zero_in_q_under_mass_of_p_is_infinite() {
        assert_eq!(
            kl_divergence(&[0.5, 0.5], &[1.0, 0.0]).unwrap(),
            f64::INFINITY
        );
        assert_eq!(
            cross_entropy(&[0.5, 0.5], &[1.0, 0.0]).unwrap(),
            f64::INFINITY
        );
        // JS stays finite.
        let js = js_divergence(&[0.5, 0.5], &[1.0, 0.0]).unwrap();
        assert!(js.is_finite() && js > 0.0);
    }

    #[test]
    fn subnormal_q_gives_a_large_finite_term_not_overflow() {
        let q0 = 1e-310;
        let kl = kl_divergence(&[0.5, 0.5], &[q0, 1.0 - q0]).unwrap();
        let expected = 0.5 * (0.5f64.ln() - q0.ln()) + 0.5 * (0.5f64).ln();
        assert!(((kl - expected) / expected).abs() < 1e-14);
    }

    #[test]
    fn empty_input_is_an_error() {
        assert_eq!(kl_divergence(&[], &[]), Err(Error::Empty { name: "p" }));
        assert_eq!(kl_divergence(&[1.0], &[]), Err(Error::Empty { name: "q" }));
        assert_eq!(entropy(&[]), Err(Error::Empty { name: "p" }));
        assert_eq!(normalize(&[]), Err(Error::Empty { name: "weights" }));
    }

    #[test]
    fn length_mismatch_names_both_lengths() {
        let err = kl_divergence(&[0.5, 0.5], &[0.2, 0.3, 0.5]).unwrap_err();
        assert_eq!(err, Error::LengthMismatch { p_len: 2, q_len: 3 });
        let msg = err.to_string();
        assert!(msg.contains('2') && msg.contains('3'), "{msg}");
    }

    #[test]
    fn non_finite_entries_name_the_index() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = kl_divergence(&[0.5, 0.5], &[0.5, bad]).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::NotFinite {
                        name: "q",
                        index: 1,
                        ..
                    }
                ),
                "{err:?}"
            );
            let err = js_divergence(&[bad, 0.5], &[0.5, 0.5]).unwrap_err();
            assert!(matches!(
                err,
                Error::NotFinite {
                    name: "p",
                    index: 0,
                    ..
                }
            ));
            let err = entropy(&[0.5, 0.5, bad]).unwrap_err();
            assert!(matches!(
                err,
                Error::NotFinite {
                    name: "p",
                    index: 2,
                    ..
                }
            ));
        }
        let msg = kl_divergence(&[0.5, f64::NAN], &[0.5, 0.5])
            .unwrap_err()
            .to_string();
        assert!(msg.contains("p[1]") && msg.contains("NaN"), "{msg}");
    }

    #[test]
    fn negative_mass_names_the_index() {
        let err = kl_divergence(&[1.2, -0.2], &[0.5, 0.5]).unwrap_err();
        assert_eq!(
            err,
            Error::Negative {
                name: "p",
                index: 1,
                value: -0.2
            }
        );
        let err = cross_entropy(&[0.5, 0.5], &[-0.5, 1.5]).unwrap_err();
        assert!(matches!(
            err,
            Error::Negative {
                name: "q",
                index: 0,
                ..
            }
        ));
        let err = normalize(&[1.0, -1.0, 3.0]).unwrap_err();
        assert!(matches!(err, Error::Negative { index: 1, .. }));
    }

    #[test]
    fn unnormalised_input_says_the_sum() {
        let err = kl_divergence(&[0.5, 0.6], &[0.5, 0.5]).unwrap_err();
        match err {
            Error::NotNormalized { name, sum, .. } => {
                assert_eq!(name, "p");
                assert!((sum - 1.1).abs() < 1e-12);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            kl_divergence(&[0.5, 0.5], &[3.0, 1.0]),
            Err(Error::NotNormalized { name: "q", .. })
        ));
        assert!(matches!(
            entropy(&[0.2, 0.2]),
            Err(Error::NotNormalized { .. })
        ));
        // Within the tolerance is fine; just outside is not.
        assert!(kl_divergence(&[0.5 + 4e-7, 0.5], &[0.5, 0.5]).is_ok());
        assert!(kl_divergence(&[0.5 + 2e-6, 0.5], &[0.5, 0.5]).is_err());
        // Ten tenths do not add to exactly 1 in floating point, and must pass.
        assert!(entropy(&[0.1; 10]).is_ok());
    }

    #[test]
    fn normalize_rejects_zero_total_and_handles_overflowing_totals() {
        assert_eq!(
            normalize(&[0.0, 0.0]),
            Err(Error::ZeroTotal { name: "weights" })
        );
        let p = normalize(&[f64::MAX, f64::MAX]).unwrap();
        assert_eq!(p, vec![0.5, 0.5]);
        assert!(matches!(
            kl_divergence_unnormalized(&[1.0, 2.0], &[1.0]),
            Err(Error::LengthMismatch { p_len: 2, q_len: 1 })
        ));
        assert_eq!(
            kl_divergence_unnormalized(&[0.0, 0.0], &[1.0, 1.0]),
            Err(Error::ZeroTotal { name: "p" })
        );
    }

    #[test]
    fn views_of_strided_arrays_work() {
        let m = ndarray::array![[0.5, 0.9], [0.5, 0.1]];
        let kl = views::kl_divergence(m.column(0), m.column(1)).unwrap();
        assert!((kl - 0.5108256237659907).abs() < 1e-15);
        assert!((views::entropy(m.column(0)).unwrap() - LN_2).abs() < 1e-15);
        let ce = views::cross_entropy(m.column(0), m.column(1)).unwrap();
        assert!((ce - kl - LN_2).abs() < 1e-15);
        let js = views::js_divergence(m.column(0), m.column(1)).unwrap();
        assert!((js - js_divergence(&[0.5, 0.5], &[0.9, 0.1]).unwrap()).abs() < 1e-15);
    }

    #[test]
    fn bits_are_nats_over_ln2() {
        assert!((nats_to_bits(LN_2) - 1.0).abs() < 1e-15);
        assert_eq!(nats_to_bits(f64::INFINITY), f64::INFINITY);
    }
}
