"""What a loaded data set holds, on the Data tab: a summary, the class counts per split, and
its first training samples."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from workbench.ui.i18n import tr_noop, translator
from workbench.ui.widgets.samples import SampleList, split_sample
from workbench.ui.widgets.thumbnails import label_text

tr = translator("data.preview")

if TYPE_CHECKING:
    from workbench.core.data import DataSet

SAMPLES = 32


# the words the core names data kinds and tasks with, shown through tr()
_KINDS = (tr_noop("image"), tr_noop("features"), tr_noop("tokens"), tr_noop("sequence"),
          tr_noop("text"), tr_noop("classification"), tr_noop("regression"),
          tr_noop("next token"))


class DataSummary(QGroupBox):
    """The summary text and the class-count table."""

    def __init__(self) -> None:
        super().__init__(tr("Data set"))
        self.summary = QLabel(tr("Not loaded"))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts = QTableWidget(0, 4)
        self.counts.setHorizontalHeaderLabels([tr("Class"), tr("Train"), tr("Val"), tr("Test")])
        self.counts.verticalHeader().hide()
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.counts.setMinimumHeight(120)
        v = QVBoxLayout(self)
        v.addWidget(self.summary)
        v.addWidget(self.counts, 1)

    def show_data(self, data: DataSet) -> None:
        s = data.summary()
        sizes = s.get("sizes", {})
        what = (tr("%n token(s)", n=data.num_classes) if data.task == "next_token" else
                tr("%n class(es)", n=data.num_classes) if data.task == "classification"
                else tr("%n output(s)", n=data.num_classes))
        lines = [
            tr("<b>{}</b>: {}, samples of {}").format(
                data.name, tr(data.kind), " x ".join(map(str, data.sample_shape))),
            f"{tr(data.task.replace('_', ' '))}, {what}",
            tr("train {} · validation {} · test {}").format(
                f"{sizes.get('train', 0):,}", f"{sizes.get('val', 0):,}",
                f"{sizes.get('test', 0):,}"),
        ]
        if s.get("skipped"):
            lines.append(tr("%n unreadable sample(s) skipped", n=s["skipped"]))
        lines += [str(n) for n in s.get("notes", [])]
        self.summary.setText("<br>".join(lines))
        self._fill_counts(data, s)

    def _fill_counts(self, data: DataSet, summary: dict[str, Any]) -> None:
        counts = summary.get("class_counts") or {}
        names = list(data.class_names) if data.task == "classification" else []
        self.counts.setRowCount(len(names))
        self.counts.setVisible(bool(names))
        for r, name in enumerate(names):
            self.counts.setItem(r, 0, QTableWidgetItem(str(name)))
            for c, split in enumerate(("train", "val", "test"), start=1):
                values = counts.get(split) or []
                item = QTableWidgetItem(f"{values[r]:,}" if r < len(values) else "—")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.counts.setItem(r, c, item)


class SamplePreview(QGroupBox):
    """The first training samples, as thumbnails or lines of text."""

    def __init__(self) -> None:
        super().__init__(tr("First {} training samples").format(SAMPLES))
        self.samples = SampleList()
        self.samples.setUniformItemSizes(True)
        QVBoxLayout(self).addWidget(self.samples)

    def show_data(self, data: DataSet) -> None:
        self.samples.set_kind(data.kind, data.vocab, data.tokenizer)
        split = data.train
        for i in range(min(SAMPLES, len(split))):
            x, y = split_sample(split, i)
            if x is None:
                break
            label = (label_text(y, data.class_names)
                     if y is not None and data.task != "next_token" else "")
            tip = tr("training sample {}: {}").format(i, label) if data.kind == "image" else ""
            self.samples.add_sample(x, label, tip)
        if data.kind == "image":
            self.samples.setIconSize(QSize(64, 64))
