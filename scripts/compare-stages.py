"""Runs a model unfused and at later compile stages on the same seeded
inputs and compares every output with the unfused run.

Usage: compare-stages.py MODEL [--input-shape NAME=DIMS]... [--stage S]...
       [--rtol 1e-5] [--atol 0] [--seed N] [--bin DIR] [--work DIR]

Stages are fuse-compile --emit values (default: rewritten, fused). For each
stage prints the number of kernels (top-level ops, or groups for `fused`)
and one line per output; exit status 1 when any output differs by more than
--rtol relative (to the largest magnitude of the unfused output) and
--atol absolute.
"""
import argparse
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "scripts"))
from npycompare import compare  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("--input-shape", action="append", default=[])
parser.add_argument("--stage", action="append", default=[])
parser.add_argument("--rtol", type=float, default=1e-5)
parser.add_argument("--atol", type=float, default=0.0)
parser.add_argument("--seed", default="0")
parser.add_argument("--bin", default=os.path.join(root, "build", "bin"))
parser.add_argument("--work", default=None)
args = parser.parse_args()
stages = args.stage or ["rewritten", "fused"]

import tempfile  # noqa: E402
work = args.work or tempfile.mkdtemp(prefix="fuse-stages-")
os.makedirs(work, exist_ok=True)
shapes = []
for shape in args.input_shape:
    shapes += ["--input-shape", shape]


def tool(name):
    return os.path.join(args.bin, name)


ref_dir = os.path.join(work, "unfused")
subprocess.run([tool("fuse-run"), args.model, "--seed", args.seed,
                "--output-dir", ref_dir] + shapes, check=True)
imported = os.path.join(work, "imported.mlir")
subprocess.run([tool("fuse-compile"), args.model, "--emit=fuse", "-o",
                imported] + shapes, check=True)
text = open(imported).read()
# Inputs and outputs by their fuse.name attributes, in order.
import re  # noqa: E402
main = text[text.index("func.func @main"):]
signature = main[:main.index("{\n")]
arg_part, _, result_part = signature.partition("->")
inputs = re.findall(r'fuse.name = "([^"]+)"', arg_part)
outputs = re.findall(r'fuse.name = "([^"]+)"', result_part)

ok = True
for stage in stages:
    module = os.path.join(work, stage + ".mlir")
    subprocess.run([tool("fuse-compile"), args.model, f"--emit={stage}", "-o",
                    module] + shapes, check=True)
    stage_text = open(module).read()
    groups = stage_text.count("fuse.group(")
    run = [tool("fuse-run"), module, "--output-dir",
           os.path.join(work, stage)]
    for name in inputs:
        run += ["--input", f"{name}={os.path.join(ref_dir, name + '.npy')}"]
    subprocess.run(run, check=True)
    print(f"== {stage}: {groups} groups")
    ok &= compare(os.path.join(work, stage), ref_dir, outputs, args.rtol,
                  args.atol, "unfused")
sys.exit(0 if ok else 1)
