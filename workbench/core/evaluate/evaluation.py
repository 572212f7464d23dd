"""``evaluate``: run a model over a split (batched, no gradients, eval mode) and compute the
figures, confusion matrix, per-class table and worst samples. Per-sample values stay on the
device until the end and come back in one transfer."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F
from torch import nn

from workbench.core.evaluate.metrics import confusion_matrix, per_class_table, regression_metrics
from workbench.core.evaluate.result import EvaluationResult

if TYPE_CHECKING:
    from workbench.core.data import DataSet

WORST = 50
MAX_PER_SAMPLE = 100_000  # per-sample labels and predictions kept up to this many samples
MAX_CONFUSION_VOCAB = 100  # next-token: a vocabulary x vocabulary table only when readable
PAD_INDEX = 0


def _device_of(model: nn.Module) -> torch.device:
    for p in model.parameters():
        return p.device
    return torch.device("cpu")


def two_logits(out: torch.Tensor) -> torch.Tensor:
    """A single logit (binary, BCE-trained) as [0, z], whose softmax is [1 - σ(z), σ(z)]."""
    return torch.cat([torch.zeros_like(out), out], dim=-1) if out.shape[-1] == 1 else out


def _names(names: list[str], n: int) -> list[str]:
    return [names[i] if i < len(names) else str(i) for i in range(n)]


def evaluate(model: nn.Module, data: DataSet, split: str = "test", *,
             device: torch.device | str | None = None, batch_size: int = 256,
             normalize: bool = True) -> EvaluationResult:
    """The model's figures on ``data``'s ``split``. ``device`` defaults to the model's; the
    model is moved there and left in the training mode it had."""
    from workbench.core.data import make_loader

    if split not in data.splits:
        raise ValueError(f"unknown split '{split}': use train, val or test")
    part = data.splits[split]
    dev = torch.device(device) if device is not None else _device_of(model)
    model.to(dev)
    norm = data.normalize if normalize and data.kind != "tokens" else None
    loader = make_loader(part, batch_size=batch_size, device=dev, shuffle=False, normalize=norm)
    was_training = model.training
    model.eval()
    parts: dict[str, list[torch.Tensor]] = {}
    try:
        with torch.no_grad():
            for xb, yb in loader:
                out = model(xb).float()
                for k, v in _batch_values(data.task, out, yb).items():
                    parts.setdefault(k, []).append(v)
    finally:
        model.train(was_training)
    values = {k: torch.cat(v).cpu() for k, v in parts.items()}
    if data.task == "regression":
        return _regression(values, data, split)
    if data.task == "next_token":
        return _next_token(values, data, split)
    return _classification(values, data, split)


def _batch_values(task: str, out: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    if task == "regression":
        return {"pred": out, "true": y.reshape(out.shape).float()}
    logits = two_logits(out)
    if task == "next_token":
        v = logits.shape[-1]
        loss = F.cross_entropy(logits.reshape(-1, v), y.reshape(-1), ignore_index=PAD_INDEX,
                               reduction="none").view(y.shape)
    else:
        loss = F.cross_entropy(logits, y, reduction="none")
    probs = logits.softmax(-1)
    conf, pred = probs.max(-1)
    k = min(5, logits.shape[-1])
    in_top5 = (logits.topk(k, dim=-1).indices == y.unsqueeze(-1)).any(-1)
    return {"loss": loss, "pred": pred, "conf": conf, "true": y, "top5": in_top5}


def _classification(v: dict[str, torch.Tensor], data: DataSet, split: str) -> EvaluationResult:
    n = len(v.get("true", ()))
    if n == 0:
        return EvaluationResult("classification", float("nan"), float("nan"),
                                class_names=list(data.class_names), split=split)
    true, pred = v["true"], v["pred"]
    classes = max(data.num_classes, int(pred.max()) + 1, int(true.max()) + 1)
    names = _names(list(data.class_names), classes)
    cm = confusion_matrix(true, pred, classes)
    accuracy = float((true == pred).double().mean())
    top_k = {1: accuracy}
    if data.num_classes >= 5:
        top_k[5] = float(v["top5"].double().mean())
    order = v["loss"].argsort(descending=True, stable=True)[:WORST]
    worst = [{"index": int(i), "true": int(true[i]), "pred": int(pred[i]),
              "confidence": float(v["conf"][i]), "loss": float(v["loss"][i])} for i in order]
    result = EvaluationResult("classification", float(v["loss"].double().mean()), accuracy,
                              top_k, cm.tolist(), per_class_table(cm, names[: data.num_classes]),
                              worst, None, names, n, split)
    if n <= MAX_PER_SAMPLE:
        result.labels, result.predicted = true.tolist(), pred.tolist()
        result.confidence = [round(c, 4) for c in v["conf"].tolist()]
    return result


def _decode(ids: torch.Tensor, vocab: list[str] | None, tokenizer: str | None) -> Any:
    if vocab is None:
        return [int(i) for i in ids]
    sep = " " if tokenizer == "word" else ""
    return sep.join(vocab[i] if 0 <= i < len(vocab) else "?" for i in ids.tolist())


def _next_token(v: dict[str, torch.Tensor], data: DataSet, split: str) -> EvaluationResult:
    n = len(v.get("true", ()))
    if n == 0:
        return EvaluationResult("next_token", float("nan"), float("nan"), split=split)
    true, pred = v["true"], v["pred"]
    valid = true != PAD_INDEX
    tokens = valid.sum(1).clamp_min(1).double()
    seq_loss = (v["loss"].double() * valid).sum(1) / tokens  # mean loss per sequence
    count = max(1, int(valid.sum()))
    accuracy = float(((pred == true) & valid).sum()) / count
    top_k = {1: accuracy}
    vocab_size = max(data.num_classes, int(pred.max()) + 1)
    if vocab_size >= 5:
        top_k[5] = float((v["top5"] & valid).sum()) / count
    confusion: list[list[int]] = []
    if vocab_size <= MAX_CONFUSION_VOCAB:
        confusion = confusion_matrix(true[valid], pred[valid], vocab_size).tolist()
    order = seq_loss.argsort(descending=True, stable=True)[:WORST]
    worst = []
    for i in order:
        keep = valid[i]
        worst.append({
            "index": int(i), "true": _decode(true[i][keep], data.vocab, data.tokenizer),
            "pred": _decode(pred[i][keep], data.vocab, data.tokenizer),
            "confidence": float((v["conf"][i] * keep).sum() / keep.sum().clamp_min(1)),
            "loss": float(seq_loss[i])})
    loss = float((v["loss"].double() * valid).sum()) / count
    result = EvaluationResult("next_token", loss, accuracy, top_k, confusion, [], worst, None,
                              _names(list(data.class_names), vocab_size), n, split)
    result.perplexity = perplexity(loss)
    return result


def perplexity(loss: float) -> float:
    """exp(mean cross-entropy in nats): as unsure as a uniform choice among that many tokens."""
    return math.exp(loss) if math.isfinite(loss) and loss < 700 else float("inf")


def _regression(v: dict[str, torch.Tensor], data: DataSet, split: str) -> EvaluationResult:
    n = len(v.get("true", ()))
    if n == 0:
        return EvaluationResult("regression", float("nan"), None, split=split)
    pred, true = v["pred"], v["true"]
    reg = regression_metrics(pred, true)
    err = ((pred.double() - true.double()) ** 2).reshape(n, -1).mean(1)
    order = err.argsort(descending=True, stable=True)[:WORST]

    def value(t: torch.Tensor) -> float | list[float]:
        return float(t) if t.numel() == 1 else [float(x) for x in t.reshape(-1)]

    worst = [{"index": int(i), "true": value(true[i]), "pred": value(pred[i]),
              "confidence": None, "loss": float(err[i])} for i in order]
    return EvaluationResult("regression", reg["mse"], None, {}, [], [], worst, reg,
                            list(data.class_names), n, split)
