// ANCHOR: all
//! # Chapter 01 — KL divergence between discrete distributions
//!
//! For two probability vectors over the same outcomes, `KL(P‖Q) = Σ pᵢ ln(pᵢ /
//! qᵢ)`, in nats. This chapter writes the original tutorial's numpy one-liner
//! literally in Rust, checks it against `kl::discrete::kl_divergence` on distributions
//! small enough to verify by hand (a fair die against a loaded one, a binomial against
//! a uniform), then shows what zeros mean, nats against bits, the identity `KL = H(P,
//! Q) − H(P)`, and what the library says to input that is not a distribution.
//!
//! Run it with `cargo run --example 01_discrete_kl`. Figures go to `book/src/figures/`
//! (or to the directory in `KL_FIGURES`).

mod common;

use kl::discrete::{
    cross_entropy, entropy, js_divergence, kl_divergence, nats_to_bits,
};

// ANCHOR: one_liner
/// The original's `np.sum(np.where(p != 0, p * np.log(p / q), 0))`, written literally:
/// no input checks at all.
fn original_one_liner(p: &[f64], q: &[f64]) -> f64 {
    p.iter()
        .zip(q)
        .map(|(&p, &q)| if p != 0.0 { p * (p / q).ln() } else { 0.0 })
        .sum()
}
// ANCHOR_END: one_liner

/// One labelled line of output: divergences in nats with six decimals.
fn show(label: &str, value: f64) {
    println!("{label:<36}{value:>12.6}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: dice
    // 1. A fair die against a loaded die that shows a six half of the time.
    let faces: Vec<String> = (1..=6).map(|f| f.to_string()).collect();
    let fair = [1.0 / 6.0; 6];
    let loaded = [0.1, 0.1, 0.1, 0.1, 0.1, 0.5];
    println!("A fair die P against a loaded die Q");
    show(
        "KL(P||Q) original one-liner",
        original_one_liner(&fair, &loaded),
    );
    show("KL(P||Q) kl::discrete", kl_divergence(&fair, &loaded)?);
    show("KL(Q||P) kl::discrete", kl_divergence(&loaded, &fair)?);
    let svg = kl_plot::bars(
        "Fair die P against loaded die Q",
        &faces,
        ("P fair", &fair),
        ("Q loaded", &loaded),
    )?;
    println!(
        "figure {}",
        kl_plot::save("01_fair_vs_loaded_die.svg", &svg)?
    );
    // ANCHOR_END: dice

    // ANCHOR: binomial
    // 2. Binomial(4, 1/2) against the uniform distribution on {0, …, 4}: by hand,
    //    KL = Σ (C(4,k)/16) ln(5 C(4,k)/16).
    println!();
    println!("Binomial(4, 1/2) P against uniform on 0..=4 Q");
    let binomial = [1.0 / 16.0, 4.0 / 16.0, 6.0 / 16.0, 4.0 / 16.0, 1.0 / 16.0];
    let uniform = [0.2; 5];
    let by_hand: f64 = [1.0f64, 4.0, 6.0, 4.0, 1.0]
        .iter()
        .map(|c| c / 16.0 * (5.0 * c / 16.0).ln())
        .sum();
    show("KL(P||Q) by hand", by_hand);
    show(
        "KL(P||Q) original one-liner",
        original_one_liner(&binomial, &uniform),
    );
    show("KL(P||Q) kl::discrete", kl_divergence(&binomial, &uniform)?);
    show("KL(Q||P) kl::discrete", kl_divergence(&uniform, &binomial)?);
    let counts: Vec<String> = (0..=4).map(|k| k.to_string()).collect();
    let svg = kl_plot::bars(
        "Binomial(4, 1/2) P against uniform Q",
        &counts,
        ("P binomial", &binomial),
        ("Q uniform", &uniform),
    )?;
    println!(
        "figure {}",
        kl_plot::save("01_binomial_vs_uniform.svg", &svg)?
    );
    // ANCHOR_END: binomial

    // ANCHOR: zeros
    // 3. Zeros. Where P is 0 the term is 0 (x ln x → 0). Where Q is 0 but P is not,
    //    P calls possible what Q calls impossible: the divergence is +∞, exactly.
    println!();
    println!("Zeros: P = [0.5, 0.5, 0], Q = [0.25, 0.25, 0.5]");
    let p = [0.5, 0.5, 0.0];
    let q = [0.25, 0.25, 0.5];
    show("KL(P||Q), P is 0 where Q is not", kl_divergence(&p, &q)?);
    show("KL(Q||P), Q has mass where P is 0", kl_divergence(&q, &p)?);
    show("JS(P, Q), finite either way", js_divergence(&p, &q)?);
    let outcomes: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let svg = kl_plot::bars(
        "Zeros: P has no mass on c, Q does",
        &outcomes,
        ("P", &p),
        ("Q", &q),
    )?;
    println!("figure {}", kl_plot::save("01_zeros.svg", &svg)?);
    // ANCHOR_END: zeros

    // ANCHOR: units
    // 4. Units: nats use ln, bits use log2; one bit is ln 2 nats.
    println!();
    println!("Units, fair die against loaded die");
    let nats = kl_divergence(&fair, &loaded)?;
    show("KL(P||Q) in nats", nats);
    show("KL(P||Q) in bits", nats_to_bits(nats));

    // 5. KL is the extra cost of coding P with a code built for Q: H(P, Q) − H(P).
    println!();
    println!("KL = cross-entropy - entropy, fair die against loaded die");
    let h_pq = cross_entropy(&fair, &loaded)?;
    let h_p = entropy(&fair)?;
    show("H(P, Q) cross-entropy", h_pq);
    show("H(P) entropy", h_p);
    show("H(P, Q) - H(P)", h_pq - h_p);
    show("KL(P||Q)", nats);
    // ANCHOR_END: units

    // ANCHOR: refuses
    // 6. What the one-liner accepts silently, the library refuses with a reason.
    println!();
    println!("Input that is not a distribution");
    let counts = [3.0, 1.0];
    let halves = [0.5, 0.5];
    show(
        "original one-liner on counts [3, 1]",
        original_one_liner(&counts, &halves),
    );
    match kl_divergence(&counts, &halves) {
        Ok(value) => show("kl::discrete on counts [3, 1]", value),
        Err(err) => common::print_error("kl::discrete on counts [3, 1]", &err),
    }
    show(
        "kl_divergence_unnormalized",
        kl::discrete::kl_divergence_unnormalized(&counts, &halves)?,
    );
    // ANCHOR_END: refuses
    Ok(())
}
// ANCHOR_END: all
