"""Freezing layers: their parameters get ``requires_grad=False`` (so they get no gradients
and the trainer gives them to no optimizer), and their BatchNorm layers stay in eval mode
whatever ``model.train()`` says, so their running statistics do not move either."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm
from torch.utils.hooks import RemovableHandle

from workbench.core.finetune.weights import FineTuneError


def parametrised_layers(model: nn.Module) -> list[str]:
    """The layers (top-level modules) that have parameters, in model order."""
    return [n for n, m in model.named_children() if any(True for _ in m.parameters())]


def _unknown(name: str, known: Sequence[str]) -> FineTuneError:
    return FineTuneError(f"there is no layer '{name}' to freeze in this model (its layers: "
                         f"{', '.join(known[:12])}{'...' if len(known) > 12 else ''})")


def freeze_until(order: Sequence[str], name: str) -> list[str]:
    """Every layer up to and including ``name`` in topological ``order``."""
    if name not in order:
        raise _unknown(name, order)
    return list(order[: list(order).index(name) + 1])


def resolve_frozen(order: Sequence[str], names: Iterable[str] = (),
                   until: str | None = None) -> list[str]:
    """The layers a ``--freeze A,B`` / ``--freeze-until C`` asks for, in ``order``;
    FineTuneError for a name that is not a layer."""
    wanted = set(freeze_until(order, until)) if until else set()
    for n in names:
        n = n.strip()
        if not n:
            continue
        if n not in order:
            raise _unknown(n, order)
        wanted.add(n)
    return [n for n in order if n in wanted]


def head_layers(order: Sequence[str], with_params: Iterable[str]) -> list[str]:
    """The head: the last layer with parameters (the classifier), by topological order."""
    have = set(with_params)
    for n in reversed(order):
        if n in have:
            return [n]
    return []


def frozen_parameter_count(model: nn.Module, names: Iterable[str]) -> int:
    layers = dict(model.named_children())
    return sum(p.numel() for n in set(names) if n in layers for p in layers[n].parameters())


def _keep_eval(module: nn.Module, args: object) -> None:
    module.training = False  # a frozen BatchNorm normalizes with its stored statistics


@dataclass
class FreezeHandle:
    """What ``freeze`` did; ``release()`` makes the layers train again (gradual unfreezing)."""

    layers: list[str]
    parameters: list[nn.Parameter]
    _hooks: list[RemovableHandle] = field(default_factory=list)
    _norms: list[nn.Module] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(p.numel() for p in self.parameters)

    def release(self) -> list[nn.Parameter]:
        """Unfreeze; returns the parameters that train from now on."""
        for h in self._hooks:
            h.remove()
        for m in self._norms:
            m.training = True  # the next model.train()/eval() sets it as for any layer
        for p in self.parameters:
            p.requires_grad_(True)
        released, self.parameters, self._hooks, self._norms = self.parameters, [], [], []
        self.layers = []
        return released


def freeze(model: nn.Module, names: Iterable[str]) -> FreezeHandle:
    """Freeze the named layers of a built model in place."""
    layers = dict(model.named_children())
    # layers with no weights and no statistics (ReLU, pooling) have nothing to freeze
    chosen = [n for n in dict.fromkeys(names) if n in layers and layers[n].state_dict()]
    handle = FreezeHandle(chosen, [])
    for n in chosen:
        for p in layers[n].parameters():
            p.requires_grad_(False)
            handle.parameters.append(p)
        for m in layers[n].modules():
            if isinstance(m, _BatchNorm):
                m.eval()
                handle._norms.append(m)
                handle._hooks.append(m.register_forward_pre_hook(_keep_eval))
    return handle
