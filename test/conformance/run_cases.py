"""Runs every ONNX backend node case whose ops Fuse claims through fuse-run
and compares with the case's expected outputs at ONNX's tolerances (rtol
1e-3, atol 1e-7).

Usage: run_cases.py FUSE_TRANSLATE FUSE_RUN REPORT.md [--expected-failures F]

Per case: pass, fail (import error, lowering or run error, or wrong
numbers), or unsupported (the importer's explicit unsupported-feature
diagnostics). The report has a per-op table. Prints the counts and exits 1
when a case fails that F does not list (one case name per line, `#` starts a
reason), or when a case F lists passes (so that F only ever shrinks).
"""
import concurrent.futures
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import import_cases  # noqa: E402

RTOL, ATOL = 1e-3, 1e-7


def bf16_to_f32(value):
    """ONNX test data holds bfloat16 as its uint16 bits; fuse-run carries
    bfloat16 as float32 .npy files."""
    if value.dtype == np.uint16:
        return (value.astype(np.uint32) << 16).view(np.float32)
    return value.astype(np.float32)


def run_case(translate, fuse_run, case, workdir):
    names = [i.name for i in case.model.graph.input]
    status, message, module = import_cases.import_case(translate, case, workdir)
    if status != "pass":
        return status, message
    if not case.data_sets:
        return "unsupported", "no test data"
    inputs, expected = case.data_sets[0]
    remaining = {i.name for i in case.model.graph.input}
    case_dir = os.path.join(workdir, case.name)
    os.makedirs(case_dir, exist_ok=True)
    cmd = [fuse_run, module, "--output-dir", os.path.join(case_dir, "out")]
    bf16 = {v.name for v in list(case.model.graph.input) +
            list(case.model.graph.output)
            if v.type.tensor_type.elem_type == onnx.TensorProto.BFLOAT16}
    for name, value in zip(names, inputs):
        if name not in remaining:
            continue
        path = os.path.join(case_dir, name + ".npy")
        value = np.asarray(value)
        if name in bf16:
            value = bf16_to_f32(value)
        np.save(path, value)
        cmd += ["--input", f"{name}={path}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        err = proc.stderr.strip().splitlines()
        return "fail", (err[0] if err else f"exit {proc.returncode}")
    for output, want in zip(case.model.graph.output, expected):
        got = np.load(os.path.join(case_dir, "out", output.name + ".npy"))
        want = np.asarray(want)
        if output.name in bf16:
            want = bf16_to_f32(want)
        if got.shape != want.shape:
            return "fail", f"{output.name}: shape {got.shape}, expected {want.shape}"
        if want.dtype.kind in "fc":
            if not np.allclose(got.astype(np.float64), want.astype(np.float64),
                               rtol=RTOL, atol=ATOL, equal_nan=True):
                diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
                return "fail", f"{output.name}: max abs error {np.nanmax(diff):.3e}"
        elif not np.array_equal(got, want):
            return "fail", f"{output.name}: values differ"
    return "pass", ""


def main():
    translate, fuse_run, report = sys.argv[1:4]
    expected = set()
    if "--expected-failures" in sys.argv:
        path = sys.argv[sys.argv.index("--expected-failures") + 1]
        for line in open(path):
            name = line.split("#", 1)[0].strip()
            if name:
                expected.add(name)
    cases = import_cases.claimed_cases(translate)
    workdir = tempfile.mkdtemp(prefix="fuse-conformance-run-")
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        results = list(pool.map(
            lambda c: run_case(translate, fuse_run, c, workdir), cases))
    totals = import_cases.write_report(report, "execution with fuse-run",
                                       cases, results)
    print(f"conformance run: {totals['pass']} passed, {totals['fail']} failed, "
          f"{totals['unsupported']} unsupported (report: {report})")
    bad = 0
    for case, (status, message) in zip(cases, results):
        if status == "fail" and case.name not in expected:
            print(f"FAIL {case.name}: {message}")
            bad += 1
        elif status == "pass" and case.name in expected:
            print(f"UNEXPECTED PASS {case.name}: remove it from the list")
            bad += 1
    print(f"conformance regressions: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
