"""The Generate window: a text run writes token by token on a worker thread, the same text
for a seed; the Evaluation tab of a text run opens it; the Training tab shows epoch samples."""

from __future__ import annotations

import pytest
from helpers import tiny_gpt_spec

from workbench.core.engine.config import TrainingConfig
from workbench.core.engine.events import TextSample
from workbench.core.evaluate import EvaluationResult
from workbench.core.runs import create_run
from workbench.ui.evaluation import EvaluationPanel
from workbench.ui.generate.text_window import GenerateWindow

TEXT = "the cat sat on the mat. the dog sat on the log.\n" * 12


@pytest.fixture(scope="module")
def text_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gen")
    (folder / "t.txt").write_text(TEXT)
    trainer, run_dir = create_run(tiny_gpt_spec(vocab=17), f"text:{folder / 't.txt'}",
                                  TrainingConfig(epochs=1, device="cpu"),
                                  runs_dir=folder / "runs", data_options={"seq_len": 16})
    assert trainer.fit().status == "finished"
    return str(run_dir)


def _generate(qtbot, window: GenerateWindow) -> tuple[str, int]:
    chunks: list[str] = []
    gen = window.generate()
    assert gen is not None
    gen.chunk.connect(chunks.append)
    with qtbot.waitSignal(gen.finished, timeout=60_000):
        pass
    gen.wait()
    return window.output.toPlainText(), len(chunks)


def test_generate_streams_the_text_and_repeats_it_for_a_seed(qtbot, text_run):
    w = GenerateWindow()
    qtbot.addWidget(w)
    w.set_run(text_run, "tiny gpt")
    w.show()
    w.prompt.setPlainText("the ")
    w.length.setValue(400)
    w.seed.setValue(3)
    w.top_k.setValue(4)
    text, chunks = _generate(qtbot, w)
    assert text.startswith("the ") and len(text) == 404
    assert chunks >= 1 and "Wrote 400 tokens" in w.status.text()
    assert w.generate_button.isEnabled() and not w.stop_button.isEnabled()
    again, _ = _generate(qtbot, w)
    assert again == text
    w.seed.setValue(4)
    other, _ = _generate(qtbot, w)
    assert other != text


def test_stop_ends_the_writing_early(qtbot, text_run):
    w = GenerateWindow()
    qtbot.addWidget(w)
    w.set_run(text_run, "tiny gpt")
    w.length.setValue(100_000)
    gen = w.generate()
    qtbot.waitUntil(lambda: gen.tokens > 5, timeout=30_000)
    w.stop()
    with qtbot.waitSignal(gen.finished, timeout=30_000) as blocker:
        pass
    gen.wait()
    assert blocker.args == ["stopped"] and gen.tokens < 100_000
    assert "Stopped after" in w.status.text()


def test_a_failure_is_one_line_in_the_window(qtbot, tmp_path):
    w = GenerateWindow()
    qtbot.addWidget(w)
    w.set_run(str(tmp_path / "nothing"), "gone")
    gen = w.generate()
    with qtbot.waitSignal(gen.failed, timeout=30_000):
        pass
    gen.wait()
    assert w.status.text().startswith("Cannot generate:") and w.generate_button.isEnabled()


def test_the_evaluation_tab_of_a_text_run_opens_the_generate_window(qtbot, text_run):
    import json
    from pathlib import Path

    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    panel.show()
    result = EvaluationResult.from_dict(json.loads((Path(text_run) / "evaluation.json").read_text()))
    panel.show_results(result, None, run_dir=text_run)
    assert panel.generate_button.isVisibleTo(panel)
    assert "perplexity" in panel.headline.text()
    window = panel.generate()
    assert isinstance(window, GenerateWindow) and window.run_dir == text_run
    window.close()


def test_the_training_tab_shows_the_epoch_sample(qtbot, make_window, tmp_path, monkeypatch):
    from workbench.ui.training import install_training_ui

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    w = make_window("char_gpt")
    install_training_ui(w, runs_dir=tmp_path / "runs")
    panel = w.training_ui.training_panel
    assert not panel.sample_box.isVisibleTo(panel)
    panel.handle_events([TextSample(1, 40, "", "ROMEO:\nwhat light")])
    assert panel.sample_box.isVisibleTo(panel)
    assert panel.sample_view.toPlainText() == "ROMEO:\nwhat light"
    assert "epoch 2" in panel.sample_title.text()
    w.training_ui.shutdown()
