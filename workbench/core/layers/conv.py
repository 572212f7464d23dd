"""Convolution, resampling, pooling and normalization layers."""

from __future__ import annotations

import math

from torch import nn

from workbench.core.layers import modules as m
from workbench.core.layers._helpers import (
    auto_int,
    bool_param,
    choice_param,
    divisor_near,
    float_param,
    int_param,
    mismatch,
    pick,
)
from workbench.core.layers.base import AUTO, LayerKind, args, fmt_shape

_NAMES = {1: "a sequence (channels x length)", 2: "an image (channels x height x width)"}


def _spatial_check(dims: int | tuple[int, ...], channels_param: str | None = None):
    ranks = (dims,) if isinstance(dims, int) else dims

    def check(p, ctx):
        shape = ctx.shapes[0]
        if len(shape) - 1 not in ranks:
            return (f"expects {' or '.join(_NAMES[d] for d in ranks)} but receives "
                    f"{fmt_shape(shape)} {ctx.src()}"
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
        if p.get("output_padding", 0) >= max(p.get("stride", 1), p.get("dilation", 1)):
            return (f"output_padding ({p['output_padding']}) must be smaller than the stride "
                    f"({p['stride']}) or the dilation ({p['dilation']})")
        return None
    return check


def _conv_params(kernel: int, stride: int, padding_choices: tuple[str, ...]) -> tuple:
    return (
        int_param("out_channels", 32, "Number of filters (output channels)"),
        int_param("kernel_size", kernel, "Filter size", hi=1024),
        int_param("stride", stride, "Step between filter positions", hi=1024),
        int_param("padding", 0, "Zeros added on each side" +
                  (", or 'same' to keep the size" if padding_choices else ""), lo=0, hi=1024,
                  choices=padding_choices),
        int_param("dilation", 1, "Spacing between filter taps", hi=1024),
        int_param("groups", 1, "Split channels into independent groups", hi=100_000),
        bool_param("bias", True, "Learn an additive bias"),
        auto_int("in_channels", "Input channels"),
    )


def _conv_args(p, s, *extra: str):
    return args(pick(p["in_channels"], s[0][0]), p["out_channels"], p["kernel_size"],
                stride=p["stride"], padding=p["padding"], dilation=p["dilation"],
                groups=p["groups"], bias=p["bias"], **{k: p[k] for k in extra})


def _conv(dims: int) -> LayerKind:
    cls = f"Conv{dims}d"
    return LayerKind(
        cls, "Convolution", f"Conv {dims}D",
        f"{dims}D convolution: slides learned filters over the {'sequence' if dims == 1 else 'image'}",
        _conv_params(3, 1, ("same", "valid")), getattr(nn, cls), _conv_args,
        check=_spatial_check(dims, "in_channels"),
        key_params=("out_channels", "kernel_size", "stride", "padding"), name_base="conv")


def _pool(cls: str, dims: int, title: str, help: str) -> LayerKind:
    params = (int_param("kernel_size", 2, "Window size", hi=1024),
              int_param("stride", AUTO, "Step between windows (0 = the window size)", lo=1,
                        hi=1024, auto=True),
              int_param("padding", 0, "Padding on each side", lo=0, hi=512),
              bool_param("ceil_mode", False, "Round the output size up, so a partial window "
                         "at the edge is pooled too"))
    if cls.startswith("Avg"):
        params += (bool_param("count_include_pad", True, "Count the padding zeros in each "
                              "average (off: average only the real values)"),)

    def arguments(p, s):
        # a stride equal to the window is torch's default (None): leave it out of the code
        stride = None if p["stride"] in (AUTO, p["kernel_size"]) else p["stride"]
        extra = {k: p[k] for k in ("count_include_pad",) if k in p}
        return args(p["kernel_size"], stride=stride, padding=p["padding"],
                    ceil_mode=p["ceil_mode"], **extra)

    def check(p, ctx):
        if p["padding"] * 2 > p["kernel_size"]:
            return f"padding ({p['padding']}) must be at most half the window ({p['kernel_size']})"
        return _spatial_check(dims)(p, ctx)

    return LayerKind(cls, "Pooling", title, help, params, getattr(nn, cls), arguments,
                     check=check, key_params=("kernel_size",), name_base="pool")


def _adaptive(cls: str, title: str, help: str) -> LayerKind:
    return LayerKind(
        cls, "Pooling", title, help,
        (int_param("output_size", 1, "Output height and width", hi=1024),),
        getattr(nn, cls), lambda p, s: args(p["output_size"]), check=_spatial_check(2),
        key_params=("output_size",), name_base="pool")


def _norm_check(dims: tuple[int, ...], what: str):
    def check(p, ctx):
        shape = ctx.shapes[0]
        if len(shape) not in dims:
            return f"expects {what} but receives {fmt_shape(shape)} {ctx.src()}"
        if p["num_features"] not in (AUTO, shape[0]):
            return mismatch("channels", p["num_features"], shape[0], ctx.src())
        return None
    return check


def _instance_norm_check(p, ctx):
    problem = _norm_check((3,), "an image (channels x height x width)")(p, ctx)
    if problem is None and math.prod(ctx.shapes[0][1:]) < 2:
        return (f"needs more than one pixel per channel to normalize, but receives "
                f"{fmt_shape(ctx.shapes[0])} {ctx.src()}")
    return problem


def _group_norm_check(p, ctx):
    shape = ctx.shapes[0]
    if not shape:
        return "needs a channel axis; its input is a scalar"
    if p["num_channels"] not in (AUTO, shape[0]):
        return mismatch("channels", p["num_channels"], shape[0], ctx.src())
    if shape[0] % p["num_groups"]:
        return (f"{p['num_groups']} groups must divide the {shape[0]} channels {ctx.src()}; "
                f"choose a divisor such as {divisor_near(shape[0], p['num_groups'])}")
    return None


def _upsample_check(p, ctx):
    shape = ctx.shapes[0]
    if p["mode"] == "bilinear" and len(shape) != 3:
        return (f"bilinear mode expects an image (channels x height x width) but receives "
                f"{fmt_shape(shape)} {ctx.src()}")
    return _spatial_check((1, 2))(p, ctx)


def _layernorm_check(p, ctx):
    shape = ctx.shapes[0]
    if not shape:
        return "needs at least one axis to normalize"
    if p["normalized_size"] not in (AUTO, shape[-1]):
        return mismatch("features on the last axis", p["normalized_size"], shape[-1], ctx.src())
    return None


_EPS = float_param("eps", 1e-5, "Added to the variance before dividing (numerical safety)",
                   hi=1.0)
_BN_PARAMS = (auto_int("num_features", "Channels"),
              float_param("momentum", 0.1, "How fast the running statistics follow the batches"),
              _EPS)


def _batch_norm(cls: str, title: str, help: str, dims: tuple[int, ...], what: str) -> LayerKind:
    return LayerKind(
        cls, "Normalization", title, help, _BN_PARAMS, getattr(nn, cls),
        lambda p, s: args(pick(p["num_features"], s[0][0]), eps=p["eps"],
                          momentum=p["momentum"]),
        check=_norm_check(dims, what), name_base="bn")


CONV = [
    _conv(1),
    _conv(2),
    LayerKind(
        "ConvTranspose2d", "Convolution", "Transposed conv 2D",
        "Learned upsampling (a 'deconvolution'): with stride 2 it doubles H and W (GAN "
        "generators, decoders)",
        (*_conv_params(2, 2, ()),
         int_param("output_padding", 0, "Extra rows and columns added to one side of the "
                   "output (less than the stride)", lo=0, hi=1024)),
        nn.ConvTranspose2d, lambda p, s: _conv_args(p, s, "output_padding"),
        check=_spatial_check(2, "in_channels"),
        key_params=("out_channels", "kernel_size", "stride"), name_base="deconv"),
    LayerKind(
        "Upsample", "Convolution", "Upsample",
        "Enlarge an image (or a sequence) by a scale factor, repeating (nearest) or "
        "interpolating (bilinear) values; no weights",
        (float_param("scale_factor", 2.0, "How many times larger each side becomes", lo=0.1,
                     hi=64.0),
         choice_param("mode", "nearest", ("nearest", "bilinear"),
                      "Repeat the nearest value, or interpolate between neighbours")),
        nn.Upsample, lambda p, s: args(scale_factor=float(p["scale_factor"]), mode=p["mode"]),
        check=_upsample_check, key_params=("scale_factor", "mode")),
    _pool("MaxPool1d", 1, "Max pool 1D", "Keep the largest value in each window of a sequence"),
    _pool("MaxPool2d", 2, "Max pool 2D", "Keep the largest value in each window: halves H and W"),
    _pool("AvgPool1d", 1, "Average pool 1D", "Average each window of a sequence"),
    _pool("AvgPool2d", 2, "Average pool 2D", "Average each window of an image"),
    _adaptive("AdaptiveAvgPool2d", "Adaptive average pool",
              "Average-pool an image to a fixed output size whatever its input size"),
    _adaptive("AdaptiveMaxPool2d", "Adaptive max pool",
              "Max-pool an image to a fixed output size whatever its input size"),
    LayerKind(
        "GlobalAvgPool", "Pooling", "Global average pool",
        "Average every channel over all positions: C x H x W -> C", (), m.GlobalAvgPool,
        check=lambda p, ctx: None if len(ctx.shapes[0]) >= 2 else
        f"expects channels x positions but receives {fmt_shape(ctx.shapes[0])} {ctx.src()}",
        name_base="pool"),
    _batch_norm("BatchNorm1d", "Batch norm 1D",
                "Normalize each feature (or channel of a sequence) over the batch", (1, 2),
                "features or channels x length"),
    _batch_norm("BatchNorm2d", "Batch norm 2D", "Normalize each channel of an image over the batch",
                (3,), "an image (channels x height x width)"),
    LayerKind(
        "GroupNorm", "Normalization", "Group norm",
        "Normalize groups of channels within each sample: independent of the batch size",
        (int_param("num_groups", 8, "Channel groups (must divide the channels)", hi=100_000),
         bool_param("affine", True, "Learn a per-channel scale and shift"),
         auto_int("num_channels", "Channels")),
        nn.GroupNorm,
        lambda p, s: args(p["num_groups"], pick(p["num_channels"], s[0][0]), affine=p["affine"]),
        check=_group_norm_check, key_params=("num_groups",), name_base="group_norm"),
    LayerKind(
        "InstanceNorm2d", "Normalization", "Instance norm 2D",
        "Normalize each channel of each image over its pixels (style transfer, GANs)",
        (auto_int("num_features", "Channels"),
         bool_param("affine", False, "Learn a per-channel scale and shift")),
        nn.InstanceNorm2d,
        lambda p, s: args(pick(p["num_features"], s[0][0]), affine=p["affine"]),
        check=_instance_norm_check, name_base="instance_norm"),
    LayerKind(
        "LayerNorm", "Normalization", "Layer norm",
        "Normalize each sample over its last axis (used in Transformers)",
        (auto_int("normalized_size", "Size of the last axis"), _EPS), nn.LayerNorm,
        lambda p, s: args(pick(p["normalized_size"], s[0][-1]), eps=p["eps"]),
        check=_layernorm_check,
        name_base="norm"),
]
