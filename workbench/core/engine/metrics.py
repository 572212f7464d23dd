"""Running sums of loss and right answers kept on the device: adding to them queues work
without waiting for it, and reading them is the only point that synchronizes."""

from __future__ import annotations

from dataclasses import dataclass

import torch


class DeviceSums:
    """Loss x count, right answers and count since ``reset``, accumulated on the device.

    Cumulative on purpose: reading whenever the clock says so must not change the sums, or
    the same seed would give different epoch losses depending on the machine's speed.
    float64 where the device has it (not MPS), so long epochs lose no precision.
    """

    def __init__(self, device: torch.device) -> None:
        self.dtype = torch.float32 if device.type == "mps" else torch.float64
        self.loss = torch.zeros((), dtype=self.dtype, device=device)
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

    def read(self) -> tuple[float, float, int]:
        """(loss sum, correct, count) as Python numbers: one transfer, the only sync."""
        loss, correct, count_t = torch.stack(
            [self.loss, self.correct.to(self.dtype), self.count_t.to(self.dtype)]).tolist()
        return loss, correct, self.count + int(count_t)

    def reset(self) -> None:
        self.loss.zero_()
        self.correct.zero_()
        self.count_t.zero_()
        self.count = self.steps = 0


@dataclass
class Totals:
    """Host-side sums over (part of) an epoch."""

    loss: float = 0.0
    correct: float = 0.0
    count: int = 0

    def plus(self, loss: float, correct: float, count: int) -> Totals:
        return Totals(self.loss + loss, self.correct + correct, self.count + count)

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
