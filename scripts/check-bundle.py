#!/usr/bin/env python3
"""Checks a Fuse GPU bundle (fuse-compile --emit=ptx -o DIR) and reports its
kernels' resources.

    check-bundle.py DIR [--ptxas PTXAS --arch sm_80 --arch sm_90] [--json OUT]

Checks, each failure one `error:` line and exit status 1:
  - plan.json is well formed: buffer ids, kinds, dtypes, bytes = shape x size;
  - no two arena buffers whose live ranges meet share a byte, and every arena
    buffer lies inside arena_bytes at an aligned offset;
  - every weight lies inside weights.bin;
  - every launched kernel is a `.entry` of model.ptx and every entry is
    launched; every parameter names an existing buffer (tensor_map parameters an
    existing tensor map, whose dims lie inside its buffer);
  - with --ptxas: model.ptx assembles for each --arch; the registers, spills,
    shared memory and stack of every kernel are printed (ptxas -v).
"""

import argparse
import json
import os
import re
import subprocess
import sys

SIZES = {"f32": 4, "f16": 2, "bf16": 2, "f64": 8, "i64": 8, "i32": 4,
         "i16": 2, "i8": 1, "u8": 1, "u16": 2, "u32": 4, "u64": 8, "i1": 1}


class BundleError(Exception):
    pass


def check_plan(plan, weights_size, ptx_text):
    buffers = {}
    for b in plan["buffers"]:
        if b["id"] in buffers:
            raise BundleError(f"buffer {b['id']} defined twice")
        if b["dtype"] not in SIZES:
            raise BundleError(f"buffer {b['id']}: unknown dtype {b['dtype']}")
        count = 1
        for d in b["shape"]:
            count *= d
        if count * SIZES[b["dtype"]] != b["bytes"]:
            raise BundleError(f"buffer {b['id']}: {b['bytes']} bytes for "
                              f"shape {b['shape']} of {b['dtype']}")
        if b["kind"] not in ("input", "output", "weight", "arena"):
            raise BundleError(f"buffer {b['id']}: unknown kind {b['kind']}")
        buffers[b["id"]] = b
    align = plan["alignment"]
    arena = [b for b in buffers.values() if b["kind"] == "arena"]
    for b in arena:
        if b["offset"] % align or b["offset"] + b["bytes"] > plan["arena_bytes"]:
            raise BundleError(f"arena buffer {b['id']} at {b['offset']} "
                              f"(+{b['bytes']}) is unaligned or outside the "
                              f"arena of {plan['arena_bytes']} bytes")
    # Sweep: buffers sorted by offset; compare each with the later ones
    # that start before it ends.
    arena.sort(key=lambda b: b["offset"])
    for i, a in enumerate(arena):
        end = a["offset"] + a["bytes"]
        for b in arena[i + 1:]:
            if b["offset"] >= end:
                break
            if a["live"][0] <= b["live"][1] and b["live"][0] <= a["live"][1]:
                raise BundleError(
                    f"arena buffers {a['id']} (live {a['live']}) and "
                    f"{b['id']} (live {b['live']}) overlap in memory at "
                    f"[{b['offset']}, {min(end, b['offset'] + b['bytes'])})")
    for b in buffers.values():
        if b["kind"] == "weight" and \
                b["weights_offset"] + b["bytes"] > weights_size:
            raise BundleError(f"weight {b['id']} lies outside weights.bin")
    for io in ("inputs", "outputs"):
        for entry in plan[io]:
            if entry["buffer"] not in buffers:
                raise BundleError(f"{io[:-1]} {entry['name']} names no buffer")

    # TMA tensor maps: the box of each dim fits the map's dims, and the
    # extent the dims and byte strides span lies inside the buffer.
    tensor_maps = plan.get("tensor_maps", [])
    sizes = {"f16": 2, "bf16": 2, "f32": 4}
    for i, m in enumerate(tensor_maps):
        if m["buffer"] not in buffers:
            raise BundleError(f"tensor map {i} names no buffer")
        rank, e = m["rank"], sizes[m["dtype"]]
        if not (len(m["dims"]) == len(m["box"]) == rank and
                len(m["strides"]) == rank - 1):
            raise BundleError(f"tensor map {i}: dims, box, strides do not "
                              f"match rank {rank}")
        extent = m["dims"][0] * e
        for d in range(1, rank):
            extent = max(extent, m["strides"][d - 1] * m["dims"][d])
        if m["byte_offset"] % 16 or any(s % 16 for s in m["strides"]):
            raise BundleError(f"tensor map {i}: address or strides not "
                              f"16-byte aligned")
        if m["byte_offset"] + extent > buffers[m["buffer"]]["bytes"]:
            raise BundleError(f"tensor map {i} overruns buffer "
                              f"{m['buffer']}")
    entries = set(re.findall(r"\.entry\s+(\w+)\s*\(", ptx_text))
    launched = set()
    for index, step in enumerate(plan["steps"]):
        refs = []
        if step["op"] == "launch":
            if step["kernel"] not in entries:
                raise BundleError(f"step {index}: kernel {step['kernel']} is "
                                  f"not in model.ptx")
            launched.add(step["kernel"])
            refs = [p["buffer"] for p in step["params"] if p["type"] == "ptr"]
            # A tensor map's kernel reads its buffer through the map.
            for p in step["params"]:
                if p["type"] != "tensor_map":
                    continue
                if not 0 <= p["tensor_map"] < len(tensor_maps):
                    raise BundleError(f"step {index}: names no tensor map "
                                      f"{p['tensor_map']}")
                refs.append(tensor_maps[p["tensor_map"]]["buffer"])
        elif step["op"] == "copy":
            refs = [step["src"]["buffer"], step["dst"]["buffer"]]
            for side in ("src", "dst"):
                ref = step[side]
                if ref["byte_offset"] + step["bytes"] > \
                        buffers[ref["buffer"]]["bytes"]:
                    raise BundleError(f"step {index}: the copy's {side} "
                                      f"overruns buffer {ref['buffer']}")
        elif step["op"] == "memset":
            refs = [step["dst"]["buffer"]]
        else:
            raise BundleError(f"step {index}: unknown op {step['op']}")
        for ref in refs:
            if ref not in buffers:
                raise BundleError(f"step {index}: names no buffer {ref}")
            b = buffers[ref]
            if b["kind"] == "arena" and not (b["live"][0] <= index <= b["live"][1]):
                raise BundleError(f"step {index} uses arena buffer {ref} "
                                  f"outside its live range {b['live']}")
    if entries - launched:
        raise BundleError("kernels never launched: " +
                          ", ".join(sorted(entries - launched)))
    return buffers, entries


def ptxas_report(ptxas, arch, ptx_path):
    proc = subprocess.run([ptxas, "-v", f"-arch={arch}", ptx_path, "-o",
                           os.devnull], capture_output=True, text=True)
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or ["(no message)"])[0]
        raise BundleError(f"ptxas -arch={arch} failed: {first}")
    kernels = {}
    current = None
    for line in proc.stderr.splitlines():
        m = re.search(r"Compiling entry function '(\w+)'", line)
        if m:
            current = kernels.setdefault(m.group(1), {
                "registers": 0, "spill_stores": 0, "spill_loads": 0,
                "stack": 0, "smem": 0})
            continue
        if current is None:
            continue
        m = re.search(r"(\d+) bytes stack frame, (\d+) bytes spill stores, "
                      r"(\d+) bytes spill loads", line)
        if m:
            current["stack"] = int(m.group(1))
            current["spill_stores"] = int(m.group(2))
            current["spill_loads"] = int(m.group(3))
        m = re.search(r"Used (\d+) registers", line)
        if m:
            current["registers"] = int(m.group(1))
        m = re.search(r"(\d+) bytes smem", line)
        if m:
            current["smem"] = int(m.group(1))
    return kernels


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle")
    parser.add_argument("--ptxas", default="")
    parser.add_argument("--arch", action="append", default=[])
    parser.add_argument("--json", default="")
    parser.add_argument("--per-kernel", action="store_true",
                        help="print one line per kernel and arch")
    args = parser.parse_args()
    try:
        try:
            with open(os.path.join(args.bundle, "plan.json")) as f:
                plan = json.load(f)
            ptx_path = os.path.join(args.bundle, plan["ptx"])
            with open(ptx_path) as f:
                ptx_text = f.read()
            weights_size = os.path.getsize(
                os.path.join(args.bundle, plan["weights"]))
        except (OSError, ValueError, KeyError) as e:
            raise BundleError(f"cannot read the bundle: {e}")
        try:
            buffers, entries = check_plan(plan, weights_size, ptx_text)
        except KeyError as e:
            raise BundleError(f"plan.json lacks field {e}")
        arena = [b for b in buffers.values() if b["kind"] == "arena"]
        launches = sum(1 for s in plan["steps"] if s["op"] == "launch")
        print(f"bundle ok: {launches} launches, {len(entries)} kernels, "
              f"{len(arena)} arena buffers in {plan['arena_bytes']} bytes "
              f"(unshared {sum(b['bytes'] for b in arena)} bytes), "
              f"weights {weights_size} bytes")
        report = {}
        for arch in args.arch:
            if not args.ptxas:
                raise BundleError("--arch needs --ptxas")
            kernels = ptxas_report(args.ptxas, arch, ptx_path)
            missing = entries - set(kernels)
            if missing:
                raise BundleError(f"ptxas -arch={arch} did not report "
                                  f"{', '.join(sorted(missing))}")
            report[arch] = kernels
            spills = sum(k["spill_stores"] + k["spill_loads"]
                         for k in kernels.values())
            print(f"ptxas {arch}: {len(kernels)} kernels assembled, max "
                  f"{max(k['registers'] for k in kernels.values())} "
                  f"registers, {sum(1 for k in kernels.values() if k['spill_stores'] or k['spill_loads'])} "
                  f"kernels spill ({spills} bytes), max smem "
                  f"{max(k['smem'] for k in kernels.values())} bytes")
            if args.per_kernel:
                for name in sorted(kernels):
                    k = kernels[name]
                    print(f"  {arch} {name}: {k['registers']} registers, "
                          f"{k['spill_stores']}/{k['spill_loads']} bytes "
                          f"spill stores/loads, {k['smem']} bytes smem, "
                          f"{k['stack']} bytes stack")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(report, f, indent=1, sort_keys=True)
    except BundleError as e:
        print(f"error: {args.bundle}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
