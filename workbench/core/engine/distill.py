"""Knowledge distillation as a training objective: the student learns from the labels and
from a teacher's softened outputs (Hinton et al., 2015). The teacher runs in eval mode under
``torch.no_grad`` with its parameters frozen, so no gradient ever reaches it.

The trainer uses this for its training steps only: validation and the test keep the plain
task loss, so a distilled run's figures compare with any other run's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from workbench.core.engine.errors import TrainingError
from workbench.core.engine.loop import StepResult, under_autocast
from workbench.core.engine.objective import Objective


@dataclass
class Teacher:
    """A trained model to distil from, with the KD loss's temperature and the weight
    ``alpha`` of its soft term (1 - alpha goes to the labels' loss)."""

    module: nn.Module
    temperature: float = 4.0
    alpha: float = 0.7

    def check(self) -> None:
        if not self.temperature > 0:
            raise TrainingError(f"The distillation temperature must be above 0, not "
                                f"{self.temperature}.")
        if not 0.0 <= self.alpha <= 1.0:
            raise TrainingError(f"The distillation alpha must be between 0 and 1, not "
                                f"{self.alpha}.")


class DistillObjective:
    """``(student_out, target, teacher_out) -> (loss, correct, count)``: alpha * T^2 *
    KL(teacher_T || student_T) + (1 - alpha) * the task loss. Both parts are summed on the
    device; ``read_parts`` returns their means since the last read (one sync)."""

    def __init__(self, base: Objective, temperature: float, alpha: float,
                 device: torch.device) -> None:
        self.base, self.t, self.alpha = base, float(temperature), float(alpha)
        self._sums = torch.zeros(3, device=device)  # task loss, KD loss, steps

    def __call__(self, out: torch.Tensor, y: torch.Tensor, teacher_out: torch.Tensor
                 ) -> StepResult:
        hard, correct, count = self.base(out, y)
        t = self.t
        soft = F.kl_div(F.log_softmax(out.float() / t, -1),
                        F.log_softmax(teacher_out.float() / t, -1),
                        reduction="batchmean", log_target=True) * (t * t)
        loss = self.alpha * soft + (1.0 - self.alpha) * hard
        with torch.no_grad():
            self._sums += torch.stack([hard.detach().float(), soft.detach(),
                                       torch.ones((), device=soft.device)])
        return loss, correct, count

    def read_parts(self) -> dict[str, float] | None:
        hard, soft, n = self._sums.tolist()
        self._sums.zero_()
        if not n:
            return None
        return {"task_loss": hard / n, "kd_loss": soft / n}


def prepare_teacher(teacher: Teacher, device: torch.device) -> nn.Module:
    """The teacher on ``device``, in eval mode, its parameters frozen."""
    teacher.check()
    module = teacher.module.to(device).eval()
    for p in module.parameters():
        p.requires_grad_(False)
    return module


def make_distill_forward(forward: Callable[[torch.Tensor], torch.Tensor], teacher: nn.Module,
                         objective: DistillObjective, amp: torch.autocast | None,
                         channels_last: bool
                         ) -> Callable[[torch.Tensor, torch.Tensor], StepResult]:
    def plain(xb: torch.Tensor, yb: torch.Tensor) -> StepResult:
        if channels_last and xb.dim() == 4:
            xb = xb.contiguous(memory_format=torch.channels_last)
        with torch.no_grad():
            teacher_out = teacher(xb)
        return objective(forward(xb), yb, teacher_out)

    return under_autocast(plain, amp)
