"""The compression table: one row per model, each against the original."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Row:
    method: str  # original, prune, prune-structured, int8-torch, int8-onnx, fp16, distill...
    label: str  # for a person: "prune 50 % (unstructured) + 1 epoch fine-tune"
    params: int  # parameters (non-zero ones after unstructured pruning)
    bytes: int  # the saved weights' (or ONNX file's) size
    original_bytes: int
    accuracy: float | None  # the test split's accuracy (the loss for regression)
    original_accuracy: float | None
    latency_ms: float | None  # CPU, one sample: PyTorch's, else onnxruntime's
    latency_torch_ms: float | None = None
    latency_onnx_ms: float | None = None
    original_params: int = 0
    original_latency_ms: float | None = None
    run_dir: str | None = None  # the run this model is (None for the original's own row)
    file: str | None = None  # the file ``bytes`` measures
    details: dict[str, Any] = field(default_factory=dict)  # e.g. ONNX agreement, sparsity

    @property
    def size_ratio(self) -> float:
        """How many times smaller than the original (2.0 = half the size)."""
        return self.original_bytes / self.bytes if self.bytes else float("nan")

    @property
    def accuracy_change(self) -> float | None:
        if self.accuracy is None or self.original_accuracy is None:
            return None
        return self.accuracy - self.original_accuracy

    @property
    def speedup(self) -> float | None:
        if not self.latency_ms or not self.original_latency_ms:
            return None
        return self.original_latency_ms / self.latency_ms

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["size_ratio"] = _round(self.size_ratio, 4)
        d["accuracy_change"] = _round(self.accuracy_change, 6)
        d["speedup"] = _round(self.speedup, 3)
        for k in ("latency_ms", "latency_torch_ms", "latency_onnx_ms", "original_latency_ms"):
            d[k] = _round(d[k], 4)
        return d


def _round(v: float | None, digits: int) -> float | None:
    if v is None or not math.isfinite(v):
        return None
    return round(float(v), digits)


@dataclass
class CompressReport:
    parent: str  # the original run's folder
    method: str
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    @property
    def runs(self) -> list[Path]:
        return [Path(r.run_dir) for r in self.rows if r.run_dir]

    def to_dict(self) -> dict[str, Any]:
        return {"parent": self.parent, "method": self.method,
                "rows": [r.to_dict() for r in self.rows], "notes": list(self.notes)}


COLUMNS = (("label", "model"), ("params", "params"), ("bytes", "size"),
           ("size_ratio", "smaller"), ("accuracy", "test acc"), ("accuracy_change", "change"),
           ("latency_torch_ms", "ms torch"), ("latency_onnx_ms", "ms onnx"))


def cell(row: dict[str, Any], key: str) -> str:
    """One table cell as text (shared by the CLI and the Compress view)."""
    v = row.get(key)
    if v is None:
        return "-"
    if key == "bytes":
        return human_bytes(int(v))
    if key == "size_ratio":
        return f"{v:.2f}x"
    if key == "accuracy":
        return f"{100 * v:.2f} %"
    if key == "accuracy_change":
        return f"{100 * v:+.2f} pt"
    if key.startswith("latency"):
        return f"{v:.3f}"
    if key == "params":
        return f"{int(v):,}"
    return str(v)


def human_bytes(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def format_table(report: dict[str, Any]) -> str:
    rows = report["rows"]
    table = [[title for _, title in COLUMNS]] + [[cell(r, k) for k, _ in COLUMNS] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    out = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                     enumerate(zip(line, widths, strict=True))) for line in table]
    return "\n".join(out)
