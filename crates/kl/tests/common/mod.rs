//! What the robustness tests and the fuzz target share: run a call on its own thread, with
//! its panic caught and a time budget.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

/// Far more than any of these calls needs on an idle machine (they take milliseconds to a
/// second); only a call that does not finish at all exceeds it.
pub const BUDGET: Duration = Duration::from_secs(60);

/// Runs `f` on its own thread: `Ok(value)`, or `Err` saying it panicked or did not return
/// within [`BUDGET`].
pub fn guarded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = catch_unwind(AssertUnwindSafe(f));
        let _ = send.send(outcome);
    });
    match receive.recv_timeout(BUDGET) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(panic)) => Err(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
        Err(_) => Err(format!("did not return within {BUDGET:?}")),
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
