"""Rewriting, fusion and tiling must not change numbers: every ONNX backend
node case that runs unfused (run_cases.py's run) is compiled with
`fuse-compile --emit=fused` and `--emit=tiled` and run again on the same
inputs; the outputs must equal the unfused ones within 1e-5 relative
(integer and boolean outputs exactly).

Usage: run_fused.py FUSE_TRANSLATE FUSE_RUN FUSE_COMPILE [--rtol 1e-5]

Prints the counts and exits 1 on any mismatch or any fused compile or run
error of a case whose unfused run succeeded.
"""
import concurrent.futures
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(here)),
                                "scripts"))
import import_cases  # noqa: E402
import run_cases  # noqa: E402
from npycompare import compare_one  # noqa: E402

STAGES = ("fused", "tiled")


def fused_case(translate, fuse_run, fuse_compile, case, workdir, rtol):
    """Returns (status, message, groups): status is "same", "differs",
    "error" or "skipped" (the unfused run did not produce outputs)."""
    run_cases.run_case(translate, fuse_run, case, workdir)
    case_dir = os.path.join(workdir, case.name)
    module = os.path.join(workdir, case.name + ".mlir")
    outputs = [o.name for o in case.model.graph.output]
    ref_dir = os.path.join(case_dir, "out")
    if not all(os.path.exists(os.path.join(ref_dir, n + ".npy"))
               for n in outputs):
        return "skipped", "", 0
    groups = 0
    for stage in STAGES:
        compiled = os.path.join(workdir, f"{case.name}.{stage}.mlir")
        proc = subprocess.run([fuse_compile, module, f"--emit={stage}", "-o",
                               compiled],
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            return "error", f"fuse-compile --emit={stage}: " + \
                proc.stderr.strip(), groups
        if stage == "fused":
            groups = open(compiled).read().count("fuse.group(")
        out_dir = os.path.join(case_dir, stage)
        cmd = [fuse_run, compiled, "--output-dir", out_dir]
        # The unfused run's inputs (run_cases.py writes TensorProto files).
        for value in case.model.graph.input:
            for suffix in (".pb", ".npy"):
                path = os.path.join(case_dir, value.name + suffix)
                if os.path.exists(path):
                    cmd += ["--input", f"{value.name}={path}"]
                    break
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != 0:
            return "error", f"fuse-run ({stage}): " + proc.stderr.strip(), \
                groups
        for name in outputs:
            good, line = compare_one(
                os.path.join(out_dir, name + ".npy"),
                os.path.join(ref_dir, name + ".npy"), rtol, 0.0,
                f"{name} ({stage})", "unfused")
            if not good:
                return "differs", line, groups
    return "same", "", groups


def main():
    translate, fuse_run, fuse_compile = sys.argv[1:4]
    rtol = 1e-5
    if "--rtol" in sys.argv:
        rtol = float(sys.argv[sys.argv.index("--rtol") + 1])
    cases = import_cases.claimed_cases(translate)
    workdir = tempfile.mkdtemp(prefix="fuse-conformance-fused-")
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        results = list(pool.map(
            lambda c, d: fused_case(translate, fuse_run, fuse_compile, c, d,
                                    rtol), cases,
            import_cases.case_dirs(workdir, cases)))
    counts = {"same": 0, "differs": 0, "error": 0, "skipped": 0}
    groups = 0
    for case, (status, message, case_groups) in zip(cases, results):
        counts[status] += 1
        groups += case_groups
        if status in ("differs", "error"):
            print(f"{status.upper()} {case.name}: {message}")
    print(f"fused and tiled vs unfused: {counts['same']} same, {counts['differs']} "
          f"differ, {counts['error']} errors, {counts['skipped']} skipped "
          f"(not runnable unfused); {groups} groups in all")
    return 1 if counts["differs"] or counts["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
