// ANCHOR: all
//! # Chapter 03 — KL is not symmetric
//!
//! `KL(P‖Q)` weighs the log-ratio by `P`, `KL(Q‖P)` by `Q`, so swapping the
//! arguments changes the answer: for `P = N(0, 2)` and `Q = N(5, 4)` (mean, standard
//! deviation) it is 1.099397 one way and 3.931853 the other, by the closed form and by
//! quadrature.
//!
//! The original tutorial computed the reversed divergence on its grid `[-10, 10)` and
//! got 2259.921, a sum without `dx` (2.259921 with it; titled, besides, `KL(P||Q)`).
//! The grid is too short, missing 42.5 % of the divergence: `Q` keeps a tenth of its
//! mass beyond 10, and there the log-ratio `ln(q/p)` grows like `x²`, so most of the
//! missing 1.67 nats sit outside the grid. A grid must cover the tails of the
//! distribution that does the weighing; a wider one recovers 3.931853. The last figures
//! show the asymmetry at a glance: both directions as `Q`'s mean, then its standard
//! deviation, moves.
//!
//! Run it with `cargo run --example 03_asymmetry`. Figures go to `book/src/figures/`
//! (or to the directory in `KL_FIGURES`).

use kl::numeric::{Estimate, grid, quadrature, quadrature_between};
use kl_plot::{Legend, LineChart, P_COLOR, PALETTE, Q_COLOR, Series};
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

/// One labelled line of output: divergences (and masses) with six decimals.
fn show(label: &str, value: f64) {
    println!("{label:<36}{value:>12.6}");
}

/// A numerical estimate with its error estimate.
fn show_estimate(label: &str, estimate: Estimate) {
    println!(
        "{label:<36}{:>12.6} ± {:.6}",
        estimate.value, estimate.error
    );
}

/// `n` evenly spaced points from `start` to `end`, both included.
fn linspace(start: f64, end: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| start + (end - start) * i as f64 / (n - 1) as f64)
        .collect()
}

/// The integrand of `KL(A‖B)` at `x`: `a(x) ln(a(x)/b(x))`, from the log-densities.
fn integrand(a: &Normal, b: &Normal, x: f64) -> f64 {
    let (la, lb) = (a.ln_pdf(x), b.ln_pdf(x));
    la.exp() * (la - lb)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    const DX: f64 = 0.001;
    let p = Normal::new(0.0, 2.0)?;
    let q = Normal::new(5.0, 4.0)?;

    // ANCHOR: both_directions
    // 1. Both directions, two independent routes each.
    println!("P = N(0, 2), Q = N(5, 4)   (mean, standard deviation)");
    let forward = kl::kl_divergence(&p, &q);
    let reverse = kl::kl_divergence(&q, &p);
    show("KL(P||Q) closed form", forward);
    show("KL(Q||P) closed form", reverse);
    show_estimate("KL(P||Q) quadrature", quadrature(&p, &q)?);
    show_estimate("KL(Q||P) quadrature", quadrature(&q, &p)?);
    show("KL(Q||P) - KL(P||Q)", reverse - forward);
    // ANCHOR_END: both_directions

    // ANCHOR: original_grid
    // 2. The original's grid [-10, 10) with dx: fine one way, far off the other.
    println!();
    println!("On the original's grid [-10, 10), dx = {DX}");
    show_estimate("KL(P||Q) grid", grid(&p, &q, -10.0..10.0, DX)?);
    let short = grid(&q, &p, -10.0..10.0, DX)?;
    show_estimate("KL(Q||P) grid", short);
    show("  missing: closed form - grid", reverse - short.value);
    let missing_share = 100.0 * (reverse - short.value) / reverse;
    println!("  share missing{:>33.1} %", missing_share);
    // What the original's title printed: its `np.sum(p * np.log(p / q))` has no dx.
    println!(
        "the original's title: sum without dx{:>12.3}",
        short.value / DX
    );
    // ANCHOR_END: original_grid

    // ANCHOR: what_is_missing
    // 3. Where the missing nats are: Q's mass beyond the grid, and KL(Q||P) there.
    println!();
    println!("What the grid leaves out");
    show("mass of Q beyond 10", q.sf(10.0));
    show("mass of Q below -10", q.cdf(-10.0));
    show("mass of P outside [-10, 10)", p.cdf(-10.0) + p.sf(10.0));
    let above = quadrature_between(&q, &p, 10.0, f64::INFINITY)?;
    let below = quadrature_between(&q, &p, f64::NEG_INFINITY, -10.0)?;
    show_estimate("KL(Q||P) from x >= 10 (quadrature)", above);
    show_estimate("KL(Q||P) from x < -10 (quadrature)", below);
    show(
        "  rest: dx error at the cut x = 10",
        reverse - short.value - above.value - below.value,
    );
    show("ln(q/p) at x = 10", q.ln_pdf(10.0) - p.ln_pdf(10.0));
    show("ln(q/p) at x = 20", q.ln_pdf(20.0) - p.ln_pdf(20.0));
    // ANCHOR_END: what_is_missing

    // ANCHOR: wide_grid
    // 4. Cover the tails and the grid agrees.
    println!();
    println!("A grid that covers Q's tails: [-30, 40), dx = {DX}");
    show_estimate("KL(Q||P) grid", grid(&q, &p, -30.0..40.0, DX)?);
    // ANCHOR_END: wide_grid

    // 5. Figures. The pair as the original drew it, with the true value in the title.
    println!();
    let x = linspace(-10.0, 10.0, 801);
    let p_pdf: Vec<f64> = x.iter().map(|&x| p.pdf(x)).collect();
    let q_pdf: Vec<f64> = x.iter().map(|&x| q.pdf(x)).collect();
    let svg =
        kl_plot::pdf_pair(&format!("KL(P||Q) = {forward:.3}"), &x, &p_pdf, &q_pdf)?;
    println!("figure {}", kl_plot::save("03_asymmetry_pq.svg", &svg)?);

    // The reversed pair on a range that shows Q's tail, with the original grid's end
    // marked.
    let wide = linspace(-10.0, 25.0, 801);
    let p_wide: Vec<f64> = wide.iter().map(|&x| p.pdf(x)).collect();
    let q_wide: Vec<f64> = wide.iter().map(|&x| q.pdf(x)).collect();
    let top = p_wide.iter().copied().fold(0.0, f64::max);
    let grid_end = Series::new("grid end", &[10.0, 10.0], &[0.0, top], PALETTE[5], 1);
    let svg = kl_plot::lines(
        &format!("KL(Q||P) = {reverse:.3}"),
        "x",
        "density",
        &[
            Series::new("P", &wide, &p_wide, P_COLOR, 2),
            Series::new("Q", &wide, &q_wide, Q_COLOR, 2),
            grid_end,
        ],
    )?;
    println!("figure {}", kl_plot::save("03_asymmetry_qp.svg", &svg)?);

    // The two integrands: each area is one divergence. Q's weighs the far right
    // heavily.
    let far = linspace(-10.0, 30.0, 801);
    let forward_integrand: Vec<f64> =
        far.iter().map(|&x| integrand(&p, &q, x)).collect();
    let reverse_integrand: Vec<f64> =
        far.iter().map(|&x| integrand(&q, &p, x)).collect();
    let top = reverse_integrand.iter().copied().fold(0.0, f64::max);
    let svg = kl_plot::lines(
        "Integrands: the area under each curve is the divergence",
        "x",
        "nats per unit of x",
        &[
            Series::new("p ln(p/q)", &far, &forward_integrand, PALETTE[0], 2),
            Series::new("q ln(q/p)", &far, &reverse_integrand, PALETTE[1], 2),
            Series::new("grid end", &[10.0, 10.0], &[0.0, top], PALETTE[5], 1),
        ],
    )?;
    println!(
        "figure {}",
        kl_plot::save("03_asymmetry_integrands.svg", &svg)?
    );

    // 6. Asymmetry at a glance: both directions as Q = N(mean, 4) slides past P = N(0,
    //    2) ...
    let means = linspace(-10.0, 10.0, 201);
    let mut pq = Vec::with_capacity(means.len());
    let mut qp = Vec::with_capacity(means.len());
    for &mean in &means {
        let q = Normal::new(mean, 4.0)?;
        pq.push(kl::kl_divergence(&p, &q));
        qp.push(kl::kl_divergence(&q, &p));
    }
    let svg = LineChart::new(
        "P = N(0, 2) against Q = N(mean, 4)",
        "mean of Q",
        "divergence (nats)",
    )
    .legend(Legend::UpperMiddle)
    .draw(&[
        Series::new("KL(P||Q)", &means, &pq, PALETTE[0], 2),
        Series::new("KL(Q||P)", &means, &qp, PALETTE[1], 2),
    ])?;
    println!(
        "figure {}",
        kl_plot::save("03_asymmetry_vs_mean.svg", &svg)?
    );

    // ... and as Q = N(0, sd) narrows and widens. A Q narrower than P is punished by
    // KL(P||Q) (P puts mass where Q has little), a wider one by KL(Q||P).
    let sds = linspace(0.5, 8.0, 151);
    let mut pq = Vec::with_capacity(sds.len());
    let mut qp = Vec::with_capacity(sds.len());
    for &sd in &sds {
        let q = Normal::new(0.0, sd)?;
        pq.push(kl::kl_divergence(&p, &q));
        qp.push(kl::kl_divergence(&q, &p));
    }
    let svg = LineChart::new(
        "P = N(0, 2) against Q = N(0, sd)",
        "standard deviation of Q",
        "divergence (nats)",
    )
    .legend(Legend::UpperMiddle)
    .draw(&[
        Series::new("KL(P||Q)", &sds, &pq, PALETTE[0], 2),
        Series::new("KL(Q||P)", &sds, &qp, PALETTE[1], 2),
    ])?;
    println!("figure {}", kl_plot::save("03_asymmetry_vs_sd.svg", &svg)?);
    Ok(())
}
// ANCHOR_END: all
