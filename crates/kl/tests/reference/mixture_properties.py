"""References for crates/kl/tests/all/mixture_properties.rs (`density_and_cdf_match_scipy`):
the log-density and the cdf of the mixture 0.2 N(-2, 0.7) + 0.5 N(0.5, 1.2) + 0.3 N(3, 0.5)
at x = -3, 0, 2.5, 40 with scipy, and the cdf at -3 and the component N(-2, 0.7) at -3 with
mpmath at 30 digits (the test's comment on statrs's normal cdf).

Run from the repository root:   python3 crates/kl/tests/reference/mixture_properties.py
(needs numpy, scipy and mpmath). Re-run for issue 16 (scipy 1.17.1, mpmath 1.3.0): the scipy
values equal the test's; mpmath's cdf at -3 rounds to 0.016197229221522478, one ulp from the
test comment's ...477 and two from scipy's ...474, inside the test's 1e-10.
"""

import numpy as np
from mpmath import mp, mpf, ncdf
from scipy.special import logsumexp
from scipy.stats import norm

W = np.array([0.2, 0.5, 0.3])
M = np.array([-2.0, 0.5, 3.0])
S = np.array([0.7, 1.2, 0.5])

for x in [-3.0, 0.0, 2.5, 40.0]:
    ln_pdf = logsumexp(np.log(W) + norm.logpdf(x, M, S))
    cdf = (W * norm.cdf(x, M, S)).sum()
    print(f"({x!r}, {float(ln_pdf)!r}, {float(cdf)!r}),")

mp.dps = 30
cdf = sum(mpf(w) * ncdf(-3, mu=mpf(m), sigma=mpf(s)) for w, m, s in zip(W, M, S))
print(f"mpmath cdf(-3) {float(cdf)!r}")
print(f"mpmath N(-2, 0.7) cdf at -3 {mp.nstr(ncdf(-3, mu=-2, sigma=mpf('0.7')), 13)}")
