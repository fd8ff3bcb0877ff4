"""Imports every ONNX backend node case whose ops the importer claims.

Usage: import_cases.py FUSE_TRANSLATE REPORT.md

A case passes when fuse-translate imports it. It is "unsupported" when the
importer rejects it with an explicit unsupported-feature diagnostic (an
element type such as double, an attribute form, a runtime value where the
importer needs a constant, an output shape that depends on input data);
those are listed, not hidden. Anything else —
a crash, a wrong-shape error, a malformed-model error on a valid model — fails
the run.
"""
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_cases  # noqa: E402


def claimed_ops(translate):
    """The ONNX op types of `fuse-translate --list-onnx-ops`."""
    listing = subprocess.run([translate, "--list-onnx-ops"], check=True,
                             capture_output=True, text=True).stdout
    claimed = set()
    for line in listing.splitlines()[2:]:
        op = line.split("|")[1].strip()
        claimed.add(op if "." not in op else op.rsplit(".", 1)[1])
    return claimed


def claimed_cases(translate):
    """The node cases all of whose ops are claimed."""
    claimed = claimed_ops(translate)
    return [c for c in onnx_cases.node_cases()
            if all(n.op_type in claimed for n in c.model.graph.node)]


UNSUPPORTED = re.compile(
    r"unsupported|not supported|must be known at import time|"
    r"only the inference form|is not matmul-shaped|only two-input Einsum|"
    r"is not a tensor|is not static after shape inference|"
    r"needs inputs known at import time")


# Inputs that determine shapes (slice bounds, axes, target shapes, scales)
# are graph inputs in these cases; Fuse compiles for static shapes, so the
# harness turns them into initializers holding the case's own input data.
SHAPE_INPUTS = {
    "Reshape": {1}, "Expand": {1}, "Tile": {1}, "Slice": {1, 2, 3, 4},
    "Squeeze": {1}, "Unsqueeze": {1}, "Split": {1}, "Pad": {1, 2, 3},
    "Resize": {1, 2, 3}, "Upsample": {1}, "ConstantOfShape": {0},
    "Range": {0, 1, 2}, "ReduceSum": {1}, "ReduceMean": {1},
    "ReduceMax": {1}, "ReduceMin": {1}, "ReduceProd": {1}, "ReduceL1": {1},
    "ReduceL2": {1}, "ReduceLogSum": {1}, "ReduceLogSumExp": {1},
    "ReduceSumSquare": {1}, "Clip": {1, 2}, "CumSum": {1}, "OneHot": {1},
    "Compress": {1}, "HannWindow": {0}, "HammingWindow": {0},
    "BlackmanWindow": {0}, "TopK": {1},
}


def bind_shape_inputs(case):
    from onnx import numpy_helper
    model = case.model
    graph = model.graph
    names = {i.name for i in graph.input}
    wanted = set()
    for node in graph.node:
        for position in SHAPE_INPUTS.get(node.op_type, ()):
            if position < len(node.input) and node.input[position] in names:
                wanted.add(node.input[position])
    if not wanted or not case.data_sets:
        return model
    inputs = case.data_sets[0][0]
    keep = []
    for index, value in enumerate(graph.input):
        if value.name in wanted and index < len(inputs):
            graph.initializer.append(
                numpy_helper.from_array(inputs[index], value.name))
        else:
            keep.append(value)
    del graph.input[:]
    graph.input.extend(keep)
    return model


def case_dirs(workdir, cases):
    """One directory per case under `workdir` (by position: the 1.12 data
    has two cases of one name, which would otherwise share, and race on,
    their files when run in parallel)."""
    dirs = []
    for i in range(len(cases)):
        path = os.path.join(workdir, str(i))
        os.makedirs(path, exist_ok=True)
        dirs.append(path)
    return dirs


def import_case(translate, case, workdir):
    """Imports one case; returns (status, message, module path)."""
    path = os.path.join(workdir, case.name + ".onnx")
    with open(path, "wb") as f:
        f.write(bind_shape_inputs(case).SerializeToString())
    out = os.path.join(workdir, case.name + ".mlir")
    proc = subprocess.run([translate, "--import-onnx", path, "-o", out],
                          capture_output=True, text=True, timeout=120)
    err = proc.stderr.strip().splitlines()
    line = err[0] if err else ""
    if proc.returncode == 0:
        return "pass", "", out
    if proc.returncode == 1 and len(err) == 1 and UNSUPPORTED.search(line):
        return "unsupported", line, None
    return "fail", "\n".join(err[:3]) or f"exit {proc.returncode}", None


def write_report(report, title, cases, results):
    """Writes the per-op table; returns the status counter."""
    per_op = collections.defaultdict(collections.Counter)
    for case, (status, _) in zip(cases, results):
        for op in sorted({n.op_type for n in case.model.graph.node}):
            per_op[op][status] += 1
    totals = collections.Counter(status for status, _ in results)
    os.makedirs(os.path.dirname(os.path.abspath(report)), exist_ok=True)
    with open(report, "w") as f:
        f.write(f"# ONNX backend node cases: {title}\n\n")
        f.write(f"{len(cases)} cases use only claimed ops: {totals['pass']} pass, "
                f"{totals['unsupported']} unsupported, {totals['fail']} fail.\n\n")
        f.write("| op | pass | unsupported | fail |\n|---|---|---|---|\n")
        for op in sorted(per_op):
            c = per_op[op]
            f.write(f"| {op} | {c['pass']} | {c['unsupported']} | {c['fail']} |\n")
        f.write("\n## Not passing\n\n")
        for case, (status, message) in sorted(zip(cases, results),
                                              key=lambda r: r[0].name):
            if status != "pass":
                f.write(f"- {case.name} ({status}): {message}\n")
    return totals


def main():
    translate, report = sys.argv[1], sys.argv[2]
    cases = claimed_cases(translate)
    workdir = tempfile.mkdtemp(prefix="fuse-conformance-")
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        results = list(pool.map(lambda c, d: import_case(translate, c, d)[:2],
                                cases, case_dirs(workdir, cases)))
    totals = write_report(report, "import", cases, results)
    for case, (status, message) in zip(cases, results):
        if status == "fail":
            print(f"FAIL {case.name}: {message}")
    print(f"conformance import: {totals['pass']} passed, {totals['fail']} failed, "
          f"{totals['unsupported']} unsupported (report: {report})")
    return 1 if totals["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
