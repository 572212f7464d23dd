"""Fine-tuning: start a training from trained weights (a run or a bundle), carried into a new
model by layer name and shape, and freeze layers so that only the rest trains.

``read_weights`` reads the weights a run or bundle holds, ``load_into`` puts the ones that fit
into a built model and says which layers loaded and which start fresh, and ``freeze`` keeps
layers out of training (no gradients, no optimizer state, BatchNorm statistics kept).
"""

from workbench.core.finetune.freeze import (
    FreezeHandle,
    freeze,
    freeze_until,
    frozen_parameter_count,
    head_layers,
    parametrised_layers,
    resolve_frozen,
)
from workbench.core.finetune.weights import (
    FineTuneError,
    InitialWeights,
    LoadReport,
    load_into,
    read_weights,
)

__all__ = ["FineTuneError", "FreezeHandle", "InitialWeights", "LoadReport", "freeze",
           "freeze_until", "frozen_parameter_count", "head_layers", "load_into",
           "parametrised_layers", "read_weights", "resolve_frozen"]
