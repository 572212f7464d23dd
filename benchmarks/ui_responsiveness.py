"""How responsive the window stays while a model trains in its QThread.

Runs the real main window (offscreen unless a display is set), trains the 28x28 CNN
(template cnn_mnist) on digits28 at full speed with the live plots on screen, and measures
how late a 10 ms QTimer heartbeat fires on the GUI thread (lateness = interval - 10 ms).
Prints the median, 99th percentile and maximum lateness (targets: p99 < 20 ms, max < 50 ms),
the same while idle for reference, and the startup time from process start to a shown
window.

    uv run python benchmarks/ui_responsiveness.py [--epochs 10] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

T_IMPORT = time.perf_counter()

from workbench.process_age import process_age  # noqa: E402 - after the clock starts

AGE_AT_IMPORT = process_age()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def summary(name: str, lateness_ms: list[float]) -> str:
    if not lateness_ms:
        return f"{name}: no heartbeats"
    med = percentile(lateness_ms, 50)
    p99 = percentile(lateness_ms, 99)
    return (f"{name}: {len(lateness_ms)} beats, lateness median {med:.2f} ms, "
            f"p99 {p99:.2f} ms, max {max(lateness_ms):.2f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--template", default="cnn_mnist")
    ap.add_argument("--data", default="digits28")
    ap.add_argument("--idle-seconds", type=float, default=2.0)
    ap.add_argument("--trace", action="store_true",
                    help="print each heartbeat later than 25 ms with the last event batch")
    args = ap.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("WORKBENCH_HOME", tempfile.mkdtemp(prefix="wb-bench-"))
    os.environ.setdefault("WORKBENCH_AUTOSAVE_DIR", tempfile.mkdtemp(prefix="wb-bench-"))

    from PySide6.QtCore import QElapsedTimer, Qt, QTimer

    from workbench.ui.app import create_application
    from workbench.ui.main_window import MainWindow

    app = create_application([sys.argv[0]])
    window = MainWindow(build_panels=False, remember=False)
    window.resize(1500, 950)
    window.show()
    app.processEvents()
    age_shown = process_age()
    t_shown = time.perf_counter()

    from workbench.core.engine.events import RunEnded, RunStarted
    from workbench.core.templates import load_template
    from workbench.ui.training import install_training_ui

    window.open_spec(load_template(args.template), None, template=args.template)
    app.processEvents()
    t_model = time.perf_counter()
    install_training_ui(window)
    app.processEvents()
    t_ready = time.perf_counter()
    ui = window.training_ui
    tp = ui.training_panel
    tp.show_dialogs = False
    tp.epochs.setValue(args.epochs)
    tp.batch_size.setValue(args.batch_size)
    ui.data_panel.set_source(args.data)
    window.tabs.setCurrentWidget(tp)  # the live plots are on screen while it trains

    beats: list[float] = []
    phase = {"name": "idle", "t0": 0.0}
    lateness: dict[str, list[float]] = {"idle": [], "preparing": [], "training": [], "after": []}
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def beat() -> None:
        now = clock.nsecsElapsed()
        late = (now - last[0]) / 1e6 - 10.0
        last[0] = now
        beats.append(late)
        lateness[phase["name"]].append(max(0.0, late))
        if late > 25 and phase["name"] == "training":
            worst.append((late, time.perf_counter() - phase["t0"], last_batch[0]))

    heart = QTimer()
    heart.setTimerType(Qt.TimerType.PreciseTimer)
    heart.setInterval(10)
    heart.timeout.connect(beat)
    counts = {"batches": 0, "events": 0, "steps": 0}
    worst: list[tuple[float, float, str]] = []
    last_batch = [""]
    result: dict[str, object] = {}

    def on_events(batch: list) -> None:
        counts["batches"] += 1
        counts["events"] += len(batch)
        last_batch[0] = ", ".join(sorted({type(e).__name__ for e in batch}))
        for e in batch:
            if isinstance(e, RunStarted):
                phase["name"] = "training"
                phase["t0"] = time.perf_counter()
                counts["steps_total"] = e.total_steps
            elif isinstance(e, RunEnded):
                phase["name"] = "after"
                result["train_seconds"] = time.perf_counter() - phase["t0"]

    ui.controller.events.connect(on_events)

    def finished(r) -> None:
        result["ended"] = r
        QTimer.singleShot(500, app.quit)

    def failed(message: str) -> None:
        result["failed"] = message
        app.quit()

    ui.controller.finished.connect(finished)
    ui.controller.failed.connect(failed)

    def start() -> None:
        phase["name"] = "preparing"
        ui.start_training()

    heart.start()
    QTimer.singleShot(int(args.idle_seconds * 1000), start)
    app.exec()
    heart.stop()
    ui.shutdown()

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"Workbench UI responsiveness: {args.template} on {args.data}, {args.epochs} epoch(s), "
          f"batch {args.batch_size}, platform {app.platformName()}, "
          f"{os.cpu_count()} CPU core(s), load average {load[0]:.1f}")
    if age_shown is not None:
        print(f"startup: window shown {age_shown:.2f} s after the process started "
              f"(interpreter start to imports done {AGE_AT_IMPORT:.2f} s)")
    print(f"startup: model on the canvas {t_model - t_shown:.2f} s after the window was shown "
          f"(importing PyTorch; app.py does this in a thread), training tabs installed in "
          f"{t_ready - t_model:.2f} s")
    if "failed" in result:
        print(f"the run could not start: {result['failed']}")
        return 1
    ended = result.get("ended")
    if ended is not None:
        print(f"run: {ended.status} {ended.reason} after {ended.steps_done} steps, "
              f"{ended.seconds:.1f} s of training; {counts['batches']} event batches "
              f"({counts['events']} events)")
    for name in ("idle", "preparing", "training"):
        print(summary(f"heartbeat {name:9s}", lateness[name]))
    if args.trace:
        for late, at, batch in worst:
            print(f"  late {late:6.1f} ms at {at:6.2f} s, after a batch of {batch}")
    train = lateness["training"]
    ok = train and percentile(train, 99) < 20 and max(train) < 50
    print("target (training: p99 < 20 ms, max < 50 ms): " + ("met" if ok else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
