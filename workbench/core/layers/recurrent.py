"""Embedding and recurrent layers (RNN, LSTM, GRU)."""

from __future__ import annotations

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
)
from workbench.core.layers.base import AUTO, LayerKind, fmt_shape


def _embedding_check(p, ctx):
    if len(ctx.shapes[0]) != 1:
        return (f"expects a sequence of token ids (length) but receives "
                f"{fmt_shape(ctx.shapes[0])} {ctx.src()}; connect it to a token sequence input")
    if p["num_embeddings"] == AUTO:
        return "needs the vocabulary size: connect it to a token sequence input or set num_embeddings"
    return None


def _recurrent_check(p, ctx):
    shape = ctx.shapes[0]
    if len(shape) != 2:
        hint = " (use an Embedding after a token input)" if len(shape) == 1 else ""
        return (f"expects a sequence (steps x features) but receives {fmt_shape(shape)} "
                f"{ctx.src()}{hint}")
    if p["input_size"] not in (AUTO, shape[1]):
        return mismatch("features per step", p["input_size"], shape[1], ctx.src())
    return None


def _recurrent(cell: str, help: str) -> LayerKind:
    params = [
        int_param("hidden_size", 128, "Features in the hidden state", hi=100_000),
        int_param("num_layers", 1, "Stacked recurrent layers", hi=64),
        bool_param("bidirectional", False, "Also read the sequence backwards"),
        float_param("dropout", 0.0, "Dropout between stacked layers", hi=0.99),
        choice_param("output", "last", ("sequence", "last", "hidden"),
                     "Return every step, the last step, or the final hidden state"),
        auto_int("input_size", "Features per step"),
    ]
    if cell == "RNN":
        params.append(choice_param("nonlinearity", "tanh", ("tanh", "relu"), "Activation"))

    def kwargs(p):
        kw = {"num_layers": p["num_layers"], "bidirectional": p["bidirectional"],
              "dropout": p["dropout"], "output": p["output"]}
        if cell == "RNN":
            kw["nonlinearity"] = p["nonlinearity"]
        return kw

    return LayerKind(
        cell, "Recurrent", cell, help, tuple(params),
        build=lambda p, s: m.Recurrent(cell, s[0][1], p["hidden_size"], **kwargs(p)),
        code=lambda p, s: call("Recurrent", cell, s[0][1], p["hidden_size"], **kwargs(p)),
        check=_recurrent_check, key_params=("hidden_size", "num_layers", "output"))


RECURRENT = [
    LayerKind(
        "Embedding", "Recurrent", "Embedding",
        "Turn token ids into learned vectors: length -> length x dim",
        (int_param("embedding_dim", 128, "Vector size per token", hi=100_000),
         auto_int("num_embeddings", "Vocabulary size")),
        build=lambda p, s: nn.Embedding(p["num_embeddings"], p["embedding_dim"]),
        code=lambda p, s: call("nn.Embedding", p["num_embeddings"], p["embedding_dim"]),
        check=_embedding_check, key_params=("embedding_dim",)),
    _recurrent("RNN", "Simple recurrent layer (Elman RNN)"),
    _recurrent("LSTM", "Long short-term memory: remembers over long sequences"),
    _recurrent("GRU", "Gated recurrent unit: a lighter LSTM"),
]
