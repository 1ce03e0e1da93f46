//! Graders for chapter 06. Independent routes: the library closed form, a direct sum over the
//! Poisson pmfs (statrs), and reference values computed with mpmath at 60 digits.

use statrs::distribution::{Discrete, DiscreteCDF, Poisson};

use super::{close, ensure};
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
