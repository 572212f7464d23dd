"""Starting the desktop app.

PyTorch takes seconds to import, so the window is shown first: ``run_app`` builds the main
window from Qt alone, shows it, and a background thread imports the core (torch), loads the
model and runs a first analysis (which warms torch's lazy imports). The canvas and the panels
appear when that is done; everything after runs on the GUI thread.

``WORKBENCH_TRACE_STARTUP=1`` prints when the window was shown and when the model was ready.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QThread, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from workbench.process_age import process_age
from workbench.ui import i18n, settings, style
from workbench.ui.i18n import translator
from workbench.ui.icons import app_icon
from workbench.ui.main_window import MainWindow
from workbench.ui.startup_checks import cannot_open_window, run_checks

tr = translator("app")

ORGANIZATION = "Workbench"
APPLICATION = "Workbench"
DESKTOP_FILE = "workbench"  # packaging/linux/workbench.desktop
SETTLE_MS = 1000  # --screenshot: how long the event loop idles after loading before the grab
_T0 = time.perf_counter()


def _trace(what: str) -> None:
    if os.environ.get("WORKBENCH_TRACE_STARTUP"):
        age = process_age()
        since = f"{age:.2f} s after the process started, " if age is not None else ""
        print(f"[startup] {what}: {since}{time.perf_counter() - _T0:.2f} s after app.py "
              "was imported", file=sys.stderr, flush=True)


class CoreLoader(QThread):
    """Imports the core and loads the model off the GUI thread."""

    loaded = Signal(object, object, object, str)  # spec, path or None, template or None, error
    failed = Signal(str)

    def __init__(self, target: str | None, batch: int = 64) -> None:
        super().__init__()
        self.target = target
        self.batch = batch

    def run(self) -> None:
        try:
            # the panels' modules: importing them here leaves only widget creation to the GUI
            import workbench.ui.canvas  # noqa: F401
            import workbench.ui.inspector  # noqa: F401
            import workbench.ui.palette  # noqa: F401
            import workbench.ui.problems  # noqa: F401
            import workbench.ui.summary  # noqa: F401
            from workbench.core.graph import SpecFormatError, analyze
            from workbench.core.templates import (
                DEFAULT_TEMPLATE,
                load_spec_or_template,
                load_template,
            )

            target = self.target or DEFAULT_TEMPLATE
            error = ""
            try:
                spec = load_spec_or_template(target)
            except SpecFormatError as e:
                error, target = str(e), DEFAULT_TEMPLATE
                spec = load_template(DEFAULT_TEMPLATE)
            is_file = Path(target).suffix == ".json" or Path(target).exists()
            analyze(spec, self.batch)  # warms torch's lazy imports and the shape cache
            self.loaded.emit(spec, target if is_file else None, None if is_file else target,
                             error)
        except Exception:  # noqa: BLE001 - shown to the user, never a silent hang
            self.failed.emit(traceback.format_exc())


def install_extensions(window: MainWindow) -> None:
    """Let the other parts of the UI add their tabs (Data, Training, Evaluation, Runs)."""
    try:
        from workbench.ui.training import install_training_ui
    except ImportError:
        return
    try:
        install_training_ui(window)
    except Exception:  # noqa: BLE001 - the model editor stays usable without them
        traceback.print_exc()
        window.statusBar().showMessage(tr("The training tabs could not be loaded (see the log)"))


def create_application(argv: list[str] | None = None,
                       use_settings: bool = True) -> QApplication:
    """The QApplication, named, themed and in the chosen language (the saved one, or with
    ``use_settings=False`` the system's; WORKBENCH_LANGUAGE overrides both)."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName(DESKTOP_FILE)  # Wayland: the window gets the .desktop's icon
    app.setWindowIcon(app_icon())
    style.apply_theme(app)  # type: ignore[arg-type]
    i18n.translations().apply(i18n.startup_choice(settings.language() if use_settings
                                                  else i18n.SYSTEM))
    app.aboutToQuit.connect(release_offscreen_clipboard)
    return app  # type: ignore[return-value]


def release_offscreen_clipboard() -> None:
    """Qt 6.12's offscreen platform crashes at exit (SIGSEGV) when the clipboard still owns
    data we put there; empty it first. Only offscreen: on a desktop the user's clipboard is
    theirs to keep."""
    app = QGuiApplication.instance()
    if app is not None and QGuiApplication.platformName() == "offscreen":
        QGuiApplication.clipboard().clear()


def run_app(args: Any) -> int:
    """Open the main window on ``args.open`` (a spec file or template; default template when
    None). With ``args.screenshot``, save a PNG of the settled window there and exit: of the
    canvas, or of ``args.screenshot_view`` (see workbench.ui.screenshot), at
    ``args.screenshot_size`` when given."""
    screenshot = getattr(args, "screenshot", None)
    view = getattr(args, "screenshot_view", None) or "model"
    if QApplication.instance() is None and (code := cannot_open_window()) is not None:
        return code  # said why, instead of Qt's abort
    app = create_application(use_settings=not screenshot)
    window = MainWindow(build_panels=False, remember=not screenshot)
    size = getattr(args, "screenshot_size", None)
    if screenshot and size:
        window.resize(*size)
    home = _PrivateHome() if screenshot and view != "model" else None
    window.show()
    _trace("window shown")
    state: dict[str, Any] = {"code": 0}
    target = getattr(args, "open", None)
    if target is None and not screenshot and settings.last_file() is not None:
        target = str(settings.last_file())  # the file open when the app last closed
    loader = CoreLoader(target, window.document.batch_size)

    def on_loaded(spec, path, template, error: str) -> None:
        try:
            show(spec, path, template, error)
        except Exception:  # noqa: BLE001
            on_failed(traceback.format_exc())

    def show(spec, path, template, error: str) -> None:
        window.open_spec(spec, path, template=template)
        _trace("model shown")
        install_extensions(window)
        _trace("extensions installed")
        if not screenshot:
            settings.remember_device(window)
            run_checks(window, i18n.translations().language)  # GPU driver, CJK fonts
        if error:
            state["code"] = 2
            print(f"workbench: {error}; opened the default template instead", file=sys.stderr)
        if screenshot and view != "model":
            from workbench.ui.screenshot import Screenshooter

            state["shooter"] = Screenshooter(window, view, screenshot, finish,
                                             settle_ms=SETTLE_MS, size=size)
            QTimer.singleShot(SETTLE_MS, state["shooter"].start)
            return
        if screenshot:
            QTimer.singleShot(SETTLE_MS, grab)
            return
        if error:
            window.prompts.error(tr("Cannot open the model"), error)
        if path:
            window.remember_recent(path)
        if not window.offer_recovery():
            window.say_missing_weights()  # a saved start that is gone

    def on_failed(text: str) -> None:
        print(f"workbench: could not start:\n{text}", file=sys.stderr)
        state["code"] = 1
        app.exit(1)

    def grab() -> None:
        if window.view is not None:
            window.view.fit()
        app.processEvents()
        ok = window.grab().save(str(screenshot))
        if not ok:
            print(f"workbench: could not write the screenshot {screenshot}", file=sys.stderr)
            state["code"] = state["code"] or 1
        app.exit(state["code"])  # no close(): that would post a Quit event for later loops

    def finish(code: int) -> None:
        state["code"] = state["code"] or code
        app.exit(state["code"])

    loader.loaded.connect(on_loaded)
    loader.failed.connect(on_failed)
    loader.start()
    code = app.exec()
    loader.wait()
    release_offscreen_clipboard()
    # delete the window here, on the GUI thread, rather than whenever (and wherever) the
    # garbage collector gets to it: matters when run_app is called inside a larger program
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)
    if home is not None:
        home.restore()
    return state["code"] or code


class _PrivateHome:
    """A temporary WORKBENCH_HOME for the runs a screenshot makes: the user's run history
    is neither shown in the picture nor changed by it."""

    def __init__(self) -> None:
        import tempfile

        self.old = os.environ.get("WORKBENCH_HOME")
        self.path = tempfile.mkdtemp(prefix="workbench-screenshot-")
        os.environ["WORKBENCH_HOME"] = self.path

    def restore(self) -> None:
        import shutil

        if self.old is None:
            os.environ.pop("WORKBENCH_HOME", None)
        else:
            os.environ["WORKBENCH_HOME"] = self.old
        shutil.rmtree(self.path, ignore_errors=True)
