#!/usr/bin/python3
"""Summarizes what ONNX models use, to help write an importer.

Usage: /usr/bin/python3 scripts/onnx_ops_report.py MODEL.onnx [MODEL.onnx ...]

For each model: ir_version, producer, opset imports, graph inputs and outputs
with element types and shapes (dim_param names shown as-is), initializers,
then a table of op_type -> node count, the distinct attribute values used per
op_type (with how many nodes use each), and the distinct input forms per
op_type: for each input slot, '-' (omitted), 'init' (an initializer),
'const' (a Constant node's output), 'graph-in' (a graph input) or 'dyn'
(computed), with the element type, shape and, when small, the values of
constant inputs -- e.g. Clip's min/max as inputs or attributes, Resize's
roi/scales/sizes, Slice's starts/ends/axes/steps. Subgraphs (If/Loop/Scan
bodies) are walked too and counted with their parent graph.
"""
import collections
import os
import sys

SMALL = 16        # print integer constants with at most this many elements
SMALL_FLOAT = 4   # print float constants with at most this many elements
MAX_VALUES = 4    # distinct values listed per input slot of an input form
MAX_DISTINCT = 12  # distinct values/forms printed per attribute or op


def fail(message):
    print(f"onnx_ops_report: error: {message}", file=sys.stderr)
    sys.exit(1)


try:
    import numpy as np
    import onnx
    from onnx import numpy_helper
except ImportError as e:
    fail(f"{e.name} is missing (apt-get install python3-onnx python3-numpy; "
         "run with /usr/bin/python3)")


def elem_type_name(t):
    try:
        return onnx.TensorProto.DataType.Name(t).lower()
    except ValueError:
        return f"type{t}"


def dims(shape_proto):
    out = []
    for d in shape_proto.dim:
        if d.HasField("dim_value"):
            out.append(str(d.dim_value))
        elif d.HasField("dim_param"):
            out.append(d.dim_param)
        else:
            out.append("?")
    return out


def type_str(tp):
    kind = tp.WhichOneof("value")
    if kind == "tensor_type":
        tt = tp.tensor_type
        if not tt.HasField("shape"):
            return f"{elem_type_name(tt.elem_type)}[unranked]"
        return f"{elem_type_name(tt.elem_type)}[{', '.join(dims(tt.shape)) or 'scalar'}]"
    if kind == "sequence_type":
        return f"seq<{type_str(tp.sequence_type.elem_type)}>"
    if kind == "optional_type":
        return f"optional<{type_str(tp.optional_type.elem_type)}>"
    if kind == "map_type":
        return (f"map<{elem_type_name(tp.map_type.key_type)}, "
                f"{type_str(tp.map_type.value_type)}>")
    return str(kind)


def tensor_parts(t):
    """(type, values): type is 'float[2x3]' when the values are worth
    showing (integer/bool with at most SMALL elements, float with at most
    SMALL_FLOAT), else 'float[rank 4]' and values None (weights)."""
    count = int(np.prod(t.dims, dtype=np.int64))
    name = elem_type_name(t.data_type)
    is_float = t.data_type in (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE,
                               onnx.TensorProto.FLOAT16, onnx.TensorProto.BFLOAT16)
    if count > (SMALL_FLOAT if is_float else SMALL):
        return f"{name}[rank {len(t.dims)}]", None
    shape = "x".join(str(d) for d in t.dims) or "scalar"
    try:
        arr = numpy_helper.to_array(t)
    except Exception:  # external data or an odd encoding: no values
        return f"{name}[{shape}]", None
    vals = arr.reshape(-1).tolist()
    if arr.dtype.kind == "f":
        vals = [float(f"{v:.6g}") for v in vals]
    return f"{name}[{shape}]", (str(vals[0]) if not t.dims else str(vals))


def tensor_str(t):
    kind, values = tensor_parts(t)
    return kind if values is None else f"{kind}={values}"


def attr_str(a):
    A = onnx.AttributeProto
    if a.type == A.INT:
        return str(a.i)
    if a.type == A.FLOAT:
        return f"{a.f:.6g}"
    if a.type == A.STRING:
        return repr(a.s.decode("utf-8", "replace"))
    if a.type == A.INTS:
        return str(list(a.ints))
    if a.type == A.FLOATS:
        return str([float(f"{v:.6g}") for v in a.floats])
    if a.type == A.STRINGS:
        return str([s.decode("utf-8", "replace") for s in a.strings])
    if a.type == A.TENSOR:
        return "tensor " + tensor_str(a.t)
    if a.type == A.GRAPH:
        return f"<graph '{a.g.name}', {len(a.g.node)} nodes>"
    if a.type == A.GRAPHS:
        return f"<{len(a.graphs)} graphs>"
    if a.HasField("ref_attr_name"):
        return f"@{a.ref_attr_name}"
    return f"<{A.AttributeType.Name(a.type).lower()}>"


class Stats:
    def __init__(self):
        self.ops = collections.Counter()            # (domain, op) -> nodes
        self.attrs = collections.defaultdict(       # op -> name -> value -> n
            lambda: collections.defaultdict(collections.Counter))
        # op -> form -> [nodes, per-slot Counter of constant values]
        self.forms = collections.defaultdict(dict)
        self.subgraphs = 0

    def walk(self, graph, outer_consts):
        inits = {t.name: t for t in graph.initializer}
        graph_inputs = {i.name for i in graph.input} - set(inits)
        consts = dict(outer_consts)
        consts.update(inits)
        for node in graph.node:
            key = (node.domain or "ai.onnx", node.op_type)
            op = node.op_type if key[0] == "ai.onnx" else f"{key[0]}.{node.op_type}"
            self.ops[key] += 1
            for a in node.attribute:
                if (node.op_type == "Constant" and
                        a.type == onnx.AttributeProto.TENSOR):
                    # Values are shown where they are used (input forms).
                    value = "tensor " + tensor_parts(a.t)[0]
                else:
                    value = attr_str(a)
                self.attrs[op][a.name][value] += 1
            slots, values = [], []
            for name in node.input:
                value = None
                if not name:
                    slot = "-"
                elif name in consts:
                    slot, value = tensor_parts(consts[name])
                    slot = ("init " if name in inits else "const ") + slot
                elif name in graph_inputs:
                    slot = "graph-in"
                else:
                    slot = "dyn"
                slots.append(slot)
                values.append(value)
            form = f"{len(node.input)} in: (" + ", ".join(slots) + ")"
            entry = self.forms[op].setdefault(
                form, [0, [collections.Counter() for _ in slots]])
            entry[0] += 1
            for counter, value in zip(entry[1], values):
                if value is not None:
                    counter[value] += 1
            if node.op_type == "Constant" and key[0] == "ai.onnx":
                for a in node.attribute:
                    if a.name == "value" and a.type == onnx.AttributeProto.TENSOR:
                        consts[node.output[0]] = a.t
                    elif a.name in ("value_int", "value_float", "value_ints",
                                    "value_floats"):
                        v = onnx.helper.get_attribute_value(a)
                        dtype = np.int64 if "int" in a.name else np.float32
                        consts[node.output[0]] = numpy_helper.from_array(
                            np.array(v, dtype=dtype))
            for a in node.attribute:
                subs = [a.g] if a.type == onnx.AttributeProto.GRAPH else (
                    list(a.graphs) if a.type == onnx.AttributeProto.GRAPHS else [])
                for g in subs:
                    self.subgraphs += 1
                    self.walk(g, consts)


def report(path):
    try:
        model = onnx.load(path)
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except Exception as e:
        fail(f"{path}: cannot load as ONNX: {type(e).__name__}: {e}")
    g = model.graph
    lines = []
    add = lines.append
    add(f"== {path}")
    add(f"size: {os.path.getsize(path)} bytes")
    add(f"ir_version: {model.ir_version}")
    producer = " ".join(x for x in (model.producer_name, model.producer_version) if x)
    add(f"producer: {producer or '(none)'}")
    add("opset_import: " + ", ".join(
        f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import))
    if model.functions:
        add("functions: " + ", ".join(f"{f.domain}.{f.name}" for f in model.functions))
    inits = {t.name for t in g.initializer}
    add("inputs:")
    for i in g.input:
        if i.name not in inits:
            add(f"  {i.name}: {type_str(i.type)}")
    if len(g.input) > len([i for i in g.input if i.name not in inits]):
        add(f"  ({len(g.input) - len([i for i in g.input if i.name not in inits])} "
            "initializers are also listed as graph inputs)")
    add("outputs:")
    for o in g.output:
        add(f"  {o.name}: {type_str(o.type)}")
    params = sum(int(np.prod(t.dims, dtype=np.int64)) for t in g.initializer)
    by_type = collections.Counter(elem_type_name(t.data_type) for t in g.initializer)
    add(f"initializers: {len(g.initializer)}" + (
        f" ({params} elements: "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_type.items())) + ")"
        if g.initializer else ""))
    n_const = sum(1 for n in g.node if n.op_type == "Constant")
    if n_const:
        const_elems = sum(int(np.prod(a.t.dims, dtype=np.int64))
                          for n in g.node if n.op_type == "Constant"
                          for a in n.attribute if a.type == onnx.AttributeProto.TENSOR)
        add(f"constant nodes: {n_const} ({const_elems} elements; weights are "
            "Constant nodes)" if not g.initializer else
            f"constant nodes: {n_const} ({const_elems} elements)")
    dim_params = sorted({d.dim_param for vi in list(g.input) + list(g.output)
                         + list(g.value_info)
                         if vi.type.WhichOneof("value") == "tensor_type"
                         for d in vi.type.tensor_type.shape.dim if d.dim_param})
    add("dim_params: " + (", ".join(dim_params) if dim_params else "(none)"))

    stats = Stats()
    stats.walk(g, {})
    total = sum(stats.ops.values())
    add(f"nodes: {total} ({len(stats.ops)} op types"
        + (f", {stats.subgraphs} subgraphs" if stats.subgraphs else "") + ")")
    add("")
    add(f"  {'op_type':<28} {'count':>5}")
    add(f"  {'-' * 28} {'-' * 5}")
    for (domain, op), n in sorted(stats.ops.items(), key=lambda kv: (-kv[1], kv[0])):
        name = op if domain == "ai.onnx" else f"{domain}.{op}"
        add(f"  {name:<28} {n:>5}")
    add("")
    add("attributes (value: nodes):")
    for op in sorted({op if d == "ai.onnx" else f"{d}.{op}" for d, op in stats.ops}):
        attrs = stats.attrs.get(op)
        if not attrs:
            add(f"  {op}: (none)")
            continue
        add(f"  {op}:")
        for name in sorted(attrs):
            values = sorted(attrs[name].items(), key=lambda kv: (-kv[1], kv[0]))
            shown = ", ".join(f"{v}: {n}" for v, n in values[:MAX_DISTINCT])
            more = (f", ... ({len(values) - MAX_DISTINCT} more)"
                    if len(values) > MAX_DISTINCT else "")
            add(f"    {name} = {shown}{more}")
    add("")
    add("input forms (nodes; constant values per slot, '#k' = slot k):")
    for op in sorted(stats.forms):
        forms = sorted(stats.forms[op].items(), key=lambda kv: (-kv[1][0], kv[0]))
        add(f"  {op}:")
        for form, (n, slot_values) in forms[:MAX_DISTINCT]:
            add(f"    {n:>4}  {form}")
            for k, counter in enumerate(slot_values):
                if not counter:
                    continue
                if len(counter) > MAX_VALUES:
                    add(f"            #{k}: {len(counter)} distinct values")
                    continue
                shown = ", ".join(
                    v if len(counter) == 1 else f"{v} ({c})"
                    for v, c in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
                add(f"            #{k} = {shown}")
        if len(forms) > MAX_DISTINCT:
            add(f"          ... ({len(forms) - MAX_DISTINCT} more forms)")
    return "\n".join(lines)


def main(argv):
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if not argv:
        fail("no model given; usage: onnx_ops_report.py MODEL.onnx [MODEL.onnx ...]")
    out = []
    for path in argv:
        out.append(report(path))
    print("\n\n".join(out))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        sys.exit(0)
