"""Every ONNX backend node case that imports compiles to a GPU bundle, or
fails with one clear error line; the GPU path never crashes or hangs.

Usage: compile_gpu.py FUSE_TRANSLATE FUSE_COMPILE [--target h100]

Per case, `fuse-compile CASE --target=T --emit=ptx` at fp32 and at
`--precision=fp16`. A case is "ok" when both write a bundle, "error" when a
compile exits 1 with exactly one `error:` line, and "bad" otherwise (a
crash, a signal, a hang, several lines). Errors are allowed only for the
cases of ALLOWED (GPU kernels Fuse does not have yet); an allowed case that
compiles fails the run too, so the list only shrinks. Prints the counts and
each error, and exits 1 on a bad case or an error outside ALLOWED.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import import_cases  # noqa: E402

# Case name patterns with no GPU kernel yet, and why (none at present:
# scatter, the last, has its kernels).
ALLOWED = {}


def allowed(name):
    return any(re.fullmatch(p, name) for p in ALLOWED)


def compile_case(translate, compile_, case, workdir, target):
    status, _, module = import_cases.import_case(translate, case, workdir)
    if status != "pass":
        return None
    for precision in ("fp32", "fp16"):
        out = os.path.join(workdir, f"{case.name}.{precision}")
        cmd = [compile_, module, f"--target={target}", "--emit=ptx", "-o",
               out]
        if precision != "fp32":
            cmd.append(f"--precision={precision}")
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=300)
        except subprocess.TimeoutExpired:
            return "bad", f"{precision}: timed out"
        lines = proc.stderr.strip().splitlines()
        if proc.returncode == 0:
            if not os.path.exists(os.path.join(out, "plan.json")):
                return "bad", f"{precision}: exit 0 without a bundle"
            continue
        if (proc.returncode == 1 and len(lines) == 1 and
                lines[0].startswith("error:") and not os.path.exists(out)):
            return "error", f"{precision}: {lines[0]}"
        return "bad", (f"{precision}: exit {proc.returncode}: " +
                       " | ".join(lines[:4]))
    return "ok", ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("translate")
    parser.add_argument("compile")
    parser.add_argument("--target", default="h100")
    args = parser.parse_args()
    cases = import_cases.claimed_cases(args.translate)
    with tempfile.TemporaryDirectory() as workdir, \
            concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as ex:
        results = list(ex.map(
            lambda c, d: (c.name, compile_case(args.translate, args.compile, c,
                                               d, args.target)), cases,
            import_cases.case_dirs(workdir, cases)))
    counts = {"ok": 0, "error": 0, "bad": 0}
    failed = False
    for name, result in results:
        if result is None:
            continue
        status, message = result
        counts[status] += 1
        if status == "bad":
            print(f"BAD {name}: {message}")
            failed = True
        elif status == "error":
            tag = "allowed" if allowed(name) else "UNEXPECTED"
            failed |= not allowed(name)
            print(f"{tag} {name}: {message}")
        elif allowed(name):
            print(f"NOW COMPILES {name}: drop it from ALLOWED")
            failed = True
    print(f"gpu bundles ({args.target}): {counts['ok']} compile, "
          f"{counts['error']} errors, {counts['bad']} bad")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
