"""What makes the main window a desktop application: its icon, View > Language, View >
Reset Layout and Settings, the Help menu (System Check, About), and remembering the open
file. ``install_desktop(window)`` adds them to a MainWindow through its menus.

The strings here go through ``QCoreApplication.translate`` and are set again when Qt
sends the window a LanguageChange (after View > Language): the pattern the rest of the
interface follows for a live switch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from workbench.ui import i18n, settings
from workbench.ui.i18n import tr_noop
from workbench.ui.icons import app_icon

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

CONTEXT = "Desktop"
DEFAULT_SIZE = (1440, 900)


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class DesktopMenus(QObject):
    """The actions this module adds, and their retranslation."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._texts: list[tuple[QAction | QMenu, str, str]] = []  # widget, text, tip
        view = window.view_menu
        view.addSeparator()
        self.language_menu = view.addMenu("")
        self._name(self.language_menu, tr_noop("&Language"))
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        self._fill_languages()
        self.reset_action = self._action(view, tr_noop("&Reset Layout and Settings…"),
                                         lambda: reset_everything(window),
                                         tr_noop("Put the window back as it was first built and forget "
                                         "recent files, device and language"))
        help_menu = window.menuBar().addMenu("")
        self._name(help_menu, tr_noop("&Help"))
        self.help_menu = help_menu
        self.check_action = self._action(help_menu, tr_noop("&System Check…"), lambda: check_system(window),
                                         tr_noop("Check the display libraries, the GPU and fonts"))
        help_menu.addSeparator()
        self.about_action = self._action(help_menu, tr_noop("&About Workbench"), lambda: show_about(window),
                                         tr_noop("Versions of Workbench, PyTorch and Qt, and the device"))
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_qt_action = self._action(help_menu, tr_noop("About &Qt"), QApplication.aboutQt)
        self.about_qt_action.setMenuRole(QAction.MenuRole.AboutQtRole)
        window.installEventFilter(self)

    def _name(self, item: QAction | QMenu, text: str, tip: str = "") -> None:
        self._texts.append((item, text, tip))
        self._retranslate_one(item, text, tip)

    def _action(self, menu: QMenu, text: str, slot: Callable[[], object],
                tip: str = "") -> QAction:
        action = menu.addAction("")
        action.triggered.connect(lambda _c=False: slot())
        self._name(action, text, tip)
        return action

    def _fill_languages(self) -> None:
        current = settings.language()
        choices = [(i18n.SYSTEM, "")] + [(lang.code, lang.name)
                                          for lang in i18n.available_languages()]
        for code, name in choices:
            action = self.language_menu.addAction(name)
            action.setCheckable(True)
            action.setData(code)
            action.setChecked(code == current)
            action.triggered.connect(lambda _c=False, c=code: change_language(self.window, c))
            self.language_group.addAction(action)
            self.language_actions[code] = action
            if code == i18n.SYSTEM:
                self.system_action = action
                self.language_menu.addSeparator()
        self._label_system()

    def _label_system(self) -> None:
        """"System Default (English)": which language the system's locale gives."""
        codes = [lang.code for lang in i18n.available_languages()]
        code = i18n.resolve(i18n.SYSTEM, codes)
        name = "English" if code == i18n.ENGLISH else i18n.native_name(code)
        self.system_action.setText(f"{tr('System Default')} ({name})")

    def check(self, code: str) -> None:
        action = self.language_actions.get(code)
        if action is not None:
            action.setChecked(True)

    @staticmethod
    def _retranslate_one(item: QAction | QMenu, text: str, tip: str) -> None:
        if isinstance(item, QMenu):
            item.setTitle(tr(text))
        else:
            item.setText(tr(text))
            if tip:
                item.setStatusTip(tr(tip))

    def retranslate(self) -> None:
        for item, text, tip in self._texts:
            self._retranslate_one(item, text, tip)
        self._label_system()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def install_desktop(window: MainWindow) -> DesktopMenus:
    window.setWindowIcon(app_icon())
    settings.track_last_file(window)
    menus = DesktopMenus(window)
    window.desktop_menus = menus
    return menus


def change_language(window: MainWindow, code: str) -> str:
    """Show the interface in ``code`` now (no restart, the open model stays as it is) and
    remember it. Returns the language shown; a translation that cannot be loaded leaves
    English and says why in the status bar."""
    if window.remember:
        settings.set_language(code)
    translations = i18n.translations()
    shown = translations.apply(code)
    menus = getattr(window, "desktop_menus", None)
    if menus is not None:
        menus.check(code)
    if translations.error:
        window.statusBar().showMessage(f"Language: {translations.error}", 10000)
    else:
        window.statusBar().showMessage(tr("Language: {}").format(i18n.native_name(shown)
                                                                  if shown != i18n.ENGLISH
                                                                  else "English"), 5000)
    from workbench.ui.startup_checks import font_problems

    if font_problems(shown):
        check_system(window)  # no font to draw it: say which package to install
    return shown


def check_system(window: MainWindow) -> None:
    from workbench.ui.startup_checks import run_checks

    run_checks(window, i18n.translations().language, always=True)


def show_about(window: MainWindow) -> None:
    from workbench.ui.about import show_about as show

    window.about_dialog = show(window)


def reset_layout(window: MainWindow) -> None:
    """The docks, toolbar and size the window was built with (on every tab)."""
    window.tabs.setCurrentWidget(window.model_page)
    window._dock_states.clear()
    default = getattr(window, "default_state", None)
    if default is not None:
        window.restoreState(default)
    window.showNormal()
    window.resize(*DEFAULT_SIZE)


def reset_everything(window: MainWindow, confirm: bool = True) -> bool:
    if confirm:
        answer = QMessageBox.question(
            window, tr("Reset layout and settings?"),
            tr("Put the window back as it was first built and forget the recent files, the "
               "training device and the language? Your models, runs and exports are kept."))
        if answer != QMessageBox.StandardButton.Yes:
            return False
    settings.reset_all(window)
    reset_layout(window)
    change_language(window, i18n.SYSTEM)
    settings.reset_all(window)  # change_language saved "system": leave nothing behind
    window.statusBar().showMessage(tr("Layout and settings reset"), 5000)
    return True
