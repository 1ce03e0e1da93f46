//! The vectorised, blocked, possibly parallel kernel against the straightforward scalar reading of
//! the module docs' table: same values (to rounding), same errors, same first bad index.

use kl::Error;
use kl::discrete::{cross_entropy, entropy, js_divergence, kl_divergence};
use proptest::prelude::{Just, Strategy, prop, prop_assert, prop_assert_eq, prop_oneof, proptest};

use crate::common::Compensated;

/// The table of `kl::discrete`'s docs, one element at a time: checks in index order (`p` before
/// `q`), `+∞` terms set aside, the two sums checked at the end. Returns the value and `Σ|term|`.
fn reference(
    p: &[f64],
    q: Option<&[f64]>,
    term: impl Fn(f64, f64) -> f64,
) -> Result<(f64, f64), Error> {
    if p.is_empty() {
        return Err(Error::Empty { name: "p" });
    }
    let check = |name: &'static str, index: usize, value: f64| {
        if !value.is_finite() {
            Err(Error::NotFinite { name, index, value })
        } else if value < 0.0 {
            Err(Error::Negative { name, index, value })
        } else {
            Ok(())
        }
    };
    let (mut total, mut sp, mut sq) = (
        Compensated::default(),
        Compensated::default(),
        Compensated::default(),
    );
    let mut infinite = false;
    for i in 0..p.len() {
        check("p", i, p[i])?;
        let qi = match q {
            Some(q) => {
                check("q", i, q[i])?;
                q[i]
            }
            None => 0.0,
        };
        sp.add(p[i]);
        sq.add(qi);
        let t = term(p[i], qi);
        if t.is_infinite() {
            infinite = true;
        } else {
            total.add(t);
        }
    }
    for (name, s, used) in [("p", &sp, true), ("q", &sq, q.is_some())] {
        let sum = s.value();
        if used && (sum - 1.0).abs() > 1e-6 {
            return Err(Error::NotNormalized {
                name,
                sum,
                tolerance: 1e-6,
            });
        }
    }
    let value = if infinite {
        f64::INFINITY
    } else {
        total.value()
    };
    Ok((value, total.abs))
}

/// `p ln(p/q)` as the docs describe it: through the ratio, or through the difference of
/// logarithms where the ratio would not be a normal double.
fn p_ln_ratio(p: f64, q: f64) -> f64 {
    let r = p / q;
    if r.is_normal() {
        p * r.ln()
    } else {
        p * (p.ln() - q.ln())
    }
}

/// KL under the documented rule for inputs accepted within the tolerance: the divergence of
/// p/Σp from q/Σq, which is `Σ p ln(p/q) / Σp + ln(Σq/Σp)`. The difference of the sums is taken
/// from the compensated parts, so that it survives when both sums round to the same double.
fn kl_reference(p: &[f64], q: &[f64]) -> Result<(f64, f64), Error> {
    let (value, abs) = reference(p, Some(q), kl_term)?;
    let (mut sp, mut sq) = (Compensated::default(), Compensated::default());
    p.iter().for_each(|&x| sp.add(x));
    q.iter().for_each(|&x| sq.add(x));
    let total_p = sp.value();
    let excess = ((sq.s - sp.s) + (sq.c - sp.c)) / total_p;
    let shift = excess.ln_1p();
    Ok((value / total_p + shift, abs / total_p + shift.abs()))
}

fn kl_term(p: f64, q: f64) -> f64 {
    match (p == 0.0, q == 0.0) {
        (true, _) => 0.0,
        (false, true) => f64::INFINITY,
        _ => p_ln_ratio(p, q),
    }
}

fn ce_term(p: f64, q: f64) -> f64 {
    match (p == 0.0, q == 0.0) {
        (true, _) => 0.0,
        (false, true) => f64::INFINITY,
        _ => -p * q.ln(),
    }
}

fn js_term(p: f64, q: f64) -> f64 {
    let m = 0.5 * p + 0.5 * q;
    let a = if p == 0.0 { 0.0 } else { p_ln_ratio(p, m) };
    let b = if q == 0.0 { 0.0 } else { p_ln_ratio(q, m) };
    0.5 * (a + b)
}

fn h_term(p: f64, _: f64) -> f64 {
    if p == 0.0 { 0.0 } else { -p * p.ln() }
}

/// The library against the reference: identical errors (compared through `Debug`, so that a NaN
/// in the error equals a NaN), values within 1e-14 of `Σ|term|` — the scale of any rounding in a
/// sum of terms of both signs; for the one-signed sums (cross-entropy, entropy) that is 1e-14
/// relative. The sum in a `NotNormalized` error may differ in its last bits (lane sums against
/// one running sum), so only its name is compared, and the sums to 1e-12.
fn agree(got: Result<f64, Error>, want: Result<(f64, f64), Error>) -> Result<(), String> {
    match (got, want) {
        (Ok(g), Ok((w, abs))) => {
            let ok = g == w || (g - w).abs() <= 1e-14 * abs.max(f64::MIN_POSITIVE);
            ok.then_some(())
                .ok_or(format!("{g:e} vs {w:e} (Σ|t| = {abs:e})"))
        }
        (
            Err(Error::NotNormalized { name, sum, .. }),
            Err(Error::NotNormalized {
                name: wn, sum: ws, ..
            }),
        ) => (name == wn && (sum - ws).abs() <= 1e-12)
            .then_some(())
            .ok_or(format!("{name} {sum} vs {wn} {ws}")),
        (g, w) => {
            let (g, w) = (format!("{g:?}"), format!("{:?}", w.map(|v| v.0)));
            (g == w).then_some(()).ok_or(format!("{g} vs {w}"))
        }
    }
}

/// Lengths around the lane (8) and block (256) boundaries and a few blocks long.
fn length() -> impl Strategy<Value = usize> {
    prop_oneof![1usize..20, 250usize..265, 505usize..520, 760usize..1100]
}

/// One weight: mostly ordinary, sometimes 0, a subnormal, or tiny enough that a ratio leaves the
/// normal range.
fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![
        40 => 1e-3f64..1.0,
        2 => Just(0.0),
        1 => Just(1e-310),
        1 => Just(4e-320),
        1 => Just(1e-300),
        1 => Just(f64::MIN_POSITIVE),
    ]
}

/// A spoiler written over the normalised vector: NaN, ±∞, negative or −0.
fn spoiler() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.25),
        Just(-1e-310),
        Just(-0.0),
    ]
}

/// A probability vector of length `n`, then with probability ¼ a few entries spoiled at random
/// positions; sometimes left unnormalised.
fn vector(n: usize) -> impl Strategy<Value = Vec<f64>> {
    (
        prop::collection::vec(weight(), n),
        prop::collection::vec((0..n, spoiler()), 0..3),
        prop::bool::weighted(0.25),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(w, spoilers, spoil, unnormalised)| {
            let mut v = kl::discrete::normalize(&w).unwrap_or(w);
            if unnormalised {
                v[0] += 0.5;
            }
            if spoil {
                for (i, x) in spoilers {
                    v[i] = x;
                }
            }
            v
        })
}

fn pair() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    length().prop_flat_map(|n| (vector(n), vector(n)))
}

proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(400))]

    #[test]
    fn kl_matches_the_scalar_reference((p, q) in pair()) {
        let r = agree(kl_divergence(&p, &q), kl_reference(&p, &q));
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn cross_entropy_matches_the_scalar_reference((p, q) in pair()) {
        let r = agree(cross_entropy(&p, &q), reference(&p, Some(&q), ce_term));
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn js_matches_the_scalar_reference((p, q) in pair()) {
        let r = agree(js_divergence(&p, &q), reference(&p, Some(&q), js_term));
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn entropy_matches_the_scalar_reference(p in length().prop_flat_map(vector)) {
        let r = agree(entropy(&p), reference(&p, None, h_term));
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    /// A single bad entry anywhere is reported at its own index, whatever else the vector holds.
    #[test]
    fn the_first_bad_index_is_reported((p, q) in pair(), at in 0usize..2000, bad in spoiler()) {
        let (mut p, q) = (p, q);
        let at = at % p.len();
        if bad == 0.0 {
            return Ok(()); // −0 is a valid zero.
        }
        p[at] = bad;
        let first_p = p.iter().position(|&x| !x.is_finite() || x < 0.0).unwrap();
        // At one index p is checked before q.
        let first_q = q.iter().take(first_p).position(|&x| !x.is_finite() || x < 0.0);
        let (name, index) = match first_q {
            Some(j) if j < first_p => ("q", j),
            _ => ("p", first_p),
        };
        let err = kl_divergence(&p, &q).unwrap_err();
        let (got_name, got_index) = match err {
            Error::NotFinite { name, index, .. } | Error::Negative { name, index, .. } => (name, index),
            other => return Err(proptest::test_runner::TestCaseError::fail(format!("{other:?}"))),
        };
        prop_assert_eq!((got_name, got_index), (name, index));
    }
}

/// Ten million elements once: the kernel's blocked lane sums and chunked parallel combination
/// against one compensated running sum, to 1e-14 relative. The vectors come from a cheap integer
/// formula so that building them costs little.
#[test]
fn ten_million_elements_within_1e_14_of_a_compensated_sum() {
    let n = 10_000_000u64;
    let make = |a: u64, b: u64| {
        let w: Vec<f64> = (0..n)
            .map(|i| ((i.wrapping_mul(a).wrapping_add(b)) % (1 << 20) + 64) as f64)
            .collect();
        // An integer total below 2^53: exact in any order.
        let total: f64 = w.iter().sum();
        w.into_iter().map(|x| x / total).collect::<Vec<f64>>()
    };
    let p = make(2_654_435_761, 0);
    let q = make(2_246_822_519, 12_345);
    for (name, got, want) in [
        (
            "kl",
            kl_divergence(&p, &q).unwrap(),
            kl_reference(&p, &q).unwrap(),
        ),
        (
            "entropy",
            entropy(&p).unwrap(),
            reference(&p, None, h_term).unwrap(),
        ),
    ] {
        let rel = ((got - want.0) / want.0).abs();
        assert!(rel <= 1e-14, "{name}: {got} vs {} ({rel:e})", want.0);
    }
}
