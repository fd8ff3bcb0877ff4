"""The pure-Python parts of the GPU suite (no torch, no GPU): the cases,
their FLOP counts, the timing loop (warm-up, L2 flush, median) behind a
timer interface, and the results table with issue 8's goals.

Imported by run.py on both machines and by test/unittests/gpu_bench_test.py.
"""
import math
import statistics

# PP-OCRv4 models and the input shapes issue 8 names.
OCR_MODELS = [
    ("ocr_det", "ch_PP-OCRv4_det_infer.onnx", "x", [1, 3, 640, 640]),
    ("ocr_rec", "ch_PP-OCRv4_rec_infer.onnx", "x", [1, 3, 48, 320]),
    ("ocr_cls", "ch_ppocr_mobile_v2.0_cls_infer.onnx", "x", [1, 3, 48, 192]),
]

GEMM_SHAPES = [(1024, 1024, 1024), (2048, 2048, 2048), (4096, 4096, 4096),
               (8192, 8192, 8192), (4096, 4096, 11008), (8192, 1024, 4096)]
GEMM_DTYPES = ["bf16", "fp16"]
ATTN_BATCH, ATTN_HEADS = 32, 16
ATTN_SEQS = [1024, 4096, 16384]
ATTN_DIMS = [64, 128]

# Goals of issue 8 (the README table prints them beside each figure).
GOALS = {
    "gemm": "≥ 1.0× cuBLAS at 4096³ and 8192³ bf16",
    "attention": "≥ 1.0× SDPA (flash)",
    "model": "≤ 1.0× torch.compile latency",
    "fidelity": "Spearman ≥ 0.9",
}

L2_FLUSH_BYTES = 256 << 20
MIN_RUNS = 20


def gemm_flops(m, n, k):
    """Multiply-adds of Y[m,n] = A[m,k] B[k,n], counted as two FLOPs."""
    return 2 * m * n * k


def attention_flops(batch, heads, seq, dim, causal):
    """QKᵀ and PV, 2·S·S·D FLOPs each per head; causal does half the
    blocks (FlashAttention's convention; softmax not counted)."""
    flops = 4 * batch * heads * seq * seq * dim
    return flops // 2 if causal else flops


def tflops(flops, ms):
    if ms is None or ms <= 0:
        return None
    return flops / (ms * 1e-3) / 1e12


def gemm_cases(quick=False):
    shapes = [(1024, 1024, 1024)] if quick else GEMM_SHAPES
    dtypes = ["fp16"] if quick else GEMM_DTYPES
    cases = []
    for dtype in dtypes:
        for m, n, k in shapes:
            cases.append({
                "name": f"gemm_{dtype}_{m}x{n}x{k}", "kind": "gemm",
                "params": {"M": m, "N": n, "K": k, "dtype": dtype},
                "flops": gemm_flops(m, n, k)})
    return cases


def attention_cases(quick=False):
    seqs = [1024] if quick else ATTN_SEQS
    dims = [64] if quick else ATTN_DIMS
    causals = [False] if quick else [False, True]
    cases = []
    for seq in seqs:
        for dim in dims:
            for causal in causals:
                tag = "causal" if causal else "full"
                cases.append({
                    "name": f"attn_fp16_s{seq}_d{dim}_{tag}",
                    "kind": "attention",
                    "params": {"batch": ATTN_BATCH, "heads": ATTN_HEADS,
                               "seq": seq, "dim": dim, "causal": causal,
                               "dtype": "fp16"},
                    "flops": attention_flops(ATTN_BATCH, ATTN_HEADS, seq,
                                             dim, causal)})
    return cases


def median(values):
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def measure(fn, timer, runs=MIN_RUNS, warmup=3, flush=None):
    """Times `fn` `runs` times after `warmup` untimed calls.

    `timer()` returns a fresh (start, stop) pair: `start()` marks the
    beginning (a CUDA event record), `stop()` marks the end and returns the
    elapsed milliseconds (it synchronizes). `flush()`, when given, runs
    before every call, outside the timed interval (it writes a 256 MiB
    buffer so that no operand stays in L2). Returns the median, min, max
    and every sample."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    for _ in range(warmup):
        if flush:
            flush()
        fn()
    samples = []
    for _ in range(runs):
        if flush:
            flush()
        start, stop = timer()
        start()
        fn()
        samples.append(stop())
    return {"median_ms": median(samples), "min_ms": min(samples),
            "max_ms": max(samples), "runs": runs, "l2_flush": bool(flush),
            "samples_ms": samples}


def ratio(fuse_ms, peer_ms):
    """Speed of Fuse relative to the peer (> 1: Fuse is faster)."""
    if not fuse_ms or not peer_ms:
        return None
    return peer_ms / fuse_ms


def max_rel_error(out, ref):
    """max |out - ref| / max |ref| (relative to the largest magnitude)."""
    import numpy as np
    out = np.asarray(out, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if out.shape != ref.shape:
        raise ValueError(f"shape {out.shape} != {ref.shape}")
    scale = float(np.max(np.abs(ref))) if ref.size else 0.0
    diff = float(np.max(np.abs(out - ref))) if ref.size else 0.0
    return diff / scale if scale > 0 else diff


def _fmt(value, spec, suffix=""):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:{spec}}{suffix}"


def goal_met(row):
    """True/False where the row has a goal and a figure, else None."""
    r = row.get("ratio")
    if r is None:
        return None
    if row["kind"] == "gemm":
        p = row["params"]
        if p["dtype"] != "bf16" or not (p["M"] == p["N"] == p["K"]
                                        and p["M"] in (4096, 8192)):
            return None
        return r >= 1.0
    if row["kind"] == "attention":
        return r >= 1.0
    if row["kind"] == "model" and row.get("peer") == "torch.compile":
        return r >= 1.0
    return None


def markdown_table(rows, fidelity=None):
    """The README table: one line per measured figure, the goal beside it.

    Each row: kind, name, peer, fuse_ms, peer_ms, ratio, and optionally
    fuse_tflops, peer_tflops, max_rel_error, status (why a figure is
    missing)."""
    lines = ["| case | peer | Fuse | peer | ratio (peer/Fuse time) | "
             "max rel err | goal | met |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        kind = row["kind"]
        if kind in ("gemm", "attention"):
            fuse = _fmt(row.get("fuse_tflops"), ".1f", " TFLOP/s")
            peer = _fmt(row.get("peer_tflops"), ".1f", " TFLOP/s")
        else:
            fuse = _fmt(row.get("fuse_ms"), ".3f", " ms")
            peer = _fmt(row.get("peer_ms"), ".3f", " ms")
        if row.get("status") and row.get("fuse_ms") is None:
            fuse = row["status"]
        met = goal_met(row)
        goal = GOALS.get(kind, "") if (met is not None or kind != "model"
                                       or row.get("peer") == "torch.compile"
                                       ) else ""
        lines.append(
            f"| {row['name']} | {row.get('peer', '')} | {fuse} | {peer} | "
            f"{_fmt(row.get('ratio'), '.2f', '×')} | "
            f"{_fmt(row.get('max_rel_error'), '.1e')} | {goal} | "
            f"{'—' if met is None else ('yes' if met else 'no')} |")
    if fidelity is not None:
        if fidelity.get("status"):
            lines.append(f"| cost-model fidelity | measured tuning DB | "
                         f"{fidelity['status']} | | | | {GOALS['fidelity']} "
                         f"| — |")
        else:
            s = fidelity.get("spearman")
            lines.append(
                f"| cost-model fidelity | measured tuning DB | Spearman "
                f"{_fmt(s, '.3f')}, MAPE {_fmt(fidelity.get('mape'), '.1f')}"
                f"%, top-1 within 5% {fidelity.get('top1', '—')} | | | | "
                f"{GOALS['fidelity']} | "
                f"{'—' if s is None else ('yes' if s >= 0.9 else 'no')} |")
    return "\n".join(lines)


def total_median_ms(doc):
    """The whole-bundle median from fuse-cuda-run --json (key names vary:
    total_median_ms, totalMedianMs, median_ms, at top level or nested)."""
    if isinstance(doc, dict):
        for key in ("total_median_ms", "totalMedianMs", "median_ms",
                    "total_ms"):
            if isinstance(doc.get(key), (int, float)):
                return float(doc[key])
        for key in ("timing", "total"):
            if key in doc:
                v = total_median_ms(doc[key])
                if v is not None:
                    return v
    return None
