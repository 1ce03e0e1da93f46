//! Graders for chapter 03. Independent routes: the library's closed forms (normal and uniform
//! pairs), scipy reference values, and a midpoint rule over the uniforms' densities.

use statrs::distribution::{Continuous, Normal, StudentsT, Uniform};

use super::{
    Case, Draw, Got, HeldOut, Numbers, close, compare, ensure, normal_grid_input,
    normal_kl_by_hand, outputs,
};
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

// Held-out checks. References: double-exponential quadrature of both divergences in log space
// (3.1), the normal pair's closed form written here (for the trapezoid rule of 3.2), and the
// midpoint rule over the uniforms' densities (3.3).

/// `∫ p ln(p/q)` for two normals by quadrature over P's ±20 standard deviations, in pieces.
fn normal_kl_by_quadrature(mp: f64, sp: f64, mq: f64, sq: f64) -> f64 {
    let ln = |x: f64, m: f64, s: f64| -0.5 * ((x - m) / s).powi(2) - s.ln();
    let f = |x: f64| {
        let lp = ln(x, mp, sp) - 0.5 * (2.0 * std::f64::consts::PI).ln();
        lp.exp() * (ln(x, mp, sp) - ln(x, mq, sq))
    };
    (-20..20)
        .map(|k| {
            let (a, b) = (mp + f64::from(k) * sp, mp + f64::from(k + 1) * sp);
            quadrature::double_exponential::integrate(f, a, b, 1e-14).integral
        })
        .sum()
}

fn draw_3_1(d: &mut Draw) -> Vec<Case> {
    (0..8)
        .map(|_| {
            let (mp, sp) = (d.uniform(-5.0, 5.0), d.uniform(0.2, 4.0));
            let (mq, sq) = (d.uniform(-5.0, 5.0), d.uniform(0.2, 4.0));
            Case {
                check: 0,
                input: vec![vec![mp, sp, mq, sq]],
            }
        })
        .collect()
}

fn run_3_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let v = &i[0];
    Ok(vec![vec![exercise_3_1(
        &normal(v[0], v[1])?,
        &normal(v[2], v[3])?,
    )]])
}

fn judge_3_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let v = &i[0];
    let want = normal_kl_by_quadrature(v[0], v[1], v[2], v[3])
        - normal_kl_by_quadrature(v[2], v[3], v[0], v[1]);
    compare(
        &format!(
            "KL(P‖Q) − KL(Q‖P) for N({}, {}), N({}, {})",
            v[0], v[1], v[2], v[3]
        ),
        outputs(got, &[1])?[0][0],
        want,
        1e-8 * want.abs().max(1.0),
        "variances in place of standard deviations, or the two divergences subtracted the \
         other way round",
    )
}

/// HELD-OUT checks of 3.1.
pub(crate) const HELD_OUT_3_1: HeldOut = HeldOut {
    checks: &[("held-out normal pairs", 2)],
    draw: draw_3_1,
    run: run_3_1,
    judge: judge_3_1,
};

fn draw_3_2(d: &mut Draw) -> Vec<Case> {
    let mut cases: Vec<Case> = (0..6)
        .map(|_| Case {
            check: 0,
            input: normal_grid_input(d, 12.0, false, true),
        })
        .collect();
    cases.extend((0..3).map(|_| Case {
        check: 1,
        input: normal_grid_input(d, 38.0, true, true),
    }));
    cases
}

fn run_3_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let v = &i[0];
    let (p, q) = (normal(v[0], v[1])?, normal(v[2], v[3])?);
    Ok(vec![vec![exercise_3_2(&p, &q, v[4], v[5], v[6] as usize)]])
}

fn judge_3_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let v = &i[0];
    // The trapezoid rule on a smooth integrand negligible at both ends converges faster than
    // any power of the step: with 100 pieces per standard deviation it is exact to rounding.
    compare(
        &format!(
            "trapezoid KL(N({}, {}) ‖ N({}, {})) on [{}, {}] with n = {}",
            v[0], v[1], v[2], v[3], v[4], v[5], v[6]
        ),
        outputs(got, &[1])?[0][0],
        normal_kl_by_hand(v[0], v[1], v[2], v[3]),
        1e-9,
        "pdf(x).ln() in place of ln_pdf(x) (Q's density underflows in the tails), endpoints \
         weighted 1 instead of ½, or h = (hi − lo)/(n − 1)",
    )
}

/// HELD-OUT checks of 3.2.
pub(crate) const HELD_OUT_3_2: HeldOut = HeldOut {
    checks: &[
        ("held-out normal pairs", 2),
        ("held-out wide ranges (log densities)", 2),
    ],
    draw: draw_3_2,
    run: run_3_2,
    judge: judge_3_2,
};

fn draw_3_3(d: &mut Draw) -> Vec<Case> {
    let mut cases = Vec::new();
    for k in 0..9 {
        let (aq, bq) = (d.uniform(-5.0, 0.0), d.uniform(0.5, 5.0));
        let (ap, bp) = if k < 6 {
            // P inside Q.
            let a = d.uniform(aq, bq - 0.1);
            (a, d.uniform(a + 0.05, bq))
        } else {
            // P sticks out of Q on one side.
            let a = d.uniform(aq, 0.0);
            (a, bq + d.uniform(0.01, 2.0))
        };
        let (ap, bp, aq, bq) = if k == 8 {
            (-bp, -ap, -bq, -aq)
        } else {
            (ap, bp, aq, bq)
        };
        cases.push(Case {
            check: usize::from(k >= 6),
            input: vec![vec![ap, bp, aq, bq]],
        });
    }
    cases
}

fn run_3_3(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let v = &i[0];
    Ok(vec![vec![exercise_3_3(
        &uniform(v[0], v[1])?,
        &uniform(v[2], v[3])?,
    )]])
}

fn judge_3_3(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let v = &i[0];
    let (p, q) = (uniform(v[0], v[1])?, uniform(v[2], v[3])?);
    let want = uniform_kl_midpoint(&p, &q, v[0], v[1]);
    compare(
        &format!("KL(U({}, {}) ‖ U({}, {}))", v[0], v[1], v[2], v[3]),
        outputs(got, &[1])?[0][0],
        want,
        1e-9,
        "the lengths' ratio inverted, or +∞ missing when P's interval leaves Q's",
    )
}

/// HELD-OUT checks of 3.3.
pub(crate) const HELD_OUT_3_3: HeldOut = HeldOut {
    checks: &[
        ("held-out nested intervals", 2),
        ("held-out intervals P leaves (+inf)", 1),
    ],
    draw: draw_3_3,
    run: run_3_3,
    judge: judge_3_3,
};
