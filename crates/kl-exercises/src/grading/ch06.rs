//! Graders for chapter 06. Independent routes: the library closed form, a direct sum over the
//! Poisson pmfs (statrs), and reference values computed with mpmath at 60 digits.

use statrs::distribution::{Discrete, DiscreteCDF, Poisson};

use super::{Case, Draw, Got, HeldOut, Numbers, close, compare, ensure, outputs};
use crate::ch06::{exercise_6_1, exercise_6_2};

/// `Σₖ P(k) ln(P(k)/Q(k))` until P's remaining mass is below 1e-17.
fn poisson_kl_by_sum(lp: f64, lq: f64) -> Result<f64, String> {
    let p = Poisson::new(lp).map_err(|e| e.to_string())?;
    let q = Poisson::new(lq).map_err(|e| e.to_string())?;
    let mut total = 0.0;
    let mut k = 0;
    loop {
        let ln_p = p.ln_pmf(k);
        total += ln_p.exp() * (ln_p - q.ln_pmf(k));
        if p.sf(k) < 1e-17 {
            return Ok(total);
        }
        k += 1;
    }
}

pub(crate) fn grade_6_1() -> Result<(), String> {
    let pairs = [
        (1.0, 2.0),
        (3.5, 3.5),
        (10.0, 0.5),
        (0.2, 7.0),
        (100.0, 110.0),
    ];
    for (lp, lq) in pairs {
        let want = poisson_kl_by_sum(lp, lq)?;
        // The sum's terms are exact to rounding and its tail is below 1e-15: 1e-10 relative
        // is generous.
        let p = Poisson::new(lp).map_err(|e| e.to_string())?;
        let q = Poisson::new(lq).map_err(|e| e.to_string())?;
        close(
            &format!("KL(Poisson({lp}) || Poisson({lq})) against kl::kl_divergence"),
            exercise_6_1(lp, lq),
            kl::kl_divergence(&p, &q),
            1e-12 * want.abs().max(1e-3),
        )?;
        close(
            &format!("KL(Poisson({lp}) || Poisson({lq})) against the direct sum"),
            exercise_6_1(lp, lq),
            want,
            1e-10 * want.abs().max(1e-3),
        )?;
    }
    Ok(())
}

pub(crate) fn grade_6_2() -> Result<(), String> {
    // mpmath, 60 digits: Poisson pmf by loggamma, Φ by mp.ncdf (upper tail for k ≥ λ),
    // summed until P(k) < 1e-40.
    let reference = [
        (1.0, 0.026118882043530234),
        (3.5, 0.01957415214437782),
        (10.0, 0.008819950494142783),
        (100.0, 0.0008377277024569224),
        (1000.0, 0.00008337678915590968),
    ];
    let mut previous = f64::INFINITY;
    for (lambda, want) in reference {
        let got = exercise_6_2(lambda);
        ensure(got.is_finite(), || {
            format!("lambda = {lambda}: got {got}; does some q(k) round to 0 or below?")
        })?;
        // Stopping at a remaining mass of 1e-15 leaves out terms of order 1e-13; the upper-tail
        // cells carry relative rounding errors of 1e-15. 1e-10 absolute is still 1e-6 of the
        // smallest value.
        close(
            &format!("KL(Poisson({lambda}) || rounded N({lambda}, sqrt {lambda})) against mpmath"),
            got,
            want,
            1e-10,
        )?;
        ensure(got < previous, || {
            format!("lambda = {lambda}: the divergence should fall as lambda grows")
        })?;
        previous = got;
    }
    Ok(())
}

// Held-out checks. References: a direct sum over the Poisson pmfs (6.1, not the closed form);
// for 6.2 each cell of Q by quadrature of the normal density over [k − ½, k + ½] (no
// difference of CDFs, so no cancellation in either tail) and P's pmf through ln Γ, summed until
// P's terms fall below e^−60 past the mean.

fn draw_6_1(d: &mut Draw) -> Vec<Case> {
    (0..8)
        .map(|_| {
            let (lp, lq) = (d.uniform(-2.0, 4.0).exp(), d.uniform(-2.0, 4.0).exp());
            Case {
                check: 0,
                input: vec![vec![lp, lq]],
            }
        })
        .collect()
}

fn run_6_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    Ok(vec![vec![exercise_6_1(i[0][0], i[0][1])]])
}

fn judge_6_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let (lp, lq) = (case.input[0][0], case.input[0][1]);
    let want = poisson_kl_by_sum(lp, lq)?;
    compare(
        &format!("KL(Poisson({lp}) ‖ Poisson({lq})) against a direct sum over k"),
        outputs(got, &[1])?[0][0],
        want,
        1e-9 * want.abs().max(1.0),
        "the ratio inverted (λ_q/λ_p inside the logarithm) or the − λ_p + λ_q terms swapped",
    )
}

/// HELD-OUT checks of 6.1.
pub(crate) const HELD_OUT_6_1: HeldOut = HeldOut {
    checks: &[("held-out pairs", 2)],
    draw: draw_6_1,
    run: run_6_1,
    judge: judge_6_1,
};

/// `KL(Poisson(λ) ‖ Q)` with Q's cells by quadrature of the normal density.
fn poisson_normal_kl(lambda: f64) -> f64 {
    use statrs::function::erf::erfc;
    let sd = lambda.sqrt();
    let phi = |x: f64| {
        (-0.5 * ((x - lambda) / sd).powi(2)).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt())
    };
    let mut total = 0.0;
    let mut k = 0u64;
    loop {
        let kf = k as f64;
        let ln_p = kf * lambda.ln() - lambda - statrs::function::gamma::ln_gamma(kf + 1.0);
        let q = if k == 0 {
            // Φ((½ − λ)/√λ), a lower tail: erfc never cancels.
            0.5 * erfc((lambda - 0.5) / (sd * std::f64::consts::SQRT_2))
        } else {
            quadrature::double_exponential::integrate(phi, kf - 0.5, kf + 0.5, 1e-15).integral
        };
        if ln_p.exp() > 0.0 {
            total += ln_p.exp() * (ln_p - q.ln());
        }
        if kf > lambda && ln_p < -60.0 {
            return total;
        }
        k += 1;
    }
}

fn draw_6_2(d: &mut Draw) -> Vec<Case> {
    let mut cases: Vec<Case> = (0..4)
        .map(|_| Case {
            check: 0,
            input: vec![vec![d.uniform(0.5, 20.0)]],
        })
        .collect();
    cases.extend((0..3).map(|_| Case {
        check: 1,
        input: vec![vec![d.uniform(100.0, 1000.0)]],
    }));
    cases
}

fn run_6_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    Ok(vec![vec![exercise_6_2(i[0][0])]])
}

fn judge_6_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let lambda = case.input[0][0];
    let want = poisson_normal_kl(lambda);
    compare(
        &format!("KL(Poisson({lambda}) ‖ rounded N(λ, √λ))"),
        outputs(got, &[1])?[0][0],
        want,
        1e-7 * want.abs() + 1e-12,
        "q(k) in the upper tail as a difference of CDFs near 1 (use sf there), the lower tail \
         not given to 0, or the sum stopped too early",
    )
}

/// HELD-OUT checks of 6.2.
pub(crate) const HELD_OUT_6_2: HeldOut = HeldOut {
    checks: &[
        ("held-out small λ", 2),
        ("held-out large λ (upper tail)", 2),
    ],
    draw: draw_6_2,
    run: run_6_2,
    judge: judge_6_2,
};
