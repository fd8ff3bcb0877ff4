"""docs/tutorial.md works: its Python and shell snippets run in order (the
Python ones in one namespace) and print what the text blocks after them
show. A text block with a `...` line lists lines that must appear among the
output; timings ('0.24 s;') may differ."""
import contextlib
import io
import os
import re
import subprocess

import pytest

import fuse
from conftest import BUILD, CLS, ROOT

TUTORIAL = os.path.join(ROOT, "docs", "tutorial.md")


def normalize(line):
    return re.sub(r"\d+\.\d+ s;", "N s;", line)


def test_tutorial_snippets(cls_model, ort, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    package_root = os.path.dirname(os.path.dirname(fuse.__file__))
    env = dict(os.environ, PYTHONPATH=package_root,
               M=os.path.relpath(CLS, ROOT))
    work = str(tmp_path / "tutorial")

    def localize(body):
        body = body.replace("/tmp/fuse-tutorial", work)
        body = body.replace("$PWD/build/", BUILD + "/")
        return body.replace("build/bin/", os.path.join(BUILD, "bin") + "/")

    with open(TUTORIAL) as f:
        blocks = re.findall(r"```(\w+)\n(.*?)```", f.read(), re.S)
    assert sum(kind == "python" for kind, _ in blocks) >= 8
    namespace, output, checked = {}, None, 0
    for i, (kind, body) in enumerate(blocks):
        if kind == "python":
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf), \
                    contextlib.redirect_stderr(buf):
                exec(compile(localize(body), f"tutorial block {i}", "exec"),
                     namespace)
            output = buf.getvalue()
        elif kind == "sh":
            # The setup step is what built this tree; the rest runs.
            body = localize(body).replace("bash scripts/setup.sh", "true")
            run = subprocess.run(["bash", "-euo", "pipefail", "-c", body],
                                 env=env, capture_output=True, text=True)
            assert run.returncode == 0, f"block {i}:\n{body}\n{run.stderr}"
            output = run.stdout + run.stderr
        elif kind == "text":
            assert output is not None, f"text block {i} follows no snippet"
            got = [normalize(line) for line in output.strip().splitlines()]
            want = [normalize(line) for line in body.strip().splitlines()]
            if "..." in want:
                missing = [w for w in want if w != "..." and w not in got]
                assert not missing, f"block {i}: missing {missing}"
            else:
                assert got == want, f"block {i}"
            checked += 1
            output = None
    assert checked >= 10
