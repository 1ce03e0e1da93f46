//! What several test modules share, written once: a guarded call (its own thread, its panic
//! caught, a time budget) for the robustness tests and the fuzz target; Neumaier's compensated
//! sum for the independent routes of the fast-path tests; strategies for probability vectors and
//! log-uniform numbers, and an even grid.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::Strategy;

/// Far more than any of these calls needs on an idle machine (they take milliseconds to a
/// second); only a call that does not finish at all exceeds it. `FUZZ_BUDGET_SECS` shortens
/// it for a local exploration (`just fuzz`), where a hang met while shrinking costs a budget.
pub fn budget() -> Duration {
    let secs = std::env::var("FUZZ_BUDGET_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// Runs `f` on its own thread: `Ok(value)`, or `Err` saying it panicked or did not return
/// within [`budget`].
pub fn guarded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = catch_unwind(AssertUnwindSafe(f));
        let _ = send.send(outcome);
    });
    let budget = budget();
    match receive.recv_timeout(budget) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(panic)) => Err(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
        Err(_) => Err(format!("did not return within {budget:?}")),
    }
}

/// The call returned (no panic, no hang) and, if `Ok`, a number or `+∞`, not below 0.
pub fn assert_divergence(what: &str, outcome: Result<kl::Result<f64>, String>) {
    match outcome {
        Err(e) => panic!("{what}: {e}"),
        Ok(Err(_)) => {}
        Ok(Ok(v)) => assert!(v >= 0.0, "{what}: {v}"),
    }
}

pub fn assert_estimate(what: &str, outcome: Result<kl::Result<kl::numeric::Estimate>, String>) {
    match outcome {
        Err(e) => panic!("{what}: {e}"),
        Ok(Err(_)) => {}
        Ok(Ok(e)) => {
            assert!(!e.value.is_nan() && !e.error.is_nan(), "{what}: {e:?}");
            assert!(e.error >= 0.0, "{what}: {e:?}");
        }
    }
}

/// [`assert_estimate`], and the value is a divergence: never below 0 (quadrature and grid
/// clip rounding below 0; Monte Carlo means are exempt, being unbiased).
pub fn assert_divergence_estimate(
    what: &str,
    outcome: Result<kl::Result<kl::numeric::Estimate>, String>,
) {
    if let Ok(Ok(e)) = &outcome {
        assert!(e.value >= 0.0, "{what}: {e:?} is below 0");
    }
    assert_estimate(what, outcome);
}

/// Neumaier's compensated sum, written here (not taken from `kl`) so that the tests' reference
/// routes share no code with the library: the sum `s`, its running correction `c`, and `Σ|x|`.
#[derive(Default)]
pub struct Compensated {
    pub s: f64,
    pub c: f64,
    pub abs: f64,
}

impl Compensated {
    pub fn add(&mut self, x: f64) {
        let t = self.s + x;
        self.c += if self.s.abs() >= x.abs() {
            (self.s - t) + x
        } else {
            (x - t) + self.s
        };
        self.s = t;
        self.abs += x.abs();
    }

    /// The compensated value, `s + c`.
    pub fn value(&self) -> f64 {
        self.s + self.c
    }
}

/// `Σ terms` with Neumaier's compensation.
pub fn compensated(terms: impl Iterator<Item = f64>) -> f64 {
    let mut sum = Compensated::default();
    terms.for_each(|x| sum.add(x));
    sum.value()
}

/// A probability vector of length `n` drawn from positive weights, some of them exactly zero.
pub fn prob(n: usize) -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(proptest::option::weighted(0.85, 1e-6f64..10.0), n).prop_filter_map(
        "all-zero weights",
        |w| {
            let w: Vec<f64> = w.into_iter().map(|x| x.unwrap_or(0.0)).collect();
            kl::discrete::normalize(&w).ok()
        },
    )
}

/// A positive number spread evenly on a log scale over `[lo, hi)`: scales, rates and shapes.
pub fn log_uniform(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    (lo.ln()..hi.ln()).prop_map(f64::exp)
}

/// `n` evenly spaced points from `lo` (included) towards `hi` (excluded): `lo + i·(hi − lo)/n`.
pub fn grid(n: usize, lo: f64, hi: f64) -> Vec<f64> {
    let dx = (hi - lo) / n as f64;
    (0..n).map(|i| lo + i as f64 * dx).collect()
}
