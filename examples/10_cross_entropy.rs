//! # Chapter 10 — Cross-entropy loss is KL
//!
//! The loss almost every classifier minimises, the cross-entropy
//! `H(P, Q) = −Σ p ln q`, is KL in disguise: `H(P, Q) = H(P) + KL(P‖Q)`, and
//! `H(P)` does not depend on the model. So fitting by maximum likelihood is
//! minimising `KL(data‖model)`.
//!
//! 1. **A loaded die**: 300 rolls. For three models the mean negative log-likelihood
//!    of the rolls, computed roll by roll, equals `H(data) + KL(data‖model)`; the
//!    counts themselves (the maximum-likelihood fit) make the KL 0.
//! 2. **Softmax regression**: three classes of points in the plane, logits `z = W x +
//!    b`, trained by gradient descent with the hand gradient `softmax(z) − y` of
//!    `kl::discrete::cross_entropy_logits_gradient`, checked by central differences.
//!    With one-hot labels `H(y) = 0`: the loss is the KL itself.
//! 3. **Label smoothing**: the same fit against `(1 − ε) y + ε/3`. The loss is then
//!    `H(smoothed) + KL(smoothed‖model)`, with a floor above 0, and the model may no
//!    longer be sure of anything.
//! 4. **Bits**: the die's cross-entropy in bits is the length of a code built for the
//!    model; `KL` in bits is what the wrong code wastes per roll.
//!
//! Run it with `cargo run --example 10_cross_entropy`. Figures go to
//! `book/src/figures/` (or to the directory in `KL_FIGURES`).

use kl::check::gradient_check;
use kl::discrete::{
    cross_entropy, cross_entropy_logits_gradient, entropy, kl_divergence, nats_to_bits,
    softmax,
};
use kl_plot::{Legend, LineChart, PointGroup, Series};
use rand::SeedableRng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use statrs::distribution::Normal;

/// Rolls of the die.
const ROLLS: usize = 300;
/// The number of classes, and the parameters θ = (W row by row, then b).
const K: usize = 3;
const PARAMS: usize = 3 * K;
/// Gradient descent: steps and learning rate.
const STEPS: usize = 500;
const LEARNING_RATE: f64 = 0.5;
/// The steps whose loss is printed.
const SHOWN: [usize; 6] = [0, 10, 30, 100, 300, 500];

// ANCHOR: model
/// The logits `z = W x + b` of one point.
fn logits(theta: &[f64], x: [f64; 2]) -> [f64; K] {
    let mut z = [0.0; K];
    for (k, zk) in z.iter_mut().enumerate() {
        *zk = theta[2 * k] * x[0] + theta[2 * k + 1] * x[1] + theta[2 * K + k];
    }
    z
}

/// The mean of `H(yᵢ, softmax(zᵢ))` over the points and its gradient in θ: each
/// point's `softmax(z) − y` from the library, times `x` for `W`, times 1 for `b`.
fn loss_and_gradient(
    theta: &[f64],
    x: &[[f64; 2]],
    y: &[[f64; K]],
) -> kl::Result<(f64, Vec<f64>)> {
    let mut loss = 0.0;
    let mut grad = vec![0.0; PARAMS];
    for (xi, yi) in x.iter().zip(y) {
        let (h, g) = cross_entropy_logits_gradient(yi, &logits(theta, *xi))?;
        loss += h;
        for k in 0..K {
            grad[2 * k] += g[k] * xi[0];
            grad[2 * k + 1] += g[k] * xi[1];
            grad[2 * K + k] += g[k];
        }
    }
    let n = x.len() as f64;
    Ok((loss / n, grad.into_iter().map(|g| g / n).collect()))
}
// ANCHOR_END: model

// ANCHOR: descent
/// Plain gradient descent from θ = 0: the loss at every step, and the last θ.
fn train(x: &[[f64; 2]], y: &[[f64; K]]) -> kl::Result<(Vec<f64>, Vec<f64>)> {
    let mut theta = vec![0.0; PARAMS];
    let mut history = Vec::with_capacity(STEPS + 1);
    for step in 0..=STEPS {
        let (loss, grad) = loss_and_gradient(&theta, x, y)?;
        history.push(loss);
        if step < STEPS {
            for (t, g) in theta.iter_mut().zip(&grad) {
                *t -= LEARNING_RATE * g;
            }
        }
    }
    Ok((history, theta))
}
// ANCHOR_END: descent

/// The class with the largest logit.
fn predict(theta: &[f64], x: [f64; 2]) -> usize {
    let z = logits(theta, x);
    (0..K).fold(0, |best, k| if z[k] > z[best] { k } else { best })
}

/// Accuracy, the mean probability of the labelled class, and the largest
/// probability the model gives any class at any point.
fn summary(theta: &[f64], x: &[[f64; 2]], label: &[usize]) -> kl::Result<[f64; 3]> {
    let (mut right, mut on_label, mut largest) = (0usize, 0.0, 0.0f64);
    for (xi, &c) in x.iter().zip(label) {
        let q = softmax(&logits(theta, *xi))?;
        right += usize::from(predict(theta, *xi) == c);
        on_label += q[c];
        largest = q.iter().copied().fold(largest, f64::max);
    }
    let n = x.len() as f64;
    Ok([right as f64 / n, on_label / n, largest])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = StdRng::seed_from_u64(10);

    // 1. Maximum likelihood is minimising KL(data || model).
    // ANCHOR: die
    let die = [0.1, 0.1, 0.1, 0.1, 0.2, 0.4];
    let rolls: Vec<usize> = WeightedIndex::new(die)?
        .sample_iter(&mut rng)
        .take(ROLLS)
        .collect();
    let mut data = [0.0; 6]; // the empirical distribution of the rolls
    for &r in &rolls {
        data[r] += 1.0 / ROLLS as f64;
    }
    // ANCHOR_END: die
    println!("A loaded die {die:?}, {ROLLS} rolls");
    let counts: Vec<String> = data
        .iter()
        .map(|d| format!("{:.0}", d * ROLLS as f64))
        .collect();
    println!("counts {}", counts.join(" "));
    println!();
    println!(
        "{:<16}{:>14}{:>12}{:>12}{:>12}",
        "model", "mean -ln q(x)", "H(data)", "KL", "H + KL"
    );
    let models = [
        ("uniform", [1.0 / 6.0; 6]),
        ("the true die", die),
        ("the counts", data),
    ];
    for (name, q) in &models {
        // ANCHOR: nll
        let nll = -rolls.iter().map(|&r| q[r].ln()).sum::<f64>() / rolls.len() as f64;
        let (h, kl) = (entropy(&data)?, kl_divergence(&data, q)?);
        // ANCHOR_END: nll
        println!("{name:<16}{nll:>14.6}{h:>12.6}{kl:>12.6}{:>12.6}", h + kl);
    }

    // 2. Softmax regression: three blobs in the plane, 60 points each.
    let centres = [[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]];
    let mut x = Vec::new();
    let mut label = Vec::new();
    for (c, centre) in centres.iter().enumerate() {
        let (nx, ny) = (Normal::new(centre[0], 1.0)?, Normal::new(centre[1], 1.0)?);
        for _ in 0..60 {
            x.push([nx.sample(&mut rng), ny.sample(&mut rng)]);
            label.push(c);
        }
    }
    let one_hot: Vec<[f64; K]> = label
        .iter()
        .map(|&c| {
            let mut y = [0.0; K];
            y[c] = 1.0;
            y
        })
        .collect();
    println!();
    println!("Softmax regression: 3 classes of 60 points, N(centre, 1) in each axis");
    // ANCHOR: check
    let theta = [0.5, -0.3, -0.4, 0.2, 0.1, 0.6, 0.0, 0.2, -0.1];
    let (_, analytic) = loss_and_gradient(&theta, &x, &one_hot)?;
    let loss = |t: &[f64]| loss_and_gradient(t, &x, &one_hot).map(|(l, _)| l);
    let check = gradient_check(loss, &analytic, &theta, 1e-5)?;
    // ANCHOR_END: check
    println!(
        "{:<40}{:>10.1e}",
        "gradient check, relative difference", check.max_relative_error
    );
    let (plain, theta_plain) = train(&x, &one_hot)?;
    println!("{:<8}{:>24}", "step", "cross-entropy = KL");
    for s in SHOWN {
        println!("{s:<8}{:>24.6}", plain[s]);
    }
    let [accuracy, on_label, largest] = summary(&theta_plain, &x, &label)?;
    println!("{:<40}{:>10.6}", "training accuracy", accuracy);
    println!("{:<40}{:>10.6}", "mean probability of the label", on_label);
    println!(
        "{:<40}{:>10.6}",
        "largest probability at any point", largest
    );

    // 3. Label smoothing: KL to a smoothed target.
    // ANCHOR: smoothing
    let eps = 0.1;
    let smooth: Vec<[f64; K]> = one_hot
        .iter()
        .map(|y| y.map(|v| (1.0 - eps) * v + eps / K as f64))
        .collect();
    let floor = entropy(&smooth[0])?; // H(smoothed), the same for every point
    let (smoothed, theta_smooth) = train(&x, &smooth)?;
    let mut mean_kl = 0.0;
    for (xi, yi) in x.iter().zip(&smooth) {
        let q = softmax(&logits(&theta_smooth, *xi))?;
        mean_kl += kl_divergence(yi, &q)? / x.len() as f64;
    }
    // ANCHOR_END: smoothing
    println!();
    println!("Label smoothing, eps = {eps}: target (1 - eps) y + eps/3");
    println!("{:<40}{:>10.6}", "target's own entropy, the floor", floor);
    println!("{:<40}{:>10.6}", "loss after 500 steps", smoothed[STEPS]);
    println!("{:<40}{:>10.6}", "loss - floor", smoothed[STEPS] - floor);
    println!(
        "{:<40}{:>10.6}",
        "mean KL(smoothed||model), direct", mean_kl
    );
    let [accuracy, on_label, largest] = summary(&theta_smooth, &x, &label)?;
    println!("{:<40}{:>10.6}", "training accuracy", accuracy);
    println!("{:<40}{:>10.6}", "mean probability of the label", on_label);
    println!(
        "{:<40}{:>10.6}",
        "largest probability at any point", largest
    );
    println!(
        "{:<40}{:>10.6}",
        "the target's largest, 1 - eps + eps/3",
        1.0 - eps + eps / 3.0
    );

    // 4. Bits: cross-entropy as a code length.
    println!();
    println!("The die in bits: codes with -log2 q(x) bits for outcome x");
    println!(
        "{:<16}{:>16}{:>12}{:>12}{:>14}",
        "code built for", "H(data, q) bits", "H(data)", "KL bits", "whole bits"
    );
    for (name, q) in &models {
        // ANCHOR: bits
        let ideal = nats_to_bits(cross_entropy(&data, q)?);
        // A real code has whole-bit lengths: ceil(-log2 q), at most 1 bit more.
        let whole: f64 = data
            .iter()
            .zip(q)
            .map(|(p, q)| p * (-q.log2()).ceil())
            .sum();
        // ANCHOR_END: bits
        let (h, kl) = (
            nats_to_bits(entropy(&data)?),
            nats_to_bits(kl_divergence(&data, q)?),
        );
        println!("{name:<16}{ideal:>16.6}{h:>12.6}{kl:>12.6}{whole:>14.6}");
    }
    println!("{:<40}{:>10.6}", "bits per nat, 1/ln 2", nats_to_bits(1.0));

    // Figures: the loss curves, and the points with the plain model's mistakes.
    let steps: Vec<f64> = (0..=STEPS).map(|s| s as f64).collect();
    let ends = [0.0, STEPS as f64];
    let curves = [
        Series::new("one-hot labels: KL", &steps, &plain, kl_plot::PALETTE[0], 2),
        Series::new("smoothed labels", &steps, &smoothed, kl_plot::PALETTE[2], 2),
        Series::new(
            "floor H(smoothed)",
            &ends,
            &[floor; 2],
            kl_plot::PALETTE[5],
            1,
        ),
    ];
    let svg = LineChart::new(
        "Cross-entropy during training",
        "step",
        "cross-entropy (nats)",
    )
    .legend(Legend::UpperRight)
    .draw(&curves)?;
    println!("figure {}", kl_plot::save("10_loss.svg", &svg)?);

    let names = ["class 0", "class 1", "class 2"];
    let mut groups: Vec<PointGroup<'_>> = (0..K)
        .map(|c| PointGroup {
            label: names[c],
            points: vec![],
            color: kl_plot::PALETTE[c],
        })
        .collect();
    groups.push(PointGroup {
        label: "misclassified",
        points: vec![],
        color: kl_plot::PALETTE[5],
    });
    for (xi, &c) in x.iter().zip(&label) {
        let g = if predict(&theta_plain, *xi) == c {
            c
        } else {
            K
        };
        groups[g].points.push((xi[0], xi[1]));
    }
    let svg =
        kl_plot::scatter("Softmax regression, one-hot labels", "x1", "x2", &groups)?;
    println!("figure {}", kl_plot::save("10_classes.svg", &svg)?);
    Ok(())
}
