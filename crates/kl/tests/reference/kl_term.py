"""References for the discrete kernel's per-outcome KL term, at 50 significant digits.

Run from the repository root:   python3 crates/kl/tests/reference/kl_term.py
It rewrites crates/kl/tests/reference/kl_term.txt, read by the unit test of
`kl_excess_normal` in crates/kl/src/simd/ln.rs.

The term is scipy's `kl_div`, p ln(p/q) − p + q ≥ 0, for p and q positive normal doubles. The
pairs (seeded, so the file is reproducible) stress where it is hard to get right:

- nearly equal pairs, p = q (1 + u·10^−e) for e = 1 … 15, where the term is ≈ (p − q)²/2q and
  p ln(p/q) would cancel against p − q;
- ratios within 0.1 % of √2 and 1/√2, where the kernel switches between its two forms;
- ratios anywhere in the normal range, and pairs at its ends (2^−1022, near f64::MAX).

mpmath converts each double exactly; the reference is the correctly rounded double of the term.
Each line: the bits of p, of q and of the reference, as 16 hex digits.
"""

import math
import os
import random
import struct

from mpmath import log, mp, mpf

mp.dps = 50

SMALLEST_NORMAL = 2.2250738585072014e-308


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def pairs(rng):
    out = []
    while len(out) < 2400:
        q = rng.uniform(0.5, 1.0) * 2.0 ** rng.randint(-1021, 1023)
        kind = len(out) % 6
        if kind in (0, 1):
            x = 1.0 + rng.choice([-1.0, 1.0]) * rng.random() * 10.0 ** -rng.randint(1, 15)
        elif kind == 2:
            x = math.sqrt(2.0) * math.exp(rng.uniform(-1e-3, 1e-3))
        elif kind == 3:
            x = math.exp(rng.uniform(-1e-3, 1e-3)) / math.sqrt(2.0)
        elif kind == 4:
            x = math.exp(rng.uniform(-1.0, 1.0))
        else:
            x = None
        if len(out) % 50 == 0:
            q = rng.choice([SMALLEST_NORMAL * rng.uniform(1.0, 4.0), 1.7e308 * rng.uniform(0.5, 1.0)])
        if x is None:
            # p/q = 2^t with |t| up to 2000 (as far as the normal range allows).
            t = rng.uniform(-2000.0, 2000.0) * rng.random() ** 2
            try:
                p = math.ldexp(q * 2.0 ** (t - math.floor(t)), math.floor(t))
            except OverflowError:
                continue
        else:
            p = q * x
        if SMALLEST_NORMAL <= p <= 1.7976931348623157e308 and p != q:
            out.append((p, q))
    return out


def term(p, q):
    P, Q = mpf(p), mpf(q)
    return float(P * log(P / Q) - P + Q)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    lines = ["# p q p·ln(p/q) − p + q, as f64 bits -- written by kl_term.py (mpmath, 50 digits); do not edit"]
    for p, q in pairs(random.Random(20261202)):
        lines.append(f"{bits(p):016x} {bits(q):016x} {bits(term(p, q)):016x}")
    with open(os.path.join(here, "kl_term.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
