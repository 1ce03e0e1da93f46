"""Times the original tutorial's numpy expression, scipy's rel_entr sum and scipy.stats.entropy
on the data of crates/kl-bench/benches/discrete.rs, and prints them next to the Rust medians criterion saved.
Then the log-space and batched kernels (issue 18) beside scipy's rel_entr summed per row and
torch's `kl_div(log_q, p)` written in numpy, `p * (log p - log_q)` summed (torch's formula,
without torch). Then times the original's minimisation loop (chapter 04) written in numpy with
the hand gradients of `kl::fit`, next to the medians of crates/kl-bench/benches/fit.rs.

Run through `just bench-python` after `just bench` (it makes the virtualenv); with the argument
`fit` it times the fit loop only, with `rows` the log-space and batched table only. Not part
of CI.
"""

import json
import os
import platform
import statistics
import sys
import timeit
from pathlib import Path

import numpy as np
import scipy
from scipy.special import rel_entr
from scipy.stats import entropy

SIZES = [20_000, 1_000_000, 10_000_000]


def data(n):
    """The formula of crates/kl-bench/benches/discrete.rs: weights h + 64, h = (i*a + b) mod 2^20, over their
    total. The total is an integer below 2^53, exact in any order, so every element is the same
    correctly rounded quotient as on the Rust side."""
    i = np.arange(n, dtype=np.uint64)

    def make(a, b):
        w = ((i * np.uint64(a) + np.uint64(b)) % np.uint64(1 << 20) + np.uint64(64)).astype(np.float64)
        return w / w.sum()

    return make(2_654_435_761, 0), make(2_246_822_519, 12_345)


def median_ns(stmt, n, budget=1.0):
    """Median time per element in ns over repeated runs, about `budget` seconds in all."""
    once = timeit.timeit(stmt, number=1)
    number = max(1, int(0.05 / max(once, 1e-9)))
    repeats = max(5, min(50, int(budget / max(once * number, 1e-9))))
    times = timeit.repeat(stmt, number=number, repeat=repeats)
    return statistics.median(times) / number / n * 1e9


def rust_ns(target, bench, n):
    """The median criterion measured for one Rust benchmark, per element, or None."""
    path = target / "criterion" / "kl_divergence" / bench / str(n) / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"] / n


def criterion_ns(target, group, bench, param, n):
    """The median criterion measured for `group/bench/param`, per element, or None."""
    path = target / "criterion" / group / bench / str(param) / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"] / n


# The batch shapes of crates/kl-bench/benches/discrete.rs (ROW_SHAPES): 10^6 entries each.
ROW_SHAPES = [(10_000, 100), (1_000, 1_000), (10, 100_000)]


def batch(rows, cols, a, b):
    """The batch of discrete.rs: the weights of `data` at the flat index, over their row's total
    (an integer below 2^53, exact), so every entry is the Rust one bit for bit."""
    i = np.arange(rows * cols, dtype=np.uint64).reshape(rows, cols)
    w = ((i * np.uint64(a) + np.uint64(b)) % np.uint64(1 << 20) + np.uint64(64)).astype(np.float64)
    return w / w.sum(axis=1, keepdims=True)


def torch_kl_div(p, log_q, axis=None):
    """torch.nn.functional.kl_div(log_q, p, reduction="none") summed: p (log p - log_q), with
    p log p = 0 where p = 0 (torch's xlogy). Given log_q, as torch is."""
    safe = np.where(p > 0, p, 1.0)
    return np.sum(np.where(p > 0, p * (np.log(safe) - log_q), 0.0), axis=axis)


def rows_table(target):
    """ns/element of the log-space kernel (n = 10^6) and of the row-wise kernels, beside numpy
    and scipy on the same data, measured in the same run as the Rust medians were read."""
    n = 1_000_000
    p, q = data(n)
    log_q = np.log(q)
    assert abs(torch_kl_div(p, log_q) - rel_entr(p, q).sum()) <= 1e-12
    py = [
        median_ns(lambda: rel_entr(p, q).sum(), n),
        median_ns(lambda: torch_kl_div(p, log_q), n),
    ]
    names = ["kl", "kl_log", "cross_entropy_log", "js_log", "kl_logits"]
    rust = [[criterion_ns(target, "log_space", f"{b}_{t}thread", n, n) for t in (1, 2)] for b in names]

    def cell(x):
        return "–" if x is None else f"{x:.2f}"

    def pair(xs):
        return " / ".join(cell(x) for x in xs)

    print()
    print("From log-probabilities and logits, n = 1,000,000: ns per element (medians; Rust 1 / 2 threads):")
    print("| scipy rel_entr | numpy kl_div(log_q, p) | " + " | ".join(names) + " |")
    print("|" + "---|" * (2 + len(names)))
    print("| " + " | ".join(cell(x) for x in py) + " | " + " | ".join(pair(r) for r in rust) + " |")

    print()
    print("Row by row, 10^6 entries: ns per element (medians; Rust 1 / 2 threads):")
    rust_names = ["kl_rows", "kl_log_rows", "kl_logits_rows", "kl_log_rows_mean"]
    print("| rows × columns | scipy rel_entr(P, Q).sum(axis=1) | numpy kl_div per row | " + " | ".join(rust_names) + " |")
    print("|" + "---|" * (3 + len(rust_names)))
    for r, c in ROW_SHAPES:
        P = batch(r, c, 2_654_435_761, 0)
        Q = batch(r, c, 2_246_822_519, 12_345)
        LQ = np.log(Q)
        assert np.allclose(rel_entr(P, Q).sum(axis=1), torch_kl_div(P, LQ, axis=1), rtol=1e-12, atol=1e-15)
        m = r * c
        py = [
            median_ns(lambda: rel_entr(P, Q).sum(axis=1), m),
            median_ns(lambda: torch_kl_div(P, LQ, axis=1), m),
        ]
        shape = f"{r}x{c}"
        rs = [[criterion_ns(target, "rows", f"{b}_{t}thread", shape, m) for t in (1, 2)] for b in rust_names]
        print(f"| {r:,} × {c:,} | " + " | ".join(cell(x) for x in py) + " | " + " | ".join(pair(x) for x in rs) + " |")


def fit_numpy(x, p, hoisted, lr=0.001, epochs=100):
    """The original's descent in numpy: θ = (μ, variance) from (0, 1), p = pdf values, the loss
    Σ p ln(p/q) and the hand gradients of kl::fit::OriginalForwardKl (numpy has no autodiff).
    Like kl::fit::gradient_descent it evaluates the loss epochs + 1 times (the start included)
    and returns the history of (μ, variance, loss).

    `hoisted=False` writes each epoch as the original would: q as an array, its loss expression
    `np.sum(np.where(p != 0, p * np.log(p / q), 0))`, the moments of p recomputed. `hoisted=True`
    is numpy at its best: what does not depend on θ (Σp, E_p[x], E_p[x²], Σ p ln p) once, and
    per epoch only the pass kl::fit makes (exp, Σw, Σw·d, Σw·d²)."""
    mu, var = 0.0, 1.0
    total = p.sum()
    ep_x = (p * x).sum() / total
    ep_x2 = (p * x * x).sum() / total
    nz = p != 0
    p_ln_p = np.sum(np.where(nz, p * np.log(np.where(nz, p, 1.0)), 0.0))
    history = []
    for epoch in range(epochs + 1):
        d = x - mu
        s = -d * d / (2.0 * var)
        s_max = s.max()
        w = np.exp(s - s_max)
        z = w.sum()
        eq_d = (w * d).sum() / z
        eq_d2 = (w * d * d).sum() / z
        if hoisted:
            ep_d = ep_x - mu
            ep_d2 = ep_x2 - 2.0 * mu * ep_x + mu * mu
            # Σ p ln(p/q) = Σ p ln p − Σ p (s − ln Z)
            loss = p_ln_p + total * (ep_d2 / (2.0 * var) + s_max + np.log(z))
        else:
            q = w / z
            loss = np.sum(np.where(p != 0, p * np.log(p / q), 0))
            ep_d = (p * d).sum() / total
            ep_d2 = (p * d * d).sum() / total
        history.append((mu, var, loss))
        if epoch < epochs:
            mu -= lr * (-total * (ep_d - eq_d) / var)
            var -= lr * (-total * (ep_d2 - eq_d2) / (2.0 * var * var))
    return history


def fit_rust_ms(target, bench):
    """The median criterion measured for 100 epochs of one fit benchmark, in ms, or None."""
    path = target / "criterion" / "fit_100_epochs" / bench / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"] / 1e6


def fit_table(target):
    """The minimisation loop of chapter 04 on the original's 20 000-point grid: numpy against
    kl::fit (crates/kl-bench/benches/fit.rs)."""
    x = -10.0 + np.arange(20_000) * 0.001
    p = np.exp(-x * x / 8.0) / (2.0 * np.sqrt(2.0 * np.pi))
    numpy_ms = []
    for hoisted in [False, True]:
        mu, var, loss = fit_numpy(x, p, hoisted)[-1]
        # Chapter 04 prints final sigma 1.991861 and loss 6907.767417 for this setup.
        assert abs(np.sqrt(var) - 1.991861) < 1e-6 and abs(loss - 6907.767417) < 1e-6, (mu, var, loss)
        run = lambda: fit_numpy(x, p, hoisted)
        once = timeit.timeit(run, number=1)
        repeats = max(5, min(50, int(3.0 / once)))
        numpy_ms.append(statistics.median(timeit.repeat(run, number=1, repeat=repeats)) * 1e3)
    rust = [fit_rust_ms(target, b) for b in ["original_setup", "book_setup"]]
    print()
    print("The minimisation loop of chapter 04 (100 epochs, 20,000 points), milliseconds (medians),")
    print("and how many times faster than numpy as the original writes it:")
    print("| numpy, as the original | numpy, hoisted | kl::fit, original setup | kl::fit, book setup |")
    print("|---|---|---|---|")
    cells = [f"{ms:.2f}" for ms in numpy_ms] + [
        "–" if r is None else f"{r:.2f} ({numpy_ms[0] / r:.1f}×)" for r in rust
    ]
    print("| " + " | ".join(cells) + " |")


def main():
    target = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
    if sys.argv[1:] == ["fit"]:
        # Only the fit loop: `python crates/kl-bench/python/bench.py fit`.
        fit_table(target)
        return
    if sys.argv[1:] == ["rows"]:
        # Only the log-space and batched table: `python crates/kl-bench/python/bench.py rows`.
        rows_table(target)
        return
    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}")
    rust = ["kl_1thread", "kl_2thread", "plain_loop", "ndarray_stats"]
    header = ["n", "numpy one-liner", "scipy rel_entr", "scipy entropy"] + rust
    rows = []
    for n in SIZES:
        p, q = data(n)
        numpy_kl = float(np.sum(np.where(p != 0, p * np.log(p / q), 0)))
        assert abs(numpy_kl - rel_entr(p, q).sum()) <= 1e-12 * abs(numpy_kl)
        py = [
            median_ns(lambda: np.sum(np.where(p != 0, p * np.log(p / q), 0)), n),
            median_ns(lambda: rel_entr(p, q).sum(), n),
            median_ns(lambda: entropy(p, q), n),
        ]
        rs = [rust_ns(target, b, n) for b in rust]
        rows.append((n, py, rs, numpy_kl))

    def cell(x):
        return "–" if x is None else f"{x:.2f}"

    print()
    print("Nanoseconds per element (medians):")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for n, py, rs, _ in rows:
        print(f"| {n:,} | " + " | ".join(cell(x) for x in py + rs) + " |")
    print()
    print("How many times faster kl::discrete::kl_divergence is (1 thread / 2 threads):")
    print("| n | vs numpy one-liner | vs scipy rel_entr | vs scipy entropy | vs plain loop | vs ndarray-stats |")
    print("|---|---|---|---|---|---|")
    for n, py, rs, _ in rows:
        one, two = rs[0], rs[1]

        def ratio(x):
            if x is None or one is None:
                return "–"
            return f"{x / one:.1f}× / {x / two:.1f}×" if two else f"{x / one:.1f}×"

        print(f"| {n:,} | " + " | ".join(ratio(x) for x in py + rs[2:]) + " |")
    print()
    for n, _, _, value in rows:
        print(f"KL(P||Q) at n = {n:,} (numpy): {value:.12f}")
    if any(r is None for _, _, rs, _ in rows for r in rs):
        print("(– : no criterion result found under", target / "criterion", "; run `just bench` first)", file=sys.stderr)
    rows_table(target)
    fit_table(target)


if __name__ == "__main__":
    main()
