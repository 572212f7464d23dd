"""The Evaluation tab, filled when a run has been evaluated on its test split: accuracy and
loss, the confusion matrix (click a cell to see those samples), per-class precision, recall
and F1, the worst-predicted samples, and "Try it" on an image file or typed text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.evaluation.confusion import ConfusionView
from workbench.ui.evaluation.figures import headline
from workbench.ui.evaluation.gallery import GALLERY_LIMIT, Gallery
from workbench.ui.evaluation.per_class import PerClassTable
from workbench.ui.evaluation.stored import DataOrigin, StoredEvaluations, origin_of_run
from workbench.ui.evaluation.try_part import _GIVEN, TryItPart
from workbench.ui.i18n import tr_noop, translator
from workbench.ui.sort_header import use_sort_header
from workbench.ui.widgets.splitters import side_by_side, stacked

tr = translator("evaluation.panel")

if TYPE_CHECKING:
    from torch import nn

    from workbench.core.data import DataSet
    from workbench.core.data.meta import DataMeta
    from workbench.core.evaluate import EvaluationResult

__all__ = ["GALLERY_LIMIT", "EvaluationPanel"]
EMPTY = tr_noop("No evaluation yet: train a model and it is tested here.")


class EvaluationPanel(TryItPart, QWidget):
    """``show_results(result, dataset, run_dir)`` fills it; ``clear()`` empties it. A result
    shown without its data set (a stored run, a bundle) gets its test samples loaded again;
    a run without a result can be evaluated on demand (``evaluate_run``)."""

    message = Signal(str)
    evaluated = Signal(str, object)  # run folder, EvaluationResult: an on-demand evaluation

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: EvaluationResult | None = None
        self.dataset: DataSet | None = None
        self.run_dir: str | None = None
        self.origin: DataOrigin | None = None  # where the shown result's test split comes from
        self.class_names: list[str] = []
        self._model: nn.Module | None = None
        self._meta: DataMeta | None = None
        self._model_dir: str | None = None
        self._pending = False
        self.stored = StoredEvaluations(self)
        self.stored.samples_ready.connect(self._on_samples)
        self.stored.samples_failed.connect(self._on_samples_failed)
        self.stored.evaluated.connect(self._on_evaluated)
        self.stored.evaluation_failed.connect(self._on_evaluation_failed)
        self._try_value: Any = None  # the last input tried: what Explain… explains

        self.headline = QLabel(tr(EMPTY))
        self.headline.setStyleSheet("font-size: 14pt; padding: 4px;")
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.evaluate_button = QPushButton(tr("Test the best checkpoint"))
        self.evaluate_button.setToolTip(tr("Evaluate the run's best weights on its test split now"))
        self.evaluate_button.clicked.connect(lambda: self.evaluate_run(self.run_dir))
        self.evaluate_button.hide()

        self.confusion = ConfusionView()
        self.confusion.cell_clicked.connect(self.show_cell)
        confusion_box = QGroupBox(tr("Confusion matrix (rows: true class, columns: predicted)"))
        QVBoxLayout(confusion_box).addWidget(self.confusion)

        self.per_class = PerClassTable()
        use_sort_header(self.per_class)  # an arrow that points the way the rows run
        per_class_box = QGroupBox(tr("Per class"))
        QVBoxLayout(per_class_box).addWidget(self.per_class)

        self.gallery_box = Gallery()
        self.gallery, self.gallery_title = self.gallery_box.samples, self.gallery_box.title
        self.show_all = self.gallery_box.show_all
        self.gallery.itemActivated.connect(lambda item: self.explain(self._gallery_sample(item)))
        explain_sample = QAction(tr("Explain this sample…"), self.gallery)
        explain_sample.triggered.connect(
            lambda: self.explain(self._gallery_sample(self.gallery.currentItem())))
        self.gallery.addAction(explain_sample)
        self.gallery.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.try_box = self._build_try_it()

        vsplit = stacked(side_by_side(confusion_box, per_class_box, sizes=[600, 400]),
                         side_by_side(self.gallery_box, self.try_box, sizes=[650, 350]),
                         sizes=[450, 350])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top_row = QHBoxLayout()
        top_row.addWidget(self.headline, 1)
        top_row.addWidget(self.evaluate_button)
        layout.addLayout(top_row)
        layout.addWidget(vsplit, 1)
        self._class_views = vsplit
        from workbench.ui.evaluation.pictures import RunPictures

        self.pictures = RunPictures()  # models that make images (GANs, autoencoders)
        layout.addWidget(self.pictures, 1)
        self.clear()

    # -- results ---------------------------------------------------------------------------
    @property
    def filter(self) -> tuple[int, int | None] | None:
        return self.gallery_box.filter

    @property
    def is_regression(self) -> bool:
        return self.results is not None and self.results.task == "regression"

    def show_pictures(self, results: dict[str, Any], run_dir: str | None) -> int:
        """A GAN's or an autoencoder's evaluation: its figures and pictures."""
        self.clear()
        self._class_views.hide()
        self.pictures.show()
        self.headline.setText("Evaluation of a model that makes images")
        return self.pictures.show_results(results, run_dir)

    def clear(self) -> None:
        if hasattr(self, "pictures"):
            self.pictures.hide()
            self._class_views.show()
        self.results = None
        self.origin = None
        self._pending = False
        self.headline.setText(tr(EMPTY))
        self.evaluate_button.hide()
        self.confusion.set_matrix(None, [])
        self.per_class.setRowCount(0)
        self.gallery_box.clear()
        self._forget_try()
        self._set_try_enabled(False)

    def show_results(self, result: EvaluationResult, dataset: DataSet | None = None,
                     run_dir: str | None = None, origin: DataOrigin | None = None) -> None:
        """Show ``result``. Without ``dataset`` the test samples are loaded again from
        ``origin`` (or the run's data), on a worker thread, and drawn when they arrive."""
        self.results = result
        if run_dir is not None and run_dir != self._model_dir:
            self._model = None
        if run_dir != self.run_dir:
            self._forget_try()
        self.run_dir = run_dir
        self.class_names = [str(c) for c in result.class_names or
                            (getattr(dataset, "class_names", None) or [])]
        self.headline.setText(headline(result))
        self.evaluate_button.hide()
        self._set_try_enabled(run_dir is not None or self._model_dir is _GIVEN)
        if dataset is None and origin is None and run_dir is not None:
            origin = origin_of_run(run_dir)
        self.origin = origin
        self.dataset = dataset if dataset is not None else self.stored.cached(origin)
        self.gallery_box.set_results(result, self.dataset, self.class_names)
        if self.dataset is None and origin is not None and result.worst:
            self.gallery_box.set_note(tr("Loading the test samples…"))
            self.stored.load_samples(origin)
        # The tables and thumbnails are built when the tab is (next) shown: a run ending
        # while another tab is up costs the window nothing.
        self._pending = True
        if self.isVisible():
            self.ensure_rendered()
        self._show_inputs_for_kind()
        self.message.emit(self.headline.text().replace("<b>", "").replace("</b>", ""))

    def _on_samples(self, origin: DataOrigin, data: DataSet) -> None:
        if origin != self.origin or self.results is None:
            return  # another result is shown by now
        self.dataset = data
        self.gallery_box.set_note("")
        self.gallery_box.set_data(data)
        self._show_inputs_for_kind()

    def _on_samples_failed(self, origin: DataOrigin, text: str) -> None:
        if origin == self.origin:
            self.gallery_box.set_note(tr("The test samples cannot be shown: {}").format(text))

    def _show_inputs_for_kind(self) -> None:
        kind = self._data_kind()
        self.drop.setVisible(kind in (None, "image"))
        self.open_button.setVisible(kind in (None, "image"))
        self.text_row.setVisible(kind in ("tokens", "features"))
        self.text_input.setPlaceholderText(tr("Type some text…") if kind == "tokens"
                                           else tr("Numbers, comma separated…"))
        self.generate_button.setVisible(self.is_text_model)

    @property
    def is_text_model(self) -> bool:
        """A next-token model of text: the Generate window can continue a prompt with it."""
        task = self.results.task if self.results is not None else getattr(self._meta, "task", None)
        return task == "next_token" and self._data_kind() in ("tokens", None)

    def ensure_rendered(self) -> None:
        """Build the confusion matrix, per-class table and gallery of the latest results."""
        if not self._pending or self.results is None:
            return
        self._pending = False
        self._show_class_views(not self.is_regression)
        self.confusion.set_matrix(self.results.confusion or None, self.class_names)
        self.per_class.fill(self.results.per_class)
        self.show_cell(None, None)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.ensure_rendered()

    def _data_kind(self) -> str | None:
        if self.dataset is not None:
            return self.dataset.kind
        return self._meta.kind if self._meta is not None else None

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

    # -- samples ---------------------------------------------------------------------------
    def cell_samples(self, true: int, pred: int) -> list[dict[str, Any]]:
        return self.gallery_box.cell_samples(true, pred)

    def samples_for(self, true: int | None, pred: int | None) -> list[dict[str, Any]]:
        return self.gallery_box.samples_for(true, pred)

    def show_cell(self, true: int | None, pred: int | None) -> None:
        self.gallery_box.show_cell(true, pred)

    # -- evaluating a run on demand ----------------------------------------------------------
    def offer_evaluation(self, run_dir: str, why: str) -> None:
        """A run without a test result (it stopped first): say so, with the button."""
        self.clear()
        self.run_dir = run_dir
        self.headline.setText(why)
        self.evaluate_button.show()
        self.evaluate_button.setEnabled(True)
        self._set_try_enabled(True)

    def evaluate_run(self, run_dir: str | None) -> bool:
        """Test the run's best checkpoint on its test split, on a worker thread; the result
        is shown and saved with the run (``evaluated`` then tells the run history)."""
        if run_dir is None or self.stored.is_busy():
            return False
        self.offer_evaluation(run_dir, tr("Testing the best checkpoint on the test split…"))
        self.evaluate_button.setEnabled(False)
        self.stored.evaluate(run_dir)
        return True

    def _on_evaluated(self, run_dir: str, result: EvaluationResult, data: DataSet) -> None:
        self.evaluated.emit(run_dir, result)
        if self.run_dir == run_dir:
            self.show_results(result, data, run_dir)

    def _on_evaluation_failed(self, run_dir: str, text: str) -> None:
        if self.run_dir == run_dir:
            self.headline.setText(tr("The run could not be evaluated: {}").format(text))
            self.evaluate_button.setEnabled(True)
        self.message.emit(tr("The run could not be evaluated: {}").format(text))

    def shutdown(self, timeout: float = 60.0) -> bool:
        return self.stored.wait(timeout)
