#!/usr/bin/env python3
"""Compares the outputs NAME.npy of two runs (e.g. the CPU path and a GPU
bundle): float outputs within --tol (relative to the largest magnitude,
NaN where the other has NaN), integer outputs exactly. Prints one line per
output and `all outputs match` at the end; exits non-zero on a mismatch."""
import argparse
import os
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("reference")
    parser.add_argument("candidate")
    parser.add_argument("names", nargs="+")
    parser.add_argument("--tol", type=float, default=1e-4)
    args = parser.parse_args()
    status = 0
    for name in args.names:
        ref = np.load(os.path.join(args.reference, name + ".npy"))
        got = np.load(os.path.join(args.candidate, name + ".npy"))
        if ref.shape != got.shape or ref.dtype != got.dtype:
            print(f"{name}: FAIL: {got.dtype}{list(got.shape)} vs "
                  f"{ref.dtype}{list(ref.shape)}")
            status = 1
            continue
        if ref.dtype.kind == "f":
            ref64, got64 = ref.astype(np.float64), got.astype(np.float64)
            if (np.isnan(ref64) != np.isnan(got64)).any():
                print(f"{name}: FAIL: NaN in one output only")
                status = 1
                continue
            finite = np.isfinite(ref64)
            err = np.abs(ref64 - got64)[finite].max(initial=0.0)
            tol = args.tol * max(1.0, np.abs(ref64[finite]).max(initial=0.0))
            infinite = np.isinf(ref64)
            ok = err <= tol and (ref64[infinite] == got64[infinite]).all()
            print(f"{name}: {'ok' if ok else 'FAIL'}: max abs error "
                  f"{err:.3g} (tolerance {tol:.3g})")
        else:
            wrong = int((ref != got).sum())
            ok = wrong == 0
            print(f"{name}: {'ok' if ok else 'FAIL'}: {wrong} elements differ")
        status |= 0 if ok else 1
    if status == 0:
        print("all outputs match")
    return status


if __name__ == "__main__":
    sys.exit(main())
