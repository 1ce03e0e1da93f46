// ANCHOR: all
//! # Chapter 08 — Gaussian mixtures: EM climbs by closing a KL gap
//!
//! A Gaussian mixture explains each data point by a hidden label: which component drew
//! it. For any guess `r` of those labels, the log-likelihood splits into a lower bound
//! and a KL divergence,
//!
//! `ln p(x|θ) = ELBO(r, θ) + KL(r ‖ p(z|x, θ))`,
//!
//! and expectation–maximisation climbs it in two moves: the E-step sets `r` to the
//! posterior, which makes the KL zero and the bound tight; the M-step raises the bound.
//! This chapter draws 600 points from a known three-component mixture, fits a mixture
//! by EM from a stated start, prints the log-likelihood per iteration, shows the
//! identity numerically around one iteration, and measures how far the fit is from the
//! truth with `KL(fit ‖ true)`: by quadrature and Monte Carlo, then by bounds that
//! always hold and by a variational approximation, which also work in more dimensions,
//! side by side on a few worked pairs.
//!
//! Run it with `cargo run --example 08_gaussian_mixtures`. Figures go to
//! `book/src/figures/` (or to the directory in `KL_FIGURES`).

use kl::mixture::{
    self, GaussianMixture, Mixture, MvnMixture, Options, elbo, em, log_likelihood,
    m_step, posterior_kl, responsibilities,
};
use kl::numeric::{monte_carlo, quadrature};
use kl_plot::{P_COLOR, Q_COLOR, Series};
use nalgebra::{DMatrix, DVector};
use rand::SeedableRng;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use statrs::distribution::Continuous;

/// One labelled line of output, six decimals.
fn show(label: &str, value: f64) {
    println!("{label:<36}{value:>12.6}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The truth and a seeded sample of 600 points from it.
    let truth =
        GaussianMixture::new(&[0.3, 0.5, 0.2], &[-4.0, 0.0, 5.0], &[1.0, 1.5, 0.8])?;
    let mut rng = StdRng::seed_from_u64(8);
    let data: Vec<f64> = (0..600).map(|_| truth.sample(&mut rng)).collect();
    println!("True mixture: weights 0.3 0.5 0.2, means -4 0 5, std devs 1 1.5 0.8");
    println!("Data: 600 points drawn from it");

    // ANCHOR: start
    // 2. The start: equal weights, means at the sample's 1/6, 3/6 and 5/6 quantiles,
    //    every standard deviation the sample's.
    let mut sorted = data.clone();
    sorted.sort_by(f64::total_cmp);
    let quantile = |f: f64| sorted[((sorted.len() - 1) as f64 * f).round() as usize];
    let mean = data.iter().sum::<f64>() / data.len() as f64;
    let sd = (data.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / data.len() as f64)
        .sqrt();
    let start = GaussianMixture::new(
        &[1.0 / 3.0; 3],
        &[quantile(1.0 / 6.0), quantile(0.5), quantile(5.0 / 6.0)],
        &[sd; 3],
    )?;
    println!();
    println!(
        "Start: equal weights, means at the 1/6, 1/2, 5/6 quantiles, std dev {sd:.6}"
    );
    // ANCHOR_END: start

    // ANCHOR: identity
    // 3. The identity ln p(x|θ) = ELBO(r, θ) + KL(r ‖ p(z|x, θ)) around the first
    //    iteration.
    let uniform = vec![vec![1.0 / 3.0; 3]; data.len()];
    let ll0 = log_likelihood(&start, &data)?;
    println!();
    println!("At the start, with r uniform (1/3 each)");
    show("ln p(x|theta0)", ll0);
    show("ELBO(r, theta0)", elbo(&start, &data, &uniform)?);
    show("KL(r || posterior)", posterior_kl(&start, &data, &uniform)?);
    show(
        "ELBO + KL",
        elbo(&start, &data, &uniform)? + posterior_kl(&start, &data, &uniform)?,
    );
    let r = responsibilities(&start, &data)?;
    println!("After the E-step, r = p(z|x, theta0)");
    show("ELBO(r, theta0)", elbo(&start, &data, &r)?);
    show("KL(r || posterior)", posterior_kl(&start, &data, &r)?);
    let next = m_step(&start, &data, &r)?;
    println!("After the M-step, theta1, same r");
    show("ELBO(r, theta1)", elbo(&next, &data, &r)?);
    show(
        "KL(r || posterior at theta1)",
        posterior_kl(&next, &data, &r)?,
    );
    show(
        "ELBO + KL",
        elbo(&next, &data, &r)? + posterior_kl(&next, &data, &r)?,
    );
    show("ln p(x|theta1)", log_likelihood(&next, &data)?);
    // ANCHOR_END: identity

    // ANCHOR: em
    // 4. EM to convergence.
    let fit = em(&data, &start, &Options::default())?;
    let ll: Vec<f64> = fit.history.iter().map(|step| step.log_likelihood).collect();
    println!();
    println!(
        "EM: {} iterations, converged: {}",
        ll.len() - 1,
        fit.converged
    );
    println!("(every iteration up to 10, then every 10th, and the last)");
    for step in &fit.history {
        let i = step.iteration;
        if i <= 10 || i % 10 == 0 || i + 1 == ll.len() {
            show(
                &format!("ln p(x|theta) after iteration {i}"),
                step.log_likelihood,
            );
        }
    }
    let rises = ll.windows(2).all(|w| w[1] >= w[0]);
    println!("{:<36}{:>12}", "never decreased", rises);
    // ANCHOR_END: em

    // 5. The fitted parameters against the truth.
    println!();
    println!(
        "{:<12}{:>12}{:>12}{:>12}",
        "component", "weight", "mean", "std dev"
    );
    let m = &fit.mixture;
    for k in 0..m.len() {
        println!(
            "{:<12}{:>12.6}{:>12.6}{:>12.6}",
            format!("fit {}", k + 1),
            m.weights()[k],
            m.means()[k],
            m.std_devs()[k]
        );
        println!(
            "{:<12}{:>12.6}{:>12.6}{:>12.6}",
            format!("true {}", k + 1),
            truth.weights()[k],
            truth.means()[k],
            truth.std_devs()[k]
        );
    }

    // ANCHOR: kl_to_truth
    // 6. How far is the fit from the truth? KL both ways by adaptive quadrature over
    //    the ln-densities (GaussianMixture implements kl::numeric::LnDensity and
    //    statrs's ContinuousCDF, whose quantiles split the integral), and KL(fit||true)
    //    again by Monte Carlo with its standard error.
    println!();
    println!("KL between the fit and the truth");
    let fit_true = quadrature(m, &truth)?;
    show("KL(fit||true) quadrature", fit_true.value);
    println!("{:<36}{:>12.1e}", "  its error estimate", fit_true.error);
    let mc = monte_carlo(m, &truth, 100_000, &mut rng)?;
    show("KL(fit||true) Monte Carlo, 1e5 draws", mc.value);
    show("  its standard error", mc.error);
    show("KL(true||fit) quadrature", quadrature(&truth, m)?.value);
    show(
        "KL(start||true) quadrature",
        quadrature(&start, &truth)?.value,
    );
    let kl_ft = fit_true.value;
    // ANCHOR_END: kl_to_truth

    // ANCHOR: every_route
    // 7. KL between two mixtures has no closed form, but it has bounds. The same
    //    KL(fit||true) by the routes of kl::mixture: a lower and an upper bound that
    //    always hold, and Hershey and Olsen's variational approximation.
    println!();
    println!("KL(fit||true) by the bounds and the approximation");
    show("lower bound", mixture::lower_bound(m, &truth)?);
    show(
        "variational approximation D_var",
        mixture::variational(m, &truth)?,
    );
    let upper = mixture::variational_upper_bound(m, &truth, 1000)?;
    show("upper bound D_vub", upper.value);
    println!("{:<36}{:>12}", "  its rounds of updates", upper.iterations);
    let convexity = mixture::variational_upper_bound(m, &truth, 0)?;
    show("  at 0 rounds: the convexity bound", convexity.value);
    // ANCHOR_END: every_route

    // ANCHOR: worked_pairs
    // 8. Worked pairs, every route side by side. Monte Carlo draws 1e5 points from
    //    its own seeded generator; there is no quadrature in 2-D.
    let two_modes = GaussianMixture::new(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    let wide = GaussianMixture::new(&[1.0], &[0.0], &[2.0])?;
    let even = GaussianMixture::new(&[0.5, 0.5], &[-3.0, 3.0], &[1.0, 1.0])?;
    let uneven = GaussianMixture::new(&[0.9, 0.1], &[-3.0, 3.0], &[1.0, 1.0])?;
    let pairs_1d = [
        ("fit||true", m, &truth),
        ("true||fit", &truth, m),
        ("two modes||wide", &two_modes, &wide),
        ("wide||two modes", &wide, &two_modes),
        ("even||uneven", &even, &uneven),
    ];
    println!();
    println!("Worked pairs (nats); two modes = 0.5 N(-2, 1) + 0.5 N(2, 1),");
    println!("wide = N(0, 2), even/uneven = 0.5/0.5 and 0.9/0.1 on N(-3, 1), N(3, 1)");
    println!(
        "{:<16}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}",
        "pair", "lower", "D_var", "quad", "MC", "s.e.", "D_vub"
    );
    let mut draws = StdRng::seed_from_u64(80);
    for (label, f, g) in pairs_1d {
        let quad = format!("{:.6}", mixture::quadrature(f, g)?.value);
        route_row(label, f, g, &quad, &mut draws)?;
    }
    let (f, g) = two_dimensional()?;
    route_row("2-D pair", &f, &g, "-", &mut draws)?;
    // ANCHOR_END: worked_pairs

    // 9. Figures: the data as a density histogram with the true and fitted mixtures;
    //    the log-likelihood per iteration.
    let (edges, densities) = kl::histogram::density_bins(&data, -9.0, 9.0, 45)?;
    let xs: Vec<f64> = (0..=900).map(|i| -9.0 + 0.02 * i as f64).collect();
    let true_pdf: Vec<f64> = xs.iter().map(|&x| truth.pdf(x)).collect();
    let fit_pdf: Vec<f64> = xs.iter().map(|&x| m.pdf(x)).collect();
    let svg = kl_plot::histogram_with_curves(
        &format!("EM fit of 3 components, KL(fit||true) = {kl_ft:.3}"),
        "x",
        "data (600 points)",
        &edges,
        &densities,
        &[
            Series::new("true mixture", &xs, &true_pdf, P_COLOR, 2),
            Series::new("EM fit", &xs, &fit_pdf, Q_COLOR, 2),
        ],
    )?;
    println!("figure {}", kl_plot::save("08_mixture_fit.svg", &svg)?);
    let iterations: Vec<f64> = fit.history.iter().map(|s| s.iteration as f64).collect();
    let svg = kl_plot::lines(
        "EM: the log-likelihood never falls",
        "iteration",
        "ln p(x|theta), nats",
        &[Series::new(
            "log-likelihood",
            &iterations,
            &ll,
            kl_plot::PALETTE[0],
            2,
        )],
    )?;
    println!(
        "figure {}",
        kl_plot::save("08_mixture_log_likelihood.svg", &svg)?
    );
    Ok(())
}

// ANCHOR: route_row
/// One row of the worked pairs: the bounds, D_var, the given quadrature column, Monte
/// Carlo (1e5 draws) with its standard error, D_vub (at most 1000 rounds).
fn route_row<M: Mixture>(
    label: &str,
    f: &M,
    g: &M,
    quad: &str,
    rng: &mut StdRng,
) -> Result<(), kl::Error> {
    let mc = mixture::monte_carlo(f, g, 100_000, rng)?;
    println!(
        "{label:<16}{:>10.6}{:>10.6}{quad:>10}{:>10.6}{:>10.6}{:>10.6}",
        mixture::lower_bound(f, g)?,
        mixture::variational(f, g)?,
        mc.value,
        mc.error,
        mixture::variational_upper_bound(f, g, 1000)?.value,
    );
    Ok(())
}

/// A 2-D pair: f = 0.5 N((-2, 0), I) + 0.5 N((2, 0), [1 0.5; 0.5 1]) and
/// g = 0.3 N((-2, 1), 1.5 I) + 0.7 N((2, -1), I).
fn two_dimensional() -> Result<(MvnMixture, MvnMixture), kl::Error> {
    let point = |x: f64, y: f64| DVector::from_vec(vec![x, y]);
    let matrix = |a: f64, b: f64, d: f64| DMatrix::from_row_slice(2, 2, &[a, b, b, d]);
    let f = MvnMixture::new(
        &[0.5, 0.5],
        &[point(-2.0, 0.0), point(2.0, 0.0)],
        &[matrix(1.0, 0.0, 1.0), matrix(1.0, 0.5, 1.0)],
    )?;
    let g = MvnMixture::new(
        &[0.3, 0.7],
        &[point(-2.0, 1.0), point(2.0, -1.0)],
        &[matrix(1.5, 0.0, 1.5), matrix(1.0, 0.0, 1.0)],
    )?;
    Ok((f, g))
}
// ANCHOR_END: route_row
// ANCHOR_END: all
