"""What the desktop build (PyInstaller, sys.frozen) cannot do says so up front."""

from __future__ import annotations

import sys

import pytest
from test_engine_toys import fast, features_data, mlp

from workbench.core.engine import Trainer, TrainingError


def test_compile_in_the_desktop_build_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    with pytest.raises(TrainingError, match="torch.compile is not available in the desktop"):
        Trainer(mlp(), features_data(), fast(compile=True))
    Trainer(mlp(), features_data(), fast(compile=False))  # everything else works
