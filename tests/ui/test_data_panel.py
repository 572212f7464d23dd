"""The Data tab: the default source follows the model, samples and counts show, a mismatch
is reported with a one-click fix that is one undoable edit."""

from __future__ import annotations

import pytest

from workbench.core.templates import load_template
from workbench.core.workspace import check_data
from workbench.ui.data import DataPanel
from workbench.ui.document import ModelDocument


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WORKBENCH_AUTOSAVE_DIR", str(tmp_path / "autosave"))


def _document(qtbot, template: str) -> ModelDocument:
    doc = ModelDocument(autosave_interval_ms=10_000_000)
    doc.load_spec(load_template(template))
    yield doc
    doc.undo_stack.cleanChanged.disconnect()  # the stack outlives the document's Python side


@pytest.fixture
def document(qtbot):
    yield from _document(qtbot, "mlp")


@pytest.fixture
def panel(qtbot, document):
    p = DataPanel(document)
    qtbot.addWidget(p)
    yield p
    assert p.wait(30)  # no loading thread left behind


def _load(qtbot, panel, source=None):
    if source:
        panel.set_source(source)
    with qtbot.waitSignal(panel.loaded, timeout=30000):
        panel.load()


def test_default_is_digits28_for_a_28x28_model_and_samples_show(qtbot, panel):
    assert panel.source_name == "digits28"
    _load(qtbot, panel)
    data = panel.dataset
    assert data.sample_shape == (1, 28, 28)
    assert panel.samples.count() == 32
    assert not panel.samples.item(0).icon().isNull()
    assert panel.samples.item(0).text() in data.class_names
    assert panel.counts.rowCount() == 10
    sizes = data.summary()["sizes"]
    assert f"train {sizes['train']:,}" in panel.summary.text()
    assert panel.mismatches == [] and panel.fix_buttons() == []
    assert panel.current_dataset() is data
    panel.set_seed(5)
    assert panel.current_dataset() is None  # another seed means another split


def test_default_is_digits_for_other_models(qtbot):
    gen = _document(qtbot, "char_gpt")
    doc = next(gen)
    p = DataPanel(doc)
    qtbot.addWidget(p)
    assert p.source_name == "digits"
    next(gen, None)


def test_mismatch_is_shown_and_the_fix_is_one_undoable_edit(qtbot, panel, document):
    _load(qtbot, panel, "digits")
    assert len(panel.mismatches) == 1
    m = panel.mismatches[0]
    assert "8" in m.message and "28" in m.message
    assert m.fix_label == "Set input to 1 x 8 x 8"
    buttons = panel.fix_buttons()
    assert [b.text() for b in buttons] == ["Set input to 1 x 8 x 8"]
    depth = document.undo_stack.count()
    buttons[0].click()
    params = document.spec.node("input").params
    assert (params["channels"], params["height"], params["width"]) == (1, 8, 8)
    assert document.undo_stack.count() == depth + 1  # one step
    assert panel.mismatches == []
    document.undo_stack.undo()
    assert document.spec.node("input").params["height"] == 28
    assert len(panel.mismatches) == 1  # the panel follows the document


def test_class_count_mismatch_offers_to_set_the_classes(qtbot, panel, document):
    _load(qtbot, panel, "digits28")
    head = next(n.name for n in document.spec.nodes if n.kind == "ClassificationHead")
    document.spec.node(head).params["classes"] = 3
    document.reanalyze()
    assert len(panel.mismatches) == 1
    assert panel.mismatches[0].fix_label == "Set classes to 10"
    panel.fix_buttons()[0].click()
    assert document.spec.node(head).params["classes"] == 10
    assert panel.mismatches == []


def test_token_data_show_as_text_lines(qtbot, panel):
    _load(qtbot, panel, "seq:copy")
    assert panel.dataset.kind == "tokens"
    assert panel.samples.count() == 32
    assert panel.samples.viewMode() == panel.samples.viewMode().ListMode
    assert panel.samples.item(0).icon().isNull() and panel.samples.item(0).text().strip()
    # text for an image model: no obvious fix, but the problem names the input layer
    [m] = panel.mismatches
    assert "images" in m.message and m.node == "input" and not m.fixable
    assert panel.fix_buttons() == []


def test_a_missing_path_is_a_message_not_a_crash(qtbot, panel, tmp_path):
    panel.set_source("folder", str(tmp_path / "nowhere"))
    with qtbot.waitSignal(panel.message, timeout=30000) as msg:
        panel.load()
    assert "nowhere" in msg.args[0] or "exist" in msg.args[0].lower()
    assert panel.load_button.isEnabled()


def test_check_data_is_empty_for_an_invalid_model(qtbot, panel, document):
    _load(qtbot, panel, "digits")
    document.spec.edges.clear()
    assert check_data(document.spec, panel.dataset) == []


def test_download_button_shows_progress_then_the_samples(qtbot, panel, monkeypatch):
    import threading

    import workbench.core.data as core_data

    real_load, gate, calls = core_data.load_source, threading.Event(), []

    def downloading(source, *, download=False, progress=None, **options):
        calls.append((source, download))
        progress(0.0, "Downloading MNIST…")
        progress(0.42, "Downloading train-images: 42 %")
        assert gate.wait(20)
        return real_load("digits28", progress=progress, **options)  # a stand-in for MNIST

    monkeypatch.setattr(core_data, "load_source", downloading)
    panel.set_source("mnist")
    assert panel.download_button.isVisibleTo(panel) and not panel.path_widget.isVisibleTo(panel)
    panel.download_button.click()
    qtbot.waitUntil(lambda: panel.progress.value() == 42, timeout=10000)
    assert panel.progress.isVisibleTo(panel) and "42 %" in panel.status.text()
    assert not panel.download_button.isEnabled() and not panel.load_button.isEnabled()
    with qtbot.waitSignal(panel.loaded, timeout=30000):
        gate.set()
    assert calls == [("mnist", True)]
    assert not panel.progress.isVisibleTo(panel) and panel.download_button.isEnabled()
    assert panel.samples.count() == 32 and panel.counts.rowCount() == 10
    panel.set_source("digits")  # built in: nothing to download
    assert not panel.download_button.isVisibleTo(panel)


def test_every_kind_of_source_can_be_chosen(qtbot, panel):
    names = [panel.source.itemData(i) for i in range(panel.source.count())]
    assert {"digits", "mnist", "cifar10", "idx", "folder", "csv", "text"} <= set(names)
    for name, needs_path in (("idx", True), ("folder", True), ("csv", True), ("text", True),
                             ("digits", False)):
        panel.set_source(name)
        assert panel.path_widget.isVisibleTo(panel) == needs_path


def test_csv_features_show_as_values_with_labels(qtbot, panel, tmp_path):
    rows = ["a,b,label"] + [f"{i % 7},{i % 5},{'yes' if i % 2 else 'no'}" for i in range(40)]
    path = tmp_path / "table.csv"
    path.write_text("\n".join(rows) + "\n")
    panel.set_source("csv", str(path))
    with qtbot.waitSignal(panel.loaded, timeout=30000):
        panel.load()
    assert panel.dataset.kind == "features"
    assert panel.samples.count() == min(32, len(panel.dataset.train))
    assert panel.samples.item(0).text().split(":")[0] in ("no", "yes")
    assert panel.counts.rowCount() == 2
    assert f"train {len(panel.dataset.train):,}" in panel.summary.text()
