"""Fuse from Python: compile an ONNX model, inspect every stage, run it.

    import fuse
    m = fuse.compile("model.onnx", input_shapes={"x": (1, 3, 48, 192)},
                     emit="tiled")
    print(m.report["groups"])        # the fusion report (fuse-compile's JSON)
    print(m.mlir("fused"))           # the module after any stage reached
    out = m.run({"x": x})            # CPU execution: {output name: ndarray}

    g = fuse.compile("model.onnx", input_shapes={"x": (1, 3, 48, 192)},
                     emit="ptx")
    out = g.run({"x": x}, device="cuda")   # the bundle on GPU 0
    print(g.time({"x": x}, runs=20)["total_median_ms"])

The stages are those of ``fuse-compile``: ``fuse`` (imported), ``rewritten``,
``fused``, ``tiled``, ``gpu`` (the kernels in the gpu dialect) and ``ptx``
(the deployable bundle: ``.ptx``, ``.plan``, ``.save_bundle(dir)``). A ``ptx``
model runs on the GPU with ``run(inputs, device="cuda")`` and is timed with
``time(inputs)``; :func:`run_bundle` and :func:`time_bundle` do the same for a
saved bundle directory, through the runtime ``fuse-run --device=cuda`` uses
(the CUDA driver, opened at run time). Without a GPU they raise
:class:`DeviceError` (``no CUDA device: ...``); :func:`cuda_device` says
which GPU they would use.
"""

import os
import sys
import tempfile
import time

import numpy as np

from . import _fuse

__all__ = ["compile", "tune", "CompiledModel", "CompileError", "DeviceError",
           "NotBuiltError", "cuda_device", "run_bundle", "time_bundle",
           "STAGES", "TARGETS", "PRECISIONS"]

#: The stages this build compiles to, in pipeline order.
STAGES = ("fuse", "rewritten", "fused", "tiled", "gpu", "ptx")
#: Stages of the design that are not built yet (none).
FUTURE_STAGES = ()
TARGETS = ("h100", "a100", "h200", "l4", "rtx4090")
PRECISIONS = ("fp32", "tf32", "fp16", "bf16")


class CompileError(RuntimeError):
    """A model failed to import, compile or run.

    ``str(e)`` is the diagnostic without the ``error:`` prefix; ``e.diagnostic``
    is the exact line ``fuse-compile`` prints (``error: FILE: node 'NAME':
    message``, the node part when the error is located at an ONNX node).
    """

    def __init__(self, diagnostic):
        self.diagnostic = diagnostic
        text = diagnostic[len("error: "):] if diagnostic.startswith(
            "error: ") else diagnostic
        super().__init__(text)


class DeviceError(CompileError):
    """Running a bundle on the GPU failed: no CUDA driver or device
    (``no CUDA device: REASON``), or a CUDA error (naming the step)."""


class NotBuiltError(NotImplementedError):
    """A part of the design this build does not have yet (a stage listed in
    FUTURE_STAGES; none at present)."""


def _not_built(what):
    return NotBuiltError(f"{what} is not available in this build")


def cuda_device():
    """The GPU that ``device="cuda"`` runs on, as ``'NAME (sm_XY)'``, or None
    when there is no CUDA driver or device."""
    name, _ = _fuse.cuda_device()
    return name


def _convert_inputs(inputs, dtypes):
    """`inputs` as {name: array}; non-array values converted to the input's
    dtype (`dtypes`: {name: numpy dtype})."""
    if not isinstance(inputs, dict):
        raise ValueError("inputs must be a dict {input name: array}")
    arrays = {}
    for name, value in inputs.items():
        if not isinstance(value, np.ndarray) and dtypes.get(name) is not None:
            value = np.asarray(value, dtype=dtypes[name])
        arrays[name] = value
    return arrays


def _run_bundle(directory, inputs, runs):
    try:
        return _fuse.run_bundle(os.fspath(directory), inputs, runs)
    except _fuse.DeviceError as e:
        raise DeviceError(str(e)) from None
    except _fuse.Error as e:
        raise CompileError(str(e)) from None


def run_bundle(directory, inputs):
    """Runs the bundle in `directory` (``fuse-compile --emit=ptx -o DIR``,
    ``save_bundle(DIR)``) on GPU 0 and returns {output name: ndarray}.

    inputs: {input name: array} of the plan's shapes and dtypes (bf16 inputs
    and outputs travel as float32, as in fuse-run's .npy files). Raises
    ValueError for wrong inputs, CompileError for an invalid bundle,
    DeviceError without a GPU or for a CUDA error.
    """
    outputs, _ = _run_bundle(directory, _convert_inputs(inputs, {}), 0)
    return outputs


def time_bundle(directory, inputs, runs=20):
    """Times the bundle in `directory` on GPU 0: one warm-up run, then `runs`
    timed ones (CUDA events). Returns {'runs', 'total_median_ms', 'steps':
    [{'index', 'label', 'median_ms'}, ...]}, as ``fuse-cuda-run --time N
    --json`` writes."""
    if int(runs) < 1:
        raise ValueError(f"runs must be at least 1, got {runs!r}")
    _, timing = _run_bundle(directory, _convert_inputs(inputs, {}),
                            int(runs))
    return timing


def _shape_flag(name, shape):
    if isinstance(shape, str):
        dims = shape
    else:
        try:
            dims = "x".join(str(int(d)) for d in shape)
        except TypeError:
            raise ValueError(
                f"input_shapes['{name}'] must be a sequence of ints or a "
                f"string like '1x3x224x224', got {shape!r}") from None
    return f"{name}={dims}"


def _flags(values, format_one):
    """A dict {name: value} as NAME=VALUE flags; a list of flag strings
    ('x=1x3x224x224') is taken as it is."""
    if not values:
        return []
    if isinstance(values, dict):
        return [format_one(k, v) for k, v in values.items()]
    if isinstance(values, str):
        return [values]
    return [str(flag) for flag in values]


def _tile_flags(tile_configs):
    if tile_configs is None:
        return []
    if isinstance(tile_configs, dict):
        return [f"{group}={config}" for group, config in tile_configs.items()]
    return [str(flag) for flag in tile_configs]


class CompiledModel:
    """A model compiled to one stage (``.stage``)."""

    def __init__(self, module):
        self._module = module
        self._report = None
        self._bundle_dir = None

    @property
    def stage(self):
        """The stage the model was compiled to."""
        return self._module.stage

    @property
    def stages(self):
        """The stages whose module text is kept, in pipeline order."""
        return list(self._module.stages)

    def mlir(self, stage=None):
        """The module text after `stage` (default: the compiled stage)."""
        stage = stage or self.stage
        if stage in FUTURE_STAGES:
            raise _not_built(f"stage '{stage}'")
        return self._module.mlir(stage)

    @property
    def report(self):
        """The fusion report (fused and tiled stages) as dicts and lists,
        with the keys of ``fuse-compile --fuse-report`` JSON; None before the
        fused stage."""
        if self._report is None:
            self._report = self._module.report
        return self._report

    @property
    def report_json(self):
        """The report as the JSON text ``fuse-compile --fuse-report`` writes."""
        return self._module.report_json

    @property
    def summary(self):
        """The report summary ``fuse-compile --fuse-report=-`` prints."""
        return self._module.summary

    @property
    def dot(self):
        """The Graphviz picture of the groups (``--fuse-report-dot``)."""
        return self._module.dot

    @property
    def inputs(self):
        """The graph inputs: a list of {'name', 'shape', 'dtype'}."""
        return self._module.inputs

    @property
    def outputs(self):
        """The graph outputs: a list of {'name', 'shape', 'dtype'}."""
        return self._module.outputs

    @property
    def ptx(self):
        """The PTX module of the kernels (``emit='ptx'``; ValueError
        otherwise)."""
        if self._module.ptx is None:
            raise ValueError(f"ptx needs emit='ptx' (compiled to "
                             f"'{self.stage}')")
        return self._module.ptx

    @property
    def plan(self):
        """The bundle's plan.json as dicts and lists (``emit='ptx'``; see
        docs/bundle.md); None for the other stages."""
        return self._module.plan

    def save_bundle(self, directory):
        """Writes the bundle (model.ptx, plan.json, weights.bin) into
        `directory`, as ``fuse-compile --emit=ptx -o DIR`` does; run it with
        ``fuse-run --device=cuda DIR``."""
        try:
            self._module.save_bundle(os.fspath(directory))
        except _fuse.Error as e:
            raise CompileError(str(e)) from None

    def _bundle(self):
        """The bundle saved once in a temporary directory (removed with the
        model)."""
        if self._module.ptx is None:
            raise ValueError(f"device='cuda' runs the compiled bundle: "
                             f"compile with emit='ptx' (this model: "
                             f"'{self.stage}')")
        if self._bundle_dir is None:
            directory = tempfile.TemporaryDirectory(prefix="fuse-bundle-")
            self.save_bundle(directory.name)
            self._bundle_dir = directory
        return self._bundle_dir.name

    def run(self, inputs, device="cpu", stage=None):
        """Runs the model on `inputs` ({input name: array}) and returns
        {output name: numpy.ndarray}.

        device: 'cpu' (the compiled module, or that of `stage`, JIT-compiled
            on the host), or 'cuda' (the bundle of an ``emit='ptx'`` model on
            GPU 0; DeviceError without one).
        `stage` runs the module of an earlier kept stage instead of the
        compiled one (e.g. ``stage='fuse'`` for the unfused graph; CPU
        only). Inputs must have the graph's shape and dtype (ValueError
        otherwise; bf16 inputs of a bundle are float32); non-array values
        are converted to the input's dtype.
        """
        if device not in ("cpu", "cuda", "gpu"):
            raise ValueError(f"unknown device='{device}' (expected 'cpu' or "
                             f"'cuda')")
        dtypes = {i["name"]: i["dtype"] for i in self.inputs}
        arrays = _convert_inputs(inputs, dtypes)
        if device != "cpu":
            if stage is not None:
                raise ValueError("stage= runs a module on the CPU; "
                                 "device='cuda' runs the bundle")
            outputs, _ = _run_bundle(self._bundle(), arrays, 0)
            return outputs
        try:
            return self._module.run(arrays, stage or "")
        except _fuse.Error as e:
            raise CompileError(str(e)) from None

    def time(self, inputs, runs=20):
        """Times the bundle of an ``emit='ptx'`` model on GPU 0 (one warm-up
        run, then `runs` timed ones); see :func:`time_bundle`."""
        if int(runs) < 1:
            raise ValueError(f"runs must be at least 1, got {runs!r}")
        dtypes = {i["name"]: i["dtype"] for i in self.inputs}
        _, timing = _run_bundle(self._bundle(),
                                _convert_inputs(inputs, dtypes), int(runs))
        return timing

    def __repr__(self):
        groups = self.report["groups"] if self.report else None
        extra = f", groups={groups}" if groups is not None else ""
        return f"<fuse.CompiledModel stage='{self.stage}'{extra}>"


def compile(model, input_shapes=None, dims=None, target="h100",
            precision="fp32", emit="tiled", tile_configs=None,
            tuning_db=None, keep_snapshots=True, dot=False, name=None):
    """Compiles `model` up to stage `emit` and returns a CompiledModel.

    model: a path (str or os.PathLike; ``.onnx``, ``.onnxtxt`` or a ``.mlir``
        module at any stage) or the bytes of a binary ONNX model.
    input_shapes: {input name: shape}, the shape a tuple of ints or a string
        like ``'1x3x224x224'``, or a list of ``--input-shape`` flag values
        (``['x=1x3x224x224']``).
    dims: {dim parameter: int} or a list of ``--dim`` values (``['N=4']``).
    target, precision: as ``--target`` and ``--precision``.
    emit: 'fuse', 'rewritten', 'fused', 'tiled', 'gpu' or 'ptx'.
    tile_configs: {group id: 'IMPL:NAME=VALUE,...'} or ['GROUP=CONFIG', ...]
        overrides for the tiled stage (``--fuse-tile-config``).
    tuning_db: an SQLite tuning database to reuse and extend.
    keep_snapshots: keep the module text of every stage for ``mlir(stage)``
        and ``run(stage=...)``.
    dot: build the Graphviz picture (``.dot``).
    name: the model name in the report and diagnostics (default: the path,
        or '<bytes>').

    Raises CompileError (a RuntimeError) carrying the one-line diagnostic,
    ValueError for bad arguments.
    """
    if emit in FUTURE_STAGES:
        raise _not_built(f"emit='{emit}'")
    if emit not in STAGES:
        raise ValueError(f"unknown emit='{emit}' (expected one of "
                         f"{', '.join(STAGES)})")
    if isinstance(model, (bytes, bytearray, memoryview)):
        path, data = "", bytes(model)
        model_name = name or "<bytes>"
    elif isinstance(model, (str, os.PathLike)):
        path, data = os.fspath(model), None
        model_name = name or path
    else:
        raise TypeError("model must be a path (str or os.PathLike) or the "
                        f"bytes of an ONNX model, not {type(model).__name__}")
    shapes = _flags(input_shapes, _shape_flag)
    dim_flags = _flags(dims, lambda k, v: f"{k}={int(v)}")
    try:
        module = _fuse.compile(
            path, data, model_name, shapes, dim_flags, target, precision,
            emit, _tile_flags(tile_configs), os.fspath(tuning_db or ""),
            keep_snapshots, dot)
    except _fuse.Error as e:
        raise CompileError(str(e)) from None
    return CompiledModel(module)


def tune(model, input_shapes=None, dims=None, target="h100",
         precision="fp32", tuning_db=None, progress=True, file=None,
         **kwargs):
    """Tunes every fused group of `model` for `target` with the cost model
    and returns the chosen tile configurations: a list, one dict per group,
    {'id', 'ops', 'onnx_nodes', 'tile'}, in the report's group order.

    ``{g['id']: g['tile'] for g in tune(...)}`` can be passed back as
    ``compile(..., tile_configs=...)``. With `progress`, prints one line per
    group and a summary to `file` (default: stderr) once tuning is done (the
    tuner runs inside the compiler and reports when it has finished).
    """
    out = file or sys.stderr
    start = time.perf_counter()
    if progress:
        print(f"fuse.tune: tuning the fused groups for {target} "
              f"({precision}) ...", file=out, flush=True)
    compiled = compile(model, input_shapes=input_shapes, dims=dims,
                       target=target, precision=precision, emit="tiled",
                       tuning_db=tuning_db, **kwargs)
    seconds = time.perf_counter() - start
    report = compiled.report
    groups = report["group_list"]
    configs = [{"id": g["id"], "ops": g["ops"], "onnx_nodes": g["onnx_nodes"],
                "tile": g.get("tile")} for g in groups]
    if progress:
        for i, g in enumerate(configs):
            print(f"fuse.tune: [{i + 1}/{len(configs)}] group {g['id']} "
                  f"({' '.join(g['ops'])}): {g['tile']}", file=out)
        tuning = report.get("tuning", {})
        summary = f"fuse.tune: {len(configs)} groups tuned in {seconds:.2f} s"
        if tuning:
            summary += (f"; {tuning.get('costed_points')} points costed, "
                        f"{tuning.get('from_database')} from the database, "
                        f"predicted {tuning.get('predicted_us', 0):.1f} us")
        print(summary, file=out, flush=True)
    return configs
