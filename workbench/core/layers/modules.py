"""Modules the catalogue needs that torch.nn does not have as such.

Self-contained on purpose (torch only): the code exporter copies these classes verbatim into
a generated ``model.py`` so an exported project runs without Workbench installed.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class Reshape(nn.Module):
    """Reshape each sample (the batch axis is kept)."""

    def __init__(self, *shape: int) -> None:
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], *self.shape)


class ImageToRows(nn.Module):
    """View an image batch (B, C, H, W) as a sequence of H rows of C*W features."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        return x.permute(0, 2, 1, 3).reshape(b, h, c * w)


class ImageToPatches(nn.Module):
    """View an image batch (B, C, H, W) as a sequence of non-overlapping p x p patches."""

    def __init__(self, patch: int) -> None:
        super().__init__()
        self.patch = patch

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        p = self.patch
        x = x.reshape(b, c, h // p, p, w // p, p).permute(0, 2, 4, 1, 3, 5)
        return x.reshape(b, (h // p) * (w // p), c * p * p)


class GlobalAvgPool(nn.Module):
    """Average over every axis after the channels: (B, C, ...) -> (B, C)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.flatten(2).mean(dim=2)


class Recurrent(nn.Module):
    """An RNN, LSTM or GRU (batch first) that returns one chosen output.

    output: "sequence" (every step), "last" (the last step) or "hidden" (the final hidden
    state of the top layer, both directions concatenated).
    """

    def __init__(self, cell: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bidirectional: bool = False, dropout: float = 0.0, output: str = "last",
                 nonlinearity: str = "tanh") -> None:
        super().__init__()
        kwargs = dict(num_layers=num_layers, bidirectional=bidirectional, batch_first=True,
                      dropout=dropout if num_layers > 1 else 0.0)
        if cell == "RNN":
            kwargs["nonlinearity"] = nonlinearity
        self.rnn = getattr(nn, cell)(input_size, hidden_size, **kwargs)
        self.output = output
        self.directions = 2 if bidirectional else 1

    def forward(self, x: torch.Tensor, tokens: torch.Tensor | None = None) -> torch.Tensor:
        """``tokens``: the (B, L) token ids when connected; steps holding <pad> (id 0, at
        the end as the text loaders pad) are not read: the sequence ends at its last token."""
        if tokens is None:
            seq, state = self.rnn(x)
            if self.output == "sequence":
                return seq
            if self.output == "last":
                return seq[:, -1]
            h = state[0] if isinstance(state, tuple) else state  # LSTM returns (h, c)
            return torch.cat([h[-d] for d in range(self.directions, 0, -1)], dim=-1)
        keep = tokens[:, : x.shape[1]] != 0
        lengths = keep.sum(1).clamp_min(1)
        last = torch.arange(x.shape[0], device=x.device), lengths - 1
        # one direction: the steps after the text change nothing before it (and shapes
        # inferred on the meta device need no packing)
        if self.directions == 1 or x.is_meta:
            seq = self.rnn(x)[0]
            if self.output == "sequence":
                return seq * keep.unsqueeze(-1).to(seq.dtype)
            return seq[last]  # the top layer's state at the last real step
        if self.rnn.num_layers == 1:  # plain tensor ops, so that ONNX can hold it
            return self._two_directions(x, keep, lengths, last)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True,
                                                   enforce_sorted=False)
        out, state = self.rnn(packed)
        seq = nn.utils.rnn.pad_packed_sequence(out, batch_first=True,
                                               total_length=x.shape[1])[0]
        if self.output == "sequence":
            return seq
        if self.output == "last":
            return seq[last]
        h = state[0] if isinstance(state, tuple) else state
        return torch.cat([h[-d] for d in range(self.directions, 0, -1)], dim=-1)

    def _two_directions(self, x: torch.Tensor, keep: torch.Tensor, lengths: torch.Tensor,
                        last: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        """One bidirectional layer over right-padded steps: the forward half read as it is,
        the backward half read with the text rolled to the end (so it starts at the last
        real step), then rolled back."""
        steps = x.shape[1]
        h = self.rnn.hidden_size
        shift = (steps - lengths).unsqueeze(1)  # (B, 1)
        t = torch.arange(steps, device=x.device).unsqueeze(0)
        to_end = ((t - shift) % steps).unsqueeze(-1)
        back = ((t + shift) % steps).unsqueeze(-1)
        forward = self.rnn(x)[0][..., :h]
        rolled = x.gather(1, to_end.expand(-1, -1, x.shape[2]))
        backward = self.rnn(rolled)[0][..., h:]
        backward = backward.gather(1, back.expand(-1, -1, h))
        seq = torch.cat([forward, backward], dim=-1) * keep.unsqueeze(-1).to(x.dtype)
        if self.output == "sequence":
            return seq
        if self.output == "last":
            return seq[last]
        return torch.cat([forward[last], backward[:, 0]], dim=-1)  # each direction's final


class TokenEmbedding(nn.Embedding):
    """nn.Embedding whose vectors start at N(0, init_std^2) when ``init_std`` > 0 (GPTs use
    0.02: beside a unit-variance table the blocks' small outputs barely move the residual
    stream at first, and Adam's steps move unit-sized vectors slowly); 0 keeps torch's N(0, 1)."""

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 init_std: float = 0.0) -> None:
        self.init_std = init_std  # read by reset_parameters, which nn.Embedding's init calls
        super().__init__(num_embeddings, embedding_dim, padding_idx=padding_idx)

    def reset_parameters(self) -> None:
        if self.init_std <= 0:
            super().reset_parameters()
            return
        nn.init.normal_(self.weight, std=self.init_std)
        if self.padding_idx is not None:
            with torch.no_grad():
                self.weight[self.padding_idx].fill_(0)


class PositionalEncoding(nn.Module):
    """Add position information to a (B, L, D) sequence: fixed sinusoids or learned vectors."""

    def __init__(self, d_model: int, max_len: int, learned: bool = False,
                 dropout: float = 0.0) -> None:
        super().__init__()
        if learned:
            self.pe = nn.Parameter(torch.zeros(1, max_len, d_model))
            nn.init.normal_(self.pe, std=0.02)
        else:
            pos = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
            div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32)
                            * (-math.log(10000.0) / d_model))
            pe = torch.zeros(1, max_len, d_model)
            pe[0, :, 0::2] = torch.sin(pos * div)
            pe[0, :, 1::2] = torch.cos(pos * div[: d_model // 2])
            self.register_buffer("pe", pe, persistent=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(x + self.pe[:, : x.shape[1]])


class PatchEmbedding(nn.Module):
    """Cut an image into p x p patches and project each to ``dim`` features: (B, N, dim)."""

    def __init__(self, in_channels: int, dim: int, patch: int) -> None:
        super().__init__()
        self.proj = nn.Conv2d(in_channels, dim, kernel_size=patch, stride=patch)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x).flatten(2).transpose(1, 2)


class ClassToken(nn.Module):
    """Prepend a learned class token to a (B, L, D) sequence, giving (B, L + 1, D)."""

    def __init__(self, d_model: int) -> None:
        super().__init__()
        self.token = nn.Parameter(torch.zeros(1, 1, d_model))
        nn.init.normal_(self.token, std=0.02)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.token.expand(x.shape[0], -1, -1), x], dim=1)


class SelfAttention(nn.Module):
    """Multi-head self-attention over a (B, L, D) sequence (query = key = value)."""

    def __init__(self, d_model: int, heads: int, dropout: float = 0.0,
                 causal: bool = False) -> None:
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, heads, dropout=dropout, batch_first=True)
        self.causal = causal

    def forward(self, x: torch.Tensor, tokens: torch.Tensor | None = None) -> torch.Tensor:
        """``tokens``: the (B, L) token ids when connected; no step attends to <pad> (id 0)."""
        mask = None
        if self.causal:
            mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1], device=x.device,
                                                                  dtype=x.dtype)
        pad = None
        if tokens is not None:
            pad = tokens == 0
            if pad.shape[1] < x.shape[1]:  # a class token in front is never padding
                pad = torch.cat([pad.new_zeros(pad.shape[0], x.shape[1] - pad.shape[1]), pad], 1)
            pad = pad & ~pad.all(1, keepdim=True)  # an all-padding row attends to everything
            pad = torch.zeros(pad.shape, dtype=x.dtype, device=x.device).masked_fill(
                pad, float("-inf"))
        return self.attn(x, x, x, attn_mask=mask, key_padding_mask=pad, need_weights=False,
                         is_causal=self.causal and pad is None)[0]


class TransformerStack(nn.Module):
    """``layers`` Transformer encoder blocks; with ``causal`` each position sees only the past
    (a GPT-style decoder block)."""

    def __init__(self, d_model: int, heads: int, ff_dim: int, dropout: float = 0.1,
                 activation: str = "relu", norm_first: bool = False, layers: int = 1,
                 causal: bool = False) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, heads, ff_dim, dropout, activation,
                                       batch_first=True, norm_first=norm_first)
            for _ in range(layers))
        self.causal = causal

    def forward(self, x: torch.Tensor, tokens: torch.Tensor | None = None) -> torch.Tensor:
        """``tokens``: the (B, L) token ids when connected; no step attends to <pad> (id 0)."""
        mask = None
        if self.causal:
            mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1], device=x.device,
                                                                  dtype=x.dtype)
        pad = None
        if tokens is not None:
            pad = tokens == 0
            if pad.shape[1] < x.shape[1]:  # a class token in front is never padding
                pad = torch.cat([pad.new_zeros(pad.shape[0], x.shape[1] - pad.shape[1]), pad], 1)
            pad = pad & ~pad.all(1, keepdim=True)  # an all-padding row attends to everything
            pad = torch.zeros(pad.shape, dtype=x.dtype, device=x.device).masked_fill(
                pad, float("-inf"))
        for block in self.blocks:
            x = block(x, src_mask=mask, src_key_padding_mask=pad,
                      is_causal=self.causal and pad is None)
        return x


class SequencePool(nn.Module):
    """Reduce a (B, L, D) sequence to (B, D): mean over steps, the last step, or the first
    (class token) step."""

    def __init__(self, mode: str = "mean") -> None:
        super().__init__()
        self.mode = mode

    def forward(self, x: torch.Tensor, tokens: torch.Tensor | None = None) -> torch.Tensor:
        """``tokens``: the (B, L) token ids when connected; <pad> steps (id 0) are left out
        of the mean, and "last" is the last step that is not padding."""
        if self.mode == "class_token":
            return x[:, 0]
        if tokens is None:
            return x.mean(dim=1) if self.mode == "mean" else x[:, -1]
        keep = tokens != 0
        if keep.shape[1] < x.shape[1]:  # a class token in front is never padding
            keep = torch.cat([keep.new_ones(keep.shape[0], x.shape[1] - keep.shape[1]), keep], 1)
        if self.mode == "mean":
            w = keep.unsqueeze(-1).to(x.dtype)
            return (x * w).sum(1) / w.sum(1).clamp_min(1)
        steps = torch.arange(x.shape[1], device=x.device)
        last = (steps * keep).amax(1)
        return x[torch.arange(x.shape[0], device=x.device), last]


class Add(nn.Module):
    """Element-wise sum of its inputs (a residual connection)."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out


class Multiply(nn.Module):
    """Element-wise product of its inputs, broadcasting axes of size 1 (a gate)."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        out = xs[0]
        for x in xs[1:]:
            out = out * x
        return out


class Concatenate(nn.Module):
    """Join its inputs along one per-sample axis (0 = channels for images)."""

    def __init__(self, axis: int = 0) -> None:
        super().__init__()
        self.dim = axis + 1 if axis >= 0 else axis

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        return torch.cat(xs, dim=self.dim)


class ImageHead(nn.Module):
    """Arrange each sample's values as a C x H x W image squashed into pixel range: sigmoid
    for [0, 1], tanh for [-1, 1] (a generator's or a decoder's output)."""

    def __init__(self, channels: int, height: int, width: int, activation: str = "sigmoid") -> None:
        super().__init__()
        self.shape = (channels, height, width)
        self.activation = activation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.reshape(x.shape[0], *self.shape)
        return torch.tanh(x) if self.activation == "tanh" else torch.sigmoid(x)
