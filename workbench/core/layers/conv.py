"""Convolution, pooling and normalization layers."""

from __future__ import annotations

from torch import nn

from workbench.core.layers import modules as m
from workbench.core.layers._helpers import (
    auto_int,
    bool_param,
    call,
    float_param,
    int_param,
    mismatch,
    pick,
)
from workbench.core.layers.base import AUTO, LayerKind, fmt_shape

_NAMES = {1: "a sequence (channels x length)", 2: "an image (channels x height x width)"}


def _spatial_check(dims: int, channels_param: str | None = None):
    def check(p, ctx):
        shape = ctx.shapes[0]
        if len(shape) != dims + 1:
            return (f"expects {_NAMES[dims]} but receives {fmt_shape(shape)} {ctx.src()}"
                    + ("; remove the Flatten before it or use a Linear layer" if len(shape) == 1
                       else ""))
        if channels_param and p.get(channels_param, AUTO) not in (AUTO, shape[0]):
            return mismatch("input channels", p[channels_param], shape[0], ctx.src())
        if "groups" in p:
            c_in = shape[0]
            if c_in % p["groups"] or p["out_channels"] % p["groups"]:
                return (f"groups={p['groups']} must divide both the input channels ({c_in}) and "
                        f"out_channels ({p['out_channels']})")
        if p.get("padding") == "same" and p.get("stride", 1) != 1:
            return "padding 'same' needs stride 1; set the padding to a number instead"
        return None
    return check


def _conv(dims: int) -> LayerKind:
    cls = f"Conv{dims}d"
    params = (
        int_param("out_channels", 32, "Number of filters (output channels)"),
        int_param("kernel_size", 3, "Filter size", hi=1024),
        int_param("stride", 1, "Step between filter positions", hi=1024),
        int_param("padding", 0, "Zeros added on each side, or 'same' to keep the size", lo=0,
                  hi=1024, choices=("same", "valid")),
        int_param("dilation", 1, "Spacing between filter taps", hi=1024),
        int_param("groups", 1, "Split channels into independent groups", hi=100_000),
        bool_param("bias", True, "Learn an additive bias"),
        auto_int("in_channels", "Input channels"),
    )

    def kwargs(p):
        kw = {"stride": p["stride"], "padding": p["padding"], "dilation": p["dilation"],
              "groups": p["groups"], "bias": p["bias"]}
        defaults = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True}
        return {k: v for k, v in kw.items() if defaults[k] != v}

    return LayerKind(
        cls, "Convolution", f"Conv {dims}D",
        f"{dims}D convolution: slides learned filters over the {'sequence' if dims == 1 else 'image'}",
        params,
        build=lambda p, s: getattr(nn, cls)(pick(p["in_channels"], s[0][0]), p["out_channels"],
                                            p["kernel_size"], **kwargs(p)),
        code=lambda p, s: call(f"nn.{cls}", s[0][0], p["out_channels"], p["kernel_size"],
                               **kwargs(p)),
        check=_spatial_check(dims, "in_channels"),
        key_params=("out_channels", "kernel_size", "stride", "padding"))


def _pool(cls: str, dims: int, title: str, help: str) -> LayerKind:
    params = (int_param("kernel_size", 2, "Window size", hi=1024),
              int_param("stride", AUTO, "Step between windows (0 = the window size)", lo=1,
                        hi=1024, auto=True),
              int_param("padding", 0, "Padding on each side", lo=0, hi=512))

    def kwargs(p):
        kw = {}
        if p["stride"] not in (AUTO, p["kernel_size"]):
            kw["stride"] = p["stride"]
        if p["padding"]:
            kw["padding"] = p["padding"]
        return kw

    def check(p, ctx):
        if p["padding"] * 2 > p["kernel_size"]:
            return f"padding ({p['padding']}) must be at most half the window ({p['kernel_size']})"
        return _spatial_check(dims)(p, ctx)

    return LayerKind(
        cls, "Pooling", title, help, params,
        build=lambda p, s: getattr(nn, cls)(p["kernel_size"], **kwargs(p)),
        code=lambda p, s: call(f"nn.{cls}", p["kernel_size"], **kwargs(p)),
        check=check, key_params=("kernel_size",))


def _norm_check(dims: tuple[int, ...], what: str):
    def check(p, ctx):
        shape = ctx.shapes[0]
        if len(shape) not in dims:
            return f"expects {what} but receives {fmt_shape(shape)} {ctx.src()}"
        if p["num_features"] not in (AUTO, shape[0]):
            return mismatch("channels", p["num_features"], shape[0], ctx.src())
        return None
    return check


def _layernorm_check(p, ctx):
    shape = ctx.shapes[0]
    if not shape:
        return "needs at least one axis to normalize"
    if p["normalized_size"] not in (AUTO, shape[-1]):
        return mismatch("features on the last axis", p["normalized_size"], shape[-1], ctx.src())
    return None


_BN_PARAMS = (auto_int("num_features", "Channels"),
              float_param("momentum", 0.1, "How fast the running statistics follow the batches"))

CONV = [
    _conv(1),
    _conv(2),
    _pool("MaxPool1d", 1, "Max pool 1D", "Keep the largest value in each window of a sequence"),
    _pool("MaxPool2d", 2, "Max pool 2D", "Keep the largest value in each window: halves H and W"),
    _pool("AvgPool2d", 2, "Average pool 2D", "Average each window of an image"),
    LayerKind(
        "AdaptiveAvgPool2d", "Pooling", "Adaptive average pool",
        "Average-pool an image to a fixed output size whatever its input size",
        (int_param("output_size", 1, "Output height and width", hi=1024),),
        build=lambda p, s: nn.AdaptiveAvgPool2d(p["output_size"]),
        code=lambda p, s: call("nn.AdaptiveAvgPool2d", p["output_size"]),
        check=_spatial_check(2), key_params=("output_size",)),
    LayerKind(
        "GlobalAvgPool", "Pooling", "Global average pool",
        "Average every channel over all positions: C x H x W -> C", (),
        build=lambda p, s: m.GlobalAvgPool(), code=lambda p, s: "GlobalAvgPool()",
        check=lambda p, ctx: None if len(ctx.shapes[0]) >= 2 else
        f"expects channels x positions but receives {fmt_shape(ctx.shapes[0])} {ctx.src()}"),
    LayerKind(
        "BatchNorm1d", "Normalization", "Batch norm 1D",
        "Normalize each feature (or channel of a sequence) over the batch", _BN_PARAMS,
        build=lambda p, s: nn.BatchNorm1d(pick(p["num_features"], s[0][0]),
                                          momentum=p["momentum"]),
        code=lambda p, s: call("nn.BatchNorm1d", s[0][0], momentum=p["momentum"]),
        check=_norm_check((1, 2), "features or channels x length")),
    LayerKind(
        "BatchNorm2d", "Normalization", "Batch norm 2D",
        "Normalize each channel of an image over the batch", _BN_PARAMS,
        build=lambda p, s: nn.BatchNorm2d(pick(p["num_features"], s[0][0]),
                                          momentum=p["momentum"]),
        code=lambda p, s: call("nn.BatchNorm2d", s[0][0], momentum=p["momentum"]),
        check=_norm_check((3,), "an image (channels x height x width)")),
    LayerKind(
        "LayerNorm", "Normalization", "Layer norm",
        "Normalize each sample over its last axis (used in Transformers)",
        (auto_int("normalized_size", "Size of the last axis"),),
        build=lambda p, s: nn.LayerNorm(pick(p["normalized_size"], s[0][-1])),
        code=lambda p, s: call("nn.LayerNorm", s[0][-1]), check=_layernorm_check),
]
