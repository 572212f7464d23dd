"""The window's frame stays put: the task tab bar (Model, Data, Training, Evaluation, Runs)
is in the same place on every tab, although the Model tab's docks come and go."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTabBar

from workbench.ui.style import apply_theme
from workbench.ui.training import install_training_ui


def task_bar(window) -> QTabBar:
    """The tab bar a person sees with the task tabs on it."""
    bars = [b for b in window.findChildren(QTabBar)
            if b.isVisible() and b.count() and b.tabText(0) == "Model"]
    assert len(bars) == 1
    return bars[0]


def test_the_task_tab_bar_stays_put_when_tabs_are_switched(make_window, qtbot, tmp_path,
                                                           monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    w = make_window("mlp")
    install_training_ui(w, runs_dir=tmp_path / "runs")
    try:
        bar = task_bar(w)
        titles = [bar.tabText(i) for i in range(bar.count())]
        assert titles == ["Model", "Data", "Training", "Evaluation", "Runs", "Sweep"]
        places = set()
        for i in [1, 0, 2, 3, 4, 0, 3]:
            bar = task_bar(w)
            QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             bar.tabRect(i).center())
            qtbot.waitUntil(lambda i=i: w.tabs.currentIndex() == i)
            qtbot.wait(10)
            bar = task_bar(w)
            first = bar.tabRect(0)
            places.add((bar.mapTo(w, QPoint(0, 0)).toTuple(), first.x(), first.y()))
            assert bar.currentIndex() == i
        assert len(places) == 1, places  # the same place on every tab
        w.tabs.setCurrentIndex(2)  # code switching tabs shows on the bar too
        assert task_bar(w).currentIndex() == 2
        assert all(d.isHidden() for d in w.docks())  # ... and the docks still go
    finally:
        w.training_ui.shutdown()


def test_every_task_tab_is_shown_whole(make_window, qtbot, tmp_path, monkeypatch):
    """With Evaluation current (its title drawn bold, so wider), the Runs tab was cut to "Ru…":
    the toolbar kept the bar at the size hint it had when it was placed."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    app = QApplication.instance()
    sheet, palette, style = app.styleSheet(), app.palette(), app.style().name()
    apply_theme(app)  # the app's style sheet draws the current tab's title bold
    w = make_window("mlp")
    install_training_ui(w, runs_dir=tmp_path / "runs")
    w.resize(960, 640)
    w.tabs.setCurrentIndex(3)
    qtbot.wait(20)
    bar = task_bar(w)
    last = bar.tabRect(bar.count() - 1)
    try:
        assert last.right() <= bar.width(), (last, bar.width())
    finally:
        app.setStyleSheet(sheet)  # leave the other tests the application as they found it
        app.setPalette(palette)
        app.setStyle(style)
