"""Embedding and recurrent layers (RNN, LSTM, GRU)."""

from __future__ import annotations

from workbench.core.layers import modules as m
from workbench.core.layers._helpers import (
    PADDING_PORTS,
    auto_int,
    bool_param,
    choice_param,
    float_param,
    int_param,
    mismatch,
    pick,
    with_tokens_port,
)
from workbench.core.layers.base import AUTO, LayerKind, args, fmt_shape


def _embedding_check(p, ctx):
    if len(ctx.shapes[0]) != 1:
        return (f"expects a sequence of token ids (length) but receives "
                f"{fmt_shape(ctx.shapes[0])} {ctx.src()}; connect it to a token sequence input")
    if p["num_embeddings"] == AUTO:
        return "needs the vocabulary size: connect it to a token sequence input or set num_embeddings"
    if p["padding_idx"] >= p["num_embeddings"]:
        return (f"padding_idx {p['padding_idx']} is not a token id of the vocabulary of "
                f"{p['num_embeddings']} (0 to {p['num_embeddings'] - 1}); use -1 for none")
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

    def arguments(p, s):
        return args(cell, pick(p["input_size"], s[0][1]), p["hidden_size"],
                    num_layers=p["num_layers"], bidirectional=p["bidirectional"],
                    dropout=p["dropout"], output=p["output"],
                    **({"nonlinearity": p["nonlinearity"]} if cell == "RNN" else {}))

    return LayerKind(
        cell, "Recurrent", cell, help, tuple(params), m.Recurrent, arguments,
        inputs=PADDING_PORTS, min_inputs=1, check=with_tokens_port(_recurrent_check),
        key_params=("hidden_size", "num_layers", "output"))


RECURRENT = [
    LayerKind(
        "Embedding", "Recurrent", "Embedding",
        "Turn token ids into learned vectors: length -> length x dim",
        (int_param("embedding_dim", 128, "Vector size per token", hi=100_000),
         auto_int("num_embeddings", "Vocabulary size"),
         int_param("padding_idx", -1, "Token id used for padding: its vector stays zero and "
                   "learns nothing (-1 = none)", lo=-1),
         float_param("init_std", 0.0, "Spread (standard deviation) of the initial vectors; "
                     "GPTs use 0.02 (0 = PyTorch's 1)")),
        m.TokenEmbedding,
        lambda p, s: args(p["num_embeddings"], p["embedding_dim"],
                          padding_idx=None if p["padding_idx"] < 0 else p["padding_idx"],
                          init_std=p["init_std"]),
        check=_embedding_check, key_params=("embedding_dim",)),
    _recurrent("RNN", "Simple recurrent layer (Elman RNN)"),
    _recurrent("LSTM", "Long short-term memory: remembers over long sequences"),
    _recurrent("GRU", "Gated recurrent unit: a lighter LSTM"),
]
