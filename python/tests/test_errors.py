"""Bad input raises: CompileError with the tools' one-line diagnostic (the
ONNX node named where there is one), ValueError for bad arguments and run
inputs, the GPU stages (running them on a GPU: test_cuda.py)."""
import os
import subprocess
import sys

import numpy as np
import pytest

import fuse
from conftest import CLS_SHAPE, FUSE_COMPILE

UNSUPPORTED_OP = """<
  ir_version: 8,
  opset_import: ["" : 17]
>
agraph (float[2, 3, 3] x) => (float[2] y) {
  a = Relu(x)
  y = Det(a)
}
"""

RELU = """<
  ir_version: 8,
  opset_import: ["" : 17]
>
agraph (float[N, 4] x) => (float[N, 4] y) {
  y = Relu(x)
}
"""


def onnx_binary(text, tmp_path):
    """The binary ModelProto of ONNX text, made by python3-onnx in a child
    process (the test itself only needs the fuse package)."""
    path = tmp_path / "model.onnx"
    subprocess.run([sys.executable, "-c",
                    "import sys, onnx, onnx.parser;"
                    "m = onnx.parser.parse_model(sys.stdin.read());"
                    f"onnx.save(m, {str(path)!r})"],
                   input=text, text=True, check=True)
    return path


def fuse_compile_error(path, *flags):
    run = subprocess.run([FUSE_COMPILE, str(path), "--emit=fused"] +
                         list(flags), capture_output=True, text=True)
    assert run.returncode == 1
    return run.stderr.strip()


def test_compile_error_is_a_runtime_error():
    assert issubclass(fuse.CompileError, RuntimeError)


def test_malformed_bytes():
    with pytest.raises(fuse.CompileError,
                       match=r"^<bytes>: not a valid ONNX protobuf") as e:
        fuse.compile(b"\x08\x07garbage\xff\xff", emit="fused")
    assert e.value.diagnostic.startswith("error: <bytes>: ")
    assert "\n" not in e.value.diagnostic


def test_unsupported_op_names_the_node(tmp_path):
    path = tmp_path / "det.onnxtxt"
    path.write_text(UNSUPPORTED_OP)
    with pytest.raises(fuse.CompileError) as e:
        fuse.compile(path, emit="fused")
    assert str(e.value) == \
        f"{path}: node 'Det_1' (Det): unsupported op 'Det'"
    # The very line fuse-compile prints.
    assert e.value.diagnostic == fuse_compile_error(path)


def test_unsupported_op_from_bytes(tmp_path):
    data = onnx_binary(UNSUPPORTED_OP, tmp_path).read_bytes()
    with pytest.raises(fuse.CompileError,
                       match=r"^model\.onnx: node 'Det_1' \(Det\): "
                             r"unsupported op 'Det'$"):
        fuse.compile(data, emit="tiled", name="model.onnx")


def test_missing_file():
    with pytest.raises(fuse.CompileError, match="cannot open file"):
        fuse.compile("/nonexistent/model.onnx")


def test_bad_arguments(tmp_path):
    path = tmp_path / "relu.onnxtxt"
    path.write_text(RELU)
    shape = {"x": (2, 4)}
    with pytest.raises(ValueError, match=r"unknown --target=b200"):
        fuse.compile(path, input_shapes=shape, target="b200")
    with pytest.raises(ValueError, match=r"unknown --precision=fp8"):
        fuse.compile(path, input_shapes=shape, precision="fp8")
    with pytest.raises(ValueError, match=r"unknown emit='linalg'"):
        fuse.compile(path, input_shapes=shape, emit="linalg")
    with pytest.raises(ValueError, match=r"bad dim 'a' in --input-shape"):
        fuse.compile(path, input_shapes={"x": "2xa"})
    with pytest.raises(ValueError, match="need --emit=tiled"):
        fuse.compile(path, input_shapes=shape, emit="fused",
                     tile_configs={0: "elementwise:threads=256,vector=1"})
    with pytest.raises(TypeError, match="path .* or the bytes"):
        fuse.compile(42)
    with pytest.raises(fuse.CompileError,
                       match=r"'y', which is not a graph input"):
        fuse.compile(path, input_shapes={"y": (2, 4)})
    with pytest.raises(fuse.CompileError, match=r"group 7, but the function "
                                                r"has 1 groups"):
        fuse.compile(path, input_shapes=shape,
                     tile_configs={7: "elementwise:threads=256,vector=1"})


def test_dims_bind_dynamic_shapes(tmp_path):
    path = tmp_path / "relu.onnxtxt"
    path.write_text(RELU)
    m = fuse.compile(path, dims={"N": 3})
    assert m.inputs[0]["shape"] == (3, 4)
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    np.testing.assert_array_equal(m.run({"x": x})["y"], np.maximum(x, 0))


def test_run_rejects_bad_inputs(tmp_path):
    path = tmp_path / "relu.onnxtxt"
    path.write_text(RELU)
    m = fuse.compile(path, input_shapes={"x": (2, 4)})
    good = np.ones((2, 4), np.float32)
    with pytest.raises(ValueError, match=r"^input 'x' has shape \(2, 5\), "
                                         r"expected \(2, 4\)$"):
        m.run({"x": np.ones((2, 5), np.float32)})
    with pytest.raises(ValueError, match=r"^input 'x' has dtype float64, "
                                         r"expected float32$"):
        m.run({"x": np.ones((2, 4))})
    with pytest.raises(ValueError, match=r"^'z' is not an input of the "
                                         r"model \(inputs: 'x'\)$"):
        m.run({"x": good, "z": good})
    with pytest.raises(ValueError, match=r"^missing input 'x'"):
        m.run({})
    with pytest.raises(ValueError, match="must be a dict"):
        m.run([good])
    with pytest.raises(ValueError, match="unknown device='tpu'"):
        m.run({"x": good}, device="tpu")
    # The good input still runs after the rejected ones.
    np.testing.assert_array_equal(m.run({"x": good})["y"], good)


def test_gpu_stages(tmp_path):
    path = tmp_path / "relu.onnxtxt"
    path.write_text(RELU)
    shape = {"x": (2, 4)}
    m = fuse.compile(path, input_shapes=shape, emit="ptx")
    assert m.stage == "ptx"
    assert ".visible .entry group_0(" in m.ptx
    plan = m.plan
    assert plan["format"] == "fuse-bundle" and plan["chip"] == "sm_90"
    assert [i["name"] for i in plan["inputs"]] == ["x"]
    assert [s["kernel"] for s in plan["steps"] if s["op"] == "launch"] == \
        ["group_0"]
    m.save_bundle(tmp_path / "bundle")
    assert sorted(p.name for p in (tmp_path / "bundle").iterdir()) == \
        ["model.ptx", "plan.json", "weights.bin"]
    assert (tmp_path / "bundle" / "model.ptx").read_text() == m.ptx
    # On the CPU a GPU stage runs as its tiled module.
    x = np.array([[-1, 2, -3, 4], [5, -6, 7, -8]], np.float32)
    np.testing.assert_array_equal(m.run({"x": x})["y"], np.maximum(x, 0))
    with pytest.raises(ValueError, match="does not run on the CPU"):
        m.run({"x": x}, stage="ptx")
    with pytest.raises(ValueError, match="stage= runs a module on the CPU"):
        m.run({"x": x}, device="cuda", stage="tiled")
    with pytest.raises(ValueError, match="unknown device='tpu'"):
        m.run({"x": x}, device="tpu")
    gpu = fuse.compile(path, input_shapes=shape, emit="gpu")
    assert "gpu.module @fuse_kernels" in gpu.mlir()
    assert gpu.plan is None
    with pytest.raises(ValueError, match="ptx needs emit='ptx'"):
        gpu.ptx
    with pytest.raises(ValueError, match="save_bundle needs"):
        gpu._module.save_bundle(str(tmp_path / "nope"))
    assert not (tmp_path / "nope").exists()


def test_cli_errors(tmp_path):
    path = tmp_path / "det.onnxtxt"
    path.write_text(UNSUPPORTED_OP)
    for flags in (["--emit=fused"], ["--emit=ptx"], [],
                  ["--emit=fused", "--target=b200"]):
        py = subprocess.run([sys.executable, "-m", "fuse", str(path)] + flags,
                            capture_output=True, text=True)
        ref = subprocess.run([FUSE_COMPILE, str(path)] + flags,
                             capture_output=True, text=True)
        assert py.returncode == ref.returncode == 1, flags
        assert py.stderr == ref.stderr, flags
        assert py.stderr.startswith("error: ") and py.stdout == ""
    out = tmp_path / "out.mlir"
    subprocess.run([sys.executable, "-m", "fuse", str(path), "--emit=fused",
                    "-o", str(out)], capture_output=True)
    assert not out.exists()


def test_cli_writes_no_file_when_one_write_fails(tmp_path):
    path = tmp_path / "relu.onnxtxt"
    path.write_text(RELU)
    out = tmp_path / "out.mlir"
    flags = [str(path), "--input-shape", "x=2x4", "--emit=fused", "-o",
             str(out), "--fuse-report", str(tmp_path / "no" / "r.json")]
    py = subprocess.run([sys.executable, "-m", "fuse"] + flags,
                        capture_output=True, text=True)
    ref = subprocess.run([FUSE_COMPILE] + flags, capture_output=True,
                         text=True)
    assert py.returncode == ref.returncode == 1
    assert py.stderr == ref.stderr
    assert "cannot open output file" in py.stderr
    assert list(tmp_path.iterdir()) == [path]
    flags[-1] = str(tmp_path / "r.json")
    subprocess.run([sys.executable, "-m", "fuse"] + flags, check=True)
    assert out.read_text().startswith("module")
    assert '"groups": 1' in (tmp_path / "r.json").read_text()
