#!/usr/bin/env python3
"""The attention kernel of the bench models' GPU bundles
(test/e2e/attention-precision.test, attention-cuda.test).

  attention_bundles.py ptx --bin BIN --ptxas PTXAS --work DIR MODEL.onnx...
      For each model and precision (the default, fp16, bf16): fuse-compile
      --emit=ptx (a100) and --emit=tiled; the attention kernel is group N of
      the tiled module whose fuse.tile is flash_attention; prints its
      mma.sync / fma.rn.f32 / bf16 mma.sync counts in model.ptx and its ptxas registers,
      spills and shared memory for sm_80 and sm_90, and the bundle's kernel
      count.
  attention_bundles.py cuda --bin BIN --work DIR MODEL.onnx...
      For each model and precision: the bundle on the GPU (fuse-run
      --device=cuda) against the CPU path (fuse-run MODEL) on the same
      seeded inputs.
"""
import argparse
import json
import os
import re
import subprocess
import sys

import numpy as np


PRECISIONS = ("default", "fp16", "bf16")


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout + proc.stderr)
        print(f"FAILED: {' '.join(cmd)}")
        sys.exit(1)
    return proc.stdout + proc.stderr


def compile_bundle(args, model, precision, target="a100"):
    name = os.path.splitext(os.path.basename(model))[0]
    out = os.path.join(args.work, f"{name}-{precision}")
    cmd = [os.path.join(args.bin, "fuse-compile"), model, f"--target={target}"]
    if precision != "default":
        cmd.append(f"--precision={precision}")
    run(cmd + ["--emit=ptx", "-o", out])
    run(cmd + ["--emit=tiled", "-o", out + ".tiled.mlir"])
    return name, out


def attention_kernels(tiled):
    """The kernel names of the flash_attention groups of a tiled module."""
    names, index = [], 0
    for line in open(tiled):
        if "= fuse.group(" not in line:
            continue
        if '#fuse.tile<"flash_attention"' in line:
            names.append(f"group_{index}")
        index += 1
    return names


def entry_text(ptx, kernel):
    match = re.search(r"\.entry\s+" + re.escape(kernel) + r"\b", ptx)
    if not match:
        return None
    end = ptx.find(".entry", match.end())
    return ptx[match.start():end if end >= 0 else len(ptx)]


def ptxas_usage(ptxas, ptx_path, arch, kernel, work):
    out = run([ptxas, f"-arch={arch}", "-v", ptx_path, "-o",
               os.path.join(work, f"{kernel}-{arch}.cubin")])
    usage = {}
    current = None
    for line in out.splitlines():
        m = re.search(r"Compiling entry function '([^']+)'", line)
        if m:
            current = m.group(1)
        if current != kernel:
            continue
        m = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads",
                      line)
        if m:
            usage["spills"] = int(m.group(1)) + int(m.group(2))
        m = re.search(r"Used (\d+) registers", line)
        if m:
            usage["regs"] = int(m.group(1))
            m = re.search(r"(\d+) bytes smem", line)
            usage["smem"] = int(m.group(1)) if m else 0
    return usage


def ptx_mode(args):
    for model in args.models:
        for precision in PRECISIONS:
            name, out = compile_bundle(args, model, precision)
            kernels = attention_kernels(out + ".tiled.mlir")
            with open(os.path.join(out, "plan.json")) as f:
                plan = json.load(f)
            launched = {s["kernel"] for s in plan["steps"]
                        if s["op"] == "launch"}
            print(f"{name} {precision}: {len(launched)} kernels, "
                  f"{len(kernels)} attention kernel(s)")
            ptx_path = os.path.join(out, "model.ptx")
            ptx = open(ptx_path).read()
            for kernel in kernels:
                text = entry_text(ptx, kernel)
                if text is None:
                    print(f"FAILED: {kernel} is not an entry of {ptx_path}")
                    return 1
                print(f"{name} {precision}: {kernel}: "
                      f"mma.sync {text.count('mma.sync')}, "
                      f"fma.rn.f32 {text.count('fma.rn.f32')}, "
                      f"bf16 mma.sync {text.count('.f32.bf16.bf16.f32')}")
                for arch in ("sm_80", "sm_90"):
                    u = ptxas_usage(args.ptxas, ptx_path, arch, kernel,
                                    args.work)
                    print(f"{name} {precision}: {kernel} {arch}: "
                          f"{u.get('regs')} registers, {u.get('spills')} "
                          f"spill bytes, {u.get('smem')} bytes smem")
    return 0


def cuda_mode(args):
    # bf16 keeps 8 significant bits to fp16's 11: its error bound is that
    # of fp16 scaled by the ratio of their roundings, at most a few times.
    tolerance = {"default": 1e-4, "fp16": 3e-2, "bf16": 1.5e-1}
    for model in args.models:
        name = os.path.splitext(os.path.basename(model))[0]
        ref = os.path.join(args.work, name + ".cpu")
        run([os.path.join(args.bin, "fuse-run"), model, "--seed", "5",
             "--output-dir", ref])
        inputs = [e for e in sorted(os.listdir(ref))
                  if not e.startswith("output")]
        for precision in PRECISIONS:
            _, out = compile_bundle(args, model, precision, target="h100")
            if not attention_kernels(out + ".tiled.mlir"):
                print(f"FAILED: {name} {precision}: no attention kernel")
                return 1
            got = out + ".gpu"
            cmd = [os.path.join(args.bin, "fuse-run"), "--device=cuda", out,
                   "--output-dir", got]
            for entry in inputs:
                cmd += ["--input", f"{entry[:-4]}={os.path.join(ref, entry)}"]
            run(cmd)
            worst = 0.0
            for entry in sorted(os.listdir(ref)):
                if not entry.startswith("output"):
                    continue
                r = np.load(os.path.join(ref, entry)).astype(np.float64)
                g = np.load(os.path.join(got, entry)).astype(np.float64)
                worst = max(worst, float(np.abs(g - r).max() /
                                         max(np.abs(r).max(), 1e-30)))
            verdict = "ok" if worst <= tolerance[precision] else "MISMATCH"
            print(f"{name} {precision}: gpu vs cpu {verdict} "
                  f"(max rel error {worst:.3e})")
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["ptx", "cuda"])
    p.add_argument("--bin", required=True)
    p.add_argument("--ptxas")
    p.add_argument("--work", required=True)
    p.add_argument("models", nargs="+")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    return ptx_mode(args) if args.mode == "ptx" else cuda_mode(args)


if __name__ == "__main__":
    sys.exit(main())
