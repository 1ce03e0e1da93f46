"""Times the original tutorial's numpy expression, scipy's rel_entr sum and scipy.stats.entropy
on the data of benches/discrete.rs, and prints them next to the Rust medians criterion saved.

Run through `just bench-python` after `just bench` (it makes the virtualenv). Not part of CI.
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
    """The formula of benches/discrete.rs: weights h + 64, h = (i*a + b) mod 2^20, over their
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


def main():
    target = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
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


if __name__ == "__main__":
    main()
