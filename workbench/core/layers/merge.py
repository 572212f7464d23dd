"""Merge layers (residual Add, element-wise Multiply, Concatenate) and output heads."""

from __future__ import annotations

import math

from torch import nn

from workbench.core.layers import modules as m
from workbench.core.layers._helpers import auto_int, choice_param, int_param, mismatch, pick
from workbench.core.layers.base import AUTO, LayerKind, args, fmt_shape

MERGE_PORTS = ("in1", "in2", "in3", "in4")


def _add_check(p, ctx):
    first = ctx.shapes[0]
    for i, shape in enumerate(ctx.shapes[1:], 1):
        if shape != first:
            return (f"needs inputs of the same shape, but receives {fmt_shape(first)} "
                    f"{ctx.src(0)} and {fmt_shape(shape)} {ctx.src(i)}; add a 1x1 Conv or "
                    "Linear on the shortcut to match them")
    return None


def _multiply_check(p, ctx):
    """Inputs must broadcast as torch does, axis by axis (each size equal or 1); unlike
    torch, the ranks must agree, so a C vector never silently lines up with an image's
    width instead of its channels."""
    first = ctx.shapes[0]
    out = list(first)
    for i, shape in enumerate(ctx.shapes[1:], 1):
        if len(shape) != len(first):
            return (f"needs inputs with the same number of axes, but receives "
                    f"{fmt_shape(first)} {ctx.src(0)} and {fmt_shape(shape)} {ctx.src(i)}; "
                    "add a Reshape so that the smaller one has size 1 on the missing axes "
                    "(e.g. C x 1 x 1 to scale the channels of a C x H x W image)")
        for axis, (a, b) in enumerate(zip(out, shape, strict=True)):
            if a != b and 1 not in (a, b):
                return (f"cannot multiply {fmt_shape(out)} {ctx.src(0)} by {fmt_shape(shape)} "
                        f"{ctx.src(i)}: axis {axis} has sizes {a} and {b}, and sizes must be "
                        "equal or 1 to broadcast")
            out[axis] = max(a, b)
    return None


def _concat_check(p, ctx):
    first = ctx.shapes[0]
    rank = len(first)
    axis = p["axis"] if p["axis"] >= 0 else rank + p["axis"]
    if not 0 <= axis < rank:
        return f"axis {p['axis']} does not exist for inputs of shape {fmt_shape(first)}"
    for i, shape in enumerate(ctx.shapes[1:], 1):
        others_a = first[:axis] + first[axis + 1:]
        others_b = shape[:axis] + shape[axis + 1:] if len(shape) == rank else None
        if others_b != others_a:
            return (f"can only join inputs that agree on every axis but {p['axis']}: "
                    f"{fmt_shape(first)} {ctx.src(0)} and {fmt_shape(shape)} {ctx.src(i)}")
    return None


def _head_check(p, ctx):
    got = ctx.shapes[0][-1] if ctx.shapes[0] else 0
    if not ctx.shapes[0]:
        return "needs at least one feature axis"
    if len(ctx.shapes[0]) > 2:
        return (f"expects features (or steps x features) but receives {fmt_shape(ctx.shapes[0])} "
                f"{ctx.src()}; add a Flatten or a pooling layer before it")
    if p["in_features"] not in (AUTO, got):
        return mismatch("input features", p["in_features"], got, ctx.src(), ctx.detail())
    return None


def _head(kind: str, title: str, help: str, count: str, default: int, task: str) -> LayerKind:
    return LayerKind(
        kind, "Output", title, help,
        (int_param(count, default, help.split(":")[-1].strip(), hi=1_000_000),
         auto_int("in_features", "Input features")),
        nn.Linear, lambda p, s: args(pick(p["in_features"], s[0][-1]), p[count]),
        check=_head_check, task=task, key_params=(count,), name_base="head")  # type: ignore[arg-type]


MERGE = [
    LayerKind(
        "Add", "Merge", "Add (residual)", "Sum inputs of the same shape: a skip connection", (),
        m.Add, inputs=MERGE_PORTS, min_inputs=2, check=_add_check),
    LayerKind(
        "Multiply", "Merge", "Multiply",
        "Element-wise product of 2 to 4 inputs, broadcasting axes of size 1 (e.g. a C x 1 x 1 "
        "gate scaling a C x H x W image, as in squeeze-and-excitation)", (),
        m.Multiply, inputs=MERGE_PORTS, min_inputs=2, check=_multiply_check),
    LayerKind(
        "Concatenate", "Merge", "Concatenate", "Join inputs along one axis (0 = channels)",
        (int_param("axis", 0, "Per-sample axis to join on (0 = channels/first, -1 = last)",
                   lo=-6, hi=6),),
        m.Concatenate, lambda p, s: args(p["axis"]), inputs=MERGE_PORTS, min_inputs=2,
        check=_concat_check, key_params=("axis",), name_base="concat"),
]

OUTPUTS = [
    _head("ClassificationHead", "Classification head",
          "Linear layer giving one score (logit) per class: Number of classes", "classes", 10,
          "classification"),
    _head("RegressionHead", "Regression head",
          "Linear layer giving real-valued outputs: Number of outputs", "outputs", 1,
          "regression"),
]


def _image_head_check(p, ctx):
    want = p["channels"] * p["height"] * p["width"]
    got = math.prod(ctx.shapes[0]) if ctx.shapes[0] else 1
    if got != want:
        return (f"makes a {p['channels']} x {p['height']} x {p['width']} image ({want} values) "
                f"but receives {fmt_shape(ctx.shapes[0])} ({got} values) {ctx.src()}; change "
                "the layer before it (e.g. Linear to "
                f"{want} features, or ConvTranspose2d to {p['channels']} channels) or the size")
    return None


OUTPUTS.append(LayerKind(
    "ImageOutput", "Output", "Image output",
    "Turns its input into a C x H x W image in pixel range: sigmoid for [0, 1], tanh for "
    "[-1, 1] (a GAN generator's or an autoencoder's output)",
    (int_param("channels", 1, "Colour channels of the image", hi=64),
     int_param("height", 28, "Image height in pixels", hi=4096),
     int_param("width", 28, "Image width in pixels", hi=4096),
     choice_param("activation", "sigmoid", ("sigmoid", "tanh"),
                  "sigmoid: pixels in [0, 1]; tanh: pixels in [-1, 1]"),
     choice_param("loss", "mse", ("mse", "bce"),
                  "Reconstruction loss when trained against images (autoencoders): mean "
                  "squared error or binary cross-entropy (sigmoid only)")),
    m.ImageHead, lambda p, s: args(p["channels"], p["height"], p["width"], p["activation"]),
    check=_image_head_check, task="image", key_params=("channels", "height", "width"),
    name_base="image"))
