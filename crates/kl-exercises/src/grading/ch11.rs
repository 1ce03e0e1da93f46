//! Graders for chapter 11. Independent routes: the KL term as a sum of one-dimensional normal
//! pairs written out by hand (`normal_kl_by_hand`) and central differences of that sum for
//! the gradient; the Monte Carlo estimate recomputed from statrs's log-densities of `q` and
//! `p`, draw by draw.

use statrs::distribution::{Continuous, Normal};

use super::{
    Case, Draw, Fails, Got, HeldOut, Numbers, close, compare, ensure, mean_and_standard_error,
    normal_kl_by_hand, outputs,
};
use crate::ch11::{exercise_11_1, exercise_11_2};

/// `KL(N(μ, diag e^{2s}) ‖ N(0, I))` as a sum of the one-dimensional pair.
fn kl_by_pairs(mu: &[f64], ln_sd: &[f64]) -> f64 {
    mu.iter()
        .zip(ln_sd)
        .map(|(&m, &s)| normal_kl_by_hand(m, s.exp(), 0.0, 1.0))
        .sum()
}

/// Central differences of [`kl_by_pairs`] in `(μ, s)`, `h = 1e-6`.
fn gradient_by_differences(mu: &[f64], ln_sd: &[f64]) -> Vec<f64> {
    let h = 1e-6;
    let k = mu.len();
    let theta: Vec<f64> = mu.iter().chain(ln_sd).copied().collect();
    (0..2 * k)
        .map(|i| {
            let (mut up, mut down) = (theta.clone(), theta.clone());
            up[i] += h;
            down[i] -= h;
            let f = |t: &[f64]| kl_by_pairs(&t[..k], &t[k..]);
            (f(&up) - f(&down)) / (2.0 * h)
        })
        .collect()
}

pub(crate) fn grade_11_1() -> Result<(), String> {
    let cases: [(&[f64], &[f64]); 3] = [
        (&[1.0, 0.0], &[0.0, 1.0]),
        (&[0.8, -0.5], &[-0.5108256237659907, 0.26236426446749106]),
        (&[0.0, 0.0, 0.0], &[0.0, 0.0, 0.0]),
    ];
    for (mu, s) in cases {
        let what = format!("mu = {mu:?}, ln sigma = {s:?}");
        let (kl, gradient) = exercise_11_1(mu, s);
        close(&format!("{what}: KL"), kl, kl_by_pairs(mu, s), 1e-12)?;
        ensure(gradient.len() == 2 * mu.len(), || {
            format!("{what}: the gradient needs {} entries", 2 * mu.len())
        })?;
        // h = 1e-6: truncation h²·|f'''| ≈ 1e-11 here, rounding ε·KL/h ≈ 1e-10; 1e-7 is
        // a margin of hundreds.
        for (j, (g, want)) in gradient
            .iter()
            .zip(gradient_by_differences(mu, s))
            .enumerate()
        {
            close(
                &format!("{what}: gradient entry {j} against central differences"),
                *g,
                want,
                1e-7,
            )?;
        }
    }
    Ok(())
}

/// The mean of `ln q(z) − ln p(z)` at `z = μ + σ ε` from statrs's log-densities, and its
/// standard error.
fn monte_carlo_by_densities(mu: &[f64], sigma: &[f64], eps: &[Vec<f64>]) -> (f64, f64) {
    let standard = Normal::standard();
    let terms: Vec<f64> = eps
        .iter()
        .map(|e| {
            (0..mu.len())
                .map(|j| {
                    let z = mu[j] + sigma[j] * e[j];
                    let q = Normal::new(mu[j], sigma[j]).map_or(f64::NAN, |q| q.ln_pdf(z));
                    q - standard.ln_pdf(z)
                })
                .sum()
        })
        .collect();
    mean_and_standard_error(&terms)
}

/// Deterministic stand-ins for standard normal draws: `n` vectors of length `k`.
fn pseudo_normal(n: usize, k: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| {
            (0..k)
                .map(|j| {
                    let u = ((i * k + j) as f64 * 0.618_033_988_749_895 + 0.1).fract();
                    2.0 * (u - 0.5) * 1.7
                })
                .collect()
        })
        .collect()
}

pub(crate) fn grade_11_2() -> Result<(), String> {
    let cases = [
        (vec![0.8, -0.5], vec![0.6, 1.3], pseudo_normal(50, 2)),
        (vec![0.0], vec![1.0], pseudo_normal(10, 1)),
        (
            vec![2.0, 0.0, -1.0],
            vec![0.2, 3.0, 1.0],
            pseudo_normal(200, 3),
        ),
    ];
    for (mu, sigma, eps) in &cases {
        let what = format!("mu = {mu:?}, sigma = {sigma:?}, {} draws", eps.len());
        let (estimate, se) = exercise_11_2(mu, sigma, eps);
        let (want, want_se) = monte_carlo_by_densities(mu, sigma, eps);
        close(
            &format!("{what}: estimate"),
            estimate,
            want,
            1e-10 * (1.0 + want.abs()),
        )?;
        close(
            &format!("{what}: standard error"),
            se,
            want_se,
            1e-10 * (1.0 + want_se),
        )?;
    }
    Ok(())
}

// Held-out checks. References: for 11.1 the sum of one-dimensional pairs and central
// differences of it; for 11.2 the estimator recomputed from statrs's log-densities.

fn draw_11_1(d: &mut Draw) -> Vec<Case> {
    (0..8)
        .map(|j| {
            let k = d.int(1, 8) as usize;
            let mu: Vec<f64> = (0..k).map(|_| d.uniform(-3.0, 3.0)).collect();
            let s: Vec<f64> = (0..k).map(|_| d.uniform(-2.0, 1.0)).collect();
            Case {
                check: usize::from(j >= 3),
                input: vec![mu, s],
            }
        })
        .collect()
}

fn run_11_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (kl, gradient) = exercise_11_1(&i[0], &i[1]);
    Ok(vec![vec![kl], gradient])
}

fn judge_11_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let (mu, s) = (&case.input[0], &case.input[1]);
    let k = mu.len();
    let out = outputs(got, &[1, 2 * k])?;
    let what = format!("k = {k}");
    if case.check == 0 {
        let want = kl_by_pairs(mu, s);
        return compare(
            &format!("KL for {what}"),
            out[0][0],
            want,
            1e-10 * (1.0 + want),
            "σ used where σ² belongs, ln σ where ln σ² belongs, or the ½ missing",
        );
    }
    let mut f = Fails::default();
    for (j, want) in gradient_by_differences(mu, s).into_iter().enumerate() {
        let name = if j < k { "mu" } else { "ln sigma" };
        f.add(compare(
            &format!("gradient entry {j} ({name}) for {what} against central differences"),
            out[1][j],
            want,
            1e-6 * (want.abs() + 1.0),
            "the derivative in σ instead of in s = ln σ (it is σ² − 1), or μ and s out of order",
        ));
    }
    f.done()
}

/// HELD-OUT checks of 11.1.
pub(crate) const HELD_OUT_11_1: HeldOut = HeldOut {
    checks: &[("held-out KL values", 1), ("held-out gradients", 2)],
    draw: draw_11_1,
    run: run_11_1,
    judge: judge_11_1,
};

fn draw_11_2(d: &mut Draw) -> Vec<Case> {
    (0..6)
        .map(|j| {
            let k = d.int(1, 6) as usize;
            let n = d.int(20, 200) as usize;
            let mu: Vec<f64> = (0..k).map(|_| d.uniform(-2.0, 2.0)).collect();
            let sigma: Vec<f64> = (0..k).map(|_| d.uniform(0.2, 3.0)).collect();
            let eps: Vec<f64> = (0..n * k).map(|_| d.normal(0.0, 1.0)).collect();
            Case {
                check: usize::from(j >= 3),
                input: vec![mu, sigma, eps],
            }
        })
        .collect()
}

fn unpack_11_2(i: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = i[0].len().max(1);
    i[2].chunks(k).map(<[f64]>::to_vec).collect()
}

fn run_11_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (estimate, se) = exercise_11_2(&i[0], &i[1], &unpack_11_2(i));
    Ok(vec![vec![estimate, se]])
}

fn judge_11_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let (mu, sigma) = (&case.input[0], &case.input[1]);
    let eps = unpack_11_2(&case.input);
    let out = outputs(got, &[2])?;
    let (want, want_se) = monte_carlo_by_densities(mu, sigma, &eps);
    let what = format!("k = {}, {} draws", mu.len(), eps.len());
    if case.check == 0 {
        compare(
            &format!("the estimate for {what}"),
            out[0][0],
            want,
            1e-9 * (1.0 + want.abs()),
            "z = μ + σ² ε (σ is the standard deviation), or ln q evaluated at ε instead of z",
        )
    } else {
        compare(
            &format!("the standard error for {what}"),
            out[0][1],
            want_se,
            1e-9 * (1.0 + want_se),
            "divisor n instead of n − 1, or the standard deviation not divided by √n",
        )
    }
}

/// HELD-OUT checks of 11.2.
pub(crate) const HELD_OUT_11_2: HeldOut = HeldOut {
    checks: &[("held-out estimates", 2), ("held-out standard errors", 1)],
    draw: draw_11_2,
    run: run_11_2,
    judge: judge_11_2,
};
