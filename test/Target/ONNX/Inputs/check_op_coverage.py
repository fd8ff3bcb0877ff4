"""Checks that every entry of the importer's op table is used by a model in
the ONNX importer's lit tests.

Usage: fuse-translate --list-onnx-ops | check_op_coverage.py TEST_DIR

Reads the Markdown op table on stdin; a table entry counts as covered when a
`*.onnxtxt` test (known-bugs*.onnxtxt excluded) applies it as a node, i.e.
`OpName(` or `OpName <` (with the domain prefix for non-default domains).
Prints one line per uncovered op, then a summary line.
"""
import os
import re
import sys

ops = []
for line in sys.stdin:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) < 3 or cells[0] in ("ONNX op", "") or cells[0].startswith("---"):
        continue
    ops.append(cells[0])

text = ""
test_dir = sys.argv[1]
for root, _, files in os.walk(test_dir):
    for name in sorted(files):
        if name.endswith(".onnxtxt") and not name.startswith("known-bugs"):
            with open(os.path.join(root, name)) as f:
                # Drop comments: a CHECK line naming an op does not cover it.
                text += "\n".join(l.split("#", 1)[0] for l in f) + "\n"

missing = []
for op in ops:
    pattern = r"(?<![\w.])" + re.escape(op) + r"\s*[(<]"
    if not re.search(pattern, text):
        missing.append(op)
for op in missing:
    print("uncovered op: " + op)
print("op table coverage: %d ops, %d uncovered" % (len(ops), len(missing)))
