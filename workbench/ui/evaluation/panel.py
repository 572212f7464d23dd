"""The Evaluation tab, filled when a run has been evaluated on its test split: accuracy and
loss, the confusion matrix (click a cell to see those samples), per-class precision, recall
and F1, the worst-predicted samples, and "Try it" on an image file or typed text."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import style
from workbench.ui.data.thumbnails import decode_tokens, describe_features, sample_pixmap
from workbench.ui.evaluation.confusion import ConfusionView
from workbench.ui.evaluation.figures import headline, value_text
from workbench.ui.evaluation.try_it import ImageDrop, PredictionBars
from workbench.ui.sort_header import use_sort_header

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;All files (*)"
GALLERY_LIMIT = 64
_GIVEN = "<given>"  # _model_dir of a model handed over by set_model (no run folder)


class _ClassItem(QTableWidgetItem):
    """A class name that sorts in class order (2 before 10), not as text."""

    def __init__(self, name: str, index: int) -> None:
        super().__init__(name)
        self.index = index

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _ClassItem):
            return self.index < other.index
        return super().__lt__(other)


class EvaluationPanel(QWidget):
    """``show_results(results, dataset, run_dir)`` fills it; ``clear()`` empties it."""

    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: dict[str, Any] | None = None
        self.dataset: Any = None
        self.run_dir: str | None = None
        self.class_names: list[str] = []
        self._model: Any = None
        self._meta: Any = None
        self._model_dir: str | None = None
        self.filter: tuple[int, int] | None = None
        self._pending = False
        self._try_value: Any = None  # the last input tried: what Explain… explains

        self.headline = QLabel("No evaluation yet: train a model and it is tested here.")
        self.headline.setStyleSheet("font-size: 14pt; padding: 4px;")
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.confusion = ConfusionView()
        self.confusion.cell_clicked.connect(self.show_cell)
        confusion_box = QGroupBox("Confusion matrix (rows: true class, columns: predicted)")
        QVBoxLayout(confusion_box).addWidget(self.confusion)

        self.per_class = QTableWidget(0, 5)
        use_sort_header(self.per_class)  # an arrow that points the way the rows run
        self.per_class.setHorizontalHeaderLabels(["Class", "Precision", "Recall", "F1", "Support"])
        self.per_class.verticalHeader().hide()
        self.per_class.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.per_class.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        per_class_box = QGroupBox("Per class")
        QVBoxLayout(per_class_box).addWidget(self.per_class)

        self.gallery = QListWidget()
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(64, 64))
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setSpacing(6)
        self.gallery.setWordWrap(True)
        self.gallery.setGridSize(QSize(104, 110))
        self.gallery.itemActivated.connect(lambda item: self.explain(self._gallery_sample(item)))
        explain_sample = QAction("Explain this sample…", self.gallery)
        explain_sample.triggered.connect(
            lambda: self.explain(self._gallery_sample(self.gallery.currentItem())))
        self.gallery.addAction(explain_sample)
        self.gallery.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.gallery_title = QLabel("Worst-predicted test samples")
        self.show_all = QPushButton("Show worst")
        self.show_all.setEnabled(False)
        self.show_all.clicked.connect(lambda: self.show_cell(None, None))
        gallery_box = QGroupBox("Samples")
        gv = QVBoxLayout(gallery_box)
        gh = QHBoxLayout()
        gh.addWidget(self.gallery_title, 1)
        gh.addWidget(self.show_all)
        gv.addLayout(gh)
        gv.addWidget(self.gallery)

        gallery_box.setMinimumWidth(260)
        self.try_box = self._build_try_it()

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(confusion_box)
        top.addWidget(per_class_box)
        top.setSizes([600, 400])
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(gallery_box)
        bottom.addWidget(self.try_box)
        bottom.setSizes([650, 350])
        vsplit = QSplitter(Qt.Orientation.Vertical)
        vsplit.addWidget(top)
        vsplit.addWidget(bottom)
        vsplit.setSizes([450, 350])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.headline)
        layout.addWidget(vsplit, 1)
        self.clear()

    def _build_try_it(self) -> QGroupBox:
        box = QGroupBox("Try it")
        v = QVBoxLayout(box)
        self.drop = ImageDrop()
        self.drop.dropped.connect(self.predict_file)
        self.open_button = QPushButton("Open image…")
        self.open_button.clicked.connect(self._open_image)
        self.text_input = QLineEdit()
        self.text_input.setPlaceholderText("Type text (or numbers, comma separated)…")
        self.text_input.returnPressed.connect(lambda: self.predict_text(self.text_input.text()))
        self.predict_button = QPushButton("Predict")
        self.predict_button.clicked.connect(lambda: self.predict_text(self.text_input.text()))
        row = QHBoxLayout()
        row.addWidget(self.text_input, 1)
        row.addWidget(self.predict_button)
        self.text_row = QWidget()
        self.text_row.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.bars = PredictionBars()
        self.explain_button = QPushButton("Explain…")
        self.explain_button.setToolTip("Why this prediction? Saliency, Grad-CAM, LIME, SHAP "
                                       "and more, and a look inside the layers")
        self.explain_button.clicked.connect(lambda: self.explain(self._try_value))
        self.try_status = QLabel("")
        self.try_status.setWordWrap(True)
        v.addWidget(self.drop, 1)
        v.addWidget(self.open_button)
        v.addWidget(self.text_row)
        v.addWidget(self.bars)
        v.addWidget(self.explain_button)
        v.addWidget(self.try_status)
        return box

    # -- results ---------------------------------------------------------------------------
    def clear(self) -> None:
        self.results = None
        self._pending = False
        self.filter = None
        self.headline.setText("No evaluation yet: train a model and it is tested here.")
        self.confusion.set_matrix(None, [])
        self.per_class.setRowCount(0)
        self.gallery.clear()
        self._forget_try()
        self._set_try_enabled(False)

    def _forget_try(self) -> None:
        """Another model is tried (or none): the last image, text and answer were not its."""
        self._try_value = None
        self.drop.clear_image()
        self.text_input.clear()
        self.bars.set_predictions([])
        self.try_status.setText("")

    def show_results(self, results: dict[str, Any], dataset: Any = None,
                     run_dir: str | None = None) -> None:
        self.results = dict(results)
        self.dataset = dataset
        if run_dir is not None and run_dir != self._model_dir:
            self._model = None
        if run_dir != self.run_dir:
            self._forget_try()
        self.run_dir = run_dir
        self.class_names = [str(c) for c in results.get("class_names") or
                            (getattr(dataset, "class_names", None) or [])]
        self.headline.setText(headline(results))
        self._set_try_enabled(run_dir is not None or self._model_dir is _GIVEN)
        # The tables and thumbnails are built when the tab is (next) shown: a run ending
        # while another tab is up costs the window nothing.
        self._pending = True
        if self.isVisible():
            self.ensure_rendered()
        self._show_inputs_for_kind()
        self.message.emit(self.headline.text().replace("<b>", "").replace("</b>", ""))

    def _show_inputs_for_kind(self) -> None:
        kind = self._data_kind()
        self.drop.setVisible(kind in (None, "image"))
        self.open_button.setVisible(kind in (None, "image"))
        self.text_row.setVisible(kind in ("tokens", "features"))
        self.text_input.setPlaceholderText("Type some text…" if kind == "tokens"
                                           else "Numbers, comma separated…")

    def ensure_rendered(self) -> None:
        """Build the confusion matrix, per-class table and gallery of the latest results."""
        if not self._pending or self.results is None:
            return
        self._pending = False
        self._show_class_views(not self.is_regression)
        self.confusion.set_matrix(self.results.get("confusion"), self.class_names)
        self._fill_per_class(self.results.get("per_class") or [])
        self.show_cell(None, None)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.ensure_rendered()

    def _data_kind(self) -> str | None:
        if self.dataset is not None:
            return self.dataset.kind
        meta = self._meta
        return getattr(meta, "kind", None)

    def _fill_per_class(self, rows: list[dict[str, Any]]) -> None:
        self.per_class.setSortingEnabled(False)
        self.per_class.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.per_class.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [str(row.get("name", r))] + [row.get(k) for k in ("precision", "recall", "f1")]
            for c, v in enumerate(cells):
                item = QTableWidgetItem()
                if c == 0:
                    item = _ClassItem(v, r)
                else:
                    # fixed decimals in [0, 1]: the text sorts as the numbers do
                    item.setText(f"{float(v):.3f}" if isinstance(v, int | float) else "—")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.per_class.setItem(r, c, item)
            support = QTableWidgetItem()
            support.setData(Qt.ItemDataRole.DisplayRole, int(row.get("support", 0) or 0))
            support.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.per_class.setItem(r, 4, support)
        self.per_class.setSortingEnabled(True)

    # -- gallery ---------------------------------------------------------------------------
    def _class_index(self, value: Any) -> int | None:
        if isinstance(value, int | np.integer):
            return int(value)
        if isinstance(value, str) and value in self.class_names:
            return self.class_names.index(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def _class_name(self, value: Any) -> str:
        i = self._class_index(value)
        if i is not None and 0 <= i < len(self.class_names):
            return self.class_names[i]
        return str(value)

    @property
    def is_regression(self) -> bool:
        return (self.results or {}).get("task") == "regression"

    def _show_class_views(self, on: bool) -> None:
        """The confusion matrix and per-class table (and what holds them): not for regression."""
        boxes = [w.parentWidget() for w in (self.confusion, self.per_class)]
        for box in boxes:
            if box is not None and box is not self:
                box.setVisible(on)
        holder = boxes[0].parentWidget() if boxes[0] is not None else None
        if isinstance(holder, QSplitter) and boxes[1] is not None \
                and holder is boxes[1].parentWidget():
            holder.setVisible(on)

    def cell_samples(self, true: int, pred: int) -> list[dict[str, Any]]:
        """Every test sample of a confusion cell, most telling first (confident mistakes,
        hesitant hits); from the per-sample predictions, else from the worst samples kept."""
        results = self.results or {}
        labels, preds = results.get("labels") or [], results.get("predicted") or []
        conf = results.get("confidence") or []
        if labels and len(labels) == len(preds):
            out = [{"index": i, "true": t, "pred": p,
                    "confidence": conf[i] if i < len(conf) else None}
                   for i, (t, p) in enumerate(zip(labels, preds, strict=True))
                   if t == true and p == pred]
            sign = 1.0 if true == pred else -1.0
            out.sort(key=lambda s: sign * (s["confidence"] if isinstance(s["confidence"], int | float)
                                           else 0.0))
            return out
        pool = results.get("worst") or []  # the evaluation keeps the worst samples only
        return [s for s in pool if self._class_index(s.get("true")) == true
                and self._class_index(s.get("pred")) == pred]

    def samples_for(self, true: int | None, pred: int | None) -> list[dict[str, Any]]:
        """Samples to show: those of a confusion cell, or the worst ones."""
        if true is None:
            return list((self.results or {}).get("worst") or [])[:GALLERY_LIMIT]
        return self.cell_samples(true, pred)[:GALLERY_LIMIT]

    def show_cell(self, true: int | None, pred: int | None) -> None:
        self.filter = None if true is None else (true, pred)
        samples = self.samples_for(true, pred)
        if true is None:
            what = "Largest-error" if self.is_regression else "Worst-predicted"
            self.gallery_title.setText(f"{what} test samples ({len(samples)})")
            self.show_all.setEnabled(False)
        else:
            t, p = self._class_name(true), self._class_name(pred)
            what = "correct" if true == pred else "mistaken"
            complete = bool((self.results or {}).get("predicted"))
            total = len(self.cell_samples(true, pred)) if complete else len(samples)
            shown = f"{len(samples)} of {total:,}" if total > len(samples) else f"{total:,}"
            self.gallery_title.setText(
                f"True {t}, predicted {p}: {shown} {what} sample(s) shown"
                + ("" if complete or samples else " (only the worst are kept)"))
            self.show_all.setEnabled(True)
        self._fill_gallery(samples)

    def _fill_gallery(self, samples: list[dict[str, Any]]) -> None:
        self.gallery.clear()
        data = self.dataset
        test = getattr(data, "test", None) if data is not None else None
        image = data is not None and data.kind == "image"
        self.gallery.setViewMode(QListView.ViewMode.IconMode if image or data is None
                                 else QListView.ViewMode.ListMode)
        if image or data is None:
            self.gallery.setGridSize(QSize(104, 110))
        else:
            self.gallery.setGridSize(QSize())
        for s in samples:
            if self.is_regression:  # values, not classes
                t, p = value_text(s.get("true")), value_text(s.get("pred"))
            else:
                t, p = self._class_name(s.get("true")), self._class_name(s.get("pred"))
            conf = s.get("confidence")
            conf_text = f" ({100 * float(conf):.0f} %)" if isinstance(conf, int | float) else ""
            caption = f"{t} → {p}{conf_text}"
            x = _test_sample(test, s.get("index"))
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, s.get("index"))
            tip = (f"test sample {s.get('index')}: true {t}, predicted {p}{conf_text}"
                   + (f", loss {float(s['loss']):.3f}" if isinstance(s.get('loss'), int | float) else ""))
            item.setToolTip(tip)
            if x is not None and image:
                pix = sample_pixmap(x, 64)
                if pix is not None:
                    item.setIcon(pix)
                item.setText(caption)
            elif x is not None and data.kind == "tokens":
                item.setText(f"{caption}: {decode_tokens(x, data.vocab, data.tokenizer, 160)}")
            elif x is not None:
                item.setText(f"{caption}: {describe_features(x)}")
            else:
                item.setText(caption)
            self.gallery.addItem(item)

    # -- try it ----------------------------------------------------------------------------
    def _set_try_enabled(self, on: bool) -> None:
        for w in (self.open_button, self.text_input, self.predict_button, self.drop,
                  self.explain_button):
            w.setEnabled(on)
        if not on:
            self.try_status.setText("Available once a run has a trained model.")
        else:
            self.try_status.setText("")

    def set_model(self, model: Any, meta: Any, title: str,
                  results: dict[str, Any] | None = None) -> None:
        """Use ``model`` (weights loaded) and its DataMeta for "Try it" without a run folder,
        e.g. an opened bundle; ``results`` (its recorded test evaluation) fill the headline."""
        self.dataset, self.run_dir = None, None
        self._forget_try()
        self._model, self._meta, self._model_dir = model, meta, _GIVEN
        if results:
            self.show_results(results)
            self.headline.setText(f"{title}: {self.headline.text()}")
        else:
            self.clear()
            self.headline.setText(f"{title}: no test results recorded.")
        self._set_try_enabled(True)
        self._show_inputs_for_kind()
        self.try_status.setText(f"Try it uses {title}.")

    def set_run(self, run_dir: str | None) -> None:
        """The run whose best checkpoint "Try it" uses."""
        if run_dir != self._model_dir:
            self._model = None
        if run_dir != self.run_dir:
            self._forget_try()
        self.run_dir = run_dir
        self._set_try_enabled(run_dir is not None)

    def _load_model(self) -> bool:
        if self._model is not None and (self._model_dir is _GIVEN
                                        or self._model_dir == self.run_dir):
            return True
        if self.run_dir is None:
            return False
        try:
            from workbench.core.runs import open_run

            run = open_run(self.run_dir)
            self._model = run.load_model("best")
            self._meta = run.meta
            self._model_dir = self.run_dir
        except Exception as exc:  # noqa: BLE001 - one line for the user
            self.try_status.setText(f"Cannot load the trained model: {exc}")
            self._model = None
            return False
        return True

    def _open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an image", "", IMAGE_FILTER)
        if path:
            self.predict_file(path)

    def predict_file(self, path: str) -> list[tuple[str, float]]:
        from PySide6.QtGui import QPixmap

        pm = QPixmap(path)
        if not pm.isNull():
            self.drop.set_image(pm)
        return self._predict(Path(path))

    def predict_text(self, text: str) -> list[tuple[str, float]]:
        text = text.strip()
        if not text:
            return []
        return self._predict(text)  # predict() reads text, or numbers separated by commas

    def _predict(self, value: Any) -> list[tuple[str, float]]:
        self._try_value = value
        if not self._load_model():
            return []
        try:
            from workbench.core.evaluate import predict

            preds = predict(self._model, self._meta, value, top_k=5)
        except Exception as exc:  # noqa: BLE001 - a bad file or text: say why
            self.try_status.setText(f"Cannot predict: {exc}")
            self.bars.set_predictions([])
            return []
        rows = [(str(p[0]), float(p[1])) for p in preds]
        if getattr(self._meta, "task", None) == "regression":
            self.bars.set_predictions([])
            self.try_status.setText("Prediction: " + ", ".join(f"{n} = {v:.4g}" for n, v in rows))
            return rows
        self.bars.set_predictions(rows)
        notes = "".join(f"<br><span style='color:{style.WARNING}'>{escape(n, quote=False)}</span>"
                        for n in getattr(preds, "notes", []))
        self.try_status.setText((f"Prediction: <b>{escape(rows[0][0], quote=False)}</b>" if rows else "") + notes)
        return rows

    # -- explain (workbench.ui.explain) ----------------------------------------------------
    def _gallery_sample(self, item: QListWidgetItem | None) -> Any:
        test = getattr(self.dataset, "test", None) if self.dataset is not None else None
        return _test_sample(test, item.data(Qt.ItemDataRole.UserRole)) if item else None

    def explain(self, value: Any) -> Any:
        """The Explain window on ``value`` (an image path, a text, a raw test sample)."""
        if value is None:
            self.try_status.setText("Try an image or a text first, or double-click a sample.")
            return None
        given = self._model_dir is _GIVEN
        try:
            from workbench.ui.explain import show_explain

            return show_explain(self, value, run_dir=None if given else self.run_dir,
                                model=self._model if given else None,
                                meta=self._meta if given else None)
        except Exception as exc:  # noqa: BLE001 - one line for the user
            self.try_status.setText(f"Cannot explain: {exc}")
            return None


def _test_sample(split: Any, index: Any) -> Any:
    if split is None or not isinstance(index, int | np.integer):
        return None
    i = int(index)
    try:
        if split.x is not None:
            return split.x[i] if 0 <= i < len(split.x) else None
        if split.dataset is not None:
            return split.dataset[i][0]
    except Exception:  # noqa: BLE001
        return None
    return None
