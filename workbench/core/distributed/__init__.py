"""Many devices: the same Trainer on N processes under torch.distributed's elastic launcher
(what ``torchrun`` is), data-parallel (DistributedDataParallel) or sharded (FSDP's
``fully_shard``).

``launch.run_distributed`` starts the workers from the CLI or the app and relays rank 0's
events back to the caller's callbacks; ``worker`` is what each process runs; ``context``
holds what a rank needs inside the Trainer (reductions, the agreed stop, model wrapping).
"""

from workbench.core.distributed.context import DistContext
from workbench.core.distributed.launch import DistributedRun, run_distributed

__all__ = ["DistContext", "DistributedRun", "run_distributed"]
