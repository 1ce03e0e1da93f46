//! The divergences of [`super`] row by row over two 2-D `ndarray` arrays: one value per row
//! (row `i` of `p` against row `i` of `q`), or their mean, for probabilities,
//! log-probabilities or logits ([`Scale`]).
//!
//! Each row goes through the same single pass as the slice functions, with the same checks;
//! an error names its row ([`Error::InRow`], wrapping the slice function's error with the
//! column index). Contiguous rows (a row-major array) are read in place, others copied once.
//! Batches of at least 2^17 entries run their rows in parallel (rayon); each row's value does
//! not depend on the thread count, and the mean is summed in row order.
//!
//! ```
//! use kl::discrete::{Scale, rows};
//! use ndarray::array;
//!
//! let p = array![[0.5, 0.5], [0.25, 0.75]];
//! let q = array![[0.9, 0.1], [0.5, 0.5]];
//! let kl = rows::kl_divergence(p.view(), q.view(), Scale::Probabilities)?;
//! assert!((kl[0] - 0.510825623765991).abs() < 1e-15);
//! let mean = rows::kl_divergence_mean(p.view(), q.view(), Scale::Probabilities)?;
//! assert!((mean - (kl[0] + kl[1]) / 2.0).abs() < 1e-15);
//! # Ok::<(), kl::Error>(())
//! ```

use std::borrow::Cow;

use ndarray::{Array1, ArrayView1, ArrayView2};
use rayon::iter::{IntoParallelIterator, ParallelIterator};

use super::Scale;
use super::kernel::{self, PARALLEL_MIN, Term};
use crate::error::{Error, Result};

/// [`super::kl_divergence`] (or its `_log`, `_logits` form, by `scale`) of row `i` of `q`
/// from row `i` of `p`, for every row:
///
/// ```text
/// out[i] = KL(P_i ‖ Q_i) = Σⱼ p_ij ln(p_ij / q_ij)
/// ```
///
/// # Errors
/// Arrays of different shapes: [`Error::ShapeMismatch`]; no rows: [`Error::Empty`]; a bad
/// entry or sum: [`Error::InRow`] with the row and the slice function's error (its index is
/// the column).
///
/// ```
/// use kl::discrete::{Scale, rows};
/// use ndarray::array;
///
/// let log_p = array![[0.0, f64::NEG_INFINITY]];
/// let log_q = array![[0.5f64.ln(), 0.5f64.ln()]];
/// let kl = rows::kl_divergence(log_p.view(), log_q.view(), Scale::LogProbabilities)?;
/// assert!((kl[0] - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn kl_divergence(
    p: ArrayView2<'_, f64>,
    q: ArrayView2<'_, f64>,
    scale: Scale,
) -> Result<Array1<f64>> {
    per_row(p, q, Term::Kl, scale)
}

/// [`super::cross_entropy`] (by `scale`) row by row: `out[i] = H(P_i, Q_i) = −Σⱼ p_ij ln q_ij`.
///
/// # Errors
/// As [`kl_divergence`].
///
/// ```
/// use kl::discrete::{Scale, rows};
/// use ndarray::array;
///
/// let logits = array![[0.0, 3f64.ln()]];
/// let uniform = array![[5.0, 5.0]];
/// let h = rows::cross_entropy(logits.view(), uniform.view(), Scale::Logits)?;
/// assert!((h[0] - std::f64::consts::LN_2).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cross_entropy(
    p: ArrayView2<'_, f64>,
    q: ArrayView2<'_, f64>,
    scale: Scale,
) -> Result<Array1<f64>> {
    per_row(p, q, Term::CrossEntropy, scale)
}

/// [`super::js_divergence`] (by `scale`) row by row: `out[i] = JS(P_i, Q_i)`, each in
/// `[0, ln 2]`.
///
/// # Errors
/// As [`kl_divergence`].
///
/// ```
/// use kl::discrete::{Scale, rows};
/// use ndarray::array;
///
/// let p = array![[1.0, 0.0], [0.5, 0.5]];
/// let js = rows::js_divergence(p.view(), p.view(), Scale::Probabilities)?;
/// assert_eq!(js.to_vec(), vec![0.0, 0.0]);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn js_divergence(
    p: ArrayView2<'_, f64>,
    q: ArrayView2<'_, f64>,
    scale: Scale,
) -> Result<Array1<f64>> {
    per_row(p, q, Term::JensenShannon, scale)
}

/// The mean over rows of [`kl_divergence`]: `(1/n) Σᵢ KL(P_i ‖ Q_i)` (torch's `kl_div` with
/// `reduction="batchmean"`), `+∞` if a row's is.
///
/// ```
/// use kl::discrete::{Scale, rows};
/// use ndarray::array;
///
/// let p = array![[0.5, 0.5], [0.5, 0.5]];
/// let q = array![[0.9, 0.1], [0.5, 0.5]];
/// let mean = rows::kl_divergence_mean(p.view(), q.view(), Scale::Probabilities)?;
/// assert!((mean - 0.510825623765991 / 2.0).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn kl_divergence_mean(
    p: ArrayView2<'_, f64>,
    q: ArrayView2<'_, f64>,
    scale: Scale,
) -> Result<f64> {
    Ok(mean(&per_row(p, q, Term::Kl, scale)?))
}

/// The mean over rows of [`cross_entropy`]: `(1/n) Σᵢ H(P_i, Q_i)`, `+∞` if a row's is.
///
/// Both arrays are read in the one `scale`; for one-hot labels against a model's logits (the
/// classification loss) use [`super::cross_entropy_logits_gradient`] row by row.
///
/// ```
/// use kl::discrete::{Scale, rows};
/// use ndarray::array;
///
/// let p = array![[0.0, f64::NEG_INFINITY], [0.5f64.ln(), 0.5f64.ln()]];
/// let q = array![[0.5f64.ln(), 0.5f64.ln()], [0.5f64.ln(), 0.5f64.ln()]];
/// let h = rows::cross_entropy_mean(p.view(), q.view(), Scale::LogProbabilities)?;
/// assert!((h - std::f64::consts::LN_2).abs() < 1e-15);
/// // Log-probabilities are checked like probabilities: masses summing to 2 are refused.
/// let twice = array![[0.0, 0.0]];
/// let one = array![[0.0, f64::NEG_INFINITY]];
/// assert!(rows::cross_entropy_mean(one.view(), twice.view(), Scale::LogProbabilities).is_err());
/// # Ok::<(), kl::Error>(())
/// ```
pub fn cross_entropy_mean(
    p: ArrayView2<'_, f64>,
    q: ArrayView2<'_, f64>,
    scale: Scale,
) -> Result<f64> {
    Ok(mean(&per_row(p, q, Term::CrossEntropy, scale)?))
}

/// The mean over rows of [`js_divergence`].
///
/// ```
/// use kl::discrete::{Scale, rows};
/// use ndarray::array;
///
/// let p = array![[1.0, 0.0], [0.5, 0.5]];
/// let q = array![[0.0, 1.0], [0.5, 0.5]];
/// let js = rows::js_divergence_mean(p.view(), q.view(), Scale::Probabilities)?;
/// assert!((js - std::f64::consts::LN_2 / 2.0).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn js_divergence_mean(
    p: ArrayView2<'_, f64>,
    q: ArrayView2<'_, f64>,
    scale: Scale,
) -> Result<f64> {
    Ok(mean(&per_row(p, q, Term::JensenShannon, scale)?))
}

/// The mean in row order, by a compensated sum; `+∞` if a value is (the compensation of an
/// infinite sum would be NaN).
fn mean(values: &Array1<f64>) -> f64 {
    if values.iter().any(|v| v.is_infinite()) {
        return f64::INFINITY;
    }
    let slice = values.as_slice().unwrap_or(&[]);
    kernel::sum(slice) / values.len() as f64
}

fn slice<'a>(v: &'a ArrayView1<'_, f64>) -> Cow<'a, [f64]> {
    match v.as_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(v.to_vec()),
    }
}

fn per_row(
    p: ArrayView2<'_, f64>,
    q: ArrayView2<'_, f64>,
    kind: Term,
    scale: Scale,
) -> Result<Array1<f64>> {
    if p.dim() != q.dim() {
        return Err(Error::ShapeMismatch {
            p_shape: [p.nrows(), p.ncols()],
            q_shape: [q.nrows(), q.ncols()],
        });
    }
    if p.nrows() == 0 {
        return Err(Error::Empty { name: "p" });
    }
    let one = |i: usize| {
        let (pr, qr) = (p.row(i), q.row(i));
        kernel::pair(&slice(&pr), &slice(&qr), kind, scale).map_err(|e| Error::InRow {
            row: i,
            source: Box::new(e),
        })
    };
    let values: Vec<Result<f64>> = if p.len() >= PARALLEL_MIN && p.nrows() > 1 {
        (0..p.nrows()).into_par_iter().map(one).collect()
    } else {
        (0..p.nrows()).map(one).collect()
    };
    // The first bad row in row order, whichever thread found it.
    values
        .into_iter()
        .collect::<Result<Vec<f64>>>()
        .map(Array1::from)
}
