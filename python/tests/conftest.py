"""Shared fixtures: where the source tree, the build and the models are."""
import os
import shutil

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.environ.get("FUSE_BUILD_DIR", os.path.join(ROOT, "build"))
FUSE_COMPILE = os.path.join(BUILD, "bin", "fuse-compile")
MODELS = os.path.join(ROOT, "third_party", "npm", "node_modules", "@gutenye",
                      "ocr-models", "assets")
CLS = os.path.join(MODELS, "ch_ppocr_mobile_v2.0_cls_infer.onnx")
CLS_SHAPE = (1, 3, 48, 192)
ORT_RUN = os.path.join(ROOT, "scripts", "ort-run.js")
ONNXRUNTIME = os.path.join(ROOT, "third_party", "npm", "node_modules",
                           "onnxruntime-node")


@pytest.fixture(scope="session")
def cls_model():
    if not os.path.exists(CLS):
        pytest.skip("PP-OCRv4 cls is not installed (scripts/setup.sh)")
    return CLS


@pytest.fixture(scope="session")
def cls_tiled(cls_model):
    import fuse
    return fuse.compile(cls_model, input_shapes={"x": CLS_SHAPE},
                        target="h100", precision="fp32", emit="tiled")


@pytest.fixture(scope="session")
def ort():
    if not shutil.which("node") or not os.path.isdir(ONNXRUNTIME):
        pytest.skip("node or onnxruntime-node is missing")
    return ORT_RUN
