"""Rewrites a bundle's plan.json to break one property check-bundle.py checks:
  overlap   - two arena buffers with meeting live ranges at the same offset
  kernel    - a launch of a kernel that model.ptx does not have
  weights   - a weight that runs past the end of weights.bin
Used by test/e2e/bundle.test to show the checker fails when it must."""
import json
import sys

bundle, what = sys.argv[1], sys.argv[2]
path = bundle + "/plan.json"
with open(path) as f:
    plan = json.load(f)
if what == "overlap":
    arena = [b for b in plan["buffers"] if b["kind"] == "arena"]
    arena.sort(key=lambda b: b["live"][0])
    for a, b in zip(arena, arena[1:]):
        if a["live"][0] <= b["live"][1] and b["live"][0] <= a["live"][1]:
            b["offset"] = a["offset"]
            break
    else:
        sys.exit("no two arena buffers are live together")
elif what == "kernel":
    next(s for s in plan["steps"] if s["op"] == "launch")["kernel"] = "nope"
elif what == "weights":
    w = next(b for b in plan["buffers"] if b["kind"] == "weight")
    w["weights_offset"] = 1 << 30
with open(path, "w") as f:
    json.dump(plan, f)
