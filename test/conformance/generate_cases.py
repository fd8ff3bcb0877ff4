#!/usr/bin/python3
"""Writes the ONNX backend node test cases to disk, generated locally from
Debian's python3-onnx 1.12 (no download, nothing committed).

Usage: /usr/bin/python3 test/conformance/generate_cases.py [--out DIR] [--force] [--quiet]

Layout (the one `onnx.backend.test.cmd_tools generate-data` writes, without
its node/ level):

  DIR/<case_name>/model.onnx
  DIR/<case_name>/test_data_set_0/input_<i>.pb, output_<i>.pb
  DIR/cases.txt   the case names, one a line
  DIR/.stamp      what generated them (onnx/numpy versions, this script's hash)

Idempotent: when DIR/.stamp matches, nothing is regenerated. Generation goes
to a temporary sibling directory that replaces DIR only once complete, so an
interrupted run never leaves a half-written DIR behind.

The generator still uses numpy aliases that numpy 1.24 removed
(np.float/int/bool/object); they are restored before it is imported.
Two 1.12 generators emit a name twice (test_reduce_sum_negative_axes_keepdims_random,
test_resize_tf_crop_and_resize); as with generate-data, the later one wins.
"""
import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import sys
import time
import warnings

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO_ROOT, "build", "conformance-cases")
STAMP = ".stamp"


def fail(message):
    print(f"generate_cases: error: {message}", file=sys.stderr)
    sys.exit(1)


def import_generator():
    try:
        import numpy as np
    except ImportError:
        fail("numpy is missing (apt-get install python3-numpy; run with /usr/bin/python3)")
    for name, alias in (("float", float), ("int", int), ("bool", bool),
                        ("object", object)):
        if name not in np.__dict__:
            setattr(np, name, alias)
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        fail("onnx is missing (apt-get install python3-onnx; run with /usr/bin/python3)")
    return np, onnx, numpy_helper


def collect_cases():
    """All node test cases (name, model, data_sets); generator noise hidden."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        from onnx.backend.test.case import node
        return node.collect_testcases(None)


def serialize(numpy_helper, value, value_info):
    """A data-set value as a serialized proto, by the graph input/output type."""
    kind = value_info.type.WhichOneof("value")
    if kind == "map_type":
        proto = numpy_helper.from_dict(value, value_info.name)
    elif kind == "sequence_type":
        proto = numpy_helper.from_list(value, value_info.name)
    elif kind == "optional_type":
        proto = numpy_helper.from_optional(value, value_info.name)
    elif kind == "tensor_type":
        proto = numpy_helper.from_array(value, value_info.name)
    else:
        raise ValueError(f"'{value_info.name}' has unsupported type kind {kind}")
    return proto.SerializeToString()


def write_case(numpy_helper, case, case_dir):
    if os.path.exists(case_dir):   # a duplicate name: the later case wins
        shutil.rmtree(case_dir)
    os.makedirs(case_dir)
    with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    graph = case.model.graph
    for i, (inputs, outputs) in enumerate(case.data_sets):
        data_dir = os.path.join(case_dir, f"test_data_set_{i}")
        os.makedirs(data_dir)
        for prefix, values, infos in (("input", inputs, graph.input),
                                      ("output", outputs, graph.output)):
            for j, value in enumerate(values):
                with open(os.path.join(data_dir, f"{prefix}_{j}.pb"), "wb") as f:
                    f.write(serialize(numpy_helper, value, infos[j]))


def read_stamp(out):
    try:
        with open(os.path.join(out, STAMP)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def main():
    parser = argparse.ArgumentParser(
        prog="generate_cases.py",
        description="Write the ONNX backend node test cases (python3-onnx) to disk.")
    parser.add_argument("--out", default=DEFAULT_OUT,
                        help="output directory (default: %(default)s)")
    parser.add_argument("--force", action="store_true",
                        help="regenerate even if up to date; replace a DIR this script did not make")
    parser.add_argument("--quiet", action="store_true",
                        help="print nothing on success")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    start = time.monotonic()

    np, onnx, numpy_helper = import_generator()
    with open(os.path.abspath(__file__), "rb") as f:
        script_hash = hashlib.sha256(f.read()).hexdigest()[:16]
    want = {"onnx": onnx.__version__, "numpy": np.__version__,
            "script": script_hash}

    stamp = read_stamp(out)
    if not isinstance(stamp, dict):
        stamp = None
    done = stamp.get("cases") if stamp else None
    if (not args.force and isinstance(done, list) and done
            and {k: stamp.get(k) for k in want} == want
            and all(isinstance(name, str) and
                    os.path.isfile(os.path.join(out, name, "model.onnx"))
                    for name in done)):
        if not args.quiet:
            print(f"{len(stamp['cases'])} ONNX node cases up to date in {out}")
        return 0
    if (os.path.isdir(out) and os.listdir(out) and stamp is None
            and not args.force):
        fail(f"{out} exists and was not made by this script; "
             "remove it or pass --force")
    if os.path.exists(out) and not os.path.isdir(out):
        fail(f"{out} exists and is not a directory")

    try:
        cases = collect_cases()
    except Exception as e:  # the generator itself failed
        fail(f"the onnx {onnx.__version__} node test generator failed: "
             f"{type(e).__name__}: {e}")
    if not cases:
        fail(f"the onnx {onnx.__version__} node test generator produced no cases")

    parent = os.path.dirname(out)
    tmp = f"{out}.tmp-{os.getpid()}"
    try:
        os.makedirs(parent, exist_ok=True)
        if os.path.exists(tmp):
            shutil.rmtree(tmp)
        os.makedirs(tmp)
        names = []
        for case in cases:
            if case.kind != "node" or case.model is None or not case.data_sets:
                continue
            write_case(numpy_helper, case, os.path.join(tmp, case.name))
            if case.name not in names:
                names.append(case.name)
        names.sort()
        with open(os.path.join(tmp, "cases.txt"), "w") as f:
            f.write("".join(name + "\n" for name in names))
        with open(os.path.join(tmp, STAMP), "w") as f:
            json.dump(dict(want, cases=names), f, indent=0)
        if os.path.isdir(out):
            shutil.rmtree(out)
        os.rename(tmp, out)
    except Exception as e:
        shutil.rmtree(tmp, ignore_errors=True)
        fail(f"cannot write the cases to {out}: {type(e).__name__}: {e}")
    except KeyboardInterrupt:
        shutil.rmtree(tmp, ignore_errors=True)
        fail("interrupted")

    if not args.quiet:
        print(f"generated {len(names)} ONNX node cases (onnx {onnx.__version__}) "
              f"in {out} in {time.monotonic() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
