"""Writes binary ModelProto seeds next to the text seeds (libFuzzer corpus).

Usage: make_binary_seeds.py SRC_DIR DST_DIR
"""
import os
import sys

import onnx
import onnx.parser

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
for name in sorted(os.listdir(src)):
    if not name.endswith(".onnxtxt"):
        continue
    with open(os.path.join(src, name)) as f:
        model = onnx.parser.parse_model(f.read())
    with open(os.path.join(dst, name[: -len(".onnxtxt")] + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())
