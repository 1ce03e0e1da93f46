//! Graders for chapter 01. Independent routes: `kl::discrete`'s own functions and values
//! worked out by hand from the definitions.

use std::f64::consts::LN_2;

use kl::Error;
use kl::discrete::{cross_entropy, entropy, js_divergence, kl_divergence_unnormalized};

use super::{Draw, close, ensure};
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

/// Random pairs of probability vectors (zeros included) for the held-out checks.
fn held_out_pairs(seed: u64, salt: u64) -> Vec<(Vec<f64>, Vec<f64>)> {
    let mut d = Draw::new(seed, salt);
    (0..12)
        .map(|_| {
            let n = d.int(2, 9) as usize;
            (d.probabilities(n, 0.2), d.probabilities(n, 0.2))
        })
        .collect()
}

pub(crate) fn held_out_1_1(seed: u64) -> Result<(), String> {
    for (p, q) in held_out_pairs(seed, 11) {
        let want = js_divergence(&p, &q).map_err(|e| e.to_string())?;
        let got = exercise_1_1(&p, &q).map_err(|e| e.to_string())?;
        close(&format!("JS({p:?}, {q:?})"), got, want, 1e-12)?;
    }
    let mut d = Draw::new(seed, 111);
    let n = d.int(2, 6) as usize;
    match exercise_1_1(&d.probabilities(n, 0.0), &d.probabilities(n + 1, 0.0)) {
        Err(Error::LengthMismatch { .. }) => Ok(()),
        other => Err(format!(
            "lengths {n} and {}: expected LengthMismatch, got {other:?}",
            n + 1
        )),
    }
}

pub(crate) fn held_out_1_2(seed: u64) -> Result<(), String> {
    for (p, q) in held_out_pairs(seed, 12) {
        let (h_pq, h_p, kl) = exercise_1_2(&p, &q);
        let want_cross = cross_entropy(&p, &q).map_err(|e| e.to_string())?;
        let want_h = entropy(&p).map_err(|e| e.to_string())?;
        let want_kl = kl::discrete::kl_divergence(&p, &q).map_err(|e| e.to_string())?;
        close(&format!("H({p:?})"), h_p, want_h, 1e-12)?;
        if want_kl.is_infinite() {
            ensure(h_pq == f64::INFINITY && kl == f64::INFINITY, || {
                format!("P = {p:?}, Q = {q:?}: H(P, Q) and KL are +inf; got {h_pq} and {kl}")
            })?;
        } else {
            close(&format!("H({p:?}, {q:?})"), h_pq, want_cross, 1e-12)?;
            close(&format!("KL({p:?} || {q:?})"), kl, want_kl, 1e-12)?;
        }
    }
    Ok(())
}

pub(crate) fn held_out_1_3(seed: u64) -> Result<(), String> {
    let mut d = Draw::new(seed, 13);
    for _ in 0..12 {
        let n = d.int(2, 8) as usize;
        let cp: Vec<u64> = (0..n).map(|_| d.int(0, 40)).collect();
        let cq: Vec<u64> = (0..n).map(|_| d.int(0, 40)).collect();
        if cp.iter().sum::<u64>() == 0 || cq.iter().sum::<u64>() == 0 {
            continue;
        }
        let f = |c: &[u64]| c.iter().map(|&x| x as f64).collect::<Vec<f64>>();
        let want = kl_divergence_unnormalized(&f(&cp), &f(&cq)).map_err(|e| e.to_string())?;
        let got = exercise_1_3(&cp, &cq).map_err(|e| e.to_string())?;
        if want.is_infinite() {
            ensure(got == f64::INFINITY, || {
                format!("counts {cp:?} against {cq:?}: expected +inf, got {got}")
            })?;
        } else {
            close(&format!("counts {cp:?} against {cq:?}"), got, want, 1e-12)?;
        }
    }
    Ok(())
}
