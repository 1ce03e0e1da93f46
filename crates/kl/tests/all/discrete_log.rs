//! `kl::discrete` in log space, from logits and by rows (issue 18): each value against the
//! probability-space function on the same distribution, the logit gradient against central
//! differences, the rules for `−∞`, NaN and `+∞`, and the errors that name a row.

use std::f64::consts::LN_2;

use crate::common::prob;
use kl::Error;
use kl::check::gradient_check;
use kl::discrete::{
    Scale, cross_entropy, cross_entropy_log, cross_entropy_logits, cross_entropy_logits_gradient,
    js_divergence, js_divergence_log, js_divergence_logits, kl_divergence, kl_divergence_log,
    kl_divergence_logits, kl_divergence_logits_gradient, rows,
};
use ndarray::{Array2, ShapeBuilder};
use proptest::prelude::{ProptestConfig, Strategy, prop, prop_assert, proptest};

/// Two probability vectors over the same outcomes.
fn pair() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (1usize..40).prop_flat_map(|n| (prob(n), prob(n)))
}

fn logits(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-30.0f64..30.0, n)
}

fn ln(v: &[f64]) -> Vec<f64> {
    v.iter().map(|x| x.ln()).collect()
}

/// Softmax written out in the test (max subtracted, plain sum): the independent route.
fn softmax_plain(z: &[f64]) -> Vec<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|x| (x - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.into_iter().map(|x| x / s).collect()
}

/// How far a log-space value may sit from the probability-space one. The inputs differ by the
/// rounding of `ln` (and of `exp` on the way back): `|Δaᵢ| ≤ 2^-52 |aᵢ|`, and a term
/// `pᵢ aᵢ − pᵢ bᵢ` moves by about `pᵢ (1 + |aᵢ − bᵢ|)(|aᵢ| + |bᵢ|) 2^-52`; summed, with a margin
/// of 4 and the kernels' own few ulp of the value.
fn log_tolerance(p: &[f64], q: &[f64], value: f64) -> f64 {
    let spread: f64 = p
        .iter()
        .zip(q)
        .filter(|(pi, qi)| **pi > 0.0 && **qi > 0.0)
        .map(|(pi, qi)| {
            let (a, b) = (pi.ln(), qi.ln());
            (pi + qi) * (1.0 + (a - b).abs()) * (a.abs() + b.abs())
        })
        .sum();
    4.0 * f64::EPSILON * spread + 1e-14 * value.abs() + 1e-300
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// KL, H(P, Q) and JS from `ln p`, `ln q` equal those from `p`, `q` (zeros as `−∞`).
    #[test]
    fn log_space_equals_probability_space((p, q) in pair()) {
        let (lp, lq) = (ln(&p), ln(&q));
        for (from_log, from_prob) in [
            (kl_divergence_log(&lp, &lq).unwrap(), kl_divergence(&p, &q).unwrap()),
            (cross_entropy_log(&lp, &lq).unwrap(), cross_entropy(&p, &q).unwrap()),
            (js_divergence_log(&lp, &lq).unwrap(), js_divergence(&p, &q).unwrap()),
        ] {
            if from_prob.is_infinite() {
                prop_assert!(from_log.is_infinite());
            } else {
                let tol = log_tolerance(&p, &q, from_prob);
                prop_assert!((from_log - from_prob).abs() <= tol,
                    "{} vs {} (tolerance {:e})", from_log, from_prob, tol);
            }
        }
    }

    /// From logits: the values of the softmaxes, computed here by a plain softmax.
    #[test]
    fn logits_equal_the_softmax_probabilities(
        (z, w) in (1usize..30).prop_flat_map(|n| (logits(n), logits(n))),
        shift in -500.0f64..500.0,
    ) {
        let (p, q) = (softmax_plain(&z), softmax_plain(&w));
        // Shifting every logit of one side by a constant changes nothing but rounding.
        let z_shifted: Vec<f64> = z.iter().map(|x| x + shift).collect();
        for (from_logits, from_prob) in [
            (kl_divergence_logits(&z_shifted, &w).unwrap(), kl_divergence(&p, &q).unwrap()),
            (cross_entropy_logits(&z_shifted, &w).unwrap(), cross_entropy(&p, &q).unwrap()),
            (js_divergence_logits(&z_shifted, &w).unwrap(), js_divergence(&p, &q).unwrap()),
        ] {
            // The logits differ from ln p by the rounding of the shift (|Δz| ≤ 2^-52·530 per
            // entry), which moves the value by at most Σ|∂/∂z| · that, ≤ 2(1 + |ln p/q|max).
            let dmax = p.iter().zip(&q).map(|(a, b)| (a.ln() - b.ln()).abs()).fold(0.0, f64::max);
            let tol = log_tolerance(&p, &q, from_prob) + 4.0 * 530.0 * f64::EPSILON * (1.0 + dmax);
            prop_assert!((from_logits - from_prob).abs() <= tol,
                "{} vs {} (tolerance {:e})", from_logits, from_prob, tol);
        }
    }

    /// The hand gradient softmax(z) − p of KL(p ‖ softmax z) and of H(p, softmax z) against
    /// central differences of the loss. Step 1e-5: truncation h²/6·|L'''| ≤ 1e-10·(|L'''| ≤ 2),
    /// rounding 2^-52·L/h ≤ 2e-11·L (L ≤ 60 here); 1e-8 leaves a margin over both.
    #[test]
    fn logit_gradient_matches_central_differences(
        (p, z) in (1usize..12).prop_flat_map(|n| (prob(n), logits(n))),
    ) {
        for loss in [kl_divergence_logits_gradient, cross_entropy_logits_gradient] {
            let (value, grad) = loss(&p, &z).unwrap();
            prop_assert!(value.is_finite() && grad.iter().all(|g| g.is_finite()));
            let f = |t: &[f64]| loss(&p, t).map(|(v, _)| v);
            let check = gradient_check(f, &grad, &z, 1e-5).unwrap();
            prop_assert!(check.max_abs_error < 1e-8, "{:?}", check);
        }
    }

    /// The value beside the gradient is the probability-space divergence of p and softmax(z),
    /// and H = H(P) + KL.
    #[test]
    fn logit_loss_values_match_probability_space(
        (p, z) in (1usize..30).prop_flat_map(|n| (prob(n), logits(n))),
    ) {
        let q = softmax_plain(&z);
        let (kl, _) = kl_divergence_logits_gradient(&p, &z).unwrap();
        let (h, _) = cross_entropy_logits_gradient(&p, &z).unwrap();
        let tol = log_tolerance(&p, &q, kl) + 1e-13;
        prop_assert!((kl - kl_divergence(&p, &q).unwrap()).abs() <= tol);
        prop_assert!((h - cross_entropy(&p, &q).unwrap()).abs() <= tol + 1e-14 * h);
        let h_p = kl::discrete::entropy(&p).unwrap();
        prop_assert!((h - (h_p + kl)).abs() <= 1e-12 * (1.0 + h));
    }

    /// Rows: each row's value is the slice function's, bit for bit, for every scale; the mean
    /// is their mean.
    #[test]
    fn rows_are_the_slice_functions_row_by_row(
        (r, c) in (1usize..6, 1usize..12),
        seed in 0u64..1000,
    ) {
        let (p, q) = batch(r, c, seed);
        let kl_rows = rows::kl_divergence(p.view(), q.view(), Scale::Probabilities).unwrap();
        let js_rows = rows::js_divergence(p.view(), q.view(), Scale::Probabilities).unwrap();
        let (lp, lq) = (p.mapv(f64::ln), q.mapv(f64::ln));
        let ce_rows = rows::cross_entropy(lp.view(), lq.view(), Scale::LogProbabilities).unwrap();
        let kl_logit_rows = rows::kl_divergence(lp.view(), lq.view(), Scale::Logits).unwrap();
        for i in 0..r {
            let (pi, qi) = (p.row(i).to_vec(), q.row(i).to_vec());
            prop_assert!(kl_rows[i] == kl_divergence(&pi, &qi).unwrap());
            prop_assert!(js_rows[i] == js_divergence(&pi, &qi).unwrap());
            let (lpi, lqi) = (ln(&pi), ln(&qi));
            prop_assert!(ce_rows[i] == cross_entropy_log(&lpi, &lqi).unwrap());
            prop_assert!(kl_logit_rows[i] == kl_divergence_logits(&lpi, &lqi).unwrap());
        }
        let mean = rows::kl_divergence_mean(p.view(), q.view(), Scale::Probabilities).unwrap();
        let plain = kl_rows.iter().sum::<f64>() / r as f64;
        prop_assert!((mean - plain).abs() <= 1e-15 * (1.0 + plain));
    }
}

/// `r` rows of `c` strictly positive probabilities, from a cheap deterministic formula.
fn batch(r: usize, c: usize, seed: u64) -> (Array2<f64>, Array2<f64>) {
    let draw = |salt: u64| {
        let mut m = Array2::from_shape_fn((r, c), |(i, j)| {
            let h = ((i * c + j) as u64 + seed * 7919 + salt).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            1.0 + (h >> 44) as f64
        });
        for mut row in m.rows_mut() {
            let s: f64 = row.sum();
            row.mapv_inplace(|x| x / s);
        }
        m
    };
    (draw(0), draw(1))
}

/// Near-equal distributions given by their logarithms: P = (½, ½), ln q = ln ½ + ln(1 ± 2t),
/// KL = −½ ln(1 − 4t²) exactly. The inputs' own rounding (|Δ(b − a)| ≤ 2 ulp(ln 2) = 2.2e-16
/// against b − a ≈ 2t) bounds the relative accuracy any method can reach by 2·2.2e-16/(2t);
/// the log kernel stays within it (the naive Σ eᵃ(a − b) would lose every digit at t = 1e-6),
/// for KL and for JS.
#[test]
fn near_equal_log_inputs_keep_their_accuracy() {
    for t in [1e-3f64, 1e-5, 1e-6] {
        let half = 0.5f64.ln();
        let log_p = [half, half];
        let log_q = [half + (2.0 * t).ln_1p(), half + (-2.0 * t).ln_1p()];
        let exact = -0.5 * (-4.0 * t * t).ln_1p();
        let got = kl_divergence_log(&log_p, &log_q).unwrap();
        let rel = ((got - exact) / exact).abs();
        assert!(
            rel <= 4.0 * 2.2e-16 / t,
            "t = {t:e}: {got:e} vs {exact:e} ({rel:e})"
        );
        // JS of the same pair: ½[KL(P‖M) + KL(Q‖M)], M = (½ + t/2, ½ − t/2), each written with
        // ln_1p (its own cancellation costs ≈ 1e-16/t relative, within the same bound).
        let (l1, l2) = (t.ln_1p(), (-t).ln_1p());
        let kl_pm = -0.5 * (l1 + l2);
        let kl_qm = (0.5 + t) * ((2.0 * t).ln_1p() - l1) + (0.5 - t) * ((-2.0 * t).ln_1p() - l2);
        let exact = 0.5 * (kl_pm + kl_qm);
        let got = js_divergence_log(&log_p, &log_q).unwrap();
        let rel = ((got - exact) / exact).abs();
        assert!(
            rel <= 8.0 * 2.2e-16 / t,
            "JS, t = {t:e}: {got:e} vs {exact:e} ({rel:e})"
        );
    }
}

#[test]
fn minus_infinity_is_a_zero_mass() {
    let inf = f64::NEG_INFINITY;
    let half = 0.5f64.ln();
    // P has no mass where Q has none: 0; where Q has mass: nothing added.
    assert_eq!(kl_divergence_log(&[0.0, inf], &[0.0, inf]).unwrap(), 0.0);
    let kl = kl_divergence_log(&[0.0, inf], &[half, half]).unwrap();
    assert!((kl - LN_2).abs() < 1e-15);
    // Q has none where P has mass: +∞ for KL and H, finite for JS.
    assert_eq!(
        kl_divergence_log(&[half, half], &[0.0, inf]).unwrap(),
        f64::INFINITY
    );
    assert_eq!(
        cross_entropy_log(&[half, half], &[0.0, inf]).unwrap(),
        f64::INFINITY
    );
    let js = js_divergence_log(&[half, half], &[0.0, inf]).unwrap();
    assert!((js - js_divergence(&[0.5, 0.5], &[1.0, 0.0]).unwrap()).abs() < 1e-15);
    // A mass below the smallest double still counts in log space: ln q = −800.
    let kl = kl_divergence_log(&[half, half], &[0.0, -800.0]).unwrap();
    assert!(
        (kl - (0.5 * (half + 800.0) + 0.5 * half)).abs() < 1e-12,
        "{kl}"
    );
}

#[test]
fn bad_log_probabilities_and_logits_are_named() {
    for bad in [f64::NAN, f64::INFINITY] {
        let err = kl_divergence_log(&[0.0, bad], &[0.0, f64::NEG_INFINITY]).unwrap_err();
        assert!(
            matches!(
                err,
                Error::NotFinite {
                    name: "log_p",
                    index: 1,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = js_divergence_log(&[0.0], &[bad]).unwrap_err();
        assert!(matches!(
            err,
            Error::NotFinite {
                name: "log_q",
                index: 0,
                ..
            }
        ));
    }
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = kl_divergence_logits(&[0.0, 1.0, 2.0], &[0.0, 1.0, bad]).unwrap_err();
        assert!(matches!(
            err,
            Error::NotFinite {
                name: "logits_q",
                index: 2,
                ..
            }
        ));
        let err = kl_divergence_logits_gradient(&[1.0, 0.0], &[bad, 0.0]).unwrap_err();
        assert!(matches!(
            err,
            Error::NotFinite {
                name: "logits",
                index: 0,
                ..
            }
        ));
    }
    // exp(log p) must sum to 1 within the tolerance.
    let err = cross_entropy_log(&[0.0, 0.0], &[0.0, f64::NEG_INFINITY]).unwrap_err();
    assert!(
        matches!(err, Error::NotNormalized { name: "log_p", .. }),
        "{err:?}"
    );
    let err = kl_divergence_log(&[0.0, f64::NEG_INFINITY], &[2.0, 0.0]).unwrap_err();
    assert!(
        matches!(err, Error::NotNormalized { name: "log_q", .. }),
        "{err:?}"
    );
    assert!(matches!(
        kl_divergence_log(&[], &[]),
        Err(Error::Empty { name: "log_p" })
    ));
    assert!(matches!(
        kl_divergence_logits(&[0.0], &[0.0, 1.0]),
        Err(Error::LengthMismatch { p_len: 1, q_len: 2 })
    ));
    // The target of the logit loss follows the probability rules.
    let err = cross_entropy_logits_gradient(&[1.5, -0.5], &[0.0, 0.0]).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Negative {
                name: "p",
                index: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(matches!(
        kl_divergence_logits_gradient(&[1.0], &[0.0, 0.0]),
        Err(Error::LengthMismatch { p_len: 1, q_len: 2 })
    ));
}

/// The gradient where the target has zeros: finite, and softmax there.
#[test]
fn logit_gradient_is_finite_at_zero_targets() {
    let z = [2.0, -700.0, 0.0];
    let (kl, grad) = kl_divergence_logits_gradient(&[0.0, 1.0, 0.0], &z).unwrap();
    // A model that all but rules out the label: a large, finite loss (≈ 702).
    let q = softmax_plain(&z);
    assert!(kl.is_finite() && (kl - (702.0 + (1.0 + (-2.0f64).exp()).ln())).abs() < 1e-9);
    assert!(grad.iter().all(|g| g.is_finite()));
    assert!((grad[0] - q[0]).abs() < 1e-15 && (grad[2] - q[2]).abs() < 1e-15);
    assert!((grad[1] + 1.0).abs() < 1e-15);
}

#[test]
fn rows_report_shape_and_row() {
    let p = Array2::from_elem((3, 2), 0.5);
    let q = Array2::from_elem((2, 2), 0.5);
    let err = rows::kl_divergence(p.view(), q.view(), Scale::Probabilities).unwrap_err();
    assert_eq!(
        err,
        Error::ShapeMismatch {
            p_shape: [3, 2],
            q_shape: [2, 2]
        }
    );
    assert!(err.to_string().contains("3×2"), "{err}");
    let mut bad = p.clone();
    bad[[2, 1]] = -0.5;
    bad[[2, 0]] = 1.5;
    let err = rows::js_divergence(bad.view(), p.view(), Scale::Probabilities).unwrap_err();
    match &err {
        Error::InRow { row: 2, source } => {
            assert!(matches!(
                **source,
                Error::Negative {
                    name: "p",
                    index: 1,
                    ..
                }
            ))
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with("row 2: `p[1]`"), "{err}");
    let empty = Array2::<f64>::zeros((0, 2));
    assert!(matches!(
        rows::kl_divergence_mean(empty.view(), empty.view(), Scale::Logits),
        Err(Error::Empty { name: "p" })
    ));
}

/// A column-major batch (strided rows) gives the row-major values; a batch long enough to run
/// its rows in parallel gives the same bits on 1 and 2 threads.
#[test]
fn rows_strided_and_parallel_give_the_same_values() {
    let (p, q) = batch(300, 500, 3);
    let mut pf = Array2::zeros((300, 500).f());
    pf.assign(&p);
    let a = rows::kl_divergence(p.view(), q.view(), Scale::Probabilities).unwrap();
    let b = rows::kl_divergence(pf.view(), q.view(), Scale::Probabilities).unwrap();
    assert_eq!(a, b);
    let (lp, lq) = (p.mapv(f64::ln), q.mapv(f64::ln));
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            (
                rows::kl_divergence(lp.view(), lq.view(), Scale::Logits).unwrap(),
                rows::js_divergence_mean(lp.view(), lq.view(), Scale::LogProbabilities)
                    .unwrap()
                    .to_bits(),
            )
        })
    };
    assert_eq!(on(1), on(2));
}
