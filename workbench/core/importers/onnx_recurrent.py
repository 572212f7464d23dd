"""ONNX LSTM and GRU, "where the layout allows": exporters wrap a batch-first recurrent layer
in time-major Transposes and Reshapes; those are followed as views of the Workbench node
(which stays batch first) and the recurrent node itself becomes an LSTM/GRU layer with its
weights in torch's gate order. Anything else that touches a time-major view is refused."""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.importers.onnx_ops import Context, attrs, label, refuse

# torch's gate order from ONNX's: LSTM i,o,f,c -> i,f,c,o; GRU z,r,h -> r,z,h
_ORDER = {"LSTM": [0, 2, 3, 1], "GRU": [1, 0, 2]}
# time-major (L, B, F); ONNX's raw output (L, dirs, B, H); it transposed (L, B, dirs, H);
# with layout 1 (B, L, dirs, H)
SEQ_FIRST, RAW, RAW_T, RAW_B = "seq_first", "raw", "raw_transposed", "raw_batch_first"
ROWS = "image_rows"  # the input image (B, C, H, W) transposed to (B, H, C, W)
RECURRENT_OPS = ("LSTM", "GRU")
VIEW_OPS = ("Transpose", "Reshape", "Squeeze", "Flatten", "Gather", *RECURRENT_OPS)


def _gates(w: np.ndarray, kind: str) -> np.ndarray:
    parts = np.split(w, len(_ORDER[kind]), axis=0)
    return np.concatenate([parts[i] for i in _ORDER[kind]], axis=0)


def torch_weights(kind: str, w: np.ndarray, r: np.ndarray, b: np.ndarray
                  ) -> dict[str, np.ndarray]:
    """ONNX's W, R, B of one layer as torch's weights (gate order, separate biases)."""
    gates = len(_ORDER[kind]) * r.shape[-1]
    weights: dict[str, np.ndarray] = {}
    for d, suffix in enumerate(("", "_reverse")[:w.shape[0]]):
        weights[f"rnn.weight_ih_l0{suffix}"] = _gates(w[d], kind)
        weights[f"rnn.weight_hh_l0{suffix}"] = _gates(r[d], kind)
        weights[f"rnn.bias_ih_l0{suffix}"] = _gates(b[d][:gates], kind)
        weights[f"rnn.bias_hh_l0{suffix}"] = _gates(b[d][gates:], kind)
    return weights


def recurrent(ctx: Context, node: Any) -> None:
    a = attrs(node)
    kind = node.op_type
    src = node.input[0]
    layout = a.get("layout", 0)
    if (ctx.views.get(src) != SEQ_FIRST) if layout == 0 else (src in ctx.views):
        refuse(node, "reads a sequence laid out other than batch-first data")
    if kind == "GRU" and not a.get("linear_before_reset", 0):
        refuse(node, "resets before the linear step (torch's GRU does it after)")
    if a.get("activations") or a.get("clip") or a.get("input_forget"):
        refuse(node, "uses non-default activations or clipping")
    if len(node.input) > 4 and node.input[4]:
        refuse(node, "takes per-sample sequence lengths")
    for i in (5, 6):  # initial states: must be zeros (a fresh state, as Workbench starts)
        state = ctx.const(node, i)
        if state is not None and np.any(state):
            refuse(node, "starts from a non-zero state")
    if any(o and ctx.uses.get(o) for o in node.output[1:]):
        refuse(node, "returns its final state; Workbench's layer gives the sequence here")
    w, r, b = ctx.const(node, 1), ctx.const(node, 2), ctx.const(node, 3)
    dirs, hidden = w.shape[0], int(a["hidden_size"])
    direction = a.get("direction", b"forward")
    direction = direction.decode() if isinstance(direction, bytes) else direction
    if direction == "reverse":
        refuse(node, "reads the sequence only backwards")
    gates = len(_ORDER[kind]) * hidden
    if b is None:
        b = np.zeros((dirs, 2 * gates), np.float32)
        ctx.b.notes.append(f"{kind} '{label(node)}' has no biases: imported with zero ones")
    weights = torch_weights(kind, w, r, b)
    ctx.add(node, kind, {"hidden_size": hidden, "num_layers": 1, "bidirectional": dirs == 2,
                         "output": "sequence", "input_size": w.shape[2]}, weights=weights)
    ctx.views[node.output[0]] = RAW if layout == 0 else RAW_B


def transpose(ctx: Context, node: Any) -> bool:
    """Transposes of a recurrent layer's layout; False when it is not one of those."""
    perm = list(attrs(node).get("perm", []))
    view = ctx.views.get(node.input[0])
    src = ctx.b.spec.node(ctx.data[node.input[0]])
    if perm == [0, 2, 1, 3] and view is None and src.kind == "ImageInput" \
            and ctx.uses.get(node.input[0]) == 1:  # the image read as rows: (B, H, C, W)
        ctx.alias(node)
        ctx.views[node.output[0]] = ROWS
        return True
    if perm == [1, 0, 2]:  # batch-first <-> time-major
        ctx.alias(node)
        if view is None:
            ctx.views[node.output[0]] = SEQ_FIRST
        elif view != SEQ_FIRST:
            return False
        return True
    if perm == [0, 2, 1, 3] and view == RAW:  # (L, dirs, B, H) -> (L, B, dirs, H)
        ctx.alias(node)
        ctx.views[node.output[0]] = RAW_T
        return True
    return False


def reshape(ctx: Context, node: Any) -> bool:
    """Merging the directions of a recurrent output: (L, [dirs,] B, H) -> (L, B, dirs * H)."""
    view = ctx.views.get(node.input[0])
    if view is None:
        return False
    if view == ROWS:
        b, h, c, w = ctx.shape(node.input[0])
        if ctx.shape(node.output[0]) != (b, h, c * w):
            refuse(node, "reshapes an image's rows other than into H steps of C*W features")
        ctx.b.spec.node(ctx.data[node.input[0]]).kind = "ImageRows"
        ctx.alias(node)
        return True
    if view == SEQ_FIRST or len(ctx.shape(node.output[0])) != 3:
        refuse(node, "reshapes a time-major sequence")
    if view == RAW and ctx.shape(node.input[0])[1] != 1:
        refuse(node, "mixes the directions of a bidirectional layer")
    ctx.alias(node)
    if view in (RAW, RAW_T):
        ctx.views[node.output[0]] = SEQ_FIRST
    return True  # RAW_B: (B, L, dirs, H) -> (B, L, dirs * H) is the node's own output


def gather(ctx: Context, node: Any) -> bool:
    """One step of a sequence: the last (or the first) as a SequencePool."""
    if node.input[0] not in ctx.data:
        return False
    a = attrs(node)
    index = ctx.const(node, 1)
    view = ctx.views.get(node.input[0])
    axis = a.get("axis", 0)
    if index is None or np.ndim(index) != 0 or (axis, view) not in ((1, None), (0, SEQ_FIRST)):
        refuse(node, "picks values other than one step of a sequence")
    length = ctx.shape(node.input[0])[axis]
    step = int(index) % length
    if step not in (0, length - 1):
        refuse(node, f"picks step {step} of {length}; Workbench pools the first or the last")
    ctx.add(node, "SequencePool", {"mode": "last" if step == length - 1 else "class_token"})
    return True


def last_real_step(ctx: Context, node: Any, src: str, mode: str, tokens: str) -> None:
    """The step before the <pad> tokens of each sample: a one-direction recurrent layer's
    "last" output with the token ids connected (``mode`` "count": the count of real tokens
    less one, as the layer reads it), else a last-step sequence pooling with them."""
    spec = ctx.b.spec
    name = ctx.data[src]
    layer = spec.node(name)
    token_node = ctx.data[tokens]
    if mode == "count" and layer.kind in RECURRENT_OPS + ("RNN",) \
            and layer.params.get("output") == "sequence" and not layer.params["bidirectional"] \
            and ctx.uses.get(src) == 1 and not spec.outputs_of(name):
        layer.params["output"] = "last"
        spec.connect(token_node, name, "tokens")
        ctx.data[node.output[0]] = name
    elif mode == "last_real":
        ctx.add(node, "SequencePool", {"mode": "last"}, inputs=[src, tokens])
    else:
        refuse(node, "picks each sample's last real step of something other than a "
                     "one-direction recurrent layer")
