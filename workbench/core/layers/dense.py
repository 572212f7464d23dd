"""Dense layers, shape utilities and activations."""

from __future__ import annotations

import math

from torch import nn

from workbench.core.layers import modules as m
from workbench.core.layers._helpers import (
    auto_int,
    bool_param,
    choice_param,
    float_param,
    int_param,
    mismatch,
    pick,
)
from workbench.core.layers.base import AUTO, LayerKind, Param, args, fmt_shape, no_args


def _linear_check(p, ctx):
    if not ctx.shapes[0]:
        return "needs at least one feature axis; its input is a scalar"
    got = ctx.shapes[0][-1]
    if p["in_features"] != AUTO and p["in_features"] != got:
        return mismatch("input features", p["in_features"], got, ctx.src(), ctx.detail())
    return None


def _reshape_check(p, ctx):
    have, want = math.prod(ctx.shapes[0]), math.prod(p["shape"])
    if have != want:
        return (f"cannot arrange {have} values ({fmt_shape(ctx.shapes[0])}) as "
                f"{fmt_shape(p['shape'])} ({want} values); the sizes must multiply to {have}")
    return None


def _activation(kind: str, title: str, help: str, params=(), arguments=no_args,
                name_base: str = "") -> LayerKind:
    return LayerKind(kind, "Activation", title, help, tuple(params), getattr(nn, kind),
                     arguments, name_base=name_base)


def _dim(p, s):
    """A per-sample axis as torch's axis (the batch axis comes first)."""
    return args(dim=p["dim"] if p["dim"] < 0 else p["dim"] + 1)


def _image_check(p, ctx):
    if len(ctx.shapes[0]) != 3:
        return (f"expects an image (channels x height x width) but receives "
                f"{fmt_shape(ctx.shapes[0])} {ctx.src()}; use Dropout for other shapes")
    return None


_DIM = int_param("dim", -1, "Axis to normalize over (-1 = the last)", lo=-6, hi=6)

DENSE = [
    LayerKind(
        "Linear", "Dense", "Linear",
        "Fully connected layer applied to the last axis: y = xW + b",
        (int_param("out_features", 128, "Output features"),
         auto_int("in_features", "Input features"),
         bool_param("bias", True, "Learn an additive bias")),
        nn.Linear,
        lambda p, s: args(pick(p["in_features"], s[0][-1]), p["out_features"], bias=p["bias"]),
        check=_linear_check, key_params=("out_features",), name_base="dense"),
    LayerKind(
        "Flatten", "Dense", "Flatten", "Flatten each sample to one vector (keeps the batch axis)",
        (), nn.Flatten),
    LayerKind(
        "Reshape", "Dense", "Reshape", "Rearrange each sample into a new shape with the same size",
        (Param("shape", "shape", (1, 28, 28), "Target per-sample shape, e.g. 1, 28, 28"),),
        m.Reshape, lambda p, s: args(*p["shape"]), check=_reshape_check,
        key_params=("shape",)),
    LayerKind(
        "Dropout", "Dense", "Dropout",
        "Randomly zero a fraction of values while training (regularization)",
        (float_param("p", 0.5, "Fraction of values dropped", hi=0.99),),
        nn.Dropout, lambda p, s: args(p["p"]), key_params=("p",)),
    LayerKind(
        "Dropout2d", "Dense", "Dropout 2D (channels)",
        "Randomly zero whole channels of an image while training (regularization for CNNs)",
        (float_param("p", 0.5, "Fraction of channels dropped", hi=0.99),),
        nn.Dropout2d, lambda p, s: args(p["p"]), check=_image_check, key_params=("p",),
        name_base="dropout"),
]

ACTIVATIONS = [
    _activation("ReLU", "ReLU", "max(0, x): the default activation"),
    _activation("ReLU6", "ReLU6", "min(max(0, x), 6): ReLU capped at 6 (MobileNet)"),
    _activation("LeakyReLU", "Leaky ReLU", "Like ReLU with a small slope for negative inputs",
                (float_param("negative_slope", 0.01, "Slope for x < 0"),),
                lambda p, s: args(p["negative_slope"]), name_base="leaky_relu"),
    _activation("ELU", "ELU", "x for x > 0, alpha * (exp(x) - 1) below: a smooth ReLU",
                (float_param("alpha", 1.0, "Value approached for very negative x", hi=100.0),),
                lambda p, s: args(alpha=p["alpha"])),
    _activation("GELU", "GELU", "Smooth ReLU used by Transformers",
                (choice_param("approximate", "none", ("none", "tanh"), "Exact or tanh form"),),
                lambda p, s: args(approximate=p["approximate"])),
    _activation("SiLU", "SiLU (swish)", "x * sigmoid(x)"),
    _activation("Hardswish", "Hard swish", "A cheap piecewise swish (MobileNetV3)"),
    _activation("Tanh", "Tanh", "Squash to (-1, 1)"),
    _activation("Sigmoid", "Sigmoid", "Squash to (0, 1)"),
    _activation("Hardsigmoid", "Hard sigmoid", "A cheap piecewise sigmoid (MobileNetV3's gates)"),
    _activation("Softmax", "Softmax", "Turn scores into probabilities along an axis "
                "(not before a classification head: the loss applies it)", (_DIM,), _dim),
    _activation("LogSoftmax", "Log-softmax", "Log-probabilities along an axis", (_DIM,), _dim,
                name_base="log_softmax"),
]
