"""The loss and the accuracy counts for one batch, chosen once per run for the task.

Each objective maps ``(output, target)`` to ``(loss, correct, count)``: ``loss`` is the mean
to back-propagate, ``correct`` the number of right answers as a device tensor (None for
regression) and ``count`` how many answers were scored (samples, or non-padding tokens as a
device tensor). Nothing here leaves the device.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from workbench.core.engine.errors import TrainingError

Objective = Callable[[torch.Tensor, torch.Tensor],
                     tuple[torch.Tensor, torch.Tensor | None, int | torch.Tensor]]

PAD_INDEX = 0  # next-token targets of 0 (<pad>) mark positions with nothing to learn


def resolve_loss(loss: str, task: str) -> str:
    if loss == "auto":
        return "mse" if task == "regression" else "cross_entropy"
    if loss not in ("cross_entropy", "mse", "bce_with_logits"):
        raise TrainingError(f"Unknown loss '{loss}': choose auto, cross_entropy, mse or "
                            "bce_with_logits.")
    return loss


def _classes_correct(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if out.shape[-1] == 1:  # one logit for two classes (BCE): positive means class 1
        return ((out.squeeze(-1) > 0).long() == y).sum()
    return (out.argmax(-1) == y).sum()


def make_objective(task: str, loss: str, *, label_smoothing: float = 0.0) -> Objective:
    loss = resolve_loss(loss, task)
    ls = float(label_smoothing)

    if task == "next_token":
        if loss != "cross_entropy":
            raise TrainingError("Next-token prediction needs the cross-entropy loss.")

        def next_token(out: torch.Tensor, y: torch.Tensor):
            logits, target = out.reshape(-1, out.shape[-1]), y.reshape(-1)
            valid = target != PAD_INDEX
            count = valid.sum()
            # A sum over scored tokens divided by their number: a batch of padding only gives
            # 0, where the mean of nothing would be NaN and look like divergence.
            total = F.cross_entropy(logits, target, ignore_index=PAD_INDEX, reduction="sum",
                                    label_smoothing=ls)
            correct = ((logits.argmax(-1) == target) & valid).sum()
            return total / count.clamp_min(1), correct, count

        return next_token

    if task == "regression":
        if loss == "cross_entropy":
            raise TrainingError("Cross-entropy needs class labels: choose MSE for regression.")
        fn = F.mse_loss if loss == "mse" else F.binary_cross_entropy_with_logits

        def regression(out: torch.Tensor, y: torch.Tensor):
            return fn(out, y.reshape(out.shape).to(out.dtype)), None, y.shape[0]

        return regression

    if loss == "cross_entropy":
        def classify(out: torch.Tensor, y: torch.Tensor):
            return (F.cross_entropy(out, y, label_smoothing=ls), _classes_correct(out, y),
                    y.shape[0])

        return classify

    def one_hot_target(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        if out.shape[-1] == 1:
            t = y.to(out.dtype).unsqueeze(-1)
        else:
            t = F.one_hot(y, out.shape[-1]).to(out.dtype)
        return t * (1 - ls) + 0.5 * ls if ls else t

    fn = F.mse_loss if loss == "mse" else F.binary_cross_entropy_with_logits

    def classify_multi(out: torch.Tensor, y: torch.Tensor):
        return fn(out, one_hot_target(out, y)), _classes_correct(out, y), y.shape[0]

    return classify_multi
