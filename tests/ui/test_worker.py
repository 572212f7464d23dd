"""The QThread worker: batched events at a bounded rate, a final batch, stop/pause/resume,
readable failures, and no thread left running."""

from __future__ import annotations

import time

import pytest
from scripted import scripted_create_run

from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.events import EpochEnd, EvaluationDone, RunEnded, RunStarted, StepMetrics
from workbench.ui.threads import BackgroundTask
from workbench.ui.worker import TrainingController


@pytest.fixture
def make_controller(qtbot, tmp_path):
    made = []

    def make(**trainer_options):
        c = TrainingController(runs_dir=tmp_path, create_run=scripted_create_run(**trainer_options))
        made.append(c)
        return c

    yield make
    for c in made:  # a test must not leave a training thread behind
        thread = c.thread
        assert c.shutdown(10)
        assert not c.is_running
        assert thread is None or thread.isFinished()


def _collect(controller):
    batches = []
    controller.events.connect(lambda b: batches.append((time.perf_counter(), list(b))))
    return batches


def test_events_are_batched_at_a_bounded_rate_with_a_final_batch(qtbot, make_controller):
    c = make_controller(epochs=2, steps_per_epoch=400, step_seconds=0.001)
    batches = _collect(c)
    t0 = time.perf_counter()
    with qtbot.waitSignal(c.finished, timeout=20000) as done:
        c.start(None, "digits", TrainingConfig())
    seconds = time.perf_counter() - t0
    result = done.args[0]
    assert isinstance(result, RunEnded) and result.status == "finished"
    events = [e for _, b in batches for e in b]
    steps = [e for e in events if isinstance(e, StepMetrics)]
    assert len(steps) == 800 and [s.step for s in steps] == list(range(1, 801))  # all, in order
    assert isinstance(events[0], RunStarted)
    assert sum(isinstance(e, EpochEnd) for e in events) == 2
    assert sum(isinstance(e, EvaluationDone) for e in events) == 1
    # bounded: at most ~20 per second (+1 for the final batch, +1 for timer slack)
    assert len(batches) <= seconds * 20 + 2, (len(batches), seconds)
    assert len(batches) >= 2  # and really batched while running, not all at the end
    timed = batches[:-1]  # the final batch comes when the run ends, whatever the timer says
    gaps = [b - a for (a, _), (b, _) in zip(timed, timed[1:], strict=False)]
    assert min(gaps) > 0.02
    assert isinstance(batches[-1][1][-1], RunEnded)  # the final batch ends with RunEnded
    assert not c.is_running


def test_a_final_batch_is_emitted_even_for_a_quick_run(qtbot, make_controller):
    c = make_controller(epochs=1, steps_per_epoch=3, step_seconds=0)
    batches = _collect(c)
    with qtbot.waitSignal(c.finished, timeout=10000):
        worker = c.start(None, "digits", TrainingConfig())
    assert batches and isinstance(batches[-1][1][-1], RunEnded)
    assert worker.emitted_batches == len(batches)


def test_stop_midway_ends_the_run_as_stopped_and_joins_the_thread(qtbot, make_controller):
    c = make_controller(epochs=1, steps_per_epoch=100000, step_seconds=0.001)
    batches = _collect(c)
    c.start(None, "digits", TrainingConfig())
    qtbot.waitUntil(lambda: any(isinstance(e, StepMetrics) for _, b in batches for e in b),
                    timeout=10000)
    thread = c.thread
    with qtbot.waitSignal(c.finished, timeout=10000) as done:
        c.stop()
    assert done.args[0].status == "stopped"
    assert not c.is_running
    qtbot.waitUntil(thread.isFinished, timeout=5000)


def test_pause_and_resume(qtbot, make_controller):
    c = make_controller(epochs=1, steps_per_epoch=100000, step_seconds=0.001)
    batches = _collect(c)
    states = []
    c.paused_changed.connect(states.append)
    c.start(None, "digits", TrainingConfig())
    qtbot.waitUntil(lambda: len(batches) > 0, timeout=10000)
    c.pause()
    assert c.is_paused
    qtbot.wait(200)  # let the trainer reach its pause point and the buffer drain
    n = sum(len(b) for _, b in batches)
    qtbot.wait(300)
    assert sum(len(b) for _, b in batches) == n  # nothing while paused
    c.resume()
    qtbot.waitUntil(lambda: sum(len(b) for _, b in batches) > n, timeout=5000)
    assert states == [True, False]
    with qtbot.waitSignal(c.finished, timeout=10000) as done:
        c.stop()
    assert done.args[0].status == "stopped"


def test_stop_while_paused_ends_the_run(qtbot, make_controller):
    c = make_controller(epochs=1, steps_per_epoch=100000, step_seconds=0.001)
    batches = _collect(c)
    c.start(None, "digits", TrainingConfig())
    qtbot.waitUntil(lambda: len(batches) > 0, timeout=10000)
    c.pause()
    qtbot.wait(100)
    with qtbot.waitSignal(c.finished, timeout=10000) as done:
        c.stop()
    assert done.args[0].status == "stopped"


def test_failure_before_training_is_one_readable_line(qtbot, make_controller):
    c = make_controller()
    with qtbot.waitSignal(c.failed, timeout=10000) as failed:
        c.start(None, "broken", TrainingConfig())
    message = failed.args[0]
    assert "does not exist" in message and "Traceback" not in message
    assert not c.is_running


def test_shutdown_stops_a_running_run_and_delivers_the_end(qtbot, make_controller):
    c = make_controller(epochs=1, steps_per_epoch=100000, step_seconds=0.001)
    ended = []
    c.finished.connect(ended.append)
    c.start(None, "digits", TrainingConfig())
    qtbot.waitUntil(lambda: c.worker is not None and c.worker.run_dir is not None, timeout=10000)
    thread = c.thread
    assert c.shutdown(10)
    assert thread.isFinished() and not c.is_running
    assert ended and ended[0].status == "stopped"


def test_background_task_reports_progress_and_result(qtbot):
    def job(progress):
        progress(0.5, "half")
        return 42

    task = BackgroundTask(job)
    progress = []
    task.progress.connect(lambda f, t: progress.append((f, t)))
    with qtbot.waitSignal(task.done, timeout=5000) as done:
        task.start()
    assert done.args == [42]
    assert progress == [(0.5, "half")]
    assert task.thread.wait(2000)


def test_background_task_failure_is_a_message(qtbot):
    def job(progress):
        raise ValueError("no such file: x.csv")

    task = BackgroundTask(job)
    with qtbot.waitSignal(task.failed, timeout=5000) as failed:
        task.start()
    assert failed.args == ["no such file: x.csv"]
    assert task.thread.wait(2000)


def test_running_threads_lists_a_task_until_it_ends(qtbot) -> None:
    """What the autouse fixture relies on to fail tests that leave a thread running."""
    import threading

    from workbench.ui.threads import running_threads

    release = threading.Event()
    task = BackgroundTask(lambda progress: release.wait(10))
    with qtbot.waitSignal(task.done, timeout=10_000):
        task.start()
        assert [t.objectName() for t in running_threads()] == ["workbench-task"]
        release.set()
    assert task.wait()
    assert running_threads() == []


def test_several_processes_train_through_the_distributed_launcher(qtbot, tmp_path, monkeypatch):
    """nproc > 1 (the Training form's Processes / GPUs): the checked run's folder goes to
    DistributedRun with the worker's callbacks, and its RunEnded is the result."""
    import workbench.core.distributed as distributed
    from workbench.ui.worker import TrainingWorker

    config = TrainingConfig(nproc=2, batch_size=32)
    made = {}

    class FakeRun:
        def __init__(self, run_dir, nproc, *, callbacks=(), store_path=None):
            made.update(run_dir=run_dir, nproc=nproc, callbacks=list(callbacks))

        def fit(self, resume=False):
            return RunEnded("finished", "", 1, 10, 1.0)

        def request_stop(self):
            pass

    class Checked:  # the Trainer create_run made (checks only; its model is let go)
        def __init__(self):
            self.config, self.callbacks, self.data = config, [], None

    monkeypatch.setattr(distributed, "DistributedRun", FakeRun)
    worker = TrainingWorker(None, "digits", config, data=object(),
                            create_run=lambda *a, **k: (Checked(), tmp_path))
    worker._run()
    assert made["run_dir"] == tmp_path and made["nproc"] == 2
    assert worker.buffer in made["callbacks"]  # rank 0's events reach the live plots
    assert worker.result.status == "finished"


def test_the_training_form_has_the_distributed_settings(qtbot):
    from workbench.core.engine.config import TrainingConfig as Config
    from workbench.core.engine.settings import settings_of

    names = {s.name: s for s in settings_of(Config)}
    assert names["nproc"].group == names["sharding"].group == "Hardware"
    assert names["sharding"].choices == ("none", "fsdp")
