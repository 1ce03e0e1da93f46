//! Graders for chapter 01. Independent routes: `kl::discrete`'s own functions and values
//! worked out by hand from the definitions.

use std::f64::consts::LN_2;

use kl::Error;
use kl::discrete::{cross_entropy, entropy, js_divergence, kl_divergence_unnormalized};

use super::{
    Case, Draw, Fails, Got, HeldOut, Numbers, close, compare, ensure, entropy_by_hand, err_text,
    expect_error, outputs,
};
use crate::ch01::{exercise_1_1, exercise_1_2, exercise_1_3};

/// Pairs of probability vectors with zeros, near-zeros and uneven lengths of support.
const PAIRS: &[(&[f64], &[f64])] = &[
    (&[0.5, 0.5], &[0.9, 0.1]),
    (&[0.1, 0.2, 0.3, 0.4], &[0.25, 0.25, 0.25, 0.25]),
    (&[0.0, 0.5, 0.5], &[0.2, 0.0, 0.8]),
    (&[1.0, 0.0], &[0.0, 1.0]),
    (&[0.999, 0.001], &[0.001, 0.999]),
];

pub(crate) fn grade_1_1() -> Result<(), String> {
    // By hand: M = (0.7, 0.3) for P = (0.5, 0.5), Q = (0.9, 0.1).
    let hand = 0.5 * (0.5 * (0.5f64 / 0.7).ln() + 0.5 * (0.5f64 / 0.3).ln())
        + 0.5 * (0.9 * (0.9f64 / 0.7).ln() + 0.1 * (0.1f64 / 0.3).ln());
    let got = exercise_1_1(&[0.5, 0.5], &[0.9, 0.1]).map_err(|e| e.to_string())?;
    close(
        "JS((0.5, 0.5), (0.9, 0.1)) against the hand value",
        got,
        hand,
        1e-12,
    )?;
    for (p, q) in PAIRS {
        let want = js_divergence(p, q).map_err(|e| e.to_string())?;
        let pq = exercise_1_1(p, q).map_err(|e| e.to_string())?;
        let qp = exercise_1_1(q, p).map_err(|e| e.to_string())?;
        close(&format!("JS({p:?}, {q:?})"), pq, want, 1e-12)?;
        close(&format!("JS({q:?}, {p:?}) (symmetry)"), qp, want, 1e-12)?;
        ensure(pq <= LN_2 + 1e-12, || {
            format!("JS({p:?}, {q:?}) = {pq} exceeds ln 2")
        })?;
    }
    // Disjoint supports: exactly ln 2, not infinity.
    let disjoint = exercise_1_1(&[1.0, 0.0], &[0.0, 1.0]).map_err(|e| e.to_string())?;
    close("JS of disjoint supports (ln 2)", disjoint, LN_2, 1e-12)?;
    let same = exercise_1_1(&[0.2, 0.8], &[0.2, 0.8]).map_err(|e| e.to_string())?;
    close("JS(P, P)", same, 0.0, 1e-15)?;
    match exercise_1_1(&[0.5, 0.5], &[0.2, 0.3, 0.5]) {
        Err(Error::LengthMismatch { .. }) => {}
        other => {
            return Err(format!(
                "lengths 2 and 3: expected LengthMismatch, got {other:?}"
            ));
        }
    }
    match exercise_1_1(&[0.5, 0.6], &[0.5, 0.5]) {
        Err(Error::NotNormalized { .. }) => Ok(()),
        other => Err(format!(
            "P = (0.5, 0.6) sums to 1.1: expected the NotNormalized error passed on, got {other:?}"
        )),
    }
}

pub(crate) fn grade_1_2() -> Result<(), String> {
    // By hand: H(P,Q) = −0.5 ln 0.9 − 0.5 ln 0.1, H(P) = ln 2.
    let (h_pq, h_p, kl) = exercise_1_2(&[0.5, 0.5], &[0.9, 0.1]);
    let hand_cross = -0.5 * 0.9f64.ln() - 0.5 * 0.1f64.ln();
    close(
        "H(P, Q) for (0.5, 0.5), (0.9, 0.1)",
        h_pq,
        hand_cross,
        1e-12,
    )?;
    close("H(P) for (0.5, 0.5)", h_p, LN_2, 1e-12)?;
    close(
        "KL for (0.5, 0.5), (0.9, 0.1)",
        kl,
        hand_cross - LN_2,
        1e-12,
    )?;
    for (p, q) in PAIRS {
        let (h_pq, h_p, kl) = exercise_1_2(p, q);
        let want_cross = cross_entropy(p, q).map_err(|e| e.to_string())?;
        let want_h = entropy(p).map_err(|e| e.to_string())?;
        let want_kl = kl::discrete::kl_divergence(p, q).map_err(|e| e.to_string())?;
        ensure(!h_p.is_nan(), || {
            format!("H({p:?}) is NaN: is 0 · ln 0 taken as 0?")
        })?;
        close(&format!("H({p:?})"), h_p, want_h, 1e-12)?;
        if want_kl.is_infinite() {
            ensure(h_pq == f64::INFINITY && kl == f64::INFINITY, || {
                format!(
                    "P = {p:?}, Q = {q:?}: Q rules out an outcome P allows, so H(P, Q) and KL \
                     are +inf; got {h_pq} and {kl}"
                )
            })?;
        } else {
            close(&format!("H({p:?}, {q:?})"), h_pq, want_cross, 1e-12)?;
            close(&format!("KL({p:?} || {q:?})"), kl, want_kl, 1e-12)?;
        }
    }
    Ok(())
}

pub(crate) fn grade_1_3() -> Result<(), String> {
    let to_f64 = |c: &[u64]| c.iter().map(|&x| x as f64).collect::<Vec<f64>>();
    // By hand: counts (1, 1) and (9, 1) are P = (0.5, 0.5), Q = (0.9, 0.1);
    // KL = 0.5 ln(0.5/0.9) + 0.5 ln(0.5/0.1).
    let hand = 0.5 * (0.5f64 / 0.9).ln() + 0.5 * (0.5f64 / 0.1).ln();
    let got = exercise_1_3(&[1, 1], &[9, 1]).map_err(|e| e.to_string())?;
    close("counts (1, 1) against (9, 1)", got, hand, 1e-12)?;
    let cases: &[(&[u64], &[u64])] = &[
        (&[10, 12, 9, 11, 8, 10], &[5, 5, 5, 5, 5, 25]),
        (&[0, 3, 7], &[1, 1, 8]),
        (&[1000, 1], &[1, 1000]),
        (&[3], &[17]),
    ];
    for (cp, cq) in cases {
        let want =
            kl_divergence_unnormalized(&to_f64(cp), &to_f64(cq)).map_err(|e| e.to_string())?;
        let got = exercise_1_3(cp, cq).map_err(|e| e.to_string())?;
        close(&format!("counts {cp:?} against {cq:?}"), got, want, 1e-12)?;
    }
    let unseen = exercise_1_3(&[2, 1], &[3, 0]).map_err(|e| e.to_string())?;
    ensure(unseen == f64::INFINITY, || {
        format!("counts (2, 1) against (3, 0): a face never seen under Q gives +inf, got {unseen}")
    })?;
    match exercise_1_3(&[0, 0], &[1, 1]) {
        Err(Error::ZeroTotal { name: "counts_p" }) => {}
        other => {
            return Err(format!(
                "counts_p all zero: expected ZeroTotal {{ name: \"counts_p\" }}, got {other:?}"
            ));
        }
    }
    match exercise_1_3(&[1, 1], &[0, 0]) {
        Err(Error::ZeroTotal { name: "counts_q" }) => {}
        other => {
            return Err(format!(
                "counts_q all zero: expected ZeroTotal {{ name: \"counts_q\" }}, got {other:?}"
            ));
        }
    }
    match exercise_1_3(&[1, 1], &[1, 1, 1]) {
        Err(Error::LengthMismatch { p_len: 2, q_len: 3 }) => Ok(()),
        other => Err(format!(
            "lengths 2 and 3: expected LengthMismatch {{ p_len: 2, q_len: 3 }}, got {other:?}"
        )),
    }
}

// Held-out checks. References by the grader's own sums, by other routes than the
// exercise's: JS through entropies (H(M) − ½H(P) − ½H(Q)), KL as Σ p ln(p/q) rather than a
// difference, and the counts' KL through Σ c ln c identities in the counts themselves.

/// `Σ pᵢ ln(pᵢ/qᵢ)` term by term: +∞ where qᵢ = 0 < pᵢ.
fn own_kl(p: &[f64], q: &[f64]) -> f64 {
    p.iter()
        .zip(q)
        .filter(|(a, _)| **a > 0.0)
        .map(|(a, b)| {
            if *b == 0.0 {
                f64::INFINITY
            } else {
                a * (a / b).ln()
            }
        })
        .sum()
}

/// A pair of probability vectors of one length, zeros included.
fn pair(d: &mut Draw, zeros: f64) -> Numbers {
    let n = d.int(2, 9) as usize;
    vec![d.probabilities(n, zeros), d.probabilities(n, zeros)]
}

/// A pair with disjoint supports (even and odd outcomes).
fn disjoint(d: &mut Draw) -> Numbers {
    let n = d.int(2, 8) as usize;
    let mut p = d.probabilities(n, 0.0);
    let mut q = d.probabilities(n, 0.0);
    for i in 0..n {
        if i % 2 == 0 { q[i] = 0.0 } else { p[i] = 0.0 }
    }
    let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
    p.iter_mut().for_each(|x| *x /= sp);
    q.iter_mut().for_each(|x| *x /= sq);
    vec![p, q]
}

fn draw_1_1(d: &mut Draw) -> Vec<Case> {
    let mut cases: Vec<Case> = (0..10)
        .map(|_| Case {
            check: 0,
            input: pair(d, 0.2),
        })
        .collect();
    cases.extend((0..2).map(|_| Case {
        check: 1,
        input: disjoint(d),
    }));
    let n = d.int(2, 6) as usize;
    cases.push(Case {
        check: 1,
        input: vec![d.probabilities(n, 0.0), d.probabilities(n + 1, 0.0)],
    });
    cases
}

fn run_1_1(i: &[Vec<f64>]) -> Result<Numbers, String> {
    exercise_1_1(&i[0], &i[1])
        .map(|v| vec![vec![v]])
        .map_err(err_text)
}

fn judge_1_1(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let (p, q) = (&i[0], &i[1]);
    if p.len() != q.len() {
        return expect_error(
            &format!("lengths {} and {}", p.len(), q.len()),
            got,
            "LengthMismatch",
        );
    }
    let v = outputs(got, &[1])?[0][0];
    let m: Vec<f64> = p.iter().zip(q).map(|(a, b)| 0.5 * (a + b)).collect();
    let want = entropy_by_hand(&m) - 0.5 * entropy_by_hand(p) - 0.5 * entropy_by_hand(q);
    let mut f = Fails::default();
    f.add(compare(
        &format!("JS({p:?}, {q:?})"),
        v,
        want,
        1e-12,
        "M built wrongly, a missing ½, or KL(P‖Q) used in place of KL(P‖M)",
    ));
    f.add(ensure(v <= LN_2 + 1e-12, || {
        format!("JS = {v} exceeds ln 2")
    }));
    f.done()
}

/// HELD-OUT checks of 1.1.
pub(crate) const HELD_OUT_1_1: HeldOut = HeldOut {
    checks: &[
        ("held-out pairs", 1),
        ("held-out disjoint supports and errors", 1),
    ],
    draw: draw_1_1,
    run: run_1_1,
    judge: judge_1_1,
};

fn draw_1_2(d: &mut Draw) -> Vec<Case> {
    let mut cases: Vec<Case> = (0..10)
        .map(|_| {
            // Q positive everywhere: finite values.
            let n = d.int(2, 9) as usize;
            Case {
                check: 0,
                input: vec![d.probabilities(n, 0.3), d.probabilities(n, 0.0)],
            }
        })
        .collect();
    cases.extend((0..3).map(|_| {
        let mut input = pair(d, 0.0);
        let j = d.int(0, input[0].len() as u64 - 1) as usize;
        let moved = input[1][j];
        input[1][j] = 0.0;
        let k = (j + 1) % input[1].len();
        input[1][k] += moved;
        Case { check: 1, input }
    }));
    cases
}

fn run_1_2(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let (a, b, c) = exercise_1_2(&i[0], &i[1]);
    Ok(vec![vec![a, b, c]])
}

fn judge_1_2(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let (p, q) = (&i[0], &i[1]);
    let v = &outputs(got, &[3])?[0];
    let cross = -p
        .iter()
        .zip(q)
        .filter(|(a, _)| **a > 0.0)
        .map(|(a, b)| a * b.ln())
        .sum::<f64>();
    let mut f = Fails::default();
    f.add(compare(
        &format!("H(P) for P = {p:?}"),
        v[1],
        entropy_by_hand(p),
        1e-12,
        "0 · ln 0 not taken as 0 (a NaN), or a sign slip",
    ));
    f.add(compare(
        &format!("H(P, Q) for P = {p:?}, Q = {q:?}"),
        v[0],
        cross,
        1e-12,
        "ln pᵢ in place of ln qᵢ, or qᵢ = 0 under pᵢ > 0 not giving +∞",
    ));
    f.add(compare(
        &format!("KL(P‖Q) for P = {p:?}, Q = {q:?}"),
        v[2],
        own_kl(p, q),
        1e-12,
        "KL is H(P, Q) − H(P), and +∞ when H(P, Q) is",
    ));
    f.done()
}

/// HELD-OUT checks of 1.2.
pub(crate) const HELD_OUT_1_2: HeldOut = HeldOut {
    checks: &[
        ("held-out pairs", 2),
        ("held-out pairs where Q rules out an outcome", 1),
    ],
    draw: draw_1_2,
    run: run_1_2,
    judge: judge_1_2,
};

fn draw_1_3(d: &mut Draw) -> Vec<Case> {
    let mut cases = Vec::new();
    while cases.len() < 12 {
        let n = d.int(2, 8) as usize;
        let cp: Vec<f64> = (0..n).map(|_| d.int(0, 40) as f64).collect();
        let cq: Vec<f64> = (0..n).map(|_| d.int(0, 40) as f64).collect();
        if cp.iter().sum::<f64>() > 0.0 && cq.iter().sum::<f64>() > 0.0 {
            cases.push(Case {
                check: 0,
                input: vec![cp, cq],
            });
        }
    }
    let n = d.int(2, 6) as usize;
    let some: Vec<f64> = (0..n).map(|_| d.int(1, 30) as f64).collect();
    let zeros = vec![0.0; n];
    cases.push(Case {
        check: 1,
        input: vec![zeros.clone(), some.clone()],
    });
    cases.push(Case {
        check: 1,
        input: vec![some.clone(), zeros],
    });
    let mut longer = some.clone();
    longer.push(d.int(1, 9) as f64);
    cases.push(Case {
        check: 1,
        input: vec![some, longer],
    });
    cases
}

fn run_1_3(i: &[Vec<f64>]) -> Result<Numbers, String> {
    let c = |v: &[f64]| v.iter().map(|&x| x as u64).collect::<Vec<u64>>();
    exercise_1_3(&c(&i[0]), &c(&i[1]))
        .map(|v| vec![vec![v]])
        .map_err(err_text)
}

fn judge_1_3(case: &Case, got: Got<'_>) -> Result<(), String> {
    let i = &case.input[..];
    let (cp, cq) = (&i[0], &i[1]);
    let (np, nq): (f64, f64) = (cp.iter().sum(), cq.iter().sum());
    if cp.len() != cq.len() {
        let want = format!(
            "LengthMismatch {{ p_len: {}, q_len: {} }}",
            cp.len(),
            cq.len()
        );
        return expect_error(
            &format!("counts of lengths {} and {}", cp.len(), cq.len()),
            got,
            &want,
        );
    }
    if np == 0.0 {
        return expect_error("counts_p all zero", got, "ZeroTotal { name: \"counts_p\" }");
    }
    if nq == 0.0 {
        return expect_error("counts_q all zero", got, "ZeroTotal { name: \"counts_q\" }");
    }
    let v = outputs(got, &[1])?[0][0];
    // KL = (1/Nₚ) Σ cₚ ln cₚ − ln Nₚ − (1/Nₚ) Σ cₚ ln c_q + ln N_q, over cₚ > 0.
    let unseen = cp.iter().zip(cq).any(|(a, b)| *a > 0.0 && *b == 0.0);
    let want = if unseen {
        f64::INFINITY
    } else {
        let s: f64 = cp
            .iter()
            .zip(cq)
            .filter(|(a, _)| **a > 0.0)
            .map(|(a, b)| a * (a.ln() - b.ln()))
            .sum();
        s / np - np.ln() + nq.ln()
    };
    compare(
        &format!("counts {cp:?} against {cq:?}"),
        v,
        want,
        1e-12,
        "frequencies not divided by their own totals, or a face unseen under Q not giving +∞",
    )
}

/// HELD-OUT checks of 1.3.
pub(crate) const HELD_OUT_1_3: HeldOut = HeldOut {
    checks: &[("held-out counts", 2), ("held-out errors", 1)],
    draw: draw_1_3,
    run: run_1_3,
    judge: judge_1_3,
};
