//! The fused pass over the grid that every problem of [`super`] evaluates, and the pieces it
//! shares: the grid, the target's moments, the model's masses, the input rules.
//!
//! Everything that does not depend on θ is computed once, by the constructors: the target's
//! moments (`ForwardKl`, `OriginalForwardKl`), ln p (`ReverseKl`), and whether the grid is
//! sorted. An evaluation then makes one pass over the grid (two for an unsorted grid, whose
//! nearest point to μ takes a scan; a sorted one takes a binary search). The pass computes one
//! exponential per point, with the branch-free `exp` of `crate::simd::exp`, eight lanes at a
//! time, on the widest vector unit of the running CPU (`crate::simd::fast`). Each lane sums at
//! most `BLOCK / LANES` terms, the lanes fold by a fixed tree and the blocks go into Neumaier's
//! compensated sum, so the rounding of the sums does not grow with the length of the grid. No
//! fused multiply-add anywhere: every build returns the same bits. A loss alone sums only the
//! terms it needs, in the same order, so it has the same bits as the loss of
//! `loss_and_gradient`.

use nalgebra::Vector2;

use crate::discrete::SUM_TOLERANCE;
use crate::error::{Error, Result, check_all_finite};
use crate::simd;
use crate::simd::sum::{LANES, Neumaier, fold};

/// Points per block: each lane adds at most 32 terms before the block's sums are compensated.
const BLOCK: usize = 256;

/// The grid's points, and whether they are sorted (then the point nearest μ is a binary search).
#[derive(Debug, Clone)]
pub(super) struct Grid {
    pub(super) points: Vec<f64>,
    pub(super) sorted: bool,
}

impl Grid {
    pub(super) fn new(x: &[f64]) -> Self {
        Grid {
            points: x.to_vec(),
            sorted: x.windows(2).all(|w| w[0] <= w[1]),
        }
    }

    /// `min_i (x_i − μ)²`, as [`nearest_squared_distance`] computes it. On a sorted grid the
    /// nearest point is one of the two around μ: `x_i − μ` rounds monotonically in `x_i`, so
    /// the rounded squares are monotone on each side of μ, and the result has the same bits as
    /// the scan's.
    pub(super) fn nearest_squared_distance(&self, mu: f64) -> f64 {
        let x = &self.points;
        if !self.sorted {
            return dispatch_nearest(x, mu);
        }
        let i = x.partition_point(|&xi| xi < mu);
        let below = i.checked_sub(1).map(|j| (x[j] - mu) * (x[j] - mu));
        let above = x.get(i).map(|&xi| (xi - mu) * (xi - mu));
        below.into_iter().chain(above).fold(f64::INFINITY, f64::min)
    }
}

/// What [`ForwardKl`] and [`OriginalForwardKl`] need of the target, computed once.
#[derive(Debug, Clone)]
pub(super) struct TargetMoments {
    pub(super) x: Grid,
    /// `P = Σ p_i`.
    pub(super) mass: f64,
    /// `Σ p_i ln p_i` over `p_i > 0`.
    pub(super) mass_ln_mass: f64,
    /// `E_p̃[x] = Σ p_i x_i / P`.
    pub(super) mean: f64,
    /// `Var_p̃[x] = Σ p_i (x_i − mean)² / P`.
    pub(super) variance: f64,
}

impl TargetMoments {
    pub(super) fn new(x: &[f64], p: &[f64]) -> Self {
        let mass: f64 = p.iter().sum();
        let mass_ln_mass = p
            .iter()
            .filter(|&&pi| pi > 0.0)
            .map(|&pi| pi * pi.ln())
            .sum();
        let (mean, variance) = if mass > 0.0 {
            let mean = x.iter().zip(p).map(|(xi, pi)| pi * xi).sum::<f64>() / mass;
            let variance = x
                .iter()
                .zip(p)
                .map(|(xi, pi)| pi * (xi - mean) * (xi - mean))
                .sum::<f64>()
                / mass;
            (mean, variance)
        } else {
            (0.0, 0.0)
        };
        TargetMoments {
            x: Grid::new(x),
            mass,
            mass_ln_mass,
            mean,
            variance,
        }
    }
}

impl TargetMoments {
    /// `(E_p[x − μ], E_p[(x − μ)²])`, from the target's mean and variance.
    pub(super) fn central_moments(&self, mu: f64) -> (f64, f64) {
        let ep_d = self.mean - mu;
        (ep_d, self.variance + ep_d * ep_d)
    }

    /// The forward loss `Σ p_i ln p_i + P (E_p[(x − μ)²]/(2σ²) + ln Z)`: `KL(p‖q)` for masses
    /// (`P = 1`), the original's scaled loss for pdf values.
    pub(super) fn forward_loss(&self, mu: f64, var: f64, ln_z: f64) -> f64 {
        let (_, ep_d2) = self.central_moments(mu);
        self.mass_ln_mass + self.mass * (ep_d2 / (2.0 * var) + ln_z)
    }

    /// The forward loss at `(μ, σ²)` and the two moment differences its gradients are made of,
    /// `−P (E_p[x − μ] − E_q[x − μ])` and `−P (E_p[(x − μ)²] − E_q[(x − μ)²])`: divided by
    /// `σ²` they are `∂/∂μ` and `∂/∂(ln σ)`; the second divided by `2σ⁴` is `∂/∂(σ²)`.
    pub(super) fn forward_at(&self, mu: f64, var: f64) -> (f64, [f64; 2]) {
        let q = normal_on_grid(&self.x, mu, var);
        let (ep_d, ep_d2) = self.central_moments(mu);
        let loss = self.forward_loss(mu, var, q.ln_z);
        let differences = [
            -self.mass * (ep_d - q.mean_d),
            -self.mass * (ep_d2 - q.mean_d2),
        ];
        (loss, differences)
    }
}

/// `ln Z`, `E_q[x − μ]` and `E_q[(x − μ)²]` for the normal shape with mean `mu` and variance
/// `var` on the grid, in one pass after finding the shift for log-sum-exp.
pub(super) struct GridNormal {
    pub(super) ln_z: f64,
    pub(super) mean_d: f64,
    pub(super) mean_d2: f64,
}

pub(super) fn normal_on_grid(x: &Grid, mu: f64, var: f64) -> GridNormal {
    let half_precision = 0.5 / var;
    let d2_min = x.nearest_squared_distance(mu);
    let [w_sum, wd_sum, wd2_sum] = simd::fast(
        #[inline(always)]
        || {
            lane_sums(&x.points, &x.points, |xi, _| {
                forward_terms(xi, mu, d2_min, half_precision)
            })
        },
    );
    GridNormal {
        ln_z: -d2_min * half_precision + w_sum.ln(),
        mean_d: wd_sum / w_sum,
        mean_d2: wd2_sum / w_sum,
    }
}

/// `ln Z` alone for the normal shape on the grid (the `ln_z` of [`normal_on_grid`], same bits):
/// the pass sums only `w`.
pub(super) fn ln_z_on_grid(x: &Grid, mu: f64, var: f64) -> f64 {
    let half_precision = 0.5 / var;
    let d2_min = x.nearest_squared_distance(mu);
    let [w_sum] = simd::fast(
        #[inline(always)]
        || {
            lane_sums(&x.points, &x.points, |xi, _| {
                [forward_terms(xi, mu, d2_min, half_precision)[0]]
            })
        },
    );
    -d2_min * half_precision + w_sum.ln()
}

/// `min_i (x_i − μ)²`: the largest exponent `s_max = −min/(2σ²)` for log-sum-exp.
#[inline(always)]
fn nearest_squared_distance(x: &[f64], mu: f64) -> f64 {
    x.iter()
        .map(|&xi| (xi - mu) * (xi - mu))
        .fold(f64::INFINITY, f64::min)
}

/// [`nearest_squared_distance`] on the widest vector unit of the running CPU.
fn dispatch_nearest(x: &[f64], mu: f64) -> f64 {
    simd::fast(
        #[inline(always)]
        || nearest_squared_distance(x, mu),
    )
}

/// `Σ_i term(x_i, y_i)` for each of the `N` outputs of `term`: element `i` of a block goes to
/// lane `i % LANES`, the lanes fold by [`fold`] and the blocks add up in Neumaier's sum. The
/// one accumulation of every pass (run it through [`simd::fast`]).
#[inline(always)]
fn lane_sums<const N: usize>(
    x: &[f64],
    y: &[f64],
    term: impl Fn(f64, f64) -> [f64; N],
) -> [f64; N] {
    let mut total = [Neumaier::default(); N];
    for (xb, yb) in x.chunks(BLOCK).zip(y.chunks(BLOCK)) {
        let mut lanes = [[0.0; LANES]; N];
        let body = xb.len() - xb.len() % LANES;
        for (xc, yc) in xb[..body]
            .chunks_exact(LANES)
            .zip(yb[..body].chunks_exact(LANES))
        {
            for j in 0..LANES {
                let t = term(xc[j], yc[j]);
                for k in 0..N {
                    lanes[k][j] += t[k];
                }
            }
        }
        for (j, (&xi, &yi)) in xb[body..].iter().zip(&yb[body..]).enumerate() {
            let t = term(xi, yi);
            for k in 0..N {
                lanes[k][j] += t[k];
            }
        }
        for k in 0..N {
            total[k].add(fold(lanes[k]));
        }
    }
    total.map(Neumaier::value)
}

/// The terms of one grid point for the forward pass: `w = exp((d²_min − d²)/(2σ²))`,
/// `w d`, `w d²` with `d = x − μ`. The exponent `s_i − s_max` is ≤ 0.
#[inline(always)]
fn forward_terms(xi: f64, mu: f64, d2_min: f64, half_precision: f64) -> [f64; 3] {
    let d = xi - mu;
    let d2 = d * d;
    let w = simd::exp::exp((d2_min - d2) * half_precision);
    [w, w * d, w * d2]
}

/// The terms of one grid point for the reverse pass: with `d = x − μ`, `s = −d²/(2σ²)`,
/// `w = exp(s − s_max)` and `g = s − ln p`: `w, w g, w d, w d g, w d², w d² g`.
#[inline(always)]
fn reverse_terms(xi: f64, ln_pi: f64, mu: f64, s_max: f64, half_precision: f64) -> [f64; 6] {
    let d = xi - mu;
    let d2 = d * d;
    let s = -d2 * half_precision;
    let w = simd::exp::exp(s - s_max);
    let g = s - ln_pi;
    [w, w * g, w * d, w * d * g, w * d2, w * d2 * g]
}

/// The six sums of [`reverse_terms`] over the grid: `Σ w, Σ w g, Σ w d, Σ w d g, Σ w d²,
/// Σ w d² g`.
pub(super) fn reverse_sums(
    x: &[f64],
    ln_p: &[f64],
    mu: f64,
    s_max: f64,
    half_precision: f64,
) -> [f64; 6] {
    simd::fast(
        #[inline(always)]
        || {
            lane_sums(x, ln_p, |xi, li| {
                reverse_terms(xi, li, mu, s_max, half_precision)
            })
        },
    )
}

/// `Σ w` and `Σ w g` of [`reverse_sums`] alone (same bits): what the loss needs.
pub(super) fn reverse_loss_sums(
    x: &[f64],
    ln_p: &[f64],
    mu: f64,
    s_max: f64,
    half_precision: f64,
) -> [f64; 2] {
    simd::fast(
        #[inline(always)]
        || {
            lane_sums(x, ln_p, |xi, li| {
                let t = reverse_terms(xi, li, mu, s_max, half_precision);
                [t[0], t[1]]
            })
        },
    )
}

/// The model `q_θ` itself: the masses of a normal `(μ, σ)` on the grid `x`, normalised over
/// the grid in log space.
///
/// ```text
/// q_i = exp(s_i − s_max) / Σ_j exp(s_j − s_max),   s_i = −(x_i − μ)²/(2σ²)
/// ```
///
/// # Remarks
/// The masses sum to 1 (to rounding) whatever the grid's step, so they are the `p` that
/// [`ForwardKl`](super::ForwardKl) and [`ReverseKl`](super::ReverseKl) expect. Errors: [`Error::Empty`] for an empty grid,
/// [`Error::NotFinite`] for a non-finite `x_i` or μ, [`Error::InvalidParameter`] for σ ≤ 0 or
/// a σ whose `1/(2σ²)` is not a normal double, and for an `x_i` or μ beyond
/// [`MAX_COORDINATE`].
///
/// ```
/// let q = kl::fit::normal_masses(&[-1.0, 0.0, 1.0], 0.0, 1.0)?;
/// let e = (-0.5f64).exp();
/// assert!((q[1] - 1.0 / (1.0 + 2.0 * e)).abs() < 1e-15);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn normal_masses(x: &[f64], mu: f64, sigma: f64) -> Result<Vec<f64>> {
    if x.is_empty() {
        return Err(Error::Empty { name: "x" });
    }
    check_all_finite("x", x)?;
    if !mu.is_finite() {
        return Err(Error::NotFinite {
            name: "mu",
            index: 0,
            value: mu,
        });
    }
    check_magnitude("x", x)?;
    check_magnitude("mu", &[mu])?;
    let var = sigma * sigma;
    if !(sigma > 0.0 && sigma.is_finite() && (0.5 / var).is_normal()) {
        return Err(Error::InvalidParameter {
            name: "sigma",
            value: sigma,
            reason: "a standard deviation must be > 0 and finite, with 1/(2σ²) a normal double",
        });
    }
    let half_precision = 0.5 / var;
    let d2_min = nearest_squared_distance(x, mu);
    let mut q: Vec<f64> = x
        .iter()
        .map(|&xi| ((d2_min - (xi - mu) * (xi - mu)) * half_precision).exp())
        .collect();
    let total: f64 = q.iter().sum();
    for qi in &mut q {
        *qi /= total;
    }
    Ok(q)
}

/// θ = (μ, ln σ) → (μ, σ²), refusing what would make q undefined.
pub(super) fn log_sigma_to_mean_variance(theta: &Vector2<f64>) -> Result<(f64, f64)> {
    check_finite(theta)?;
    let var = (2.0 * theta[1]).exp();
    if !(var.is_normal() && (0.5 / var).is_normal()) {
        return Err(Error::InvalidParameter {
            name: "ln_sigma",
            value: theta[1],
            reason: "σ² = exp(2 ln σ) and 1/(2σ²) must be positive normal doubles (|ln σ| < 354)",
        });
    }
    Ok((theta[0], var))
}

/// The largest `|x_i|` (and `|μ|` of [`normal_masses`]) accepted: `2⁵⁰⁰ ≈ 3.3·10¹⁵⁰`, so that
/// squared distances `(x_i − μ)²` cannot overflow.
pub const MAX_COORDINATE: f64 = 3.273390607896142e150;

/// `Err` naming the first entry of `values` beyond [`MAX_COORDINATE`].
fn check_magnitude(name: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().find(|v| v.abs() > MAX_COORDINATE) {
        Some(&value) => Err(Error::InvalidParameter {
            name,
            value,
            reason: "coordinates must lie within ±2^500 (3.3e150): beyond, squared distances overflow; rescale the grid",
        }),
        None => Ok(()),
    }
}

/// The loss and gradient, or an error where they overflowed into NaN (θ so far from the
/// grid, for its σ, that `(x − μ)²/(2σ²)` is beyond the largest double).
pub(super) fn finite_loss(
    theta: &Vector2<f64>,
    loss: f64,
    gradient: Vector2<f64>,
) -> Result<(f64, Vector2<f64>)> {
    if loss.is_nan() || gradient.iter().any(|g| g.is_nan()) {
        return Err(Error::InvalidParameter {
            name: "mu",
            value: theta[0],
            reason: "the loss overflows at this θ ((x − μ)²/(2σ²) beyond the largest double): start nearer the target",
        });
    }
    Ok((loss, gradient))
}

pub(super) fn check_finite(theta: &Vector2<f64>) -> Result<()> {
    check_all_finite("theta", theta.as_slice())
}

/// A grid `x` (not empty, finite, within [`MAX_COORDINATE`]) and `p` of its length.
pub(super) fn validate_grid(x: &[f64], p: &[f64]) -> Result<()> {
    validate_lengths(x, "p", p)?;
    check_magnitude("x", x)
}

/// A grid `x` that is not empty and finite, and `values` (called `name`) of its length.
pub(super) fn validate_lengths(x: &[f64], name: &'static str, values: &[f64]) -> Result<()> {
    if x.is_empty() {
        return Err(Error::Empty { name: "x" });
    }
    if values.len() != x.len() {
        return Err(Error::GridMismatch {
            name,
            expected: x.len(),
            got: values.len(),
        });
    }
    check_all_finite("x", x)
}

/// Finite and non-negative: the original's pdf values.
pub(super) fn validate_weights(p: &[f64]) -> Result<()> {
    check_all_finite("p", p)?;
    match p.iter().position(|&v| v < 0.0) {
        Some(index) => Err(Error::Negative {
            name: "p",
            index,
            value: p[index],
        }),
        None => Ok(()),
    }
}

/// Masses: non-negative weights that sum to 1 within [`SUM_TOLERANCE`], as `kl::discrete` asks.
pub(super) fn validate_masses(p: &[f64]) -> Result<()> {
    validate_weights(p)?;
    let sum: f64 = p.iter().sum();
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        return Err(Error::NotNormalized {
            name: "p",
            sum,
            tolerance: SUM_TOLERANCE,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{
        Grid, dispatch_nearest, forward_terms, lane_sums, ln_z_on_grid, nearest_squared_distance,
        normal_on_grid, reverse_loss_sums, reverse_sums, reverse_terms,
    };
    use crate::simd;

    fn grid(n: usize) -> Vec<f64> {
        (0..n).map(|i| -10.0 + 20.0 * i as f64 / n as f64).collect()
    }

    /// Every vector build the CPU has (AVX-512, AVX2) rounds exactly like the portable one: no
    /// fused multiply-add, a fixed lane order and a fixed fold. And a loss-only pass has the
    /// bits of the full pass's loss sums.
    #[test]
    fn vector_and_portable_builds_agree_bit_for_bit() {
        for n in [1, 7, 8, 255, 256, 257, 20_000, 20_003] {
            let x = grid(n);
            let ln_p: Vec<f64> = x.iter().map(|xi| -0.5 * xi * xi - 3.0).collect();
            for (mu, var) in [(0.0, 4.0), (0.37, 0.01), (-30.0, 1.0), (9.99, 1e-6)] {
                let hp = 0.5 / var;
                let d2_min = nearest_squared_distance(&x, mu);
                let s_max = -d2_min * hp;
                let forward = |xi: f64, _: f64| forward_terms(xi, mu, d2_min, hp);
                let reverse = |xi: f64, li: f64| reverse_terms(xi, li, mu, s_max, hp);
                let portable_f = lane_sums(&x, &x, forward).map(f64::to_bits);
                let portable_r = lane_sums(&x, &ln_p, reverse).map(f64::to_bits);
                for level in simd::available() {
                    let f = simd::at(level, || lane_sums(&x, &x, forward)).map(f64::to_bits);
                    let r = simd::at(level, || lane_sums(&x, &ln_p, reverse)).map(f64::to_bits);
                    let d = simd::at(level, || nearest_squared_distance(&x, mu)).to_bits();
                    assert_eq!(f, portable_f, "n = {n}, mu = {mu}, {level:?}");
                    assert_eq!(r, portable_r, "n = {n}, mu = {mu}, {level:?}");
                    assert_eq!(d, d2_min.to_bits(), "n = {n}, mu = {mu}, {level:?}");
                }
                assert_eq!(dispatch_nearest(&x, mu).to_bits(), d2_min.to_bits());
                let full = reverse_sums(&x, &ln_p, mu, s_max, hp).map(f64::to_bits);
                assert_eq!(full, portable_r);
                let loss = reverse_loss_sums(&x, &ln_p, mu, s_max, hp).map(f64::to_bits);
                assert_eq!(loss, [full[0], full[1]]);
                let g = Grid::new(&x);
                assert_eq!(
                    ln_z_on_grid(&g, mu, var).to_bits(),
                    normal_on_grid(&g, mu, var).ln_z.to_bits()
                );
            }
        }
    }

    /// The binary search on a sorted grid returns the scan's bits: inside the grid, on its
    /// points, between them, outside it on either side, and with repeated points.
    #[test]
    fn binary_search_equals_the_scan() {
        let mut x = grid(1000);
        x.insert(500, x[500]);
        x.insert(0, x[0]);
        let sorted = Grid::new(&x);
        assert!(sorted.sorted);
        let mut mus: Vec<f64> = x
            .iter()
            .flat_map(|&xi| [xi, xi + 0.004, xi - 1e-13])
            .collect();
        mus.extend([-1e300, -50.0, 50.0, 1e300, 0.0, -0.0]);
        for mu in mus {
            assert_eq!(
                sorted.nearest_squared_distance(mu).to_bits(),
                nearest_squared_distance(&x, mu).to_bits(),
                "mu = {mu:e}"
            );
        }
        assert!(!Grid::new(&[0.0, 2.0, 1.0]).sorted);
    }
}
