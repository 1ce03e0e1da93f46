//! Accuracy and range of `kl::discrete` where it is hardest: nearly equal vectors (against
//! 80-digit mpmath references, `tests/reference/near_equal.py`), and inputs accepted only within
//! the sum tolerance, zeros and subnormals (the bounds KL ≥ 0, H ≥ 0, 0 ≤ JS ≤ ln 2).

use std::f64::consts::LN_2;

use kl::discrete::{
    SUM_TOLERANCE, cross_entropy, entropy, js_divergence, kl_divergence,
    kl_divergence_unnormalized, views,
};
use proptest::prelude::{Strategy, prop, prop_assert, proptest};

/// Left-to-right sum, as the reference script computes it.
fn seq_sum(xs: &[f64]) -> f64 {
    xs.iter().fold(0.0, |a, &x| a + x)
}

/// The vectors of `near_equal.py`, bit for bit (only correctly rounded IEEE operations).
fn vectors(n: usize, eps: f64) -> (Vec<f64>, Vec<f64>) {
    let w: Vec<f64> = (0..n).map(|i| (1 + (7919 * i) % 97) as f64).collect();
    let wsum = seq_sum(&w);
    let q: Vec<f64> = w.iter().map(|x| x / wsum).collect();
    let d = (0..n).map(|i| ((31 * i + 5) % 11) as f64 - 5.0);
    let u: Vec<f64> = q
        .iter()
        .zip(d)
        .map(|(qi, di)| qi * (1.0 + eps * di))
        .collect();
    let usum = seq_sum(&u);
    (u.iter().map(|x| x / usum).collect(), q)
}

fn fingerprint(p: &[f64], q: &[f64]) -> u64 {
    p.iter().zip(q).enumerate().fold(0u64, |h, (i, (a, b))| {
        let i = i as u64;
        h.wrapping_add(a.to_bits().wrapping_mul(2 * i + 1))
            .wrapping_add(b.to_bits().wrapping_mul(2 * i + 2))
    })
}

fn relative(got: f64, want: f64) -> f64 {
    if got == want {
        0.0
    } else {
        ((got - want) / want).abs()
    }
}

/// Every length 1–40 (so every remainder mod 8 and both the 8-lane body and the scalar tail),
/// every ε from 1e-3 to 1e-12: KL, JS, cross-entropy and entropy within 1e-12 relative of the
/// mpmath value. (Before the ln_1p-style terms, KL was off by up to 5.5e-5 at ε = 1e-6 and
/// length 7, and by far more at smaller ε, where Σp − Σq ≈ 1e-16 dwarfs KL ≈ 1e-24.)
#[test]
fn near_equal_vectors_match_mpmath_at_every_length() {
    let table = include_str!("../reference/near_equal.txt");
    let mut cases = 0;
    let mut worst = [0.0f64; 4];
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let n: usize = f[0].parse().unwrap();
        let eps: f64 = f[1].parse().unwrap();
        let (p, q) = vectors(n, eps);
        assert_eq!(fingerprint(&p, &q), f[2].parse::<u64>().unwrap(), "{line}");
        let want: Vec<f64> = f[3..7].iter().map(|x| x.parse().unwrap()).collect();
        let got = [
            kl_divergence(&p, &q).unwrap(),
            js_divergence(&p, &q).unwrap(),
            cross_entropy(&p, &q).unwrap(),
            entropy(&p).unwrap(),
        ];
        for (k, name) in ["KL", "JS", "CE", "H"].iter().enumerate() {
            let e = relative(got[k], want[k]);
            worst[k] = worst[k].max(e);
            assert!(
                e <= 1e-12,
                "{name} n = {n}, eps = {eps:e}: {:e} vs mpmath {:e} ({e:e} relative)",
                got[k],
                want[k]
            );
        }
        cases += 1;
    }
    assert_eq!(cases, 400);
    println!(
        "worst relative error: KL {:e}, JS {:e}, CE {:e}, H {:e}",
        worst[0], worst[1], worst[2], worst[3]
    );
}

/// The examples the fuzz harness found, one per class of impossible value.
#[test]
fn inputs_accepted_within_the_tolerance_give_possible_values() {
    // Σp = 0.9999999: the value is that of p/Σp against q, ≥ 0 (it was −1e-7).
    let kl = kl_divergence(&[0.4999999, 0.5], &[0.5, 0.5]).unwrap();
    let p_hat: f64 = 0.4999999 / 0.9999999;
    let want = p_hat * (2.0 * p_hat).ln() + (1.0 - p_hat) * (2.0 * (1.0 - p_hat)).ln();
    assert!(
        kl >= 0.0 && (kl - want).abs() <= 1e-22,
        "{kl:e} vs {want:e}"
    );
    // One outcome has probability 1 after normalising: H = 0, never negative.
    assert_eq!(entropy(&[1.0000009]).unwrap(), 0.0);
    assert_eq!(entropy(&[0.9999991]).unwrap(), 0.0);
    // Mathematically 0; D/Σp − h(δ) leaves a rounding residue of order ε·δ² ≈ 1e-28.
    let kl = kl_divergence(&[1.0000009], &[0.9999991]).unwrap();
    assert!((0.0..=1e-26).contains(&kl), "{kl:e}");
    assert_eq!(js_divergence(&[1.0000009], &[0.9999991]).unwrap(), 0.0);
    assert_eq!(cross_entropy(&[1.0000009], &[0.9999991]).unwrap(), 0.0);
    // Subnormal entries: JS stays within [0, ln 2] (it was +∞).
    let tiny = 5e-324;
    let js = js_divergence(&[tiny, 1.0], &[0.0, 1.0]).unwrap();
    assert!((0.0..=LN_2).contains(&js), "{js:e}");
    let js = js_divergence(&[1.0, 0.0, tiny], &[0.0, 1.0, tiny]).unwrap();
    assert!((js - LN_2).abs() <= 1e-15, "{js}");
    // A vector of subnormal and zero entries whose sum is 1 within the tolerance.
    let p = [1.0 - 4e-7, 1e-310, 0.0, 2.2e-308];
    let q = [1.0 + 4e-7, 0.0, 1e-310, 1e-320];
    assert_eq!(kl_divergence(&p, &q).unwrap(), f64::INFINITY);
    let js = js_divergence(&p, &q).unwrap();
    assert!((0.0..=LN_2).contains(&js), "{js:e}");
    assert!(kl_divergence(&q, &p).unwrap() >= 0.0);
}

/// The rule: a vector accepted within the tolerance is treated as p/Σp, exactly, so scaling
/// both vectors by a factor inside the tolerance changes nothing beyond rounding.
#[test]
fn values_are_those_of_the_normalised_vectors() {
    let p = [0.2, 0.3, 0.5];
    let q = [0.1, 0.6, 0.3];
    for (a, b) in [
        (1.0 + 9e-7, 1.0 - 9e-7),
        (1.0 - 5e-7, 1.0 - 5e-7),
        (1.0, 1.0 + 8e-7),
    ] {
        let ps: Vec<f64> = p.iter().map(|x| x * a).collect();
        let qs: Vec<f64> = q.iter().map(|x| x * b).collect();
        let pairs = [
            (kl_divergence(&ps, &qs), kl_divergence(&p, &q)),
            (js_divergence(&ps, &qs), js_divergence(&p, &q)),
            (cross_entropy(&ps, &qs), cross_entropy(&p, &q)),
            (entropy(&ps), entropy(&p)),
            (
                views::kl_divergence(
                    ndarray::ArrayView1::from(&ps[..]),
                    ndarray::ArrayView1::from(&qs[..]),
                ),
                kl_divergence_unnormalized(&ps, &qs),
            ),
        ];
        for (scaled, plain) in pairs {
            let (scaled, plain) = (scaled.unwrap(), plain.unwrap());
            assert!(relative(scaled, plain) <= 4e-15, "{scaled} vs {plain}");
        }
    }
}

/// Σ = 1 ± `SUM_TOLERANCE`·u, u ∈ [−1, 1]: a vector the checks accept, with zeros, subnormal
/// and tiny entries mixed in.
fn accepted(n: usize) -> impl Strategy<Value = Vec<f64>> {
    let entry = prop::strategy::Union::new_weighted(vec![
        (6, (1e-6f64..10.0).boxed()),
        (1, prop::strategy::Just(0.0).boxed()),
        (1, (1e-320f64..1e-300).boxed()),
        (1, (1e-30f64..1e-10).boxed()),
    ]);
    (prop::collection::vec(entry, n), -1.0f64..=1.0).prop_filter_map(
        "all-zero weights",
        |(w, u)| {
            let mut p = kl::discrete::normalize(&w).ok()?;
            let scale = 1.0 + 0.999 * SUM_TOLERANCE * u;
            p.iter_mut().for_each(|x| *x *= scale);
            Some(p)
        },
    )
}

fn accepted_pair() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (1usize..40).prop_flat_map(|n| (accepted(n), accepted(n)))
}

proptest! {
    /// What is accepted has a value in range: KL ≥ 0, H, cross-entropy ≥ 0, 0 ≤ JS ≤ ln 2.
    #[test]
    fn accepted_inputs_give_values_in_range((p, q) in accepted_pair()) {
        let kl = kl_divergence(&p, &q).unwrap();
        prop_assert!(kl >= 0.0, "KL {:e}", kl);
        let kl_back = kl_divergence(&q, &p).unwrap();
        prop_assert!(kl_back >= 0.0, "KL {:e}", kl_back);
        let js = js_divergence(&p, &q).unwrap();
        prop_assert!((0.0..=LN_2).contains(&js), "JS {:e}", js);
        let h = entropy(&p).unwrap();
        prop_assert!(h >= 0.0 && h <= (p.len() as f64).ln(), "H {:e}", h);
        let ce = cross_entropy(&p, &q).unwrap();
        prop_assert!(ce >= 0.0, "CE {:e}", ce);
        prop_assert!(kl_divergence(&p, &p).unwrap() == 0.0 || kl_divergence(&p, &p).unwrap() <= 1e-15);
    }

    /// Nearly equal vectors: KL ≈ ½ Σ (p̂ − q̂)²/q̂ (χ²/2) to relative O(ε), never negative.
    #[test]
    fn near_equal_kl_is_half_chi_square(q in (2usize..40).prop_flat_map(accepted), eps in 1e-9f64..1e-4, seed in 0u64..1000) {
        let u: Vec<f64> = q.iter().enumerate().map(|(i, &x)| {
            let d = (((i as u64 * 37 + seed) % 7) as f64 - 3.0) / 3.0;
            x * (1.0 + eps * d)
        }).collect();
        let p = kl::discrete::normalize(&u).unwrap();
        let q = kl::discrete::normalize(&q).unwrap();
        let chi2: f64 = p.iter().zip(&q).filter(|(_, b)| **b > 1e-290).map(|(a, b)| (a - b) * (a - b) / b).sum();
        let kl = kl_divergence(&p, &q).unwrap();
        prop_assert!(kl >= 0.0);
        if chi2 > 1e-280 {
            prop_assert!(((kl - chi2 / 2.0) / (chi2 / 2.0)).abs() <= 4.0 * eps + 1e-6, "{:e} vs {:e}", kl, chi2 / 2.0);
        }
    }
}

/// Categorical with infinite weights: statrs stores NaN masses; identical inputs give 0 (it was
/// +∞), and the limit (mass shared among the infinite weights) is compared otherwise.
#[test]
fn categorical_with_infinite_weights() {
    use kl::KlDivergence;
    use statrs::distribution::Categorical;
    let p = Categorical::new(&[f64::INFINITY, 1.0]).unwrap();
    assert_eq!(p.kl_divergence(&p), 0.0);
    let q = Categorical::new(&[1.0, 1.0]).unwrap();
    assert!((p.kl_divergence(&q) - LN_2).abs() < 1e-15);
    assert_eq!(q.kl_divergence(&p), f64::INFINITY);
}
