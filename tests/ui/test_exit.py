"""The app exits cleanly (status 0) after putting layers on the clipboard: Qt's offscreen
platform used to crash at exit (SIGSEGV) when the clipboard still owned our data."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QGuiApplication
from workbench.ui.app import create_application
app = create_application([])
mime = QMimeData()
mime.setData("application/x-workbench-nodes", b"{}")
QGuiApplication.clipboard().setMimeData(mime)
QTimer.singleShot(0, app.quit)
raise SystemExit(app.exec())
"""


def test_quitting_with_our_data_on_the_clipboard_exits_cleanly() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
