"""The Evaluation tab's samples: the worst-predicted test samples, or those of the confusion
cell clicked, as thumbnails (images) or lines of text, with true -> predicted captions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from workbench.ui.evaluation.figures import value_text
from workbench.ui.i18n import translator
from workbench.ui.widgets.samples import SampleList, split_sample

tr = translator("evaluation.gallery")

if TYPE_CHECKING:
    from workbench.core.data import DataSet
    from workbench.core.evaluate import EvaluationResult

GALLERY_LIMIT = 64
Sample = dict[str, Any]  # index, true, pred, confidence, loss (EvaluationResult.worst rows)


class Gallery(QGroupBox):
    """``set_results(result, data)``; ``show_cell(true, pred)`` (None: the worst ones).
    ``data`` may come later (``set_data``): the samples are then drawn, not only named."""

    def __init__(self) -> None:
        super().__init__(tr("Samples"))
        self.result: EvaluationResult | None = None
        self.data: DataSet | None = None
        self.class_names: list[str] = []
        self.filter: tuple[int, int | None] | None = None
        self.samples = SampleList(grid=QSize(104, 110))
        self.title = QLabel(tr("Worst-predicted test samples"))
        self.note = QLabel("")
        self.note.setObjectName("dim")
        self.note.setWordWrap(True)
        self.note.hide()
        self.show_all = QPushButton(tr("Show worst"))
        self.show_all.setEnabled(False)
        self.show_all.clicked.connect(lambda: self.show_cell(None, None))
        v = QVBoxLayout(self)
        h = QHBoxLayout()
        h.addWidget(self.title, 1)
        h.addWidget(self.show_all)
        v.addLayout(h)
        v.addWidget(self.note)
        v.addWidget(self.samples)
        self.setMinimumWidth(260)

    def set_results(self, result: EvaluationResult | None, data: DataSet | None,
                    class_names: list[str]) -> None:
        self.result, self.data, self.class_names = result, data, class_names
        self.filter = None
        self.set_note("")

    def set_data(self, data: DataSet | None) -> None:
        """The test samples arrived (reloaded for a stored run): draw them."""
        self.data = data
        if self.result is not None:
            self.show_cell(*(self.filter or (None, None)))

    def set_note(self, text: str) -> None:
        """A line under the title: the samples are being loaded, or why they are not shown."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def clear(self) -> None:
        self.set_results(None, None, [])
        self.samples.clear()

    @property
    def is_regression(self) -> bool:
        return self.result is not None and self.result.task == "regression"

    # -- which samples --------------------------------------------------------------------
    def class_index(self, value: Any) -> int | None:
        if isinstance(value, int | np.integer):
            return int(value)
        if isinstance(value, str) and value in self.class_names:
            return self.class_names.index(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def class_name(self, value: Any) -> str:
        i = self.class_index(value)
        if i is not None and 0 <= i < len(self.class_names):
            return self.class_names[i]
        return str(value)

    def cell_samples(self, true: int, pred: int) -> list[Sample]:
        """Every test sample of a confusion cell, most telling first (confident mistakes,
        hesitant hits); from the per-sample predictions, else from the worst samples kept."""
        r = self.result
        if r is None:
            return []
        if r.labels and len(r.labels) == len(r.predicted):
            conf = r.confidence
            out = [{"index": i, "true": t, "pred": p,
                    "confidence": conf[i] if i < len(conf) else None}
                   for i, (t, p) in enumerate(zip(r.labels, r.predicted, strict=True))
                   if t == true and p == pred]
            sign = 1.0 if true == pred else -1.0
            out.sort(key=lambda s: sign * (s["confidence"] if isinstance(s["confidence"], int | float)
                                           else 0.0))
            return out
        return [s for s in r.worst if self.class_index(s.get("true")) == true
                and self.class_index(s.get("pred")) == pred]

    def samples_for(self, true: int | None, pred: int | None) -> list[Sample]:
        """Samples to show: those of a confusion cell, or the worst ones."""
        if true is None or pred is None:
            return list(self.result.worst if self.result else [])[:GALLERY_LIMIT]
        return self.cell_samples(true, pred)[:GALLERY_LIMIT]

    def show_cell(self, true: int | None, pred: int | None) -> None:
        self.filter = None if true is None else (true, pred)
        samples = self.samples_for(true, pred)
        if true is None or pred is None:
            self.title.setText((tr("Largest-error test samples ({})") if self.is_regression
                                else tr("Worst-predicted test samples ({})")).format(len(samples)))
            self.show_all.setEnabled(False)
        else:
            t, p = self.class_name(true), self.class_name(pred)

            complete = bool(self.result and self.result.predicted)
            total = len(self.cell_samples(true, pred)) if complete else len(samples)
            shown = tr("{} of {}").format(len(samples), f"{total:,}") \
                if total > len(samples) else f"{total:,}"
            line = tr("True {}, predicted {}: {} correct sample(s) shown") if true == pred \
                else tr("True {}, predicted {}: {} mistaken sample(s) shown")
            self.title.setText(line.format(t, p, shown)
                               + ("" if complete or samples else tr(" (only the worst are kept)")))
            self.show_all.setEnabled(True)
        self._fill(samples)

    def _fill(self, samples: list[Sample]) -> None:
        data = self.data
        test = data.test if data is not None else None
        if data is None:
            self.samples.set_kind(None)
        else:
            self.samples.set_kind(data.kind, data.vocab, data.tokenizer)
        for s in samples:
            if self.is_regression:  # values, not classes
                t, p = value_text(s.get("true")), value_text(s.get("pred"))
            else:
                t, p = self.class_name(s.get("true")), self.class_name(s.get("pred"))
            conf = s.get("confidence")
            conf_text = f" ({100 * float(conf):.0f} %)" if isinstance(conf, int | float) else ""
            loss = s.get("loss")
            tip = (tr("test sample {}: true {}, predicted {}").format(s.get("index"), t, p)
                   + conf_text
                   + (tr(", loss {}").format(f"{float(loss):.3f}")
                      if isinstance(loss, int | float) else ""))
            x = split_sample(test, s.get("index"))[0] if test is not None else None
            item = self.samples.add_sample(x, f"{t} → {p}{conf_text}", tip, text_limit=160)
            item.setData(Qt.ItemDataRole.UserRole, s.get("index"))  # what Explain… explains
