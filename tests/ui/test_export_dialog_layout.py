"""The Export dialog's layout holds still: the format list keeps its place and size, every
format whole, when a result appears below it or the dialog is resized; and choosing another
format (or source) clears the last format's result instead of showing it as this one's."""

from __future__ import annotations

from test_export_dialog import export, open_dialog


def _all_formats_shown(dialog) -> bool:
    lst = dialog.format_list
    view = lst.viewport().rect()
    return all(view.contains(lst.visualItemRect(lst.item(i))) for i in range(lst.count()))


def test_the_format_list_keeps_its_size_and_the_result_is_for_this_format(qtbot, make_window,
                                                                         tmp_path):
    w = make_window("lenet5")
    dialog = open_dialog(w)
    qtbot.waitExposed(dialog)
    lst = dialog.format_list
    before = lst.geometry()
    assert _all_formats_shown(dialog)
    out = export(qtbot, dialog, "onnx", tmp_path / "lenet.onnx")
    assert out.ok, out.error
    qtbot.wait(20)
    assert dialog.result_title.text().startswith("✓") and "Wrote" in dialog.result_text.text()
    assert lst.geometry() == before  # the result took its room from below, not from the list
    assert _all_formats_shown(dialog)

    dialog.select_format("torchscript")
    assert dialog.result_title.text() == "" and dialog.result_text.text() == ""
    assert dialog.outcome is None and not dialog.show_node_button.isVisible()
    assert lst.geometry() == before

    dialog.resize(460, dialog.height())  # narrower: the descriptions wrap, the list grows
    qtbot.wait(20)
    assert _all_formats_shown(dialog)
    dialog.reject()
