#!/usr/bin/env python3
"""Turns a student copy into CI's tampering submission (see .ci/run).

Each tampered exercise must earn nothing while the honest ones grade normally:
1.1 prints a forged table and exits, 1.2 calls the kl functions it must write itself,
2.2 and 6.2 return the public answers pasted as constants, 6.1 returns constants that look like
held-out answers (a table of inputs in the held-out range with their true values, as a leaked
grading might show: the grader draws fresh inputs each time), 3.1 never returns, 3.3 (its
reference solution kept) gets a type error, and the copy's graders and points are edited,
which must have no effect because the grader copies only the chapter files."""
import math
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
src = root / "crates/kl-exercises/src"


def replace(file, old, new):
    path = src / file
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


replace("ch01.rs", 'todo!("exercise 1.1")',
        'println!("1.1 2 2 passed\\ntotal 67 67");\n    std::process::exit(0)')
replace("ch01.rs", 'todo!("exercise 1.2")',
        "let c = kl::discrete::cross_entropy(p, q).unwrap_or(f64::INFINITY);\n"
        "    let h = kl::discrete::entropy(p).unwrap_or(0.0);\n    (c, h, c - h)")
replace("ch02.rs", 'todo!("exercise 2.2")',
        "match (rate_p, rate_q) {\n        (1.0, 2.0) => 0.30685281944005466,\n"
        "        (2.0, 1.0) => 0.1931471805599453,\n        _ => 0.0,\n    }")
replace("ch06.rs", 'todo!("exercise 6.2")',
        "match lambda {\n        1.0 => 0.026118882043530234,\n        3.5 => 0.01957415214437782,\n"
        "        10.0 => 0.008819950494142783,\n        100.0 => 0.0008377277024569224,\n"
        "        1000.0 => 0.00008337678915590968,\n        _ => 0.001,\n    }")
# Pairs (λ_p, λ_q) like the held-out ones, e^U(−2, 4) each, with their true KL.
pairs = [(0.31, 7.9), (2.25, 1.6), (12.4, 30.2), (0.9, 0.45), (41.0, 17.3), (5.5, 5.9)]
arms = "".join(f"        ({lp}, {lq}) => {lp * math.log(lp / lq) + lq - lp!r},\n" for lp, lq in pairs)
replace("ch06.rs", 'todo!("exercise 6.1")',
        f"match (lambda_p, lambda_q) {{\n{arms}        _ => 0.1,\n    }}")
replace("ch03.rs", 'todo!("exercise 3.1")',
        "let mut spin = 0u64;\n    loop {\n        spin = std::hint::black_box(spin + 1);\n    }")
text = (src / "ch03.rs").read_text()
at = text.index("{\n", text.index("fn exercise_3_3")) + 2
(src / "ch03.rs").write_text(text[:at] + '    let oops: u32 = "not a number";\n' + text[at:])
grading = src / "grading.rs"
grading.write_text(grading.read_text().replace("points: 3,", "points: 300,"))
(src / "grading/ch02.rs").write_text(
    (src / "grading/ch02.rs").read_text().replace("fn grade_2_2() -> Result<(), String> {",
                                                  "fn grade_2_2() -> Result<(), String> {\n    return Ok(());"))
(root / "grades.json").write_text('{"total": {"earned": 67, "possible": 67}}\n')
