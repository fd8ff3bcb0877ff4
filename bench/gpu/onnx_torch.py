"""An ONNX graph rebuilt as a torch module from its own weights
(onnx.numpy_helper), for the torch eager / torch.compile peers of the
generated BERT layer and GPT-2 block (torch.onnx-exported originals are not
available offline). Covers the ops bench/models writes; anything else raises
NotImplementedError naming the op."""
import onnx
from onnx import numpy_helper


def OnnxModule(path, torch):
    model = onnx.load(path)
    graph = model.graph
    nn = torch.nn

    def attrs(node):
        return {a.name: onnx.helper.get_attribute_value(a)
                for a in node.attribute}

    class Module(nn.Module):
        def __init__(self):
            super().__init__()
            self.names = {}
            for i, init in enumerate(graph.initializer):
                arr = numpy_helper.to_array(init).copy()
                t = torch.from_numpy(arr)
                key = f"w{i}"
                if t.is_floating_point():
                    self.register_parameter(key, nn.Parameter(
                        t, requires_grad=False))
                else:
                    self.register_buffer(key, t)
                self.names[init.name] = key
            self.consts = {}
            for j, node in enumerate(graph.node):
                if node.op_type == "Constant":
                    arr = numpy_helper.to_array(attrs(node)["value"]).copy()
                    key = f"c{j}"
                    t = torch.from_numpy(arr)
                    if t.is_floating_point():
                        self.register_parameter(key, nn.Parameter(
                            t, requires_grad=False))
                    else:
                        self.register_buffer(key, t)
                    self.consts[node.output[0]] = key
            self.inputs = [i.name for i in graph.input
                           if i.name not in self.names]

        def forward(self, *args):
            env = dict(zip(self.inputs, args))
            for name, key in {**self.names, **self.consts}.items():
                env[name] = getattr(self, key)
            for node in graph.node:
                if node.op_type == "Constant":
                    continue
                x = [env[n] if n else None for n in node.input]
                a = attrs(node)
                op = node.op_type
                if op in ("Add", "Sub", "Mul", "Div", "Pow"):
                    l, r = x
                    if l.is_floating_point() and r.dtype != l.dtype:
                        r = r.to(l.dtype)
                    y = {"Add": torch.add, "Sub": torch.sub,
                         "Mul": torch.mul, "Div": torch.div,
                         "Pow": torch.pow}[op](l, r)
                elif op == "MatMul":
                    y = torch.matmul(x[0], x[1])
                elif op == "Gemm":
                    at = x[0].t() if a.get("transA") else x[0]
                    bt = x[1].t() if a.get("transB") else x[1]
                    y = a.get("alpha", 1.0) * (at @ bt)
                    if len(x) > 2 and x[2] is not None:
                        y = y + a.get("beta", 1.0) * x[2]
                elif op == "Reshape":
                    shape = [int(s) for s in x[1].tolist()]
                    y = x[0].reshape([x[0].shape[i] if s == 0 else s
                                      for i, s in enumerate(shape)])
                elif op == "Transpose":
                    y = x[0].permute(*a["perm"])
                elif op == "Softmax":
                    y = torch.softmax(x[0], dim=a.get("axis", -1))
                elif op == "ReduceMean":
                    y = x[0].mean(dim=list(a["axes"]),
                                  keepdim=bool(a.get("keepdims", 1)))
                elif op in ("Sqrt", "Erf", "Tanh"):
                    y = {"Sqrt": torch.sqrt, "Erf": torch.erf,
                         "Tanh": torch.tanh}[op](x[0])
                elif op == "Split":
                    sizes = [int(s) for s in x[1].tolist()] if len(x) > 1 \
                        else a.get("split")
                    axis = a.get("axis", 0)
                    if sizes is None:
                        n = len(node.output)
                        sizes = [x[0].shape[axis] // n] * n
                    y = torch.split(x[0], sizes, dim=axis)
                elif op == "Where":
                    y = torch.where(x[0].bool(), x[1], x[2].to(x[1].dtype))
                else:
                    raise NotImplementedError(f"onnx_torch: op {op}")
                if isinstance(y, (tuple, list)):
                    for name, v in zip(node.output, y):
                        env[name] = v
                else:
                    env[node.output[0]] = y
            outs = [env[o.name] for o in graph.output]
            return outs[0] if len(outs) == 1 else tuple(outs)

    return Module()
