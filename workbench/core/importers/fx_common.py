"""What the torch.fx mappers share: a node's shape and arguments, and the refusal that
names the node."""

from __future__ import annotations

from typing import Any

import torch
from torch import fx

from workbench.core.importers.errors import ModelImportError

Mapped = tuple[str, dict[str, Any], dict[str, torch.Tensor] | None]  # kind, params, weights


def is_tensor(node: fx.Node) -> bool:
    meta = node.meta.get("tensor_meta")
    return meta is not None and hasattr(meta, "shape")


def shape_of(node: fx.Node) -> tuple[int, ...]:
    return tuple(node.meta["tensor_meta"].shape)


def flat(obj: Any) -> list[Any]:
    if isinstance(obj, list | tuple):
        return [y for x in obj for y in flat(x)]
    if isinstance(obj, dict):
        return [y for x in obj.values() for y in flat(x)]
    return [obj]


def hint(node: fx.Node) -> str:
    return str(node.target) if node.op == "call_module" else node.name


def refuse(node: fx.Node, why: str) -> None:
    what = node.target if node.op == "call_module" else getattr(node.target, "__name__",
                                                                str(node.target))
    raise ModelImportError(f"node '{node.name}' ({what}) {why}; it has no Workbench layer",
                           node=node.name)


def short(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:200]


# -- functions and methods -------------------------------------------------------------------
def arg(node: fx.Node, index: int, name: str, default: Any = None) -> Any:
    if name in node.kwargs:
        return node.kwargs[name]
    return node.args[index] if len(node.args) > index else default


def reshape(node: fx.Node) -> Mapped | None:
    """flatten / view / reshape, judged by the shapes: (B, ...) -> (B, N) is a Flatten."""
    src = next(a for a in node.all_input_nodes if is_tensor(a))
    before, after = shape_of(src), shape_of(node)
    if after == before:
        return None
    if not after or after[0] != before[0]:
        refuse(node, f"reshapes {before} into {after}, across the batch axis")
    if len(after) == 2:
        return "Flatten", {}, None
    return "Reshape", {"shape": list(after[1:])}, None
