"""The Trainer's frozen layers (fine-tuning): the optimizer's param groups (the head apart
when it learns faster), what the start of training says about them, gradual unfreezing."""

from __future__ import annotations

import torch
from torch import nn

from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.optim import Scheduler, add_group
from workbench.core.finetune import FreezeHandle, LoadReport, head_layers, parametrised_layers


class FrozenLayers:
    """Part of the Trainer (its attributes are set up in ``Trainer.__init__``)."""

    config: TrainingConfig
    model: nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: Scheduler | None
    load_report: LoadReport | None
    _frozen: FreezeHandle
    _params: list[nn.Parameter]

    def _param_groups(self, order: list[str]) -> list[dict]:
        """The body's trainable parameters, and the head's apart when it learns faster."""
        if self.config.head_lr_multiplier == 1.0:
            return [{"params": self._params}]
        head = set(head_layers(order, parametrised_layers(self.model)))
        layers = dict(self.model.named_children())
        head_ids = {id(p) for n in head for p in layers[n].parameters()}
        body = [p for p in self._params if id(p) not in head_ids]
        heads = [p for p in self._params if id(p) in head_ids]
        return [{"params": body}, {"params": heads,
                                   "lr_scale": self.config.head_lr_multiplier}]

    @property
    def frozen_layers(self) -> list[str]:
        """The layers frozen now (empty after gradual unfreezing)."""
        return list(self._frozen.layers)

    def start_notes(self) -> list[str]:
        """What the start of training says about fine-tuning: loaded, fresh, frozen layers."""
        out = self.load_report.lines() if self.load_report is not None else []
        if self._frozen.layers:
            after = self.config.unfreeze_after
            out.append(f"Frozen: {', '.join(self._frozen.layers)} ({self._frozen.count:,} "
                       "parameters)" + (f", until epoch {after}" if after else ""))
        return out

    def _unfreeze(self) -> None:
        """Gradual unfreezing: the frozen layers join the optimizer at the body's rate."""
        released = self._frozen.release()
        if released:
            add_group(self.optimizer, self.scheduler, released)
            self._params.extend(released)

    def _unfreeze_due(self, epoch: int) -> bool:
        after = self.config.unfreeze_after
        return bool(self._frozen.parameters) and after > 0 and epoch >= after
