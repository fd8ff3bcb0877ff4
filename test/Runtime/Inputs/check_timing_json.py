#!/usr/bin/env python3
"""Prints what fuse-cuda-run --json wrote, one fact a line, for FileCheck:
the bundle, the runs, the step indices and labels in order, and whether every
median is a non-negative number (the total at least the largest step's)."""
import json
import sys

with open(sys.argv[1]) as f:
    doc = json.load(f)
print("keys", " ".join(sorted(doc)))
print("bundle", doc["bundle"])
print("runs", doc["runs"])
for step in doc["steps"]:
    print("step", step["index"], step["label"])
medians = [step["median_ms"] for step in doc["steps"]]
numbers = all(isinstance(m, (int, float)) and m >= 0
              for m in medians + [doc["total_median_ms"]])
print("medians", "ok" if numbers else "bad")
