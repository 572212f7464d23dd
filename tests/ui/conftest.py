"""UI test set-up: Qt renders offscreen, settings and autosaves go to a temp folder, modal
questions are answered by a stand-in, and Qt warnings fail the test that caused them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings, QtMsgType  # noqa: E402

# messages the offscreen platform prints whatever the app does
BENIGN_QT_MESSAGES = (
    "This plugin does not support",
    "propagateSizeHints",
    "QFont::setPointSizeF",
    "Populating font family aliases",
    "OpenType support missing",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "qt_warnings_ok: Qt warnings do not fail this test")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """QSettings (window state, recent files) and autosaves live in this test's temp dir."""
    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName("WorkbenchTests")
        QCoreApplication.setApplicationName("WorkbenchTests")
    yield


@pytest.fixture(autouse=True)
def _empty_clipboard(qapp):
    """Tests never quit the app, so empty the clipboard as quitting would (see
    release_offscreen_clipboard: otherwise the offscreen platform crashes at exit)."""
    yield
    from workbench.ui.app import release_offscreen_clipboard

    release_offscreen_clipboard()


@pytest.fixture(autouse=True)
def _no_thread_left_running(qapp):
    """A test that leaves a training or background thread running fails (after a short grace
    for threads that are already on their way out)."""
    yield
    import time

    from workbench.ui.threads import running_threads

    deadline = time.monotonic() + 2.0
    while running_threads() and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.01)
    left = [t.objectName() for t in running_threads()]
    for t in running_threads():  # do not let it spill into the next test
        t.quit()
        t.wait(10_000)
    if left:
        pytest.fail(f"the test left threads running: {', '.join(left)}", pytrace=False)


@pytest.fixture(autouse=True)
def _qt_warnings_fail(request: pytest.FixtureRequest, qtlog):
    yield
    if request.node.get_closest_marker("qt_warnings_ok"):
        return
    bad = [r.message for r in qtlog.records
           if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
           and not any(b in r.message for b in BENIGN_QT_MESSAGES)]
    if bad:
        pytest.fail("Qt warned during the test:\n" + "\n".join(bad[:10]), pytrace=False)


class FakePrompts:
    """Answers the main window's questions without dialogs, and records what was asked."""

    def __init__(self) -> None:
        self.unsaved_answer = "discard"
        self.restore_answer = True
        self.open_answer: str | None = None
        self.save_answer: str | None = None
        self.template_answer: str | None = "cnn_mnist"
        self.export_answer: str | None = None
        self.properties_answer: tuple[str, str] | None = None
        self.overwrite_answer = True
        self.asked: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def unsaved_changes(self, name: str) -> str:
        self.asked.append(f"unsaved:{name}")
        return self.unsaved_answer

    def restore_recovery(self, name: str, recovery: Path) -> bool:
        self.asked.append(f"restore:{name}")
        return self.restore_answer

    def open_path(self, folder: str = "") -> str | None:
        self.asked.append("open")
        return self.open_answer

    def save_path(self, suggestion: str) -> str | None:
        self.asked.append("save_as")
        return self.save_answer

    def export_path(self, suggestion: str, title: str, file_filter: str,
                    suffix: str) -> str | None:
        self.asked.append(f"export:{title}")
        return self.export_answer

    def confirm_overwrite(self, path: str) -> bool:
        self.asked.append(f"overwrite:{path}")
        return self.overwrite_answer

    def choose_template(self) -> str | None:
        self.asked.append("template")
        return self.template_answer

    def model_properties(self, name: str, description: str) -> tuple[str, str] | None:
        self.asked.append(f"properties:{name}")
        return self.properties_answer

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def warning(self, title: str, text: str) -> None:
        self.warnings.append((title, text))


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


@pytest.fixture
def make_window(qtbot, prompts):
    """make_window(template="cnn_mnist") -> a shown MainWindow with that model open."""
    from workbench.core.templates import load_template
    from workbench.ui.main_window import MainWindow

    windows = []

    def make(template: str | None = "cnn_mnist", empty: bool = False):
        from workbench.core.graph import ModelSpec

        w = MainWindow(prompts=prompts)
        qtbot.addWidget(w)
        w.resize(1300, 850)
        if empty:
            w.open_spec(ModelSpec(name="empty"))
        elif template:
            w.open_spec(load_template(template), None, template=template)
        w.show()
        qtbot.waitExposed(w)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.document.undo_stack.setClean()
        w.document.stop_autosave()


@pytest.fixture
def window(make_window):
    return make_window("cnn_mnist")
