"""Helpers both importers use to turn a source layer's settings into catalogue parameters."""

from __future__ import annotations

from typing import Any

from workbench.core.importers.errors import ModelImportError

# per-sample rank of the input -> the input kind and its parameters, in shape order
INPUT_KINDS: dict[int, tuple[str, tuple[str, ...]]] = {
    1: ("FeatureInput", ("features",)),
    2: ("SequenceInput", ("length", "features")),
    3: ("ImageInput", ("channels", "height", "width")),
}


def _name(node: Any) -> str:
    return str(getattr(node, "name", node))


def square(value: Any, what: str, node: Any) -> int:
    """One number for an int or a tuple of equal numbers; the catalogue's layers take
    square kernels, strides and paddings."""
    if isinstance(value, int):
        return value
    values = list(value) if isinstance(value, list | tuple) else [value]
    if values and all(isinstance(v, int) and v == values[0] for v in values):
        return values[0]
    raise ModelImportError(f"node '{_name(node)}' has a {what} of {tuple(values)}; Workbench's "
                           f"layers take the same {what} on every axis", node=_name(node))


def per_sample_dim(dim: Any, rank: int, node: Any) -> int:
    """torch's axis (batch first) as the catalogue's per-sample axis."""
    if not isinstance(dim, int):
        raise ModelImportError(f"node '{_name(node)}' has no fixed axis", node=_name(node))
    dim = dim if dim >= 0 else dim + rank
    if dim == 0:
        raise ModelImportError(f"node '{_name(node)}' works across the batch axis; Workbench's "
                               "layers work within each sample", node=_name(node))
    return dim - 1


def pool_params(kind: str, kernel: Any, stride: Any, padding: Any, dilation: Any,
                ceil_mode: bool, count_include_pad: bool, divisor: Any, node: Any
                ) -> dict[str, Any]:
    if square(dilation, "pooling dilation", node) != 1 or divisor is not None:
        raise ModelImportError(f"node '{_name(node)}' pools with a dilation or a divisor "
                               "override; Workbench's pooling has neither", node=_name(node))
    k = square(kernel, "window", node)
    params: dict[str, Any] = {"kernel_size": k,
                              "stride": square(stride if stride else k, "stride", node),
                              "padding": square(padding, "padding", node),
                              "ceil_mode": bool(ceil_mode)}
    if kind.startswith("Avg"):
        params["count_include_pad"] = bool(count_include_pad)
    return params
