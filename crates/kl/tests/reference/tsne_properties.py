"""References for crates/kl/tests/all/tsne_properties.rs: the joint probabilities P of its six
points X at perplexity 3 (`P_SCIPY`) and the cost KL(P||Q) for its embedding Y (`KL_SCIPY`),
computed independently of kl with numpy and scipy.

Run from the repository root:   python3 crates/kl/tests/reference/tsne_properties.py
(needs numpy and scipy). It prints P row by row and the cost, as Rust-ready doubles.

Each row's precision beta is found by `scipy.optimize.brentq` (xtol = rtol = 1e-15) on
H(beta) - ln 3, with p_{j|i} proportional to exp(-beta |x_i - x_j|^2) and the entropy in nats
via `scipy.special.xlogy`; then P = (P_cond + P_cond^T) / (2n). Q is the Student-t kernel
w_ij = 1 / (1 + |y_i - y_j|^2) over the ordered pairs i != j, normalised.

Re-run for issue 16 (numpy 2.4, scipy 1.17.1): every entry and the cost agree with the test's
literals to a few ulp (the root finder's last step), far inside its tolerances.
"""

import numpy as np
from scipy.optimize import brentq
from scipy.special import xlogy

X = np.array([[0.0, 0.0], [1.0, 0.5], [2.0, -1.0], [4.0, 3.0], [-1.5, 2.0], [0.5, -2.5]])
Y = np.array([[0.3, -0.2], [1.1, 0.4], [-0.7, 0.9], [0.2, 1.5], [-1.0, -1.2], [0.8, -0.6]])
PERPLEXITY = 3.0


def squared_distances(points):
    diff = points[:, None, :] - points[None, :, :]
    return (diff**2).sum(axis=-1)


def conditional_row(d2, i, beta):
    others = np.arange(len(d2)) != i
    logits = -beta * d2[i, others]
    w = np.exp(logits - logits.max())
    row = np.zeros(len(d2))
    row[others] = w / w.sum()
    return row


def entropy(row):
    return -xlogy(row, row).sum()


d2 = squared_distances(X)
n = len(X)
conditional = np.zeros((n, n))
for i in range(n):
    beta = brentq(
        lambda b: entropy(conditional_row(d2, i, b)) - np.log(PERPLEXITY),
        1e-8, 1e3, xtol=1e-15, rtol=1e-15,
    )
    conditional[i] = conditional_row(d2, i, beta)
P = (conditional + conditional.T) / (2 * n)

w = 1.0 / (1.0 + squared_distances(Y))
np.fill_diagonal(w, 0.0)
Q = w / w.sum()
off = ~np.eye(n, dtype=bool)
kl = (xlogy(P[off], P[off]) - xlogy(P[off], Q[off])).sum()

print("P_SCIPY")
for row in P:
    print("[" + ", ".join(repr(float(v)) for v in row) + "],")
print(f"KL_SCIPY {float(kl)!r}")
