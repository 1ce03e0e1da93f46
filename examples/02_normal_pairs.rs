// ANCHOR: all
//! # Chapter 02 — KL divergence between two normal distributions
//!
//! For densities the sum becomes an integral, `KL(P‖Q) = ∫ p(x) ln(p(x)/q(x)) dx`,
//! in nats. The original tutorial evaluated its discrete one-liner on pdf values over a
//! grid (`x = np.arange(-10, 10, 0.001)`) and reported 500 for `KL(N(0, 2)‖N(2, 2))`
//! (σ = standard deviation). This chapter reproduces that 500 literally, shows where
//! it comes from — the sum has no `dx`, so it estimates `KL / dx = 1000 × KL` —
//! and then computes the divergence four honest ways: the grid with `dx`, the closed
//! form, adaptive quadrature and Monte Carlo. All agree on 0.5; for `Q = N(5, 4)` all
//! agree on 1.099397.
//!
//! Run it with `cargo run --example 02_normal_pairs`. Figures go to `book/src/figures/`
//! (or to the directory in `KL_FIGURES`).

use kl::numeric::{Estimate, grid, monte_carlo, quadrature};
use rand::SeedableRng;
use rand::rngs::StdRng;
use statrs::distribution::{Continuous, Normal};

/// The original's grid: `np.arange(start, end, step)`, end excluded.
fn arange(start: f64, end: f64, step: f64) -> Vec<f64> {
    let n = ((end - start) / step).ceil() as usize;
    (0..n).map(|i| start + i as f64 * step).collect()
}

/// The original's `np.sum(np.where(p != 0, p * np.log(p / q), 0))`, written literally.
fn original_one_liner(p: &[f64], q: &[f64]) -> f64 {
    p.iter()
        .zip(q)
        .map(|(&p, &q)| if p != 0.0 { p * (p / q).ln() } else { 0.0 })
        .sum()
}

/// One labelled line of output: divergences in nats with six decimals.
fn show(label: &str, value: f64) {
    println!("{label:<36}{value:>12.6}");
}

/// A numerical estimate with its error estimate.
fn show_estimate(label: &str, estimate: Estimate) {
    println!(
        "{label:<36}{:>12.6} ± {:.6}",
        estimate.value, estimate.error
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    const DX: f64 = 0.001;
    let x = arange(-10.0, 10.0, DX);
    let p = Normal::new(0.0, 2.0)?;
    let mut rng = StdRng::seed_from_u64(2);
    let samples = 1_000_000;

    for (mean, sd) in [(2.0, 2.0), (5.0, 4.0)] {
        let q = Normal::new(mean, sd)?;
        println!("P = N(0, 2), Q = N({mean}, {sd})   (mean, standard deviation)");

        // ANCHOR: one_liner
        // 1. The original, literally: pdf values on 20 000 grid points, summed without
        //    dx.
        let p_pdf: Vec<f64> = x.iter().map(|&x| p.pdf(x)).collect();
        let q_pdf: Vec<f64> = x.iter().map(|&x| q.pdf(x)).collect();
        let no_dx = original_one_liner(&p_pdf, &q_pdf);
        println!("{:<36}{:>12}", "grid points (np.arange)", x.len());
        show("original one-liner, no dx", no_dx);
        // ANCHOR_END: one_liner

        // ANCHOR: missing_dx
        // 2. Why: Σ p ln(p/q) ≈ ∫ p ln(p/q) dx / dx. The missing factor is 1/dx =
        //    1000.
        show("  times dx", no_dx * DX);
        show(
            "  divided by the true KL",
            no_dx / kl::kl_divergence(&p, &q),
        );
        // ANCHOR_END: missing_dx

        // ANCHOR: routes
        // 3. Four honest routes.
        show_estimate("KL(P||Q) grid with dx", grid(&p, &q, -10.0..10.0, DX)?);
        show("KL(P||Q) closed form", kl::kl_divergence(&p, &q));
        show_estimate("KL(P||Q) quadrature", quadrature(&p, &q)?);
        show_estimate(
            &format!("KL(P||Q) Monte Carlo, n = {samples}"),
            monte_carlo(&p, &q, samples, &mut rng)?,
        );
        // ANCHOR_END: routes

        // 4. The figure, as the original drew it, with the true value in the title.
        let title = format!("KL(P||Q) = {:.3}", kl::kl_divergence(&p, &q));
        let svg = kl_plot::pdf_pair(&title, &x, &p_pdf, &q_pdf)?;
        let name = format!("02_normal_pairs_q_n{mean}_{sd}.svg");
        println!("figure {}", kl_plot::save(&name, &svg)?);
        println!();
    }
    println!(
        "The sum without dx is 1/dx = 1000 times the divergence:\n\
        dx is part of the integral."
    );
    println!();
    println!("What each ± is:");
    println!(
        "  grid: twice the change when dx is halved, plus a bound on the tails cut off"
    );
    println!("  quadrature: halves against whole, summed over the pieces");
    println!(
        "  Monte Carlo: one standard error (sample sd of the log-ratio / sqrt(n))"
    );
    Ok(())
}
// ANCHOR_END: all
