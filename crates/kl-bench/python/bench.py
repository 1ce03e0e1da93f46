"""Times the original tutorial's numpy expression, scipy's rel_entr sum and scipy.stats.entropy
on the data of crates/kl-bench/benches/discrete.rs, and prints them next to the Rust medians criterion saved.
Then times the original's minimisation loop (chapter 04) written in numpy with the hand
gradients of `kl::fit`, next to the medians of crates/kl-bench/benches/fit.rs.

Run through `just bench-python` after `just bench` (it makes the virtualenv); with the argument
`fit` it times the fit loop only. Not part of CI.
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
    fit_table(target)


if __name__ == "__main__":
    main()
