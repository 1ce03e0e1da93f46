// ANCHOR: all
//! # Chapter 13 — KL's family
//!
//! KL is one member of larger families of divergences, all computed by
//! `kl::divergences`.
//!
//! 1. **Rényi divergences** `D_α(P‖Q) = 1/(α−1) ln Σ pᵢ^α qᵢ^{1−α}`:
//!    non-decreasing in α, KL at α = 1, `−ln Q(p > 0)` at α = 0 and
//!    `ln max pᵢ/qᵢ` at α = ∞; for two normals in closed form.
//! 2. **f-divergences** `D_f(P‖Q) = Σ qᵢ f(pᵢ/qᵢ)`: KL, reverse KL, total
//!    variation, squared Hellinger and χ² are each one convex `f`.
//! 3. **Pinsker's inequality** `TV ≤ √(KL/2)`, drawn for `P = (½, ½)` against
//!    `Q = (t, 1 − t)`.
//! 4. **Mutual information** `I(X; Y) = KL(P_XY ‖ P_X P_Y)` of a 2×2 table and a
//!    3×4 table.
//!
//! Run it with `cargo run --example 13_kl_family`. Figures go to `book/src/figures/`
//! (or to the directory in `KL_FIGURES`).

use kl::divergences::{
    RenyiDivergence, chi_squared, f_divergence, hellinger_distance, mutual_information,
    renyi_divergence, total_variation,
};
use kl_plot::{Legend, LineChart, Series};
use ndarray::array;
use statrs::distribution::Normal;

fn show(label: &str, value: f64) {
    println!("{label:<44}{value:>12.6}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Rényi across α.
    // ANCHOR: renyi
    let p = [0.1, 0.2, 0.3, 0.4];
    let q = [0.4, 0.3, 0.2, 0.1];
    let alphas = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0, 8.0, f64::INFINITY];
    // ANCHOR_END: renyi
    println!("P = (0.1, 0.2, 0.3, 0.4), Q = (0.4, 0.3, 0.2, 0.1)");
    let pn = Normal::new(0.0, 1.0)?;
    let qn = Normal::new(1.0, 1.5)?;
    println!(
        "{:<12}{:>16}{:>28}",
        "alpha", "D_alpha(P||Q)", "D_alpha(N(0,1)||N(1,1.5))"
    );
    // ANCHOR: renyi_loop
    let mut curve = Vec::new();
    for alpha in alphas {
        let d = renyi_divergence(&p, &q, alpha)?;
        let dn = pn.renyi_divergence(&qn, alpha)?;
        println!("{:<12}{d:>16.6}{dn:>28.6}", format!("{alpha}"));
        if alpha.is_finite() {
            curve.push((alpha, d, dn));
        }
    }
    // ANCHOR_END: renyi_loop
    show(
        "KL(P||Q), kl::discrete",
        kl::discrete::kl_divergence(&p, &q)?,
    );
    show(
        "KL(N(0,1)||N(1,1.5)), closed form",
        kl::kl_divergence(&pn, &qn),
    );

    // 2. f-divergences.
    println!();
    println!("f-divergences of the same P and Q");
    // ANCHOR: f
    let kl_f = f_divergence(&p, &q, |t| t * t.ln(), f64::INFINITY)?;
    let reverse = f_divergence(&p, &q, |t| -t.ln(), 0.0)?;
    let tv_f = f_divergence(&p, &q, |t| 0.5 * (t - 1.0).abs(), 0.5)?;
    let h2_f = f_divergence(&p, &q, |t| 0.5 * (t.sqrt() - 1.0).powi(2), 0.5)?;
    let chi_f = f_divergence(&p, &q, |t| (t - 1.0).powi(2), f64::INFINITY)?;
    // ANCHOR_END: f
    show("f = t ln t: KL(P||Q)", kl_f);
    show("f = -ln t: KL(Q||P)", reverse);
    show("f = |t - 1| / 2: total variation", tv_f);
    show("  total_variation", total_variation(&p, &q)?);
    show("f = (sqrt t - 1)^2 / 2: squared Hellinger", h2_f);
    show(
        "  hellinger_distance^2",
        hellinger_distance(&p, &q)?.powi(2),
    );
    show("f = (t - 1)^2: chi^2", chi_f);
    show("  chi_squared", chi_squared(&p, &q)?);
    show("  ln(1 + chi^2) = D_2", chi_f.ln_1p());

    // 3. Pinsker, drawn.
    println!();
    println!("Pinsker: P = (0.5, 0.5), Q = (t, 1 - t)");
    println!("{:<12}{:>12}{:>16}", "t", "TV", "sqrt(KL / 2)");
    // ANCHOR: pinsker
    let ts: Vec<f64> = (1..100).map(|i| i as f64 / 100.0).collect();
    let mut tv = Vec::new();
    let mut bound = Vec::new();
    for &t in &ts {
        let qt = [t, 1.0 - t];
        tv.push(total_variation(&[0.5, 0.5], &qt)?);
        bound.push((kl::discrete::kl_divergence(&[0.5, 0.5], &qt)? / 2.0).sqrt());
    }
    // ANCHOR_END: pinsker
    for i in [0, 9, 24, 39, 49] {
        println!("{:<12}{:>12.6}{:>16.6}", ts[i], tv[i], bound[i]);
    }
    let svg = LineChart::new("Pinsker's inequality", "t in Q = (t, 1 - t)", "value")
        .legend(Legend::UpperMiddle)
        .headroom(0.3)
        .draw(&[
            Series::new("sqrt(KL(P||Q) / 2)", &ts, &bound, kl_plot::PALETTE[2], 2),
            Series::new("TV(P, Q)", &ts, &tv, kl_plot::PALETTE[0], 2),
        ])?;
    println!("figure {}", kl_plot::save("13_pinsker.svg", &svg)?);

    let a: Vec<f64> = curve.iter().map(|c| c.0).collect();
    let d: Vec<f64> = curve.iter().map(|c| c.1).collect();
    let dn: Vec<f64> = curve.iter().map(|c| c.2).collect();
    let svg =
        LineChart::new("Renyi divergence across alpha", "alpha", "D_alpha (nats)")
            .dots()
            .legend(Legend::UpperLeft)
            .headroom(0.3)
            .draw(&[
                Series::new(
                    "P = (0.1, 0.2, 0.3, 0.4), Q reversed",
                    &a,
                    &d,
                    kl_plot::PALETTE[0],
                    2,
                ),
                Series::new(
                    "N(0, 1) against N(1, 1.5)",
                    &a,
                    &dn,
                    kl_plot::PALETTE[2],
                    2,
                ),
            ])?;
    println!("figure {}", kl_plot::save("13_renyi_vs_alpha.svg", &svg)?);

    // 4. Mutual information.
    println!();
    // ANCHOR: mi
    let coin = array![[0.4, 0.1], [0.1, 0.4]];
    let larger = array![
        [0.10, 0.05, 0.05, 0.00],
        [0.05, 0.15, 0.05, 0.05],
        [0.00, 0.05, 0.10, 0.35]
    ];
    let independent = array![[0.12, 0.28], [0.18, 0.42]];
    // ANCHOR_END: mi
    show(
        "I(X;Y), 2x2 [[0.4, 0.1], [0.1, 0.4]]",
        mutual_information(coin.view())?,
    );
    show("I(X;Y), 3x4 table", mutual_information(larger.view())?);
    show(
        "I(X;Y), 2x2 product of marginals",
        mutual_information(independent.view())?,
    );
    Ok(())
}
// ANCHOR_END: all
