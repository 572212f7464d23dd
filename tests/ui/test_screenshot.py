"""`workbench --screenshot FILE --screenshot-view VIEW`: the app trains, grabs the view and
exits cleanly. The training and evaluation pictures are made by real processes (exit code,
threads joined, nothing left behind; a tiny model on the built-in 8x8 digits keeps the runs
to a second or two); the mid-run grab is checked in process with a scripted trainer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from workbench.cli import build_parser

# 8x8 digits -> flatten -> dense 32 -> 10 classes: trains in well under a second
TINY_SPEC = {
    "format_version": 2,
    "name": "Tiny digits MLP",
    "nodes": [
        {"name": "input", "kind": "ImageInput",
         "params": {"channels": 1, "height": 8, "width": 8}},
        {"name": "flatten", "kind": "Flatten", "params": {}},
        {"name": "fc1", "kind": "Linear", "params": {"out_features": 32}},
        {"name": "relu", "kind": "ReLU", "params": {}},
        {"name": "head", "kind": "ClassificationHead", "params": {"classes": 10}},
    ],
    "edges": [{"src": a, "dst": b, "dst_port": "in"} for a, b in
              (("input", "flatten"), ("flatten", "fc1"), ("fc1", "relu"), ("relu", "head"))],
}


def _start(tmp_path: Path, view: str, size: str = "960x640") -> tuple[subprocess.Popen, Path]:
    folder = tmp_path / view
    folder.mkdir()
    spec = folder / "tiny.json"
    spec.write_text(json.dumps(TINY_SPEC))
    out = folder / f"{view}.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WORKBENCH_HOME=str(tmp_path / "home"),
               WORKBENCH_AUTOSAVE_DIR=str(folder / "autosave"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "--open", str(spec), "--screenshot", str(out),
         "--screenshot-view", view, "--screenshot-size", size],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, out


def _colours(path: Path) -> int:
    """How many distinct colours a coarse grid of the picture holds (a blank one: 1 or 2)."""
    image = QImage(str(path))
    assert not image.isNull()
    seen = {image.pixel(x, y) for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)}
    return len(seen)


def test_screenshots_of_training_and_evaluation_exit_cleanly(tmp_path):
    """Both at once (each process mostly waits for its imports)."""
    started = {view: _start(tmp_path, view) for view in ("training", "evaluation")}
    for view, (proc, out) in started.items():
        try:
            _, stderr = proc.communicate(timeout=300)
        finally:
            proc.kill()
        assert proc.returncode == 0, f"{view}: {stderr}"
        assert out.is_file() and out.stat().st_size > 5000
        image = QImage(str(out))
        assert (image.width(), image.height()) == (960, 640)
        assert _colours(out) > 50, f"the {view} picture looks blank"
        assert "Traceback" not in stderr and "QThread: Destroyed" not in stderr
    home = tmp_path / "home"  # the runs went to a private home, removed at exit
    assert not home.exists() or not any(home.iterdir())


def test_the_training_view_is_grabbed_mid_run_then_the_run_stops(qtbot, make_window, tmp_path,
                                                                 monkeypatch):
    """In process, with a scripted trainer reporting every step: the picture is taken once
    the curves have their points and two validation points, then the run is stopped and its
    thread joined before ``done(0)``."""
    from scripted import scripted_create_run

    from workbench.ui.screenshot import MIN_POINTS, Screenshooter
    from workbench.ui.training import install_training_ui

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    w = make_window("mlp")
    install_training_ui(w, runs_dir=tmp_path / "runs")
    ui = w.training_ui
    ui.controller.create_run = scripted_create_run(epochs=5, steps_per_epoch=50,
                                                   step_seconds=0.01)
    grabbed_at: list[int] = []
    monkeypatch.setattr("workbench.ui.screenshot.save_window",
                        lambda window, path: grabbed_at.append(len(ui.plots.train_loss.series))
                        or window.grab().save(path))
    codes: list[int] = []
    out = tmp_path / "training.png"
    shooter = Screenshooter(w, "training", str(out), codes.append, settle_ms=10,
                            size=(1000, 700))
    shooter.start()
    assert w.tabs.currentWidget() is ui.training_panel
    qtbot.waitUntil(lambda: bool(codes), timeout=20000)
    assert codes == [0] and out.is_file() and _colours(out) > 50
    assert not ui.controller.is_running and ui.controller.thread is None
    assert len(grabbed_at) == 1 and MIN_POINTS <= grabbed_at[0] < 250  # mid-run
    assert len(ui.plots.val_loss.series) >= 2
    assert "stopped" in ui.training_panel.progress_label.text()
    assert (w.width(), w.height()) == (1000, 700)


def test_screenshot_options_are_checked():
    args = build_parser().parse_args(["--screenshot", "x.png", "--screenshot-view", "runs",
                                      "--screenshot-size", "1600x1000"])
    assert args.screenshot_view == "runs" and args.screenshot_size == (1600, 1000)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--screenshot", "x.png", "--screenshot-view", "plots"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--screenshot", "x.png", "--screenshot-size", "big"])
    from workbench.cli import run

    assert run(["--screenshot-view", "training"]) == 2  # without --screenshot: one line, 2


@pytest.mark.slow
def test_a_screenshot_of_the_sweep_view_after_a_short_sweep(tmp_path):
    from workbench.cli import SCREENSHOT_VIEWS
    from workbench.ui.screenshot import VIEWS

    assert SCREENSHOT_VIEWS == VIEWS  # kept in step by hand (the CLI works without Qt)
    proc, out = _start(tmp_path, "sweep")
    try:
        _, stderr = proc.communicate(timeout=400)
    finally:
        proc.kill()
    assert proc.returncode == 0, stderr
    assert out.is_file() and _colours(out) > 50
    assert "Traceback" not in stderr and "QThread: Destroyed" not in stderr
