"""References for crates/kl/tests/all/structured.rs: KL between structured normals whose
covariances are ill-conditioned (condition numbers 1e6 to 1e10) or nearly equal, from the
dense formula with an explicit inverse and determinant in mpmath at 60 digits,

    KL = 1/2 [ tr(S2^-1 S1) + (m2 - m1)^T S2^-1 (m2 - m1) - k + ln det S2 - ln det S1 ],

where a low-rank normal's covariance is S = W W^T + diag(d) formed exactly from the decimal
inputs. Independent of kl (no Woodbury identity, no Cholesky factor).

Run from the repository root:   python3 crates/kl/tests/reference/structured.py
(needs mpmath). It prints each case's name, the condition numbers of S1 and S2 and the KL.
"""

from mpmath import mp, matrix, mpf, log, det, eig

mp.dps = 60


def low_rank(w, r, d):
    k = len(d)
    s = matrix(k, k)
    for i in range(k):
        for j in range(k):
            s[i, j] = sum(mpf(w[i * r + l]) * mpf(w[j * r + l]) for l in range(r))
        s[i, i] += mpf(d[i])
    return s


def dense(c, k):
    return matrix([[mpf(c[i * k + j]) for j in range(k)] for i in range(k)])


def kl(m1, s1, m2, s2):
    k = len(m1)
    inv = s2**-1
    dm = matrix([mpf(b) - mpf(a) for a, b in zip(m1, m2)])
    tr = sum((inv * s1)[i, i] for i in range(k))
    quad = (dm.T * inv * dm)[0]
    return (tr + quad - k + log(det(s2)) - log(det(s1))) / 2


def cond(s):
    ev = eig(s, left=False, right=False)
    ev = [abs(e) for e in ev]
    return max(ev) / min(ev)


# The cases of `ill_conditioned_and_nearly_equal_pairs_match_mpmath`, as its literals.
W1 = [300.0, -10.0, 200.0, 5.0, -100.0, 40.0, 50.0, 0.1]  # 4 x 2
D1 = [1e-3, 2e-3, 5e-4, 1e-3]
M1 = [0.5, -1.0, 2.0, 0.0]
W2 = [150.0, 250.0, -80.0, 10.0]  # 4 x 1
D2 = [2e-3, 1e-3, 1e-3, 4e-3]
M2 = [0.0, 0.5, 1.0, -0.5]
# A dense covariance with condition number about 1e6.
C3 = [4.0, 1.999, 0.0, 0.0,
      1.999, 1.0, 0.0, 0.0,
      0.0, 0.0, 1e-3, 0.0,
      0.0, 0.0, 0.0, 2.0]
# Nearly equal: W2 with its first entry changed by one part in 1e6.
W2B = [150.00015, 250.0, -80.0, 10.0]

s1, s2, s3 = low_rank(W1, 2, D1), low_rank(W2, 1, D2), dense(C3, 4)
s2b = low_rank(W2B, 1, D2)
for name, a, sa, b, sb in [
    ("lowrank-lowrank", M1, s1, M2, s2),
    ("lowrank-full", M1, s1, M2, s3),
    ("full-lowrank", M2, s3, M1, s1),
    ("lowrank-lowrank nearly equal", M2, s2, M2, s2b),
]:
    print(f"{name}: cond {float(cond(sa)):.1e}, {float(cond(sb)):.1e}, KL {mp.nstr(kl(a, sa, b, sb), 20)}")
