"""Reference for crates/kl/tests/all/models.rs (`discretized_normal_far_tail_keeps_its_digits`):
the mass of N(0, 1) on [8.5, 9.5) from the survival function, which keeps the digits that
cdf(9.5) - cdf(8.5) loses to 1 - 1.

Run from the repository root:   python3 crates/kl/tests/reference/models.py   (needs scipy).
Re-run for issue 16 (scipy 1.17.1): equal to the test's literal.
"""

from scipy.stats import norm

print(repr(float(norm.sf(8.5) - norm.sf(9.5))))
