//! `kl::estimate::log_ratio_estimates` (k1, k2, k3) by Monte Carlo against the normal closed
//! forms: which direction each estimates, and that k2 is biased.
//!
//! Tolerances: 5 standard errors (as the function reports them) for "unbiased"; a z-score
//! of 5 is exceeded with probability below 10⁻⁶ under the hypothesis, and the seeds are fixed.

use kl::Error;
use kl::estimate::{k3, log_ratio_estimates};
use rand::SeedableRng;
use rand::distr::Distribution as _;
use rand::rngs::StdRng;
use statrs::distribution::{Continuous, Normal};

/// `n` draws of `q` and the two log-densities at them.
fn log_densities(p: &Normal, q: &Normal, n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let x: Vec<f64> = (0..n).map(|_| q.sample(&mut rng)).collect();
    (
        x.iter().map(|&x| p.ln_pdf(x)).collect(),
        x.iter().map(|&x| q.ln_pdf(x)).collect(),
    )
}

#[test]
fn k1_and_k3_estimate_kl_of_the_sampling_distribution_from_the_other() {
    // σ_p < σ_q: with σ_p > σ_q, E_Q[r²] = ∫ p²/q diverges and k3 has no variance.
    let q = Normal::new(0.0, 2.0).unwrap();
    let p = Normal::new(1.0, 1.0).unwrap();
    let kl_qp = kl::kl_divergence(&q, &p); // the direction the draws of q estimate
    let kl_pq = kl::kl_divergence(&p, &q);
    let (ln_p, ln_q) = log_densities(&p, &q, 200_000, 1);
    let e = log_ratio_estimates(&ln_p, &ln_q).unwrap();
    for (name, est) in [("k1", e.k1), ("k3", e.k3)] {
        let z = (est.value - kl_qp) / est.error;
        assert!(
            z.abs() < 5.0,
            "{name}: {est:?} vs KL(Q||P) = {kl_qp}, z = {z}"
        );
        let z_other = (est.value - kl_pq) / est.error;
        assert!(z_other.abs() > 20.0, "{name} is near KL(P||Q) = {kl_pq}");
    }
}

#[test]
fn k2_is_biased_by_delta4_over_8_for_equal_sd_normals() {
    for (delta, seed) in [(0.5, 2), (1.0, 3), (2.0, 4)] {
        let q = Normal::new(0.0, 1.0).unwrap();
        let p = Normal::new(delta, 1.0).unwrap();
        let kl_qp = kl::kl_divergence(&q, &p);
        assert!((kl_qp - delta * delta / 2.0).abs() < 1e-15);
        let (ln_p, ln_q) = log_densities(&p, &q, 200_000, seed);
        let e = log_ratio_estimates(&ln_p, &ln_q).unwrap();
        // E[k2] = ½ E[(ln r)²] with ln r ~ N(−δ²/2, δ²): ½ (δ² + δ⁴/4).
        let mean_k2 = delta * delta / 2.0 + delta.powi(4) / 8.0;
        let z = (e.k2.value - mean_k2) / e.k2.error;
        assert!(z.abs() < 5.0, "delta {delta}: {:?} vs {mean_k2}", e.k2);
        assert!(
            (e.k2.value - kl_qp) / e.k2.error > 5.0,
            "delta {delta}: k2 looks unbiased"
        );
        for (name, est) in [("k1", e.k1), ("k3", e.k3)] {
            let z = (est.value - kl_qp) / est.error;
            assert!(z.abs() < 5.0, "delta {delta}, {name}: {est:?} vs {kl_qp}");
        }
        // Var k1 = δ²: the reported standard error is s/√n with s close to δ.
        let s = e.k1.error * (e.n as f64).sqrt();
        assert!((s / delta - 1.0).abs() < 0.02, "delta {delta}: s = {s}");
    }
}

#[test]
fn k3_is_more_precise_than_k1_when_close_and_less_when_far() {
    let q = Normal::new(0.0, 1.0).unwrap();
    let (ln_p, ln_q) = log_densities(&Normal::new(0.1, 1.0).unwrap(), &q, 100_000, 5);
    let close = log_ratio_estimates(&ln_p, &ln_q).unwrap();
    assert!(close.k3.error < 0.2 * close.k1.error, "{close:?}");
    let (ln_p, ln_q) = log_densities(&Normal::new(3.0, 1.0).unwrap(), &q, 100_000, 6);
    let far = log_ratio_estimates(&ln_p, &ln_q).unwrap();
    assert!(far.k3.error > 2.0 * far.k1.error, "{far:?}");
}

#[test]
fn extreme_log_ratios_give_infinity_never_nan() {
    let e = log_ratio_estimates(&[f64::NEG_INFINITY, -1.0], &[-1.0, -1.0]).unwrap();
    for est in [e.k1, e.k2, e.k3] {
        assert_eq!(est.value, f64::INFINITY);
        assert!(!est.error.is_nan());
    }
    let e = log_ratio_estimates(&[800.0, 0.0], &[0.0, 0.0]).unwrap();
    assert_eq!(e.k3.value, f64::INFINITY);
    assert_eq!(e.k1.value, -400.0);
    assert!(e.k1.error.is_finite() && e.k2.value.is_finite());
    assert_eq!(k3(f64::NEG_INFINITY), f64::INFINITY);
    for t in [-700.0, -1.0, -1e-5, 0.0, 1e-5, 1.0, 700.0] {
        assert!(k3(t) >= 0.0);
    }
}

#[test]
fn bad_input_is_an_error() {
    assert!(matches!(
        log_ratio_estimates(&[0.0], &[0.0]),
        Err(Error::TooFewSamples {
            got: 1,
            needed: 2,
            ..
        })
    ));
    assert_eq!(
        log_ratio_estimates(&[0.0, 0.0], &[0.0]),
        Err(Error::LengthMismatch { p_len: 2, q_len: 1 })
    );
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(matches!(
            log_ratio_estimates(&[0.0, 0.0], &[0.0, bad]),
            Err(Error::NotFinite {
                name: "ln_q",
                index: 1,
                ..
            })
        ));
    }
    for bad in [f64::NAN, f64::INFINITY] {
        assert!(matches!(
            log_ratio_estimates(&[bad, 0.0], &[0.0, 0.0]),
            Err(Error::NotFinite {
                name: "ln_p",
                index: 0,
                ..
            })
        ));
    }
    let err = log_ratio_estimates(&[f64::MAX, 0.0], &[-f64::MAX, 0.0]).unwrap_err();
    assert_eq!(
        err,
        Error::LogRatioOverflow {
            index: 0,
            ln_p: f64::MAX,
            ln_q: -f64::MAX,
        }
    );
    assert!(err.to_string().contains("overflows to +∞"), "{err}");
}
