"""Input layers: where the data enters the graph, and the view of it the model takes."""

from __future__ import annotations

from torch import nn

from workbench.core.layers import modules as m
from workbench.core.layers._helpers import choice_param, int_param
from workbench.core.layers.base import LayerKind, args

_C = int_param("channels", 1, "Colour channels: 1 for grey, 3 for RGB", hi=64)
_H = int_param("height", 28, "Image height in pixels", hi=4096)
_W = int_param("width", 28, "Image width in pixels", hi=4096)


def _patch_check(p, ctx):
    if p["height"] % p["patch"] or p["width"] % p["patch"]:
        return (f"patch size {p['patch']} does not divide the {p['height']} x {p['width']} image; "
                "choose a divisor of both sides")
    return None


INPUTS = [
    LayerKind(
        "ImageInput", "Inputs", "Image input", "Images of C x H x W pixels (for CNNs)",
        (_C, _H, _W), nn.Identity,
        inputs=(), data_shape=lambda p: (p["channels"], p["height"], p["width"]),
        data_kind="image", key_params=("channels", "height", "width"), name_base="input"),
    LayerKind(
        "FeatureInput", "Inputs", "Feature input", "A flat vector of numeric features per sample",
        (int_param("features", 16, "Number of features per sample"),),
        nn.Identity, inputs=(),
        data_shape=lambda p: (p["features"],), data_kind="features", key_params=("features",),
        name_base="input"),
    LayerKind(
        "TokenInput", "Inputs", "Token sequence input",
        "Sequences of token ids (words or characters) of a fixed length",
        (int_param("vocab_size", 1000, "Number of distinct tokens (the vocabulary size)", lo=2),
         int_param("length", 64, "Tokens per sequence", hi=100_000)),
        nn.Identity, inputs=(),
        data_shape=lambda p: (p["length"],), data_kind="tokens",
        key_params=("vocab_size", "length"), name_base="tokens"),
    LayerKind(
        "SequenceInput", "Inputs", "Vector sequence input",
        "Sequences of feature vectors: length x features",
        (int_param("length", 32, "Steps per sequence", hi=100_000),
         int_param("features", 8, "Features per step")),
        nn.Identity, inputs=(),
        data_shape=lambda p: (p["length"], p["features"]), data_kind="features",
        key_params=("length", "features"), name_base="input"),
    LayerKind(
        "ImageRows", "Inputs", "Image as rows",
        "Images read as a sequence of rows (H steps of C*W features), for RNNs",
        (_C, _H, _W), m.ImageToRows,
        inputs=(), data_shape=lambda p: (p["channels"], p["height"], p["width"]),
        data_kind="image", key_params=("channels", "height", "width"), name_base="rows"),
    LayerKind(
        "ImagePatches", "Inputs", "Image as patches",
        "Images read as a sequence of p x p patches (C*p*p features each), for Transformers",
        (_C, _H, _W, int_param("patch", 7, "Patch side in pixels", hi=1024)),
        m.ImageToPatches, lambda p, s: args(p["patch"]), inputs=(), check=_patch_check,
        data_shape=lambda p: (p["channels"], p["height"], p["width"]), data_kind="image",
        key_params=("channels", "height", "width", "patch"), name_base="patches"),
    LayerKind(
        "NoiseInput", "Inputs", "Noise input (latent vector)",
        "Random latent vectors a generator turns into samples (a GAN's input): the trainer "
        "draws them, no data needed",
        (int_param("latent", 64, "Size of the latent vector", hi=100_000),
         choice_param("distribution", "normal", ("normal", "uniform"),
                      "Standard normal, or uniform on [-1, 1]")),
        nn.Identity, inputs=(), data_shape=lambda p: (p["latent"],), data_kind="features",
        key_params=("latent",), name_base="noise"),
]
