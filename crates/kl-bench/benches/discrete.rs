//! The discrete kernel against a plain scalar loop and ndarray-stats, at n = 2·10⁴ (the
//! original tutorial's grid), 10⁶ and 10⁷.
//!
//! `kl::discrete` runs on rayon's global pool: set `RAYON_NUM_THREADS=1` for the single-thread
//! figures (the benchmark's name says how many threads it had). `just bench` runs both;
//! `just bench-python` then times numpy and scipy on the same data and prints the ratios.
//!
//! The data come from an integer formula that numpy reproduces bit for bit
//! (`crates/kl-bench/python/bench.py`): weights `h + 64` with `h = (i·a + b) mod 2²⁰`, divided by their
//! total, which is an integer below 2⁵³ and so exact in any summation order.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ndarray::ArrayView1;
use ndarray_stats::EntropyExt;

/// The benchmark's probability vectors, `p` with (a, b) = (2654435761, 0), `q` with
/// (2246822519, 12345).
fn data(n: usize) -> (Vec<f64>, Vec<f64>) {
    let make = |a: u64, b: u64| {
        let w: Vec<f64> = (0..n as u64)
            .map(|i| ((i * a + b) % (1 << 20) + 64) as f64)
            .collect();
        let total: f64 = w.iter().sum();
        w.into_iter().map(|x| x / total).collect::<Vec<f64>>()
    };
    (make(2_654_435_761, 0), make(2_246_822_519, 12_345))
}

/// The loop anyone would write first: `Σ p ln(p/q)` with `f64::ln`, no checks.
fn plain_loop(p: &[f64], q: &[f64]) -> f64 {
    p.iter()
        .zip(q)
        .map(|(&p, &q)| if p > 0.0 { p * (p / q).ln() } else { 0.0 })
        .sum()
}

fn threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&t| t > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |t| t.get()))
}

fn kl_divergence(c: &mut Criterion) {
    let mut group = c.benchmark_group("kl_divergence");
    let ours = format!("kl_{}thread", threads());
    for n in [20_000, 1_000_000, 10_000_000] {
        let (p, q) = data(n);
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            group.sample_size(20);
        }
        group.bench_with_input(BenchmarkId::new(ours.as_str(), n), &n, |b, _| {
            b.iter(|| kl::discrete::kl_divergence(black_box(&p), black_box(&q)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("plain_loop", n), &n, |b, _| {
            b.iter(|| plain_loop(black_box(&p), black_box(&q)))
        });
        group.bench_with_input(BenchmarkId::new("ndarray_stats", n), &n, |b, _| {
            let (pv, qv) = (ArrayView1::from(&p[..]), ArrayView1::from(&q[..]));
            b.iter(|| black_box(pv).kl_divergence(black_box(&qv)).unwrap())
        });
    }
    group.finish();
}

/// The other divergences share the kernel; one size shows what each costs.
fn siblings(c: &mut Criterion) {
    let mut group = c.benchmark_group("siblings");
    let n = 1_000_000;
    let (p, q) = data(n);
    let t = threads();
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(20);
    group.bench_function(format!("cross_entropy_{t}thread"), |b| {
        b.iter(|| kl::discrete::cross_entropy(black_box(&p), black_box(&q)).unwrap())
    });
    group.bench_function(format!("entropy_{t}thread"), |b| {
        b.iter(|| kl::discrete::entropy(black_box(&p)).unwrap())
    });
    group.bench_function(format!("js_divergence_{t}thread"), |b| {
        b.iter(|| kl::discrete::js_divergence(black_box(&p), black_box(&q)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, kl_divergence, siblings);
criterion_main!(benches);
