"""PyTorch modules into Workbench models: trace with torch.fx, map each module and function
call to a catalogue kind, and carry the weights over under the catalogue's names.

Shapes come from running the traced graph once (fx's ShapeProp), so views and reshapes are
judged by what they really do (a ``x.view(x.size(0), -1)`` is a Flatten). Anything that has
no catalogue kind is refused with the node that uses it.
"""

from __future__ import annotations

import operator
from typing import Any

import torch
from torch import fx, nn
from torch.fx.passes.shape_prop import ShapeProp

from workbench.core.importers import fx_helpers, fx_sequence
from workbench.core.importers.builder import GraphBuilder, ImportedModel, compare, describe
from workbench.core.importers.errors import ModelImportError
from workbench.core.importers.fx_common import flat, is_tensor, refuse, short
from workbench.core.importers.fx_ops import map_node
from workbench.core.importers.mapping import INPUT_KINDS


class _Tracer(fx.Tracer):
    """Keeps recurrent and attention modules and Workbench's helpers whole: fx cannot trace
    into the former, and each of them is one catalogue layer."""

    def is_leaf_module(self, m: nn.Module, qualname: str) -> bool:
        return isinstance(m, fx_sequence.LEAVES) or fx_helpers.helper_name(type(m)) is not None \
            or super().is_leaf_module(m, qualname)


def _trace(module: nn.Module, source: str) -> fx.GraphModule:
    try:
        return fx.GraphModule(module, _Tracer().trace(module))
    except Exception as e:  # fx refuses data-dependent control flow and the like
        raise ModelImportError(f"{source} cannot be traced with torch.fx ({short(e)}); only "
                               "models whose forward is a fixed graph of layers can be "
                               "imported") from None


def _embedding_of(gm: fx.GraphModule) -> nn.Embedding | None:
    """The embedding the input goes into, when the model reads token ids."""
    modules = dict(gm.named_modules())
    for node in gm.graph.nodes:
        if node.op == "placeholder":
            for u in node.users:
                m = modules.get(str(u.target)) if u.op == "call_module" else None
                if isinstance(m, nn.Embedding):
                    return m
    return None


def import_module(module: nn.Module, input_shape: tuple[int, ...], name: str, source: str,
                  check_batch: int = 2) -> ImportedModel:
    """``module`` (in eval mode) as an ImportedModel whose outputs equal the module's on a
    random batch of ``input_shape`` (per sample); ModelImportError when it cannot be."""
    module = module.eval()
    gm = _trace(module, source)
    embedding = _embedding_of(gm)
    gen = torch.Generator().manual_seed(0)
    if embedding is not None and len(input_shape) == 1:  # token ids
        x = torch.randint(0, embedding.num_embeddings, (check_batch, *input_shape),
                          generator=gen)
    else:
        embedding = None
        x = torch.randn(check_batch, *input_shape, generator=gen)
    try:
        with torch.no_grad():
            ShapeProp(gm).propagate(x)
            reference = module(x)
    except Exception as e:
        raise ModelImportError(f"{source} does not run on an input of shape "
                               f"{' x '.join(map(str, input_shape))} ({short(e)}); give the "
                               "input shape it expects") from None
    if not isinstance(reference, torch.Tensor):
        raise ModelImportError(f"{source} returns {type(reference).__name__}, not one tensor")
    t = fx_sequence.Trace(GraphBuilder(name), dict(gm.named_modules()))
    out_name = None
    shape_like: set[fx.Node] = set()
    for node in gm.graph.nodes:
        if node in t.values or node in t.skip:
            continue  # taken over by a layer before it (a tuple's items)
        if node.op == "placeholder":
            if t.values:
                raise ModelImportError(f"{source} takes more than one input ('{node.name}'); "
                                       "a Workbench model has one", node=node.name)
            kind, params = _input_kind(input_shape)
            if embedding is not None:
                kind, params = "TokenInput", {"length": input_shape[0],
                                              "vocab_size": embedding.num_embeddings}
            t.values[node] = t.b.add(kind, params, [], "input")
        elif node.op == "output":
            out = node.args[0]
            if not isinstance(out, fx.Node) or out not in t.values:
                raise ModelImportError(f"{source} must return one tensor")
            out_name = t.values[out]
        elif node.op == "get_attr":
            if is_tensor(node):
                value: Any = gm
                for part in str(node.target).split("."):
                    value = getattr(value, part)
                t.consts[node] = value
        elif not _special(t, node):
            if not is_tensor(node):
                if _shape_like(node, shape_like):
                    shape_like.add(node)  # sizes: only arguments of what is mapped
                continue
            for a in node.all_input_nodes:
                if not is_tensor(a) and a not in shape_like and a.op != "get_attr":
                    refuse(a, "gives something other than a tensor")
            mapped = map_node(node, t.modules)
            tensors = [a for a in flat(node.args) + flat(node.kwargs) if isinstance(a, fx.Node)
                       and is_tensor(a)]
            if mapped is None:  # the identity: the node is its input
                if tensors[0] not in t.values:
                    refuse(tensors[0], "could not be mapped")
                t.values[node] = t.values[tensors[0]]
                continue
            kind, params, weights = mapped
            t.add(node, kind, params, tensors, weights)
    if out_name is None:
        raise ModelImportError(f"{source} has no output")
    t.b.make_head(out_name, source)
    imported = t.b.finish(source)
    imported.max_diff = compare(imported.model, reference, x)
    if imported.max_diff > 1e-3 * max(1.0, float(reference.abs().max())):
        raise ModelImportError(f"the imported model does not compute what {source} computes "
                               f"(outputs differ by {imported.max_diff:.3g})")
    describe(imported, name, "tokens" if embedding is not None else
             "image" if len(input_shape) == 3 else "features", input_shape)
    return imported


def _special(t: fx_sequence.Trace, node: fx.Node) -> bool:
    """The nodes a plain mapper cannot take: leaves giving tuples, Workbench's helpers,
    parameters used directly, sequence steps and patches; False for the others."""
    if node.op == "call_module":
        m = t.modules[str(node.target)]
        helper = fx_helpers.helper_name(type(m))
        if helper == "TokenEmbedding":  # an nn.Embedding to the plain mapper
            return False
        if helper is not None:
            fx_helpers.helper(t, node, m, helper)
        elif isinstance(m, fx_sequence.RECURRENT):
            fx_sequence.recurrent(t, node, m)
        elif isinstance(m, nn.MultiheadAttention):
            fx_sequence.attention(t, node, m)
        elif isinstance(m, nn.TransformerEncoderLayer | nn.TransformerEncoder):
            fx_sequence.encoder(t, node, m)
        else:
            return False
        return True
    if any(a in t.consts for a in node.all_input_nodes):
        fx_helpers.with_const(t, node)
        return True
    src = node.args[0] if node.args else None
    if node.target is operator.getitem and is_tensor(node) and isinstance(src, fx.Node) \
            and is_tensor(src):
        fx_helpers.sequence_step(t, node)
        return True
    if node.target in ("permute", "transpose", torch.permute, torch.transpose):
        return fx_helpers.patches(t, node)
    return False


def _input_kind(shape: tuple[int, ...]) -> tuple[str, dict[str, Any]]:
    if len(shape) not in INPUT_KINDS:
        raise ModelImportError(f"an input of {len(shape)} axes per sample has no Workbench "
                               "input layer (1: features, 2: steps x features, 3: an image)")
    kind, names = INPUT_KINDS[len(shape)]
    return kind, dict(zip(names, shape, strict=True))


_SIZE_METHODS = {"size", "dim", "numel"}


def _shape_like(node: fx.Node, known: set[fx.Node]) -> bool:
    """A size, a shape, or arithmetic on them (what a view's arguments are made of)."""
    if node.op == "call_method" and node.target in _SIZE_METHODS:
        return True
    if node.op == "call_function" and node.target is getattr:
        return node.args[1] == "shape"
    return node.op == "call_function" and all(a in known for a in node.all_input_nodes
                                              if not is_tensor(a)) and not any(
        is_tensor(a) for a in node.all_input_nodes)


