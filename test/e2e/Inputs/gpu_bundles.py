"""Compiles models to GPU bundles for a100 (sm_80) and h100 (sm_90) and
checks each with scripts/check-bundle.py and ptxas (test/e2e/gpu-bundles.test).
Prints one line per check; exits 1 at the first failure. Also checks that
the bundle launches one kernel per fused group of the report."""
import argparse
import json
import os
import subprocess
import sys


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout)
        sys.stdout.write(proc.stderr)
        print(f"FAILED: {' '.join(cmd)}")
        sys.exit(1)
    return proc.stdout


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--ptxas", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--model", action="append", default=[],
                   help="NAME=PATH:INPUT=DIMS")
    p.add_argument("--bench-models", action="store_true")
    p.add_argument("--targets", default="a100:sm_80,h100:sm_90")
    args = p.parse_args()
    models = []
    for spec in args.model:
        name, rest = spec.split("=", 1)
        path, shape = rest.rsplit(":", 1)
        models.append((name, path, [shape], args.targets))
    if args.bench_models:
        for name in ("bert_layer", "gpt2_block"):
            out = os.path.join(args.work, name + ".onnx")
            run([sys.executable, os.path.join(args.src, "bench", "models",
                                              name + ".py"), "-o", out])
            models.append((name, out, [], "h100:sm_90"))
    check = os.path.join(args.src, "scripts", "check-bundle.py")
    for name, path, shapes, targets in models:
        for target_arch in targets.split(","):
            target, arch = target_arch.split(":")
            out = os.path.join(args.work, f"{name}-{target}")
            report = out + ".json"
            base = [os.path.join(args.bin, "fuse-compile"), path,
                    f"--target={target}"]
            for shape in shapes:
                base += ["--input-shape", shape]
            run(base + ["--emit=ptx", "-o", out, f"--fuse-report={report}"])
            lines = run([sys.executable, check, out, "--ptxas", args.ptxas,
                         "--arch", arch]).splitlines()
            for line in lines:
                print(f"{name} {target}: {line}")
            # The tiled module's groups (fuse-tile may split a group around
            # an attention kernel): kernel N is group N of that module.
            tiled = out + ".tiled.mlir"
            run(base + ["--emit=tiled", "-o", tiled])
            with open(tiled) as f:
                groups = f.read().count("= fuse.group(")
            with open(report) as f:
                fused_groups = json.load(f)["groups"]
            with open(os.path.join(out, "plan.json")) as f:
                plan = json.load(f)
            launched = {s["kernel"] for s in plan["steps"]
                        if s["op"] == "launch"}
            expected = {f"group_{i}" for i in range(groups)}
            # Groups that compute nothing (pure reshapes, empty tensors)
            # need no kernel; every launch is one group's kernel.
            extra = launched - expected
            if extra:
                print(f"FAILED: {name} {target}: launches that are not one "
                      f"group's kernel: {', '.join(sorted(extra))}")
                return 1
            print(f"{name} {target}: {len(launched)} kernels for {groups} "
                  f"groups ({fused_groups} fused)")
    print("all bundles ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
