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

    /// Two 2-D arrays whose rows should be compared one to one have different shapes
    /// ([`crate::discrete::rows`]).
    #[error(
        "shape mismatch: `p` is {}×{} but `q` is {}×{}; row i of p is compared with row i of q",
        p_shape[0], p_shape[1], q_shape[0], q_shape[1]
    )]
    ShapeMismatch {
        /// Rows and columns of `p`.
        p_shape: [usize; 2],
        /// Rows and columns of `q`.
        q_shape: [usize; 2],
    },

    /// An error in one row of a batch ([`crate::discrete::rows`]): the error of the slice
    /// function on that row, whose index is the column.
    #[error("row {row}: {source}")]
    InRow {
        /// The row (0-based).
        row: usize,
        /// What was wrong in it.
        source: Box<Error>,
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

    /// A scale (a standard deviation, a variance) that must be strictly positive and is not.
    #[error("`{name}[{index}]` is {value}: a scale (standard deviation or variance) must be > 0")]
    NotPositive {
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

    /// Reverse KL against a target with a zero mass at a grid point: a normal q puts mass on
    /// every point, so `KL(q‖p) = +∞` for every θ ([`crate::fit::ReverseKl::new`]).
    #[error(
        "reverse KL needs p > 0 at every grid point, but p[{index}] = 0: a normal q puts \
         mass on every point, so KL(q||p) = +inf for every θ; drop that point from the grid, \
         or, if it only underflowed, pass ln p to `ReverseKl::from_ln_masses`"
    )]
    ZeroTargetMass {
        /// The grid point whose mass is 0.
        index: usize,
    },

    /// A target with all its mass on one grid point, which no normal on the grid matches
    /// ([`crate::fit_grid::grid_moment_match`]).
    #[error("the target has all its mass on one grid point: no normal on the grid matches it")]
    PointMassTarget,

    /// No normal on the grid matches the target's grid moments
    /// ([`crate::fit_grid::grid_moment_match`]).
    #[error(
        "no normal on this grid matches the target's grid moments (its variance is too large \
         for the grid, or Newton's method did not converge in 100 steps)"
    )]
    NoMatchingNormal,

    /// Two samples at the same point: a k-th nearest-neighbour distance is 0 and its logarithm
    /// infinite ([`crate::estimate`]).
    #[error(
        "x[{index}] and {other_set}[{other_index}] are the same point, so a k-th nearest-neighbour distance (k = {k}) \
         is 0 and its logarithm is infinite; the k-NN estimator assumes continuous samples \
         without ties: check whether the data are rounded, discrete or repeated"
    )]
    DuplicateSamples {
        /// The index in `x` of the point whose neighbour distance is 0.
        index: usize,
        /// The sample set the coinciding point belongs to (`x` or `y`).
        other_set: &'static str,
        /// Its index in that set.
        other_index: usize,
        /// The `k` of the k-th nearest neighbour.
        k: usize,
    },

    /// `ln q = −∞` where P has density, reached by a continuous fade rather than a jump: a
    /// log-density a double cannot hold, from which the divergence cannot be computed
    /// ([`crate::numeric`]).
    #[error(
        "`ln q` is −∞ at x = {x}, where P has density, and Q's density fades continuously \
         to 0 on the way there: ln q underflowed (an `LnDensity` computed as ln(pdf) is −∞ \
         once pdf < 5e-324) or is below −1.8e308 (a Gumbel ~710 scales left of its \
         location). The divergence cannot be computed from this log-density; one computed \
         in log space can, unless it is itself beyond the range of doubles."
    )]
    UnrepresentableLnDensity {
        /// Where `ln q` is −∞.
        x: f64,
    },

    /// A log-ratio `ln p − ln q` that overflows to `+∞` from finite log-densities
    /// ([`crate::estimate::log_ratio_estimates`]).
    #[error(
        "ln_p[{index}] − ln_q[{index}] = {ln_p} − {ln_q} overflows to +∞: log-densities of \
         this size are not log-probabilities"
    )]
    LogRatioOverflow {
        /// Where the log-ratio overflows.
        index: usize,
        /// `ln p` there.
        ln_p: f64,
        /// `ln q` there.
        ln_q: f64,
    },

    /// A point whose Gaussian kernel cannot be calibrated to the perplexity
    /// ([`crate::tsne::joint_probabilities`]).
    #[error(
        "could not calibrate point {point} to perplexity {perplexity}: the entropy of its neighbour \
         distribution cannot reach ln(perplexity) (duplicate points or a perplexity below the \
         number of equally near neighbours?)"
    )]
    CalibrationFailed {
        /// The point's index.
        point: usize,
        /// The perplexity asked for.
        perplexity: f64,
    },

    /// A mixture component left with no responsibility or no spread in the M-step: the
    /// likelihood is unbounded there ([`crate::mixture::m_step`]).
    #[error(
        "component {component} collapsed in the M-step (total responsibility {responsibility}, variance \
         {variance}): the likelihood is unbounded there; start from other parameters or use \
         fewer components"
    )]
    EmptyComponent {
        /// The component's index.
        component: usize,
        /// Its total responsibility `Nₖ = Σᵢ r_ik`.
        responsibility: f64,
        /// Its M-step variance.
        variance: f64,
    },

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

/// `got ≤ limit`, else [`Error::TooLarge`] naming the argument and why the limit is there.
pub(crate) fn check_at_most(
    name: &'static str,
    got: usize,
    limit: usize,
    reason: &'static str,
) -> Result<()> {
    if got > limit {
        return Err(Error::TooLarge {
            name,
            got: got as u64,
            limit: limit as u64,
            reason,
        });
    }
    Ok(())
}

/// `Err(Error::TooLarge)` named `iterations` when `iterations × size` exceeds `max_work`, with
/// the largest accepted count (`max_work / size`) as the limit: the work bound of the descents.
pub(crate) fn check_work(
    iterations: usize,
    size: u64,
    max_work: u64,
    reason: &'static str,
) -> Result<()> {
    let size = size.max(1);
    if (iterations as u64).saturating_mul(size) > max_work {
        return Err(Error::TooLarge {
            name: "iterations",
            got: iterations as u64,
            limit: max_work / size,
            reason,
        });
    }
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::Error;

    /// The variants that replaced `Unsupported(String)` print, word for word, the messages the
    /// strings held (written out here as they were built by `format!`).
    #[test]
    fn split_variants_keep_their_messages() {
        let cases = [
            (
                Error::ZeroTargetMass { index: 2 },
                "reverse KL needs p > 0 at every grid point, but p[2] = 0: a normal q puts mass on every point, so KL(q||p) = +inf for every θ; drop that point from the grid, or, if it only underflowed, pass ln p to `ReverseKl::from_ln_masses`".to_string(),
            ),
            (
                Error::PointMassTarget,
                "the target has all its mass on one grid point: no normal on the grid matches it".to_string(),
            ),
            (
                Error::NoMatchingNormal,
                "no normal on this grid matches the target's grid moments (its variance is too large for the grid, or Newton's method did not converge in 100 steps)".to_string(),
            ),
            (
                Error::DuplicateSamples { index: 0, other_set: "y", other_index: 4, k: 3 },
                "x[0] and y[4] are the same point, so a k-th nearest-neighbour distance (k = 3) is 0 and its logarithm is infinite; the k-NN estimator assumes continuous samples without ties: check whether the data are rounded, discrete or repeated".to_string(),
            ),
            (
                Error::UnrepresentableLnDensity { x: -2.5 },
                "`ln q` is −∞ at x = -2.5, where P has density, and Q's density fades continuously to 0 on the way there: ln q underflowed (an `LnDensity` computed as ln(pdf) is −∞ once pdf < 5e-324) or is below −1.8e308 (a Gumbel ~710 scales left of its location). The divergence cannot be computed from this log-density; one computed in log space can, unless it is itself beyond the range of doubles.".to_string(),
            ),
            (
                Error::LogRatioOverflow { index: 1, ln_p: 1e308, ln_q: -1e308 },
                format!("ln_p[1] − ln_q[1] = {} − {} overflows to +∞: log-densities of this size are not log-probabilities", 1e308, -1e308),
            ),
            (
                Error::CalibrationFailed { point: 7, perplexity: 2.5 },
                "could not calibrate point 7 to perplexity 2.5: the entropy of its neighbour distribution cannot reach ln(perplexity) (duplicate points or a perplexity below the number of equally near neighbours?)".to_string(),
            ),
            (
                Error::EmptyComponent { component: 1, responsibility: 0.0, variance: f64::NAN },
                "component 1 collapsed in the M-step (total responsibility 0, variance NaN): the likelihood is unbounded there; start from other parameters or use fewer components".to_string(),
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
