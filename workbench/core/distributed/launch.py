"""Starting N processes on this machine under torch.distributed's elastic launcher (the
API behind ``torchrun --standalone``) and following them from the CLI or the app.

The launcher runs in a thread; the caller's thread reads rank 0's relayed events and hands
them to its callbacks. A rank that dies (a crash, the OOM killer) makes the elastic agent end
the others at once (no restarts); the run then ends "failed" with which rank died and how.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from workbench.core.distributed.context import STOP_FILE
from workbench.core.distributed.relay import EVENTS_FILE, EventReader
from workbench.core.engine.events import Callback, Event, RunEnded, dispatch

POLL_SECONDS = 0.1


def _how(failure: object) -> str:
    code = getattr(failure, "exitcode", None)
    if isinstance(code, int) and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def _first_failure(error: BaseException) -> tuple[int, object] | None:
    """The rank that failed first (the cause; the agent then ended the others)."""
    failures = getattr(error, "failures", None) or {}
    if not failures:
        return None
    try:
        return error.get_first_failure()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return min(failures.items())


def _failure_text(error: BaseException, nproc: int, last: RunEnded | None) -> str:
    """Why the run ended: rank 0's own reason when it failed by itself (exit status 1),
    else "process 1 of 2 died (killed by SIGKILL) ...": which rank ended the run and how."""
    first = _first_failure(error)
    if first is None:
        return f"the processes ended with an error: {type(error).__name__}: {error}"
    rank, failure = first
    where = ""
    if last is not None:
        where = f" after step {last.steps_done}"
    if rank == 0 and getattr(failure, "exitcode", None) == 1 and last is not None \
            and last.status == "failed" and "Connection" not in last.reason:
        return last.reason
    return (f"process {rank} of {nproc} died ({_how(failure)}){where}; the other processes "
            "were stopped. The last checkpoint is kept: --resume continues from it")


class DistributedRun:
    """``DistributedRun(run_dir, nproc, callbacks=[...]).fit()`` trains the prepared run
    folder on ``nproc`` processes and returns rank 0's RunEnded (or one saying which process
    died). ``request_stop`` may be called from any thread."""

    def __init__(self, run_dir: Path, nproc: int, *, callbacks: Sequence[Callback] = (),
                 store_path: Path | None = None, threads: int | None = None) -> None:
        self.run_dir, self.nproc = Path(run_dir), int(nproc)
        self.callbacks = list(callbacks)
        self.store_path = store_path
        # the CPU's cores shared out, so N processes do not each start as many threads
        self.threads = threads or max(1, (os.cpu_count() or 1) // self.nproc)
        self._error: BaseException | None = None

    def request_stop(self) -> None:
        (self.run_dir / STOP_FILE).touch()

    def request_pause(self) -> None:  # not across processes: a paused rank stalls the others
        pass

    def request_resume(self) -> None:
        pass

    def _launch(self, resume: bool) -> None:
        from torch.distributed.launcher.api import LaunchConfig, elastic_launch

        config = LaunchConfig(
            min_nodes=1, max_nodes=1, nproc_per_node=self.nproc, run_id=str(uuid.uuid4()),
            rdzv_backend="c10d", rdzv_endpoint="localhost:0", max_restarts=0,
            monitor_interval=0.2, start_method="spawn",
            # SIGINT is the workers' to handle (an agreed stop), not a reason to kill them
            signals_to_handle="SIGTERM,SIGHUP,SIGQUIT")
        args = ["-m", "workbench.core.distributed.worker", str(self.run_dir),
                "--threads", str(self.threads)]
        if resume:
            args.append("--resume")
        if self.store_path is not None:
            args += ["--store", str(self.store_path)]
        quiet = logging.getLogger("torch.distributed")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)  # the agent's own chatter; failures are said below
        try:
            elastic_launch(config, sys.executable)(*args)
        except BaseException as e:  # noqa: BLE001 - reported by fit()
            self._error = e
        finally:
            quiet.setLevel(level)

    def fit(self, resume: bool = False) -> RunEnded:
        (self.run_dir / STOP_FILE).unlink(missing_ok=True)
        reader = EventReader(self.run_dir / EVENTS_FILE)
        thread = threading.Thread(target=self._launch, args=(resume,), daemon=True,
                                  name="workbench-launcher")
        t0 = time.monotonic()
        thread.start()
        ended: RunEnded | None = None
        while True:
            alive = thread.is_alive()
            for event in reader.read():
                if isinstance(event, RunEnded):  # said once all processes have ended
                    ended = event
                else:
                    self._emit(event)
            if not alive:
                break
            thread.join(POLL_SECONDS)
        (self.run_dir / STOP_FILE).unlink(missing_ok=True)
        if self._error is not None:
            ended = self._failed(_failure_text(self._error, self.nproc, ended), ended,
                                 time.monotonic() - t0)
        elif ended is None:
            ended = self._failed("the processes ended without a result", None,
                                 time.monotonic() - t0)
        else:
            self._emit(ended)
        return ended

    def _failed(self, reason: str, last: RunEnded | None, seconds: float) -> RunEnded:
        """A RunEnded for a run whose ranks did not all end well, recorded in the history
        (rank 0 may have been the one that died, before it could record anything)."""
        ended = RunEnded("failed", reason, last.epochs_done if last else 0,
                         last.steps_done if last else 0, seconds)
        try:
            _record_failure(self.run_dir, reason, self.store_path)
        except Exception:  # noqa: BLE001 - the message still reaches the caller
            logging.getLogger(__name__).exception("could not record the failure")
        self._emit(ended)
        return ended

    def _emit(self, event: Event) -> None:
        for cb in self.callbacks:
            try:
                dispatch([cb], event)
            except Exception:  # a broken display must not end the run
                logging.getLogger(__name__).exception("callback failed")


def _record_failure(run_dir: Path, reason: str, store_path: Path | None) -> None:
    import json

    from workbench.core.runs import RunStore
    from workbench.core.runs.recorder import write_json

    info_path = run_dir / "run.json"
    info = json.loads(info_path.read_text())
    info.update(status="failed", reason=reason)
    write_json(info_path, info)
    if info.get("id"):
        with RunStore(store_path) as store:
            if store.find(info["id"]) is not None:
                store.update(info["id"], status="failed", reason=reason)


def run_distributed(run_dir: Path, nproc: int, *, callbacks: Sequence[Callback] = (),
                    resume: bool = False, store_path: Path | None = None) -> RunEnded:
    return DistributedRun(run_dir, nproc, callbacks=callbacks, store_path=store_path
                          ).fit(resume=resume)
