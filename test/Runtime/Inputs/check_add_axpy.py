#!/usr/bin/env python3
"""Checks fuse-run's outputs of make_bundle.py's good bundle: reads y, z and
x from OUTDIR (x from the second argument when given; .npy files are read
without numpy) and compares with the reference computed here in float32."""
import ast
import struct
import sys


def load_npy(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:6] == b"\x93NUMPY", path
    header_len = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + header_len].decode("latin1"))
    code = {"<f4": "f", "<i4": "i"}[header["descr"]]
    n = 1
    for d in header["shape"]:
        n *= d
    values = struct.unpack("<%d%s" % (n, code),
                           data[10 + header_len:10 + header_len + 4 * n])
    return header["descr"], header["shape"], list(values)


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


out = sys.argv[1]
_, (n,), x = load_npy(sys.argv[2] if len(sys.argv) > 2 else out + "/x.npy")
ydt, yshape, y = load_npy(out + "/y.npy")
zdt, zshape, z = load_npy(out + "/z.npy")
assert (ydt, yshape) == ("<f4", (n,)), (ydt, yshape)
assert (zdt, zshape) == ("<i4", (16,)), (zdt, zshape)
err = 0.0
for i in range(n):
    t = f32(x[i] + f32(0.25 * i - 3))
    if i >= n // 2:
        t = f32(2.0 * x[i] + t)  # fma: at most one rounding apart
    err = max(err, abs(y[i] - t))
print("y max abs err", err, "ok" if err <= 1e-5 else "MISMATCH")
want_z = [0x01010101] * 8 + [0] * 8
print("z", "ok" if z == want_z else "MISMATCH %s" % z)
