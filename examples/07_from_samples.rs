// ANCHOR: all
//! # Chapter 07 — KL when all you have are samples
//!
//! Every earlier chapter knew both densities. Often you have only draws: two sets of
//! measurements, a simulator's output, a generative model's samples. This chapter
//! estimates `KL(P‖Q)` from samples and checks each estimate against the closed form.
//!
//! 1. **Monte Carlo, densities known** (`kl::numeric::monte_carlo`). `KL(P‖Q) =
//!    E_P[ln p(X) − ln q(X)]`, so the mean of `ln p(xᵢ) − ln q(xᵢ)` over draws
//!    `xᵢ ~ P` is unbiased, with a standard error from the spread of the terms. It
//!    needs `p` and `q` as functions: samples of `Q` are no use to it.
//! 2. **k nearest neighbours, samples only** (`kl::estimate::knn_divergence`, the
//!    estimator of Wang, Kulkarni and Verdú, 2009): with `x₁…x_n ~ P` and
//!    `y₁…y_m ~ Q` in `ℝᵈ`,
//!    `D̂ = (d/n) Σ ln(ν_k(i)/ρ_k(i)) + ln(m/(n−1))`, where `ρ_k(i)` is the
//!    distance from `xᵢ` to its k-th nearest other `x` and `ν_k(i)` to its k-th
//!    nearest `y`. Where `Q` is thin near `xᵢ`, the nearest `y` is far away
//!    compared with the nearest `x`, and the term is large.
//! 3. **Bias at small n.** The estimator is consistent, not unbiased. Averaged over
//!    many runs at each sample size (a table, and a figure on a log axis), the 1-D pair
//!    shows little bias but a spread of ±0.7 nats at n = 10; the 2-D pair sits clearly
//!    *below* the truth, by two fifths of it at n = 10 and still by a few hundredths
//!    at n = 10⁴. A single estimate from a few hundred points says little without its
//!    spread.
//! 4. **Duplicates.** Tied samples make a neighbour distance 0 and `ln 0` infinite. The
//!    library refuses them with an error naming the two points; stepping over the ties
//!    with a larger `k` gives a finite number, but a wrong one.
//!
//! The exact values come from the closed forms in `kl::closed_form`; for the 2-D pair
//! that is `½[tr(Σ₂⁻¹Σ₁) + (μ₂−μ₁)ᵀΣ₂⁻¹(μ₂−μ₁)
//! − d + ln(det Σ₂/det Σ₁)]`.
//!
//! Run it with `cargo run --example 07_from_samples`. Figures go to `book/src/figures/`
//! (or to the directory in `KL_FIGURES`).

mod common;

use kl::estimate::{knn_divergence, knn_divergence_1d};
use kl_plot::{Legend, LineChart, Series};
use nalgebra::Dyn;
use ndarray::Array2;
use rand::SeedableRng;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use statrs::distribution::{MultivariateNormal, Normal};

/// One labelled line of output: six decimals.
fn show(label: &str, value: f64) {
    println!("{label:<36}{value:>12.6}");
}

/// The sample sizes of the bias study, and how many independent runs each gets.
const SIZES: [usize; 7] = [10, 30, 100, 300, 1_000, 3_000, 10_000];

/// Runs per sample size: 1000 where samples are small and the estimate noisy, so the
/// mean shows the bias rather than the noise, then a million points per size, and
/// never fewer than 100, so that each row's standard deviation, and the standard
/// error computed from it, is itself known to within about a tenth.
fn runs(n: usize) -> usize {
    (1_000_000 / n).clamp(100, 1000)
}

/// Mean and standard deviation (divisor runs − 1) of a set of estimates.
fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// `n` draws of a 2-D normal as an `n × 2` matrix, one point per row.
fn mvn_points(
    dist: &MultivariateNormal<Dyn>,
    n: usize,
    rng: &mut StdRng,
) -> Array2<f64> {
    let mut points = Array2::zeros((n, 2));
    for mut row in points.outer_iter_mut() {
        let v = dist.sample(rng);
        row[0] = v[0];
        row[1] = v[1];
    }
    points
}

// ANCHOR: bias_study
/// Runs the bias study: for each size, [`runs`] estimates from fresh samples; prints
/// the table and returns the mean and spread per size.
fn bias_study(
    exact: f64,
    mut estimate: impl FnMut(usize) -> Result<f64, kl::Error>,
) -> Result<Vec<(f64, f64)>, kl::Error> {
    println!(
        "{:<24}{:>12}{:>12}{:>12}{:>12}",
        "sample size n = m", "mean", "sd", "mean-exact", "its se"
    );
    let mut rows = Vec::with_capacity(SIZES.len());
    for n in SIZES {
        let estimates = (0..runs(n))
            .map(|_| estimate(n))
            .collect::<Result<Vec<_>, _>>()?;
        let (mean, sd) = mean_sd(&estimates);
        // The standard error of the row's mean: sd / sqrt(runs).
        let se = sd / (runs(n) as f64).sqrt();
        println!(
            "{:<24}{mean:>12.6}{sd:>12.6}{:>12.6}{se:>12.6}",
            format!("n = {n}, {} runs", runs(n)),
            mean - exact
        );
        rows.push((mean, sd));
    }
    Ok(rows)
}
// ANCHOR_END: bias_study

/// The bias-study figure: the mean estimate with ± one standard deviation, and the
/// exact value.
fn bias_figure(
    title: &str,
    exact: f64,
    rows: &[(f64, f64)],
    file: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let n: Vec<f64> = SIZES.iter().map(|&n| n as f64).collect();
    let mean: Vec<f64> = rows.iter().map(|r| r.0).collect();
    let upper: Vec<f64> = rows.iter().map(|r| r.0 + r.1).collect();
    let lower: Vec<f64> = rows.iter().map(|r| r.0 - r.1).collect();
    let ends = [n[0], n[n.len() - 1]];
    let mean_label = "k-NN estimate (k = 1), mean of runs";
    let exact_label = format!("exact KL = {exact:.3}");
    let svg =
        LineChart::new(title, "sample size n = m (log scale)", "KL estimate (nats)")
            .log_x()
            .dots()
            .fit_y()
            .headroom(0.3)
            .legend(Legend::UpperRight)
            .draw(&[
                Series::new(&exact_label, &ends, &[exact, exact], kl_plot::P_COLOR, 2),
                Series::new(mean_label, &n, &mean, kl_plot::palette::ESTIMATE, 2),
                Series::new("mean ± one sd", &n, &upper, kl_plot::PALETTE[5], 1),
                Series::new("", &n, &lower, kl_plot::PALETTE[5], 1),
            ])?;
    println!("figure {}", kl_plot::save(file, &svg)?);
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = StdRng::seed_from_u64(7);

    // ANCHOR: one_dimension
    // 1. One dimension: P = N(0, 1), Q = N(1, 1.5) (mean, standard deviation, as
    //    statrs).
    let p = Normal::new(0.0, 1.0)?;
    let q = Normal::new(1.0, 1.5)?;
    let exact = kl::kl_divergence(&p, &q);
    println!("P = N(0, 1), Q = N(1, 1.5) (mean, sd), one dimension");
    show("KL(P||Q) closed form", exact);

    // Monte Carlo needs both densities: the mean of ln p(x) − ln q(x) over x ~ P.
    let n = 10_000;
    let mc = kl::numeric::monte_carlo(&p, &q, n, &mut rng)?;
    show("Monte Carlo, n = 10000", mc.value);
    show("  its standard error", mc.error);

    // The k-NN estimate needs only samples of each.
    let x: Vec<f64> = (0..n).map(|_| p.sample(&mut rng)).collect();
    let y: Vec<f64> = (0..n).map(|_| q.sample(&mut rng)).collect();
    show("k-NN, k = 1, n = m = 10000", knn_divergence_1d(&x, &y, 1)?);
    show("k-NN, k = 5, n = m = 10000", knn_divergence_1d(&x, &y, 5)?);
    show(
        "k-NN reversed: KL(Q||P) estimate",
        knn_divergence_1d(&y, &x, 1)?,
    );
    show("KL(Q||P) closed form", kl::kl_divergence(&q, &p));
    // ANCHOR_END: one_dimension

    // 2. Bias at small n, one dimension.
    println!();
    println!("Bias of the k = 1 estimator, one dimension (exact {exact:.6})");
    let rows = bias_study(exact, |n| {
        let x: Vec<f64> = (0..n).map(|_| p.sample(&mut rng)).collect();
        let y: Vec<f64> = (0..n).map(|_| q.sample(&mut rng)).collect();
        knn_divergence_1d(&x, &y, 1)
    })?;
    bias_figure(
        "k-NN estimate of KL(P||Q), 1-D normals",
        exact,
        &rows,
        "07_knn_1d_vs_n.svg",
    )?;

    // ANCHOR: two_dimensions
    // 3. Two dimensions: correlated normals.
    println!();
    // statrs: the mean vector and the covariance matrix, row by row.
    let p2 = MultivariateNormal::new(vec![0.0, 0.0], vec![1.0, 0.6, 0.6, 2.0])?;
    let q2 = MultivariateNormal::new(vec![1.0, -0.5], vec![1.5, -0.3, -0.3, 1.0])?;
    let exact_2d = kl::kl_divergence(&p2, &q2);
    println!(
        "P = N((0, 0), [[1, 0.6], [0.6, 2]]), \
        Q = N((1, -0.5), [[1.5, -0.3], [-0.3, 1]])"
    );
    show("KL(P||Q) closed form", exact_2d);
    // ANCHOR_END: two_dimensions
    println!("Bias of the k = 1 estimator, two dimensions");
    let rows = bias_study(exact_2d, |n| {
        let x = mvn_points(&p2, n, &mut rng);
        let y = mvn_points(&q2, n, &mut rng);
        knn_divergence(x.view(), y.view(), 1)
    })?;
    bias_figure(
        "k-NN estimate of KL(P||Q), 2-D normals",
        exact_2d,
        &rows,
        "07_knn_2d_vs_n.svg",
    )?;

    // ANCHOR: duplicates
    // 4. Duplicates. Measurements recorded to one decimal place tie often.
    println!();
    println!("Duplicated samples (1-D pair, n = m = 1000)");
    let x: Vec<f64> = (0..1000).map(|_| p.sample(&mut rng)).collect();
    let y: Vec<f64> = (0..1000).map(|_| q.sample(&mut rng)).collect();
    show("KL(P||Q) closed form", exact);
    show("k-NN on the raw samples", knn_divergence_1d(&x, &y, 1)?);
    let rounded: Vec<f64> = x.iter().map(|v| (v * 10.0).round() / 10.0).collect();
    match knn_divergence_1d(&rounded, &y, 1) {
        Ok(value) => show("k-NN on x rounded to 0.1", value),
        Err(err) => common::print_error("k-NN on x rounded to 0.1", &err),
    }
    // The same sample pasted twice: every point has a copy. k = 2 steps over the copy
    // and gives a finite number, but the copies are not independent draws, as the
    // estimator assumes, and the number is far from the truth.
    let doubled: Vec<f64> = x.iter().chain(&x).copied().collect();
    match knn_divergence_1d(&doubled, &y, 1) {
        Ok(value) => show("k-NN, x pasted twice, k = 1", value),
        Err(err) => common::print_error("k-NN, x pasted twice, k = 1", &err),
    }
    show(
        "k-NN, x pasted twice, k = 2",
        knn_divergence_1d(&doubled, &y, 2)?,
    );
    show("k-NN, x once, k = 2", knn_divergence_1d(&x, &y, 2)?);
    // ANCHOR_END: duplicates
    Ok(())
}
// ANCHOR_END: all
