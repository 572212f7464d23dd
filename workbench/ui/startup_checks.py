"""The first-run check in the app: before the window (Qt's platform libraries, in the
terminal, since no window can open without them) and after the core has loaded (a GPU that
PyTorch cannot use, no font for a Chinese interface), in a dialog shown once per problem and
again from Help > System Check. The checks themselves are Qt-free: workbench.platform_checks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench import platform_checks
from workbench.platform_checks import Problem
from workbench.ui import settings, style
from workbench.ui.i18n import tr_core, translator
from workbench.ui.threads import BackgroundTask

tr = translator("startup_checks")

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


def cannot_open_window() -> int | None:
    """Before QApplication: when Qt could not open a window here, print why and how to fix
    it and return the exit code (2); None when it can."""
    fatal = [p for p in platform_checks.display_problems() if p.fatal]
    if not fatal:
        return None
    print(platform_checks.report(fatal), file=sys.stderr)
    return 2


def chinese_shown(language: str) -> bool:
    return language.split("_")[0] == "zh"


def qt_cjk_families() -> list[str]:
    """The font families Qt can draw Simplified Chinese with."""
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def font_problems(language: str,
                  families: Callable[[], list[str]] = qt_cjk_families) -> list[Problem]:
    if not chinese_shown(language):
        return []
    return platform_checks.cjk_font_problems(families())


class SystemCheckDialog(QDialog):
    """Each problem: what is wrong, what to do, and the command to copy."""

    def __init__(self, problems: list[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SystemCheckDialog")
        self.setWindowTitle(tr("System check"))
        self.problems = problems
        layout = QVBoxLayout(self)
        if not problems:
            ok = QLabel(f"<span style='color:{style.OK}; font-weight:600'>✓ "
                        f"{tr('Everything Workbench needs is here.')}</span>")
            layout.addWidget(ok)
        else:
            head = QLabel(tr("Workbench found %n thing(s) to fix on this computer. It keeps "
                             "working meanwhile.", n=len(problems)))
            head.setWordWrap(True)
            layout.addWidget(head)
        self.commands: list[QLineEdit] = []
        for problem in problems:
            layout.addWidget(self._problem_box(problem))
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)

    def _problem_box(self, problem: Problem) -> QFrame:
        box = QFrame()
        box.setObjectName("problem")
        box.setStyleSheet(f"QFrame#problem {{ background: {style.WARNING_FILL}; "
                          "border-radius: 4px; }")
        v = QVBoxLayout(box)
        # a missing CJK font is said in English: Chinese would be drawn as empty boxes
        shown = (lambda t: t) if problem.key == "cjk-font" else \
            (lambda t: tr_core("problems", t))
        title = QLabel(f"<b>{shown(problem.title)}</b>")
        title.setWordWrap(True)
        v.addWidget(title)
        detail = QLabel(shown(problem.detail))
        detail.setWordWrap(True)
        detail.setTextInteractionFlags(detail.textInteractionFlags()
                                       | detail.textInteractionFlags().TextSelectableByMouse)
        v.addWidget(detail)
        if problem.command:
            row = QHBoxLayout()
            line = QLineEdit(problem.command)
            line.setReadOnly(True)
            line.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            line.setCursorPosition(0)
            copy = QPushButton(tr("Copy"))
            copy.clicked.connect(lambda _c=False, t=problem.command, b=copy: _copy(t, b))
            row.addWidget(line, 1)
            row.addWidget(copy)
            v.addLayout(row)
            self.commands.append(line)
        if problem.elsewhere:
            label = "On other systems" if problem.key == "cjk-font" else tr("On other systems")
            other = QLabel(f"{label}: "
                           f"{problem.elsewhere}")
            other.setWordWrap(True)
            other.setStyleSheet(f"color: {style.TEXT_DIM}")
            v.addWidget(other)
        return box


def _copy(text: str, button: QPushButton) -> None:
    QGuiApplication.clipboard().setText(text)
    button.setText(tr("Copied"))


class StartupChecks:
    """Runs the after-load checks for a window; shows the dialog for problems not shown
    before (all of them when ``always``), prints every problem to the terminal."""

    def __init__(self, window: MainWindow, language: str,
                 gpu_check: Callable[[], list[Problem]] = platform_checks.gpu_problems,
                 fonts: Callable[[], list[str]] = qt_cjk_families) -> None:
        self.window = window
        self.language = language
        self.fonts = fonts
        self.problems: list[Problem] | None = None
        self.dialog: SystemCheckDialog | None = None
        self.always = False
        # nvidia-smi and torch.cuda off the GUI thread: a hung driver can take seconds
        self.task = BackgroundTask(lambda _progress: gpu_check(), window)
        self.task.done.connect(self._on_done)
        self.task.failed.connect(lambda text: self._on_done(
            [Problem("gpu-check", "The GPU could not be checked.", text)]))

    def start(self, always: bool = False) -> None:
        self.always = always
        self.task.start()

    def _on_done(self, gpu: list[Problem]) -> None:
        problems = list(gpu) + font_problems(self.language, self.fonts)
        self.problems = problems
        for p in problems:
            print(f"workbench: {p.text()}", file=sys.stderr)
        new = {p.key for p in problems} - (set() if self.always else settings.shown_problems())
        if problems:
            self.window.statusBar().showMessage(
                tr("System check: %n problem(s) (Help > System Check)", n=len(problems)), 15000)
        if new or self.always:
            if self.window.remember:
                settings.mark_problems_shown({p.key for p in problems})
            self.dialog = SystemCheckDialog(problems, self.window)
            self.dialog.setFont(QFont(self.window.font()))
            self.dialog.show()


def run_checks(window: MainWindow, language: str, always: bool = False,
               **probes: Callable) -> StartupChecks:
    checks = StartupChecks(window, language, **probes)
    window._startup_checks = checks  # keep it (and its thread) alive
    checks.start(always)
    return checks
