// ANCHOR: all
//! # Chapter 06 — Poisson or normal? Letting KL choose a model for count data
//!
//! The original tutorial says KL can tell whether a Poisson or a normal distribution
//! better approximates some data, and stops there. This chapter does it, twice:
//!
//! 1. customers arriving at a café counter, counted minute by minute for five hours
//!    (simulated as Poisson with 3 arrivals a minute), and
//! 2. sign-ups to a website, counted day by day for a year, where the daily rate itself
//!    wanders from day to day (simulated as a gamma–Poisson mixture, i.e. a negative
//!    binomial with mean 40 and variance 200).
//!
//! Each model is fitted by maximum likelihood (`kl::models`): the Poisson's `λ` is the
//! mean; the normal's `μ` is the mean and `σ²` the variance with divisor `n`. Each
//! is then compared with the data's empirical distribution `p̂` by `KL(p̂ ‖ model)`
//! on the counts `0, 1, …, max`, plus one tail bin for everything larger (where `p̂`
//! is 0).
//!
//! The normal is continuous, so it is discretised honestly: the count `k ≥ 1` gets
//! `Φ((k+½−μ)/σ) − Φ((k−½−μ)/σ)`, and the count 0 gets everything below
//! ½, that is, the mass the normal puts on impossible negative counts is **folded onto
//! 0**, not renormalised away. The model is "round the normal to the nearest count, and
//! call anything negative 0"; the printed folded mass says how much that costs it.
//!
//! The direction matters: `KL(p̂ ‖ q) = −H(p̂) − (1/n) Σ ln q(xᵢ)` is
//! exactly what maximum likelihood minimises, and the difference between two models'
//! divergences is their difference in mean log-likelihood per observation, printed as a
//! check.
//!
//! Read the two divergences against each other, not against 0: with a few hundred
//! counts spread over dozens of values the empirical pmf is ragged, and that raggedness
//! is part of `KL(p̂ ‖ q)` for every model `q`, however good. The gap between two
//! models is free of it.
//!
//! The lesson of the two data sets: the Poisson wins when its one assumption, variance
//! equal to the mean, holds; when the counts are over-dispersed (variance five times
//! the mean) the Poisson is forced too narrow and the normal, with a free variance and
//! a mean large enough that its symmetry and its negative tail hardly matter, wins by
//! far.
//!
//! Run it with `cargo run --example 06_poisson_or_normal`. Figures go to
//! `book/src/figures/` (or to the directory in `KL_FIGURES`).

use kl::discrete::kl_divergence;
use kl::discretised::folded_normal_mle;
use kl::models::{
    discretized_normal_masses, empirical_pmf, normal_mle, poisson_masses, poisson_mle,
};
use kl_plot::Series;
use rand::SeedableRng;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use statrs::distribution::{ContinuousCDF, NegativeBinomial, Normal, Poisson};
use statrs::statistics::Distribution as _;

/// One labelled line of output: six decimals.
fn show(label: &str, value: f64) {
    println!("{label:<36}{value:>12.6}");
}

/// Fits both models to `counts`, prints the comparison, and draws the histogram with
/// the fits.
fn compare(
    title: &str,
    unit: &str,
    counts: &[u64],
    figure: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let n = counts.len() as f64;
    let k_max = counts.iter().copied().max().unwrap_or(0);
    let empirical = empirical_pmf(counts, k_max)?;

    // ANCHOR: fits
    let poisson = poisson_mle(counts)?;
    let normal = normal_mle(counts)?;
    let (mu, sigma) = (
        normal.mean().unwrap_or(f64::NAN),
        normal.std_dev().unwrap_or(f64::NAN),
    );
    let q_poisson = poisson_masses(&poisson, k_max)?;
    let q_continuous = discretized_normal_masses(&normal, k_max)?;
    // Maximum likelihood within the family the data are compared with: the normal
    // rounded to counts and folded on 0, not the normal's continuous MLE.
    let folded = folded_normal_mle(counts)?;
    let q_normal =
        discretized_normal_masses(&Normal::new(folded.mu, folded.sigma)?, k_max)?;
    // ANCHOR_END: fits

    println!("{title}: {} {unit}, counts 0..={k_max}", counts.len());
    show("sample mean", mu);
    show("sample variance (divisor n)", sigma * sigma);
    show("dispersion index variance/mean", sigma * sigma / mu);
    show("Poisson MLE lambda", poisson.lambda());
    show("normal MLE mu", mu);
    show("normal MLE sigma", sigma);
    show("normal mass below -1/2, folded on 0", normal.cdf(-0.5));
    show("folded normal MLE mu", folded.mu);
    show("folded normal MLE sigma", folded.sigma);

    // ANCHOR: divergences
    let kl_poisson = kl_divergence(&empirical, &q_poisson)?;
    let kl_normal = kl_divergence(&empirical, &q_normal)?;
    show(
        "KL(data||normal at continuous MLE)",
        kl_divergence(&empirical, &q_continuous)?,
    );
    show("KL(data||Poisson)", kl_poisson);
    show("KL(data||normal)", kl_normal);
    // The same gap from the likelihoods directly: the data's entropy cancels.
    let mean_ln =
        |q: &[f64]| counts.iter().map(|&x| q[x as usize].ln()).sum::<f64>() / n;
    let gap = kl_poisson - kl_normal;
    show("KL gap, Poisson minus normal", gap);
    show(
        "mean log-lik gap, normal - Poisson",
        mean_ln(&q_normal) - mean_ln(&q_poisson),
    );
    show("ln likelihood ratio, best vs other", n * gap.abs());
    // Both fitted by maximum likelihood; AIC = 2 (parameters) - 2 ln L.
    let ln_l_poisson = n * mean_ln(&q_poisson);
    let ln_l_normal = folded.log_likelihood;
    show("ln L Poisson (1 parameter)", ln_l_poisson);
    show("ln L normal (2 parameters)", ln_l_normal);
    show("AIC Poisson", 2.0 * 1.0 - 2.0 * ln_l_poisson);
    show("AIC normal", 2.0 * 2.0 - 2.0 * ln_l_normal);
    // ANCHOR_END: divergences
    let (winner, loser, ratio) = if kl_poisson < kl_normal {
        ("Poisson", "normal", kl_normal / kl_poisson)
    } else {
        ("normal", "Poisson", kl_poisson / kl_normal)
    };
    println!("closer to the data: {winner}; KL({loser}) / KL({winner}) = {ratio:.2}");

    let ks: Vec<f64> = (0..=k_max).map(|k| k as f64).collect();
    let bins = k_max as usize + 1;
    let poisson_label = format!("Poisson, KL = {kl_poisson:.3}");
    let normal_label = format!("discretised normal, KL = {kl_normal:.3}");
    let svg = kl_plot::histogram_with_models(
        title,
        &format!("count per {}", unit.trim_end_matches('s')),
        "data",
        &empirical[..bins],
        &[
            Series::new(&poisson_label, &ks, &q_poisson[..bins], kl_plot::Q_COLOR, 2),
            Series::new(
                &normal_label,
                &ks,
                &q_normal[..bins],
                kl_plot::PALETTE[2],
                2,
            ),
        ],
    )?;
    println!("figure {}", kl_plot::save(figure, &svg)?);
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: data
    // 1. Café arrivals: 300 minutes of a Poisson process with 3 customers a minute.
    let mut rng = StdRng::seed_from_u64(5);
    let arrivals = Poisson::new(3.0)?;
    let minutes: Vec<u64> = (0..300).map(|_| arrivals.sample(&mut rng)).collect();
    compare(
        "Customers per minute at a café",
        "minutes",
        &minutes,
        "06_cafe_arrivals.svg",
    )?;

    // 2. Sign-ups per day for a year. Each day's rate is drawn from a gamma
    //    distribution and the day's count is Poisson with that rate: a negative
    //    binomial, here with r = 10 and success probability 0.2 (statrs: failures
    //    before the r-th success), so the mean is r(1−p)/p = 40 and the variance
    //    r(1−p)/p² = 200, five times the mean.
    println!();
    let signups = NegativeBinomial::new(10.0, 0.2)?;
    let days: Vec<u64> = (0..365).map(|_| signups.sample(&mut rng)).collect();
    compare(
        "Website sign-ups per day",
        "days",
        &days,
        "06_daily_signups.svg",
    )?;
    // ANCHOR_END: data
    Ok(())
}
// ANCHOR_END: all
