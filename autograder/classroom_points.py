#!/usr/bin/env python3
"""For GitHub Classroom's command grader: exits 0 when exercise ID earned full marks in
`grade --json` output, else prints every failed check and exits 1."""
import json
import sys

data = json.load(open(sys.argv[1]))
(ex,) = [e for e in data["exercises"] if e["id"] == sys.argv[2]]
for c in ex.get("checks", []):
    print(f'{c["name"]}: {c["status"]} ({c["earned"]}/{c["possible"]}) {c["message"]}')
sys.exit(0 if ex["earned"] == ex["possible"] else 1)
