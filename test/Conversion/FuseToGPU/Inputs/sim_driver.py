"""The driver the simulate_*.py scripts share: picking the module of the
function to run from fuse-opt's generic-form output on stdin, parsing it,
making random inputs for the function's memref arguments, running each
block of a gpu.launch with lock-step threads, and comparing the result with
numpy's.

The interpreter itself (parse, Block_Runner, MemRef, ...) is simulate_gemm's;
the functions here take that module as `sim`, so that a script run as
__main__ and the module it imports never mix two copies of its classes.
"""
import re
import sys

import numpy as np


def select_module(func):
    """The text of the module on stdin (modules separated by // -----) that
    defines `func`, or the only one when `func` is None; None after an
    error message."""
    chunks = sys.stdin.read().split("// -----")
    if func:
        chunks = [c for c in chunks if f'sym_name = "{func}"' in c]
    if len(chunks) != 1:
        what = f"defining {func}" if func else "to run"
        print(f"error: expected one module {what}", file=sys.stderr)
        return None
    return chunks[0]


def start(sim, args):
    """The parsed lines, func.func op and body of the module defining
    `args.func` on stdin, and a random generator seeded with `args.seed`;
    None after an error message."""
    np.seterr(all="ignore")
    text = select_module(args.func)
    if text is None:
        return None
    lines, func, body = parse_function(sim, text)
    return lines, func, body, np.random.default_rng(args.seed)


def parse_function(sim, text):
    """The parsed lines, the func.func op and its body of a module."""
    lines = [l for l in text.splitlines()
             if l.strip() and not l.startswith("#")]
    top = sim.Block([])
    sim.parse(lines, 0, top)
    func = top.ops[0].regions[0].ops[0]
    return lines, func, func.regions[0]


def contiguous(dims):
    """Row-major strides of `dims`."""
    return [int(np.prod(dims[k + 1:])) for k in range(len(dims))]


def make_inputs(sim, func, body, make_data, name_type=np.float32,
                memref_type=None):
    """The environment binding the function's memref arguments to random
    data (`make_data(index, dims, element type)` makes argument `index`'s)
    and the numpy arrays of that data by name (a, b, ...) as `name_type`."""
    memref_type = memref_type or sim.memref_type
    env, names = {}, {}
    arg_types = sim.split_types(
        re.search(r"function_type = \((.*?)\) ->", func.attrs).group(1))
    for i, (arg, ty) in enumerate(zip(body.args, arg_types)):
        dims, el = memref_type(ty)
        data = make_data(i, dims, el)
        env[arg] = sim.MemRef(data.reshape(-1), 0, dims, contiguous(dims))
        names[chr(ord("a") + i)] = data.astype(name_type)
    return env, names


def run_launch(sim, op, env, make_runner, setup=None):
    """Runs the gpu.launch `op` block by block: T lock-step threads (block
    x; y and z must be 1 or are ignored), the launch's block and thread ids
    and sizes bound, the values of `env` broadcast over the threads.
    `setup(block_env, T)` binds what else a block has (its shared memory);
    `make_runner(T, block_env)` makes the interpreter."""
    vals = [sim.uniform(env[o]) for o in op.operands[:6]]
    grid, block = vals[0:3], vals[3:6]
    T = block[0]
    launch = op.regions[0]
    for bz in range(grid[2]):
        for by in range(grid[1]):
            for bx in range(grid[0]):
                benv = {k: (np.broadcast_to(v[:1], (T,) + v.shape[1:]).copy()
                            if isinstance(v, np.ndarray) else v)
                        for k, v in env.items()}
                ids = [bx, by, bz] + [None] * 3 + list(grid) + list(block)
                for i, arg in enumerate(launch.args[:12]):
                    if i < 3:
                        benv[arg] = np.full(T, ids[i])
                    elif i == 3:
                        benv[arg] = np.arange(T)
                    elif i < 6:
                        benv[arg] = np.zeros(T, np.int64)
                    else:
                        benv[arg] = np.full(T, ids[i])
                if setup:
                    setup(benv, T)
                make_runner(T, benv).run(launch, np.ones(T, bool))


def check_close(got, expected, unwritten="memory", suffix="",
                check_shape=True):
    """Prints `ok: SHAPE max abs error E (tolerance T)SUFFIX` or FAIL (a
    shape or NaN mismatch, or an error over 2e-3 of the largest expected
    magnitude, at least 1: a few f16 ulps); returns the exit code."""
    got = got.astype(np.float32)
    if check_shape and got.shape != expected.shape:
        print(f"FAIL: shape {got.shape} expected {expected.shape}")
        return 1
    if np.isnan(got).any():
        print(f"FAIL: {int(np.isnan(got).sum())} output elements NaN (not "
              f"written, or computed from unwritten {unwritten})")
        return 1
    err = np.abs(got - expected).max()
    tol = 2e-3 * max(1.0, np.abs(expected).max())
    status = "ok" if err <= tol else "FAIL"
    shape = "x".join(str(d) for d in got.shape)
    print(f"{status}: {shape} max abs error {err:.3g}"
          f" (tolerance {tol:.3g}){suffix}")
    return 0 if status == "ok" else 1
