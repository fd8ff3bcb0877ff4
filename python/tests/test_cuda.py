"""Running bundles on the GPU from Python: CompiledModel.run(device="cuda"),
.time(), fuse.run_bundle / time_bundle. What needs no GPU runs everywhere:
the argument and input checks (made before the device is touched), bundle
validation. With a GPU (fuse.cuda_device() is not None) the bundle's
outputs must match the CPU path's on the same inputs; without one the same
tests check the DeviceError naming why (nothing is skipped)."""
import json

import numpy as np
import pytest

import fuse
from conftest import CLS_SHAPE

RELU = """<
  ir_version: 8,
  opset_import: ["" : 17]
>
agraph (float[2, 4] x, float[4] b) => (float[2, 4] y) {
  a = Add(x, b)
  y = Relu(a)
}
"""

GPU = fuse.cuda_device()


@pytest.fixture
def relu_bundle(tmp_path):
    path = tmp_path / "relu.onnxtxt"
    path.write_text(RELU)
    return fuse.compile(path, target="h100", emit="ptx")


def test_cuda_device_is_a_name_or_none():
    assert GPU is None or "(sm_" in GPU


def test_inputs_are_checked_before_the_device(relu_bundle, tmp_path):
    x = np.ones((2, 4), np.float32)
    b = np.ones(4, np.float32)
    with pytest.raises(ValueError, match="missing input 'b'"):
        relu_bundle.run({"x": x}, device="cuda")
    with pytest.raises(ValueError, match="'z' is not an input of the model"):
        relu_bundle.run({"x": x, "b": b, "z": b}, device="cuda")
    with pytest.raises(ValueError, match=r"input 'x' has shape \(4, 2\), "
                                         r"expected \(2, 4\)"):
        relu_bundle.run({"x": x.reshape(4, 2), "b": b}, device="cuda")
    with pytest.raises(ValueError, match="input 'b' has dtype float64, "
                                         "expected float32"):
        relu_bundle.run({"x": x, "b": b.astype(np.float64)}, device="cuda")
    with pytest.raises(ValueError, match="inputs must be a dict"):
        relu_bundle.run([x, b], device="cuda")
    with pytest.raises(ValueError, match="runs must be at least 1"):
        relu_bundle.time({"x": x, "b": b}, runs=0)
    # The same checks for a saved bundle.
    relu_bundle.save_bundle(tmp_path / "saved")
    with pytest.raises(ValueError, match="missing input 'x'"):
        fuse.run_bundle(tmp_path / "saved", {"b": b})


def test_cuda_needs_a_bundle(tmp_path):
    path = tmp_path / "relu.onnxtxt"
    path.write_text(RELU)
    tiled = fuse.compile(path, emit="tiled")
    x = np.ones((2, 4), np.float32)
    with pytest.raises(ValueError, match="device='cuda' runs the compiled "
                                         "bundle: compile with emit='ptx' "
                                         r"\(this model: 'tiled'\)"):
        tiled.run({"x": x, "b": x[0]}, device="cuda")


def test_invalid_bundles_raise_compile_error(tmp_path, relu_bundle):
    x = {"x": np.ones((2, 4), np.float32), "b": np.ones(4, np.float32)}
    with pytest.raises(fuse.CompileError, match="missing"):
        fuse.run_bundle(tmp_path / "missing", x)
    relu_bundle.save_bundle(tmp_path / "broken")
    plan = json.loads((tmp_path / "broken" / "plan.json").read_text())
    plan["steps"][0]["op"] = "teleport"
    (tmp_path / "broken" / "plan.json").write_text(json.dumps(plan))
    with pytest.raises(fuse.CompileError, match="plan.json") as info:
        fuse.run_bundle(tmp_path / "broken", x)
    assert not isinstance(info.value, fuse.DeviceError)


def expect_no_device(call):
    """Without a GPU every device call raises DeviceError (a CompileError)
    with the runtime's `no CUDA device: REASON`."""
    with pytest.raises(fuse.DeviceError, match="no CUDA device: ") as e:
        call()
    assert isinstance(e.value, fuse.CompileError)
    assert e.value.diagnostic.startswith("error: no CUDA device: ")


def test_bundle_matches_cpu(relu_bundle, tmp_path):
    rng = np.random.default_rng(3)
    x = {"x": rng.standard_normal((2, 4)).astype(np.float32),
         "b": rng.standard_normal(4).astype(np.float32)}
    relu_bundle.save_bundle(tmp_path / "saved")
    if GPU is None:
        expect_no_device(lambda: relu_bundle.run(x, device="cuda"))
        expect_no_device(lambda: relu_bundle.time(x, runs=2))
        expect_no_device(lambda: fuse.time_bundle(tmp_path / "saved", x))
        return
    got = relu_bundle.run(x, device="cuda")
    np.testing.assert_array_equal(got["y"], np.maximum(x["x"] + x["b"], 0))
    again = fuse.run_bundle(tmp_path / "saved", x)
    np.testing.assert_array_equal(again["y"], got["y"])
    timing = relu_bundle.time(x, runs=3)
    assert timing["runs"] == 3 and timing["total_median_ms"] > 0
    assert [s["label"] for s in timing["steps"]].count("group_0") == 1


def test_cls_on_gpu_matches_cpu(cls_model):
    m = fuse.compile(cls_model, input_shapes={"x": CLS_SHAPE}, target="h100",
                     emit="ptx")
    x = {"x": np.random.default_rng(5).uniform(
        -1, 1, CLS_SHAPE).astype(np.float32)}
    if GPU is None:
        expect_no_device(lambda: m.run(x, device="cuda"))
        return
    cpu = m.run(x)
    gpu = m.run(x, device="cuda")
    assert cpu.keys() == gpu.keys()
    for name in cpu:
        scale = max(np.abs(cpu[name]).max(), 1e-30)
        assert np.abs(gpu[name] - cpu[name]).max() / scale < 1e-4, name
