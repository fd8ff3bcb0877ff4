#!/usr/bin/env python3
"""Compares the .npy outputs NAME... of two fuse-run --output-dir
directories: max abs error relative to the reference's largest magnitude.

    compare_npy.py REF_DIR GOT_DIR --tolerance T NAME...

Prints `NAME: max rel error E ok` (or FAIL) per output; exits 1 on a FAIL
or a missing file."""
import argparse
import os
import sys

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("ref")
    p.add_argument("got")
    p.add_argument("names", nargs="+")
    p.add_argument("--tolerance", type=float, required=True)
    args = p.parse_args()
    status = 0
    for name in args.names:
        ref = np.load(os.path.join(args.ref, name + ".npy")).astype(np.float64)
        got = np.load(os.path.join(args.got, name + ".npy")).astype(np.float64)
        if ref.shape != got.shape:
            print(f"{name}: FAIL shape {got.shape} != {ref.shape}")
            status = 1
            continue
        # An empty output (a zero-size dim) matches when the shapes do.
        err = (np.abs(ref - got).max(initial=0.0) /
               max(np.abs(ref).max(initial=0.0), 1e-30))
        ok = np.isfinite(got).all() and err <= args.tolerance
        print(f"{name}: max rel error {err:.3g} {'ok' if ok else 'FAIL'}")
        status |= 0 if ok else 1
    return status


if __name__ == "__main__":
    sys.exit(main())
