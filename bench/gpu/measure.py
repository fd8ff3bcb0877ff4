"""The `run` phase of bench/gpu/run.py: times every compiled bundle with
fuse-cuda-run and its peer (torch / onnxruntime) in the same process on
the GPU machine. Needs PyTorch with CUDA; numpy; onnx, onnxruntime and
matplotlib where present (each missing one is said in the results).

Timing. Peers: CUDA events around one call, 3 warm-up calls, median of
--runs (≥ 20) calls, a 256 MiB buffer written between calls (L2 flush);
each peer is also timed without the flush ("warm L2") because Fuse's
runner times its runs back to back: `fuse-cuda-run --time N` does one
warm-up run, then N runs with CUDA events, no flush between them (unless
its --help lists --flush-l2, which is then passed). The ratio is taken
against the peer measured the same way as Fuse (warm L2 unless the runner
flushed); both peer figures are in the results.
"""
import csv
import datetime
import json
import os
import re
import subprocess
import sys

import suite

LARGE_INPUT_BYTES = 1 << 30  # above this the runner seeds its own inputs


def fail(msg):
    print(f"error: {msg}", file=sys.stderr)
    return 1


def run(args):
    try:
        import torch
    except ImportError as e:
        return fail(f"run needs PyTorch with a CUDA device: {e}")
    if not torch.cuda.is_available():
        return fail("run needs PyTorch with a CUDA device: "
                    "torch.cuda.is_available() is False")
    import numpy as np
    bench = Bench(args, torch, np)
    return bench.main()


class Bench:
    def __init__(self, args, torch, np):
        self.args, self.torch, self.np = args, torch, np
        self.dir = os.path.abspath(args.inp)
        with open(os.path.join(self.dir, "manifest.json")) as f:
            self.manifest = json.load(f)
        self.gpu = torch.cuda.get_device_name(0)
        self.work = os.path.abspath(args.work)
        os.makedirs(self.work, exist_ok=True)
        self.flush_buf = torch.empty(suite.L2_FLUSH_BYTES // 4,
                                     dtype=torch.int32, device="cuda")
        self.runner = None
        self.runner_flushes = False
        if self.manifest.get("runner"):
            path = os.path.join(self.dir, self.manifest["runner"])
            if os.access(path, os.X_OK):
                self.runner = path
                help_text = subprocess.run([path, "--help"],
                                           capture_output=True, text=True)
                self.runner_flushes = "--flush-l2" in (help_text.stdout +
                                                       help_text.stderr)
        self.rows = []
        self.notes = []

    # -- timing -----------------------------------------------------------
    def timer(self):
        torch = self.torch
        s = torch.cuda.Event(enable_timing=True)
        e = torch.cuda.Event(enable_timing=True)

        def start():
            s.record()

        def stop():
            e.record()
            e.synchronize()
            return s.elapsed_time(e)
        return start, stop

    def flush(self):
        self.flush_buf.fill_(1)

    def time_peer(self, fn):
        cold = suite.measure(fn, self.timer, self.args.runs, flush=self.flush)
        warm = suite.measure(fn, self.timer, self.args.runs)
        for m in (cold, warm):
            m.pop("samples_ms")
        return cold, warm

    # -- inputs -----------------------------------------------------------
    def make_inputs(self, case):
        """Seeded numpy arrays (bf16 as f32: the runner's convention)."""
        np = self.np
        rng = np.random.default_rng(self.manifest.get("seed", 0))
        arrays = {}
        for spec in case["inputs"]:
            shape = spec["shape"]
            if spec["fill"] == "zeros":
                a = np.zeros(shape, np.float32)
            elif spec["fill"] == "uniform01":
                a = rng.random(shape, dtype=np.float32)
            else:
                a = rng.standard_normal(shape, dtype=np.float32)
            if spec["dtype"] == "fp16":
                a = a.astype(np.float16)
            arrays[spec["name"]] = a
        return arrays

    def torch_inputs(self, case, arrays):
        torch = self.torch
        out = {}
        for spec in case["inputs"]:
            t = torch.from_numpy(arrays[spec["name"]]).cuda()
            if spec["dtype"] == "bf16":
                t = t.to(torch.bfloat16)
            out[spec["name"]] = t
        return out

    # -- Fuse ------------------------------------------------------------
    def run_fuse(self, case, arrays):
        """(median ms, outputs or None, command, status)."""
        if not case.get("bundle"):
            return None, None, case.get("command"), "not compiled"
        if not self.runner:
            return None, None, None, "no fuse-cuda-run in the manifest"
        d = os.path.join(self.work, case["name"])
        os.makedirs(d, exist_ok=True)
        cmd = [self.runner, os.path.join(self.dir, case["bundle"])]
        feed = arrays is not None and sum(
            a.nbytes for a in arrays.values()) <= LARGE_INPUT_BYTES
        if feed:
            for name, a in arrays.items():
                path = os.path.join(d, f"in_{name}.npy")
                self.np.save(path, a)
                cmd += ["--input", f"{name}={path}"]
        json_path = os.path.join(d, "timing.json")
        cmd += ["--time", str(self.args.runs), "--json", json_path,
                "--output-dir", os.path.join(d, "out")]
        if self.runner_flushes:
            cmd.append("--flush-l2")
        proc = subprocess.run(cmd, capture_output=True, text=True)
        shown = " ".join(cmd)
        if proc.returncode != 0:
            lines = (proc.stderr or proc.stdout).strip().splitlines()
            return None, None, shown, lines[-1] if lines else \
                f"exit {proc.returncode}"
        ms = None
        if os.path.exists(json_path):
            with open(json_path) as f:
                ms = suite.total_median_ms(json.load(f))
        if ms is None:
            m = re.search(r"median ms:\s*([0-9.]+)\s*$", proc.stdout, re.M)
            ms = float(m.group(1)) if m else None
        outputs = None
        if feed:
            outputs = {}
            with open(os.path.join(self.dir, case["bundle"],
                                   "plan.json")) as f:
                names = [o["name"] for o in json.load(f)["outputs"]]
            for name in names:  # the out dir may hold generated inputs too
                path = os.path.join(d, "out", name + ".npy")
                if os.path.exists(path):
                    outputs[name] = self.np.load(path)
        return ms, outputs, shown, None if ms else "no timing in the output"

    # -- cases ------------------------------------------------------------
    def add(self, case, peer, fuse_ms, peer_t, status, cmd, err=None):
        cold, warm = peer_t if peer_t else (None, None)
        ref = cold if self.runner_flushes else warm
        row = {"kind": case["kind"], "name": case["name"],
               "params": case.get("params", {}), "peer": peer,
               "fuse_ms": fuse_ms,
               "peer_ms": ref["median_ms"] if ref else None,
               "peer_ms_l2_flushed": cold["median_ms"] if cold else None,
               "peer_ms_warm_l2": warm["median_ms"] if warm else None,
               "fuse_l2_flushed": self.runner_flushes,
               "status": status, "fuse_command": cmd, "max_rel_error": err}
        row["ratio"] = suite.ratio(fuse_ms, row["peer_ms"])
        if case.get("flops"):
            row["flops"] = case["flops"]
            row["fuse_tflops"] = suite.tflops(case["flops"], fuse_ms)
            row["peer_tflops"] = suite.tflops(case["flops"], row["peer_ms"])
        self.rows.append(row)
        print(f"{row['name']:32s} {peer:22s} fuse "
              f"{fuse_ms if fuse_ms else status} peer "
              f"{row['peer_ms']}", flush=True)

    def error_vs(self, outputs, ref):
        if not outputs or ref is None:
            return None
        out = next(iter(outputs.values())) if len(outputs) == 1 else None
        if out is None:
            return None
        return suite.max_rel_error(out.astype(self.np.float32),
                                   ref.float().cpu().numpy())

    def gemm(self, case):
        torch = self.torch
        arrays = self.make_inputs(case)
        t = self.torch_inputs(case, arrays)
        a, b = t["A"], t["B"]
        peer_t = self.time_peer(lambda: torch.matmul(a, b))
        ref = torch.matmul(a, b)
        ms, outs, cmd, status = self.run_fuse(case, arrays)
        self.add(case, "torch.matmul (cuBLAS)", ms, peer_t, status, cmd,
                 self.error_vs(outs, ref))

    def attention(self, case):
        torch = self.torch
        from torch.nn.attention import SDPBackend, sdpa_kernel
        import torch.nn.functional as F
        p = case["params"]
        shape = [p["batch"], p["heads"], p["seq"], p["dim"]]
        nbytes = 3 * 2 * shape[0] * shape[1] * shape[2] * shape[3]
        arrays = self.make_inputs(case) if nbytes <= LARGE_INPUT_BYTES \
            else None
        if arrays is not None:
            t = self.torch_inputs(case, arrays)
            q, k, v = t["Q"], t["K"], t["V"]
        else:
            g = torch.Generator(device="cuda").manual_seed(0)
            q, k, v = (torch.randn(shape, generator=g, device="cuda",
                                   dtype=torch.float16) for _ in range(3))

        def sdpa():
            with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
                return F.scaled_dot_product_attention(q, k, v,
                                                      is_causal=p["causal"])
        peer_t = self.time_peer(sdpa)
        ref = sdpa() if arrays is not None else None
        ms, outs, cmd, status = self.run_fuse(case, arrays)
        self.add(case, "SDPA flash", ms, peer_t, status, cmd,
                 self.error_vs(outs, ref))

    def model(self, case):
        import onnx_torch
        torch = self.torch
        onnx_path = self.model_onnx(case)
        arrays = self.make_inputs(case)
        ms, outs, cmd, status = self.run_fuse(case, arrays)
        if onnx_path is None:
            self.add(case, "(ONNX missing)", ms, None, status, cmd)
            return
        half = case.get("precision") == "fp16"
        # onnxruntime, CUDA EP when present.
        try:
            import onnxruntime as ort
            provs = ort.get_available_providers()
            if "CUDAExecutionProvider" not in provs:
                self.notes.append(f"{case['name']}: onnxruntime has no "
                                  f"CUDAExecutionProvider ({provs})")
            else:
                sess = ort.InferenceSession(
                    onnx_path, providers=["CUDAExecutionProvider"])
                feeds = {k: v for k, v in arrays.items()}
                binding = sess.io_binding()
                for k, v in feeds.items():
                    binding.bind_ortvalue_input(
                        k, ort.OrtValue.ortvalue_from_numpy(v, "cuda", 0))
                for o in sess.get_outputs():
                    binding.bind_output(o.name, "cuda")
                peer_t = self.time_peer(
                    lambda: sess.run_with_iobinding(binding))
                ref = sess.run(None, feeds)[0]
                err = self.error_vs(outs, torch.from_numpy(ref)) \
                    if outs else None
                self.add(case, "onnxruntime CUDA EP", ms, peer_t, status,
                         cmd, err)
        except Exception as e:  # noqa: BLE001 (say why, keep going)
            self.notes.append(f"{case['name']}: onnxruntime failed: {e}")
        # torch eager / torch.compile: the ONNX graph rebuilt as a torch
        # module from its weights (onnx_torch.py).
        try:
            module = onnx_torch.OnnxModule(onnx_path, torch).cuda()
            if half:
                module = module.half()
            t = self.torch_inputs(case, arrays)
            inputs = [t[s["name"]].half() if half else t[s["name"]]
                      for s in case["inputs"]]
            with torch.no_grad():
                peer_t = self.time_peer(lambda: module(*inputs))
                ref = module(*inputs)
                self.add(case, "torch eager", ms, peer_t, status, cmd,
                         self.error_vs(outs, ref))
                if not self.args.no_compile:
                    compiled = torch.compile(module)
                    compiled(*inputs)
                    peer_t = self.time_peer(lambda: compiled(*inputs))
                    self.add(case, "torch.compile", ms, peer_t, status, cmd,
                             self.error_vs(outs, compiled(*inputs)))
        except Exception as e:  # noqa: BLE001
            self.notes.append(f"{case['name']}: torch module failed: {e}")

    def model_onnx(self, case):
        if case.get("onnx"):
            return os.path.join(self.dir, case["onnx"])
        if not case.get("generator"):
            return None
        root = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
        path = os.path.join(self.work, case["name"].replace("_fp16", "") +
                            ".onnx")
        if not os.path.exists(path):
            subprocess.run([sys.executable,
                            os.path.join(root, case["generator"][0])] +
                           case["generator"][1:] + ["-o", path], check=True,
                           capture_output=True)
        import hashlib
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != case.get("onnx_sha256"):
            self.notes.append(f"{case['name']}: regenerated ONNX differs "
                              f"from the one compiled (sha256)")
        return path

    def fidelity(self):
        db = self.args.tuning_db or os.path.join(self.dir, "tuning.db")
        if not os.path.exists(db):
            return {"status": f"no measured tuning DB ({db} absent; "
                              f"fuse-compile --tune=measure --tuning-db=DB "
                              f"needs the GPU and the compiler)"}
        script = os.path.join(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))), "cost_model_fidelity.py")
        proc = subprocess.run([sys.executable, script, db, "--json"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return {"status": "fidelity script failed: " +
                    proc.stderr.strip().splitlines()[-1]}
        overall = json.loads(proc.stdout)["overall"]
        return {"spearman": overall.get("spearman"),
                "mape": overall.get("mape"),
                "top1": f"{overall.get('top1_hits')}/{overall.get('groups')}",
                "raw": overall, "db": db}

    def main(self):
        only = re.compile(self.args.only) if self.args.only else None
        for case in self.manifest["cases"]:
            if only and not only.search(case["name"]):
                continue
            try:
                getattr(self, case["kind"])(case)
            except Exception as e:  # noqa: BLE001
                self.notes.append(f"{case['name']}: {type(e).__name__}: {e}")
                print(f"{case['name']}: {e}", file=sys.stderr)
            # Results so far, so that a run cut by its timeout keeps them.
            self.write({"status": "not reached"}, final=False)
        fid = self.fidelity()
        return self.write(fid)

    def write(self, fid, final=True):
        os.makedirs(self.args.results, exist_ok=True)
        date = datetime.date.today().isoformat()
        gpu = re.sub(r"[^A-Za-z0-9]+", "-", self.gpu).strip("-")
        base = os.path.join(self.args.results, f"{date}-{gpu}")
        doc = {"gpu": self.gpu, "date": date,
               "torch": self.torch.__version__,
               "command": " ".join(sys.argv), "runs": self.args.runs,
               "fuse_runner_l2_flush": self.runner_flushes,
               "manifest_git": self.manifest.get("git"),
               "complete": final, "rows": self.rows, "fidelity": fid,
               "notes": self.notes}
        with open(base + ".json", "w") as f:
            json.dump(doc, f, indent=1)
        keys = ["kind", "name", "peer", "fuse_ms", "peer_ms",
                "peer_ms_l2_flushed", "peer_ms_warm_l2", "ratio",
                "fuse_tflops", "peer_tflops", "max_rel_error", "status"]
        with open(base + ".csv", "w", newline="") as f:
            w = csv.DictWriter(f, keys, extrasaction="ignore")
            w.writeheader()
            w.writerows(self.rows)
        table = suite.markdown_table(self.rows, fid)
        with open(base + ".md", "w") as f:
            f.write(f"{self.gpu}, {date}: `{doc['command']}`\n\n{table}\n")
        if not final:
            return 0
        plot(self.rows, base, self.notes)
        print(table)
        for n in self.notes:
            print("note:", n)
        print(f"wrote {base}.json .csv .md")
        return 0


def plot(rows, base, notes):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        notes.append("matplotlib missing: no plots")
        return
    for kind, fname in (("gemm", "gemm"), ("attention", "attention")):
        sel = [r for r in rows if r["kind"] == kind]
        if not sel:
            continue
        fig, ax = plt.subplots(figsize=(10, 4))
        names = [r["name"] for r in sel]
        x = range(len(sel))
        ax.bar([i - 0.2 for i in x], [r.get("fuse_tflops") or 0 for r in sel],
               0.4, label="Fuse")
        ax.bar([i + 0.2 for i in x], [r.get("peer_tflops") or 0 for r in sel],
               0.4, label=sel[0]["peer"])
        ax.set_xticks(list(x))
        ax.set_xticklabels(names, rotation=60, ha="right", fontsize=7)
        ax.set_ylabel("TFLOP/s")
        ax.legend()
        fig.tight_layout()
        fig.savefig(f"{base}-{fname}.png", dpi=120)
        plt.close(fig)
    sel = [r for r in rows if r["kind"] == "model"]
    if sel:
        fig, ax = plt.subplots(figsize=(10, 4))
        ax.bar(range(len(sel)), [r.get("ratio") or 0 for r in sel])
        ax.axhline(1.0, color="k", lw=0.8)
        ax.set_xticks(range(len(sel)))
        ax.set_xticklabels([f"{r['name']} / {r['peer']}" for r in sel],
                           rotation=60, ha="right", fontsize=7)
        ax.set_ylabel("peer time / Fuse time")
        fig.tight_layout()
        fig.savefig(f"{base}-models.png", dpi=120)
        plt.close(fig)
