#!/usr/bin/env python3
"""Writes a float32 .npy file (1-D or more) as a serialized onnx.TensorProto,
encoded here by hand (no onnx package): `raw` puts the values in raw_data,
`packed` in float_data as a packed run, `unpacked` as one fixed32 field a
value; every form also carries a name and an unknown field to skip.
    npy_to_pb.py raw|packed|unpacked IN.npy OUT.pb"""
import ast
import struct
import sys


def varint(v):
    out = b""
    while True:
        byte = v & 0x7f
        v >>= 7
        if v:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def key(field, wire):
    return varint(field << 3 | wire)


def length_delimited(field, payload):
    return key(field, 2) + varint(len(payload)) + payload


form, src, dst = sys.argv[1:4]
data = open(src, "rb").read()
header_len = struct.unpack("<H", data[8:10])[0]
header = ast.literal_eval(data[10:10 + header_len].decode("latin1"))
assert header["descr"] == "<f4", header
payload = data[10 + header_len:]
out = b""
for d in header["shape"]:
    out += key(1, 0) + varint(d)          # dims
out += key(2, 0) + varint(1)              # data_type FLOAT
out += length_delimited(12, b"doc")       # doc_string: skipped
out += length_delimited(8, b"x")          # name
if form == "raw":
    out += length_delimited(9, payload)
elif form == "packed":
    out += length_delimited(4, payload)
else:
    for i in range(0, len(payload), 4):
        out += key(4, 5) + payload[i:i + 4]
open(dst, "wb").write(out)
