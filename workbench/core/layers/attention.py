"""Attention layers: positions, patches, class token, self-attention, Transformer blocks."""

from __future__ import annotations

from workbench.core.layers import modules as m
from workbench.core.layers._helpers import (
    PADDING_PORTS,
    auto_int,
    choice_param,
    divisor_near,
    float_param,
    int_param,
    mismatch,
    with_tokens_port,
)
from workbench.core.layers.base import AUTO, LayerKind, args, fmt_shape


def _seq_check(p, ctx, d_param: str = "d_model", heads: bool = False):
    shape = ctx.shapes[0]
    if len(shape) != 2:
        return (f"expects a sequence (steps x features) but receives {fmt_shape(shape)} "
                f"{ctx.src()}")
    if p.get(d_param, AUTO) not in (AUTO, shape[1]):
        return mismatch("features (d_model)", p[d_param], shape[1], ctx.src())
    if heads and shape[1] % p["heads"]:
        return (f"{p['heads']} heads must divide the model width {shape[1]}; "
                f"choose a divisor such as {divisor_near(shape[1], p['heads'])}")
    return None


def _posenc_check(p, ctx):
    problem = _seq_check(p, ctx)
    if problem is None and p["max_len"] not in (AUTO,) and ctx.shapes[0][0] > p["max_len"]:
        return f"max_len {p['max_len']} is shorter than the sequence ({ctx.shapes[0][0]} steps)"
    if problem is None and p["kind"] == "sinusoidal" and ctx.shapes[0][1] % 2:
        return f"sinusoidal encoding needs an even width, not {ctx.shapes[0][1]}"
    return problem


def _patch_check(p, ctx):
    shape = ctx.shapes[0]
    if len(shape) != 3:
        return f"expects an image (channels x height x width) but receives {fmt_shape(shape)} {ctx.src()}"
    if shape[1] % p["patch"] or shape[2] % p["patch"]:
        return f"patch size {p['patch']} does not divide the {shape[1]} x {shape[2]} image"
    return None


_HEADS = int_param("heads", 8, "Attention heads (must divide the width)", hi=1024)
_DROP = float_param("dropout", 0.1, "Dropout inside the block", hi=0.99)
_FF = int_param("ff_dim", 2048, "Hidden size of the feed-forward part", hi=1_000_000)
_LAYERS = int_param("layers", 1, "How many identical blocks to stack", hi=128)
_D = auto_int("d_model", "Model width")


def _stack(causal: bool):
    def arguments(p, s):
        return args(s[0][1], p["heads"], p["ff_dim"], dropout=p["dropout"],
                    activation=p["activation"], norm_first=causal or p.get("norm") == "pre",
                    layers=p["layers"], causal=causal)
    return arguments


ATTENTION = [
    LayerKind(
        "PositionalEncoding", "Attention", "Positional encoding",
        "Add position information to a sequence (fixed sinusoids or learned)",
        (choice_param("kind", "sinusoidal", ("sinusoidal", "learned"), "Fixed or learned"),
         int_param("max_len", AUTO, "Longest sequence (0 = the input length)", auto=True),
         float_param("dropout", 0.0, "Dropout after adding", hi=0.99), _D),
        m.PositionalEncoding,
        lambda p, s: args(s[0][1], p["max_len"] or s[0][0], learned=p["kind"] == "learned",
                          dropout=p["dropout"]),
        check=_posenc_check, key_params=("kind",), name_base="positions"),
    LayerKind(
        "PatchEmbedding", "Attention", "Patch embedding",
        "Cut an image into p x p patches and project each to a vector (ViT)",
        (int_param("patch", 7, "Patch side in pixels", hi=1024),
         int_param("embed_dim", 64, "Vector size per patch", hi=100_000)),
        m.PatchEmbedding, lambda p, s: args(s[0][0], p["embed_dim"], p["patch"]),
        check=_patch_check, key_params=("patch", "embed_dim"), name_base="patches"),
    LayerKind(
        "ClassToken", "Attention", "Class token",
        "Prepend a learned token whose final state summarizes the sequence", (_D,),
        m.ClassToken, lambda p, s: args(s[0][1]), check=_seq_check, name_base="cls"),
    LayerKind(
        "MultiHeadAttention", "Attention", "Multi-head self-attention",
        "Every step attends to every other step (or only earlier ones when causal)",
        (_HEADS, float_param("dropout", 0.0, "Attention dropout", hi=0.99),
         choice_param("mask", "none", ("none", "causal"), "Causal: a step sees only the past"),
         _D),
        m.SelfAttention,
        lambda p, s: args(s[0][1], p["heads"], dropout=p["dropout"], causal=p["mask"] == "causal"),
        inputs=PADDING_PORTS, min_inputs=1,
        check=with_tokens_port(lambda p, ctx: _seq_check(p, ctx, heads=True)),
        key_params=("heads", "mask"),
        name_base="attention"),
    LayerKind(
        "TransformerEncoder", "Attention", "Transformer encoder block",
        "Self-attention + feed-forward with residuals and layer norm; stack with 'layers'",
        (_HEADS, _FF, _DROP, choice_param("activation", "relu", ("relu", "gelu"), "Feed-forward activation"),
         choice_param("norm", "post", ("post", "pre"), "Layer norm after (original) or before (modern)"),
         _LAYERS, _D),
        m.TransformerStack, _stack(False), inputs=PADDING_PORTS, min_inputs=1,
        check=with_tokens_port(lambda p, ctx: _seq_check(p, ctx, heads=True)),
        key_params=("heads", "ff_dim", "layers"), name_base="encoder"),
    LayerKind(
        "CausalDecoder", "Attention", "Causal decoder block (GPT)",
        "Pre-norm Transformer block where each step sees only earlier steps; stack with 'layers'",
        (_HEADS, _FF, _DROP, choice_param("activation", "gelu", ("relu", "gelu"), "Feed-forward activation"),
         _LAYERS, _D),
        m.TransformerStack, _stack(True), inputs=PADDING_PORTS, min_inputs=1,
        check=with_tokens_port(lambda p, ctx: _seq_check(p, ctx, heads=True)),
        key_params=("heads", "ff_dim", "layers"), name_base="decoder"),
    LayerKind(
        "SequencePool", "Attention", "Sequence pooling",
        "Reduce a sequence to one vector: mean of steps, last step, or the class token",
        (choice_param("mode", "mean", ("mean", "last", "class_token"), "How to reduce"),),
        m.SequencePool, lambda p, s: args(p["mode"]), inputs=PADDING_PORTS, min_inputs=1,
        check=with_tokens_port(lambda p, ctx: None if len(ctx.shapes[0]) == 2 else
        f"expects a sequence (steps x features) but receives {fmt_shape(ctx.shapes[0])} {ctx.src()}"),
        key_params=("mode",), name_base="seq_pool"),
]
