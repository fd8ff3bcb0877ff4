#!/usr/bin/python3
"""Unit tests of bench/gpu's pure-Python parts (no torch, no GPU): FLOP
counts, the timing loop with a fake timer, the results table, the runner
JSON reader and run's one-line failure without torch."""
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "bench", "gpu"))
import suite  # noqa: E402


class FakeClock:
    """A timer whose runs take the times in `durations`, in order; records
    the order of flushes, calls and timed intervals."""

    def __init__(self, durations):
        self.durations = list(durations)
        self.log = []

    def timer(self):
        def start():
            self.log.append("start")

        def stop():
            self.log.append("stop")
            return self.durations.pop(0)
        return start, stop

    def flush(self):
        self.log.append("flush")

    def fn(self):
        self.log.append("call")


class FlopsTest(unittest.TestCase):
    def test_gemm(self):
        self.assertEqual(suite.gemm_flops(4096, 4096, 4096), 2 * 4096 ** 3)
        self.assertEqual(suite.gemm_flops(8192, 1024, 4096),
                         2 * 8192 * 1024 * 4096)

    def test_attention(self):
        full = suite.attention_flops(32, 16, 1024, 64, False)
        self.assertEqual(full, 4 * 32 * 16 * 1024 * 1024 * 64)
        self.assertEqual(suite.attention_flops(32, 16, 1024, 64, True),
                         full // 2)

    def test_tflops(self):
        self.assertAlmostEqual(suite.tflops(2e12, 1000.0), 2.0)
        self.assertIsNone(suite.tflops(1e12, None))
        self.assertIsNone(suite.tflops(1e12, 0))

    def test_cases(self):
        gemm = suite.gemm_cases()
        self.assertEqual(len(gemm), 12)
        self.assertEqual(len({c["name"] for c in gemm}), 12)
        attn = suite.attention_cases()
        self.assertEqual(len(attn), 12)
        self.assertEqual([c["name"] for c in suite.gemm_cases(quick=True)],
                         ["gemm_fp16_1024x1024x1024"])
        self.assertEqual([c["name"] for c in suite.attention_cases(True)],
                         ["attn_fp16_s1024_d64_full"])


class MeasureTest(unittest.TestCase):
    def test_median_and_flush_order(self):
        clock = FakeClock([5.0, 1.0, 3.0, 2.0, 4.0])
        m = suite.measure(clock.fn, clock.timer, runs=5, warmup=2,
                          flush=clock.flush)
        self.assertEqual(m["median_ms"], 3.0)
        self.assertEqual(m["min_ms"], 1.0)
        self.assertEqual(m["max_ms"], 5.0)
        self.assertTrue(m["l2_flush"])
        # warm-up untimed, then every timed call preceded by a flush that
        # is outside the timed interval.
        self.assertEqual(clock.log[:4], ["flush", "call", "flush", "call"])
        self.assertEqual(clock.log[4:9],
                         ["flush", "start", "call", "stop", "flush"])
        self.assertEqual(clock.log.count("flush"), 7)
        self.assertEqual(clock.log.count("start"), 5)

    def test_even_runs_and_no_flush(self):
        clock = FakeClock([4.0, 1.0, 2.0, 3.0])
        m = suite.measure(clock.fn, clock.timer, runs=4, warmup=0)
        self.assertEqual(m["median_ms"], 2.5)
        self.assertFalse(m["l2_flush"])
        self.assertNotIn("flush", clock.log)

    def test_bad_runs(self):
        with self.assertRaises(ValueError):
            suite.measure(lambda: None, None, runs=0)

    def test_ratio_and_error(self):
        self.assertAlmostEqual(suite.ratio(2.0, 3.0), 1.5)
        self.assertIsNone(suite.ratio(None, 3.0))
        self.assertAlmostEqual(suite.max_rel_error([1.0, 2.1], [1.0, 2.0]),
                               0.05)


class TableTest(unittest.TestCase):
    def rows(self):
        g = suite.gemm_cases()
        bf = next(c for c in g if c["name"] == "gemm_bf16_4096x4096x4096")
        small = next(c for c in g if c["name"] == "gemm_bf16_1024x1024x1024")
        rows = []
        for case, fuse_ms, peer_ms in ((bf, 0.2, 0.18), (small, 0.01, 0.02)):
            rows.append({"kind": "gemm", "name": case["name"],
                         "params": case["params"], "peer": "cuBLAS",
                         "fuse_ms": fuse_ms, "peer_ms": peer_ms,
                         "ratio": suite.ratio(fuse_ms, peer_ms),
                         "fuse_tflops": suite.tflops(case["flops"], fuse_ms),
                         "peer_tflops": suite.tflops(case["flops"], peer_ms)})
        rows.append({"kind": "model", "name": "bert_layer", "params": {},
                     "peer": "torch.compile", "fuse_ms": 1.0, "peer_ms": 1.2,
                     "ratio": 1.2, "max_rel_error": 2e-4})
        rows.append({"kind": "attention", "name": "attn_x", "params": {},
                     "peer": "SDPA flash", "fuse_ms": None, "peer_ms": 1.0,
                     "ratio": None, "status": "not compiled"})
        return rows

    def test_table(self):
        table = suite.markdown_table(self.rows(),
                                     {"spearman": 0.85, "mape": 12.5,
                                      "top1": "3/4"}).splitlines()
        self.assertEqual(len(table), 2 + 4 + 1)
        # 4096³ bf16 at 0.2 ms vs 0.18: 687.2 TFLOP/s, 0.90×, goal missed.
        self.assertIn("| gemm_bf16_4096x4096x4096 | cuBLAS | 687.2 TFLOP/s "
                      "| 763.5 TFLOP/s | 0.90× |", table[2])
        self.assertTrue(table[2].endswith("| no |"))
        self.assertIn(suite.GOALS["gemm"], table[2])
        # 1024³ has no goal.
        self.assertTrue(table[3].endswith("| — |"))
        self.assertIn("| 1.20× | 2.0e-04 |", table[4])
        self.assertTrue(table[4].endswith("| yes |"))
        self.assertIn("| not compiled |", table[5])
        self.assertIn("Spearman 0.850, MAPE 12.5%, top-1 within 5% 3/4",
                      table[6])
        self.assertTrue(table[6].endswith("| no |"))

    def test_fidelity_absent(self):
        table = suite.markdown_table([], {"status": "no measured tuning DB"})
        self.assertIn("| no measured tuning DB |", table)


class RunnerJsonTest(unittest.TestCase):
    def test_keys(self):
        f = suite.total_median_ms
        self.assertEqual(f({"total_median_ms": 1.5}), 1.5)
        self.assertEqual(f({"timing": {"totalMedianMs": 2}}), 2.0)
        self.assertIsNone(f({"steps": []}))


class RunWithoutTorchTest(unittest.TestCase):
    def test_one_line(self):
        try:
            import torch  # noqa: F401
            self.skipTest("torch is installed")
        except ImportError:
            pass
        proc = subprocess.run(
            [sys.executable, os.path.join(ROOT, "bench", "gpu", "run.py"),
             "run", "--in", "/nonexistent"], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stderr.strip().splitlines(),
                         ["error: run needs PyTorch with a CUDA device: "
                          "No module named 'torch'"])


FAKE_TORCH = """
import time, numpy as np
__version__ = "fake"
bfloat16, float16, float32, int32 = "bf16", np.float16, np.float32, np.int32
class T:
    def __init__(self, a): self.a = a
    def cuda(self): return self
    def to(self, dt): return T(self.a.astype(np.float32))
    def float(self): return T(self.a.astype(np.float32))
    def cpu(self): return self
    def numpy(self): return self.a
    def fill_(self, v): self.a.fill(v); return self
def from_numpy(a): return T(a)
def matmul(a, b): return T(a.a.astype(np.float32) @ b.a.astype(np.float32))
def empty(n, dtype=None, device=None): return T(np.empty(16, np.int32))
class _Event:
    def __init__(self, enable_timing=False): self.t = 0
    def record(self): self.t = time.perf_counter()
    def synchronize(self): pass
    def elapsed_time(self, other): return (other.t - self.t) * 1e3
class cuda:
    Event = _Event
    @staticmethod
    def is_available(): return True
    @staticmethod
    def get_device_name(i): return "Fake GPU 80GB"
"""

FAKE_RUNNER = """#!/usr/bin/python3
import json, sys, os, numpy as np
a = sys.argv[1:]
ins = dict(x.split("=", 1) for x in [a[i + 1] for i, v in enumerate(a) if v == "--input"])
out = a[a.index("--output-dir") + 1]; os.makedirs(out, exist_ok=True)
A, B = np.load(ins["A"]), np.load(ins["B"])
np.save(os.path.join(out, "Y.npy"), (A.astype(np.float32) @ B.astype(np.float32)).astype(np.float16))
json.dump({"total_median_ms": 0.5, "steps": []}, open(a[a.index("--json") + 1], "w"))
"""


class RunWithFakeTorchTest(unittest.TestCase):
    """run's GEMM path and the results files against a numpy stand-in for
    torch and a fake fuse-cuda-run (checks the plumbing, not speed)."""

    def test_gemm(self):
        import json
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "torch"))
            with open(os.path.join(tmp, "torch", "__init__.py"), "w") as f:
                f.write(FAKE_TORCH)
            prep = os.path.join(tmp, "prep")
            os.makedirs(os.path.join(prep, "bin"))
            os.makedirs(os.path.join(prep, "bundles", "g"))
            with open(os.path.join(prep, "bundles", "g", "plan.json"),
                      "w") as f:
                json.dump({"outputs": [{"name": "Y", "buffer": 3}]}, f)
            runner = os.path.join(prep, "bin", "fuse-cuda-run")
            with open(runner, "w") as f:
                f.write(FAKE_RUNNER)
            os.chmod(runner, 0o755)
            case = dict(suite.gemm_cases(quick=True)[0])
            case["name"] = "g_small"
            case["params"] = {"M": 64, "N": 32, "K": 16, "dtype": "fp16"}
            case["flops"] = suite.gemm_flops(64, 32, 16)
            case["inputs"] = [
                {"name": "A", "shape": [64, 16], "dtype": "fp16",
                 "fill": "normal"},
                {"name": "B", "shape": [16, 32], "dtype": "fp16",
                 "fill": "normal"}]
            case["bundle"] = "bundles/g"
            failed = dict(case, name="g_failed", bundle=None,
                          error="error: x", command="fuse-compile ...")
            with open(os.path.join(prep, "manifest.json"), "w") as f:
                json.dump({"format": "fuse-gpu-bench", "seed": 0,
                           "runner": "bin/fuse-cuda-run",
                           "cases": [case, failed]}, f)
            res = os.path.join(tmp, "res")
            env = dict(os.environ, PYTHONPATH=tmp)
            proc = subprocess.run(
                [sys.executable, os.path.join(ROOT, "bench", "gpu",
                                              "run.py"), "run", "--in", prep,
                 "--results", res, "--work", os.path.join(tmp, "w"),
                 "--runs", "20"], capture_output=True, text=True, env=env)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            files = sorted(os.listdir(res))
            self.assertTrue(any(f.endswith("-Fake-GPU-80GB.json")
                                for f in files), files)
            with open(os.path.join(res, [f for f in files
                                         if f.endswith(".json")][0])) as f:
                doc = json.load(f)
            self.assertTrue(doc["complete"])
            ok, bad = doc["rows"]
            self.assertEqual(ok["fuse_ms"], 0.5)
            self.assertEqual(ok["peer"], "torch.matmul (cuBLAS)")
            self.assertLess(ok["max_rel_error"], 1e-2)
            self.assertAlmostEqual(ok["ratio"], ok["peer_ms_warm_l2"] / 0.5)
            self.assertIsNone(bad["fuse_ms"])
            self.assertEqual(bad["status"], "not compiled")
            self.assertIn("no measured tuning DB", doc["fidelity"]["status"])
            self.assertIn("| g_small | torch.matmul (cuBLAS) |", proc.stdout)
            self.assertTrue(any(f.endswith(".csv") for f in files))


if __name__ == "__main__":
    unittest.main()
