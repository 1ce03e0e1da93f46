#!/usr/bin/env python3
"""Checks a Gradescope results.json against the fields Gradescope reads (see
https://gradescope-autograders.readthedocs.io/en/latest/specs/): top-level score,
execution_time and output, and tests[] with name, number, score, max_score, status, output
and visibility."""
import json
import sys

r = json.load(open(sys.argv[1]))
assert isinstance(r["score"], (int, float)), r["score"]
assert isinstance(r["execution_time"], (int, float)), r["execution_time"]
assert isinstance(r["output"], str)
assert r["tests"], "no tests"
visibilities = {"hidden", "after_due_date", "after_published", "visible"}
for t in r["tests"]:
    for key, kind in [("name", str), ("number", str), ("score", (int, float)),
                      ("max_score", (int, float)), ("status", str), ("output", str),
                      ("visibility", str)]:
        assert isinstance(t[key], kind), (key, t)
    assert t["status"] in ("passed", "failed"), t
    assert t["visibility"] in visibilities, t
    assert 0 <= t["score"] <= t["max_score"] or t["max_score"] == 0 == t["score"], t
assert r["score"] == sum(t["score"] for t in r["tests"]), "score is not the sum of the tests"
assert any(t["visibility"] == "after_published" for t in r["tests"]), "no held-out checks"
print(f"{sys.argv[1]}: valid Gradescope results, score {r['score']}, {len(r['tests'])} tests")
