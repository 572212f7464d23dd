"""Tasks whose answer is decided by a known part of the input, for checking explanations
(importable as ``region_task`` from core and UI tests).

Images: 16 x 16 grey noise with a bar inside REGION whose direction is the label (0:
horizontal, 1: vertical), and clutter outside it (bright 2 x 2 squares as bright as the bar)
that says nothing about the label. A trained model must look at REGION, and so must a faithful
explanation. (Bars outside as well would be a harder test for the model, but not a fair one
for Grad-CAM: it weighs whole channels, so a "vertical bar" channel lights up wherever a
vertical bar is, whether the model uses that place or not.)

Text: sentences of filler words with one keyword, "good" (label 1) or "bad" (label 0).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import numpy as np
import torch

from workbench.core.data import DataSet, Split
from workbench.core.engine import TrainingConfig
from workbench.core.graph import ModelSpec

SIZE = 16
REGION = (slice(0, 8), slice(8, 16))  # the top right quarter
BAR = 4
NOISE = 0.3  # background noise, uniform in [0, NOISE)
CLUTTER = 0.6  # brightness of the clutter squares (the bar is 1)


def region_mask() -> np.ndarray:
    mask = np.zeros((SIZE, SIZE), dtype=bool)
    mask[REGION] = True
    return mask


def _bar(img: np.ndarray, top: int, left: int, vertical: bool) -> None:
    if vertical:
        img[top:top + BAR, left] = 1.0
    else:
        img[top, left:left + BAR] = 1.0


def _clutter(img: np.ndarray, rng: np.random.Generator, count: int = 3, level: float = CLUTTER) -> None:
    """Bright 2 x 2 squares clear of the region (by a pixel)."""
    rows, cols = REGION
    placed = 0
    while placed < count:
        top, left = (int(v) for v in rng.integers(0, SIZE - 1, size=2))
        if rows.start - 2 <= top <= rows.stop and cols.start - 2 <= left <= cols.stop:
            continue
        img[top:top + 2, left:left + 2] = level
        placed += 1


def region_images(n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """(n, 1, 16, 16) float32 in [0, 1] and (n,) labels, balanced."""
    rng = np.random.default_rng(seed)
    x = (rng.random((n, SIZE, SIZE)) * NOISE).astype(np.float32)
    y = np.arange(n) % 2
    rows, cols = REGION
    for i in range(n):
        vertical = bool(y[i])
        top = int(rng.integers(rows.start, rows.stop - (BAR if vertical else 0)))
        left = int(rng.integers(cols.start, cols.stop - (0 if vertical else BAR)))
        _bar(x[i], top, left, vertical)
        _clutter(x[i], rng)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y).long()


def region_dataset(n: int = 600, seed: int = 0) -> DataSet:
    x, y = region_images(n, seed)
    a, b = int(0.7 * n), int(0.85 * n)
    mean, std = float(x[:a].mean()), float(x[:a].std())
    return DataSet("region bars", "image", (1, SIZE, SIZE), "classification", 2,
                   ["horizontal", "vertical"], Split(x[:a], y[:a]), Split(x[a:b], y[a:b]),
                   Split(x[b:], y[b:]), mean=(mean,), std=(std,))


def _chain(spec: ModelSpec) -> ModelSpec:
    """Connect the nodes one after the other, in the order they were added."""
    names = [n.name for n in spec.nodes]
    for a, b in zip(names, names[1:], strict=False):
        spec.connect(a, b)
    return spec


def region_cnn_spec() -> ModelSpec:
    """conv(8) -> ReLU -> pool -> conv(16) (8 x 8 maps) -> ReLU -> Flatten -> 2 classes."""
    spec = ModelSpec(name="Region CNN")
    spec.add_node("ImageInput", "input", {"channels": 1, "height": SIZE, "width": SIZE})
    spec.add_node("Conv2d", "conv1", {"out_channels": 8, "kernel_size": 3, "padding": 1})
    spec.add_node("ReLU", "relu1")
    spec.add_node("MaxPool2d", "pool1")
    spec.add_node("Conv2d", "conv2", {"out_channels": 16, "kernel_size": 3, "padding": 1})
    spec.add_node("ReLU", "relu2")
    spec.add_node("Flatten", "flatten")
    spec.add_node("ClassificationHead", "head", {"classes": 2})
    return _chain(spec)


REGION_CONFIG = TrainingConfig(epochs=3, batch_size=32, lr=3e-3, device="cpu", seed=0)

WORDS = ("the", "a", "film", "was", "very", "it", "and", "plot", "story", "actors", "quite",
         "this", "movie", "really", "some", "scenes")


def keyword_texts(n: int, seed: int = 0, length: int = 8) -> tuple[list[str], list[int]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        words = list(rng.choice(WORDS, size=length - 1))
        words.insert(int(rng.integers(0, length)), "good" if i % 2 else "bad")
        texts.append(" ".join(words))
        labels.append(i % 2)
    return texts, labels


def keyword_dataset(n: int = 400, seed: int = 0, length: int = 10) -> DataSet:
    from workbench.core.data.tokens import build_vocab, encode_texts

    texts, labels = keyword_texts(n, seed, length - 2)
    vocab = build_vocab(texts, "word")
    x = encode_texts(texts, vocab, "word", length)
    y = torch.tensor(labels)
    a, b = int(0.7 * n), int(0.85 * n)
    return DataSet("keywords", "tokens", (length,), "classification", 2, ["bad", "good"],
                   Split(x[:a], y[:a]), Split(x[a:b], y[a:b]), Split(x[b:], y[b:]),
                   vocab=vocab, tokenizer="word")


def keyword_spec(vocab_size: int, length: int = 10) -> ModelSpec:
    """Tokens -> Embedding(16) -> Transformer block (2 heads) -> mean -> 2 classes."""
    spec = ModelSpec(name="Keyword transformer")
    spec.add_node("TokenInput", "input", {"vocab_size": vocab_size, "length": length})
    spec.add_node("Embedding", "embed", {"embedding_dim": 16})
    spec.add_node("TransformerEncoder", "encoder", {"heads": 2, "ff_dim": 32, "dropout": 0.0})
    spec.add_node("SequencePool", "pool")
    spec.add_node("ClassificationHead", "head", {"classes": 2})
    return _chain(spec)


def attention_spec(vocab_size: int = 20, length: int = 7, causal: bool = False) -> ModelSpec:
    """Untrained: Embedding -> self-attention (2 heads) -> 2 stacked encoder (or causal
    decoder) blocks of 4 heads -> mean -> 3 classes."""
    spec = ModelSpec(name="Attention check")
    spec.add_node("TokenInput", "input", {"vocab_size": vocab_size, "length": length})
    spec.add_node("Embedding", "embed", {"embedding_dim": 16})
    spec.add_node("MultiHeadAttention", "attention",
                  {"heads": 2, "mask": "causal" if causal else "none"})
    spec.add_node("CausalDecoder" if causal else "TransformerEncoder", "blocks",
                  {"heads": 4, "ff_dim": 32, "layers": 2})
    spec.add_node("SequencePool", "pool")
    spec.add_node("ClassificationHead", "head", {"classes": 3})
    return _chain(spec)


KEYWORD_CONFIG = TrainingConfig(epochs=5, batch_size=32, lr=3e-3, device="cpu", seed=0)


@functools.cache
def trained_run(task: str = "region") -> Path:
    """A run folder of a model trained on the region ("region") or keyword ("keyword") task;
    trained once per test process (a few seconds), in a temporary folder removed at exit."""
    from workbench.core.runs import RunStore, create_run

    root = Path(tempfile.mkdtemp(prefix=f"wb-explain-{task}-"))
    atexit.register(shutil.rmtree, root, True)
    if task == "region":
        data, spec, config = region_dataset(), region_cnn_spec(), REGION_CONFIG
    else:
        data = keyword_dataset()
        spec, config = keyword_spec(len(data.vocab or [])), KEYWORD_CONFIG
    with RunStore(root / "runs.sqlite") as store:
        trainer, run_dir = create_run(spec, f"synthetic-{task}", config, data=data,
                                      runs_dir=root / "runs", store=store)
        ended = trainer.fit()
    if ended.status != "finished":
        raise RuntimeError(f"training the {task} model ended {ended.status}")
    return run_dir
