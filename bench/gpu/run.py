#!/usr/bin/python3
"""Fuse's GPU suite (issue 8): one script, two phases.

  /usr/bin/python3 bench/gpu/run.py prepare --out bench/gpu/prepared [--quick]
      [--bin build/bin] [--compile-timeout 900] [--only REGEX]
  python3 bench/gpu/run.py run --in bench/gpu/prepared --results bench/results
      [--runs 20] [--only REGEX] [--tuning-db DB] [--work DIR]

prepare (here, CPU only, needs fuse-compile and python3-onnx) writes every
case as ONNX, compiles it with `fuse-compile --target=h100 --emit=ptx` and
writes DIR/manifest.json. A case that does not compile keeps its command and
the compiler's error line. Large ONNX files are not carried: GEMM and
attention inputs are generated on the device (seeded); BERT/GPT-2 ONNX are
regenerated there by bench/models (same seed; sha256 checked); the PP-OCRv4
ONNX files are copied (onnxruntime needs them).

run (the GPU machine: torch with CUDA, onnxruntime, matplotlib) times each
compiled bundle with fuse-cuda-run and its peer in the same process, and
writes RESULTS/<date>-<gpu>.json/.csv, plots and a Markdown table.
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import suite  # noqa: E402

OCR_DIR = os.path.join(ROOT, "third_party", "npm", "node_modules",
                       "@gutenye", "ocr-models", "assets")
SEED = 0


# --------------------------------------------------------------- ONNX ----
def _onnx():
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    return onnx, TensorProto, helper, numpy_helper


def onnx_dtype(name):
    _, TP, _, _ = _onnx()
    return {"fp16": TP.FLOAT16, "bf16": TP.BFLOAT16, "fp32": TP.FLOAT}[name]


def gemm_model(m, n, k, dtype, path):
    """Y = A·B, A[m,k], B[k,n] in `dtype` (one MatMul)."""
    onnx, _, h, _ = _onnx()
    t = onnx_dtype(dtype)
    graph = h.make_graph(
        [h.make_node("MatMul", ["A", "B"], ["Y"])], "gemm",
        [h.make_tensor_value_info("A", t, [m, k]),
         h.make_tensor_value_info("B", t, [k, n])],
        [h.make_tensor_value_info("Y", t, [m, n])])
    onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 17)]),
              path)


def attention_model(batch, heads, seq, dim, causal, path):
    """softmax(Q·Kᵀ·(1/√D) [causal Where]) · V on fp16 [B,H,S,D] inputs, as
    fuse-rewrite recognizes it (Transpose + MatMul, Mul by a splat, a
    constant lower-triangular bool condition with finfo(fp16).min)."""
    import numpy as np
    onnx, TP, h, nh = _onnx()
    shape = [batch, heads, seq, dim]
    nodes = [h.make_node("Transpose", ["K"], ["Kt"], perm=[0, 1, 3, 2]),
             h.make_node("MatMul", ["Q", "Kt"], ["scores"]),
             h.make_node("Mul", ["scores", "scale"], ["scaled"])]
    inits = [nh.from_array(np.array(1 / np.sqrt(dim), np.float16), "scale")]
    last = "scaled"
    if causal:
        inits += [nh.from_array(np.tril(np.ones((seq, seq), bool))[None, None],
                                "causal_mask"),
                  nh.from_array(np.array(np.finfo(np.float16).min,
                                         np.float16), "fill")]
        nodes.append(h.make_node("Where", ["causal_mask", "scaled", "fill"],
                                 ["masked"]))
        last = "masked"
    nodes += [h.make_node("Softmax", [last], ["probs"], axis=-1),
              h.make_node("MatMul", ["probs", "V"], ["O"])]
    graph = h.make_graph(
        nodes, "attention",
        [h.make_tensor_value_info(n, TP.FLOAT16, shape) for n in "QKV"],
        [h.make_tensor_value_info("O", TP.FLOAT16, shape)], inits)
    onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid("", 17)]),
              path)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def error_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    for line in lines:
        if "error:" in line:
            return line.strip()
    return lines[-1].strip() if lines else "(no output)"


# ------------------------------------------------------------ prepare ----
def model_cases(quick):
    cases = []
    for name, file, inp, shape in suite.OCR_MODELS:
        if quick and name != "ocr_cls":
            continue
        cases.append({"name": name, "kind": "model", "source": "ocr",
                      "onnx_file": file,
                      "inputs": [{"name": inp, "shape": shape,
                                  "dtype": "f32", "fill": "uniform01"}]})
    if not quick:
        for name, script in (("bert_layer", "bert_layer.py"),
                             ("gpt2_block", "gpt2_block.py")):
            inputs = [{"name": "hidden_states", "shape": [1, 128, 768],
                       "dtype": "f32", "fill": "normal"}]
            if name == "bert_layer":
                inputs.append({"name": "attention_mask",
                               "shape": [1, 1, 1, 128], "dtype": "f32",
                               "fill": "zeros"})
            cases.append({"name": name, "kind": "model", "source": "generated",
                          "generator": ["bench/models/" + script,
                                        "--seed", "0"],
                          "inputs": inputs})
    return cases


def prepare(args):
    out = os.path.abspath(args.out)
    work = os.path.abspath(args.work or out + ".work")
    os.makedirs(out, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    fuse_compile = os.path.join(args.bin, "fuse-compile")
    if not os.access(fuse_compile, os.X_OK):
        sys.exit(f"error: {fuse_compile} not found (build first, or --bin)")
    only = re.compile(args.only) if args.only else None
    cases = []

    def compile_case(case, onnx_path, precision, suffix="", extra=()):
        entry = dict(case)
        entry["name"] = case["name"] + suffix
        entry["precision"] = precision
        bundle = os.path.join("bundles", entry["name"])
        cmd = [fuse_compile, onnx_path, "--target=h100",
               f"--precision={precision}", *extra, "--emit=ptx", "-o",
               os.path.join(out, bundle)]
        shutil.rmtree(os.path.join(out, bundle), ignore_errors=True)
        entry["command"] = " ".join(cmd)
        start = time.time()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=args.compile_timeout)
            rc, log = proc.returncode, proc.stdout + proc.stderr
        except subprocess.TimeoutExpired:
            rc, log = None, f"error: fuse-compile timed out after " \
                            f"{args.compile_timeout} s"
        entry["compile_s"] = round(time.time() - start, 2)
        if rc == 0 and os.path.exists(os.path.join(out, bundle,
                                                   "plan.json")):
            entry["bundle"] = bundle
            entry["bundle_bytes"] = dir_bytes(os.path.join(out, bundle))
            entry["error"] = None
        else:
            entry["bundle"] = None
            entry["error"] = error_line(log)
            shutil.rmtree(os.path.join(out, bundle), ignore_errors=True)
        print(f"{entry['name']}: " + (f"bundle {bundle}" if entry["bundle"]
                                      else f"FAILED: {entry['error']}"),
              flush=True)
        cases.append(entry)

    for case in suite.gemm_cases(args.quick):
        if only and not only.search(case["name"]):
            continue
        p = case["params"]
        path = os.path.join(work, case["name"] + ".onnx")
        gemm_model(p["M"], p["N"], p["K"], p["dtype"], path)
        case["inputs"] = [
            {"name": "A", "shape": [p["M"], p["K"]], "dtype": p["dtype"],
             "fill": "normal"},
            {"name": "B", "shape": [p["K"], p["N"]], "dtype": p["dtype"],
             "fill": "normal"}]
        compile_case(case, path, p["dtype"])

    for case in suite.attention_cases(args.quick):
        if only and not only.search(case["name"]):
            continue
        p = case["params"]
        path = os.path.join(work, case["name"] + ".onnx")
        attention_model(p["batch"], p["heads"], p["seq"], p["dim"],
                        p["causal"], path)
        shape = [p["batch"], p["heads"], p["seq"], p["dim"]]
        case["inputs"] = [{"name": n, "shape": shape, "dtype": "fp16",
                           "fill": "normal"} for n in "QKV"]
        # fuse-rewrite must make it one fuse.attention (causal as the flag).
        check = [fuse_compile, path, "--target=h100", "--precision=fp16",
                 "--emit=rewritten"]
        try:
            proc = subprocess.run(check, capture_output=True, text=True,
                                  timeout=args.compile_timeout)
            text = proc.stdout
            ops = re.findall(r"= fuse\.(\w+)", text)
            attn = [l for l in text.splitlines() if "fuse.attention" in l]
            case["recognized"] = (
                ops.count("attention") == 1 and "softmax" not in ops
                and "matmul" not in ops
                and all(("causal = true" in l) == p["causal"] for l in attn))
        except subprocess.TimeoutExpired:
            case["recognized"] = None
        case["recognize_command"] = " ".join(check)
        compile_case(case, path, "fp16")
        if os.path.getsize(path) > (64 << 20):
            os.remove(path)  # the S=16384 causal mask: 256 MiB

    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    for case in model_cases(args.quick):
        if only and not only.search(case["name"]):
            continue
        if case["source"] == "ocr":
            src = os.path.join(OCR_DIR, case["onnx_file"])
            if not os.path.exists(src):
                case.update(bundle=None, error=f"error: {src} not found",
                            command=None)
                cases.append(case)
                continue
            local = os.path.join("onnx", case["onnx_file"])
            shutil.copyfile(src, os.path.join(out, local))
            case["onnx"] = local
            path = os.path.join(out, local)
        else:
            path = os.path.join(work, case["name"] + ".onnx")
            gen = [sys.executable, os.path.join(ROOT, case["generator"][0])] \
                + case["generator"][1:] + ["-o", path]
            subprocess.run(gen, check=True, capture_output=True)
            case["onnx_sha256"] = sha256(path)
            case["onnx"] = None  # regenerated on the device
        extra = [f"--input-shape={i['name']}=" + "x".join(map(str, i["shape"]))
                 for i in case["inputs"]] if case["source"] == "ocr" else []
        for precision in args.model_precisions.split(","):
            compile_case(case, path, precision, "" if precision == "fp32"
                         else "_" + precision, extra)

    runner = os.path.join(args.bin, "fuse-cuda-run")
    os.makedirs(os.path.join(out, "bin"), exist_ok=True)
    if os.path.exists(runner):
        shutil.copy2(runner, os.path.join(out, "bin", "fuse-cuda-run"))
        runner_rel = "bin/fuse-cuda-run"
    else:
        runner_rel = None
    manifest = {
        "format": "fuse-gpu-bench", "version": 1,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"),
        "git": subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"],
                              capture_output=True, text=True).stdout.strip(),
        "target": "h100", "quick": args.quick, "seed": SEED,
        "runner": runner_rel,
        "runner_note": None if runner_rel else
        f"{runner} did not exist when prepare ran; run needs it",
        "cases": cases,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    size = dir_bytes(out)
    compiled = sum(1 for c in cases if c.get("bundle"))
    print(f"prepare: {compiled}/{len(cases)} cases compiled, {out}: "
          f"{size / (1 << 20):.1f} MiB")
    if size > args.max_mib * (1 << 20):
        print(f"warning: {out} is over {args.max_mib} MiB (the device "
              f"tool carries 64 MiB); use --only to split the suite")


# ---------------------------------------------------------------- run ----
def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="phase", required=True)
    p = sub.add_parser("prepare", help="build and compile (no GPU)")
    p.add_argument("--out", required=True)
    p.add_argument("--work", help="ONNX scratch dir (default OUT.work)")
    p.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    p.add_argument("--quick", action="store_true",
                   help="one GEMM 1024³ fp16, one attention S=1024 D=64, cls")
    p.add_argument("--only", help="regex on case names")
    p.add_argument("--compile-timeout", type=int, default=900)
    p.add_argument("--max-mib", type=int, default=60)
    p.add_argument("--model-precisions", default="fp32,fp16",
                   help="precisions of the model bundles (each BERT/GPT-2 "
                   "bundle carries ~27 MiB of weights)")
    r = sub.add_parser("run", help="measure (GPU machine)")
    r.add_argument("--in", dest="inp", required=True)
    r.add_argument("--results", default=os.path.join(ROOT, "bench",
                                                     "results"))
    r.add_argument("--work", default="/tmp/fuse-gpu-bench")
    r.add_argument("--runs", type=int, default=suite.MIN_RUNS)
    r.add_argument("--only", help="regex on case names")
    r.add_argument("--tuning-db")
    r.add_argument("--no-compile", action="store_true",
                   help="skip torch.compile")
    args = parser.parse_args()
    if args.phase == "prepare":
        prepare(args)
    else:
        import measure  # torch side; fails with one line without CUDA
        sys.exit(measure.run(args))


if __name__ == "__main__":
    main()
