#!/usr/bin/env python3
"""Writes a small hand-made bundle (plan.json, model.ptx, weights.bin) for the
fuse-run --device=cuda tests, optionally broken in one way (--case).

The good bundle runs add_axpy.ptx on x (input, f32[1000]) and w (weight at
weights.bin offset 256, w[i] = 0.25 * i - 3):
  step 0  t = x + w                       (add_f32, arena buffer 2)
  step 1  t[500:] += 2 * x[500:]          (axpy_f32 through byte offsets)
  step 2  y = t                           (copy to output y)
  step 3  s = 0x01 bytes                  (memset arena buffer 3, i32[16])
  step 4  z = s                           (copy to output z)
  step 5  z[8:] = 0                       (memset with a byte offset)
check_add_axpy.py checks y and z against numpy.
"""
import argparse
import json
import os
import shutil
import struct

N = 1000


def good_plan():
    return {
        "format": "fuse-bundle", "version": 1, "target": "test",
        "chip": "sm_80", "ptx": "model.ptx", "weights": "weights.bin",
        "arena_bytes": 4160, "alignment": 256,
        "buffers": [
            {"id": 0, "kind": "input", "name": "x", "dtype": "f32",
             "shape": [N], "bytes": 4 * N},
            {"id": 1, "kind": "weight", "dtype": "f32", "shape": [N],
             "bytes": 4 * N, "weights_offset": 256},
            {"id": 2, "kind": "arena", "dtype": "f32", "shape": [N],
             "bytes": 4 * N, "offset": 0, "live": [0, 2]},
            {"id": 3, "kind": "arena", "dtype": "i32", "shape": [16],
             "bytes": 64, "offset": 4096, "live": [3, 4]},
            {"id": 4, "kind": "output", "name": "y", "dtype": "f32",
             "shape": [N], "bytes": 4 * N},
            {"id": 5, "kind": "output", "name": "z", "dtype": "i32",
             "shape": [16], "bytes": 64},
        ],
        "inputs": [{"name": "x", "buffer": 0}],
        "outputs": [{"name": "y", "buffer": 4}, {"name": "z", "buffer": 5}],
        "steps": [
            {"op": "launch", "kernel": "add_f32", "grid": [8, 1, 1],
             "block": [128, 1, 1], "shared_bytes": 0,
             "params": [{"type": "ptr", "buffer": 0, "byte_offset": 0},
                        {"type": "ptr", "buffer": 1, "byte_offset": 0},
                        {"type": "ptr", "buffer": 2, "byte_offset": 0},
                        {"type": "i64", "value": N}]},
            {"op": "launch", "kernel": "axpy_f32", "grid": [4, 1, 1],
             "block": [128, 1, 1], "shared_bytes": 0,
             "params": [{"type": "ptr", "buffer": 0, "byte_offset": 2000},
                        {"type": "ptr", "buffer": 2, "byte_offset": 2000},
                        {"type": "f32", "value": 2.0},
                        {"type": "i32", "value": N // 2}]},
            {"op": "copy", "src": {"buffer": 2, "byte_offset": 0},
             "dst": {"buffer": 4, "byte_offset": 0}, "bytes": 4 * N},
            {"op": "memset", "dst": {"buffer": 3, "byte_offset": 0},
             "bytes": 64, "value": 1},
            {"op": "copy", "src": {"buffer": 3, "byte_offset": 0},
             "dst": {"buffer": 5, "byte_offset": 0}, "bytes": 64},
            {"op": "memset", "dst": {"buffer": 5, "byte_offset": 32},
             "bytes": 32, "value": 0},
        ],
    }


def write_npy(path, values, shape):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % (
        str(tuple(shape)))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) +
                header.encode() +
                struct.pack("<%df" % len(values), *values))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--case", default="good")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copy(os.path.join(here, "add_axpy.ptx"),
                os.path.join(args.dir, "model.ptx"))
    with open(os.path.join(args.dir, "weights.bin"), "wb") as f:
        f.write(b"\xab" * 256)  # not w: a wrong offset shows in y
        f.write(struct.pack("<%df" % N, *[0.25 * i - 3 for i in range(N)]))
    plan = good_plan()
    case = args.case
    buffers = plan["buffers"]
    steps = plan["steps"]
    text = None
    if case == "good":
        pass
    elif case == "bad-json":
        text = '{"format": "fuse-bundle", "version": 1,\n  "buffers": [}\n'
    elif case == "no-weights":
        os.remove(os.path.join(args.dir, "weights.bin"))
    elif case == "no-ptx":
        os.remove(os.path.join(args.dir, "model.ptx"))
    elif case == "empty-ptx":
        open(os.path.join(args.dir, "model.ptx"), "w").close()
    elif case == "version":
        plan["version"] = 2
    elif case == "arena-overflow":
        buffers[3]["offset"] = 4352
    elif case == "weights-outside":
        buffers[1]["weights_offset"] = 512
    elif case == "unknown-kernel":
        steps[1]["kernel"] = "axpy_f64"
    elif case == "bad-param":
        steps[0]["params"][3]["type"] = "u16"
    elif case == "step-bytes":
        steps[2]["bytes"] = 4 * N + 4
    elif case == "overlap":
        buffers[3]["offset"] = 0
        buffers[3]["live"] = [2, 4]
    elif case == "bytes":
        buffers[0]["bytes"] = 4 * N - 4
    elif case == "big-shared":
        steps[0]["shared_bytes"] = 65536
        steps[1]["shared_bytes"] = 50000
    elif case == "huge-shared":
        steps[1]["shared_bytes"] = 300000
    elif case == "bf16":
        # y = x through a bf16 copy: .npy files carry bf16 as f32.
        plan["buffers"] = [
            {"id": 0, "kind": "input", "name": "x", "dtype": "bf16",
             "shape": [2, 2], "bytes": 8},
            {"id": 1, "kind": "output", "name": "y", "dtype": "bf16",
             "shape": [2, 2], "bytes": 8}]
        plan["outputs"] = [{"name": "y", "buffer": 1}]
        plan["arena_bytes"] = 0
        plan["steps"] = [{"op": "copy", "src": {"buffer": 0},
                          "dst": {"buffer": 1}, "bytes": 8}]
        # 1 + 2^-8 is halfway between two bf16 values: ties to even (1.0);
        # 1 + 3 * 2^-8 rounds up to 1 + 2^-6.
        write_npy(os.path.join(args.dir, "x.npy"),
                  [1.0, 1.00390625, 1.01171875, -2.5], (2, 2))
    else:
        raise SystemExit("unknown case " + case)
    with open(os.path.join(args.dir, "plan.json"), "w") as f:
        f.write(text if text is not None else json.dumps(plan, indent=1))


if __name__ == "__main__":
    main()
