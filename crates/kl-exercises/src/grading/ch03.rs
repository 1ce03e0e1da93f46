//! Graders for chapter 03. Independent routes: the library's closed forms (normal and uniform
//! pairs), scipy reference values, and a midpoint rule over the uniforms' densities.

use statrs::distribution::{Continuous, Normal, StudentsT, Uniform};

use super::{Draw, close, ensure};
use crate::ch03::{exercise_3_1, exercise_3_2, exercise_3_3};

fn normal(mean: f64, sd: f64) -> Result<Normal, String> {
    Normal::new(mean, sd).map_err(|e| e.to_string())
}

fn uniform(a: f64, b: f64) -> Result<Uniform, String> {
    Uniform::new(a, b).map_err(|e| e.to_string())
}

pub(crate) fn grade_3_1() -> Result<(), String> {
    let pairs = [
        ((0.0, 2.0), (5.0, 4.0)),
        ((5.0, 4.0), (0.0, 2.0)),
        ((0.0, 1.0), (0.0, 3.0)),
        ((-2.0, 0.3), (1.0, 0.7)),
        ((0.0, 2.0), (2.0, 2.0)),
        ((10.0, 1.0), (-10.0, 1.0)),
    ];
    for ((mp, sp), (mq, sq)) in pairs {
        let (p, q) = (normal(mp, sp)?, normal(mq, sq)?);
        let want = kl::kl_divergence(&p, &q) - kl::kl_divergence(&q, &p);
        close(
            &format!("KL(P||Q) - KL(Q||P) for N({mp}, {sp}), N({mq}, {sq})"),
            exercise_3_1(&p, &q),
            want,
            1e-10 * want.abs().max(1.0),
        )?;
    }
    // Equal spreads: no asymmetry however far apart the means are.
    let gap = exercise_3_1(&normal(-7.0, 1.5)?, &normal(40.0, 1.5)?);
    ensure(gap.abs() < 1e-9, || {
        format!("equal standard deviations: KL is symmetric, got a gap of {gap}")
    })
}

pub(crate) fn grade_3_2() -> Result<(), String> {
    // A normal pair against the closed form. The trapezoidal rule on a smooth integrand that
    // vanishes at the ends is accurate far beyond 1e-8 with 6000 intervals on [-30, 30].
    let (p, q) = (normal(0.0, 2.0)?, normal(5.0, 4.0)?);
    close(
        "KL(N(0, 2) || N(5, 4)) on [-30, 30], n = 6000, against the closed form",
        exercise_3_2(&p, &q, -30.0, 30.0, 6000),
        kl::kl_divergence(&p, &q),
        1e-8,
    )?;
    // Two intervals by hand: points 0, 0.5, 1 with weights ¼, ½, ¼ (h = ½).
    let (p, q) = (normal(0.0, 1.0)?, normal(1.0, 2.0)?);
    let f = |x: f64| p.pdf(x) * (p.ln_pdf(x) - q.ln_pdf(x));
    close(
        "N(0, 1) against N(1, 2) on [0, 1] with n = 2 (three points, by hand)",
        exercise_3_2(&p, &q, 0.0, 1.0, 2),
        0.25 * f(0.0) + 0.5 * f(0.5) + 0.25 * f(1.0),
        1e-14,
    )?;
    // Student-t (5 d.o.f.) against the standard normal, both ways. Reference values from
    // scipy 1.17.1: integrate.quad(t.pdf(x) * (t.logpdf(x) - norm.logpdf(x)), -inf, inf)
    // = 0.12476919412360983 and the reverse 0.033376682350607985. On [-400, 400] the t's
    // tail beyond the range costs ≈ 3e-7 (scipy: 2e-6 on [-200, 200], tail ∝ L⁻³).
    let t = StudentsT::new(0.0, 1.0, 5.0).map_err(|e| e.to_string())?;
    let n = normal(0.0, 1.0)?;
    let t_n = exercise_3_2(&t, &n, -400.0, 400.0, 80_000);
    close(
        "KL(t5 || N(0, 1)) on [-400, 400], n = 80000",
        t_n,
        0.12476919412360983,
        1e-6,
    )?;
    let n_t = exercise_3_2(&n, &t, -40.0, 40.0, 8_000);
    close(
        "KL(N(0, 1) || t5) on [-40, 40], n = 8000",
        n_t,
        0.033376682350607985,
        1e-9,
    )
}

/// KL(P‖Q) for two uniforms by the midpoint rule over P's interval (where p > 0), with the
/// densities read from statrs: finite only if q > 0 at every midpoint.
fn uniform_kl_midpoint(p: &Uniform, q: &Uniform, a: f64, b: f64) -> f64 {
    let n = 10_000;
    let h = (b - a) / n as f64;
    (0..n)
        .map(|i| {
            let x = a + (i as f64 + 0.5) * h;
            let (px, qx) = (p.pdf(x), q.pdf(x));
            if qx == 0.0 {
                f64::INFINITY
            } else {
                px * (px / qx).ln() * h
            }
        })
        .sum()
}

pub(crate) fn grade_3_3() -> Result<(), String> {
    // (P's interval, Q's interval)
    let pairs = [
        ((0.0, 1.0), (0.0, 2.0)),
        ((1.0, 2.0), (0.0, 5.0)),
        ((-3.0, -1.0), (-3.0, -1.0)),
        ((0.25, 0.5), (0.0, 1.0)),
        ((0.0, 2.0), (0.0, 1.0)),
        ((0.0, 2.0), (1.0, 3.0)),
        ((-1.0, 1.0), (0.0, 0.5)),
    ];
    for ((ap, bp), (aq, bq)) in pairs {
        let (p, q) = (uniform(ap, bp)?, uniform(aq, bq)?);
        let want = uniform_kl_midpoint(&p, &q, ap, bp);
        let got = exercise_3_3(&p, &q);
        let what = format!("KL(U({ap}, {bp}) || U({aq}, {bq}))");
        if want.is_infinite() {
            ensure(got == f64::INFINITY, || {
                format!("{what}: P has mass where Q has none, so +inf; got {got}")
            })?;
        } else {
            // The integrand is constant on P's interval: the midpoint rule is exact up to
            // the rounding of 10 000 additions.
            close(&what, got, want, 1e-9)?;
            close(
                &format!("{what} against kl::kl_divergence"),
                got,
                kl::kl_divergence(&p, &q),
                1e-12,
            )?;
        }
    }
    close(
        "KL(U(0, 1) || U(0, 2)) by hand",
        exercise_3_3(&uniform(0.0, 1.0)?, &uniform(0.0, 2.0)?),
        std::f64::consts::LN_2,
        1e-15,
    )
}

pub(crate) fn held_out_3_1(seed: u64) -> Result<(), String> {
    let mut d = Draw::new(seed, 31);
    for _ in 0..8 {
        let (mp, sp) = (d.uniform(-5.0, 5.0), d.uniform(0.2, 4.0));
        let (mq, sq) = (d.uniform(-5.0, 5.0), d.uniform(0.2, 4.0));
        let (p, q) = (normal(mp, sp)?, normal(mq, sq)?);
        let want = kl::kl_divergence(&p, &q) - kl::kl_divergence(&q, &p);
        close(
            &format!("KL(P||Q) - KL(Q||P) for N({mp}, {sp}), N({mq}, {sq})"),
            exercise_3_1(&p, &q),
            want,
            1e-10 * want.abs().max(1.0),
        )?;
    }
    Ok(())
}
