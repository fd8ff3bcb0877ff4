"""python3 -m fuse: the fuse-compile command line, through the Python package.

    python3 -m fuse MODEL.onnx|MODEL.onnxtxt|FILE.mlir [--input-shape NAME=DIMS]...
        [--dim PARAM=N]... [--target=h100] [--precision=fp32|tf32|fp16|bf16]
        --emit=fuse|rewritten|fused|tiled [-o OUT]
        [--fuse-report=REPORT.json|-] [--fuse-report-dot=FILE.dot]
        [--fuse-tile-config=GROUP=CONFIG]... [--tuning-db=PATH]

Same flags, outputs and errors as fuse-compile: one line ``error: ...``,
exit status 1, no output file written.
"""

import argparse
import os
import sys

import fuse


def _fail(message):
    print(f"error: {message}", file=sys.stderr)
    return 1


def _write_all(files):
    """Writes [(path, text)] ('-' is stdout); the files are kept only when
    every write succeeds (each is written next to its path, then renamed)."""
    written = []
    try:
        for path, text in files:
            if path == "-":
                continue
            temp = f"{path}.fuse-tmp{os.getpid()}"
            try:
                with open(temp, "w") as f:
                    f.write(text)
            except OSError as e:
                return _fail(f"cannot open output file '{path}': "
                             f"{e.strerror}")
            written.append((temp, path))
        for path, text in files:
            if path == "-":
                sys.stdout.write(text)
        sys.stdout.flush()
        for temp, path in written:
            os.replace(temp, path)
        written = []
        return 0
    finally:
        for temp, _ in written:
            try:
                os.remove(temp)
            except OSError:
                pass


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m fuse",
        description="Fuse compiler (the fuse-compile flags)")
    parser.add_argument("model", nargs="?", default="",
                        help="model.onnx, model.onnxtxt or module.mlir")
    parser.add_argument("--input-shape", action="append", default=[],
                        help="Bind a graph input's shape: NAME=1x3x224x224")
    parser.add_argument("--dim", action="append", default=[],
                        help="Bind a named dim parameter: PARAM=VALUE")
    parser.add_argument("--target", default="h100", help="GPU target (h100)")
    parser.add_argument("--precision", default="fp32",
                        help="fp32 (default), tf32, fp16 or bf16")
    parser.add_argument("--emit", default="",
                        help="Stage to write: fuse (imported), rewritten, "
                             "fused, tiled, gpu or ptx (a bundle directory)")
    parser.add_argument("--fuse-tile-config", action="append", default=[],
                        help="Override a group's tile configuration: "
                             "GROUP=IMPL:NAME=VALUE,...")
    parser.add_argument("--tuning-db", default="",
                        help="SQLite tuning database to reuse and extend")
    parser.add_argument("-o", dest="output", default="", help="Output file")
    parser.add_argument("--fuse-report", default="",
                        help="Write the fusion report as JSON (- for a "
                             "summary on standard output)")
    parser.add_argument("--fuse-report-dot", default="",
                        help="Write a Graphviz picture of the fused groups")
    args = parser.parse_args(argv)

    if not args.model:
        return _fail("no model given")
    if args.emit not in fuse.STAGES:
        return _fail("--emit=fuse|rewritten|fused|tiled|gpu|ptx is required"
                     if not args.emit else
                     f"unknown --emit={args.emit} (expected fuse, rewritten, "
                     f"fused, tiled, gpu or ptx)")
    grouped = args.emit not in ("fuse", "rewritten")
    if (args.fuse_report or args.fuse_report_dot) and not grouped:
        return _fail("--fuse-report and --fuse-report-dot need --emit=fused, "
                     "tiled, gpu or ptx")
    bundle = args.emit == "ptx"
    if bundle and args.output in ("", "-"):
        return _fail("--emit=ptx writes a bundle directory: give it with "
                     "-o DIR")
    try:
        compiled = fuse.compile(
            args.model, input_shapes=args.input_shape, dims=args.dim,
            target=args.target,
            precision=args.precision, emit=args.emit,
            tile_configs=args.fuse_tile_config,
            tuning_db=args.tuning_db or None, keep_snapshots=False,
            dot=bool(args.fuse_report_dot), name=args.model)
    except fuse.CompileError as e:
        print(e.diagnostic, file=sys.stderr)
        return 1
    except ValueError as e:
        return _fail(str(e))

    files = []
    summary_on_stdout = args.fuse_report == "-"
    out = args.output or ("" if summary_on_stdout else "-")
    if out and not bundle:
        files.append((out, compiled.mlir() + "\n"))
    if args.fuse_report:
        if summary_on_stdout:
            files.append(("-", compiled.summary))
        else:
            files.append((args.fuse_report, compiled.report_json + "\n"))
    if args.fuse_report_dot:
        files.append((args.fuse_report_dot, compiled.dot))
    status = _write_all(files)
    if status == 0 and bundle:
        try:
            compiled.save_bundle(args.output)
        except fuse.CompileError as e:
            print(e.diagnostic, file=sys.stderr)
            return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
