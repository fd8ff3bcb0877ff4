"""Checks a bench/gpu manifest: each case has a bundle (with plan.json) or
a recorded error line, and the exact fuse-compile command that made it."""
import json
import os
import sys

path = sys.argv[1]
root = os.path.dirname(path)
with open(path) as f:
    manifest = json.load(f)
assert manifest["format"] == "fuse-gpu-bench", manifest["format"]
for case in manifest["cases"]:
    cmd = case.get("command") or ""
    problems = []
    if "fuse-compile" not in cmd or "--target=h100" not in cmd or \
            "--emit=ptx" not in cmd or f"--precision={case['precision']}" \
            not in cmd:
        problems.append(f"bad command {cmd!r}")
    if case.get("bundle"):
        if not os.path.exists(os.path.join(root, case["bundle"],
                                           "plan.json")):
            problems.append("bundle without plan.json")
    elif not (case.get("error") or "").startswith("error:"):
        problems.append(f"no bundle and no error line: {case.get('error')!r}")
    if case["kind"] == "model" and case.get("source") == "ocr" and \
            not os.path.exists(os.path.join(root, case["onnx"])):
        problems.append("ONNX not copied")
    extra = f" recognized={case['recognized']}" if "recognized" in case \
        else ""
    names = ",".join(i["name"] for i in case["inputs"])
    print(f"{case['name']} {case['kind']} flops={case.get('flops')} "
          f"inputs={names}{extra} " + ("; ".join(problems) or "ok"))
print(f"{len(manifest['cases'])} cases")
