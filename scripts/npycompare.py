"""Compares .npy outputs of two runs, one line per output.

As a module: compare(got_dir, ref_dir, names, rtol, atol, ref_label) is
shared by compare-ort.py (Fuse vs ONNX Runtime) and by this script's command
line (any two output directories, e.g. a fused module vs the unfused one).

Usage: npycompare.py GOT_DIR REF_DIR [--rtol 1e-5] [--atol 0] [NAME...]
Without names every REF_DIR/*.npy that is not also an input file written by
fuse-run (listed with --skip) is compared. Exit status 1 on any mismatch.

The relative error is max|got - ref| / max|ref|, so that near-zero elements
do not dominate; an output is accepted when it is within rtol relative or
within atol absolute. Integer and boolean outputs must be equal.
"""
import argparse
import os
import sys

import numpy as np


def compare_one(got_path, ref_path, rtol, atol, label, ref_label="ref"):
    """Compares one output; returns (ok, the line that says how)."""
    if not os.path.exists(got_path):
        return False, f"{label}: missing {got_path} MISMATCH"
    got_raw, ref_raw = np.load(got_path), np.load(ref_path)
    got = got_raw.astype(np.float64)
    ref = ref_raw.astype(np.float64)
    if got.shape != ref.shape:
        return False, (f"{label}: shape {got.shape} vs {ref_label} "
                       f"{ref.shape} MISMATCH")
    exact = not np.issubdtype(ref_raw.dtype, np.floating)
    same_nan = np.isnan(got) == np.isnan(ref)
    # Equal values (infinities included) differ by 0; NaNs are compared by
    # position above.
    differs = ~np.isnan(ref) & ~np.isnan(got) & (got != ref)
    with np.errstate(invalid="ignore"):
        diff = np.abs(got - ref)[differs]
    abs_err = float(np.max(diff)) if diff.size else 0.0
    finite = np.abs(ref[np.isfinite(ref)])
    scale = float(np.max(finite)) if finite.size else 0.0
    rel_err = abs_err / scale if scale > 0 else abs_err
    if exact:
        good = abs_err == 0.0
    else:
        good = rel_err <= rtol or abs_err <= atol
    good = good and bool(np.all(same_nan))
    return good, (f"{label}: max abs error {abs_err:.3e}, max rel error "
                  f"{rel_err:.3e} (rtol {rtol:g}, atol {atol:g}, max "
                  f"|{ref_label}| {scale:.3e}) {'ok' if good else 'MISMATCH'}")


def compare(got_dir, ref_dir, names, rtol, atol, ref_label="ref"):
    """Compares GOT_DIR/NAME.npy with REF_DIR/NAME.npy for every name,
    printing one line each; returns whether all match."""
    ok = True
    for name in names:
        good, line = compare_one(os.path.join(got_dir, name + ".npy"),
                                 os.path.join(ref_dir, name + ".npy"),
                                 rtol, atol, name, ref_label)
        print(line)
        ok &= good
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("got_dir")
    parser.add_argument("ref_dir")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--atol", type=float, default=0.0)
    parser.add_argument("--skip", action="append", default=[],
                        help="a name not to compare (e.g. an input)")
    args = parser.parse_args()
    names = args.names or sorted(
        f[:-4] for f in os.listdir(args.ref_dir)
        if f.endswith(".npy") and f[:-4] not in args.skip)
    if not names:
        print("error: nothing to compare", file=sys.stderr)
        sys.exit(1)
    sys.exit(0 if compare(args.got_dir, args.ref_dir, names, args.rtol,
                          args.atol) else 1)


if __name__ == "__main__":
    main()
