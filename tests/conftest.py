"""Test-wide set-up: Qt renders offscreen, and user folders point into a temp dir."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _share_the_cores() -> None:
    """Under pytest-xdist each worker gets its share of the cores for torch's threads (and
    the processes tests start inherit it): N workers with N threads each on N cores spent
    their time switching."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers > 1:
        threads = str(max(1, (os.cpu_count() or 1) // workers))
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, threads)
        import torch

        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))


_share_the_cores()

SHARED_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Never write runs, autosaves or downloads into the real user folders."""
    home = tmp_path_factory.mktemp("wbhome")
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(home / "datasets"))
    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(home / "autosave"))
    yield home


@pytest.fixture(autouse=True)
def _collect_between_tests():
    """Python's cycle collector runs only between tests, on the main thread. Left to run at
    any allocation, it once collected an earlier test's Qt wrappers while an export worker
    thread was running and PySide crashed (a segfault in "Garbage-collecting",
    test_export_dialog_layout, 1 in ~1,100 tests): garbage of other tests, not of the app's
    own flow."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
