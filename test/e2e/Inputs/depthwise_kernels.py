"""Counts a model's depthwise groups (tuned "depthwise" in the fusion
report) and those whose kernel is fuse-gpu-depthwise's direct kernel (its
gpu.func, or one of the group's, has the f32 workgroup buffers of the window and the taps; the
generic path's shared buffer is i8).

Usage: depthwise_kernels.py REPORT.json KERNELS.mlir (fuse-compile
--emit=gpu output). Prints `depthwise groups: N, direct kernels: M` and the
ids of the generic ones.
"""
import json
import re
import sys

report = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
# A group's kernels are group_N, group_N_1, ... (a group that also returns
# an activation its conv reads has a kernel for each).
workgroups = {}
for m in re.finditer(r"gpu\.func @group_(\d+)(?:_\d+)?\((.*?)\)"
                     r"(?: workgroup\((.*?)\))? kernel", text):
    workgroups.setdefault(int(m.group(1)), []).append(m.group(3) or "")
groups = [g["id"] for g in report["group_list"]
          if g["tile"].startswith("depthwise:")]
direct = [i for i in groups if any("xf32, #gpu.address_space<workgroup>>" in w
                                   for w in workgroups.get(i, []))]
generic = [i for i in groups if i not in direct]
print(f"depthwise groups: {len(groups)}, direct kernels: {len(direct)}")
print("generic:", " ".join(map(str, generic)) or "none")
