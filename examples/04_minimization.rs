// ANCHOR: all
//! # Chapter 04 — fitting a normal by minimising KL with gradient descent
//!
//! The original tutorial's last experiment: a target N(0, 2) on the grid
//! x ∈ [−10, 10) with step 0.001, a normal q(μ, σ) normalised over the same grid,
//! and 100 epochs of gradient descent on KL(P‖Q). This chapter runs it twice with
//! the hand-derived gradients of `kl::fit`.
//!
//! First as the original set it up: its `sigma` is a variance, stepped directly, and
//! its target is pdf values that sum to ≈ 1000, so its loss is 1000·KL + 6908 and
//! its learning rate 0.001 is really a step of ≈ 1. Then as we set it up: masses that
//! sum to 1, θ = (μ, ln σ) so σ stays positive, the loss the KL in nats. Both start
//! from μ = 0, σ = 1 (the original's likely `np.zeros`, `np.eye`; its seeded random
//! start would be σ = 0). Each run checks its gradient against central differences,
//! prints its trajectory every 10 epochs, and the result is compared with the optimum
//! computed without descent: the normal whose moments on the grid match the target's
//! (not the normal with the target's grid sd).
//!
//! Run it with `cargo run --example 04_minimization`. Figures go to `book/src/figures/`
//! (or to the directory in `KL_FIGURES`).

mod common;

use kl::fit::{
    Fit, ForwardKl, Objective, Options, OriginalForwardKl, gradient_check,
    gradient_descent, moment_match,
};
use kl::fit_grid::grid_moment_match;
use kl_plot::{LineChart, P_COLOR, PALETTE, Q_COLOR, Series};
use nalgebra::Vector2;
use statrs::distribution::{Continuous, Normal};

/// One labelled line of output, six decimals. A value that rounds to zero prints as
/// 0.000000, not −0.000000.
fn show(label: &str, value: f64) {
    let value = if value.abs() < 5e-7 { 0.0 } else { value };
    println!("{label:<36}{value:>12.6}");
}

/// The gradient check of one loss at one θ, in three labelled lines.
fn show_check<F>(f: F, theta: &Vector2<f64>) -> Result<(), kl::Error>
where
    F: Fn(&Vector2<f64>) -> kl::Result<(f64, Vector2<f64>)>,
{
    let check = gradient_check(f, theta, 1e-5)?;
    println!(
        "{:<36}{:>14.6}{:>14.6}",
        "gradient, hand-derived", check.analytic[0], check.analytic[1]
    );
    println!(
        "{:<36}{:>14.6}{:>14.6}",
        "gradient, central differences", check.numeric[0], check.numeric[1]
    );
    println!(
        "{:<36}{:>14.1e}",
        "largest relative difference", check.max_relative_error
    );
    Ok(())
}

/// The history every 10 epochs: μ, σ, the loss the descent minimised, and the KL in
/// nats.
fn show_trajectory(descent: &Fit, kl_nats: &ForwardKl) -> Result<(), kl::Error> {
    println!(
        "{:>6}{:>12}{:>12}{:>16}{:>12}",
        "epoch", "mu", "sigma", "loss", "KL(P||Q)"
    );
    for row in descent.history.iter().step_by(10) {
        let kl = kl_nats.loss(&kl_nats.theta(row.mu, row.sigma))?;
        let zero_if_tiny = |v: f64| if v.abs() < 5e-7 { 0.0 } else { v };
        println!(
            "{:>6}{:>12.6}{:>12.6}{:>16.6}{:>12.6}",
            row.iteration,
            zero_if_tiny(row.mu),
            row.sigma,
            zero_if_tiny(row.loss),
            zero_if_tiny(kl)
        );
    }
    Ok(())
}

/// The original's picture: the target as a thick blue line, q at every 10th epoch in
/// red.
fn trajectory_figure(
    title: &str,
    x: &[f64],
    target_pdf: &[f64],
    descent: &Fit,
) -> Result<String, Box<dyn std::error::Error>> {
    let mut series = vec![Series::new("P target N(0, 2)", x, target_pdf, P_COLOR, 4)];
    for (k, row) in descent.history.iter().step_by(10).enumerate() {
        let q = Normal::new(row.mu, row.sigma)?;
        let density: Vec<f64> = x.iter().map(|&xi| q.pdf(xi)).collect();
        let label = if k == 0 { "Q every 10 epochs" } else { "" };
        series.push(Series::new(label, x, &density, Q_COLOR, 1));
    }
    Ok(kl_plot::lines(title, "x", "density", &series)?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: target
    // The original's grid and target: np.arange(-10, 10, 0.001), norm.pdf(x, 0, 2).
    let dx = 0.001;
    let x: Vec<f64> = (0..20_000).map(|i| -10.0 + i as f64 * dx).collect();
    let target = Normal::new(0.0, 2.0)?;
    let pdf: Vec<f64> = x.iter().map(|&xi| target.pdf(xi)).collect();
    let iterations = 100;

    println!("Target P: N(0, 2) on x in [-10, 10), step 0.001, 20000 points");
    let original = OriginalForwardKl::new(&x, &pdf)?;
    let total = original.total_mass();
    show("P_tot, the sum of pdf values (not 1)", total);
    show("P_tot ln P_tot", total * total.ln());
    let p = kl::discrete::normalize(&pdf)?;
    let ours = ForwardKl::new(&x, &p)?;

    // The start. np.random.seed(0); randint(10) twice gives mean 5 and "sigma" 0.
    println!();
    println!("The start");
    match original.loss(&Vector2::new(5.0, 0.0)) {
        Ok(loss) => show("seeded start mu = 5, sigma = 0", loss),
        Err(err) => common::print_error("seeded start mu = 5, sigma = 0", &err),
    }
    println!("{:<36}{:>12}", "start used: mu, sigma", "0, 1");
    // ANCHOR_END: target

    // ANCHOR: original_setup
    // 1. The original's setup: θ = (μ, variance), pdf values, learning rate 0.001.
    println!();
    println!(
        "The original's setup: theta = (mu, variance), f = pdf values,\n\
        learning rate 0.001"
    );
    let start = original.theta(0.0, 1.0);
    show_check(|t| original.loss_and_gradient(t), &start)?;
    let learning_rate = 0.001;
    let options = Options {
        learning_rate,
        iterations,
    };
    let theirs = gradient_descent(&original, &start, &options)?;
    show_trajectory(&theirs, &ours)?;
    let last = theirs.history[iterations];
    let kl_theirs = ours.loss(&ours.theta(last.mu, last.sigma))?;
    show("final mu", last.mu);
    show("final sigma (sqrt of the variance)", last.sigma);
    show("final loss, its printed \"KL\"", last.loss);
    show("final KL(P||Q) in nats", kl_theirs);
    show(
        "(loss - P_tot ln P_tot) / P_tot",
        (last.loss - total * total.ln()) / total,
    );
    show("effective step on KL: lr * P_tot", learning_rate * total);
    // The same descent on the normalised target: the gradient is 1000 times smaller.
    let normalised = OriginalForwardKl::new(&x, &p)?;
    let slow = gradient_descent(&normalised, &normalised.theta(0.0, 1.0), &options)?;
    show(
        "same, p normalised: final sigma",
        slow.history[iterations].sigma,
    );
    println!("it optimises: P_tot*KL(P||Q) + P_tot ln P_tot over (mu, variance);");
    println!("nothing keeps variance > 0");
    // ANCHOR_END: original_setup

    // ANCHOR: our_setup
    // 2. Our setup: θ = (μ, ln σ), masses that sum to 1, a step of 0.1. Near the
    //    optimum the curvature of the KL is 1/σ² = 0.25 in μ and 2 in ln σ, so any
    //    step below 2/2 = 1 converges there; 0.1 also decreases the loss at every epoch
    //    from this start (where the curvature in ln σ is 2·E_p[x²]/σ² = 8) and is
    //    converged to six decimals well within 100 epochs.
    println!();
    println!("Our setup: theta = (mu, ln sigma), p = masses summing to 1, step 0.1");
    let start = ours.theta(0.0, 1.0);
    show_check(|t| ours.loss_and_gradient(t), &start)?;
    let options = Options {
        learning_rate: 0.1,
        iterations,
    };
    let fit = gradient_descent(&ours, &start, &options)?;
    show_trajectory(&fit, &ours)?;
    let last_ours = fit.history[iterations];
    show("final mu", last_ours.mu);
    show("final sigma", last_ours.sigma);
    show("final KL(P||Q) in nats", last_ours.loss);
    println!(
        "it optimises: KL(P||Q) in nats over (mu, ln sigma); sigma > 0 at every step"
    );
    // ANCHOR_END: our_setup

    // ANCHOR: optimum
    // 3. The optimum without descent: forward KL to normals on the grid is minimised by
    //    the normal whose *grid* moments match P's; the continuous normal with P's grid
    //    moments (`moment_match`) is a different, slightly narrower normal.
    println!();
    println!("The optimum without descent: match the grid moments");
    let (mu_grid, sigma_grid) = grid_moment_match(&x, &p)?;
    let (mu_star, sigma_star) = moment_match(&x, &p)?;
    show("optimum mu (grid moments match)", mu_grid);
    show("optimum sigma (grid moments match)", sigma_grid);
    show("our final sigma", last_ours.sigma);
    show("sd_p[x], P's sd on the grid", sigma_star);
    let at = |m: f64, s: f64| ForwardKl::new(&x, &p)?.loss(&Vector2::new(m, s.ln()));
    let excess = at(mu_star, sigma_star)? - at(mu_grid, sigma_grid)?;
    show("KL excess at sd_p, nats x 1e9", 1e9 * excess);
    println!(
        "P is itself a normal on this grid, so the optimum is sigma = 2; sd_p[x] is"
    );
    println!(
        "the sd of N(0, 2) cut off at 5 sigma, a little below 2, and not the optimum."
    );
    // ANCHOR_END: optimum

    // Figures: the original's picture for each setup, and the two loss curves.
    println!();
    let svg = trajectory_figure(
        &format!(
            "Original setup: loss {:.3}, KL(P||Q) = {:.6}",
            last.loss, kl_theirs
        ),
        &x,
        &pdf,
        &theirs,
    )?;
    println!("figure {}", kl_plot::save("04_original_setup.svg", &svg)?);
    let svg = trajectory_figure(
        &format!("Our setup: KL(P||Q) = {:.6}", last_ours.loss.max(0.0)),
        &x,
        &pdf,
        &fit,
    )?;
    println!("figure {}", kl_plot::save("04_our_setup.svg", &svg)?);
    let epochs_axis: Vec<f64> = (0..=iterations).map(|e| e as f64).collect();
    let kl_original: Vec<f64> = theirs
        .history
        .iter()
        .map(|row| ours.loss(&ours.theta(row.mu, row.sigma)))
        .collect::<Result<_, _>>()?;
    let kl_ours: Vec<f64> = fit.history.iter().map(|row| row.loss).collect();
    let svg = LineChart::new("KL(P||Q) during the descent", "epoch", "KL(P||Q), nats")
        .log_y()
        .draw(&[
            Series::new(
                "original: (mu, variance), lr 0.001",
                &epochs_axis,
                &kl_original,
                PALETTE[0],
                2,
            ),
            Series::new(
                "ours: (mu, ln sigma), step 0.1",
                &epochs_axis,
                &kl_ours,
                PALETTE[1],
                2,
            ),
        ])?;
    println!("figure {}", kl_plot::save("04_kl_history.svg", &svg)?);
    Ok(())
}
// ANCHOR_END: all
