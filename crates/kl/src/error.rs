//! The one error type of the `kl` library.
//!
//! Every variant says what was wrong and where: which argument, which index, which value. The
//! messages are written for a student reading them in a terminal, not for a log parser.

/// What went wrong when a `kl` function refused its input.
///
/// Note what is *not* an error: a zero probability in `p` (it contributes 0) and a zero in `q`
/// where `p` has mass (the divergence is `+∞`, which is the right answer).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A vector or sample set with no entries.
    #[error("`{name}` is empty: a distribution needs at least one outcome")]
    Empty {
        /// The argument's name.
        name: &'static str,
    },

    /// Two vectors that should describe the same outcomes have different lengths.
    #[error(
        "length mismatch: `p` has {p_len} entries but `q` has {q_len}; both must list the same outcomes in the same order"
    )]
    LengthMismatch {
        /// Length of `p`.
        p_len: usize,
        /// Length of `q`.
        q_len: usize,
    },

    /// A NaN or an infinity where a finite number is required.
    #[error("`{name}[{index}]` is {value}: every entry must be a finite number")]
    NotFinite {
        /// The argument's name.
        name: &'static str,
        /// Where the value sits.
        index: usize,
        /// The offending value (NaN, inf or -inf).
        value: f64,
    },

    /// A negative probability mass or weight.
    #[error("`{name}[{index}]` is {value}: a probability (or weight) cannot be negative")]
    Negative {
        /// The argument's name.
        name: &'static str,
        /// Where the value sits.
        index: usize,
        /// The offending value.
        value: f64,
    },

    /// A probability vector whose entries do not add up to 1.
    #[error(
        "`{name}` sums to {sum}, not 1 (allowed deviation {tolerance:e}); if these are weights or counts, normalise them first with `kl::discrete::normalize` or use the `*_unnormalized` functions"
    )]
    NotNormalized {
        /// The argument's name.
        name: &'static str,
        /// The sum that was found.
        sum: f64,
        /// The tolerance that was allowed, `|sum − 1| ≤ tolerance`.
        tolerance: f64,
    },

    /// Weights that cannot be normalised because they add up to zero.
    #[error("`{name}` has total weight 0: there is nothing to normalise")]
    ZeroTotal {
        /// The argument's name.
        name: &'static str,
    },

    /// A parameter outside its domain (a standard deviation ≤ 0, a step that is not positive, …).
    #[error("invalid parameter `{name}` = {value}: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value that was given.
        value: f64,
        /// What the parameter must satisfy.
        reason: &'static str,
    },

    /// Fewer samples than a method needs.
    #[error("`{name}` has {got} samples, but this method needs at least {needed}")]
    TooFewSamples {
        /// The argument's name.
        name: &'static str,
        /// How many there are.
        got: usize,
        /// How many are needed.
        needed: usize,
    },

    /// Points of different dimensions where one dimension is required.
    #[error("dimension mismatch: `{name}` has dimension {got}, expected {expected}")]
    DimensionMismatch {
        /// The argument's name.
        name: &'static str,
        /// The dimension required.
        expected: usize,
        /// The dimension found.
        got: usize,
    },

    /// An input that is well formed but for which the method has no meaningful answer; the
    /// message says why and what to do instead.
    #[error("{0}")]
    Unsupported(String),

    /// A distribution's log-density that is NaN (or `+∞` where a finite value is needed) at a
    /// point: the distribution, not the method, is at fault.
    #[error(
        "`{name}` is {value} at x = {x}: a log-density must be a number there (−∞ outside the support is fine)"
    )]
    BadDensity {
        /// Which log-density (`ln p` or `ln q`).
        name: &'static str,
        /// Where it was evaluated.
        x: f64,
        /// What it returned.
        value: f64,
    },

    /// Values that should sit one per grid point (masses of a target on a grid) and the grid
    /// itself have different lengths.
    #[error(
        "`{name}` has {got} entries but the grid `x` has {expected} points: give one value per grid point"
    )]
    GridMismatch {
        /// The argument's name.
        name: &'static str,
        /// The number of grid points.
        expected: usize,
        /// The number of values given.
        got: usize,
    },

    /// A function given by the caller (the `f` of an f-divergence) returned a value it must
    /// not: NaN, or `−∞`.
    #[error("`{name}({at})` is {value}: the function must return a number or +∞ on [0, ∞)")]
    BadFunction {
        /// The function's name.
        name: &'static str,
        /// Where it was evaluated.
        at: f64,
        /// What it returned.
        value: f64,
    },

    /// A size or an amount of work (bins, epochs, iterations, samples) beyond what the routine
    /// accepts: it would not fit in memory or would not finish in reasonable time.
    #[error("`{name}` = {got} is above the limit {limit}: {reason}")]
    TooLarge {
        /// The argument's name.
        name: &'static str,
        /// The value that was given.
        got: u64,
        /// The largest value accepted.
        limit: u64,
        /// Why there is a limit, and what to do instead.
        reason: &'static str,
    },

    /// A numerical routine that spent its budget of evaluations before reaching its
    /// tolerance. `value` is its best estimate so far, `evaluations` how many it made.
    #[error(
        "`{routine}` did not converge within {evaluations} evaluations (best estimate {value}); the integrand is too hard for it: try another route"
    )]
    NotConverged {
        /// Which routine.
        routine: &'static str,
        /// How many integrand evaluations it made.
        evaluations: u64,
        /// Its best estimate when it stopped.
        value: f64,
    },

    /// A statrs function (a quantile, a cdf, a special function) that failed (panicked) on
    /// the distribution's parameters: they are valid for statrs's constructor but beyond the
    /// range its numerics support.
    #[error(
        "statrs could not evaluate `{call}` for these parameters ({message}); the distribution is too extreme for this route"
    )]
    DistributionFailed {
        /// Which call failed.
        call: &'static str,
        /// statrs's panic message.
        message: String,
    },
}

/// The `Result` of every fallible `kl` function.
pub type Result<T> = std::result::Result<T, Error>;

/// `Err(Error::NotFinite)` naming `name` and the first index whose value is NaN or ±∞.
pub(crate) fn check_all_finite(name: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NotFinite {
            name,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}
