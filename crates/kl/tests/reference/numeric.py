"""References for crates/kl/tests/all/numeric.rs, computed with mpmath at 40 digits.

Run from the repository root:   python3 crates/kl/tests/reference/numeric.py
(needs mpmath). It prints one line per value the test holds, `name value`, the value as the
correctly rounded double in Python's shortest repr; compare them with the test's literals.

- KL(P||Q) by `mp.quad` of p (ln p - ln q) over P's support, split at the kinks (Laplace
  locations) and the support edges, the log-densities written out below (statrs's
  parameterisation: Exp rate, Gamma shape/rate, Laplace location/scale, Normal mean/std dev).
- The piece of KL(N(5,4) || N(0,2)) beyond x = 10 (`TAIL_BEYOND_10`).
- KL(Gumbel(0,1) || Gumbel(2,0.5)) from the closed form (no quadrature: it is 104).
- Log-densities at points where statrs's `ln_pdf` is not finite, from the formulas of
  `LnDensity`'s table.

Re-run for issue 16 (mpmath 1.3.0): every value equals the test's literal, except four that
differ in the last digit, by one ulp (Gamma(0.5,1)||Gamma(2,1), Laplace(0,1)||Laplace(3,2),
Uniform(0,1)||Uniform(-1,2), Normal(0,1)||Laplace(0.5,1)): the original runs' quadrature
splits are not recorded, and one ulp is far inside the test's tolerances (1e-12 to 1e-9).
"""

from mpmath import mp, mpf, log, exp, pi, sqrt, quad, inf, loggamma, gamma, euler, log1p

mp.dps = 40


def ln_exp(r):
    return lambda x: log(r) - r * x


def ln_gamma_pdf(a, b):
    return lambda x: a * log(b) - loggamma(a) + (a - 1) * log(x) - b * x


def ln_laplace(m, s):
    return lambda x: -abs(x - m) / s - log(2 * s)


def ln_normal(m, s):
    return lambda x: -((x - m) ** 2) / (2 * s**2) - log(s) - log(2 * pi) / 2


def ln_uniform(a, b):
    return lambda x: -log(b - a) if a <= x <= b else -inf


def kl(ln_p, ln_q, points):
    """∫ p (ln p − ln q) over the pieces between `points` (P's support, split at kinks)."""

    def f(x):
        lp = ln_p(x)
        return exp(lp) * (lp - ln_q(x))

    return quad(f, points)


def show(name, value):
    print(f"{name:40} {float(value)!r}")


e, g, l, n, u = ln_exp, ln_gamma_pdf, ln_laplace, ln_normal, ln_uniform
M = mpf
show("Exp(1)||Exp(2)", kl(e(1), e(2), [0, inf]))
show("Exp(0.5)||Exp(3)", kl(e(M("0.5")), e(3), [0, inf]))
show("Gamma(2,1)||Gamma(3,2)", kl(g(2, 1), g(3, 2), [0, 1, inf]))
show("Gamma(0.5,1)||Gamma(2,1)", kl(g(M("0.5"), 1), g(2, 1), [0, M("1e-8"), 1, inf]))
show("Exp(1)||Gamma(2,1)", kl(e(1), g(2, 1), [0, 1, inf]))
show("Laplace(0,1)||Laplace(3,2)", kl(l(0, 1), l(3, 2), [-inf, 0, 3, inf]))
show("Laplace(100,1)||Laplace(99,0.5)", kl(l(100, 1), l(99, M("0.5")), [-inf, 99, 100, inf]))
show("Laplace(0,1)||Normal(1,2)", kl(l(0, 1), n(1, 2), [-inf, 0, inf]))
show("Uniform(0,1)||Uniform(-1,2)", kl(u(0, 1), u(-1, 2), [0, 1]))
show("Uniform(0,1)||Normal(0.5,1)", kl(u(0, 1), n(M("0.5"), 1), [0, 1]))
show("Normal(0,1)||Laplace(0.5,1)", kl(n(0, 1), l(M("0.5"), 1), [-inf, 0, M("0.5"), inf]))
show("TAIL_BEYOND_10", kl(n(5, 4), n(0, 2), [10, 30, inf]))

# Gumbel (maximum), location/scale: the closed form of kl::closed_form.
m1, b1, m2, b2 = M(0), M(1), M(2), M("0.5")
gumbel = (
    log(b2 / b1) + (m1 - m2) / b2 + euler * (b1 / b2 - 1)
    + exp((m2 - m1) / b2) * gamma(1 + b1 / b2) - 1
)
show("Gumbel(0,1)||Gumbel(2,0.5)", gumbel)


def ln_gumbel(m, b, x):
    z = (x - m) / b
    return -log(b) - z - exp(-z)


def ln_inverse_gamma(a, r, x):
    return a * log(r) - loggamma(a) - (a + 1) * log(x) - r / x


def ln_fisher_snedecor(d1, d2, x):
    # ln f = ½[d1 ln(d1 x) + d2 ln d2 − (d1 + d2) ln(d1 x + d2)] − ln x − ln B(d1/2, d2/2)
    ln_b = loggamma(d1 / 2) + loggamma(d2 / 2) - loggamma((d1 + d2) / 2)
    return (d1 * log(d1 * x) + d2 * log(d2) - (d1 + d2) * log(d1 * x + d2)) / 2 - log(x) - ln_b


def ln_cauchy(m, s, x):
    return -log(pi * s) - log1p(((x - m) / s) ** 2)


show("Laplace(0,1) at 1000", ln_laplace(0, 1)(M(1000)))
show("Laplace(5,0.25) at -3000", ln_laplace(5, M("0.25"))(M(-3000)))
show("Gumbel(0,1) at -10", ln_gumbel(0, 1, M(-10)))
show("Gumbel(2,0.5) at -300", ln_gumbel(2, M("0.5"), M(-300)))
show("Gumbel(0,1) at 1e5", ln_gumbel(0, 1, M("1e5")))
show("InverseGamma(2,3) at 1e-3", ln_inverse_gamma(2, 3, M("1e-3")))
show("InverseGamma(200,50) at 0.01", ln_inverse_gamma(200, 50, M("0.01")))
show("FisherSnedecor(5,7) at 1e300", ln_fisher_snedecor(M(5), M(7), M("1e300")))
show("Cauchy(0,1) at 1e200", ln_cauchy(0, 1, M("1e200")))
