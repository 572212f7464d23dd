"""Sharded data-parallel training (FSDP's ``fully_shard``): each Transformer block's weights,
gradients and optimizer state are split between the ranks and gathered for its forward and
backward only, so a model N times larger than one device's share fits on N devices.

Checkpoints stay one plain file: every rank takes part in gathering the full weights and
optimizer state (a collective), rank 0 writes them. Weights open anywhere (evaluation,
export, a single-process resume of the weights); the optimizer state of an FSDP checkpoint
is keyed by parameter name, so its exact resume is under FSDP again (any number of ranks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

if TYPE_CHECKING:
    from workbench.core.engine.trainer import Trainer

# the blocks sharded one by one (each gathered only while it runs)
BLOCKS: tuple[type[nn.Module], ...] = (nn.TransformerEncoderLayer, nn.TransformerDecoderLayer)


def shard_model(model: nn.Module, device: torch.device) -> nn.Module:
    """``fully_shard`` each Transformer block, then the rest of the model as one unit."""
    from torch.distributed.fsdp import fully_shard

    for module in list(model.modules()):
        if isinstance(module, BLOCKS):
            fully_shard(module)
    fully_shard(model)
    return model


def has_blocks(model: nn.Module) -> bool:
    return any(isinstance(m, BLOCKS) for m in model.modules())


class _Weights:
    """A state dict standing in for a module where ``checkpoint.save_checkpoint`` wants one."""

    def __init__(self, state: dict[str, torch.Tensor]) -> None:
        self._state = state

    def state_dict(self) -> dict[str, torch.Tensor]:
        return self._state


def _options() -> Any:
    from torch.distributed.checkpoint.state_dict import StateDictOptions

    return StateDictOptions(full_state_dict=True, cpu_offload=True)


def save_sharded(trainer: Trainer, which: Sequence[str]) -> None:
    """Gather (every rank), write once (rank 0): ``Trainer._save`` under FSDP."""
    from torch.distributed.checkpoint.state_dict import get_state_dict

    from workbench.core.engine import checkpoint as ckpt
    from workbench.core.engine.resume import training_state

    weights, optim = get_state_dict(trainer.model, trainer.optimizer, options=_options())
    if trainer.dist is None or not trainer.dist.is_main:
        return
    if trainer.run_dir is None:
        if "best" in which:
            trainer._best_memory = {k: v.detach().clone() for k, v in weights.items()}
        return
    state = training_state(trainer.progress, trainer.optimizer, trainer.scheduler,
                           trainer.scaler, trainer.total_steps, trainer.config)
    state["optimizer"] = optim
    state["sharded"] = True
    for w in which:
        ckpt.save_checkpoint(trainer._checkpoint_dir(w), _Weights(weights), state)  # type: ignore[arg-type]


def load_sharded(model: nn.Module, optimizer: torch.optim.Optimizer,
                 weights: dict[str, torch.Tensor], optim: dict[str, Any] | None) -> None:
    """Full weights (and an FSDP checkpoint's optimizer state) into the sharded model."""
    import torch.distributed as dist
    from torch.distributed.checkpoint.state_dict import (
        StateDictOptions,
        set_model_state_dict,
        set_optimizer_state_dict,
    )

    # rank 0's copy is scattered to the others (loading the full copy on every rank aborts
    # gloo in the optimizer's part)
    main = dist.get_rank() == 0
    options = StateDictOptions(full_state_dict=True, broadcast_from_rank0=True)
    set_model_state_dict(model, weights if main else {}, options=options)
    if optim is not None:
        set_optimizer_state_dict(model, optimizer, optim if main else {}, options=options)


def evaluation_model(trainer: Trainer) -> nn.Module:
    """A plain copy of the model on rank 0 for the test split (the sharded one would wait
    for the other ranks), with the best weights the checkpoint or memory holds."""
    from workbench.core.engine import checkpoint as ckpt
    from workbench.core.graph import build_model

    model = build_model(trainer.spec).to(trainer.device)
    best = trainer._checkpoint_dir("best")
    if best is not None and (best / ckpt.WEIGHTS).is_file():
        model.load_state_dict(ckpt.load_weights(best))
    elif trainer._best_memory is not None:
        model.load_state_dict(trainer._best_memory)
    return model
