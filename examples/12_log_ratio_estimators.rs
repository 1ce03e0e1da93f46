// ANCHOR: all
//! # Chapter 12 — Estimating KL from log-probabilities
//!
//! A policy-optimisation run (PPO, RLHF, GRPO) keeps a policy `Q` near a reference `P`
//! with a KL penalty. It cannot integrate: it holds a batch of draws `xᵢ ~ Q` and, at
//! each, the two log-probabilities `ln q(xᵢ)` and `ln p(xᵢ)`. With `ln r = ln p(x)
//! − ln q(x)`, Schulman's three per-draw estimators
//! (`kl::estimate::log_ratio_estimates`) are
//!
//! - `k1 = −ln r`: unbiased for `KL(Q‖P)`, but often negative, with a large spread;
//! - `k2 = ½ (ln r)²`: never negative, small spread, **biased**;
//! - `k3 = (r − 1) − ln r`: never negative, unbiased, the spread of k2
//!   when `Q ≈ P`.
//!
//! The draws come from `Q`, so all three estimate `KL(Q‖P)`, not `KL(P‖Q)`.
//!
//! 1. **One batch**: 1000 draws of `Q = N(0, 1)` against `P = N(0.5, 0.8)`, each
//!    estimate with its standard error, beside both directions of the exact divergence.
//! 2. **Growing separation**: `P = N(δ, 1)` for δ from 0.1 to 3, exact `KL(Q‖P) =
//!    δ²/2`. For each δ, 400 batches of 1000 draws: the mean of the batch estimates
//!    (its bias) and their standard deviation (the noise of one batch), in two tables
//!    and two figures.
//!
//! Run it with `cargo run --example 12_log_ratio_estimators`. Figures go to
//! `book/src/figures/` (or to the directory in `KL_FIGURES`).

use kl::estimate::log_ratio_estimates;
use kl_plot::{Legend, LineChart, Series};
use rand::SeedableRng;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use statrs::distribution::{Continuous, Normal};

// ANCHOR: batch
/// One batch: `n` draws of `q` and the two log-densities at each.
fn batch(p: &Normal, q: &Normal, n: usize, rng: &mut StdRng) -> (Vec<f64>, Vec<f64>) {
    let x: Vec<f64> = (0..n).map(|_| q.sample(rng)).collect();
    let ln_p = x.iter().map(|&x| p.ln_pdf(x)).collect();
    let ln_q = x.iter().map(|&x| q.ln_pdf(x)).collect();
    (ln_p, ln_q)
}
// ANCHOR_END: batch

/// Draws per batch and batches per separation.
const BATCH: usize = 1000;
const RUNS: usize = 400;

/// The separations δ = (mean of P − mean of Q) / σ.
const DELTAS: [f64; 7] = [0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0];

/// Mean and standard deviation (divisor runs − 1).
fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

fn show(label: &str, value: f64, error: f64) {
    println!("{label:<36}{value:>12.6}   ± {error:.6}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = StdRng::seed_from_u64(12);

    // 1. One batch.
    // ANCHOR: one_batch
    let q = Normal::new(0.0, 1.0)?; // the policy: the draws come from Q
    let p = Normal::new(0.5, 0.8)?; // the reference
    let (ln_p, ln_q) = batch(&p, &q, BATCH, &mut rng);
    let e = log_ratio_estimates(&ln_p, &ln_q)?;
    // ANCHOR_END: one_batch
    println!("Q = N(0, 1) sampled {BATCH} times, P = N(0.5, 0.8)");
    println!(
        "{:<36}{:>12.6}",
        "KL(Q||P) exact",
        kl::kl_divergence(&q, &p)
    );
    println!(
        "{:<36}{:>12.6}",
        "KL(P||Q) exact",
        kl::kl_divergence(&p, &q)
    );
    show("k1 = -ln r, mean ± standard error", e.k1.value, e.k1.error);
    show("k2 = (ln r)^2 / 2", e.k2.value, e.k2.error);
    show("k3 = (r - 1) - ln r", e.k3.value, e.k3.error);

    // 2. Growing separation.
    // ANCHOR: study
    let mut rows = Vec::new(); // per δ: exact, then (mean, sd) of k1, k2, k3
    for delta in DELTAS {
        let p = Normal::new(delta, 1.0)?;
        let exact = kl::kl_divergence(&q, &p);
        let mut estimates = [vec![], vec![], vec![]];
        for _ in 0..RUNS {
            let (ln_p, ln_q) = batch(&p, &q, BATCH, &mut rng);
            let e = log_ratio_estimates(&ln_p, &ln_q)?;
            for (list, k) in estimates.iter_mut().zip([e.k1, e.k2, e.k3]) {
                list.push(k.value);
            }
        }
        rows.push((exact, estimates.map(|list| mean_sd(&list))));
    }
    // ANCHOR_END: study
    println!();
    println!("{RUNS} batches of {BATCH} draws of Q = N(0, 1) per row, P = N(delta, 1)");
    println!("Bias: mean of the batch estimates minus the exact KL(Q||P)");
    println!(
        "{:<8}{:>12}{:>12}{:>12}{:>12}",
        "delta", "exact", "k1 - exact", "k2 - exact", "k3 - exact"
    );
    for (delta, (exact, k)) in DELTAS.iter().zip(&rows) {
        println!(
            "{delta:<8}{exact:>12.6}{:>12.6}{:>12.6}{:>12.6}",
            k[0].0 - exact,
            k[1].0 - exact,
            k[2].0 - exact
        );
    }
    println!();
    println!(
        "Noise: standard deviation of one batch's estimate, over the {RUNS} batches"
    );
    println!(
        "{:<8}{:>12}{:>12}{:>12}{:>12}",
        "delta", "exact", "sd k1", "sd k2", "sd k3"
    );
    for (delta, (exact, k)) in DELTAS.iter().zip(&rows) {
        println!(
            "{delta:<8}{exact:>12.6}{:>12.6}{:>12.6}{:>12.6}",
            k[0].1, k[1].1, k[2].1
        );
    }

    // Figures: relative bias and relative noise against δ.
    let names = ["k1 = -ln r", "k2 = (ln r)^2 / 2", "k3 = (r - 1) - ln r"];
    let colors = [
        kl_plot::PALETTE[0],
        kl_plot::PALETTE[2],
        kl_plot::PALETTE[3],
    ];
    let relative = |which: usize, of_sd: bool| -> Vec<f64> {
        rows.iter()
            .map(|(exact, k)| {
                let v = if of_sd { k[which].1 } else { k[which].0 };
                v / exact
            })
            .collect()
    };
    let series = |of_sd: bool| -> Vec<(Vec<f64>, usize)> {
        (0..3).map(|i| (relative(i, of_sd), i)).collect()
    };
    for (of_sd, title, y, file) in [
        (
            false,
            "Mean of the batch estimates / exact KL(Q||P)",
            "mean estimate / exact",
            "12_mean_vs_delta.svg",
        ),
        (
            true,
            "Standard deviation of one batch's estimate / exact KL(Q||P)",
            "sd / exact (log scale)",
            "12_sd_vs_delta.svg",
        ),
    ] {
        let lines = series(of_sd);
        let drawn: Vec<Series<'_>> = lines
            .iter()
            .map(|(ys, i)| Series::new(names[*i], &DELTAS, ys, colors[*i], 2))
            .collect();
        let mut chart = LineChart::new(title, "separation delta (log scale)", y)
            .log_x()
            .dots()
            .fit_y()
            .headroom(0.3)
            .legend(Legend::UpperLeft);
        if of_sd {
            chart = chart.log_y();
        }
        let svg = chart.draw(&drawn)?;
        println!("figure {}", kl_plot::save(file, &svg)?);
    }
    Ok(())
}
// ANCHOR_END: all
