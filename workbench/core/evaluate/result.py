"""EvaluationResult: a model's figures on one split, as plain data (JSON via to_dict)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class EvaluationResult:
    task: str  # "classification", "regression", "next_token"
    loss: float
    accuracy: float | None  # None for regression; per token for next_token
    top_k: dict[int, float] = field(default_factory=dict)  # {1: ..., 5: ...} (5 when >= 5 classes)
    confusion: list[list[int]] = field(default_factory=list)  # [true][predicted] counts
    per_class: list[dict[str, Any]] = field(default_factory=list)  # name, precision, recall, f1, support
    worst: list[dict[str, Any]] = field(default_factory=list)  # index, true, pred, confidence, loss
    regression: dict[str, float] | None = None  # mse, mae, r2
    class_names: list[str] = field(default_factory=list)
    size: int = 0  # samples evaluated
    split: str = "test"
    # classification, one entry per evaluated sample in split order (empty past
    # MAX_PER_SAMPLE samples): what a confusion-matrix cell holds, beyond the worst ones
    labels: list[int] = field(default_factory=list)
    predicted: list[int] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    # next_token: exp(loss), the number of tokens the model is as unsure as choosing among
    perplexity: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, "loss": self.loss, "accuracy": self.accuracy,
                "top_k": dict(self.top_k), "confusion": [list(r) for r in self.confusion],
                "per_class": [dict(r) for r in self.per_class],
                "worst": [dict(r) for r in self.worst],
                "regression": dict(self.regression) if self.regression is not None else None,
                "class_names": list(self.class_names), "size": self.size, "split": self.split,
                "labels": list(self.labels), "predicted": list(self.predicted),
                "confidence": list(self.confidence), "perplexity": self.perplexity}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EvaluationResult:
        """Also reads what ``json.loads`` gives back (string keys in top_k, None for NaN),
        and regression figures written at the top level."""
        def num(v: Any) -> float:
            return float("nan") if v is None else float(v)

        reg = d.get("regression")
        if reg is None and d.get("task") == "regression":  # a flat dict (older files)
            reg = {k: d[k] for k in ("mse", "rmse", "mae", "r2") if k in d} or None
        return cls(
            task=str(d.get("task", "classification")), loss=num(d.get("loss")),
            accuracy=None if d.get("accuracy") is None else float(d["accuracy"]),
            top_k={int(k): num(v) for k, v in (d.get("top_k") or {}).items()},
            confusion=[[int(c) for c in row] for row in d.get("confusion") or []],
            per_class=[dict(r) for r in d.get("per_class") or []],
            worst=[dict(r) for r in d.get("worst") or []],
            regression={k: num(v) for k, v in reg.items()} if reg is not None else None,
            class_names=[str(c) for c in d.get("class_names") or []],
            size=int(d.get("size", 0)), split=str(d.get("split", "test")),
            labels=[int(v) for v in d.get("labels") or []],
            predicted=[int(v) for v in d.get("predicted") or []],
            confidence=[num(v) for v in d.get("confidence") or []],
            perplexity=None if d.get("perplexity") is None else float(d["perplexity"]))
