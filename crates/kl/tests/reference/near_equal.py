"""References for kl::discrete on nearly equal probability vectors, at 80 significant digits.

Run from the repository root:   python3 crates/kl/tests/reference/near_equal.py
It rewrites crates/kl/tests/reference/near_equal.txt, read by crates/kl/tests/all/discrete_accuracy.rs.

For every length n = 1 … 40 and every eps = 1e-3, 1e-4, …, 1e-12 the vectors are built with
IEEE double operations only (+, *, / and decimal parsing, each correctly rounded in Python and in
Rust alike), so the Rust test rebuilds the very same bits; a fingerprint of the bits is stored and
checked to prove it:

    w_i = 1 + (7919 i mod 97),      q_i = w_i / Σw                      (i = 0 … n−1)
    d_i = (31 i + 5 mod 11) − 5,    u_i = q_i · (1 + eps · d_i),   p_i = u_i / Σu

(sums left to right). The references follow the library's rule for inputs whose sums are 1 only
within the tolerance: they are the values for the normalised vectors p/Σp and q/Σq, computed
exactly from the stored doubles (mpmath converts a double without rounding):

    KL = Σ p̂ ln(p̂/q̂),  JS = ½ Σ [p̂ ln(2p̂/(p̂+q̂)) + q̂ ln(2q̂/(p̂+q̂))],  CE = −Σ p̂ ln q̂,  H = −Σ p̂ ln p̂

Each line: n eps fingerprint KL JS CE H, the values as Python's shortest repr of the correctly
rounded double (mpmath's float conversion rounds to nearest).
"""

import os
import struct

from mpmath import log, mp, mpf

mp.dps = 80

EPSILONS = ["1e-3", "1e-4", "1e-5", "1e-6", "1e-7", "1e-8", "1e-9", "1e-10", "1e-11", "1e-12"]


def seq_sum(xs):
    total = 0.0
    for x in xs:
        total += x
    return total


def vectors(n, eps):
    w = [float(1 + (7919 * i) % 97) for i in range(n)]
    wsum = seq_sum(w)
    q = [x / wsum for x in w]
    d = [float((31 * i + 5) % 11 - 5) for i in range(n)]
    u = [qi * (1.0 + eps * di) for qi, di in zip(q, d)]
    usum = seq_sum(u)
    p = [x / usum for x in u]
    return p, q


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def fingerprint(p, q):
    """Σ (bits(p_i)·(2i+1) + bits(q_i)·(2i+2)) mod 2^64."""
    h = 0
    for i, (a, b) in enumerate(zip(p, q)):
        h = (h + bits(a) * (2 * i + 1) + bits(b) * (2 * i + 2)) % (1 << 64)
    return h


def references(p, q):
    P = [mpf(x) for x in p]
    Q = [mpf(x) for x in q]
    sp, sq = sum(P), sum(Q)
    P = [x / sp for x in P]
    Q = [x / sq for x in Q]
    kl = sum(a * log(a / b) for a, b in zip(P, Q))
    js = sum(a * log(2 * a / (a + b)) + b * log(2 * b / (a + b)) for a, b in zip(P, Q)) / 2
    ce = -sum(a * log(b) for a, b in zip(P, Q))
    h = -sum(a * log(a) for a in P)
    return [float(v) for v in (kl, js, ce, h)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    lines = [
        "# n eps fingerprint KL JS CE H -- written by near_equal.py (mpmath, 80 digits); do not edit"
    ]
    for n in range(1, 41):
        for text in EPSILONS:
            eps = float(text)
            p, q = vectors(n, eps)
            values = " ".join(repr(v) for v in references(p, q))
            lines.append(f"{n} {text} {fingerprint(p, q)} {values}")
    with open(os.path.join(here, "near_equal.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
