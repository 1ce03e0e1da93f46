#!/usr/bin/env python3
"""Turns a student copy into CI's tampering submission (see .ci/run).

Each tampered exercise must earn nothing while the honest ones grade normally:
1.1 prints a forged table and exits, 1.2 calls the kl functions it must write itself,
2.2 returns the public answers pasted as constants, 3.1 never returns, 3.3 (its reference
solution kept) gets a type error, and the copy's graders and points are edited, which must
have no effect because the grader copies only the chapter files."""
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
