//! `kl::divergences`: closed forms against quadrature, relations between the members of the
//! family, and their inequalities as proptest properties.
//!
//! Tolerances: the quadrature is Simpson's rule on 200 001 points over ±20 standard
//! deviations, whose error for these smooth integrands is far below 1e-10 (it is exact to
//! the last digits at α = 1, checked against the KL closed form). Properties allow 1e-12 of
//! rounding in sums of at most 12 terms.

use kl::Error;
use kl::divergences::{
    RenyiDivergence, chi_squared, f_divergence, hellinger_distance, mutual_information,
    renyi_divergence, total_variation,
};
use ndarray::{Array2, array};
use proptest::prelude::*;
use statrs::distribution::{Continuous, Exp, Normal};

/// ∫ exp(α ln p + (1 − α) ln q) over [lo, hi] by Simpson's rule.
fn simpson(lo: f64, hi: f64, g: impl Fn(f64) -> f64) -> f64 {
    let n = 200_000;
    let h = (hi - lo) / n as f64;
    let mut s = g(lo) + g(hi);
    for i in 1..n {
        s += g(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * h / 3.0
}

fn renyi_by_quadrature(
    lnp: impl Fn(f64) -> f64,
    lnq: impl Fn(f64) -> f64,
    alpha: f64,
    lo: f64,
    hi: f64,
) -> f64 {
    let integral = simpson(lo, hi, |x| (alpha * lnp(x) + (1.0 - alpha) * lnq(x)).exp());
    integral.ln() / (alpha - 1.0)
}

#[test]
fn normal_closed_form_matches_quadrature() {
    let pairs = [
        ((0.0, 1.0), (1.0, 1.5)),
        ((0.5, 2.0), (-1.0, 1.0)),
        ((0.0, 1.0), (3.0, 1.0)),
    ];
    for ((m1, s1), (m2, s2)) in pairs {
        let p = Normal::new(m1, s1).unwrap();
        let q = Normal::new(m2, s2).unwrap();
        for alpha in [0.1, 0.5, 0.9, 1.5, 2.0, 3.0] {
            let closed = p.renyi_divergence(&q, alpha).unwrap();
            let s: f64 = s1.max(s2);
            let (lo, hi) = (m1.min(m2) - 20.0 * s, m1.max(m2) + 20.0 * s);
            let ok = alpha * s2 * s2 + (1.0 - alpha) * s1 * s1 > 0.0;
            if !ok {
                assert_eq!(closed, f64::INFINITY);
                continue;
            }
            let quad = renyi_by_quadrature(|x| p.ln_pdf(x), |x| q.ln_pdf(x), alpha, lo, hi);
            assert!(
                (closed - quad).abs() < 1e-9,
                "{m1} {s1} {m2} {s2} α={alpha}: {closed} {quad}"
            );
        }
    }
}

#[test]
fn exponential_closed_form_matches_quadrature() {
    for (l1, l2) in [(2.0, 1.0), (0.5, 1.5), (1.0, 1.0)] {
        let p = Exp::new(l1).unwrap();
        let q = Exp::new(l2).unwrap();
        for alpha in [0.1, 0.5, 0.9, 1.5, 2.0] {
            let closed = p.renyi_divergence(&q, alpha).unwrap();
            if alpha * l1 + (1.0 - alpha) * l2 <= 0.0 {
                assert_eq!(closed, f64::INFINITY);
                continue;
            }
            let rate = alpha * l1 + (1.0 - alpha) * l2;
            let quad =
                renyi_by_quadrature(|x| p.ln_pdf(x), |x| q.ln_pdf(x), alpha, 0.0, 60.0 / rate);
            assert!(
                (closed - quad).abs() < 1e-9,
                "{l1} {l2} α={alpha}: {closed} {quad}"
            );
        }
    }
}

#[test]
fn closed_forms_tend_to_kl_as_alpha_tends_to_one() {
    let p = Normal::new(0.0, 1.0).unwrap();
    let q = Normal::new(1.0, 1.5).unwrap();
    let kl = kl::kl_divergence(&p, &q);
    let e = Exp::new(2.0).unwrap();
    let f = Exp::new(0.7).unwrap();
    let kl_exp = kl::kl_divergence(&e, &f);
    for eps in [1e-3, 1e-6, 1e-9, 1e-12, -1e-12, -1e-6] {
        let d = p.renyi_divergence(&q, 1.0 + eps).unwrap();
        assert!(
            (d - kl).abs() < 2.0 * eps.abs() + 1e-14,
            "ε={eps}: {d} vs {kl}"
        );
        let d = e.renyi_divergence(&f, 1.0 + eps).unwrap();
        assert!(
            (d - kl_exp).abs() < 2.0 * eps.abs() + 1e-14,
            "ε={eps}: {d} vs {kl_exp}"
        );
    }
}

#[test]
fn normal_limits_at_zero_and_infinity() {
    let p = Normal::new(0.0, 1.0).unwrap();
    let q = Normal::new(1.0, 2.0).unwrap();
    assert!(p.renyi_divergence(&q, 0.0).unwrap().abs() < 1e-15);
    let inf = p.renyi_divergence(&q, f64::INFINITY).unwrap();
    assert!((inf - (2f64.ln() + 1.0 / 6.0)).abs() < 1e-15);
    assert!((p.renyi_divergence(&q, 1e6).unwrap() - inf).abs() < 1e-4);
    assert_eq!(
        q.renyi_divergence(&p, f64::INFINITY).unwrap(),
        f64::INFINITY
    );
}

#[test]
fn relations_between_family_members() {
    let p = [0.1, 0.2, 0.3, 0.4];
    let q = [0.4, 0.3, 0.2, 0.1];
    let h = hellinger_distance(&p, &q).unwrap();
    let d_half = renyi_divergence(&p, &q, 0.5).unwrap();
    assert!((d_half + 2.0 * (1.0 - h * h).ln()).abs() < 1e-14);
    let d2 = renyi_divergence(&p, &q, 2.0).unwrap();
    assert!((d2 - chi_squared(&p, &q).unwrap().ln_1p()).abs() < 1e-14);
    let kl = kl::discrete::kl_divergence(&p, &q).unwrap();
    let kl_f = f_divergence(&p, &q, |t| t * t.ln(), f64::INFINITY).unwrap();
    assert!((kl - kl_f).abs() < 1e-15);
    let h2_f = f_divergence(&p, &q, |t| 0.5 * (t.sqrt() - 1.0).powi(2), 0.5).unwrap();
    assert!((h2_f - h * h).abs() < 1e-15);
    let chi_f = f_divergence(&p, &q, |t| (t - 1.0).powi(2), f64::INFINITY).unwrap();
    assert!((chi_f - chi_squared(&p, &q).unwrap()).abs() < 1e-14);
    // D_0 = −ln Q(p > 0), D_∞ = ln max p/q.
    let p0 = [0.0, 0.5, 0.5];
    let q0 = [0.5, 0.25, 0.25];
    assert!((renyi_divergence(&p0, &q0, 0.0).unwrap() - 2f64.ln()).abs() < 1e-15);
    assert!((renyi_divergence(&p, &q, f64::INFINITY).unwrap() - 4f64.ln()).abs() < 1e-15);
}

#[test]
fn zeros_follow_the_discrete_rules() {
    let p = [0.5, 0.5];
    let q = [1.0, 0.0];
    for alpha in [1.0, 1.5, 2.0, f64::INFINITY] {
        assert_eq!(renyi_divergence(&p, &q, alpha).unwrap(), f64::INFINITY);
    }
    assert!((renyi_divergence(&p, &q, 0.5).unwrap() - 2f64.ln()).abs() < 1e-15);
    assert_eq!(
        renyi_divergence(&[1.0, 0.0], &[0.0, 1.0], 0.5).unwrap(),
        f64::INFINITY
    );
    assert_eq!(chi_squared(&p, &q).unwrap(), f64::INFINITY);
    assert_eq!(chi_squared(&[1.0, 0.0], &[1.0, 0.0]).unwrap(), 0.0);
    let reverse = f_divergence(&q, &p, |t: f64| -t.ln(), 0.0).unwrap();
    assert_eq!(reverse, f64::INFINITY); // KL(P‖Q) written as D_f(Q‖P)
}

#[test]
fn bad_input_is_an_error() {
    let p = [0.5, 0.5];
    assert!(matches!(
        renyi_divergence(&p, &p, -1.0),
        Err(Error::InvalidParameter { name: "alpha", .. })
    ));
    assert!(matches!(
        renyi_divergence(&p, &p, f64::NAN),
        Err(Error::InvalidParameter { .. })
    ));
    assert_eq!(
        renyi_divergence(&p, &[1.0], 0.5),
        Err(Error::LengthMismatch { p_len: 2, q_len: 1 })
    );
    assert!(matches!(
        hellinger_distance(&[0.5, 0.6], &p),
        Err(Error::NotNormalized { name: "p", .. })
    ));
    assert!(matches!(
        total_variation(&p, &[1.5, -0.5]),
        Err(Error::Negative {
            name: "q",
            index: 1,
            ..
        })
    ));
    assert!(matches!(chi_squared(&[], &[]), Err(Error::Empty { .. })));
    assert!(matches!(
        f_divergence(&p, &p, |t| t, 0.0),
        Err(Error::InvalidParameter { name: "f(1)", .. })
    ));
    assert!(matches!(
        f_divergence(
            &[0.9, 0.1],
            &p,
            |t| if t > 1.0 { f64::NAN } else { 0.0 },
            0.0
        ),
        Err(Error::BadFunction { name: "f", .. })
    ));
    assert!(matches!(
        f_divergence(&p, &p, |_| 0.0, f64::NAN),
        Err(Error::InvalidParameter {
            name: "slope_at_infinity",
            ..
        })
    ));
    let n = Normal::new(0.0, 1.0).unwrap();
    assert!(n.renyi_divergence(&n, -0.5).is_err());
    assert!(matches!(
        mutual_information(array![[0.5, 0.6]].view()),
        Err(Error::NotNormalized { .. })
    ));
    assert!(matches!(
        mutual_information(Array2::<f64>::zeros((0, 3)).view()),
        Err(Error::Empty { .. })
    ));
}

#[test]
fn mutual_information_of_tables() {
    // Independent: the outer product of marginals.
    let t = array![[0.12, 0.28], [0.18, 0.42]];
    assert!(mutual_information(t.view()).unwrap().abs() < 1e-15);
    // Equals H(X) + H(Y) − H(X, Y).
    let t = array![[0.3, 0.1], [0.1, 0.5]];
    let h = |v: &[f64]| kl::discrete::entropy(v).unwrap();
    let direct = h(&[0.4, 0.6]) + h(&[0.4, 0.6]) - h(&[0.3, 0.1, 0.1, 0.5]);
    assert!((mutual_information(t.view()).unwrap() - direct).abs() < 1e-15);
}

/// A probability vector of length `n` from positive weights, some set to zero.
fn vector(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec((0.0f64..1.0, prop::bool::weighted(0.15)), n).prop_filter_map(
        "all zero",
        |w| {
            let w: Vec<f64> = w
                .into_iter()
                .map(|(x, z)| if z { 0.0 } else { x })
                .collect();
            kl::discrete::normalize(&w).ok()
        },
    )
}

fn pair() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (2usize..12).prop_flat_map(|n| (vector(n), vector(n)))
}

/// Merges cells 2k and 2k + 1: a deterministic map of outcomes.
fn merge(v: &[f64]) -> Vec<f64> {
    v.chunks(2).map(|c| c.iter().sum()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn pinsker((p, q) in pair()) {
        let tv = total_variation(&p, &q).unwrap();
        let kl = kl::discrete::kl_divergence(&p, &q).unwrap();
        prop_assert!(tv <= (kl / 2.0).sqrt() + 1e-12, "tv {tv} kl {kl}");
    }

    #[test]
    fn data_processing((p, q) in pair()) {
        let (mp, mq) = (merge(&p), merge(&q));
        let kl = kl::discrete::kl_divergence(&p, &q).unwrap();
        let kl_m = kl::discrete::kl_divergence(&mp, &mq).unwrap();
        prop_assert!(kl_m <= kl + 1e-12, "{kl_m} > {kl}");
        let tv = |a: &[f64], b: &[f64]| f_divergence(a, b, |t| 0.5 * (t - 1.0).abs(), 0.5).unwrap();
        prop_assert!(tv(&mp, &mq) <= tv(&p, &q) + 1e-12);
        prop_assert!(hellinger_distance(&mp, &mq).unwrap() <= hellinger_distance(&p, &q).unwrap() + 1e-12);
        prop_assert!(chi_squared(&mp, &mq).unwrap() <= chi_squared(&p, &q).unwrap() * (1.0 + 1e-12) + 1e-12);
        for alpha in [0.5, 2.0] {
            let d = renyi_divergence(&p, &q, alpha).unwrap();
            let d_m = renyi_divergence(&mp, &mq, alpha).unwrap();
            prop_assert!(d_m <= d + 1e-12, "α={alpha}: {d_m} > {d}");
        }
    }

    #[test]
    fn renyi_is_non_decreasing_in_alpha((p, q) in pair()) {
        let alphas = [0.0, 0.25, 0.5, 0.9, 0.999, 1.0, 1.001, 1.5, 2.0, 5.0, f64::INFINITY];
        let d: Vec<f64> = alphas.iter().map(|&a| renyi_divergence(&p, &q, a).unwrap()).collect();
        for w in d.windows(2) {
            prop_assert!(w[0] <= w[1] + 1e-12 * w[1].abs().max(1.0), "{d:?}");
        }
    }

    #[test]
    fn renyi_tends_to_kl((p, q) in pair()) {
        let kl = kl::discrete::kl_divergence(&p, &q).unwrap();
        prop_assume!(kl.is_finite());
        for eps in [1e-7, -1e-7, 1e-10, -1e-10] {
            let d = renyi_divergence(&p, &q, 1.0 + eps).unwrap();
            // D_α − KL = O(ε): the slope is ½ Var_P[ln p/q], bounded here by ~(ln 1e300)².
            prop_assert!((d - kl).abs() <= 1e-9 + 1e4 * eps.abs() * kl.max(1.0).powi(2), "ε={eps}: {d} vs {kl}");
        }
    }

    #[test]
    fn mutual_information_is_non_negative_and_zero_for_products(
        (a, b) in (2usize..5, 2usize..5).prop_flat_map(|(r, c)| (vector(r * c), (vector(r), vector(c))))
    ) {
        let (px, py) = b;
        let rows = px.len();
        let cols = py.len();
        let joint = Array2::from_shape_vec((rows, cols), a[..rows * cols].to_vec()).unwrap();
        prop_assert!(mutual_information(joint.view()).unwrap() >= -1e-15);
        let product = Array2::from_shape_fn((rows, cols), |(i, j)| px[i] * py[j]);
        prop_assert!(mutual_information(product.view()).unwrap().abs() < 1e-12);
    }
}
