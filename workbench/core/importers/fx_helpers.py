"""The torch.fx importer's mappings that need more than one node: Workbench's own helper
modules (as the code exporter copies them into a model.py), a learned position embedding or
class token used as a bare parameter (``x + self.pos``, ``cat([self.cls.expand(...), x])``),
one step of a sequence (``x[:, 0]``) and a convolution cut into patches (ViT)."""

from __future__ import annotations

import functools
import inspect
import operator
from typing import Any

import torch
from torch import fx, nn

from workbench.core.importers.folds import patch_embedding
from workbench.core.importers.fx_common import arg, hint, is_tensor, refuse, shape_of
from workbench.core.importers.fx_sequence import Trace, block_params, step_of
from workbench.core.layers import modules as helpers

HELPERS = {name: cls for name, cls in vars(helpers).items()
           if isinstance(cls, type) and issubclass(cls, nn.Module)
           and cls.__module__ == helpers.__name__}


@functools.cache
def helper_name(cls: type) -> str | None:
    """The name of the Workbench helper ``cls`` is: the class itself, or the verbatim copy a
    Workbench-exported model.py holds (the same source text)."""
    ours = HELPERS.get(cls.__name__)
    if ours is None:
        return None
    if cls is ours:
        return cls.__name__
    try:
        return cls.__name__ if inspect.getsource(cls) == inspect.getsource(ours) else None
    except (OSError, TypeError):  # no source to compare with
        return None


def _stack(m: Any, node: fx.Node) -> tuple[str, dict[str, Any]]:
    params = block_params(node, m.blocks[0]) | {"layers": len(m.blocks)}
    if m.causal:
        params.pop("norm")
        return "CausalDecoder", params
    return "TransformerEncoder", params


def _recurrent(m: Any) -> tuple[str, dict[str, Any]]:
    rnn = m.rnn
    params = {"hidden_size": rnn.hidden_size, "num_layers": rnn.num_layers,
              "bidirectional": rnn.bidirectional, "dropout": float(rnn.dropout),
              "output": m.output, "input_size": rnn.input_size}
    if isinstance(rnn, nn.RNN):
        params["nonlinearity"] = rnn.nonlinearity
    return type(rnn).__name__, params


_KINDS: dict[str, Any] = {
    "Recurrent": _recurrent,
    "SelfAttention": lambda m: ("MultiHeadAttention", {
        "heads": m.attn.num_heads, "dropout": float(m.attn.dropout),
        "mask": "causal" if m.causal else "none"}),
    "PositionalEncoding": lambda m: ("PositionalEncoding", {
        "kind": "learned" if isinstance(m.pe, nn.Parameter) else "sinusoidal",
        "max_len": int(m.pe.shape[1]), "dropout": float(m.dropout.p)}),
    "PatchEmbedding": lambda m: ("PatchEmbedding", {"patch": m.proj.kernel_size[0],
                                                    "embed_dim": m.proj.out_channels}),
    "ClassToken": lambda m: ("ClassToken", {}),
    "SequencePool": lambda m: ("SequencePool", {"mode": m.mode}),
    "GlobalAvgPool": lambda m: ("GlobalAvgPool", {}),
    "Reshape": lambda m: ("Reshape", {"shape": list(m.shape)}),
    "Add": lambda m: ("Add", {}), "Multiply": lambda m: ("Multiply", {}),
    "Concatenate": lambda m: ("Concatenate", {"axis": m.dim - 1 if m.dim > 0 else m.dim}),
    "ImageHead": lambda m: ("ImageOutput", {
        "channels": m.shape[0], "height": m.shape[1], "width": m.shape[2],
        "activation": m.activation, "loss": "mse"}),
}
_INPUT_VIEWS = {"ImageToRows": "ImageRows", "ImageToPatches": "ImagePatches"}


def helper(t: Trace, node: fx.Node, m: nn.Module, name: str) -> None:
    tensors = [a for a in node.args if isinstance(a, fx.Node)]
    if name in _INPUT_VIEWS:  # the image read as rows or patches: the input layer does it
        src = tensors[0]
        spec_node = t.b.spec.node(t.values[src])
        if src.op != "placeholder" or len(src.users) != 1 or spec_node.kind != "ImageInput":
            refuse(node, "views something other than the input image")
        spec_node.kind = _INPUT_VIEWS[name]
        if name == "ImageToPatches":
            spec_node.params["patch"] = m.patch
        t.values[node] = t.values[src]
        return
    if name == "TransformerStack":
        kind, params = _stack(m, node)
    elif name in _KINDS:
        kind, params = _KINDS[name](m)
    else:
        refuse(node, f"is Workbench's {name}, which the importer does not map")
    t.add(node, kind, params, tensors, dict(m.state_dict()))


# -- parameters used directly, sequence steps, patches -------------------------------------
_ADDS = {operator.add, operator.iadd, torch.add, "add"}


def with_const(t: Trace, node: fx.Node) -> None:
    """A forward using a parameter itself: a learned position embedding added to the
    sequence, or a class token put in front of it; anything else is refused."""
    consts = [a for a in node.all_input_nodes if a in t.consts]
    if node.target == "expand" and node.args[0] in t.consts:
        t.consts[node] = t.consts[node.args[0]]  # the class token, one per sample
        return
    c = t.consts[consts[0]]
    root = consts[0]
    while root.op != "get_attr":  # named after the parameter, not the expand
        root = root.args[0]
    where = str(root.target)
    if node.target in _ADDS and len(consts) == 1 and len(node.args) == 2:
        x = next(a for a in node.args if a is not consts[0])
        shape = shape_of(x) if isinstance(x, fx.Node) and is_tensor(x) else ()
        if len(shape) == 3 and tuple(c.shape) in ((1, *shape[1:]), tuple(shape[1:])):
            t.add(node, "PositionalEncoding", {"kind": "learned", "max_len": shape[1],
                                               "dropout": 0.0}, [x],
                  {"pe": c.reshape(1, *shape[1:])}, name=where)
            return
    if node.target is torch.cat and len(consts) == 1:
        parts = list(arg(node, 0, "tensors"))
        if len(parts) == 2 and parts[0] is consts[0] and arg(node, 1, "dim", 0) in (1, -2) \
                and c.dim() == 3 and tuple(c.shape[:2]) == (1, 1):
            t.add(node, "ClassToken", {}, [parts[1]], {"token": c}, name=where)
            return
    refuse(node, f"uses the parameter '{where}' directly (Workbench knows a learned "
                 "position embedding added to a sequence and a class token put before it)")


def sequence_step(t: Trace, node: fx.Node) -> None:
    """``x[:, 0]`` (a class token) or ``x[:, -1]`` (the last step) of a (B, L, D) sequence."""
    step = step_of(node)
    length = shape_of(node.args[0])[1] if step is not None else 0
    if step not in (0, length - 1):
        refuse(node, "picks values other than the first or the last step of a sequence")
    t.add(node, "SequencePool", {"mode": "class_token" if step == 0 else "last"},
          [node.args[0]])


def patches(t: Trace, node: fx.Node) -> bool:
    """``conv(x).reshape(B, D, N).permute(0, 2, 1)`` with a kernel equal to its stride: the
    image cut into patches and projected (the catalogue's PatchEmbedding)."""
    dims = [d for d in node.args[1:]] if node.target in ("permute", torch.permute) else None
    if dims is not None and len(dims) == 1 and isinstance(dims[0], list | tuple):
        dims = list(dims[0])
    swap = dims == [0, 2, 1] or (dims is None and sorted(
        d % 3 for d in node.args[1:3] if isinstance(d, int)) == [1, 2])
    src = node.args[0]
    if not swap or not isinstance(src, fx.Node) or src not in t.values \
            or len(shape_of(src)) != 3 or len(src.users) != 1:
        return False
    name = patch_embedding(t.b.spec, t.b.weights, t.values[src])
    if name is None:
        return False
    t.values[node] = name
    t.b.notes.append(f"'{hint(node)}' with the convolution before it is a patch embedding")
    return True
