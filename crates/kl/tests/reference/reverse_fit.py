"""Reference for crates/kl/tests/all/fit_descent.rs (`reverse_fits_match_an_independent_optimiser`)
and chapter 05's exercises 2 and 4: the reverse-KL optimum over normals, found by scipy's
Nelder-Mead (no gradient) on the chapter's grid, from the chapter's two starts.

Run from the repository root:   python3 crates/kl/tests/reference/reverse_fit.py   (needs scipy).
Run for issue 12 (scipy 1.17.1, numpy 2.4):
    3 -2 -2.9998955453788367 0.700221620170247 0.9162571882405588
    3 2 2.999930488070939 0.7001504137329235 0.5108036843686502
    1 -2 0.1781034363704656 1.1525589170233448 0.06270710575208924
    1 2 0.17810343635801668 1.152558914023814 0.06270710575208935
(modes at -m and m, start mu, optimum mu, optimum sigma, KL(Q||P)).
"""

import numpy as np
from scipy.optimize import minimize
from scipy.stats import norm

x = np.arange(-20, 20, 0.002)


def target(m):
    p = 0.4 * norm.pdf(x, -m, 0.7) + 0.6 * norm.pdf(x, m, 0.7)
    return p / p.sum()


def reverse_kl(theta, p):
    mu, ln_sigma = theta
    q = norm.pdf(x, mu, np.exp(ln_sigma))
    q = q / q.sum()
    m = q > 0
    return np.sum(q[m] * (np.log(q[m]) - np.log(p[m])))


for m in [3, 1]:
    p = target(m)
    for start in [-2, 2]:
        r = minimize(reverse_kl, [start, 0.0], args=(p,), method="Nelder-Mead",
                     options=dict(xatol=1e-10, fatol=1e-14, maxiter=20000))
        print(m, start, r.x[0], np.exp(r.x[1]), r.fun)
