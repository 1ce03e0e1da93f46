//! The fused, vectorised pass of `kl::fit` against plain routes: the order of the grid points
//! does not matter (an unsorted grid takes the scan for the nearest point, a sorted one the
//! binary search), odd lengths and tiny grids take the scalar tail, and the losses and
//! gradients agree with a scalar computation that uses `f64::exp` and a compensated sum.

use kl::fit::{ForwardKl, Objective, OriginalForwardKl, ReverseKl, normal_masses};
use nalgebra::Vector2;
use proptest::prelude::{prop_assert, proptest};

use crate::common::{compensated, grid};

/// Forward KL and its gradient straight from the formulas of the `ForwardKl` docs, one point at
/// a time with `f64::exp`: KL = Σ p ln p − Σ p ln q, ln q_i = s_i − ln Z,
/// ∂KL/∂μ = −(E_p[d] − E_q[d])/σ², ∂KL/∂ln σ = −(E_p[d²] − E_q[d²])/σ².
fn forward_direct(x: &[f64], p: &[f64], mu: f64, sigma: f64) -> (f64, Vector2<f64>) {
    let var = sigma * sigma;
    let s: Vec<f64> = x
        .iter()
        .map(|xi| -(xi - mu) * (xi - mu) / (2.0 * var))
        .collect();
    let s_max = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = s.iter().map(|si| (si - s_max).exp()).collect();
    let z = compensated(w.iter().copied());
    let ln_z = s_max + z.ln();
    let kl = compensated(
        p.iter()
            .zip(&s)
            .filter(|(pi, _)| **pi > 0.0)
            .map(|(pi, si)| pi * (pi.ln() - (si - ln_z))),
    );
    let e = |f: &dyn Fn(f64) -> f64, weights: &[f64], total: f64| {
        compensated(x.iter().zip(weights).map(|(xi, wi)| wi * f(xi - mu))) / total
    };
    let (ep_d, ep_d2) = (e(&|d| d, p, 1.0), e(&|d| d * d, p, 1.0));
    let (eq_d, eq_d2) = (e(&|d| d, &w, z), e(&|d| d * d, &w, z));
    (
        kl,
        Vector2::new(-(ep_d - eq_d) / var, -(ep_d2 - eq_d2) / var),
    )
}

/// A fixed permutation of 0..n (multiplication by a number coprime to n, modulo n).
fn shuffled<T: Copy>(v: &[T]) -> Vec<T> {
    let n = v.len();
    let mut step = 7919 % n.max(1);
    while n > 1 && gcd(step, n) != 1 {
        step += 1;
    }
    (0..n).map(|i| v[(i * step.max(1)) % n]).collect()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

proptest! {
    /// Against the direct scalar route: losses to 1e-12 absolute (both are sums of ≤ 3001
    /// terms of size ≤ 10, each exp within 2 ulp, compensated: the difference is rounding,
    /// ≈ 1e-14), gradients to 1e-10 relative to their size (a difference of two expectations,
    /// divided by σ² ≥ 0.09). Lengths that are not multiples of 8 or 256 exercise the tails.
    #[test]
    fn forward_matches_a_scalar_route(
        n in 1usize..3001, m in -2.0f64..2.0, s in 0.5f64..3.0, mu in -3.0f64..3.0,
        sigma in 0.3f64..4.0,
    ) {
        let x = grid(n, -8.0, 8.0);
        let p = normal_masses(&x, m, s).unwrap();
        let problem = ForwardKl::new(&x, &p).unwrap();
        let (kl, g) = problem.loss_and_gradient(&problem.theta(mu, sigma)).unwrap();
        let (kl_direct, g_direct) = forward_direct(&x, &p, mu, sigma);
        prop_assert!((kl - kl_direct).abs() <= 1e-12, "{} {}", kl, kl_direct);
        let size = g_direct.amax().max(1.0);
        prop_assert!((g - g_direct).amax() <= 1e-10 * size, "{} {}", g, g_direct);
    }

    /// The same problem on the same points in another order: equal to rounding (the sums are
    /// taken in another order; the nearest point, and so the shift, is the same double).
    #[test]
    fn point_order_does_not_matter(
        n in 2usize..3001, mu in -9.0f64..9.0, sigma in 0.01f64..4.0,
    ) {
        let x = grid(n, -8.0, 8.0);
        let p = normal_masses(&x, 0.5, 1.5).unwrap();
        let (xs, ps) = (shuffled(&x), shuffled(&p));
        let forward = ForwardKl::new(&x, &p).unwrap();
        let forward_s = ForwardKl::new(&xs, &ps).unwrap();
        let reverse = ReverseKl::new(&x, &p).unwrap();
        let reverse_s = ReverseKl::new(&xs, &ps).unwrap();
        let original = OriginalForwardKl::new(&x, &p).unwrap();
        let original_s = OriginalForwardKl::new(&xs, &ps).unwrap();
        let theta = forward.theta(mu, sigma);
        let pairs = [
            (forward.loss_and_gradient(&theta).unwrap(), forward_s.loss_and_gradient(&theta).unwrap()),
            (reverse.loss_and_gradient(&theta).unwrap(), reverse_s.loss_and_gradient(&theta).unwrap()),
            (
                original.loss_and_gradient(&original.theta(mu, sigma)).unwrap(),
                original_s.loss_and_gradient(&original.theta(mu, sigma)).unwrap(),
            ),
        ];
        for ((a, ga), (b, gb)) in pairs {
            // Losses up to ≈ 1e4 (a narrow q far from p): 1e-12 relative is many times the
            // rounding of two orders of summation.
            prop_assert!((a - b).abs() <= 1e-12 * (1.0 + a.abs()), "{} {}", a, b);
            prop_assert!((ga - gb).amax() <= 1e-10 * (1.0 + ga.amax()), "{} {}", ga, gb);
        }
    }
}

/// A narrow q centred far outside the grid: every exponent is hugely negative, the shift makes
/// the nearest point's exactly 0, and the loss is finite (no 0/0), as with the scalar route.
#[test]
fn narrow_q_far_from_the_grid_stays_finite() {
    let x = grid(1001, -8.0, 8.0);
    let p = normal_masses(&x, 0.0, 1.0).unwrap();
    let problem = ForwardKl::new(&x, &p).unwrap();
    let (kl, g) = problem
        .loss_and_gradient(&problem.theta(50.0, 0.01))
        .unwrap();
    let (kl_direct, g_direct) = forward_direct(&x, &p, 50.0, 0.01);
    assert!(kl.is_finite() && g[0].is_finite() && g[1].is_finite());
    assert!(
        (kl - kl_direct).abs() <= 1e-9 * kl_direct,
        "{kl} {kl_direct}"
    );
    assert!(
        (g - g_direct).amax() <= 1e-9 * g_direct.amax(),
        "{g} {g_direct}"
    );
}
