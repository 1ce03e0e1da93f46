//! [`run`]: t-SNE's gradient descent, with momentum, gains and early exaggeration.

use super::gradient::{cost_gradient_into, validate_embedding};
use super::{JointProbabilities, Point2};
use crate::error::{Error, Result};

/// The optimiser's settings. The defaults are those of van der Maaten's reference code.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Number of gradient steps (default 1000).
    pub iterations: usize,
    /// Step size η (default 200, as in van der Maaten's code). On small data sets
    /// `η = n / exaggeration` (Belkina et al., 2019) is steadier: gradient descent oscillates
    /// once η times the cost's curvature (which grows with the exaggeration and with `1/n`)
    /// passes about 2, and the cost then jumps when the exaggeration ends.
    pub learning_rate: f64,
    /// Factor α multiplying `P` early on (default 12).
    pub exaggeration: f64,
    /// Iterations with exaggeration (default 250).
    pub exaggeration_iterations: usize,
    /// Momentum before `momentum_switch` (default 0.5).
    pub initial_momentum: f64,
    /// Momentum from `momentum_switch` on (default 0.8).
    pub final_momentum: f64,
    /// The iteration at which momentum switches (default 250).
    pub momentum_switch: usize,
    /// Per-coordinate adaptive gains (default `true`): `+0.2` while the descent direction `−g`
    /// agrees in sign with the last step, `×0.8` when it disagrees, never below 0.01.
    pub gains: bool,
    /// Record `KL(P‖Q)` every this many iterations (default 10; the last iteration is always
    /// recorded). Computing the cost costs `n²/2` logarithms.
    pub record_every: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            iterations: 1000,
            learning_rate: 200.0,
            exaggeration: 12.0,
            exaggeration_iterations: 250,
            initial_momentum: 0.5,
            final_momentum: 0.8,
            momentum_switch: 250,
            gains: true,
            record_every: 10,
        }
    }
}

/// One recorded point of the optimisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Iteration index (0 = the initial embedding).
    pub iteration: usize,
    /// `KL(P‖Q)` at the embedding before this iteration's step, in nats (never exaggerated).
    pub kl: f64,
    /// Euclidean norm of the (possibly exaggerated) step direction, over all `2n` coordinates.
    pub gradient_norm: f64,
}

/// What [`run`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The final embedding, centred at the origin.
    pub embedding: Vec<Point2>,
    /// `KL(P‖Q)` every `record_every` iterations, and at the final embedding.
    pub history: Vec<Step>,
}

/// The most iterations [`run`] accepts (each costs `n²` kernel evaluations).
pub const MAX_ITERATIONS: usize = 1_000_000;

/// The most `iterations × n²` [`run`] accepts: a few seconds (measured on a 2-core EPYC at
/// 2.6–2.9 ns per pair and iteration; 1 000 iterations of 1 000 points).
pub const MAX_WORK: u64 = 1_000_000_000;

/// Runs t-SNE's gradient descent from `initial`:
///
/// ```text
/// gᵢ   = 4 Σⱼ (α p_ij − q_ij) (yᵢ − yⱼ) (1 + ‖yᵢ − yⱼ‖²)⁻¹     (α = exaggeration early, then 1)
/// vᵢ  ← μ vᵢ − η gainᵢ ⊙ gᵢ
/// yᵢ  ← yᵢ + vᵢ,   then every point is shifted so the embedding's mean is 0
/// ```
///
/// # Remarks
/// - Deterministic: no randomness inside (pass a seeded `initial`, conventionally
///   `N(0, 1e-4²)` per coordinate), fixed summation order, no threads.
/// - Allocates once, before the loop.
/// - Errors: `initial.len() != n`, NaN or ±∞ in `initial`, a learning rate or exaggeration
///   not finite and positive, momenta outside `[0, 1)`, `record_every = 0`, more than
///   [`MAX_ITERATIONS`] iterations or more than [`MAX_WORK`] `iterations × n²`
///   ([`Error::TooLarge`]).
///
/// See the [module docs](super) for an example.
pub fn run(p: &JointProbabilities, initial: &[Point2], options: &Options) -> Result<Fit> {
    validate_embedding(p, initial, "initial")?;
    for (name, value) in [
        ("learning_rate", options.learning_rate),
        ("exaggeration", options.exaggeration),
    ] {
        if !value.is_finite() || value <= 0.0 {
            return Err(Error::InvalidParameter {
                name,
                value,
                reason: "must be finite and positive",
            });
        }
    }
    for (name, value) in [
        ("initial_momentum", options.initial_momentum),
        ("final_momentum", options.final_momentum),
    ] {
        if !(0.0..1.0).contains(&value) {
            return Err(Error::InvalidParameter {
                name,
                value,
                reason: "momentum must lie in [0, 1)",
            });
        }
    }
    if options.record_every == 0 {
        return Err(Error::InvalidParameter {
            name: "record_every",
            value: 0.0,
            reason: "must be at least 1",
        });
    }
    if options.iterations > MAX_ITERATIONS {
        return Err(Error::TooLarge {
            name: "iterations",
            got: options.iterations as u64,
            limit: MAX_ITERATIONS as u64,
            reason: "t-SNE settles within a few thousand iterations; more would not finish in reasonable time",
        });
    }
    crate::error::check_work(
        options.iterations,
        (p.n as u64).saturating_mul(p.n as u64),
        MAX_WORK,
        "iterations × n² above kl::tsne::MAX_WORK: the descent would not finish in reasonable time",
    )?;
    let n = p.n;
    let mut y = initial.to_vec();
    let mut velocity = vec![[0.0, 0.0]; n];
    let mut gains = vec![[1.0, 1.0]; n];
    let mut grad = vec![[0.0, 0.0]; n];
    let mut w = vec![0.0; n * n];
    let mut history = Vec::with_capacity(options.iterations / options.record_every + 2);
    for iteration in 0..options.iterations {
        let alpha = if iteration < options.exaggeration_iterations {
            options.exaggeration
        } else {
            1.0
        };
        let momentum = if iteration < options.momentum_switch {
            options.initial_momentum
        } else {
            options.final_momentum
        };
        let record = iteration % options.record_every == 0;
        let kl = if record && alpha != 1.0 {
            // The recorded cost is the true KL(P‖Q), not the exaggerated objective.
            let kl = cost_gradient_into(p, &y, 1.0, true, &mut w, &mut grad);
            cost_gradient_into(p, &y, alpha, false, &mut w, &mut grad);
            kl
        } else {
            cost_gradient_into(p, &y, alpha, record, &mut w, &mut grad)
        };
        if record {
            history.push(Step {
                iteration,
                kl,
                gradient_norm: norm(&grad),
            });
        }
        for i in 0..n {
            for k in 0..2 {
                if options.gains && velocity[i][k] != 0.0 {
                    // The step direction is −g; the last step was `velocity` (none yet on the
                    // first iteration, where the gains stay at 1).
                    let same_direction = (grad[i][k] > 0.0) == (velocity[i][k] > 0.0);
                    gains[i][k] = if same_direction {
                        (gains[i][k] * 0.8_f64).max(0.01)
                    } else {
                        gains[i][k] + 0.2
                    };
                }
                velocity[i][k] =
                    momentum * velocity[i][k] - options.learning_rate * gains[i][k] * grad[i][k];
                y[i][k] += velocity[i][k];
            }
        }
        center(&mut y);
    }
    let kl = cost_gradient_into(p, &y, 1.0, true, &mut w, &mut grad);
    history.push(Step {
        iteration: options.iterations,
        kl,
        gradient_norm: norm(&grad),
    });
    Ok(Fit {
        embedding: y,
        history,
    })
}

fn norm(g: &[Point2]) -> f64 {
    g.iter()
        .map(|v| v[0] * v[0] + v[1] * v[1])
        .sum::<f64>()
        .sqrt()
}

fn center(y: &mut [Point2]) {
    let n = y.len() as f64;
    let mut mean = [0.0, 0.0];
    for v in y.iter() {
        mean[0] += v[0];
        mean[1] += v[1];
    }
    mean[0] /= n;
    mean[1] /= n;
    for v in y.iter_mut() {
        v[0] -= mean[0];
        v[1] -= mean[1];
    }
}
