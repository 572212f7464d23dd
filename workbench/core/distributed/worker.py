"""What each process runs: ``python -m workbench.core.distributed.worker RUN_DIR [--resume]``,
started by the elastic launcher, which sets RANK, WORLD_SIZE, LOCAL_RANK and the rendezvous
address. It opens the run folder the launcher prepared, joins the process group (gloo on the
CPU, nccl on GPUs) and trains its share; rank 0 records the run and relays its events.

Exit status 0 when the run ended by itself or was stopped, 1 when it failed: the launcher
then ends the other ranks (a failed rank must not leave them waiting in a collective).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

import torch
import torch.distributed as dist

# a collective that waits longer than this means a rank is gone: fail instead of hanging
COLLECTIVE_TIMEOUT = timedelta(seconds=float(os.environ.get("WORKBENCH_DIST_TIMEOUT", "120")))


def device_for(config_device: str, local_rank: int) -> torch.device:
    """One GPU per rank where there are GPUs (and the device is not set to the CPU)."""
    if config_device in ("auto", "cuda") and torch.cuda.is_available():
        return torch.device("cuda", local_rank % torch.cuda.device_count())
    if config_device.startswith("cuda:"):  # a chosen GPU: the ranks count up from it
        first = int(config_device.split(":", 1)[1])
        return torch.device("cuda", (first + local_rank) % torch.cuda.device_count())
    return torch.device("cpu")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workbench-worker")
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--store", type=Path, help="the run history database")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="rank %(rank)s: %(message)s")
    rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    local_rank = int(os.environ.get("LOCAL_RANK", rank))
    _log_rank(rank)
    logging.getLogger("workbench").addFilter(_PeerGone())
    if args.threads:
        torch.set_num_threads(args.threads)

    from workbench.core.distributed.context import DistContext
    from workbench.core.distributed.relay import EVENTS_FILE, EventWriter
    from workbench.core.engine import Trainer
    from workbench.core.runs import RunRecord, RunRecorder, RunStore, load_run_data, open_run

    store = RunStore(args.store) if args.store else RunStore()
    run = open_run(args.run_dir, store)
    config = run.config
    device = device_for(config.device, local_rank)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo",
                            timeout=COLLECTIVE_TIMEOUT)
    ctx = DistContext(rank, world, local_rank, device, sharding=config.sharding,
                      run_dir=run.run_dir)
    # Ctrl+C reaches every process of the terminal: ask for the agreed stop, not an abort
    signal.signal(signal.SIGINT, lambda *_: ctx.stop_wish.set())
    callbacks = []
    if ctx.is_main:
        record = run.record or RunRecord.from_dict({**run.info, "run_dir": run.run_dir})
        record.run_dir = run.run_dir
        callbacks = [RunRecorder(run.run_dir, store, record),
                     EventWriter(run.run_dir / EVENTS_FILE)]
    data = load_run_data(run)
    initial, frozen = _fine_tuning(run.run_dir, resume=bool(args.resume))
    trainer = Trainer(run.spec, data, config, run_dir=run.run_dir, callbacks=callbacks,
                      initial=initial, frozen=frozen, dist=ctx)
    ended = trainer.fit(resume=args.resume)
    store.close()
    if ended.status == "failed":
        print(f"rank {rank}: {ended.reason}", file=sys.stderr, flush=True)
        return 1  # the launcher ends the others
    try:
        dist.destroy_process_group()
    except Exception:  # noqa: BLE001 - ending anyway
        pass
    return 0


def _fine_tuning(run_dir, resume: bool):
    """Every rank starts from the run's start weights (its finetune.json names them; a
    resumed run has them in its checkpoint) and freezes the same layers."""
    from workbench.core.finetune import read_weights
    from workbench.core.runs.folders import read_finetune

    d = read_finetune(run_dir) or {}
    initial = read_weights(d["init_from"]) if d.get("init_from") and not resume else None
    if initial is not None:  # layers renamed on the canvas since: their weights follow
        initial.apply_renames(dict(d.get("renamed") or {}))
    return initial, list(d.get("frozen_layers") or [])


class _PeerGone(logging.Filter):
    """A rank whose peer died fails in its next collective; the launcher says which rank
    died, so that failure's traceback is left out (the one-line reason stays)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (exc is not None and any(w in str(exc) for w in (
            "Connection reset", "Connection closed", "Broken pipe", "NCCL communicator")))


def _log_rank(rank: int) -> None:
    old = logging.getLogRecordFactory()

    def factory(*a, **k):  # type: ignore[no-untyped-def]
        r = old(*a, **k)
        r.rank = rank
        return r

    logging.setLogRecordFactory(factory)


if __name__ == "__main__":
    sys.exit(main())
