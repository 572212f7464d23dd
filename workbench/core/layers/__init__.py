"""The layer catalogue: one declaration per layer kind, read by the palette, the inspector,
validation, shape inference, the builder and the code exporter."""

from __future__ import annotations

from workbench.core.layers.attention import ATTENTION
from workbench.core.layers.base import AUTO, CheckContext, LayerKind, Param, Shape, fmt_shape
from workbench.core.layers.conv import CONV
from workbench.core.layers.dense import ACTIVATIONS, DENSE
from workbench.core.layers.inputs import INPUTS
from workbench.core.layers.merge import MERGE, OUTPUTS
from workbench.core.layers.recurrent import RECURRENT

GROUPS = ("Inputs", "Dense", "Convolution", "Pooling", "Normalization", "Recurrent",
          "Attention", "Merge", "Activation", "Output")

CATALOGUE: dict[str, LayerKind] = {
    k.kind: k for k in (*INPUTS, *DENSE, *CONV, *RECURRENT, *ATTENTION, *MERGE, *ACTIVATIONS,
                        *OUTPUTS)
}
assert all(k.group in GROUPS for k in CATALOGUE.values())


class UnknownKindError(KeyError):
    pass


def get_kind(kind: str) -> LayerKind:
    try:
        return CATALOGUE[kind]
    except KeyError:
        raise UnknownKindError(kind) from None


def kinds_in_group(group: str) -> list[LayerKind]:
    return [k for k in CATALOGUE.values() if k.group == group]


__all__ = ["AUTO", "CATALOGUE", "GROUPS", "CheckContext", "LayerKind", "Param", "Shape",
           "UnknownKindError", "fmt_shape", "get_kind", "kinds_in_group"]
