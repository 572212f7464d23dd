"""Sequence and attention modules for the torch.fx importer: nn.LSTM / GRU / RNN (whose
output is a tuple the forward picks from), nn.MultiheadAttention, nn.TransformerEncoderLayer
and nn.TransformerEncoder. They are leaves of the trace (fx cannot trace into them) and each
becomes one catalogue layer, its weights under the catalogue module's names."""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import fx, nn

from workbench.core.importers.builder import GraphBuilder
from workbench.core.importers.fx_common import arg, hint, is_tensor, refuse, shape_of

RECURRENT = (nn.LSTM, nn.GRU, nn.RNN)
LEAVES = (*RECURRENT, nn.MultiheadAttention, nn.TransformerEncoderLayer, nn.TransformerEncoder)


@dataclass
class Trace:
    """The import in progress: fx nodes already mapped (``values``), parameters the forward
    uses directly (``consts``) and nodes a layer took over (``skip``: a tuple's items)."""

    b: GraphBuilder
    modules: dict[str, nn.Module]
    values: dict[fx.Node, str] = field(default_factory=dict)
    consts: dict[fx.Node, torch.Tensor] = field(default_factory=dict)
    skip: set[fx.Node] = field(default_factory=set)

    def add(self, node: fx.Node, kind: str, params: dict[str, Any], inputs: list[fx.Node],
            weights: dict[str, torch.Tensor] | None = None, name: str | None = None) -> str:
        for a in inputs:
            if a not in self.values:
                refuse(a, "could not be mapped")
        out = self.b.add(kind, params, [self.values[a] for a in inputs], name or hint(node),
                         weights)
        self.values[node] = out
        return out


def _items(node: fx.Node) -> dict[int, list[fx.Node]]:
    """The users of a tuple-valued node, by the index each takes; refused when a user does
    anything else with the tuple."""
    out: dict[int, list[fx.Node]] = {}
    for u in node.users:
        if u.op != "call_function" or u.target is not operator.getitem \
                or not isinstance(u.args[1], int):
            refuse(node, "is used other than by taking its outputs apart")
        out.setdefault(u.args[1], []).append(u)
    return out


def _used(nodes: list[fx.Node]) -> list[fx.Node]:
    return [n for n in nodes if n.users]


def step_of(node: fx.Node) -> int | None:
    """``k`` for ``x[:, k]`` (or ``x[:, k, :]``) on a (B, L, D) tensor, else None."""
    if node.op != "call_function" or node.target is not operator.getitem:
        return None
    index = node.args[1]
    if not isinstance(index, tuple):
        return None
    index = tuple(i for i in index if i is not Ellipsis)
    while len(index) > 2 and index[-1] == slice(None):
        index = index[:-1]
    if len(index) != 2 or index[0] != slice(None) or not isinstance(index[1], int):
        return None
    src = node.args[0]
    if not isinstance(src, fx.Node) or not is_tensor(src) or len(shape_of(src)) != 3:
        return None
    return index[1] % shape_of(src)[1]


def recurrent(t: Trace, node: fx.Node, m: nn.Module) -> None:
    """``seq, state = rnn(x)``, then the sequence, its last step ``seq[:, -1]``, or the top
    layer's final state (``h[-1]``; ``cat([h[-2], h[-1]], 1)`` when bidirectional)."""
    kind = next(k.__name__ for k in RECURRENT if isinstance(m, k))
    if not m.batch_first:
        refuse(node, f"reads time-major sequences ({kind} with batch_first=False); "
                     "Workbench's recurrent layers read batch-first ones")
    if arg(node, 1, "hx") is not None:
        refuse(node, "starts from a state given to it")
    if not m.bias or getattr(m, "proj_size", 0):
        refuse(node, "has no biases or projects its hidden state")
    items = _items(node)
    seq, state = _used(items.get(0, [])), _used(items.get(1, []))
    if seq and state:
        refuse(node, "uses both the sequence and the final state")
    dirs = 2 if m.bidirectional else 1
    terminals: list[fx.Node] = []
    if seq:
        length = shape_of(seq[0])[1]
        last = all(u.users and all(step_of(v) == length - 1 for v in u.users) for u in seq)
        terminals = [v for u in seq for v in u.users] if last else seq
        output = "last" if last else "sequence"
    else:
        output = "hidden"
        hs = state
        if kind == "LSTM":
            parts = {i: _used(n) for s in state for i, n in _items(s).items()}
            if parts.get(1):
                refuse(node, "uses the LSTM's cell state")
            hs = parts.get(0, [])
        for h in hs:
            terminals += _top_state(node, h, m.num_layers * dirs, dirs)
    weights = {f"rnn.{k}": v for k, v in m.state_dict().items()}
    params: dict[str, Any] = {
        "hidden_size": m.hidden_size, "num_layers": m.num_layers,
        "bidirectional": m.bidirectional, "dropout": float(m.dropout), "output": output,
        "input_size": m.input_size}
    if kind == "RNN":
        params["nonlinearity"] = m.nonlinearity
    name = t.add(node, kind, params, [node.args[0]], weights)
    _take_over(t, node, terminals, name)


def _take_over(t: Trace, node: fx.Node, terminals: list[fx.Node], name: str) -> None:
    """The terminals are the layer's output; every node between it and them falls away."""
    for v in terminals:
        t.values[v] = name
    stack = list(node.users)
    while stack:
        u = stack.pop()
        if u not in terminals and u not in t.skip:
            t.skip.add(u)
            stack += list(u.users)


def _top_state(node: fx.Node, h: fx.Node, states: int, dirs: int) -> list[fx.Node]:
    """The nodes giving the top layer's final state from ``h`` (layers * dirs, B, H)."""
    def index(u: fx.Node) -> int | None:
        if u.op == "call_function" and u.target is operator.getitem \
                and isinstance(u.args[1], int):
            return u.args[1] % states
        if u.op == "call_method" and u.target == "squeeze" and states == 1:
            return 0
        return None

    picks = {u: index(u) for u in h.users}
    if dirs == 1 and all(i == states - 1 for i in picks.values()):
        return list(picks)
    if dirs == 2 and sorted(picks.values()) == [states - 2, states - 1]:
        users = {v for u in picks for v in u.users}
        cat = next(iter(users)) if len(users) == 1 else None
        if cat is not None and cat.target is torch.cat and \
                [picks.get(a) for a in cat.args[0]] == [states - 2, states - 1] \
                and arg(cat, 1, "dim", 0) in (1, -1):
            return [cat]
    refuse(node, "uses final states other than the top layer's (h[-1], or "
                 "cat([h[-2], h[-1]], dim=1) when bidirectional)")
    return []


def _check_attention(node: fx.Node, m: nn.MultiheadAttention) -> None:
    if not m.batch_first:
        refuse(node, "attends over time-major sequences (batch_first=False)")
    if not m._qkv_same_embed_dim or m.bias_k is not None or m.add_zero_attn \
            or m.in_proj_bias is None or m.out_proj.bias is None:
        refuse(node, "has separate key/value sizes, extra key/value biases or no biases")


def attention(t: Trace, node: fx.Node, m: nn.MultiheadAttention) -> None:
    q, k, v = arg(node, 0, "query"), arg(node, 1, "key"), arg(node, 2, "value")
    if not (q is k is v):
        refuse(node, "attends from one sequence to another; Workbench's attention is "
                     "self-attention (query = key = value)")
    if any(arg(node, i, n) is not None for i, n in ((3, "key_padding_mask"), (5, "attn_mask"))) \
            or arg(node, 7, "is_causal", False):
        refuse(node, "takes a mask")
    _check_attention(node, m)
    items = _items(node)
    if _used(items.get(1, [])):
        refuse(node, "uses the attention weights")
    name = t.add(node, "MultiHeadAttention",
                 {"heads": m.num_heads, "dropout": float(m.dropout), "mask": "none"}, [q],
                 {f"attn.{key}": w for key, w in m.state_dict().items()})
    _take_over(t, node, items.get(0, []), name)


def block_params(node: fx.Node, layer: nn.TransformerEncoderLayer) -> dict[str, Any]:
    act = {1: "relu", 2: "gelu"}.get(getattr(layer, "activation_relu_or_gelu", 0))
    if act is None:
        refuse(node, "uses a feed-forward activation other than relu or gelu")
    if not layer.self_attn.batch_first:
        refuse(node, "reads time-major sequences (batch_first=False)")
    _check_attention(node, layer.self_attn)
    if layer.linear1.bias is None or not all(math.isclose(n.eps, 1e-5)
                                             for n in (layer.norm1, layer.norm2)):
        refuse(node, "has no biases or a layer-norm eps other than 1e-5")
    return {"heads": layer.self_attn.num_heads, "ff_dim": layer.linear1.out_features,
            "dropout": float(layer.dropout.p), "activation": act,
            "norm": "pre" if layer.norm_first else "post"}


def encoder(t: Trace, node: fx.Node, m: nn.Module) -> None:
    """One TransformerEncoderLayer, or a TransformerEncoder of identical ones (and its final
    norm): the catalogue's Transformer encoder block with ``layers``."""
    layers = list(m.layers) if isinstance(m, nn.TransformerEncoder) else [m]
    mask = "mask" if isinstance(m, nn.TransformerEncoder) else "src_mask"
    if arg(node, 1, mask) is not None or arg(node, 2, "src_key_padding_mask") is not None \
            or arg(node, 3, "is_causal"):
        refuse(node, "takes a mask")
    params = block_params(node, layers[0])
    if any(block_params(node, layer) != params for layer in layers[1:]):
        refuse(node, "stacks blocks of different settings")
    weights = {f"blocks.{i}.{k}": w for i, layer in enumerate(layers)
               for k, w in layer.state_dict().items()}
    name = t.add(node, "TransformerEncoder", params | {"layers": len(layers)}, [node.args[0]],
                 weights)
    norm = getattr(m, "norm", None)
    if norm is not None:
        from workbench.core.importers.fx_ops import MODULES

        kind, p, w = MODULES[nn.LayerNorm](norm, node)  # type: ignore[misc]
        t.values[node] = t.b.add(kind, p, [name], f"{hint(node)}.norm", w)
