"""Compiles models to GPU bundles for a100 (sm_80) and h100 (sm_90) and
checks each with scripts/check-bundle.py and ptxas (test/e2e/gpu-bundles.test).
Prints one line per check; exits 1 at the first failure. Also checks that
the bundle launches only kernels of the tiled module's groups.

A bundle whose plan.json says sm_90a (the warpgroup GEMM, wgmma) is
assembled for sm_90a: its PTX targets the architecture-specific chip, and
ptxas must also refuse it for plain sm_90 (`--arch` of such a bundle is
sm_90a, and the plain sm_90 failure is checked).

  --precisions fp32,fp16   each model at each precision (fuse-compile
                           --precision); --model NAME=PATH:IN=DIMS@fp32,fp16
                           names a model's own, --bench-precisions those of
                           the bench models
  --bench-models           BERT layer and GPT-2 block (bench/models)
  --bench-kernels          the GEMM and attention cases of the GPU suite
                           (bench/gpu/run.py's models, --quick shapes)
  --report FILE            every kernel's registers, spills, shared memory
                           and stack per model, target, precision and arch
                           as a Markdown table
"""
import argparse
import json
import os
import re
import subprocess
import sys


def run(cmd, check=True):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        sys.stdout.write(proc.stdout)
        sys.stdout.write(proc.stderr)
        print(f"FAILED: {' '.join(cmd)}")
        sys.exit(1)
    return proc


def bench_kernel_models(src, work):
    """The GPU suite's GEMM and attention cases at its --quick shapes and
    both GEMM dtypes: (name, path, precision)."""
    sys.path.insert(0, os.path.join(src, "bench", "gpu"))
    import run as bench  # noqa: E402 (bench/gpu/run.py)
    import suite  # noqa: E402
    models = []
    for dtype in suite.GEMM_DTYPES:
        m = n = k = 1024
        path = os.path.join(work, f"gemm_{dtype}.onnx")
        bench.gemm_model(m, n, k, dtype, path)
        models.append((f"gemm_{dtype}_1024", path, dtype))
    for dim in suite.ATTN_DIMS:
        for causal in (False, True):
            name = f"attn_fp16_s1024_d{dim}_" + ("causal" if causal
                                                 else "full")
            path = os.path.join(work, name + ".onnx")
            bench.attention_model(1, 2, 1024, dim, causal, path)
            models.append((name, path, "fp16"))
    return models


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--ptxas", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--model", action="append", default=[],
                   help="NAME=PATH:INPUT=DIMS")
    p.add_argument("--bench-models", action="store_true")
    p.add_argument("--bench-kernels", action="store_true")
    p.add_argument("--targets", default="a100:sm_80,h100:sm_90")
    p.add_argument("--precisions", default="fp32")
    p.add_argument("--bench-precisions", default="",
                   help="precisions of --bench-models (default "
                   "--precisions)")
    p.add_argument("--report", default="")
    args = p.parse_args()
    precisions = args.precisions.split(",")
    # (name, path, input shapes, precisions)
    models = []
    for spec in args.model:
        name, rest = spec.split("=", 1)
        model_precisions = precisions
        if "@" in rest:
            rest, listed = rest.rsplit("@", 1)
            model_precisions = listed.split(",")
        path, shape = rest.rsplit(":", 1)
        models.append((name, path, [shape], model_precisions))
    if args.bench_models:
        for name in ("bert_layer", "gpt2_block"):
            out = os.path.join(args.work, name + ".onnx")
            run([sys.executable, os.path.join(args.src, "bench", "models",
                                              name + ".py"), "-o", out])
            models.append((name, out, [],
                           args.bench_precisions.split(",")
                           if args.bench_precisions else precisions))
    if args.bench_kernels:
        for name, path, precision in bench_kernel_models(args.src,
                                                         args.work):
            models.append((name, path, [], [precision]))
    check = os.path.join(args.src, "scripts", "check-bundle.py")
    rows = []
    for name, path, shapes, model_precisions in models:
        for precision in model_precisions:
            label = name if precision == "fp32" else f"{name} {precision}"
            for target_arch in args.targets.split(","):
                target, arch = target_arch.split(":")
                out = os.path.join(args.work,
                                   f"{name}-{target}-{precision}")
                report = out + ".json"
                base = [os.path.join(args.bin, "fuse-compile"), path,
                        f"--target={target}", f"--precision={precision}"]
                for shape in shapes:
                    base += ["--input-shape", shape]
                run(base + ["--emit=ptx", "-o", out,
                            f"--fuse-report={report}"])
                with open(os.path.join(out, "plan.json")) as f:
                    plan = json.load(f)
                if plan["chip"] == arch + "a":
                    # wgmma: sm_90a PTX, which plain sm_90 does not take.
                    refused = run([args.ptxas, f"-arch={arch}",
                                   os.path.join(out, "model.ptx"), "-o",
                                   os.devnull], check=False)
                    if refused.returncode == 0:
                        print(f"FAILED: {label} {target}: {plan['chip']} "
                              f"PTX assembled for {arch}")
                        return 1
                    print(f"{label} {target}: chip {plan['chip']} (ptxas "
                          f"{arch} refuses it)")
                    arch = plan["chip"]
                elif plan["chip"] != arch:
                    print(f"FAILED: {label} {target}: chip {plan['chip']}, "
                          f"expected {arch}")
                    return 1
                kernels_json = out + ".kernels.json"
                lines = run([sys.executable, check, out, "--ptxas",
                             args.ptxas, "--arch", arch, "--json",
                             kernels_json]).stdout.splitlines()
                for line in lines:
                    print(f"{label} {target}: {line}")
                impls = {s["kernel"]: s.get("impl", "-")
                         for s in plan["steps"] if s["op"] == "launch"}
                with open(kernels_json) as f:
                    # In group order: group_N, then its group_N_K.
                    for kernel, k in sorted(
                            json.load(f)[arch].items(),
                            key=lambda kv: [int(n) for n in
                                            re.findall(r"\d+", kv[0])]):
                        rows.append((name, precision, target, arch, kernel,
                                     dict(k, impl=impls.get(kernel, "-"))))
                # The tiled module's groups (fuse-tile may split a group
                # around an attention kernel): kernel N is group N of it.
                tiled = out + ".tiled.mlir"
                run(base + ["--emit=tiled", "-o", tiled])
                with open(tiled) as f:
                    groups = f.read().count("= fuse.group(")
                with open(report) as f:
                    fused_groups = json.load(f)["groups"]
                launched = {s["kernel"] for s in plan["steps"]
                            if s["op"] == "launch"}
                # Groups that compute nothing (pure reshapes, empty tensors)
                # need no kernel; every launch is a kernel of one group
                # (group_N, and group_N_K for the further kernels of a group
                # that is several: a scatter, a concat of computed parts).
                def of_a_group(kernel):
                    m = re.fullmatch(r"group_(\d+)(?:_\d+)?", kernel)
                    return m is not None and int(m.group(1)) < groups
                extra = {k for k in launched if not of_a_group(k)}
                if extra:
                    print(f"FAILED: {label} {target}: launches that are not "
                          f"one group's kernel: {', '.join(sorted(extra))}")
                    return 1
                print(f"{label} {target}: {len(launched)} kernels for "
                      f"{groups} groups ({fused_groups} fused)")
                if check_kernel_choices(label, target, report, plan,
                                        launched):
                    return 1
    if args.report:
        write_report(args.report, rows)
        print(f"report: {len(rows)} kernels in {args.report}")
    print("all bundles ok")
    return 0


# Tile implementations with a kernel of their own; a group tuned for one
# that the GPU code generation gives the generic kernel says why.
OWN_KERNELS = ("mma_sync", "wgmma", "fma_gemm", "depthwise",
               "flash_attention")


def check_kernel_choices(label, target, report_path, plan, launched):
    """The fusion report's `kernel` (what codegen made of each group) against
    its `tile` (what the tuner chose): prints the count of groups tuned for a
    kernel of their own that got it and of those that fell back to the
    generic kernel; a fallback without a `generic_reason`, a launch without
    an `impl` in the plan, or a `gpu_kernels` count other than the plan's
    fails."""
    with open(report_path) as f:
        report = json.load(f)
    problems = []
    if report.get("gpu_kernels") != len(launched):
        problems.append(f"gpu_kernels {report.get('gpu_kernels')} for "
                        f"{len(launched)} launched kernels")
    missing = sorted(s["kernel"] for s in plan["steps"]
                     if s["op"] == "launch" and "impl" not in s)
    if missing:
        problems.append("launches without an impl: " + ", ".join(missing))
    got, fell = 0, []
    for group in report["group_list"]:
        impl = group.get("tile", "").split(":")[0]
        if impl not in OWN_KERNELS or "kernel" not in group:
            continue
        if impl in group["kernel"].split("+"):
            got += 1
            continue
        fell.append(group["id"])
        if not group.get("generic_reason"):
            problems.append(f"group {group['id']} tuned {impl} got "
                            f"{group['kernel']} without a generic_reason")
    if problems:
        print(f"FAILED: {label} {target}: " + "; ".join(problems))
        return True
    print(f"{label} {target}: {got + len(fell)} groups tuned for their own "
          f"kernel: {got} got it, {len(fell)} generic with a reason"
          + (f" ({', '.join(map(str, fell))})" if fell else ""))
    return False


def write_report(path, rows):
    """One Markdown table per model: a row per kernel and (target,
    precision, arch)."""
    with open(path, "w") as f:
        f.write("# GPU kernels: registers, spills, shared memory\n\n")
        f.write("Written by `test/e2e/Inputs/gpu_bundles.py --report` "
                "(test/e2e/gpu-bundles.test; `ptxas -v` of each bundle's "
                "model.ptx through scripts/check-bundle.py). Spills: bytes "
                "of spill stores / loads; smem: static shared memory "
                "(dynamic shared memory, sized at launch, is not "
                "counted); implementation: the kernel the GPU code "
                "generation emitted (the plan's `impl`; generic where it "
                "declined the tuned one, the fusion report says why). "
                "Regenerate: `lit build/test/e2e/gpu-bundles.test "
                "&& cp build/test/e2e/Output/gpu-bundles.test.tmp/kernels.md "
                "bench/gpu-kernels.md`.\n\n")
        f.write("| bundle | kernels | max registers | kernels that spill "
                "| max smem (bytes) |\n|---|---|---|---|---|\n")
        summary = {}
        for name, precision, target, arch, kernel, k in rows:
            key = (name, precision, target, arch)
            s = summary.setdefault(key, [0, 0, 0, 0])
            s[0] += 1
            s[1] = max(s[1], k["registers"])
            s[2] += 1 if k["spill_stores"] or k["spill_loads"] else 0
            s[3] = max(s[3], k["smem"])
        for (name, precision, target, arch), s in summary.items():
            f.write(f"| {name} {precision} {target} ({arch}) | {s[0]} | "
                    f"{s[1]} | {s[2]} | {s[3]} |\n")
        current = None
        for name, precision, target, arch, kernel, k in rows:
            key = (name, precision, target, arch)
            if key != current:
                current = key
                f.write(f"\n## {name} {precision} {target} ({arch})\n\n"
                        "| kernel | implementation | registers | "
                        "spill stores / loads | smem | stack |\n"
                        "|---|---|---|---|---|---|\n")
            f.write(f"| {kernel} | {k['impl']} | {k['registers']} | "
                    f"{k['spill_stores']} / "
                    f"{k['spill_loads']} | {k['smem']} | {k['stack']} |\n")


if __name__ == "__main__":
    sys.exit(main())
