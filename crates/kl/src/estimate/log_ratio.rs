//! Schulman's estimators k1, k2 and k3 (documented with `kl::estimate`).

use crate::error::{Error, Result};
use crate::numeric::Estimate;

/// The three estimates of `KL(Q‖P)` from the same draws, each with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogRatioEstimates {
    /// Mean of `k1 = −ln r`: unbiased for `KL(Q‖P)`.
    pub k1: Estimate,
    /// Mean of `k2 = ½ (ln r)²`: biased for `KL(Q‖P)` (see the [module docs](crate::estimate)).
    pub k2: Estimate,
    /// Mean of `k3 = (r − 1) − ln r`: unbiased for `KL(Q‖P)` when `p = 0` wherever `q = 0`.
    pub k3: Estimate,
    /// The number of draws.
    pub n: usize,
}

/// k1 of one draw: `−ln r`.
///
/// ```
/// assert_eq!(kl::estimate::k1(-0.5), 0.5);
/// ```
pub fn k1(ln_r: f64) -> f64 {
    -ln_r
}

/// k2 of one draw: `½ (ln r)²`.
///
/// ```
/// assert_eq!(kl::estimate::k2(-0.5), 0.125);
/// ```
pub fn k2(ln_r: f64) -> f64 {
    0.5 * ln_r * ln_r
}

/// k3 of one draw: `(r − 1) − ln r` with `r = e^{ln r}`, computed without forming `r − 1` by
/// subtraction: `expm1(ln r) − ln r`, and the series `Σ_{j≥2} (ln r)ʲ / j!` for
/// `|ln r| < 0.01`, where the difference would cancel. Never negative (`eᵗ − 1 − t ≥ 0`);
/// `ln r = −∞` gives `+∞`, and so does `ln r > 709.78` (and `ln r = +∞`).
///
/// ```
/// let t: f64 = 1e-9;
/// // t²/2 + t³/6 to full precision; (t.exp() − 1.0) − t keeps no correct digit here.
/// let want = 0.5 * t * t * (1.0 + t / 3.0);
/// assert!((kl::estimate::k3(t) / want - 1.0).abs() < 1e-15);
/// assert!(((t.exp() - 1.0) - t) / want - 1.0 > 0.1);
/// assert_eq!(kl::estimate::k3(f64::NEG_INFINITY), f64::INFINITY);
/// assert_eq!(kl::estimate::k3(800.0), f64::INFINITY);
/// assert_eq!(kl::estimate::k3(f64::INFINITY), f64::INFINITY);
/// ```
pub fn k3(ln_r: f64) -> f64 {
    let t = ln_r;
    if t.abs() < 0.01 {
        // t²/2! + t³/3! + … + t⁸/8!: the next term is below 1e-16 of the first.
        let mut sum = 0.0;
        for j in (2..=8).rev() {
            sum = (sum + 1.0) * t / j as f64;
        }
        // Horner with one factor of t too few: sum = t/2 (1 + t/3 (1 + …)); multiply once more.
        return sum * t;
    }
    if t == f64::INFINITY {
        // e^t − t − 1 grows without bound; expm1(∞) − ∞ would be NaN.
        return f64::INFINITY;
    }
    t.exp_m1() - t
}

/// k1, k2 and k3 from the log-densities at draws `xᵢ ~ Q`: `ln_p[i] = ln p(xᵢ)` and
/// `ln_q[i] = ln q(xᵢ)`; each mean estimates `KL(Q‖P) = E_Q[ln q(X) − ln p(X)]` in nats:
///
/// ```text
/// ln rᵢ = ln_p[i] − ln_q[i]
/// k̂ = (1/n) Σᵢ kᵢ,     standard error = s / √n,   s² = Σᵢ (kᵢ − k̂)² / (n − 1)
/// ```
///
/// # Remarks
/// - The draws must come from `Q`, the distribution in the **first** slot of the divergence:
///   swap the roles and you estimate the other direction. k1 and k3 are unbiased for
///   `KL(Q‖P)` (k3 when `p = 0` wherever `q = 0`); k2 is biased. See the [module docs](crate::estimate).
/// - `ln_q` must be finite (a draw of `Q` has `q(x) > 0`). `ln_p` may be `−∞` (`P` rules the
///   draw out: every estimate is `+∞`, as `KL(Q‖P)` is), never NaN or `+∞`.
/// - A standard error is `+∞` when its mean is infinite or its terms' spread overflows.
/// - Errors, never panics: fewer than 2 draws is [`Error::TooFewSamples`]; lengths that
///   differ are [`Error::LengthMismatch`] (`p_len` is `ln_p`'s); NaN, `±∞` in `ln_q` or NaN,
///   `+∞` in `ln_p` is [`Error::NotFinite`] with the index; a log-ratio that overflows to
///   `+∞` from finite inputs is [`Error::LogRatioOverflow`].
///
/// ```
/// use kl::estimate::log_ratio_estimates;
///
/// // Q = N(0, 1) sampled at four points, P = N(1, 1): ln r = x − ½.
/// let x = [-1.0, -0.25, 0.25, 1.0];
/// let ln_q: Vec<f64> = x.iter().map(|x: &f64| -0.5 * x * x).collect();
/// let ln_p: Vec<f64> = x.iter().map(|x: &f64| -0.5 * (x - 1.0) * (x - 1.0)).collect();
/// let e = log_ratio_estimates(&ln_p, &ln_q)?;
/// assert!((e.k1.value - 0.5).abs() < 1e-15);        // mean of ½ − x: the draws average 0
/// assert!(e.k2.value > 0.0 && e.k3.value > 0.0);
/// assert_eq!(e.n, 4);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn log_ratio_estimates(ln_p: &[f64], ln_q: &[f64]) -> Result<LogRatioEstimates> {
    if ln_p.len() != ln_q.len() {
        return Err(Error::LengthMismatch {
            p_len: ln_p.len(),
            q_len: ln_q.len(),
        });
    }
    let n = ln_q.len();
    if n < 2 {
        return Err(Error::TooFewSamples {
            name: "ln_q",
            got: n,
            needed: 2,
        });
    }
    let mut ln_r = Vec::with_capacity(n);
    for (index, (&lp, &lq)) in ln_p.iter().zip(ln_q).enumerate() {
        if !lq.is_finite() {
            return Err(Error::NotFinite {
                name: "ln_q",
                index,
                value: lq,
            });
        }
        if lp.is_nan() || lp == f64::INFINITY {
            return Err(Error::NotFinite {
                name: "ln_p",
                index,
                value: lp,
            });
        }
        let t = lp - lq;
        if t == f64::INFINITY {
            return Err(Error::LogRatioOverflow {
                index,
                ln_p: lp,
                ln_q: lq,
            });
        }
        ln_r.push(t);
    }
    Ok(LogRatioEstimates {
        k1: mean_and_error(ln_r.iter().map(|&t| k1(t)), n),
        k2: mean_and_error(ln_r.iter().map(|&t| k2(t)), n),
        k3: mean_and_error(ln_r.iter().map(|&t| k3(t)), n),
        n,
    })
}

/// The mean of `n ≥ 2` terms in `(−∞, +∞]` and its standard error `s/√n`; never NaN.
fn mean_and_error(terms: impl Iterator<Item = f64> + Clone, n: usize) -> Estimate {
    let count = n as f64;
    let mean = terms.clone().sum::<f64>() / count;
    if !mean.is_finite() {
        return Estimate {
            value: mean,
            error: f64::INFINITY,
        };
    }
    let ss: f64 = terms.map(|k| (k - mean) * (k - mean)).sum();
    Estimate {
        value: mean,
        error: (ss / (count - 1.0) / count).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k3_series_and_expm1_meet_at_the_switch() {
        for t in [0.009_999_999, -0.009_999_999] {
            let series = k3(t);
            let direct = t.exp_m1() - t;
            assert!(
                (series / direct - 1.0).abs() < 1e-12,
                "{series} vs {direct}"
            );
        }
        assert_eq!(k3(0.0), 0.0);
    }
}
