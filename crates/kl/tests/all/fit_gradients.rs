//! Every hand-derived gradient in `kl::fit` against central differences, and every loss
//! against an independent route (the direct sum of `kl::discrete`, the closed form for two
//! normals).

use kl::fit::{ForwardKl, Objective, OriginalForwardKl, ReverseKl, gradient_check, normal_masses};
use nalgebra::Vector2;
use proptest::prelude::{ProptestConfig, prop_assert, proptest};
use statrs::distribution::{Continuous, Normal};

use crate::common::grid;

/// The chapters' kind of grid, coarser so that 256 cases stay quick: [−10, 10) with step 0.005.
const N: usize = 4000;

/// Pdf values of a two-component normal mixture on `x`, computed with statrs (not with the
/// model's own code).
fn mixture_pdf(x: &[f64], w: f64, a: (f64, f64), b: (f64, f64)) -> Vec<f64> {
    let na = Normal::new(a.0, a.1).unwrap();
    let nb = Normal::new(b.0, b.1).unwrap();
    x.iter()
        .map(|&xi| w * na.pdf(xi) + (1.0 - w) * nb.pdf(xi))
        .collect()
}

fn mixture_masses(x: &[f64], w: f64, a: (f64, f64), b: (f64, f64)) -> Vec<f64> {
    kl::discrete::normalize(&mixture_pdf(x, w, a, b)).unwrap()
}

/// Central differences with h = 1e-5 on a loss of size ≲ 10 have an absolute error of about
/// ε·10/h ≈ 2e-10 from rounding and h²·|f'''|/6 ≈ 1e-10 from truncation, against gradients of
/// size 1e-2 … 10 at these draws: 1e-6 relative to the gradient's size leaves a wide margin, and
/// a wrong factor (a missing 2, σ for σ²) is off by O(1).
const H: f64 = 1e-5;
const TOLERANCE: f64 = 1e-6;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// `loss` computes no gradient, and its value has the bits of `loss_and_gradient`'s loss,
    /// for the three problems (including grids whose length is not a multiple of the lanes).
    #[test]
    fn loss_alone_is_the_loss_of_loss_and_gradient(
        w in 0.05f64..0.95, ma in -4.0f64..0.0, sa in 0.4f64..2.0, mb in 0.0f64..4.0,
        sb in 0.4f64..2.0, mu in -3.0f64..3.0, sigma in 0.5f64..4.0, n in 3990usize..4000,
    ) {
        let x = &grid(N, -10.0, 10.0)[..n];
        let p = mixture_masses(x, w, (ma, sa), (mb, sb));
        let forward = ForwardKl::new(x, &p).unwrap();
        let reverse = ReverseKl::new(x, &p).unwrap();
        let original = OriginalForwardKl::new(x, &mixture_pdf(x, w, (ma, sa), (mb, sb))).unwrap();
        let objectives: [&dyn Objective; 3] = [&forward, &reverse, &original];
        for problem in objectives {
            let theta = problem.theta(mu, sigma);
            let alone = problem.loss(&theta).unwrap();
            let (with_gradient, _) = problem.loss_and_gradient(&theta).unwrap();
            prop_assert!(alone.to_bits() == with_gradient.to_bits(), "{alone} vs {with_gradient}");
        }
    }

    #[test]
    fn forward_gradient_matches_central_differences(
        w in 0.05f64..0.95, ma in -4.0f64..0.0, sa in 0.4f64..2.0, mb in 0.0f64..4.0,
        sb in 0.4f64..2.0, mu in -3.0f64..3.0, sigma in 0.5f64..4.0,
    ) {
        let x = grid(N, -10.0, 10.0);
        let p = mixture_masses(&x, w, (ma, sa), (mb, sb));
        let problem = ForwardKl::new(&x, &p).unwrap();
        let check = gradient_check(|t| problem.loss_and_gradient(t), &problem.theta(mu, sigma), H)
            .unwrap();
        prop_assert!(check.max_relative_error <= TOLERANCE, "{:?}", check);
    }

    #[test]
    fn reverse_gradient_matches_central_differences(
        w in 0.05f64..0.95, ma in -4.0f64..0.0, sa in 0.4f64..2.0, mb in 0.0f64..4.0,
        sb in 0.4f64..2.0, mu in -3.0f64..3.0, sigma in 0.5f64..4.0,
    ) {
        let x = grid(N, -10.0, 10.0);
        let p = mixture_masses(&x, w, (ma, sa), (mb, sb));
        let problem = ReverseKl::new(&x, &p).unwrap();
        let check = gradient_check(|t| problem.loss_and_gradient(t), &problem.theta(mu, sigma), H)
            .unwrap();
        prop_assert!(check.max_relative_error <= TOLERANCE, "{:?}", check);
    }

    /// The original's loss is ≈ 1000 times larger (plus ≈ 7000), so its rounding error in
    /// absolute terms is too; so are its gradients, and the relative error stays the same size.
    #[test]
    fn original_gradient_matches_central_differences(
        mp in -2.0f64..2.0, sp in 0.5f64..3.0, mu in -3.0f64..3.0, var in 0.3f64..9.0,
    ) {
        let dx = 0.001;
        let x: Vec<f64> = (0..20_000).map(|i| -10.0 + i as f64 * dx).collect();
        let pdf = mixture_pdf(&x, 1.0, (mp, sp), (0.0, 1.0));
        let problem = OriginalForwardKl::new(&x, &pdf).unwrap();
        let check = gradient_check(|t| problem.loss_and_gradient(t), &Vector2::new(mu, var), H)
            .unwrap();
        prop_assert!(check.max_relative_error <= TOLERANCE, "{:?}", check);
    }

    /// Two hand gradients against each other: L = P·KL + P ln P, so ∂L/∂μ = P ∂KL/∂μ and, since
    /// v = σ² = e^{2 ln σ}, ∂L/∂v = P ∂KL/∂(ln σ) / (2v).
    #[test]
    fn original_is_the_scaled_forward_kl(
        mp in -2.0f64..2.0, sp in 0.5f64..3.0, mu in -3.0f64..3.0, sigma in 0.5f64..3.0,
    ) {
        let x = grid(N, -10.0, 10.0);
        let pdf = mixture_pdf(&x, 1.0, (mp, sp), (0.0, 1.0));
        let total: f64 = pdf.iter().sum();
        let original = OriginalForwardKl::new(&x, &pdf).unwrap();
        let ours = ForwardKl::new(&x, &kl::discrete::normalize(&pdf).unwrap()).unwrap();
        let (loss, g) = original.loss_and_gradient(&original.theta(mu, sigma)).unwrap();
        let (kl, g_kl) = ours.loss_and_gradient(&ours.theta(mu, sigma)).unwrap();
        let var = sigma * sigma;
        prop_assert!((original.total_mass() - total).abs() <= 1e-9 * total);
        prop_assert!((loss - (total * kl + total * total.ln())).abs() <= 1e-10 * loss.abs());
        prop_assert!((g[0] - total * g_kl[0]).abs() <= 1e-10 * (1.0 + g[0].abs()));
        prop_assert!((g[1] - total * g_kl[1] / (2.0 * var)).abs() <= 1e-10 * (1.0 + g[1].abs()));
    }

    /// The forward loss equals the direct sum Σ p ln(p/q) of `kl::discrete` on the model's
    /// masses; the reverse loss equals Σ q ln(q/p). Both to 1e-12 plus the rounding of a
    /// 4000-term sum.
    #[test]
    fn losses_equal_the_direct_discrete_sum(
        w in 0.05f64..0.95, ma in -4.0f64..0.0, sa in 0.4f64..2.0, mb in 0.0f64..4.0,
        sb in 0.4f64..2.0, mu in -3.0f64..3.0, sigma in 0.5f64..4.0,
    ) {
        let x = grid(N, -10.0, 10.0);
        let p = mixture_masses(&x, w, (ma, sa), (mb, sb));
        let q = normal_masses(&x, mu, sigma).unwrap();
        let forward = ForwardKl::new(&x, &p).unwrap();
        let reverse = ReverseKl::new(&x, &p).unwrap();
        let (f, _) = forward.loss_and_gradient(&forward.theta(mu, sigma)).unwrap();
        let (r, _) = reverse.loss_and_gradient(&reverse.theta(mu, sigma)).unwrap();
        let f_direct = kl::discrete::kl_divergence(&p, &q).unwrap();
        let r_direct = kl::discrete::kl_divergence(&q, &p).unwrap();
        prop_assert!((f - f_direct).abs() <= 1e-12 * (1.0 + f_direct), "{} {}", f, f_direct);
        prop_assert!((r - r_direct).abs() <= 1e-12 * (1.0 + r_direct), "{} {}", r, r_direct);
    }
}

/// The closed form for two normals, KL(N(m1,s1)‖N(m2,s2)) = ln(s2/s1) + (s1² + (m1−m2)²)/(2 s2²)
/// − 1/2, against the grid losses on [−20, 20) with step 0.01: every σ here is ≥ 0.8 (narrower
/// targets underflow to p = 0 at the far end, which reverse KL refuses) and every
/// mean within 1.5 of 0, so the grid reaches ≥ 9σ (truncation < 1e-17) and the step is ≤ σ/50
/// (the grid rule's error for a normal is ~exp(−2π²σ²/h²), nil). 1e-10 covers rounding.
#[test]
fn losses_match_the_closed_form_for_two_normals() {
    let x: Vec<f64> = (0..4000).map(|i| -20.0 + i as f64 * 0.01).collect();
    let closed = |m1: f64, s1: f64, m2: f64, s2: f64| {
        (s2 / s1).ln() + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2.0 * s2 * s2) - 0.5
    };
    for (mp, sp, mq, sq) in [
        (0.0, 2.0, 0.0, 1.0),
        (0.5, 1.0, -1.5, 2.0),
        (1.0, 0.8, 0.0, 1.5),
    ] {
        let p = normal_masses(&x, mp, sp).unwrap();
        let forward = ForwardKl::new(&x, &p).unwrap();
        let reverse = ReverseKl::new(&x, &p).unwrap();
        let (f, _) = forward.loss_and_gradient(&forward.theta(mq, sq)).unwrap();
        let (r, _) = reverse.loss_and_gradient(&reverse.theta(mq, sq)).unwrap();
        assert!((f - closed(mp, sp, mq, sq)).abs() < 1e-10, "{f}");
        assert!((r - closed(mq, sq, mp, sp)).abs() < 1e-10, "{r}");
    }
}

/// The same closed form, differentiated by hand on paper, for the forward gradient:
/// KL = ln σ − ln s + (s² + (m − μ)²)/(2σ²) − 1/2 with ρ = ln σ gives
/// ∂/∂μ = −(m − μ)/σ² and ∂/∂ρ = 1 − (s² + (m − μ)²)/σ².
#[test]
fn forward_gradient_matches_the_closed_form_derivative() {
    let x: Vec<f64> = (0..4000).map(|i| -20.0 + i as f64 * 0.01).collect();
    let (m, s) = (0.5, 1.5);
    let p = normal_masses(&x, m, s).unwrap();
    let problem = ForwardKl::new(&x, &p).unwrap();
    for (mu, sigma) in [(0.0, 1.0), (-1.0, 2.5), (1.5, 0.7)] {
        let (_, g) = problem
            .loss_and_gradient(&problem.theta(mu, sigma))
            .unwrap();
        let var: f64 = sigma * sigma;
        let expected = Vector2::new(-(m - mu) / var, 1.0 - (s * s + (m - mu) * (m - mu)) / var);
        assert!((g - expected).amax() < 1e-10, "{g} vs {expected}");
    }
}

#[test]
fn gradient_check_catches_a_wrong_gradient() {
    // f = θ₀² θ₁ with the ∂/∂θ₁ term forgotten: the check must say so.
    let wrong = |t: &Vector2<f64>| Ok((t[0] * t[0] * t[1], Vector2::new(2.0 * t[0] * t[1], 0.0)));
    let check = gradient_check(wrong, &Vector2::new(1.0, 2.0), 1e-5).unwrap();
    assert!(check.max_relative_error > 0.1, "{check:?}");
    assert!((check.numeric[1] - 1.0).abs() < 1e-8);
}

/// Log-masses of N(m, s) on `x`, normalised by log-sum-exp (no underflow anywhere).
fn normal_ln_masses(x: &[f64], m: f64, s: f64) -> Vec<f64> {
    let shape: Vec<f64> = x
        .iter()
        .map(|xi| -(xi - m) * (xi - m) / (2.0 * s * s))
        .collect();
    let max = shape.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ln_total = max + shape.iter().map(|v| (v - max).exp()).sum::<f64>().ln();
    shape.iter().map(|v| v - ln_total).collect()
}

/// From log-masses, reverse KL handles a narrow target whose masses underflow at the far end
/// of the grid (N(1, 0.5) at x = −20 is exp(−882)), and agrees with the closed form as above.
#[test]
fn reverse_kl_from_log_masses_survives_underflow() {
    let x: Vec<f64> = (0..4000).map(|i| -20.0 + i as f64 * 0.01).collect();
    let (mp, sp, mq, sq) = (1.0, 0.5, 0.0, 1.5);
    assert!(normal_masses(&x, mp, sp).unwrap()[0] == 0.0);
    let reverse = ReverseKl::from_ln_masses(&x, &normal_ln_masses(&x, mp, sp)).unwrap();
    let (r, _) = reverse.loss_and_gradient(&reverse.theta(mq, sq)).unwrap();
    let closed = (sp / sq).ln() + (sq * sq + (mq - mp) * (mq - mp)) / (2.0 * sp * sp) - 0.5;
    assert!((r - closed).abs() < 1e-10, "{r} vs {closed}");
}

/// Where nothing underflows, the two constructors are the same problem.
#[test]
fn reverse_kl_from_masses_and_from_log_masses_agree() {
    let x = grid(N, -10.0, 10.0);
    let p = mixture_masses(&x, 0.3, (-2.0, 1.0), (2.0, 0.8));
    let ln_p: Vec<f64> = p.iter().map(|v| v.ln()).collect();
    let a = ReverseKl::new(&x, &p).unwrap();
    let b = ReverseKl::from_ln_masses(&x, &ln_p).unwrap();
    let theta = a.theta(0.5, 1.2);
    assert_eq!(
        a.loss_and_gradient(&theta).unwrap(),
        b.loss_and_gradient(&theta).unwrap()
    );
    // A −∞ log-mass is a zero mass: refused, as a non-finite value at its index.
    let mut bad = ln_p.clone();
    bad[7] = f64::NEG_INFINITY;
    assert!(matches!(
        ReverseKl::from_ln_masses(&x, &bad).unwrap_err(),
        kl::Error::NotFinite {
            name: "ln_p",
            index: 7,
            ..
        }
    ));
    // Log-masses that do not sum to 1 (here to e).
    let shifted: Vec<f64> = ln_p.iter().map(|v| v + 1.0).collect();
    assert!(matches!(
        ReverseKl::from_ln_masses(&x, &shifted).unwrap_err(),
        kl::Error::NotNormalized { name: "ln_p", .. }
    ));
}
