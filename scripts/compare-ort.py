"""Runs a model through fuse-run and ONNX Runtime on the same seeded inputs
and prints, per output, the max absolute and relative error.

Usage: compare-ort.py MODEL [--input-shape NAME=DIMS]... [--rtol 1e-3]
       [--fuse-run PATH] [--work DIR]
Exit status 1 when an output's max relative error exceeds --rtol (relative
to the largest magnitude of the ORT output, so that near-zero elements do
not dominate) and its max absolute error exceeds --atol (default 0: off).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("--input-shape", action="append", default=[])
parser.add_argument("--rtol", type=float, default=1e-3)
parser.add_argument("--atol", type=float, default=0.0)
parser.add_argument("--seed", default="0")
parser.add_argument("--fuse-run", default=os.path.join(root, "build", "bin",
                                                       "fuse-run"))
parser.add_argument("--work", default=None)
args = parser.parse_args()

work = args.work or tempfile.mkdtemp(prefix="fuse-ort-")
fuse_dir, ort_dir = os.path.join(work, "fuse"), os.path.join(work, "ort")
cmd = [args.fuse_run, args.model, "--seed", args.seed, "--output-dir", fuse_dir]
for shape in args.input_shape:
    cmd += ["--input-shape", shape]
subprocess.run(cmd, check=True)

import onnx  # noqa: E402
model = onnx.load(args.model, load_external_data=False)
inits = {t.name for t in model.graph.initializer}
inputs = [i.name for i in model.graph.input if i.name not in inits]
outputs = [o.name for o in model.graph.output]
ort_cmd = ["node", os.path.join(root, "scripts", "ort-run.js"), args.model,
           "--output-dir", ort_dir]
for name in inputs:
    ort_cmd += ["--input", f"{name}={os.path.join(fuse_dir, name + '.npy')}"]
subprocess.run(ort_cmd, check=True)

sys.path.insert(0, os.path.join(root, "scripts"))
from npycompare import compare  # noqa: E402

sys.exit(0 if compare(fuse_dir, ort_dir, outputs, args.rtol, args.atol,
                      "ort") else 1)
