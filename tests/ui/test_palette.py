"""The palette: a search lists names before descriptions (title or kind prefix, a word's
prefix, a substring, then the description), Enter adds the best match, clearing it brings
the groups back; and the palette never gets too narrow to read, whatever the window did."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItemIterator

from workbench.core.layers import CATALOGUE, GROUPS
from workbench.ui.palette.panel import match_rank


def test_names_rank_above_descriptions():
    assert match_rank("rnn", "RNN", "RNN", "Recurrent", "") == 0
    assert match_rank("pool", "Max pool 2D", "MaxPool2d", "Pooling", "") == 1  # a word
    assert match_rank("conv2d", "Conv 2D", "Conv2d", "Convolution", "") == 0  # spaces
    assert match_rank("rnn", "Image as rows", "ImageRows", "Inputs", "rows for an RNN") == 4
    assert match_rank("cat", "Image input", "ImageInput", "Inputs", "a picture") is None


def test_a_search_lists_the_best_matches_first(window, qtbot):
    palette = window.palette
    qtbot.keyClicks(palette.search, "attention")
    assert palette.visible_kinds()[0] == "MultiHeadAttention"  # not what mentions attention
    palette.search.clear()
    qtbot.keyClicks(palette.search, "rnn")
    assert palette.visible_kinds() == ["RNN", "ImageRows"]  # the name, then the description
    shown = [palette.tree.topLevelItem(i) for i in range(palette.tree.topLevelItemCount())]
    shown = [it.data(0, Qt.ItemDataRole.UserRole + 1) for it in shown if not it.isHidden()]
    assert shown == ["RNN", "ImageRows"]  # as drawn, one list
    palette.search.clear()
    qtbot.keyClicks(palette.search, "seq")
    kinds = palette.visible_kinds()
    assert kinds.index("SequenceInput") < kinds.index("TokenInput")  # name before help


def test_enter_adds_the_best_match_and_clearing_brings_the_groups_back(window, qtbot):
    palette, doc = window.palette, window.document
    window.scene.select_names(["dense"])
    qtbot.keyClicks(palette.search, "drop")
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert doc.spec.has_node("dropout")
    palette.search.clear()
    assert list(palette.groups) == list(GROUPS)
    for kind, item in palette.items.items():
        assert item.parent() is palette.groups[CATALOGUE[kind].group]
    in_order = [palette.groups[g].child(i).data(0, Qt.ItemDataRole.UserRole + 1)
                for g in GROUPS for i in range(palette.groups[g].childCount())]
    assert in_order == list(palette.items)  # catalogue order again
    assert len(palette.visible_kinds()) == len(CATALOGUE)


def _titles_fit(palette) -> list[str]:
    tree = palette.tree
    cut = []
    it = QTreeWidgetItemIterator(tree)
    while it.value():
        item = it.value()
        if item.parent() is not None:
            tree.scrollToItem(item)
            rect = tree.visualItemRect(item)
            if rect.width() < tree.fontMetrics().horizontalAdvance(item.text(0)) + 8:
                cut.append(item.text(0))
        it += 1
    return cut


def test_the_palette_keeps_a_readable_width_after_a_narrow_window(make_window, qtbot):
    w = make_window("cnn_mnist")
    assert _titles_fit(w.palette) == []
    w.resize(500, 800)  # narrower than the window can be: docks squeezed to their least
    qtbot.wait(50)
    w.resize(1300, 850)
    qtbot.wait(50)
    assert _titles_fit(w.palette) == []
    for other in range(1, w.tabs.count()):  # through another tab and back
        w.tabs.setCurrentIndex(other)
    w.tabs.setCurrentIndex(0)
    assert _titles_fit(w.palette) == []
    w.close()
    again = make_window("cnn_mnist")  # the layout saved then
    qtbot.wait(50)
    assert _titles_fit(again.palette) == []
    again.resizeDocks([again.palette_dock], [20], Qt.Orientation.Horizontal)  # a drag too far
    qtbot.wait(20)
    assert _titles_fit(again.palette) == []
