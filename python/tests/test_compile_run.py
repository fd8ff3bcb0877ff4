"""fuse.compile / CompiledModel.run on PP-OCRv4 cls: numerics against ONNX
Runtime and against the unfused module, every stage's text, the report
against fuse-compile's, tuning."""
import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import fuse
from conftest import CLS_SHAPE, FUSE_COMPILE


def rel_err(got, ref):
    """max|got - ref| / max|ref| (as scripts/npycompare.py)."""
    got, ref = got.astype(np.float64), ref.astype(np.float64)
    return float(np.max(np.abs(got - ref)) / max(np.max(np.abs(ref)), 1e-30))


def seeded_input(seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, CLS_SHAPE).astype(np.float32)


def test_signature(cls_tiled):
    assert cls_tiled.stage == "tiled"
    assert cls_tiled.stages == ["fuse", "rewritten", "fused", "tiled"]
    assert cls_tiled.inputs == [
        {"name": "x", "shape": CLS_SHAPE, "dtype": np.dtype(np.float32)}]
    assert [o["name"] for o in cls_tiled.outputs] == ["softmax_0.tmp_0"]
    assert cls_tiled.outputs[0]["shape"] == (1, 2)


def test_matches_onnx_runtime(cls_model, cls_tiled, ort, tmp_path):
    x = seeded_input(1)
    got = cls_tiled.run({"x": x})
    assert list(got) == ["softmax_0.tmp_0"]
    np.save(tmp_path / "x.npy", x)
    subprocess.run(["node", ort, cls_model, "--input",
                    f"x={tmp_path / 'x.npy'}", "--output-dir",
                    str(tmp_path / "ort")], check=True)
    ref = np.load(tmp_path / "ort" / "softmax_0.tmp_0.npy")
    assert got["softmax_0.tmp_0"].shape == ref.shape
    assert got["softmax_0.tmp_0"].dtype == np.float32
    assert rel_err(got["softmax_0.tmp_0"], ref) <= 1e-3
    # A softmax over two classes: rows sum to one.
    assert np.allclose(got["softmax_0.tmp_0"].sum(axis=1), 1, atol=1e-5)


def test_every_stage_matches_unfused(cls_tiled):
    x = seeded_input(2)
    unfused = cls_tiled.run({"x": x}, stage="fuse")["softmax_0.tmp_0"]
    for stage in ("rewritten", "fused", None):
        got = cls_tiled.run({"x": x}, stage=stage)["softmax_0.tmp_0"]
        assert rel_err(got, unfused) <= 1e-5, stage
    # Different inputs give different outputs (the run is not a constant).
    other = cls_tiled.run({"x": seeded_input(3)})["softmax_0.tmp_0"]
    assert not np.array_equal(other, unfused)


def test_non_array_inputs_are_converted(cls_tiled):
    x = seeded_input(4)
    from_list = cls_tiled.run({"x": x.tolist()})["softmax_0.tmp_0"]
    from_array = cls_tiled.run({"x": x})["softmax_0.tmp_0"]
    np.testing.assert_array_equal(from_list, from_array)
    # A non-contiguous array of the right shape is accepted too.
    wide = np.zeros(CLS_SHAPE[:3] + (CLS_SHAPE[3] * 2,), np.float32)
    wide[..., ::2] = x
    strided = cls_tiled.run({"x": wide[..., ::2]})["softmax_0.tmp_0"]
    np.testing.assert_array_equal(strided, from_array)


def test_mlir_of_every_stage(cls_tiled):
    texts = {s: cls_tiled.mlir(s) for s in fuse.STAGES[:4]}
    assert "func.func @main" in texts["fuse"]
    assert "fuse.group" not in texts["fuse"]
    assert "fuse.batch_norm" not in texts["rewritten"]
    assert "fuse.group" in texts["fused"]
    assert "fuse.tile" not in texts["fused"]
    assert "scf.forall" in texts["tiled"]
    assert "fuse.tile" in texts["tiled"]
    assert cls_tiled.mlir() == texts["tiled"]
    assert len(set(texts.values())) == 4
    with pytest.raises(ValueError, match="unknown stage 'linalg'"):
        cls_tiled.mlir("linalg")
    with pytest.raises(ValueError, match="stage 'ptx' is not available: this "
                                         "model was compiled to 'tiled'"):
        cls_tiled.mlir("ptx")


def test_earlier_emit_keeps_earlier_stages(cls_model):
    fused = fuse.compile(cls_model, input_shapes={"x": CLS_SHAPE},
                         emit="fused")
    assert fused.stages == ["fuse", "rewritten", "fused"]
    with pytest.raises(ValueError, match="compiled to 'fused'"):
        fused.mlir("tiled")
    assert "tile" not in fused.report["group_list"][0]
    imported = fuse.compile(cls_model, input_shapes={"x": CLS_SHAPE},
                            emit="fuse", keep_snapshots=False)
    assert imported.report is None
    assert "func.func @main" in imported.mlir("fuse")


def fuse_compile_report(model, emit, tmp_path):
    path = tmp_path / f"{emit}.json"
    subprocess.run([FUSE_COMPILE, model, "--input-shape", "x=1x3x48x192",
                    f"--emit={emit}", f"--fuse-report={path}", "-o",
                    os.devnull], check=True)
    with open(path) as f:
        return json.load(f)


@pytest.mark.parametrize("emit", ["fused", "tiled"])
def test_report_matches_fuse_compile(cls_model, tmp_path, emit):
    ref = fuse_compile_report(cls_model, emit, tmp_path)
    got = fuse.compile(cls_model, input_shapes={"x": CLS_SHAPE},
                       emit=emit).report
    assert got["ops_before"] == ref["ops_before"] == 215
    assert got["groups"] == ref["groups"] == len(got["group_list"])
    assert got["ops_after_rewrite"] == ref["ops_after_rewrite"]
    assert [g["ops"] for g in got["group_list"]] == \
        [g["ops"] for g in ref["group_list"]]
    assert [g["onnx_nodes"] for g in got["group_list"]] == \
        [g["onnx_nodes"] for g in ref["group_list"]]
    # The whole report, numbers and tile configurations included.
    assert got == ref
    if emit == "tiled":
        assert all(g["tile"] for g in got["group_list"])


def test_bytes_and_path_give_the_same_module(cls_model):
    with open(cls_model, "rb") as f:
        data = f.read()
    from_bytes = fuse.compile(data, input_shapes={"x": "1x3x48x192"},
                              emit="fused")
    from_path = fuse.compile(cls_model, input_shapes=["x=1x3x48x192"],
                             emit="fused")
    assert from_bytes.report["model"] == "<bytes>"
    assert from_bytes.report["group_list"] == from_path.report["group_list"]
    assert from_bytes.mlir("fused") == from_path.mlir("fused")


def test_tune_returns_the_tiles_and_reports_progress(cls_model, cls_tiled):
    log = io.StringIO()
    configs = fuse.tune(cls_model, input_shapes={"x": CLS_SHAPE},
                        target="h100", file=log)
    groups = cls_tiled.report["group_list"]
    assert [c["tile"] for c in configs] == [g["tile"] for g in groups]
    assert [c["id"] for c in configs] == list(range(len(groups)))
    lines = log.getvalue().splitlines()
    assert len(lines) == len(groups) + 2
    assert lines[1].startswith(f"fuse.tune: [1/{len(groups)}] group 0 ")
    assert lines[-1].startswith(f"fuse.tune: {len(groups)} groups tuned")
    quiet = io.StringIO()
    fuse.tune(cls_model, input_shapes={"x": CLS_SHAPE}, progress=False,
              file=quiet)
    assert quiet.getvalue() == ""
    # Another target tunes differently somewhere.
    l4 = fuse.tune(cls_model, input_shapes={"x": CLS_SHAPE}, target="l4",
                   progress=False)
    assert [c["ops"] for c in l4] == [c["ops"] for c in configs]


def test_tile_configs_feed_back(cls_model, cls_tiled):
    configs = {g["id"]: g["tile"] for g in cls_tiled.report["group_list"]}
    again = fuse.compile(cls_model, input_shapes={"x": CLS_SHAPE},
                         tile_configs=configs)
    assert again.report["group_list"] == cls_tiled.report["group_list"]
    override = "fma_gemm:BK=16,BM=64,BN=32,vector=1,warps=4"
    assert configs[0] != override
    changed = fuse.compile(cls_model, input_shapes={"x": CLS_SHAPE},
                           tile_configs={0: override})
    assert changed.report["group_list"][0]["tile"] == override
    x = seeded_input(5)
    assert rel_err(changed.run({"x": x})["softmax_0.tmp_0"],
                   cls_tiled.run({"x": x}, stage="fuse")[
                       "softmax_0.tmp_0"]) <= 1e-5


def test_cli_mirrors_fuse_compile(cls_model, tmp_path):
    env = dict(os.environ)
    common = [cls_model, "--input-shape", "x=1x3x48x192", "--emit=fused"]
    py = subprocess.run([sys.executable, "-m", "fuse"] + common +
                        ["--fuse-report=-"], env=env, capture_output=True,
                        text=True, check=True)
    ref = subprocess.run([FUSE_COMPILE] + common + ["--fuse-report=-"],
                         capture_output=True, text=True, check=True)
    assert py.stdout == ref.stdout
    assert "groups (kernels): 67" in py.stdout
    subprocess.run([sys.executable, "-m", "fuse"] + common +
                   ["-o", str(tmp_path / "py.mlir"), "--fuse-report",
                    str(tmp_path / "py.json")], env=env, check=True)
    subprocess.run([FUSE_COMPILE] + common +
                   ["-o", str(tmp_path / "fc.mlir"), "--fuse-report",
                    str(tmp_path / "fc.json")], check=True)
    for ext in ("mlir", "json"):
        assert (tmp_path / f"py.{ext}").read_bytes() == \
            (tmp_path / f"fc.{ext}").read_bytes()
