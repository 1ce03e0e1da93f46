//! The discrete kernel against a plain scalar loop and ndarray-stats, at n = 2·10⁴ (the
//! original tutorial's grid), 10⁶ and 10⁷; then the same kernel from log-probabilities and
//! logits at n = 10⁶ (`log_space`), and row by row over batches of 10⁶ entries in three shapes
//! (`rows`), which `bench.py` sets beside scipy's `rel_entr` summed per row and torch's
//! `kl_div(log_q, p)` written in numpy.
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

/// The kernel from `ln p`, `ln q` and from logits (`ln p + 3`, `ln q − 2`: the softmax is the
/// same distribution) beside the probability kernel, on the same data.
fn log_space(c: &mut Criterion) {
    let mut group = c.benchmark_group("log_space");
    let n = 1_000_000;
    let (p, q) = data(n);
    let log_p: Vec<f64> = p.iter().map(|x| x.ln()).collect();
    let log_q: Vec<f64> = q.iter().map(|x| x.ln()).collect();
    let logits_p: Vec<f64> = log_p.iter().map(|x| x + 3.0).collect();
    let logits_q: Vec<f64> = log_q.iter().map(|x| x - 2.0).collect();
    let t = threads();
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(20);
    let cases: [(&str, &[f64], &[f64], Kernel); 5] = [
        ("kl", &p, &q, kl::discrete::kl_divergence),
        ("kl_log", &log_p, &log_q, kl::discrete::kl_divergence_log),
        (
            "cross_entropy_log",
            &log_p,
            &log_q,
            kl::discrete::cross_entropy_log,
        ),
        ("js_log", &log_p, &log_q, kl::discrete::js_divergence_log),
        (
            "kl_logits",
            &logits_p,
            &logits_q,
            kl::discrete::kl_divergence_logits,
        ),
    ];
    for (name, a, b, f) in cases {
        group.bench_with_input(
            BenchmarkId::new(format!("{name}_{t}thread"), n),
            &n,
            |bench, _| bench.iter(|| f(black_box(a), black_box(b)).unwrap()),
        );
    }
    group.finish();
}

type Kernel = fn(&[f64], &[f64]) -> kl::Result<f64>;

/// The shapes of the batches: 10⁶ entries as many short rows, a square, few long rows.
const ROW_SHAPES: [(usize, usize); 3] = [(10_000, 100), (1_000, 1_000), (10, 100_000)];

/// A batch of `rows × cols` entries, each row a probability vector: the weights of [`data`]'s
/// formula at the flat index, divided by their row's total (an integer below 2⁵³, exact), so
/// numpy reproduces every entry bit for bit.
fn batch(rows: usize, cols: usize, a: u64, b: u64) -> ndarray::Array2<f64> {
    let mut m = ndarray::Array2::from_shape_fn((rows, cols), |(i, j)| {
        (((i * cols + j) as u64 * a + b) % (1 << 20) + 64) as f64
    });
    for mut row in m.rows_mut() {
        let total: f64 = row.sum();
        row.mapv_inplace(|x| x / total);
    }
    m
}

/// `kl::discrete::rows` on each shape: KL from probabilities, from log-probabilities and from
/// logits (one value per row), and the batch mean of KL from log-probabilities.
fn rows(c: &mut Criterion) {
    use kl::discrete::{Scale, rows};
    let mut group = c.benchmark_group("rows");
    let t = threads();
    group.sample_size(20);
    for (r, k) in ROW_SHAPES {
        let p = batch(r, k, 2_654_435_761, 0);
        let q = batch(r, k, 2_246_822_519, 12_345);
        let (log_p, log_q) = (p.mapv(f64::ln), q.mapv(f64::ln));
        let shape = format!("{r}x{k}");
        group.throughput(Throughput::Elements((r * k) as u64));
        let cases = [
            ("kl_rows", &p, &q, Scale::Probabilities),
            ("kl_log_rows", &log_p, &log_q, Scale::LogProbabilities),
            ("kl_logits_rows", &log_p, &log_q, Scale::Logits),
        ];
        for (name, a, b, scale) in cases {
            let id = BenchmarkId::new(format!("{name}_{t}thread"), &shape);
            group.bench_with_input(id, &shape, |bench, _| {
                bench.iter(|| rows::kl_divergence(black_box(a.view()), b.view(), scale).unwrap())
            });
        }
        let id = BenchmarkId::new(format!("kl_log_rows_mean_{t}thread"), &shape);
        group.bench_with_input(id, &shape, |bench, _| {
            bench.iter(|| {
                rows::kl_divergence_mean(
                    black_box(log_p.view()),
                    log_q.view(),
                    Scale::LogProbabilities,
                )
                .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, kl_divergence, siblings, log_space, rows);
criterion_main!(benches);
