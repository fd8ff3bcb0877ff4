#!/usr/bin/env python3
"""Compares the .npy outputs of two fuse-run output directories: for each
name, max |a - b| <= tol * max(1, max |b|). Prints one line per output and
exits non-zero on a mismatch or a missing output."""
import argparse
import sys

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("got")
    p.add_argument("ref")
    p.add_argument("names", nargs="+")
    p.add_argument("--tol", type=float, default=1e-2)
    args = p.parse_args()
    status = 0
    for name in args.names:
        got = np.load(f"{args.got}/{name}.npy").astype(np.float64)
        ref = np.load(f"{args.ref}/{name}.npy").astype(np.float64)
        if got.shape != ref.shape:
            print(f"{name}: FAIL shape {got.shape} vs {ref.shape}")
            status = 1
            continue
        err = float(np.abs(got - ref).max()) if got.size else 0.0
        bound = args.tol * max(1.0, float(np.abs(ref).max()))
        ok = np.isfinite(got).all() and err <= bound
        print(f"{name}: {'ok' if ok else 'FAIL'} max abs error {err:.3g} "
              f"(bound {bound:.3g})")
        status |= 0 if ok else 1
    return status


if __name__ == "__main__":
    sys.exit(main())
