"""Reference for crates/kl/tests/all/estimate.rs (`two_dimensional_normals_match_the_closed_form`):
KL between two bivariate normals from the closed form in numpy,

    KL = 1/2 [tr(S2^-1 S1) + (m2 - m1)^T S2^-1 (m2 - m1) - 2 + ln(det S2 / det S1)].

Run from the repository root:   python3 crates/kl/tests/reference/estimate.py   (needs numpy).
Re-run for issue 16 (numpy 2.4): equal to the test's literal.
"""

import numpy as np

m1, s1 = np.array([0.0, 0.0]), np.array([[1.0, 0.6], [0.6, 2.0]])
m2, s2 = np.array([1.0, -0.5]), np.array([[1.5, -0.3], [-0.3, 1.0]])
inv2 = np.linalg.inv(s2)
dm = m2 - m1
kl = 0.5 * (np.trace(inv2 @ s1) + dm @ inv2 @ dm - 2 + np.log(np.linalg.det(s2) / np.linalg.det(s1)))
print(repr(float(kl)))
