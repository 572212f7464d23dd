"""Running sums of loss and right answers kept on the device: adding to them queues work
without waiting for it, and reading them (``drain``) is the only point that synchronizes."""

from __future__ import annotations

from dataclasses import dataclass

import torch


class DeviceSums:
    """Loss x count, right answers and count since the last ``drain``."""

    def __init__(self, device: torch.device) -> None:
        self.loss = torch.zeros((), dtype=torch.float32, device=device)
        self.correct = torch.zeros((), dtype=torch.int64, device=device)
        self.count_t = torch.zeros((), dtype=torch.int64, device=device)  # token counts
        self.count = 0  # sample counts, known on the host without a sync
        self.steps = 0

    def add(self, loss: torch.Tensor, correct: torch.Tensor | None,
            count: int | torch.Tensor) -> None:
        if isinstance(count, int):
            self.loss.add_(loss.detach(), alpha=count)
            self.count += count
        else:
            self.loss.add_(loss.detach() * count)
            self.count_t.add_(count)
        if correct is not None:
            self.correct.add_(correct)
        self.steps += 1

    def drain(self) -> tuple[float, float, int]:
        """(loss sum, correct, count) as Python numbers (one transfer), and reset to zero."""
        # float32 (MPS has no float64); windows are short, so counts stay exact.
        loss, correct, count_t = torch.stack(
            [self.loss, self.correct.float(), self.count_t.float()]).tolist()
        count = self.count + int(count_t)
        self.loss.zero_()
        self.correct.zero_()
        self.count_t.zero_()
        self.count = 0
        self.steps = 0
        return loss, correct, count


@dataclass
class Totals:
    """Host-side sums over an epoch (float64), built from drained windows."""

    loss: float = 0.0
    correct: float = 0.0
    count: int = 0

    def add(self, loss: float, correct: float, count: int) -> None:
        self.loss += loss
        self.correct += correct
        self.count += count

    def mean_loss(self) -> float:
        return self.loss / self.count if self.count else float("nan")

    def accuracy(self, has_accuracy: bool) -> float | None:
        if not has_accuracy:
            return None
        return self.correct / self.count if self.count else float("nan")

    def to_dict(self) -> dict[str, float | int]:
        return {"loss": self.loss, "correct": self.correct, "count": self.count}

    @classmethod
    def from_dict(cls, d: dict[str, float | int] | None) -> Totals:
        d = d or {}
        return cls(float(d.get("loss", 0.0)), float(d.get("correct", 0.0)), int(d.get("count", 0)))
