"""The ONNX backend node test cases, generated locally from Debian's
python3-onnx 1.12 (no download, no committed binaries).

Its generator still uses numpy aliases that numpy 1.24 removed; they are
restored here before the generator is imported.
"""
import warnings

import numpy as np

for _name, _type in (("float", float), ("int", int), ("bool", bool),
                     ("object", object)):
    if _name not in np.__dict__:
        setattr(np, _name, _type)


def node_cases():
    """All node test cases: objects with .name, .model, .data_sets."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from onnx.backend.test.case import node
        return node.collect_testcases(None)
