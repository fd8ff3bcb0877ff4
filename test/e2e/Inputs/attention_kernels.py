"""Counts a model's attention groups (tuned "flash_attention" in the fusion
report) and those that are one fuse-gpu-attention kernel: the group has one
gpu.func, and it has the FlashAttention loop's marks (dynamic shared memory
for the Q/K/V tiles, xor-shuffle row reductions, exp); `mma` counts those
whose products run on tensor cores (mma.sync). The generic path splits
such a group into several kernels (the head split, the bias, the rows).

Usage: attention_kernels.py REPORT.json KERNELS.mlir (fuse-compile
--emit=gpu output). Prints `kernels: K for G groups`, `attention groups:
N, flash kernels: M (mma: T)` and the ids of the other attention groups.
"""
import json
import re
import sys

report = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
starts = [(m.start(), m.group(1))
          for m in re.finditer(r"gpu\.func @group_(\d+(?:_\d+)?)\(", text)]
bodies = {}
for i, (start, name) in enumerate(starts):
    end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
    bodies[name] = text[start:end]
print(f"kernels: {len(bodies)} for {len(report['group_list'])} groups")
groups = [g["id"] for g in report["group_list"]
          if g["tile"].startswith("flash_attention:")]
flash, mma = [], 0
for gid in groups:
    mine = [n for n in bodies if n == str(gid) or n.startswith(f"{gid}_")]
    if len(mine) != 1:
        continue
    body = bodies[mine[0]]
    if ("gpu.dynamic_shared_memory" in body and "gpu.shuffle  xor" in body
            and "math.exp" in body):
        flash.append(gid)
        mma += "mma.sync" in body
print(f"attention groups: {len(groups)}, flash kernels: {len(flash)} "
      f"(mma: {mma})")
print("other:", " ".join(str(g) for g in groups if g not in flash) or "none")
