//! # Chapter 11 — The VAE's KL term
//!
//! A variational autoencoder (VAE) encodes each input `x` as a distribution over
//! latent codes, `q(z|x) = N(μ, diag σ²)`, and pays for it in its loss with
//! `KL(q(z|x) ‖ N(0, I))`: the rate, in nats, that the code spends on `x`.
//!
//! 1. **The closed form.** `KL = ½ Σⱼ (μⱼ² + σⱼ² − 1 − ln σⱼ²)`
//!    (`kl::structured::standard_normal_kl`), against Monte Carlo with the
//!    reparameterisation trick: draw `ε ~ N(0, I)`, set `z = μ + σ ⊙ ε`,
//!    and average `ln q(z) − ln p(z)`, with its standard error.
//! 2. **Its gradient.** In the encoder's outputs `(μ, s = ln σ)` it is
//!    `(μ, σ² − 1)`, derived by hand, checked by central differences, and
//!    estimated by Monte Carlo through the same `z = μ + σ ⊙ ε`, which is how a
//!    VAE trains.
//! 3. **What β trades** (`kl::vae`). A linear encoder and decoder on 300 seeded 2-D
//!    points, trained by hand-derived gradients on `D + β R`: distortion
//!    `D = ½ E‖x − x̂‖²` against rate `R`. Across β, a table of both beside
//!    the Gaussian rate-distortion curve the linear model can reach, and figures
//!    of the curve and of the latent codes.
//!
//! Run it with `cargo run --example 11_vae_kl`. Figures go to `book/src/figures/`
//! (or to the directory in `KL_FIGURES`).

use kl::KlDivergence;
use kl::check::gradient_check;
use kl::structured::{DiagonalNormal, standard_normal_kl};
use kl::vae::{self, LinearVae, Options, Point2};
use kl_plot::{Legend, LineChart, PointGroup, Series};
use rand::SeedableRng;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use statrs::distribution::Normal;

/// Mean and standard error (divisor n − 1) of a list of draws.
fn mean_se(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

// ANCHOR: reparameterise
/// `n` reparameterised draws `z = μ + σ ⊙ ε`, `ε ~ N(0, I)`, each with its `ε`.
fn draws(q: &DiagonalNormal, n: usize, rng: &mut StdRng) -> Vec<(Vec<f64>, Vec<f64>)> {
    let standard = Normal::standard();
    (0..n)
        .map(|_| {
            let eps: Vec<f64> = q.mean().iter().map(|_| standard.sample(rng)).collect();
            let z = q.mean().iter().zip(q.std_dev()).zip(&eps);
            let z = z.map(|((m, s), e)| m + s * e).collect();
            (z, eps)
        })
        .collect()
}
// ANCHOR_END: reparameterise

/// The toy data: three clusters of 100 points, N(centre, 0.5) in each coordinate.
fn clusters(rng: &mut StdRng) -> Result<Vec<Point2>, Box<dyn std::error::Error>> {
    let noise = Normal::new(0.0, 0.5)?;
    let centres = [[-2.0, -1.0], [2.0, 1.0], [0.5, 2.5]];
    let mut data = Vec::new();
    for c in centres {
        for _ in 0..100 {
            data.push([c[0] + noise.sample(rng), c[1] + noise.sample(rng)]);
        }
    }
    Ok(data)
}

/// The β of the table, and those whose latent codes are drawn.
const BETAS: [f64; 7] = [0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 6.0];
const DRAWN: [f64; 3] = [0.1, 1.0, 4.0];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = StdRng::seed_from_u64(11);

    // 1. One encoder output: the closed form against Monte Carlo.
    // ANCHOR: closed_form
    let (mu, ln_sd) = ([0.8, -0.5], [0.6f64.ln(), 1.3f64.ln()]);
    let (kl, gradient) = standard_normal_kl(&mu, &ln_sd)?;
    let q = DiagonalNormal::new(mu.to_vec(), ln_sd.map(f64::exp).to_vec())?;
    let prior = DiagonalNormal::standard(2)?;
    // ANCHOR_END: closed_form
    println!("q(z|x) = N(mu, diag sigma^2), mu = (0.8, -0.5), sigma = (0.6, 1.3)");
    println!("{:<36}{kl:>12.6}", "KL(q||N(0, I)) closed form");
    let registry = q.kl_divergence(&prior);
    println!("{:<36}{registry:>12.6}", "the registry's diagonal pair");
    println!();
    println!("Monte Carlo, z = mu + sigma * eps: the mean of ln q(z) - ln p(z)");
    println!(
        "{:>8}{:>12}{:>12}{:>14}",
        "draws", "estimate", "std error", "(est - KL)/se"
    );
    // ANCHOR: monte_carlo
    for n in [100, 1_000, 10_000, 100_000] {
        let mut terms = Vec::with_capacity(n);
        for (z, _) in draws(&q, n, &mut rng) {
            terms.push(q.ln_pdf(&z)? - prior.ln_pdf(&z)?);
        }
        let (estimate, se) = mean_se(&terms);
        // ANCHOR_END: monte_carlo
        let z_score = (estimate - kl) / se;
        println!("{n:>8}{estimate:>12.6}{se:>12.6}{z_score:>14.2}");
    }

    // 2. The gradient in (μ, ln σ): by hand, by central differences, by Monte Carlo.
    // ANCHOR: gradient
    let theta = [mu[0], mu[1], ln_sd[0], ln_sd[1]];
    let loss = |t: &[f64]| Ok(standard_normal_kl(&t[..2], &t[2..])?.0);
    let check = gradient_check(loss, &gradient, &theta, 1e-5)?;
    // Per draw, d/dμ [ln q(z) − ln p(z)] = z and d/ds = −1 + z σ ε.
    let n = 100_000;
    let mut per_draw = [vec![], vec![], vec![], vec![]];
    for (z, eps) in draws(&q, n, &mut rng) {
        for j in 0..2 {
            per_draw[j].push(z[j]);
            per_draw[2 + j].push(-1.0 + z[j] * q.std_dev()[j] * eps[j]);
        }
    }
    // ANCHOR_END: gradient
    println!();
    println!(
        "Gradient of the KL term in (mu, ln sigma): hand, central differences, and"
    );
    println!("Monte Carlo through z = mu + sigma * eps ({n} draws)");
    println!(
        "{:<14}{:>12}{:>12}{:>12}{:>12}",
        "coordinate", "by hand", "numeric", "MC", "MC std err"
    );
    let names = ["mu_1", "mu_2", "ln sigma_1", "ln sigma_2"];
    for (j, name) in names.iter().enumerate() {
        let (estimate, se) = mean_se(&per_draw[j]);
        println!(
            "{name:<14}{:>12.6}{:>12.6}{estimate:>12.6}{se:>12.6}",
            gradient[j], check.numeric[j]
        );
    }
    println!(
        "{:<36}{:>12.1e}",
        "largest relative difference", check.max_relative_error
    );

    // 3. The linear VAE across β.
    // ANCHOR: data
    let data = clusters(&mut rng)?;
    let eigenvalues = vae::covariance_eigenvalues(&data)?;
    let start = LinearVae::from_slice(&[
        0.5, 0.1, -0.1, 0.5, 0.0, 0.0, 0.0, 0.0, 0.5, -0.1, 0.1, 0.5, 0.0, 0.0,
    ])?;
    let options = Options {
        learning_rate: 0.05,
        iterations: 20_000,
    };
    // ANCHOR_END: data
    let vae_check = vae::gradient_check(&data, &start, 1.0, 1e-5)?;
    println!();
    println!("Linear VAE on {} points in three clusters", data.len());
    println!(
        "data covariance eigenvalues          {:>12.6}{:>12.6}",
        eigenvalues[0], eigenvalues[1]
    );
    println!(
        "{:<36}{:>12.1e}",
        "gradient check at the start (beta=1)", vae_check.max_relative_error
    );
    println!(
        "{} steps of gradient descent, learning rate {} (D and R per point)",
        options.iterations, options.learning_rate
    );
    println!(
        "{:<6}{:>11}{:>11}{:>12}{:>11}{:>9}{:>9}",
        "beta", "rate R", "R curve", "distortion", "D curve", "sigma_1", "sigma_2"
    );
    // ANCHOR: sweep
    let mut trained = Vec::new(); // (R, D) per β
    let mut codes = Vec::new(); // the latent codes μ(x) at the β of DRAWN
    let mut largest_gradient = 0.0f64;
    for beta in BETAS {
        let fit = vae::fit(&data, &start, beta, &options)?;
        let loss = fit.history[options.iterations].loss;
        let (rate, distortion) = vae::rate_distortion_bound(&eigenvalues, beta)?;
        // ANCHOR_END: sweep
        let sd = fit.model.ln_std_dev.map(f64::exp);
        println!(
            "{beta:<6}{:>11.6}{rate:>11.6}{:>12.6}{distortion:>11.6}{:>9.4}{:>9.4}",
            loss.rate, loss.distortion, sd[0], sd[1]
        );
        trained.push((loss.rate, loss.distortion));
        largest_gradient = largest_gradient.max(fit.gradient_norm);
        if DRAWN.contains(&beta) {
            let z = data.iter().map(|&x| fit.model.code(x));
            codes.push(z.map(|[a, b]| (a, b)).collect::<Vec<_>>());
        }
    }
    println!(
        "{:<36}{:>12.1e}",
        "largest final gradient norm", largest_gradient
    );

    // Figures: the rate-distortion curve with the trained points; the latent codes.
    let levels: Vec<f64> = (0..=120)
        .map(|i| 0.05 * 10f64.powf(i as f64 / 50.0))
        .collect();
    let mut curve = (Vec::new(), Vec::new());
    for &beta in &levels {
        let (rate, distortion) = vae::rate_distortion_bound(&eigenvalues, beta)?;
        curve.0.push(rate);
        curve.1.push(distortion);
    }
    let (rates, distortions): (Vec<f64>, Vec<f64>) = trained.iter().copied().unzip();
    let svg = LineChart::new(
        "Distortion against rate: the linear VAE across beta",
        "rate R = mean KL(q(z|x) || N(0, I)), nats",
        "distortion D = E|x - x'|^2 / 2",
    )
    .dots()
    .legend(Legend::UpperRight)
    .draw(&[
        Series::new(
            "Gaussian rate-distortion curve",
            &curve.0,
            &curve.1,
            kl_plot::palette::TARGET,
            1,
        ),
        Series::new(
            "trained, beta = 0.1 ... 6",
            &rates,
            &distortions,
            kl_plot::palette::MODEL,
            2,
        ),
    ])?;
    println!("figure {}", kl_plot::save("11_rate_distortion.svg", &svg)?);

    let labels = ["beta = 0.1", "beta = 1", "beta = 4"];
    let groups: Vec<PointGroup<'_>> = codes
        .into_iter()
        .zip(labels)
        .zip(kl_plot::PALETTE)
        .map(|((points, label), color)| PointGroup {
            label,
            points,
            color,
        })
        .collect();
    let svg = kl_plot::scatter(
        "Latent codes mu(x) of the 300 points",
        "z_1",
        "z_2",
        &groups,
    )?;
    println!("figure {}", kl_plot::save("11_latent_codes.svg", &svg)?);
    Ok(())
}
