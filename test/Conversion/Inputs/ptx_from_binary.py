#!/usr/bin/env python3
"""Extracts the PTX of every `#gpu.object<..., assembly = "...">` in a module
printed by fuse-opt (stdin) and, with --ptxas, assembles each with ptxas.

Prints one line per kernel object: `object N: ptxas ok` (or the PTX's
`.entry` names without --ptxas). Exits non-zero if there is no object, or if
ptxas fails or writes anything (warnings included) for one of them.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def unescape(text, start):
    """Decodes the MLIR string literal whose body begins at text[start]."""
    out = bytearray()
    i = start
    while i < len(text):
        c = text[i]
        if c == '"':
            return out.decode("utf-8"), i + 1
        if c == "\\":
            nxt = text[i + 1]
            if nxt in '"\\':
                out.append(ord(nxt))
                i += 2
            elif nxt == "n":
                out.append(10)
                i += 2
            elif nxt == "t":
                out.append(9)
                i += 2
            else:
                out.append(int(text[i + 1:i + 3], 16))
                i += 3
            continue
        out.extend(c.encode("utf-8"))
        i += 1
    raise ValueError("unterminated string literal")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ptxas", help="ptxas to assemble each PTX with")
    parser.add_argument("--arch", default="sm_90")
    args = parser.parse_args()
    text = sys.stdin.read()
    objects = []
    for match in re.finditer(r'assembly = "', text):
        ptx, _ = unescape(text, match.end())
        objects.append(ptx)
    if not objects:
        print("error: no gpu.object with an assembly", file=sys.stderr)
        return 1
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, ptx in enumerate(objects):
            entries = re.findall(r"\.entry\s+(\w+)", ptx)
            if not args.ptxas:
                print(f"object {n}: entries {' '.join(entries)}")
                continue
            path = os.path.join(tmp, f"object{n}.ptx")
            with open(path, "w") as f:
                f.write(ptx)
            proc = subprocess.run(
                [args.ptxas, f"-arch={args.arch}", path, "-o",
                 os.path.join(tmp, f"object{n}.cubin")],
                capture_output=True, text=True)
            if proc.returncode != 0 or proc.stdout or proc.stderr:
                print(f"object {n}: ptxas failed (rc {proc.returncode})")
                sys.stdout.write(proc.stdout + proc.stderr)
                status = 1
            else:
                print(f"object {n}: ptxas ok ({' '.join(entries)})")
    return status


if __name__ == "__main__":
    sys.exit(main())
