"""One row per catalogue kind: the smallest valid model using it, with default and
representative parameters (importable as ``layer_rows``, like ``helpers``).

Every kind in the catalogue must have a row here: the catalogue tests fail for a kind without
one, so adding a layer is one catalogue entry plus its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from workbench.core.graph import ModelSpec
from workbench.core.layers import CATALOGUE, get_kind

_IMAGE = ("ImageInput", {"channels": 3, "height": 12, "width": 12})
_FEATURES = ("FeatureInput", {"features": 12})
_SEQ = ("SequenceInput", {"length": 5, "features": 16})
_CHANNELS_X_LENGTH = ("SequenceInput", {"length": 4, "features": 16})  # 4 channels x 16


@dataclass(frozen=True)
class Row:
    source: tuple[str, dict[str, Any]]  # the input kind feeding the layer, and its params
    params: dict[str, Any] = field(default_factory=dict)  # the layer's (defaults when empty)
    # merge kinds: the kind (and params) the second input passes through, else the input
    # feeds every port
    second: tuple[str, dict[str, Any]] | None = None
    # a kind (and params) between the input and the layer, e.g. a Linear to give a
    # parameter-free head something to train
    via: tuple[str, dict[str, Any]] | None = None


def _rows(source: tuple[str, dict[str, Any]], *variants: dict[str, Any]) -> list[Row]:
    return [Row(source, v) for v in (variants or ({},))]


ROWS: dict[str, list[Row]] = {
    # inputs feed themselves
    "ImageInput": _rows(("ImageInput", {"channels": 1, "height": 6, "width": 6})),
    "FeatureInput": _rows(_FEATURES),
    "TokenInput": _rows(("TokenInput", {"vocab_size": 50, "length": 7})),
    "SequenceInput": _rows(_SEQ),
    "ImageRows": _rows(("ImageRows", {"channels": 1, "height": 6, "width": 6})),
    "NoiseInput": _rows(("NoiseInput", {"latent": 8}),),
    "ImagePatches": _rows(("ImagePatches", {"channels": 1, "height": 8, "width": 8, "patch": 4})),
    "Linear": _rows(_FEATURES, {}, {"out_features": 7, "bias": False}),
    "Flatten": _rows(("ImageInput", {"channels": 2, "height": 6, "width": 6})),
    "Reshape": _rows(("FeatureInput", {"features": 784}), {"shape": [1, 28, 28]}),
    "Dropout": _rows(_FEATURES, {}, {"p": 0.2}),
    "Dropout2d": _rows(_IMAGE, {}, {"p": 0.1}),
    "Conv1d": _rows(_CHANNELS_X_LENGTH, {}, {"padding": "same", "bias": False}),
    "Conv2d": _rows(_IMAGE, {}, {"out_channels": 6, "padding": 1, "stride": 2, "groups": 3},
                    {"padding": "same", "dilation": 2}),
    "ConvTranspose2d": _rows(_IMAGE, {}, {"out_channels": 4, "kernel_size": 3, "stride": 2,
                                          "padding": 1, "output_padding": 1, "bias": False}),
    "Upsample": _rows(_IMAGE, {}, {"scale_factor": 3}, {"mode": "bilinear", "scale_factor": 1.5}),
    "MaxPool1d": _rows(_CHANNELS_X_LENGTH, {}, {"kernel_size": 3, "stride": 1, "padding": 1}),
    "MaxPool2d": _rows(_IMAGE, {}, {"kernel_size": 3, "stride": 2, "padding": 1},
                      {"kernel_size": 3, "stride": 2, "ceil_mode": True}),
    "AvgPool1d": _rows(_CHANNELS_X_LENGTH, {}, {"kernel_size": 4, "stride": 2}),
    "AvgPool2d": _rows(_IMAGE, {}, {"kernel_size": 3, "stride": 1},
                      {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True,
                       "count_include_pad": False}),
    "AdaptiveAvgPool2d": _rows(_IMAGE, {}, {"output_size": 3}),
    "AdaptiveMaxPool2d": _rows(_IMAGE, {}, {"output_size": 3}),
    "GlobalAvgPool": _rows(_IMAGE),
    "BatchNorm1d": [Row(_FEATURES), Row(_CHANNELS_X_LENGTH, {"momentum": 0.01})],
    "BatchNorm2d": _rows(_IMAGE, {}, {"momentum": 0.3, "eps": 1e-3}),
    "GroupNorm": _rows(("ImageInput", {"channels": 8, "height": 5, "width": 5}), {},
                       {"num_groups": 2, "affine": False}),
    "InstanceNorm2d": _rows(_IMAGE, {}, {"affine": True}),
    "LayerNorm": _rows(_SEQ, {}, {"eps": 1e-6}),
    "Embedding": _rows(("TokenInput", {"vocab_size": 50, "length": 7}), {"embedding_dim": 8},
                       {"embedding_dim": 8, "padding_idx": 0}),
    "RNN": _rows(_SEQ, {"hidden_size": 8}, {"hidden_size": 8, "nonlinearity": "relu",
                                             "output": "sequence"}),
    "LSTM": _rows(_SEQ, {"hidden_size": 8}, {"hidden_size": 8, "num_layers": 2,
                                              "bidirectional": True, "output": "hidden"}),
    "GRU": _rows(_SEQ, {"hidden_size": 8}, {"hidden_size": 8, "output": "sequence"}),
    "PositionalEncoding": _rows(_SEQ, {}, {"kind": "learned", "max_len": 9}),
    "PatchEmbedding": _rows(("ImageInput", {"channels": 1, "height": 28, "width": 28}),
                            {"embed_dim": 16}),
    "ClassToken": _rows(_SEQ),
    "MultiHeadAttention": _rows(_SEQ, {"heads": 4}, {"heads": 2, "mask": "causal"}),
    "TransformerEncoder": _rows(_SEQ, {"heads": 4, "ff_dim": 32},
                                {"heads": 4, "ff_dim": 32, "norm": "pre", "layers": 2}),
    "CausalDecoder": _rows(_SEQ, {"heads": 4, "ff_dim": 32}),
    "SequencePool": _rows(_SEQ, {}, {"mode": "last"}),
    "Add": _rows(_FEATURES),
    "Multiply": [Row(_FEATURES), Row(_IMAGE, second=("AdaptiveAvgPool2d", {"output_size": 1}))],
    "Concatenate": _rows(_FEATURES, {}, {"axis": -1}),
    "ReLU": _rows(_FEATURES),
    "ReLU6": _rows(_FEATURES),
    "LeakyReLU": _rows(_FEATURES, {}, {"negative_slope": 0.2}),
    "ELU": _rows(_FEATURES, {}, {"alpha": 0.5}),
    "GELU": _rows(_FEATURES, {}, {"approximate": "tanh"}),
    "SiLU": _rows(_FEATURES),
    "Hardswish": _rows(_FEATURES),
    "Tanh": _rows(_FEATURES),
    "Sigmoid": _rows(_FEATURES),
    "Hardsigmoid": _rows(_FEATURES),
    "Softmax": _rows(_FEATURES, {}, {"dim": 0}),
    "LogSoftmax": _rows(_SEQ, {}, {"dim": 0}),
    "ClassificationHead": _rows(_FEATURES, {"classes": 3}),
    "RegressionHead": _rows(_FEATURES, {}, {"outputs": 2}),
    "ImageOutput": [Row(_FEATURES, {"channels": 3, "height": 2, "width": 2},
                        via=("Linear", {"out_features": 12})),
                    Row(_FEATURES, {"channels": 1, "height": 3, "width": 4, "activation": "tanh"},
                        via=("Linear", {"out_features": 12}))],
}


def rows_for(kind: str) -> list[Row]:
    assert kind in ROWS, (f"{kind} has no row in tests/layer_rows.py: add the smallest valid "
                          "model using it there")
    return ROWS[kind]


def every_row() -> list[tuple[str, int]]:
    """(kind, row index) for every row of every catalogue kind (a kind without a row gives
    one entry with index -1, so that its test fails rather than being skipped)."""
    return [(kind, i) for kind in sorted(CATALOGUE)
            for i in (range(len(ROWS[kind])) if kind in ROWS else [-1])]


def one_layer_model(kind: str, row: Row | None = None) -> ModelSpec:
    """input -> [kind] -> flatten -> head, so the layer is trained end to end."""
    row = row or rows_for(kind)[0]
    k = get_kind(kind)
    spec = ModelSpec(name=f"{kind} test")
    if k.is_input:
        spec.add_node(kind, "inp", row.source[1])
        last = "inp"
        if k.data_kind == "tokens":
            spec.add_node("Embedding", "embed", {"embedding_dim": 8})
            spec.connect("inp", "embed")
            last = "embed"
    else:
        spec.add_node(row.source[0], "inp", row.source[1])
        spec.add_node(kind, "layer", row.params)
        if row.via:
            spec.add_node(row.via[0], "via", row.via[1])
            spec.connect("inp", "via")
            spec.connect("via", "layer")
        elif k.required_inputs > 1:
            spec.connect("inp", "layer", "in1")
            second = "inp"
            if row.second:
                spec.add_node(row.second[0], "second", row.second[1])
                spec.connect("inp", "second")
                second = "second"
            spec.connect(second, "layer", "in2")
        else:
            spec.connect("inp", "layer")
        last = "layer"
    if not k.is_output:
        spec.add_node("Flatten", "flat")
        spec.add_node("ClassificationHead", "head", {"classes": 3})
        spec.connect(last, "flat")
        spec.connect("flat", "head")
    return spec


def example_batch(spec: ModelSpec, batch: int = 3, seed: int = 0) -> torch.Tensor:
    """A random batch for the spec's input node ``inp`` (token ids for token inputs)."""
    inp = spec.node("inp")
    kind = get_kind(inp.kind)
    params = kind.resolve(inp.params)
    shape = kind.data_shape(params)  # type: ignore[misc]
    g = torch.Generator().manual_seed(seed)
    if kind.data_kind == "tokens":
        return torch.randint(0, params["vocab_size"], (batch, *shape), generator=g)
    return torch.randn(batch, *shape, generator=g)
