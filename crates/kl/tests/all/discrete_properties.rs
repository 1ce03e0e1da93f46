//! Properties every probability-vector divergence must have, on random vectors.

use std::f64::consts::LN_2;

use crate::common::prob;
use kl::discrete::{cross_entropy, entropy, js_divergence, kl_divergence};
use proptest::prelude::{Strategy, prop_assert, proptest};

/// Two probability vectors over the same outcomes.
fn pair() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (1usize..40).prop_flat_map(|n| (prob(n), prob(n)))
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    a == b || (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

proptest! {
    /// Gibbs' inequality: KL(P‖Q) ≥ 0 (up to rounding at a few ulp of the terms).
    #[test]
    fn kl_is_non_negative((p, q) in pair()) {
        let kl = kl_divergence(&p, &q).unwrap();
        prop_assert!(kl >= -1e-14, "{}", kl);
    }

    /// KL(P‖P) = 0.
    #[test]
    fn kl_of_a_distribution_with_itself_is_zero(p in (1usize..40).prop_flat_map(prob)) {
        prop_assert!(kl_divergence(&p, &p).unwrap().abs() <= 1e-15);
    }

    /// KL = H(P, Q) − H(P), whenever the divergence is finite.
    #[test]
    fn kl_is_cross_entropy_minus_entropy((p, q) in pair()) {
        let kl = kl_divergence(&p, &q).unwrap();
        let h_pq = cross_entropy(&p, &q).unwrap();
        let h_p = entropy(&p).unwrap();
        if kl.is_finite() {
            // The subtraction cancels: bound the error by the size of the operands.
            prop_assert!((kl - (h_pq - h_p)).abs() <= 1e-12 * (1.0 + h_pq.abs()), "{} vs {}", kl, h_pq - h_p);
        } else {
            prop_assert!(h_pq.is_infinite());
        }
    }

    /// JS is symmetric and lies in [0, ln 2].
    #[test]
    fn js_is_symmetric_and_bounded((p, q) in pair()) {
        let a = js_divergence(&p, &q).unwrap();
        let b = js_divergence(&q, &p).unwrap();
        prop_assert!(close(a, b, 1e-12), "{} vs {}", a, b);
        prop_assert!((-1e-15..=LN_2 + 1e-15).contains(&a), "{}", a);
    }

    /// Relabelling the outcomes (the same permutation of p and q) changes nothing.
    #[test]
    fn invariant_under_joint_permutation((p, q) in pair(), seed in 0u64..1000) {
        let n = p.len();
        let mut order: Vec<usize> = (0..n).collect();
        // A deterministic shuffle from the seed (Fisher–Yates with an LCG).
        let mut s = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (s >> 33) as usize % (i + 1));
        }
        let pp: Vec<f64> = order.iter().map(|&i| p[i]).collect();
        let qq: Vec<f64> = order.iter().map(|&i| q[i]).collect();
        prop_assert!(close(kl_divergence(&p, &q).unwrap(), kl_divergence(&pp, &qq).unwrap(), 1e-13));
        prop_assert!(close(js_divergence(&p, &q).unwrap(), js_divergence(&pp, &qq).unwrap(), 1e-13));
        prop_assert!(close(entropy(&p).unwrap(), entropy(&pp).unwrap(), 1e-13));
    }
}
