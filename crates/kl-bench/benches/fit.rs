//! The minimisation loop of chapter 04: 100 epochs of gradient descent on the original
//! tutorial's 20 000-point grid (x ∈ [−10, 10), step 0.001, target N(0, 2)), both as the
//! original set it up (θ = (μ, variance), pdf values, learning rate 0.001) and as the book does
//! (θ = (μ, ln σ), masses summing to 1, step 0.1). `python crates/kl-bench/python/bench.py fit` times
//! the same loop in numpy and prints it next to these medians (see book/src/performance.md).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kl::fit::{ForwardKl, Objective, Options, OriginalForwardKl, gradient_descent};
use statrs::distribution::{Continuous, Normal};

/// Chapter 04's descent: 100 iterations at `learning_rate`.
fn options(learning_rate: f64) -> Options {
    Options {
        learning_rate,
        iterations: 100,
    }
}

fn fit(c: &mut Criterion) {
    let x: Vec<f64> = (0..20_000).map(|i| -10.0 + i as f64 * 0.001).collect();
    let target = Normal::new(0.0, 2.0).unwrap();
    let pdf: Vec<f64> = x.iter().map(|&xi| target.pdf(xi)).collect();
    let p = kl::discrete::normalize(&pdf).unwrap();
    let original = OriginalForwardKl::new(&x, &pdf).unwrap();
    let ours = ForwardKl::new(&x, &p).unwrap();
    let mut group = c.benchmark_group("fit_100_epochs");
    group.bench_function("original_setup", |b| {
        let start = original.theta(0.0, 1.0);
        b.iter(|| gradient_descent(black_box(&original), &start, &options(0.001)).unwrap())
    });
    group.bench_function("book_setup", |b| {
        let start = ours.theta(0.0, 1.0);
        b.iter(|| gradient_descent(black_box(&ours), &start, &options(0.1)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, fit);
criterion_main!(benches);
