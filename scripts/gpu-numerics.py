#!/usr/bin/env python3
"""GPU bundles against the CPU path, and against PyTorch, on the same inputs.

  gpu-numerics.py prepare --bin BIN --work DIR [--target T|auto]
      [--precisions fp32,fp16,bf16] [--case NAME=MODEL[:IN=DIMS,...]]...
      [--logit NAME:OUTPUT]... [--torch-cases] [--seed N]
  gpu-numerics.py device --work DIR [--runner CMD] [--torch-python PY]
  gpu-numerics.py all ...        prepare, then device (a GPU machine with
                                 the build: test/e2e/gpu-run-vs-cpu.test)
  gpu-numerics.py dry-run ...    prepare, then every check of `device` that
                                 needs no GPU (below)

prepare (no GPU): per case, the CPU path (`fuse-run MODEL --seed N`) gives
the inputs and the fp32 reference outputs; per precision, `fuse-compile
MODEL --target T --precision P --emit=ptx` the bundle. For fp16/bf16 the
tolerance comes from the precision itself: the model is run once more on
the CPU with the operands of every MatMul, Gemm and Conv rounded to fp16 or
bf16 (an ONNX Cast pair in front of each), which is what the tensor cores
see; the bundle must be within `--emu-factor` (4) times that emulated error
of the fp32 reference, and never looser than `--max-rtol` (0.25) nor tighter
than the precision's floor (`--rtol-fp16`, `--rtol-bf16`). fp32 bundles are
held to `--rtol-fp32` (1e-4). Errors are npycompare.py's: max |got - ref|
over max |ref|. `--logit NAME:OUTPUT` compares that output of that case as
log(y / (1 - y)): a sigmoid output near 0 (PP-OCRv4 det on random inputs)
is otherwise compared through exp() of its pre-activation's error.
`--torch-cases` adds fp16 and bf16 MatMul and attention (full and causal)
models whose reference is torch.matmul / scaled_dot_product_attention on
the GPU (`device`), or numpy in float64 (`dry-run`).
`--target auto` takes the GPU's sm_XX from `fuse-run --cuda-probe`.
Writes DIR/manifest.json; paths in it are relative to DIR, so DIR can be
carried to a GPU machine with only the runner (`fuse-cuda-run`, copied to
DIR/bin when BIN has it).

device (GPU): runs every bundle with `--input` the prepared inputs (runner:
DIR/bin/fuse-cuda-run, else BIN/fuse-run --device=cuda, or --runner) and
prints one line per output: `CASE PRECISION OUTPUT: max abs error ...,
max rel error ... ok|MISMATCH`; the torch references are computed by
`--torch-python` (default: python3 on PATH) running this script's
`torch-ref`. Exit status 1 on any mismatch or failed run.

dry-run (no GPU) checks what `device` relies on: each bundle's plan.json
names the inputs and outputs of the CPU run with the same shapes and
dtypes; each comparison accepts the reference against itself and rejects
it perturbed by 10x its tolerance; the emulated run is within its own
tolerance; the torch cases' references (numpy) match the CPU path's run of
the same fp16/bf16 model (prepare runs it; `device` compares the GPU with
it as well as with torch) within the tolerance used on the GPU.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import npycompare  # noqa: E402

# Target names of fuse-compile --target and their chips (TargetSpec.cpp).
TARGET_ARCH = {"a100": 80, "h100": 90, "h200": 90, "l4": 89, "rtx4090": 89}
# Device name fragments that name a target outright.
TARGET_NAMES = [("h200", "h200"), ("h100", "h100"), ("a100", "a100"),
                ("4090", "rtx4090"), ("l4", "l4")]
PRECISIONS = ("fp32", "fp16", "bf16")
# The ONNX ops whose operands the tensor cores take in fp16/bf16, and which
# of their inputs (data, weights; not the bias).
LOW_PRECISION_OPERANDS = {"MatMul": (0, 1), "Gemm": (0, 1), "Conv": (0, 1)}


class Failure(Exception):
    pass


def run(cmd, what, timeout=None, env=None):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise Failure(f"{what}: timed out after {timeout} s: "
                      f"{' '.join(cmd)}")
    except OSError as e:
        raise Failure(f"{what}: cannot run {cmd[0]}: {e}")
    if proc.returncode != 0:
        lines = [l for l in (proc.stderr + proc.stdout).splitlines()
                 if l.strip()]
        first = next((l for l in lines if "error" in l.lower()),
                     lines[0] if lines else "(no output)")
        raise Failure(f"{what}: exit {proc.returncode}: {first.strip()} "
                      f"[{' '.join(cmd)}]")
    return proc.stdout


# ------------------------------------------------------------ targets ----
def pick_target(probe_line):
    """The fuse-compile target for the device `NAME (sm_XY)` that
    `fuse-run --cuda-probe` printed: the one its name names, else the one
    of its chip, else the newest older chip (PTX runs on later GPUs)."""
    m = re.search(r"\(sm_(\d+)\)", probe_line)
    if not m:
        raise Failure(f"cannot read the device's sm_XX from '{probe_line}'")
    sm = int(m.group(1))
    name = probe_line.lower()
    for fragment, target in TARGET_NAMES:
        if fragment in name and TARGET_ARCH[target] == sm:
            return target, sm
    exact = [t for t, a in TARGET_ARCH.items() if a == sm]
    if exact:
        return sorted(exact)[0], sm
    older = [(a, t) for t, a in TARGET_ARCH.items() if a < sm]
    if not older:
        raise Failure(f"no target for {probe_line} (targets: "
                      f"{', '.join(sorted(TARGET_ARCH))})")
    return max(older)[1], sm


def chip_runs_on(chip, sm):
    """Whether PTX for `chip` (sm_80, sm_90a) loads on an sm_`sm` device:
    plain PTX on the same or a later chip, sm_XXa only on sm_XX."""
    m = re.fullmatch(r"sm_(\d+)(a?)", chip)
    if not m:
        return False
    arch = int(m.group(1))
    return arch == sm if m.group(2) else arch <= sm


# ------------------------------------------------------------- models ----
def load_onnx(path):
    import onnx
    if path.endswith(".onnxtxt"):
        import onnx.parser
        with open(path) as f:
            return onnx.parser.parse_model(f.read())
    return onnx.load(path)


def emulated_model(src, dst, precision):
    """Writes `src` with the operands of every MatMul/Gemm/Conv rounded to
    `precision` (Cast to FLOAT16/BFLOAT16 and back to FLOAT)."""
    import onnx
    from onnx import TensorProto, helper
    model = load_onnx(src)
    to = TensorProto.FLOAT16 if precision == "fp16" else TensorProto.BFLOAT16
    opset = max([o.version for o in model.opset_import
                 if o.domain in ("", "ai.onnx")] or [0])
    # Cast to BFLOAT16 needs opset 13; before it bf16 rounding is computed:
    # q = 2^(floor(log2 max(|x|, 1e-30)) - 7), x' = floor(x / q + 0.5) q
    # (8 significant bits; log2 near a power of two may give one bit more or
    # less, and ties go up: close enough for a tolerance).
    arithmetic = to == TensorProto.BFLOAT16 and opset < 13
    if arithmetic:
        for cname, value in (("__emu_tiny", 1e-30), ("__emu_ln2", np.log(2)),
                             ("__emu_two", 2.0), ("__emu_bits", 7.0),
                             ("__emu_half", 0.5)):
            model.graph.initializer.append(helper.make_tensor(
                cname, TensorProto.FLOAT, [], [value]))
    nodes = []
    rounded = {}
    count = 0

    def round_arith(name, out):
        t = f"{name}__emu"
        return [helper.make_node("Abs", [name], [t + "_abs"]),
                helper.make_node("Max", [t + "_abs", "__emu_tiny"],
                                 [t + "_a"]),
                helper.make_node("Log", [t + "_a"], [t + "_ln"]),
                helper.make_node("Div", [t + "_ln", "__emu_ln2"],
                                 [t + "_log2"]),
                helper.make_node("Floor", [t + "_log2"], [t + "_e"]),
                helper.make_node("Sub", [t + "_e", "__emu_bits"],
                                 [t + "_qe"]),
                helper.make_node("Pow", ["__emu_two", t + "_qe"],
                                 [t + "_q"]),
                helper.make_node("Div", [name, t + "_q"], [t + "_s"]),
                helper.make_node("Add", [t + "_s", "__emu_half"],
                                 [t + "_h"]),
                helper.make_node("Floor", [t + "_h"], [t + "_r"]),
                helper.make_node("Mul", [t + "_r", t + "_q"], [out])]
    for node in model.graph.node:
        operands = LOW_PRECISION_OPERANDS.get(node.op_type)
        if operands and node.domain in ("", "ai.onnx"):
            for i in operands:
                if i >= len(node.input) or not node.input[i]:
                    continue
                name = node.input[i]
                if name not in rounded:
                    low = f"{name}__emu_{precision}"
                    back = f"{name}__emu_{precision}_f32"
                    if arithmetic:
                        nodes += round_arith(name, back)
                    else:
                        nodes.append(helper.make_node("Cast", [name], [low],
                                                      to=to))
                        nodes.append(helper.make_node(
                            "Cast", [low], [back], to=TensorProto.FLOAT))
                    rounded[name] = back
                    count += 1
                node.input[i] = rounded[name]
        nodes.append(node)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    onnx.save(model, dst)
    return count


def torch_case_model(kind, dtype, dims, causal, path):
    """An fp16/bf16 model whose reference is torch.matmul (kind matmul,
    dims M,N,K) or SDPA (kind attention, dims B,H,S,D; causal as torch
    exports it: Where(tril, scores, finfo.min))."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    t = TensorProto.FLOAT16 if dtype == "fp16" else TensorProto.BFLOAT16
    if kind == "matmul":
        m, n, k = dims
        graph = helper.make_graph(
            [helper.make_node("MatMul", ["A", "B"], ["Y"])], "matmul",
            [helper.make_tensor_value_info("A", t, [m, k]),
             helper.make_tensor_value_info("B", t, [k, n])],
            [helper.make_tensor_value_info("Y", t, [m, n])])
    else:
        b, h, s, d = dims
        shape = [b, h, s, d]
        scale = helper.make_tensor("scale", t, [], [1 / np.sqrt(d)]) \
            if dtype == "bf16" else numpy_helper.from_array(
                np.array(1 / np.sqrt(d), np.float16), "scale")
        nodes = [helper.make_node("Transpose", ["K"], ["Kt"],
                                  perm=[0, 1, 3, 2]),
                 helper.make_node("MatMul", ["Q", "Kt"], ["scores"]),
                 helper.make_node("Mul", ["scores", "scale"], ["scaled"])]
        inits = [scale]
        last = "scaled"
        if causal:
            lowest = float(np.finfo(np.float16).min) if dtype == "fp16" \
                else -3.3895313892515355e38  # the lowest finite bf16
            inits.append(numpy_helper.from_array(
                np.tril(np.ones((s, s), bool))[None, None], "mask"))
            inits.append(helper.make_tensor("fill", t, [], [lowest])
                         if dtype == "bf16" else numpy_helper.from_array(
                             np.array(lowest, np.float16), "fill"))
            nodes.append(helper.make_node("Where", ["mask", "scaled", "fill"],
                                          ["masked"]))
            last = "masked"
        nodes += [helper.make_node("Softmax", [last], ["P"], axis=-1),
                  helper.make_node("MatMul", ["P", "V"], ["O"])]
        graph = helper.make_graph(
            nodes, "attention",
            [helper.make_tensor_value_info(n, t, shape) for n in "QKV"],
            [helper.make_tensor_value_info("O", t, shape)], inits)
    onnx.save(helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17)]), path)


def round_bf16(x):
    """float32 values rounded to the nearest bf16 (ties to even), as f32."""
    bits = np.asarray(x, np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


def torch_case_inputs(kind, dtype, dims, seed):
    rng = np.random.default_rng(seed)
    if kind == "matmul":
        m, n, k = dims
        shapes = {"A": (m, k), "B": (k, n)}
    else:
        shapes = {n: tuple(dims) for n in "QKV"}
    arrays = {}
    for name, shape in shapes.items():
        x = rng.standard_normal(shape).astype(np.float32)
        # fp16 in .npy as f16; bf16 travels as f32 (docs/bundle.md), on the
        # bf16 grid so that every side reads the same numbers.
        arrays[name] = x.astype(np.float16) if dtype == "fp16" \
            else round_bf16(x)
    return arrays


def torch_reference(kind, dtype, causal, arrays, backend):
    """The reference output: torch on CUDA in the case's dtype, or numpy in
    float64 (the dry run). Returned as float32."""
    if backend == "numpy":
        x = {k: v.astype(np.float64) for k, v in arrays.items()}
        if kind == "matmul":
            return (x["A"] @ x["B"]).astype(np.float32)
        q, k, v = x["Q"], x["K"], x["V"]
        s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        if causal:
            n = s.shape[-1]
            s = np.where(np.tril(np.ones((s.shape[-2], n), bool)), s,
                         -np.inf)
        s = np.exp(s - s.max(-1, keepdims=True))
        return ((s / s.sum(-1, keepdims=True)) @ v).astype(np.float32)
    import torch
    # Reductions in fp32 (no split-K partial sums rounded to 16 bits): one
    # rounding of the output, as the tensor cores' fp32 accumulation.
    torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction = False
    torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction = False
    tdtype = torch.float16 if dtype == "fp16" else torch.bfloat16
    t = {k: torch.from_numpy(np.ascontiguousarray(v, np.float32)).to(
        "cuda", tdtype) for k, v in arrays.items()}
    with torch.no_grad():
        if kind == "matmul":
            out = torch.matmul(t["A"], t["B"])
        else:
            out = torch.nn.functional.scaled_dot_product_attention(
                t["Q"], t["K"], t["V"], is_causal=causal)
    torch.cuda.synchronize()
    return out.float().cpu().numpy()


# ------------------------------------------------------------ prepare ----
def parse_case(spec):
    if "=" not in spec:
        raise Failure(f"--case {spec}: expected NAME=MODEL[:IN=DIMS,...]")
    name, rest = spec.split("=", 1)
    shapes = []
    if ":" in rest and "=" in rest.rsplit(":", 1)[1]:
        rest, tail = rest.rsplit(":", 1)
        shapes = tail.split(",")
    if not re.fullmatch(r"[\w.-]+", name):
        raise Failure(f"--case {spec}: the name must be letters, digits, "
                      f"'_', '-' or '.'")
    return name, os.path.abspath(rest), shapes


def npy_dtype(plan_dtype):
    # bf16 travels as f32 in .npy (docs/bundle.md).
    return {"f32": "float32", "bf16": "float32", "f16": "float16",
            "f64": "float64", "i64": "int64", "i32": "int32", "i8": "int8",
            "u8": "uint8", "i1": "bool"}.get(plan_dtype, plan_dtype)


def bundle_io(bundle_dir):
    with open(os.path.join(bundle_dir, "plan.json")) as f:
        plan = json.load(f)
    buffers = {b["id"]: b for b in plan["buffers"]}
    io = {}
    for side in ("inputs", "outputs"):
        io[side] = [{"name": e["name"],
                     "shape": buffers[e["buffer"]]["shape"],
                     "dtype": buffers[e["buffer"]]["dtype"]}
                    for e in plan[side]]
    io["chip"] = plan.get("chip", "")
    return io


def tolerance(args, precision, emu_err):
    floor = {"fp32": args.rtol_fp32, "fp16": args.rtol_fp16,
             "bf16": args.rtol_bf16}[precision]
    if emu_err is None:
        return floor
    return min(args.max_rtol, max(floor, args.emu_factor * emu_err))


def logit(x):
    x = np.asarray(x, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x) - np.log1p(-x)


def compare_arrays(got, ref, rtol, label, use_logit=False):
    """npycompare's comparison on arrays (through temporary .npy files so
    that the one implementation decides), optionally in logit space."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        if use_logit:
            got, ref = logit(got), logit(ref)
        np.save(os.path.join(d, "got.npy"), got)
        np.save(os.path.join(d, "ref.npy"), ref)
        return npycompare.compare_one(os.path.join(d, "got.npy"),
                                      os.path.join(d, "ref.npy"), rtol, 0.0,
                                      label + (" (logit)" if use_logit
                                               else ""))


def prepare(args):
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    fuse_compile = os.path.join(args.bin, "fuse-compile")
    fuse_run = os.path.join(args.bin, "fuse-run")
    target, sm = args.target, None
    if target == "auto":
        probe = run([fuse_run, "--cuda-probe"], "fuse-run --cuda-probe",
                    timeout=120).strip()
        target, sm = pick_target(probe)
        print(f"target {target} (sm_{TARGET_ARCH[target]}) for {probe}")
    elif target not in TARGET_ARCH:
        raise Failure(f"--target={target}: expected auto or one of "
                      f"{', '.join(sorted(TARGET_ARCH))}")
    precisions = [p for p in args.precisions.split(",") if p]
    for p in precisions:
        if p not in PRECISIONS:
            raise Failure(f"--precisions: unknown {p}")
    logits = set(args.logit)
    cases = []
    for spec in args.case:
        name, model, shapes = parse_case(spec)
        cdir = os.path.join(work, name)
        shutil.rmtree(cdir, ignore_errors=True)
        os.makedirs(cdir)
        shape_flags = []
        for s in shapes:
            shape_flags += ["--input-shape", s]
        ref = os.path.join(cdir, "ref")
        run([fuse_run, model, *shape_flags, "--seed", str(args.seed),
             "--output-dir", ref], f"{name}: CPU run", args.timeout)
        case = {"name": name, "model": model, "reference": "cpu",
                "bundles": {}}
        for p in precisions:
            bundle = os.path.join(cdir, p)
            try:
                run([fuse_compile, model, *shape_flags, f"--target={target}",
                     f"--precision={p}", "--emit=ptx", "-o", bundle],
                    f"{name} {p}: fuse-compile", args.timeout)
            except Failure as e:
                # One bundle that does not compile fails the check, not
                # the other bundles.
                case["bundles"][p] = {"error": str(e)}
                print(f"{name} {p}: FAILED: {e}", flush=True)
                continue
            io = bundle_io(bundle)
            if sm is not None and not chip_runs_on(io["chip"], sm):
                raise Failure(f"{name} {p}: the bundle's chip {io['chip']} "
                              f"does not run on sm_{sm}")
            case.setdefault("inputs", io["inputs"])
            case.setdefault("outputs", io["outputs"])
            entry = {"bundle": os.path.relpath(bundle, work),
                     "chip": io["chip"], "rtol": {}, "emulated": {}}
            if io["inputs"] != case["inputs"] or \
                    io["outputs"] != case["outputs"]:
                raise Failure(f"{name} {p}: the bundle's inputs/outputs "
                              f"differ from the fp32 bundle's")
            emu_dir = None
            if p != "fp32":
                emu_model = os.path.join(cdir, f"emulated-{p}.onnx")
                rounded = emulated_model(model, emu_model, p)
                emu_dir = os.path.join(cdir, f"emulated-{p}")
                run([fuse_run, emu_model, *shape_flags,
                     *[f"--input={i['name']}=" +
                       os.path.join(ref, i["name"] + ".npy")
                       for i in io["inputs"]],
                     "--output-dir", emu_dir], f"{name} {p}: emulated CPU run",
                    args.timeout)
                entry["rounded_operands"] = rounded
            for out in io["outputs"]:
                oname = out["name"]
                use_logit = f"{name}:{oname}" in logits
                emu_err = None
                if emu_dir:
                    ok, line = compare_arrays(
                        np.load(os.path.join(emu_dir, oname + ".npy")),
                        np.load(os.path.join(ref, oname + ".npy")), 0.0,
                        f"{name} {p} {oname} emulated", use_logit)
                    m = re.search(r"max rel error (\S+)", line)
                    emu_err = float(m.group(1))
                    entry["emulated"][oname] = emu_err
                entry["rtol"][oname] = tolerance(args, p, emu_err)
            if emu_dir and not args.keep:
                shutil.rmtree(emu_dir)
                os.remove(os.path.join(cdir, f"emulated-{p}.onnx"))
            case["bundles"][p] = entry
            emu_note = ", ".join(
                f"{o} {e:.2e}" for o, e in entry["emulated"].items())
            print(f"{name} {p}: bundle {entry['bundle']} ({io['chip']}), "
                  f"rtol " + ", ".join(f"{o} {r:.2e}" for o, r in
                                       entry["rtol"].items()) +
                  (f" (emulated {p} error {emu_note})" if emu_note else ""),
                  flush=True)
        case["logit"] = sorted(o["name"] for o in case["outputs"]
                               if f"{name}:{o['name']}" in logits)
        cases.append(case)
    if args.torch_cases is not None:
        cases += prepare_torch_cases(args, work, fuse_compile, target, sm)
    runner = os.path.join(args.bin, "fuse-cuda-run")
    if os.path.exists(runner):
        os.makedirs(os.path.join(work, "bin"), exist_ok=True)
        shutil.copy2(runner, os.path.join(work, "bin", "fuse-cuda-run"))
    manifest = {"format": "fuse-gpu-numerics", "target": target,
                "seed": args.seed, "cases": cases}
    with open(os.path.join(work, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    bundles = [e for c in cases for e in c["bundles"].values()]
    failed = sum(1 for e in bundles if "error" in e)
    print(f"prepared {len(bundles) - failed} bundles of {len(cases)} cases "
          f"in {work}" + (f"; {failed} did not compile" if failed else ""))
    return manifest


TORCH_CASES = [
    # kind, dims, causal: M,N,K or B,H,S,D; partial tiles in each.
    ("matmul", (200, 136, 96), False),
    # K = 4096: with fp16/bf16 accumulation the error grows past the
    # tolerance (~sqrt(K) roundings of a sum ~sqrt(K)); fp32 accumulation
    # (torch's, the tensor cores') stays at one output rounding.
    ("matmul", (128, 64, 4096), False),
    ("attention", (2, 3, 130, 64), False),
    ("attention", (1, 2, 200, 128), True),
]
TORCH_RTOL = {"fp16": 5e-3, "bf16": 2e-2}


def prepare_torch_cases(args, work, fuse_compile, target, sm):
    cases = []
    only = re.compile(args.torch_cases)
    for kind, dims, causal in TORCH_CASES:
        for dtype in ("fp16", "bf16"):
            name = f"torch_{kind}_{dtype}_" + "x".join(map(str, dims)) + \
                ("_causal" if causal else "")
            if not only.search(name):
                continue
            cdir = os.path.join(work, name)
            shutil.rmtree(cdir, ignore_errors=True)
            os.makedirs(os.path.join(cdir, "ref"))
            model = os.path.join(cdir, "model.onnx")
            torch_case_model(kind, dtype, dims, causal, model)
            arrays = torch_case_inputs(kind, dtype, dims, args.seed)
            for k, v in arrays.items():
                np.save(os.path.join(cdir, "ref", k + ".npy"), v)
            # The CPU path on the same model and inputs (fp32 accumulation,
            # one rounding, like torch and the tensor cores): the GPU is
            # compared with it too.
            run([os.path.join(args.bin, "fuse-run"), model,
                 *[f"--input={k}=" + os.path.join(cdir, "ref", k + ".npy")
                   for k in arrays], "--output-dir",
                 os.path.join(cdir, "cpu")],
                f"{name}: CPU run", args.timeout)
            bundle = os.path.join(cdir, dtype)
            out = "Y" if kind == "matmul" else "O"
            try:
                run([fuse_compile, model, f"--target={target}",
                     f"--precision={dtype}", "--emit=ptx", "-o", bundle],
                    f"{name}: fuse-compile", args.timeout)
            except Failure as e:
                print(f"{name} {dtype}: FAILED: {e}", flush=True)
                entry = {"error": str(e)}
            else:
                io = bundle_io(bundle)
                if sm is not None and not chip_runs_on(io["chip"], sm):
                    raise Failure(f"{name}: the bundle's chip {io['chip']} "
                                  f"does not run on sm_{sm}")
                entry = {"bundle": os.path.relpath(bundle, work),
                         "chip": io["chip"],
                         "rtol": {out: TORCH_RTOL[dtype]}, "emulated": {}}
            plan_dtype = "f16" if dtype == "fp16" else "bf16"
            out_shape = [dims[0], dims[1]] if kind == "matmul" else list(dims)
            inputs = [{"name": k, "shape": list(v.shape), "dtype": plan_dtype}
                      for k, v in arrays.items()]
            outputs = [{"name": out, "shape": out_shape, "dtype": plan_dtype}]
            if "error" not in entry and (io["inputs"] != inputs or
                                         io["outputs"] != outputs):
                raise Failure(f"{name}: plan.json's inputs {io['inputs']} "
                              f"and outputs {io['outputs']} are not the "
                              f"model's {inputs} and {outputs}")
            cases.append({
                "name": name, "model": model, "reference": "torch",
                "kind": kind, "dtype": dtype, "dims": list(dims),
                "causal": causal,
                "inputs": inputs, "outputs": outputs,
                "logit": [], "bundles": {dtype: entry}})
            if "error" in entry:
                continue
            print(f"{name}: bundle {os.path.relpath(bundle, work)} "
                  f"({io['chip']}), rtol {TORCH_RTOL[dtype]:.1e} against "
                  f"torch", flush=True)
    return cases


# ------------------------------------------------------------- device ----
def load_manifest(work):
    path = os.path.join(work, "manifest.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise Failure(f"cannot read {path}: {e} (run prepare first)")


def runner_command(args, work):
    if args.runner:
        return args.runner.split()
    local = os.path.join(work, "bin", "fuse-cuda-run")
    if os.access(local, os.X_OK):
        return [local]
    if args.bin:
        return [os.path.join(args.bin, "fuse-run"), "--device=cuda"]
    raise Failure("no runner: give --runner or --bin, or prepare with a "
                  "BIN that has fuse-cuda-run")


def torch_refs(args, work, cases):
    """Computes every torch case's reference with --torch-python in one
    process (torch-ref), into CASE/torch/."""
    todo = [c for c in cases if c["reference"] == "torch"]
    if not todo:
        return
    cmd = [args.torch_python, os.path.abspath(__file__), "torch-ref",
           "--work", work, "--backend", "torch"]
    print(run(cmd, "torch references", args.timeout), end="")


def device(args, manifest=None):
    work = os.path.abspath(args.work)
    manifest = manifest or load_manifest(work)
    cases = manifest["cases"]
    runner = runner_command(args, work)
    ok = True
    torch_error = None
    try:
        torch_refs(args, work, cases)
    except Failure as e:
        # The CPU-referenced cases still run.
        torch_error = str(e)
        if any(c["reference"] == "torch" for c in cases):
            print(f"FAILED: {e}")
            ok = False
    for case in cases:
        if case["reference"] == "torch" and torch_error:
            print(f"{case['name']}: FAILED: no torch reference")
            continue
        cdir = os.path.join(work, case["name"])
        ref = os.path.join(cdir, "ref" if case["reference"] == "cpu"
                           else "torch")
        inputs = os.path.join(cdir, "ref")
        for p, entry in case["bundles"].items():
            if "error" in entry:
                print(f"{case['name']} {p}: FAILED: no bundle: "
                      f"{entry['error']}")
                ok = False
                continue
            got = os.path.join(cdir, f"gpu-{p}")
            shutil.rmtree(got, ignore_errors=True)
            try:
                run(runner + [os.path.join(work, entry["bundle"]),
                              *[f"--input={i['name']}=" +
                                os.path.join(inputs, i["name"] + ".npy")
                                for i in case["inputs"]],
                              "--output-dir", got],
                    f"{case['name']} {p}: GPU run", args.timeout)
            except Failure as e:
                print(f"{case['name']} {p}: FAILED: {e}")
                ok = False
                continue
            for out in case["outputs"]:
                o = out["name"]
                files = [os.path.join(got, o + ".npy"),
                         os.path.join(ref, o + ".npy")]
                missing = [f for f in files if not os.path.exists(f)]
                if missing:
                    print(f"{case['name']} {p} {o}: FAILED: no {missing[0]}")
                    ok = False
                    continue
                good, line = compare_arrays(
                    np.load(files[0]), np.load(files[1]), entry["rtol"][o],
                    f"{case['name']} {p} {o}", o in case["logit"])
                print(line, flush=True)
                ok &= good
                if case["reference"] != "torch":
                    continue
                # The torch cases against the CPU path as well.
                cpu = os.path.join(cdir, "cpu", o + ".npy")
                if not os.path.exists(cpu):
                    print(f"{case['name']} {p} {o}: FAILED: no {cpu}")
                    ok = False
                    continue
                good, line = compare_arrays(
                    np.load(files[0]), np.load(cpu), entry["rtol"][o],
                    f"{case['name']} {p} {o} vs CPU path")
                print(line, flush=True)
                ok &= good
    print("all GPU outputs match" if ok else "GPU MISMATCH")
    return ok


def torch_ref_command(args):
    work = os.path.abspath(args.work)
    manifest = load_manifest(work)
    for case in manifest["cases"]:
        if case["reference"] != "torch":
            continue
        cdir = os.path.join(work, case["name"])
        arrays = {i["name"]: np.load(os.path.join(cdir, "ref",
                                                  i["name"] + ".npy"))
                  for i in case["inputs"]}
        out = torch_reference(case["kind"], case["dtype"], case["causal"],
                              arrays, args.backend)
        os.makedirs(os.path.join(cdir, args.backend), exist_ok=True)
        np.save(os.path.join(cdir, args.backend,
                             case["outputs"][0]["name"] + ".npy"), out)
    if args.backend == "torch":
        import torch
        print(f"torch {torch.__version__} on "
              f"{torch.cuda.get_device_name()}: references written")
    else:
        print("numpy references written")
    return True


# ------------------------------------------------------------ dry run ----
def dry_run(args, manifest):
    """What `device` relies on, checked without a GPU."""
    work = os.path.abspath(args.work)
    fuse_run = os.path.join(args.bin, "fuse-run")
    ok = True

    def check(good, line):
        nonlocal ok
        print(("" if good else "FAILED: ") + line, flush=True)
        ok &= good

    torch_ref_command(argparse.Namespace(work=work, backend="numpy"))
    for case in manifest["cases"]:
        cdir = os.path.join(work, case["name"])
        inputs = os.path.join(cdir, "ref")
        failed = [p for p, e in case["bundles"].items() if "error" in e]
        for p in failed:
            check(False, f"{case['name']} {p}: no bundle: "
                  f"{case['bundles'][p]['error']}")
        if case["reference"] == "cpu":
            ref = inputs
        else:
            # The GPU's stand-in: the CPU path on the same fp16/bf16 model
            # (run by prepare).
            ref = os.path.join(cdir, "numpy")
            cpu = os.path.join(cdir, "cpu")
        for i in case["inputs"] + case["outputs"]:
            path = os.path.join(inputs if i in case["inputs"] else
                                (ref if case["reference"] == "cpu" else cpu),
                                i["name"] + ".npy")
            if not os.path.exists(path):
                check(False, f"{case['name']}: plan.json names {i['name']} "
                      f"but the CPU run wrote no {path}")
                continue
            a = np.load(path)
            good = list(a.shape) == i["shape"] and \
                a.dtype == np.dtype(npy_dtype(i["dtype"]))
            check(good, f"{case['name']}: {i['name']} {list(a.shape)} "
                  f"{a.dtype} as plan.json {i['shape']} {i['dtype']}")
        for p, entry in case["bundles"].items():
            if "error" in entry and case["reference"] == "cpu":
                continue
            for out in case["outputs"]:
                o = out["name"]
                use_logit = o in case["logit"]
                r = np.load(os.path.join(ref, o + ".npy"))
                rtol = entry.get("rtol", {}).get(o, 0.0)
                if case["reference"] == "torch":
                    # The model means what the reference computes: the CPU
                    # path (fp32 accumulation, one rounding) is held to the
                    # GPU's tolerance.
                    got = np.load(os.path.join(cpu, o + ".npy"))
                    good, line = compare_arrays(
                        got, r, TORCH_RTOL[case["dtype"]],
                        f"{case['name']} {p} {o} CPU path vs numpy")
                    check(good, line)
                    if "error" in entry:
                        continue
                same, line = compare_arrays(r, r, rtol, "self", use_logit)
                check(same and "max abs error 0.000e+00" in line,
                      f"{case['name']} {p} {o}: the reference against "
                      f"itself: {line}")
                # Perturbed by 10x the tolerance (of the largest magnitude,
                # in the space compared): must be rejected.
                base = logit(r) if use_logit else r.astype(np.float64)
                finite = np.abs(base[np.isfinite(base)])
                scale = float(finite.max()) if finite.size else 1.0
                bad = base.copy()
                bad.flat[bad.size // 2] += 10 * rtol * (scale or 1.0)
                if use_logit:
                    bad = 1 / (1 + np.exp(-bad))
                rejected, line = compare_arrays(bad.astype(r.dtype), r, rtol,
                                                "perturbed", use_logit)
                check(not rejected,
                      f"{case['name']} {p} {o}: a 10x-tolerance error is "
                      f"rejected: {line}")
                if o in entry["emulated"]:
                    check(entry["emulated"][o] <= rtol,
                          f"{case['name']} {p} {o}: emulated error "
                          f"{entry['emulated'][o]:.2e} within rtol "
                          f"{rtol:.2e}")
    print("dry run ok" if ok else "DRY RUN FAILED")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("prepare", "all", "dry-run"):
        p = sub.add_parser(name)
        p.add_argument("--bin", required=True)
        p.add_argument("--work", required=True)
        p.add_argument("--target", default="auto" if name == "all"
                       else "h100")
        p.add_argument("--precisions", default="fp32,fp16,bf16")
        p.add_argument("--case", action="append", default=[])
        p.add_argument("--logit", action="append", default=[],
                       help="CASE:OUTPUT compared as log(y/(1-y))")
        p.add_argument("--torch-cases", nargs="?", const=".", default=None,
                       metavar="REGEX",
                       help="add the PyTorch cases (those whose name "
                       "matches REGEX)")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--rtol-fp32", type=float, default=1e-4)
        p.add_argument("--rtol-fp16", type=float, default=2e-3)
        p.add_argument("--rtol-bf16", type=float, default=1e-2)
        p.add_argument("--emu-factor", type=float, default=4.0)
        p.add_argument("--max-rtol", type=float, default=0.25)
        p.add_argument("--keep", action="store_true",
                       help="keep the emulated runs")
    for name in ("device", "all"):
        p = sub.choices[name] if name in sub.choices else sub.add_parser(name)
        if name == "device":
            p.add_argument("--work", required=True)
            p.add_argument("--bin", default="")
        p.add_argument("--runner", default="",
                       help="the bundle runner command (default: "
                       "WORK/bin/fuse-cuda-run or BIN/fuse-run --device=cuda)")
        p.add_argument("--torch-python", default="python3")
    for p in sub.choices.values():
        p.add_argument("--timeout", type=int, default=900,
                       help="seconds per command")
    t = sub.add_parser("torch-ref")
    t.add_argument("--work", required=True)
    t.add_argument("--backend", choices=("torch", "numpy"), default="torch")
    args = parser.parse_args()
    try:
        if args.command == "torch-ref":
            return 0 if torch_ref_command(args) else 1
        if args.command == "device":
            return 0 if device(args) else 1
        if not args.case and args.torch_cases is None:
            raise Failure("nothing to do: give --case or --torch-cases")
        manifest = prepare(args)
        if args.command == "prepare":
            return 1 if any("error" in e for c in manifest["cases"]
                            for e in c["bundles"].values()) else 0
        if args.command == "all":
            return 0 if device(args, manifest) else 1
        return 0 if dry_run(args, manifest) else 1
    except Failure as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
