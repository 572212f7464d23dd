"""Attention as exporters write it to ONNX: no attention operator, but projections (MatMul or
Gemm with constant weights), head reshapes and transposes, a Softmax of scaled scores and an
output projection. Each Softmax is taken with the (B, L, D) sequence that feeds it and the
nearest (B, L, D) value after it; when the region's weights, put into torch's
nn.MultiheadAttention (without a mask, or causal), give that value from that sequence on the
real values onnxruntime computed, the region is one MultiHeadAttention layer. A padding mask
computed from the token ids (Equal on id 0...) may feed the scores: then the catalogue's
attention with the ids connected is what must match, and the mask's nodes fall away once
every use of them (the attentions, a masked mean over the steps) is taken.

Also here: a learned position table added to a sequence, a class token joined in front of
it, and a convolution reshaped and transposed into patches (the Vision Transformer's)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import torch

from workbench.core.importers.folds import patch_embedding
from workbench.core.importers.onnx_fused import Fused
from workbench.core.importers.onnx_ops import Context, attrs, label

_TRIES = 6  # candidate sequences before / after each Softmax


def find(graph: Any, values: dict[str, np.ndarray], data: set[str], batch: int,
         inits: dict[str, np.ndarray], out: Fused, tokens: str | None = None) -> None:
    """``tokens``: the input's name when it holds token ids (a padding mask may come from
    them: Equal on id 0 and what follows, used by the attentions and a masked mean)."""
    nodes = list(graph.node)
    masks = _token_only(nodes, data, inits, tokens)
    at = {o: i for i, n in enumerate(nodes) for o in n.output}
    producer = {o: n for n in nodes for o in n.output}
    consumers: dict[str, list[Any]] = {}
    for n in nodes:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def const(name: str) -> np.ndarray | None:
        if not name or name in data:
            return None
        return inits[name] if name in inits else values.get(name)

    def walk(start: str, forward: bool) -> set[str]:
        seen, stack = set(), [start]
        while stack:
            v = stack.pop()
            nxt = [o for n in consumers.get(v, []) for o in n.output] if forward else \
                [i for i in producer[v].input if i in data] if v in producer else []
            for w in nxt:
                if w in data and w not in seen:
                    seen.add(w)
                    stack.append(w)
        return seen

    for soft in (n for n in nodes if n.op_type == "Softmax" and n.input[0] in data):
        scores = values[soft.output[0]].shape
        if label(soft) in out.inside or len(scores) not in (3, 4):
            continue
        heads = scores[1] if len(scores) == 4 else scores[0] // batch
        seq = (batch, scores[-1])
        branches = _branches(soft, producer, consumers, data)
        if branches is None:
            continue
        common = set.intersection(*(walk(b, False) | {b} for b in branches))
        before = sorted((v for v in common if values[v].shape[:2] == seq
                         and values[v].ndim == 3), key=lambda v: -at.get(v, -1))[:_TRIES]
        after = sorted((v for v in walk(soft.output[0], True) if values[v].shape[:2] == seq
                        and values[v].ndim == 3), key=lambda v: at[v])[:_TRIES]
        for x in before:
            below = walk(x, True)
            for y in after:
                if values[y].shape != values[x].shape or y not in below:
                    continue
                users = consumers.get(y, [])
                if len(users) == 1 and users[0].op_type == "Add" and any(
                        const(i) is not None for i in users[0].input):
                    continue  # the output projection's bias is still to come
                inside = (below & (walk(y, False) | {y}))
                region = [n for n in nodes if any(o in inside for o in n.output)]
                side = {i for n in region for i in n.input if i in data and i not in inside
                        and i != x}
                if side - masks:
                    continue  # the region reads another layer's output
                found = _fit(region, soft, x, y, values, const, heads, consumers,
                             tokens if side else None)
                if found:
                    inner = [n for n in region if y not in n.output]
                    if all(u in region or u.op_type in ("Shape", "Size") for n in inner
                           for o in n.output for u in consumers.get(o, [])):
                        srcs = [x, tokens] if side and tokens else [x]
                        out.ends[label(producer[y])] = (srcs, "MultiHeadAttention", *found)
                        out.inside |= {label(n) for n in inner}
                        break
            else:
                continue
            break


    if tokens is not None and masks:
        _masked_means(nodes, values, data, batch, masks, tokens, producer, consumers, out)
        _padded_recurrent(nodes, values, data, masks, tokens, const, walk, at, producer,
                          consumers, out)
        mask_nodes = [n for n in nodes if any(o in masks for o in n.output)]
        if all(label(u) in out.inside or label(u) in out.ends or u in mask_nodes
               or u.op_type in ("Shape", "Size")
               for n in mask_nodes for o in n.output for u in consumers.get(o, [])):
            out.inside |= {label(n) for n in mask_nodes}


def _padded_recurrent(nodes: list[Any], values: dict[str, np.ndarray], data: set[str],
                      masks: set[str], tokens: str, const: Any, walk: Any, at: dict[str, int],
                      producer: dict[str, Any], consumers: dict[str, list[Any]], out: Fused
                      ) -> None:
    """A recurrent layer reading padded token sequences as the catalogue's does with the
    token ids connected (a bidirectional one runs twice: on the text and on the text rolled
    to the end, by Gathers at indices from the padding): the GRU/LSTM nodes with the same
    weights, from the sequence before them to the value after them that the catalogue's
    layer gives, checked on the real values."""
    from workbench.core.importers.onnx_recurrent import torch_weights
    from workbench.core.layers.modules import Recurrent

    ids = torch.from_numpy(np.asarray(values[tokens])).long()
    groups: dict[tuple[str, ...], list[Any]] = {}
    for n in nodes:
        if n.op_type in ("GRU", "LSTM") and label(n) not in out.inside and n.input[0] in data:
            groups.setdefault(tuple(n.input[1:4]), []).append(n)
    for (w_name, r_name, b_name), rec in groups.items():
        w, r, b = const(w_name), const(r_name), const(b_name)
        a = attrs(rec[0])
        if w is None or r is None or a.get("activations") or a.get("clip") or (
                rec[0].op_type == "GRU" and not a.get("linear_before_reset", 0)):
            continue
        kind, dirs, hidden = rec[0].op_type, w.shape[0], r.shape[-1]
        b = np.zeros((dirs, 2 * r.shape[1]), np.float32) if b is None else b
        weights = torch_weights(kind, w, r, b)
        common = set.intersection(*(walk(n.input[0], False) | {n.input[0]} for n in rec))
        after = set.intersection(*(walk(n.output[0], True) for n in rec))
        seqs = sorted((v for v in common if v not in masks and values[v].ndim == 3
                       and values[v].shape[:2] == tuple(ids.shape)
                       and values[v].shape[2] == w.shape[2]), key=lambda v: -at.get(v, -1))
        ends = sorted((v for v in after if v not in masks and values[v].shape[0] == ids.shape[0]
                       and values[v].shape[-1] == dirs * hidden), key=lambda v: at[v])
        for x, y in ((x, y) for x in seqs[:3] for y in ends[:4]):
            inside = walk(x, True) & (walk(y, False) | {y})
            region = [n for n in nodes if any(o in inside for o in n.output)]
            side = {i for n in region for i in n.input if i in data and i not in inside
                    and i != x}
            if side - masks - {tokens}:
                continue
            seq = torch.from_numpy(np.asarray(values[x], np.float32))
            for output in ("hidden", "last", "sequence"):
                layer = Recurrent(kind, w.shape[2], hidden, bidirectional=dirs == 2,
                                  output=output).eval()
                layer.load_state_dict({k: torch.from_numpy(np.array(v, np.float32))
                                       for k, v in weights.items()})
                with torch.no_grad():
                    got = layer(seq, ids).numpy()
                inner = [n for n in region if y not in n.output]
                if got.shape == values[y].shape and np.allclose(got, values[y], rtol=1e-4,
                                                                atol=1e-5) \
                        and all(u in region or u.op_type in ("Shape", "Size") for n in inner
                                for o in n.output for u in consumers.get(o, [])):
                    out.ends[label(producer[y])] = (
                        [x, tokens], kind, {"hidden_size": hidden, "num_layers": 1,
                                            "bidirectional": dirs == 2, "output": output,
                                            "input_size": w.shape[2]}, weights)
                    out.inside |= {label(n) for n in inner}
                    break
            else:
                continue
            break


def _token_only(nodes: list[Any], data: set[str], inits: dict[str, np.ndarray],
                tokens: str | None) -> set[str]:
    """The values computed from the token ids alone (a padding mask), not the embedding."""
    if tokens is None:
        return set()
    out = {tokens}
    for n in nodes:
        ins = [i for i in n.input if i in data]
        if ins and all(i in out for i in ins) and n.op_type not in ("Shape", "Size") \
                and not (n.op_type == "Gather" and n.input[0] not in data):
            out |= {o for o in n.output if o}
    return out - {tokens}


def _masked_means(nodes: list[Any], values: dict[str, np.ndarray], data: set[str], batch: int,
                  masks: set[str], tokens: str, producer: dict[str, Any],
                  consumers: dict[str, list[Any]], out: Fused) -> None:
    """The mean over the steps that are not <pad>: (x * keep).sum(1) / keep.sum(1), as the
    catalogue's sequence pooling reads the token ids."""
    from workbench.core.layers.modules import SequencePool

    ids = torch.from_numpy(np.asarray(values[tokens])).long()
    pool = SequencePool("mean")
    for div in (n for n in nodes if n.op_type == "Div" and n.output[0] in data
                and n.output[0] not in masks and label(n) not in out.inside):
        y = div.output[0]
        if values[y].ndim != 2 or values[y].shape[0] != batch:
            continue
        region, stack, seqs = [div], [i for i in div.input if i in data and i not in masks], []
        while stack and len(region) < 8:
            n = producer.get(stack.pop())
            if n is None or n in region:
                continue
            region.append(n)
            ins = [i for i in n.input if i in data and i not in masks]
            if n.op_type == "Mul" and len(ins) == 1 and values[ins[0]].ndim == 3 \
                    and any(i in masks for i in n.input):
                seqs.append(ins[0])  # the sequence times the mask of its real steps
            else:
                stack += ins
        if len(seqs) != 1:
            continue
        x = torch.from_numpy(np.asarray(values[seqs[0]], np.float32))
        with torch.no_grad():
            want = pool(x, ids).numpy()
        inner = [n for n in region if n is not div]
        if want.shape == values[y].shape and np.allclose(want, values[y], rtol=1e-4, atol=1e-5) \
                and all(u in region or u.op_type in ("Shape", "Size") for n in inner
                        for o in n.output for u in consumers.get(o, [])):
            out.ends[label(div)] = ([seqs[0], tokens], "SequencePool", {"mode": "mean"}, None)
            out.inside |= {label(n) for n in inner}


def _branches(soft: Any, producer: dict[str, Any], consumers: dict[str, list[Any]],
              data: set[str]) -> list[str] | None:
    """The query, key and value a Softmax's scores come from and weigh: the inputs of the
    nearest MatMul of two data values before it (queries x keys) and the other input of the
    nearest such MatMul after it (weights x values)."""
    def two_data(n: Any) -> bool:
        return n.op_type == "MatMul" and all(i in data for i in n.input[:2])

    qk, stack, seen = None, [soft.input[0]], set()
    while stack and qk is None:
        v = stack.pop(0)
        n = producer.get(v)
        if n is None or v in seen:
            continue
        seen.add(v)
        qk = n if two_data(n) else None
        stack += [i for i in n.input if i in data]
    av, stack, seen = None, [soft.output[0]], set()
    while stack and av is None:
        v = stack.pop(0)
        if v in seen:
            continue
        seen.add(v)
        for n in consumers.get(v, []):
            if two_data(n):
                av = (n, v)
                break
            stack += [o for o in n.output if o in data]
    if qk is None or av is None:
        return None
    node, weights = av
    values = [i for i in node.input[:2] if i != weights]
    return [qk.input[0], qk.input[1], *values[:1]] if values else None


def _fit(region: list[Any], soft: Any, x: str, y: str, values: dict[str, np.ndarray],
         const: Any, heads: int, consumers: dict[str, list[Any]], tokens: str | None = None
         ) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    """The attention's settings and weights when they reproduce ``y`` from ``x`` (with the
    padding of ``tokens`` masked, when given), as the catalogue's layer computes it."""
    from workbench.core.layers.modules import SelfAttention

    d = values[x].shape[-1]
    if d % heads:
        return None
    soft_at = region.index(soft) if soft in region else -1
    projections = []
    for i, n in enumerate(region):
        if n.op_type not in ("MatMul", "Gemm"):
            continue
        w = const(n.input[1])
        if w is None or w.ndim != 2:
            continue
        a = attrs(n)
        if n.op_type == "Gemm" and (a.get("transA", 0) or a.get("alpha", 1.0) != 1.0):
            return None
        weight = w if n.op_type == "Gemm" and a.get("transB", 0) else w.T
        bias = const(n.input[2]) if len(n.input) > 2 else None
        if bias is None:  # a MatMul's bias: the constant of the Add after it
            for u in consumers.get(n.output[0], []):
                if u.op_type == "Add" and u in region:
                    c = next((const(i) for i in u.input if const(i) is not None), None)
                    if c is not None and c.size == weight.shape[0]:
                        bias = c.reshape(-1)
        projections.append((i < soft_at, weight, np.zeros(weight.shape[0], np.float32)
                            if bias is None else np.broadcast_to(bias, weight.shape[:1])))
    ins = [p for p in projections if p[0]]
    outs = [p for p in projections if not p[0]]
    if len(outs) != 1 or outs[0][1].shape != (d, d):
        return None
    if len(ins) == 1 and ins[0][1].shape == (3 * d, d):
        orders = [ins]
    elif len(ins) == 3 and all(p[1].shape == (d, d) for p in ins):
        orders = list(itertools.permutations(ins))  # which is the query, key, value
    else:
        return None
    seq = torch.from_numpy(np.asarray(values[x], np.float32))
    want = np.asarray(values[y])
    tol = 1e-5 * max(1.0, float(np.abs(want).max()))
    ids = torch.from_numpy(np.asarray(values[tokens])).long() if tokens else None
    for order in orders:
        weights = {"attn.in_proj_weight": np.concatenate([p[1] for p in order]),
                   "attn.in_proj_bias": np.concatenate([p[2] for p in order]),
                   "attn.out_proj.weight": outs[0][1], "attn.out_proj.bias": outs[0][2]}
        for mask in ("none", "causal"):
            layer = SelfAttention(d, heads, causal=mask == "causal").eval()
            layer.load_state_dict({k: torch.from_numpy(np.array(v, np.float32))
                                   for k, v in weights.items()})
            with torch.no_grad():
                got = layer(seq, ids).numpy()
            if np.allclose(got, want, rtol=1e-4, atol=tol):
                return {"heads": heads, "dropout": 0.0, "mask": mask}, weights
    return None


# -- positions, class token, patches ---------------------------------------------------------
def positions(ctx: Context, node: Any, src: str, c: np.ndarray) -> bool:
    """A constant (1, L, D) added to a (B, L, D) sequence: a learned position table (or the
    catalogue's fixed sinusoids, when it is them)."""
    shape = ctx.shape(src)
    if len(shape) != 3 or tuple(np.shape(c)) not in ((1, *shape[1:]), tuple(shape[1:])):
        return False
    from workbench.core.layers.modules import PositionalEncoding

    table = np.asarray(c, np.float32).reshape(1, *shape[1:])
    fixed = PositionalEncoding(shape[2], shape[1]).pe.numpy() if shape[2] % 2 == 0 else None
    if fixed is not None and np.allclose(table, fixed, atol=1e-6):
        ctx.add(node, "PositionalEncoding", {"kind": "sinusoidal", "max_len": shape[1]},
                inputs=[src])
    else:
        ctx.add(node, "PositionalEncoding", {"kind": "learned", "max_len": shape[1]},
                inputs=[src], weights={"pe": table})
    return True


def class_token(ctx: Context, node: Any) -> bool:
    """Concat(the same (1, D) row for every sample, the sequence) on the steps' axis."""
    if len(node.input) != 2 or node.input[0] in ctx.data or node.input[1] not in ctx.data:
        return False
    name = node.input[0]
    token = np.asarray(ctx.inits[name] if name in ctx.inits else ctx.values.get(name))
    shape = ctx.shape(node.input[1])
    if len(shape) != 3 or attrs(node).get("axis") not in (1, -2) \
            or token.shape != (shape[0], 1, shape[2]) or not np.all(token == token[:1]):
        return False
    ctx.add(node, "ClassToken", {}, inputs=[node.input[1]], weights={"token": token[:1]})
    return True


def patches(ctx: Context, node: Any) -> bool:
    """Transpose (0, 2, 1) of a convolution reshaped to (B, D, h * w): a patch embedding."""
    src = node.input[0]
    if list(attrs(node).get("perm", [])) != [0, 2, 1] or ctx.uses.get(src) != 1 \
            or src in ctx.views:
        return False
    name = patch_embedding(ctx.b.spec, ctx.b.weights, ctx.data[src])
    if name is None:
        return False
    ctx.data[node.output[0]] = name
    return True
