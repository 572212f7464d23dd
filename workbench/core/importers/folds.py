"""Tidy-ups of an imported graph that give back the layer a source had to split: ONNX has
no stacked recurrent layer nor a "last step" output, so an exporter writes one LSTM/GRU node
per layer and a Gather of the last step; those become one catalogue layer again (same
outputs, same weights, the template's shape on the canvas)."""

from __future__ import annotations

import re

import torch

from workbench.core.graph import ModelSpec

_RECURRENT = ("LSTM", "GRU", "RNN")
_LAYER_KEY = re.compile(r"^rnn\.(weight|bias)_(ih|hh)_l(\d+)(_reverse)?$")


def _sole_consumer(spec: ModelSpec, name: str) -> str | None:
    edges = spec.outputs_of(name)
    return edges[0].dst if len(edges) == 1 and edges[0].dst_port == "in" else None


def _plain(spec: ModelSpec, name: str) -> bool:
    """One input, on the 'in' port (no token ids connected for padding)."""
    return [e.dst_port for e in spec.inputs_of(name)] == ["in"]


def _bypass(spec: ModelSpec, removed: str, keep: str) -> None:
    """Remove ``removed`` (fed by ``keep``), its consumers fed by ``keep`` instead."""
    outs = [(e.dst, e.dst_port) for e in spec.outputs_of(removed)]
    spec.remove_node(removed)
    for dst, port in outs:
        spec.connect(keep, dst, port)


def fold_recurrent(spec: ModelSpec, weights: dict[str, torch.Tensor]) -> None:
    """Stack a recurrent layer onto the one feeding it (same cell, width and directions)
    and take the last step inside the layer, in place."""
    changed = True
    while changed:
        changed = False
        for node in list(spec.nodes):
            if node.kind not in _RECURRENT or node.params.get("output") != "sequence" \
                    or not _plain(spec, node.name):
                continue
            nxt = _sole_consumer(spec, node.name)
            if nxt is None:
                continue
            other = spec.node(nxt)
            # token ids on the upper layer: one direction reads the padded steps alike
            # whether its layers are stacked in one node or not
            tokens = [e.src for e in spec.inputs_of(nxt) if e.dst_port == "tokens"]
            if tokens and (other.params.get("bidirectional") or other.kind not in _RECURRENT):
                continue
            if other.kind == "SequencePool" and other.params.get("mode") == "last":
                node.params["output"] = "last"
                _bypass(spec, nxt, node.name)
                changed = True
                break
            same = ("hidden_size", "bidirectional", "nonlinearity")
            if other.kind == node.kind and all(other.params.get(k) == node.params.get(k)
                                               for k in same):
                below = int(node.params.get("num_layers", 1))
                for key in [k for k in weights if k.startswith(f"{nxt}.")]:
                    m = _LAYER_KEY.match(key[len(nxt) + 1:])
                    assert m, key  # a recurrent layer holds only these weights
                    kind, part, layer, rev = m.groups()
                    weights[f"{node.name}.rnn.{kind}_{part}_l{int(layer) + below}{rev or ''}"] \
                        = weights.pop(key)
                node.params["num_layers"] = below + int(other.params.get("num_layers", 1))
                node.params["output"] = other.params.get("output", "sequence")
                _bypass(spec, nxt, node.name)
                for src in tokens:
                    spec.connect(src, node.name, "tokens")
                changed = True
                break


def patch_embedding(spec: ModelSpec, weights: dict[str, torch.Tensor], flat: str) -> str | None:
    """``flat``, a Reshape of a Conv2d's (D, h, w) into (D, h * w) about to be transposed
    into (h * w, D): with a kernel equal to its stride, no padding and a bias, that is the
    catalogue's PatchEmbedding. Rewrites the two into it and gives its name (None: not one)."""
    node = spec.node(flat)
    feed = spec.inputs_of(flat)
    if node.kind not in ("Reshape", "Flatten") or len(feed) != 1 or spec.outputs_of(flat):
        return None
    conv = spec.node(feed[0].src)
    p = conv.params
    if conv.kind != "Conv2d" or len(spec.outputs_of(conv.name)) != 1 or p["padding"] != 0 \
            or p["kernel_size"] != p["stride"] or p["dilation"] != 1 or p["groups"] != 1 \
            or not p["bias"] or list(node.params.get("shape", []))[:1] != [p["out_channels"]]:
        return None
    spec.remove_node(flat)
    conv.kind = "PatchEmbedding"
    conv.params = {"patch": p["kernel_size"], "embed_dim": p["out_channels"]}
    for key in ("weight", "bias"):
        weights[f"{conv.name}.proj.{key}"] = weights.pop(f"{conv.name}.{key}")
    return conv.name
