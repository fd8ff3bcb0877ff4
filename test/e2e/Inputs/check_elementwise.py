"""Checks fuse-run's outputs for elementwise.onnxtxt against numpy."""
import sys

import numpy as np

d = sys.argv[1]
x = np.load(f"{d}/x.npy")
b = np.load(f"{d}/b.npy")
i = np.load(f"{d}/i.npy")
s = x + b
sig = 1 / (1 + np.exp(-s))
ref = {
    "y": sig,
    "m": sig > 0.5,
    "h": s * np.clip(s + 3, 0, 6) / 6,
    "q": np.mod(i, np.int64(3)) - np.int64(4),
    "c": (x * 4).astype(np.int32),
}
worst = 0.0
for name, expected in ref.items():
    got = np.load(f"{d}/{name}.npy")
    assert got.dtype == expected.dtype, (name, got.dtype, expected.dtype)
    assert got.shape == expected.shape, (name, got.shape, expected.shape)
    if expected.dtype.kind == "f":
        err = float(np.max(np.abs(got - expected) / (np.abs(expected) + 1e-6)))
        worst = max(worst, err)
        assert err < 1e-5, (name, err)
    else:
        assert (got == expected).all(), name
print(f"elementwise: ok, max rel error {worst:.2e}")
