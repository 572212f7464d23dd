"""The desktop parts of the window: Help menu and About, View > Language (a live switch that
keeps the open model), settings that persist (device, last file, layout) and their reset,
the first-run check in the window and, before any window, in the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QGuiApplication

from workbench import platform_checks
from workbench.ui import desktop, i18n, settings
from workbench.ui.startup_checks import SystemCheckDialog, run_checks

ZH_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Desktop</name>
    <message><source>&amp;Help</source><translation>帮助(&amp;H)</translation></message>
    <message><source>&amp;About Workbench</source><translation>关于 Workbench(&amp;A)</translation></message>
</context>
</TS>
"""


@pytest.fixture
def zh_translations(tmp_path, monkeypatch):
    """A translations folder with a one-context Chinese .ts (compiled on first use)."""
    folder = tmp_path / "translations"
    folder.mkdir()
    (folder / "workbench_zh_CN.ts").write_text(ZH_TS, encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(i18n, "translations_source_dir", lambda: folder)
    monkeypatch.setattr(i18n, "_translations", i18n.Translations(folder))
    yield folder
    i18n.translations().apply(i18n.ENGLISH)  # remove the translators for the next test


def _menu(window, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def test_help_menu_and_language_menu(window):
    help_texts = [a.text() for a in _menu(window, "&Help").actions() if a.text()]
    assert help_texts == ["&System Check…", "&About Workbench", "About &Qt"]
    view = _menu(window, "&View")
    assert "&Reset Layout and Settings…" in [a.text() for a in view.actions()]
    languages = [a.text() for a in window.desktop_menus.language_menu.actions() if a.text()]
    assert languages[0].startswith("System Default (") and languages[1] == "English"
    assert window.desktop_menus.language_actions["system"].isChecked()
    assert not window.windowIcon().isNull()


def test_about_dialog_names_versions_and_device(window, qtbot):
    import torch
    from PySide6 import __version__ as pyside
    from PySide6.QtCore import qVersion

    import workbench

    desktop.show_about(window)
    dialog = window.about_dialog
    qtbot.waitExposed(dialog)
    values = {k: v.text() for k, v in dialog.values.items()}
    assert values["Version"] == workbench.__version__
    assert values["PyTorch"] == torch.__version__
    assert values["Qt"] == qVersion() and values["PySide6"] == pyside
    assert values["Training device"].startswith("cpu")  # no GPU on the test machines
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert f"PyTorch: {torch.__version__}" in copied and "Workbench: " in copied
    dialog.close()


def test_language_switch_is_live_and_keeps_the_model(zh_translations, window, qtbot):
    doc = window.document
    window.scene.append_layer("Dropout")  # an unsaved edit with undo history
    spec, steps = doc.spec.to_dict(), doc.undo_stack.count()
    help_menu = _menu(window, "&Help")

    shown = desktop.change_language(window, "zh_CN")

    assert shown == "zh_CN" and settings.language() == "zh_CN"
    assert (zh_translations.parent / "cache").exists()  # compiled from the .ts by lrelease
    assert QCoreApplication.translate("Desktop", "&Help") == "帮助(&H)"
    # Qt posts LanguageChange to every widget; the menus retranslate, nothing is rebuilt
    qtbot.waitUntil(lambda: help_menu.title() == "帮助(&H)", timeout=5000)
    assert window.desktop_menus.about_action.text() == "关于 Workbench(&A)"
    assert window.desktop_menus.language_actions["zh_CN"].isChecked()
    assert doc.spec.to_dict() == spec and doc.undo_stack.count() == steps and doc.is_modified
    if not desktop_has_cjk_font():  # the switch says which package to install
        qtbot.waitUntil(lambda: isinstance(getattr(window._startup_checks, "dialog", None),
                                           SystemCheckDialog), timeout=10000)
        assert "cjk-font" in [p.key for p in window._startup_checks.problems]
        window._startup_checks.dialog.close()

    assert desktop.change_language(window, "en") == "en"
    qtbot.waitUntil(lambda: help_menu.title() == "&Help", timeout=5000)
    assert doc.spec.to_dict() == spec


def desktop_has_cjk_font() -> bool:
    from workbench.ui.startup_checks import qt_cjk_families

    return bool(qt_cjk_families())


def test_a_broken_translation_leaves_english_and_says_why(zh_translations, window):
    (zh_translations / "workbench_zh_CN.ts").write_text("<TS><context>", encoding="utf-8")
    assert desktop.change_language(window, "zh_CN") == "en"
    assert "workbench_zh_CN.ts" in window.statusBar().currentMessage()


def test_startup_check_shows_each_problem_once(window, qtbot, capsys):
    gpu = platform_checks.Problem("gpu-driver", "There is an NVIDIA GPU, but PyTorch cannot "
                                  "use it.", "Install a newer driver.")
    checks = run_checks(window, "zh_CN", gpu_check=lambda: [gpu], fonts=lambda: [])
    qtbot.waitUntil(lambda: checks.dialog is not None, timeout=10000)
    assert [p.key for p in checks.problems] == ["gpu-driver", "cjk-font"]
    commands = [line.text() for line in checks.dialog.commands]
    assert len(commands) == 1 and "noto" in commands[0]  # the font package; the GPU has none
    err = capsys.readouterr().err
    assert "PyTorch cannot use it" in err and "No font for Chinese" in err
    checks.dialog.close()
    again = run_checks(window, "zh_CN", gpu_check=lambda: [gpu], fonts=lambda: [])
    qtbot.waitUntil(lambda: again.problems is not None, timeout=10000)
    assert again.dialog is None  # shown already; the status bar still says so
    assert "Help > System Check" in window.statusBar().currentMessage()


def test_english_needs_no_cjk_font_and_no_problem_shows_no_dialog(window, qtbot):
    checks = run_checks(window, "en", gpu_check=lambda: [], fonts=lambda: [])
    qtbot.waitUntil(lambda: checks.problems is not None, timeout=10000)
    assert checks.problems == [] and checks.dialog is None


def test_device_choice_persists(make_window, tmp_path):
    from workbench.ui.training import install_training_ui

    first = make_window()
    install_training_ui(first, runs_dir=tmp_path / "runs")
    combo = settings.remember_device(first)
    assert combo is not None and combo.findData("cpu") >= 0
    combo.setCurrentIndex(combo.findData("cpu"))
    assert settings.device() == "cpu"
    second = make_window()
    install_training_ui(second, runs_dir=tmp_path / "runs")
    assert settings.remember_device(second).currentData() == "cpu"


def test_last_open_file_follows_the_document(window, tmp_path):
    path = tmp_path / "mine.json"
    window.save_as(path)
    assert settings.last_file() == path.resolve()
    window.new_from_template("mlp")  # an untitled model: nothing to reopen
    assert settings.last_file() is None
    window.open_file(path)
    assert settings.last_file() == path.resolve()
    path.unlink()
    assert settings.last_file() is None  # gone: the next start opens the default template


def test_reset_puts_layout_and_settings_back(window):
    window.remember_recent(__file__)
    settings.set_language("zh_CN")
    window.inspector_dock.hide()
    window.resize(700, 500)
    assert desktop.reset_everything(window, confirm=False)
    assert QSettings().allKeys() == []
    assert window.recent_files() == [] and settings.language() == "system"
    assert not window.inspector_dock.isHidden()
    assert (window.width(), window.height()) == desktop.DEFAULT_SIZE


def test_app_icon_has_every_desktop_size():
    from workbench.ui.icons import SIZES, app_icon

    sizes = {s.width() for s in app_icon().availableSizes()}
    assert sizes == set(SIZES)


def test_icon_pngs_match_their_svg():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
    try:
        import icons
    finally:
        sys.path.pop(0)
    assert icons.stale_sizes() == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")
def test_missing_xcb_libraries_end_in_one_message_not_a_qt_abort(tmp_path):
    """The real app, started on an X display whose xcb libraries ldd cannot find (a fake
    ldd on PATH: this machine has them): the install command and exit 2, before Qt."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "ldd").write_text("#!/bin/sh\necho '\tlibxcb-cursor.so.0 => not found'\n"
                              "echo '\tlibxcb-icccm.so.4 => not found'\n")
    (fake / "ldd").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",
                                                              "WAYLAND_DISPLAY")}
    env.update(PATH=f"{fake}{os.pathsep}{env.get('PATH', '')}", DISPLAY=":987")
    done = subprocess.run([sys.executable, "-m", "workbench"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in done.stderr
    assert "install" in done.stderr and "libxcb-cursor0 libxcb-icccm4" in done.stderr
    assert "could not load the Qt platform plugin" not in done.stderr
