"""Metrics from predictions and targets held as CPU tensors: pure functions, easy to check
by hand."""

from __future__ import annotations

from typing import Any

import torch


def confusion_matrix(true: torch.Tensor, pred: torch.Tensor, n: int) -> torch.Tensor:
    """(n, n) counts, rows the true class, columns the predicted one."""
    flat = true.long() * n + pred.long()
    return torch.bincount(flat, minlength=n * n)[: n * n].view(n, n)


def per_class_table(confusion: torch.Tensor, names: list[str]) -> list[dict[str, Any]]:
    """Precision, recall, F1 and support per class; 0.0 where a ratio has nothing below it."""
    cm = confusion.double()
    tp = cm.diagonal()
    support, predicted = cm.sum(1), cm.sum(0)
    rows = []
    for c, name in enumerate(names):
        p = float(tp[c] / predicted[c]) if predicted[c] else 0.0
        r = float(tp[c] / support[c]) if support[c] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"name": name, "precision": p, "recall": r, "f1": f1,
                     "support": int(support[c])})
    return rows


def regression_metrics(pred: torch.Tensor, true: torch.Tensor) -> dict[str, float]:
    """MSE and MAE over all values; R² per output, averaged (as scikit-learn's default)."""
    pred, true = pred.double().reshape(len(pred), -1), true.double().reshape(len(true), -1)
    err = pred - true
    ss_res = (err**2).sum(0)
    ss_tot = ((true - true.mean(0)) ** 2).sum(0)
    r2 = torch.where(ss_tot > 0, 1 - ss_res / ss_tot.clamp_min(1e-300),
                     (ss_res == 0).double())  # a constant target: 1 if hit exactly, else 0
    return {"mse": float((err**2).mean()), "mae": float(err.abs().mean()),
            "r2": float(r2.mean())}
