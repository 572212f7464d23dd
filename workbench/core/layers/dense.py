"""Dense layers, shape utilities and activations."""

from __future__ import annotations

import math

from torch import nn

from workbench.core.layers import modules as m
from workbench.core.layers._helpers import (
    auto_int,
    bool_param,
    call,
    choice_param,
    float_param,
    int_param,
    mismatch,
    pick,
)
from workbench.core.layers.base import AUTO, LayerKind, Param, fmt_shape


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


def _activation(kind: str, title: str, help: str, params=(), build=None, code=None) -> LayerKind:
    ctor = getattr(nn, kind)
    return LayerKind(
        kind, "Activation", title, help, tuple(params),
        build=build or (lambda p, s: ctor()), code=code or (lambda p, s: f"nn.{kind}()"))


_DIM = int_param("dim", -1, "Axis to normalize over (-1 = the last)", lo=-6, hi=6)

DENSE = [
    LayerKind(
        "Linear", "Dense", "Linear",
        "Fully connected layer applied to the last axis: y = xW + b",
        (int_param("out_features", 128, "Output features"),
         auto_int("in_features", "Input features"),
         bool_param("bias", True, "Learn an additive bias")),
        build=lambda p, s: nn.Linear(pick(p["in_features"], s[0][-1]), p["out_features"], p["bias"]),
        code=lambda p, s: call("nn.Linear", s[0][-1], p["out_features"],
                               **({} if p["bias"] else {"bias": False})),
        check=_linear_check, key_params=("out_features",)),
    LayerKind(
        "Flatten", "Dense", "Flatten", "Flatten each sample to one vector (keeps the batch axis)",
        (), build=lambda p, s: nn.Flatten(), code=lambda p, s: "nn.Flatten()"),
    LayerKind(
        "Reshape", "Dense", "Reshape", "Rearrange each sample into a new shape with the same size",
        (Param("shape", "shape", (1, 28, 28), "Target per-sample shape, e.g. 1, 28, 28"),),
        build=lambda p, s: m.Reshape(*p["shape"]),
        code=lambda p, s: call("Reshape", *p["shape"]), check=_reshape_check,
        key_params=("shape",)),
    LayerKind(
        "Dropout", "Dense", "Dropout",
        "Randomly zero a fraction of values while training (regularization)",
        (float_param("p", 0.5, "Fraction of values dropped", hi=0.99),),
        build=lambda p, s: nn.Dropout(p["p"]), code=lambda p, s: call("nn.Dropout", p["p"]),
        key_params=("p",)),
]

ACTIVATIONS = [
    _activation("ReLU", "ReLU", "max(0, x): the default activation"),
    _activation("LeakyReLU", "Leaky ReLU", "Like ReLU with a small slope for negative inputs",
                (float_param("negative_slope", 0.01, "Slope for x < 0"),),
                build=lambda p, s: nn.LeakyReLU(p["negative_slope"]),
                code=lambda p, s: call("nn.LeakyReLU", p["negative_slope"])),
    _activation("GELU", "GELU", "Smooth ReLU used by Transformers",
                (choice_param("approximate", "none", ("none", "tanh"), "Exact or tanh form"),),
                build=lambda p, s: nn.GELU(approximate=p["approximate"]),
                code=lambda p, s: "nn.GELU()" if p["approximate"] == "none"
                else call("nn.GELU", approximate=p["approximate"])),
    _activation("SiLU", "SiLU (swish)", "x * sigmoid(x)"),
    _activation("Tanh", "Tanh", "Squash to (-1, 1)"),
    _activation("Sigmoid", "Sigmoid", "Squash to (0, 1)"),
    _activation("Softmax", "Softmax", "Turn scores into probabilities along an axis "
                "(not before a classification head: the loss applies it)", (_DIM,),
                build=lambda p, s: nn.Softmax(dim=p["dim"] if p["dim"] < 0 else p["dim"] + 1),
                code=lambda p, s: call("nn.Softmax", dim=p["dim"] if p["dim"] < 0 else p["dim"] + 1)),
    _activation("LogSoftmax", "Log-softmax", "Log-probabilities along an axis", (_DIM,),
                build=lambda p, s: nn.LogSoftmax(dim=p["dim"] if p["dim"] < 0 else p["dim"] + 1),
                code=lambda p, s: call("nn.LogSoftmax", dim=p["dim"] if p["dim"] < 0 else p["dim"] + 1)),
]
