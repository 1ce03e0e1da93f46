#!/usr/bin/env python3
"""Merges a folder of grade results into one CSV gradebook.

    python3 autograder/gradebook.py RESULTS_DIR gradebook.csv

Each RESULTS_DIR/<student>.json is either `grade --json` output or Gradescope's
results.json (`grade --gradescope`); the file name without `.json` is the student. One row
per student (sorted), one column per exercise (points earned), then the total."""
import csv
import json
import pathlib
import re
import sys


def points(data):
    """{exercise id: points earned} from either format."""
    if "exercises" in data:
        return {e["id"]: e["earned"] for e in data["exercises"]}
    out = {}
    for t in data.get("tests", []):
        m = re.match(r"(\d+\.\d+)\.\d+$", t["number"])
        if m:
            out[m.group(1)] = out.get(m.group(1), 0) + t["score"]
    return out


def key(exercise):
    return tuple(int(x) for x in exercise.split("."))


def main():
    folder, out = pathlib.Path(sys.argv[1]), sys.argv[2]
    rows = {p.stem: points(json.loads(p.read_text())) for p in sorted(folder.glob("*.json"))}
    exercises = sorted({e for r in rows.values() for e in r}, key=key)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", *exercises, "total"])
        for student, r in rows.items():
            scores = [r.get(e, 0) for e in exercises]
            w.writerow([student, *[f"{s:g}" for s in scores], f"{sum(scores):g}"])
    print(f"{out}: {len(rows)} students, {len(exercises)} exercises")


if __name__ == "__main__":
    main()
