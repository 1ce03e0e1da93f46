//! The adaptive engine: the `quadrature` crate's double-exponential rule on a piece, checked
//! against the piece's two halves and refined until two levels agree, with a trapezoid rule
//! for a piece that holds a kink, and a budget that bounds the time.

/// Absolute error asked of each piece before it is split further.
const PIECE_ABSOLUTE_TOLERANCE: f64 = 1e-15;
/// Relative error asked of each piece (relative to the piece's own integral): the rounding
/// floor that [`Sum::error`] reports anyway, 256 ε ≈ 5.7e-14. Asking for less only halves
/// noise: where `|ln p|` is large (a Weibull with shape 0.1 far out in its tail) the integrand
/// itself is only good to ~1e-14, and at 1e-14 such a pair took 8 million evaluations
/// (350 ms) instead of 81 thousand, for the same value.
const PIECE_RELATIVE_TOLERANCE: f64 = 256.0 * f64::EPSILON;
/// How many times a piece may be halved when the rule does not converge on it (a kink of `Q`,
/// a discontinuity): at most 2¹² sub-pieces per piece.
const MAX_DEPTH: u32 = 12;

/// A running sum of integrals over pieces.
#[derive(Default)]
pub(super) struct Sum {
    pub(super) value: f64,
    pub(super) error: f64,
    /// Σ |piece integral|, for the rounding term of the error estimate.
    magnitude: f64,
    /// |median| / spread of P: how many digits the nodes lose to P's location.
    pub(super) offset: f64,
    /// Integrand evaluations so far; past [`EVALUATION_BUDGET`] no piece is split again.
    evaluations: u64,
}

/// The most integrand evaluations one integration spends on splitting pieces: past it, each
/// remaining piece is accepted with its own (then larger) error estimate, so a hard integrand
/// returns in bounded time (seconds) with an honest `error` instead of refining on.
/// Every pair of the registry needs far fewer.
const EVALUATION_BUDGET: u64 = 40_000_000;

impl Sum {
    pub(super) fn add(&mut self, value: f64, error: f64) {
        self.value += value;
        self.error += if error.is_nan() { f64::INFINITY } else { error };
        self.magnitude += value.abs();
    }

    /// The error estimate: the rule's own, plus rounding in the sums (256 ε per unit of
    /// integrand) and in the nodes' positions (4 ε |median| / spread per unit).
    pub(super) fn error(&self) -> f64 {
        self.error + (256.0 + 4.0 * self.offset) * f64::EPSILON * self.magnitude
    }
}

/// Integrates `g` over `[a, b]` with the double-exponential rule (see [`refine`]).
pub(super) fn adaptive<G: Fn(f64) -> f64>(g: &G, a: f64, b: f64, sum: &mut Sum) {
    let whole = ::quadrature::integrate(g, a, b, PIECE_ABSOLUTE_TOLERANCE);
    sum.evaluations += u64::from(whole.num_function_evaluations);
    refine(g, a, b, whole.integral, MAX_DEPTH, false, sum);
}

/// Compares `whole` (the rule's result on `[a, b]`) with the sum of its two halves. The rule's
/// own error estimate can declare convergence early (it extrapolates from its last two levels;
/// a sign change or a kink inside the piece fools it), so the difference between the two
/// results is the estimate that counts. A piece is accepted when two successive levels agree
/// within the tolerance (one agreement alone can be a coincidence at a kink); otherwise each
/// half is refined the same way, at most `depth` more times, and then by the trapezoid rule.
fn refine<G: Fn(f64) -> f64>(
    g: &G,
    a: f64,
    b: f64,
    whole: f64,
    depth: u32,
    agreed: bool,
    sum: &mut Sum,
) {
    let mid = 0.5 * (a + b);
    if !(mid > a && mid < b) {
        sum.add(whole, 0.0);
        return;
    }
    let left = ::quadrature::integrate(g, a, mid, PIECE_ABSOLUTE_TOLERANCE);
    let right = ::quadrature::integrate(g, mid, b, PIECE_ABSOLUTE_TOLERANCE);
    sum.evaluations +=
        u64::from(left.num_function_evaluations) + u64::from(right.num_function_evaluations);
    let halves = left.integral + right.integral;
    // Where the rule converges slowly (a kink inside the piece), halving the piece only halves
    // its error, so the halves are off by about as much as they differ from the whole: twice
    // the difference covers that case.
    let error = 2.0 * (whole - halves).abs() + left.error_estimate + right.error_estimate;
    // Relative to the piece, plus the rounding floor of nodes far from 0 (see `Sum::error`):
    // asking for less than the floor would only halve noise.
    let relative = PIECE_RELATIVE_TOLERANCE + 4.0 * f64::EPSILON * sum.offset;
    let tolerance = PIECE_ABSOLUTE_TOLERANCE.max(relative * halves.abs());
    let agrees = error <= tolerance;
    if (agrees && agreed) || sum.evaluations > EVALUATION_BUDGET {
        sum.add(halves, error);
        return;
    }
    if depth == 0 {
        // Still no agreement on a piece 2¹² times narrower than where it started: a kink (or
        // a jump) sits inside, and the rule, built for smooth integrands, cannot certify its
        // own result. The trapezoid rule can: its error at a kink is O(h²), and comparing
        // h with 2h estimates it.
        let (fine, coarse) = trapezoid(g, a, b);
        sum.evaluations += 4097;
        sum.add(fine, 2.0 * (fine - coarse).abs());
        return;
    }
    refine(g, a, mid, left.integral, depth - 1, agrees, sum);
    refine(g, mid, b, right.integral, depth - 1, agrees, sum);
}

/// The trapezoid rule on `[a, b]` with 4096 and with 2048 intervals, in one pass.
fn trapezoid<G: Fn(f64) -> f64>(g: &G, a: f64, b: f64) -> (f64, f64) {
    const N: usize = 4096;
    let h = (b - a) / N as f64;
    let (mut fine, mut coarse) = (0.0, 0.0);
    for i in 0..=N {
        let x = if i == N { b } else { a + i as f64 * h };
        let w = if i == 0 || i == N { 0.5 } else { 1.0 };
        let y = g(x);
        fine += w * y;
        if i % 2 == 0 {
            coarse += w * y;
        }
    }
    (fine * h, coarse * 2.0 * h)
}
