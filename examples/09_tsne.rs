// ANCHOR: all
//! # Chapter 09 — t-SNE: a picture drawn by minimising KL(P‖Q)
//!
//! t-SNE turns distances into probabilities twice: among the data, each point picks a
//! neighbour with a Gaussian kernel whose width is tuned so every point has the same
//! *perplexity* (effective number of neighbours); in the plane, with a heavy-tailed
//! Student-t kernel. It then moves the points in the plane to minimise `KL(P‖Q)` by
//! gradient descent, with the gradient `4 Σⱼ (p_ij − q_ij)(yᵢ − yⱼ)(1 +
//! ‖yᵢ − yⱼ‖²)⁻¹` derived by hand in `kl::tsne`.
//!
//! This chapter embeds 300 points drawn from five Gaussian clusters in ten dimensions:
//! it calibrates the kernels, checks the hand gradient against central differences,
//! prints the KL every 50 iterations as it falls, and draws the embedding coloured by
//! the true cluster (which t-SNE never sees) and the cost curve.
//!
//! Run it with `cargo run --example 09_tsne`. Figures go to `book/src/figures/`
//! (or to the directory in `KL_FIGURES`).

use kl::tsne::{Options, Point2, gradient_check, joint_probabilities, run};
use kl_plot::{PALETTE, PointGroup, Series};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};

/// One labelled line of output, six decimals.
fn show(label: &str, value: f64) {
    println!("{label:<36}{value:>12.6}");
}

const CLUSTERS: usize = 5;
const PER_CLUSTER: usize = 60;
const DIMENSION: usize = 10;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Data: five clusters in ten dimensions. Centres uniform in [−10, 10]¹⁰
    //    (typically about 25 apart), points N(centre, 1) per coordinate (about 4.5
    //    apart within a cluster).
    let mut rng = StdRng::seed_from_u64(9);
    let unit = Normal::new(0.0, 1.0)?;
    let mut points: Vec<Vec<f64>> = Vec::with_capacity(CLUSTERS * PER_CLUSTER);
    let mut labels: Vec<usize> = Vec::with_capacity(CLUSTERS * PER_CLUSTER);
    for cluster in 0..CLUSTERS {
        let centre: Vec<f64> = (0..DIMENSION)
            .map(|_| rng.random_range(-10.0..10.0))
            .collect();
        for _ in 0..PER_CLUSTER {
            points.push(centre.iter().map(|c| c + unit.sample(&mut rng)).collect());
            labels.push(cluster);
        }
    }
    let n = points.len();
    println!(
        "Data: {CLUSTERS} Gaussian clusters of {PER_CLUSTER} \
        points in {DIMENSION} dimensions"
    );

    // ANCHOR: calibrate
    // 2. P: each point's kernel calibrated to perplexity 30, then symmetrised.
    let perplexity = 30.0;
    let p = joint_probabilities(&points, perplexity)?;
    let calibrations = p.calibrations();
    let target = f64::ln(perplexity);
    let worst_entropy_gap = calibrations
        .iter()
        .map(|c| (c.entropy - target).abs())
        .fold(0.0, f64::max);
    let beta_min = calibrations
        .iter()
        .map(|c| c.beta)
        .fold(f64::INFINITY, f64::min);
    let beta_max = calibrations.iter().map(|c| c.beta).fold(0.0, f64::max);
    let most_steps = calibrations.iter().map(|c| c.steps).max().unwrap_or(0);
    println!();
    println!("Calibrating P at perplexity {perplexity}");
    show("target entropy ln(30), nats", target);
    println!("{:<36}{worst_entropy_gap:>12.1e}", "largest |H_i - ln 30|");
    show("smallest precision beta", beta_min);
    show("largest precision beta", beta_max);
    println!(
        "{:<36}{most_steps:>12}",
        "most bisection steps for one point"
    );
    show("sum of p_ij", p.as_slice().iter().sum());
    // The clusters are far apart, so P puts almost no mass on pairs from different
    // clusters.
    let between: f64 = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .filter(|&(i, j)| labels[i] != labels[j])
        .map(|(i, j)| p.get(i, j))
        .sum();
    println!("{:<36}{between:>12.1e}", "mass of P between clusters");
    // ANCHOR_END: calibrate

    // ANCHOR: gradient_check
    // 3. The hand gradient against central differences, on a small problem: the first
    //    four points of each cluster, perplexity 5, a random embedding of spread 1.
    let small_points: Vec<Vec<f64>> = (0..CLUSTERS)
        .flat_map(|c| points[c * PER_CLUSTER..c * PER_CLUSTER + 4].iter().cloned())
        .collect();
    let small_p = joint_probabilities(&small_points, 5.0)?;
    let small_y: Vec<Point2> = (0..small_points.len())
        .map(|_| [unit.sample(&mut rng), unit.sample(&mut rng)])
        .collect();
    let check = gradient_check(&small_p, &small_y, 1e-5)?;
    println!();
    println!("Gradient check, 20 points, h = 1e-5");
    println!(
        "{:<36}{:>12.1e}",
        "max |hand - central difference|", check.max_abs_error
    );
    println!(
        "{:<36}{:>12.1e}",
        "relative to the largest component", check.max_relative_error
    );
    // ANCHOR_END: gradient_check

    // ANCHOR: descent
    // 4. Gradient descent from a tiny random start, N(0, 1e-4²) per coordinate, with
    //    the default schedule: exaggeration 12 and momentum 0.5 for 250 iterations,
    //    then 1 and 0.8.
    let start = Normal::new(0.0, 1e-4)?;
    let initial: Vec<Point2> = (0..n)
        .map(|_| [start.sample(&mut rng), start.sample(&mut rng)])
        .collect();
    // Learning rate n / 12 = 25 (the step size of Belkina et al., 2019: η = n /
    // exaggeration); the reference code's 200 overshoots on a data set this small and
    // the cost jumps when the exaggeration ends.
    let options = Options {
        learning_rate: n as f64 / 12.0,
        ..Options::default()
    };
    let fit = run(&p, &initial, &options)?;
    println!();
    println!(
        "t-SNE: {} iterations, learning rate {}, exaggeration {} for {} iterations",
        options.iterations,
        options.learning_rate,
        options.exaggeration,
        options.exaggeration_iterations
    );
    for step in fit.history.iter().filter(|s| s.iteration % 50 == 0) {
        show(
            &format!("KL(P||Q) at iteration {}", step.iteration),
            step.kl,
        );
    }
    let final_kl = fit.history.last().map_or(f64::NAN, |s| s.kl);
    // ANCHOR_END: descent

    // 5. Did the clusters survive? For each point, is its nearest neighbour in the
    //    plane from the same cluster? (The labels were never shown to t-SNE.)
    let same_cluster = (0..n)
        .filter(|&i| {
            let nearest = (0..n)
                .filter(|&j| j != i)
                .min_by(|&a, &b| {
                    distance2(fit.embedding[i], fit.embedding[a])
                        .total_cmp(&distance2(fit.embedding[i], fit.embedding[b]))
                })
                .unwrap_or(i);
            labels[nearest] == labels[i]
        })
        .count();
    println!();
    show(
        "nearest neighbour in same cluster",
        same_cluster as f64 / n as f64,
    );

    // ANCHOR: repulsion
    // 6. The repulsion, measured. KL(P||Q) = Σ p ln p − Σ p ln w + ln Z with w_ij =
    //    1/(1 + |y_i − y_j|²) and Z = Σ_{k≠l} w_kl. Move cluster 2 onto cluster 1
    //    (same shape, centroid on cluster 1's) and compare: the attraction term barely
    //    moves, since P has almost no mass between clusters; ln Z rises, because the 60
    //    × 60 pairs across the two, far apart before, now have w near 1.
    let centroid = |c: usize, y: &[Point2]| {
        let members = &y[c * PER_CLUSTER..(c + 1) * PER_CLUSTER];
        let sum = members
            .iter()
            .fold([0.0, 0.0], |s, m| [s[0] + m[0], s[1] + m[1]]);
        [sum[0] / PER_CLUSTER as f64, sum[1] / PER_CLUSTER as f64]
    };
    let (c1, c2) = (centroid(0, &fit.embedding), centroid(1, &fit.embedding));
    let mut overlaid = fit.embedding.clone();
    for point in &mut overlaid[PER_CLUSTER..2 * PER_CLUSTER] {
        *point = [point[0] - c2[0] + c1[0], point[1] - c2[1] + c1[1]];
    }
    println!();
    println!("The repulsion: cluster 2 moved onto cluster 1");
    for (name, y) in [("separated", &fit.embedding), ("overlaid", &overlaid)] {
        let (attraction, ln_z) = cost_terms(&p, y);
        show(&format!("{name}: KL(P||Q)"), kl::tsne::cost(&p, y)?);
        show(&format!("{name}: -sum p ln w (attraction)"), attraction);
        show(&format!("{name}: ln Z (repulsion)"), ln_z);
    }
    // ANCHOR_END: repulsion

    // 7. Figures: the embedding coloured by cluster, and the cost curve.
    let colors = [PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4]];
    let names: Vec<String> = (1..=CLUSTERS).map(|c| format!("cluster {c}")).collect();
    let groups: Vec<PointGroup> = (0..CLUSTERS)
        .map(|c| PointGroup {
            label: &names[c],
            points: (0..n)
                .filter(|&i| labels[i] == c)
                .map(|i| (fit.embedding[i][0], fit.embedding[i][1]))
                .collect(),
            color: colors[c],
        })
        .collect();
    let svg = kl_plot::scatter(
        &format!("t-SNE of 5 clusters in 10-D, KL(P||Q) = {final_kl:.3}"),
        "y1",
        "y2",
        &groups,
    )?;
    println!("figure {}", kl_plot::save("09_tsne_embedding.svg", &svg)?);
    let iterations: Vec<f64> = fit.history.iter().map(|s| s.iteration as f64).collect();
    let kls: Vec<f64> = fit.history.iter().map(|s| s.kl).collect();
    let svg = kl_plot::lines(
        &format!(
            "t-SNE cost (exaggeration ends at iteration {})",
            options.exaggeration_iterations
        ),
        "iteration",
        "KL(P||Q), nats",
        &[Series::new("KL(P||Q)", &iterations, &kls, PALETTE[0], 2)],
    )?;
    println!("figure {}", kl_plot::save("09_tsne_cost.svg", &svg)?);
    Ok(())
}

// ANCHOR: cost_terms
/// The two terms of the cost that depend on the map: −Σ p_ij ln w_ij and ln Z.
fn cost_terms(p: &kl::tsne::JointProbabilities, y: &[Point2]) -> (f64, f64) {
    let n = y.len();
    let (mut attraction, mut z) = (0.0, 0.0);
    for i in 0..n {
        for j in (0..n).filter(|&j| j != i) {
            let w = 1.0 / (1.0 + distance2(y[i], y[j]));
            attraction -= p.get(i, j) * w.ln();
            z += w;
        }
    }
    (attraction, z.ln())
}
// ANCHOR_END: cost_terms

fn distance2(a: Point2, b: Point2) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}
// ANCHOR_END: all
