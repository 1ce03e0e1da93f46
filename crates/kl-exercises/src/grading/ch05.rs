//! Graders for chapter 05. Independent routes: `kl::discrete::kl_divergence` and central
//! differences of it on the grid; the cross-entropy by double-exponential quadrature and its
//! central differences for the moment-matching optimum.

use statrs::distribution::{Continuous, Normal};

use super::ch04::{grid_input, judge_loss_and_gradient, ln_q_grid};
use super::{Case, Draw, Got, HeldOut, Numbers, close, compare, ensure, outputs};
use crate::ch05::{exercise_5_1, exercise_5_2};

/// The normalised normal curve on the grid, computed directly (no qᵢ underflows for the
/// parameters used here).
fn q_on_grid(x: &[f64], mu: f64, sigma: f64) -> Result<Vec<f64>, String> {
    let raw: Vec<f64> = x
        .iter()
        .map(|xi| (-((xi - mu) / sigma).powi(2) / 2.0).exp())
        .collect();
    kl::discrete::normalize(&raw).map_err(|e| e.to_string())
}

fn reverse_loss(x: &[f64], p: &[f64], mu: f64, sigma: f64) -> Result<f64, String> {
    kl::discrete::kl_divergence(&q_on_grid(x, mu, sigma)?, p).map_err(|e| e.to_string())
}

pub(crate) fn grade_5_1() -> Result<(), String> {
    let x: Vec<f64> = (0..2000).map(|i| -10.0 + 0.01 * i as f64).collect();
    let left = Normal::new(-3.0, 1.0).map_err(|e| e.to_string())?;
    let right = Normal::new(3.0, 1.0).map_err(|e| e.to_string())?;
    let wide = Normal::new(0.0, 2.0).map_err(|e| e.to_string())?;
    let bimodal: Vec<f64> = x
        .iter()
        .map(|&v| 0.5 * left.pdf(v) + 0.5 * right.pdf(v))
        .collect();
    let bimodal = kl::discrete::normalize(&bimodal).map_err(|e| e.to_string())?;
    let single: Vec<f64> = x.iter().map(|&v| wide.pdf(v)).collect();
    let single = kl::discrete::normalize(&single).map_err(|e| e.to_string())?;
    let cases: [(&str, &[f64], f64, f64); 4] = [
        ("P = ½N(-3, 1) + ½N(3, 1)", &bimodal, 0.0, 3.0),
        ("P = ½N(-3, 1) + ½N(3, 1)", &bimodal, 2.5, 0.8),
        ("P = N(0, 2)", &single, 1.0, 1.0),
        ("P = N(0, 2)", &single, -2.0, 3.5),
    ];
    for (name, p, mu, sigma) in cases {
        let what = format!("{name}, mu = {mu}, sigma = {sigma}");
        let (loss, d_mu, d_sigma) = exercise_5_1(&x, p, mu, sigma);
        let want = reverse_loss(&x, p, mu, sigma)?;
        close(
            &format!("{what}: KL(Q||P)"),
            loss,
            want,
            1e-9 * want.max(1.0),
        )?;
        // Central differences, h = 1e-5: truncation ≈ 1e-10 · |R'''|, rounding ≈ 1e-11 · |R|.
        let h = 1e-5;
        let fd_mu =
            (reverse_loss(&x, p, mu + h, sigma)? - reverse_loss(&x, p, mu - h, sigma)?) / (2.0 * h);
        let fd_sigma =
            (reverse_loss(&x, p, mu, sigma + h)? - reverse_loss(&x, p, mu, sigma - h)?) / (2.0 * h);
        close(
            &format!("{what}: dKL/dmu against central differences"),
            d_mu,
            fd_mu,
            1e-6 * fd_mu.abs().max(1.0),
        )?;
        close(
            &format!("{what}: dKL/dsigma against central differences"),
            d_sigma,
            fd_sigma,
            1e-6 * fd_sigma.abs().max(1.0),
        )?;
    }
    // At P's own parameters (on the grid: μ = 0, σ = 2) reverse KL is 0 and flat.
    let (loss, d_mu, d_sigma) = exercise_5_1(&x, &single, 0.0, 2.0);
    ensure(
        loss.abs() < 1e-12 && d_mu.abs() < 1e-9 && d_sigma.abs() < 1e-9,
        || format!("Q = P: expected (0, 0, 0), got ({loss}, {d_mu}, {d_sigma})"),
    )
}

/// `−E_P[ln q]` for a normal mixture P and `Q = N(μ, σ)`, by quadrature, split at each mean.
fn cross_entropy(w: &[f64], m: &[f64], s: &[f64], mu: f64, sigma: f64) -> f64 {
    let p = |x: f64| {
        w.iter()
            .zip(m)
            .zip(s)
            .map(|((w, m), s)| {
                w * (-((x - m) / s).powi(2) / 2.0).exp() / (s * (2.0 * std::f64::consts::PI).sqrt())
            })
            .sum::<f64>()
    };
    let ln_q = |x: f64| {
        -((x - mu) / sigma).powi(2) / 2.0 - (sigma * (2.0 * std::f64::consts::PI).sqrt()).ln()
    };
    let spread = s.iter().copied().fold(0.0, f64::max) * 15.0;
    let mut cuts: Vec<f64> = m.to_vec();
    cuts.push(m.iter().copied().fold(f64::INFINITY, f64::min) - spread);
    cuts.push(m.iter().copied().fold(f64::NEG_INFINITY, f64::max) + spread);
    cuts.sort_by(f64::total_cmp);
    cuts.windows(2)
        .map(|c| {
            quadrature::double_exponential::integrate(|x| -p(x) * ln_q(x), c[0], c[1], 1e-13)
                .integral
        })
        .sum()
}

pub(crate) fn grade_5_2() -> Result<(), String> {
    let single = exercise_5_2(&[1.0], &[1.5], &[0.7]);
    close("one component N(1.5, 0.7): mu", single.0, 1.5, 1e-14)?;
    close("one component N(1.5, 0.7): sigma", single.1, 0.7, 1e-14)?;
    // By hand: ½N(−3, 1) + ½N(3, 1) has mean 0 and variance 1 + 9 = 10.
    let (mu, sigma) = exercise_5_2(&[0.5, 0.5], &[-3.0, 3.0], &[1.0, 1.0]);
    close("½N(-3, 1) + ½N(3, 1): mu", mu, 0.0, 1e-14)?;
    close(
        "½N(-3, 1) + ½N(3, 1): sigma (sqrt 10)",
        sigma,
        10f64.sqrt(),
        1e-13,
    )?;
    // A lopsided mixture: the cross-entropy must be stationary at the answer and lower than
    // at nearby points. Quadrature is good to ≈ 1e-12; with h = 1e-4 the central differences
    // carry ≈ 1e-8 of rounding and 1e-8 · |H'''| of truncation, so 1e-6 is a safe zero.
    let (w, m, s) = ([0.2, 0.5, 0.3], [-4.0, 0.5, 6.0], [0.5, 1.5, 2.0]);
    let (mu, sigma) = exercise_5_2(&w, &m, &s);
    ensure(mu.is_finite() && sigma > 0.0, || {
        format!("three components: got ({mu}, {sigma})")
    })?;
    let h = 1e-4;
    let h_at = |a: f64, b: f64| cross_entropy(&w, &m, &s, a, b);
    let g_mu = (h_at(mu + h, sigma) - h_at(mu - h, sigma)) / (2.0 * h);
    let g_sigma = (h_at(mu, sigma + h) - h_at(mu, sigma - h)) / (2.0 * h);
    ensure(g_mu.abs() < 1e-6 && g_sigma.abs() < 1e-6, || {
        format!(
            "three components: the cross-entropy is not stationary at ({mu}, {sigma}): \
             gradient ({g_mu:e}, {g_sigma:e}) by central differences of quadrature"
        )
    })?;
    let centre = h_at(mu, sigma);
    for (dm, ds) in [(0.05, 0.0), (-0.05, 0.0), (0.0, 0.05), (0.0, -0.05)] {
        ensure(h_at(mu + dm, sigma + ds) > centre, || {
            format!(
                "three components: ({}, {}) beats your ({mu}, {sigma})",
                mu + dm,
                sigma + ds
            )
        })?;
    }
    Ok(())
}

// Held-out checks. References: the reverse loss computed here in log space, central
// differences of it (5.1); the mixture's mean and variance by double-exponential quadrature of
// its density (5.2), not by the moment formulas.

/// `R(μ, σ) = Σ qᵢ ln(qᵢ/pᵢ)` with `ln qᵢ` by log-sum-exp (every pᵢ > 0 here).
fn reverse_loss_log_space(x: &[f64], p: &[f64], mu: f64, sigma: f64) -> f64 {
    ln_q_grid(x, mu, sigma)
        .iter()
        .zip(p)
        .map(|(lq, pi)| lq.exp() * (lq - pi.ln()))
        .sum()
}

fn draw_5_1(d: &mut Draw) -> Vec<Case> {
    let mut cases = Vec::new();
    for check in 0..2 {
        for k in 0..5 {
            cases.push(Case {
                check,
                input: grid_input(d, false, k == 4),
            });
        }
    }
    cases
}

fn run_5_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (a, b, c) = exercise_5_1(&i[0], &i[1], i[2][0], i[2][1]);
    Ok(vec![vec![a, b, c]])
}

fn judge_5_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    judge_loss_and_gradient(
        i,
        got,
        case.check,
        |mu, sigma| reverse_loss_log_space(&i[0], &i[1], mu, sigma),
        [
            "KL(P‖Q) in place of KL(Q‖P), or Q's normaliser without log-sum-exp (every exp(aᵢ) \
             underflows when μ is far off the grid)",
            "the term −R·E_Q[∂a/∂θ] from differentiating the normaliser forgotten, or a missing \
             1/σ² or 1/σ³",
        ],
    )
}

/// HELD-OUT checks of 5.1.
pub(crate) const HELD_OUT_5_1: HeldOut = HeldOut {
    checks: &[("held-out loss", 2), ("held-out gradient", 2)],
    draw: draw_5_1,
    run: run_5_1,
    judge: judge_5_1,
};

fn draw_5_2(d: &mut Draw) -> Vec<Case> {
    (0..8)
        .map(|_| {
            let k = d.int(1, 4) as usize;
            let mut w: Vec<f64> = (0..k).map(|_| d.uniform(0.1, 1.0)).collect();
            let total: f64 = w.iter().sum();
            w.iter_mut().for_each(|x| *x /= total);
            let m = (0..k).map(|_| d.uniform(-6.0, 6.0)).collect();
            let s = (0..k).map(|_| d.uniform(0.3, 3.0)).collect();
            Case {
                check: 0,
                input: vec![w, m, s],
            }
        })
        .collect()
}

fn run_5_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (mu, sigma) = exercise_5_2(&i[0], &i[1], &i[2]);
    Ok(vec![vec![mu, sigma]])
}

/// `∫ g(x) p(x) dx` for the mixture, by quadrature over each component's ±20 sd in pieces.
fn mixture_integral(w: &[f64], m: &[f64], s: &[f64], g: impl Fn(f64) -> f64) -> f64 {
    let density = |x: f64| -> f64 {
        w.iter()
            .zip(m)
            .zip(s)
            .map(|((w, m), s)| {
                w * (-0.5 * ((x - m) / s).powi(2)).exp() / (s * (2.0 * std::f64::consts::PI).sqrt())
            })
            .sum()
    };
    let lo = m
        .iter()
        .zip(s)
        .map(|(m, s)| m - 20.0 * s)
        .fold(f64::INFINITY, f64::min);
    let hi = m
        .iter()
        .zip(s)
        .map(|(m, s)| m + 20.0 * s)
        .fold(f64::NEG_INFINITY, f64::max);
    let pieces = 64;
    let h = (hi - lo) / f64::from(pieces);
    (0..pieces)
        .map(|k| {
            let a = lo + f64::from(k) * h;
            quadrature::double_exponential::integrate(|x| g(x) * density(x), a, a + h, 1e-14)
                .integral
        })
        .sum()
}

fn judge_5_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let out = &outputs(got, &[2])?[0];
    let (w, m, s) = (&i[0], &i[1], &i[2]);
    let mean = mixture_integral(w, m, s, |x| x);
    let var = mixture_integral(w, m, s, |x| (x - mean) * (x - mean));
    let what = format!("mixture weights {w:?}, means {m:?}, sds {s:?}");
    let mut f = super::Fails::default();
    f.add(compare(
        &format!("μ for {what}"),
        out[0],
        mean,
        1e-8 * mean.abs().max(1.0),
        "the weights left out of E_P[X]",
    ));
    f.add(compare(
        &format!("σ for {what}"),
        out[1],
        var.sqrt(),
        1e-8 * var.sqrt().max(1.0),
        "Var_P[X] without the spread of the means (E[s²] + E[m²] − μ²), or σ² returned for σ",
    ));
    f.done()
}

/// HELD-OUT checks of 5.2.
pub(crate) const HELD_OUT_5_2: HeldOut = HeldOut {
    checks: &[("held-out mixtures", 3)],
    draw: draw_5_2,
    run: run_5_2,
    judge: judge_5_2,
};
