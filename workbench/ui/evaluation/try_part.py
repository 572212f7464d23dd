"""The Evaluation tab's "Try it" part: the box (an image drop, text input, prediction bars),
the model it uses (the run's best checkpoint, or one handed over), predictions, and the
Generate and Explain windows opened on that model."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import style
from workbench.ui.evaluation.stored import DataOrigin
from workbench.ui.evaluation.try_it import ImageDrop, PredictionBars
from workbench.ui.i18n import tr_noop, translator
from workbench.ui.widgets.samples import split_sample

tr = translator("evaluation.panel")  # the panel's context: its translations stay as they were

if TYPE_CHECKING:
    from torch import nn

    from workbench.core.data import DataSet
    from workbench.core.data.meta import DataMeta
    from workbench.core.evaluate import EvaluationResult

IMAGE_FILTER = tr_noop("Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;All files (*)")
_GIVEN = "<given>"  # _model_dir of a model handed over by set_model (no run folder)


class TryItPart:
    """Part of the EvaluationPanel (a QWidget; its other attributes are set in its
    ``__init__``)."""

    dataset: DataSet | None
    run_dir: str | None
    _model: nn.Module | None
    _meta: DataMeta | None
    _model_dir: str | None
    _try_value: Any

    def _build_try_it(self) -> QGroupBox:
        box = QGroupBox(tr("Try it"))
        v = QVBoxLayout(box)
        self.drop = ImageDrop()
        self.drop.dropped.connect(self.predict_file)
        self.open_button = QPushButton(tr("Open image…"))
        self.open_button.clicked.connect(self._open_image)
        self.text_input = QLineEdit()
        self.text_input.setPlaceholderText(tr("Type text (or numbers, comma separated)…"))
        self.text_input.returnPressed.connect(lambda: self.predict_text(self.text_input.text()))
        self.predict_button = QPushButton(tr("Predict"))
        self.predict_button.clicked.connect(lambda: self.predict_text(self.text_input.text()))
        row = QHBoxLayout()
        row.addWidget(self.text_input, 1)
        row.addWidget(self.predict_button)
        self.text_row = QWidget()
        self.text_row.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.bars = PredictionBars()
        self.explain_button = QPushButton(tr("Explain…"))
        self.explain_button.setToolTip(tr("Why this prediction? Saliency, Grad-CAM, LIME, SHAP "
                                       "and more, and a look inside the layers"))
        self.explain_button.clicked.connect(lambda: self.explain(self._try_value))
        self.generate_button = QPushButton(tr("Generate text…"))
        self.generate_button.setToolTip(tr("Let the model write: a prompt, then token after "
                                           "token (temperature, top-k, top-p, seed)"))
        self.generate_button.clicked.connect(self.generate)
        self.generate_button.hide()
        self.try_status = QLabel("")
        self.try_status.setWordWrap(True)
        # Open and Explain share a row: the panel then fits a 640-pixel-high window
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button, 1)
        buttons.addWidget(self.explain_button, 1)
        v.addWidget(self.drop, 1)
        v.addLayout(buttons)
        v.addWidget(self.text_row)
        v.addWidget(self.bars)
        v.addWidget(self.generate_button)
        v.addWidget(self.try_status)
        return box

    def _forget_try(self) -> None:
        """Another model is tried (or none): the last image, text and answer were not its."""
        self._try_value = None
        self.drop.clear_image()
        self.text_input.clear()
        self.bars.set_predictions([])
        self.try_status.setText("")

    def _set_try_enabled(self, on: bool) -> None:
        for w in (self.open_button, self.text_input, self.predict_button, self.drop,
                  self.explain_button, self.generate_button):
            w.setEnabled(on)
        if not on:
            self.try_status.setText(tr("Available once a run has a trained model."))
        else:
            self.try_status.setText("")

    def set_model(self, model: nn.Module, meta: DataMeta, title: str,
                  results: EvaluationResult | None = None,
                  origin: DataOrigin | None = None) -> None:
        """Use ``model`` (weights loaded) and its DataMeta for "Try it" without a run folder,
        e.g. an opened bundle; ``results`` (its recorded test evaluation) fill the headline,
        and their samples are drawn from ``origin`` (where the bundle's data came from)."""
        self.dataset, self.run_dir = None, None
        self._forget_try()
        self._model, self._meta, self._model_dir = model, meta, _GIVEN
        if results:
            self.show_results(results, origin=origin)
            self.headline.setText(f"{title}: {self.headline.text()}")
        else:
            self.clear()
            self.headline.setText(tr("{}: no test results recorded.").format(title))
        self._set_try_enabled(True)
        self._show_inputs_for_kind()
        self.try_status.setText(tr("Try it uses {}.").format(title))

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
            self.try_status.setText(tr("Cannot load the trained model: {}").format(exc))
            self._model = None
            return False
        return True

    def _open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open an image"), "", tr(IMAGE_FILTER))
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
            self.try_status.setText(tr("Cannot predict: {}").format(exc))
            self.bars.set_predictions([])
            return []
        rows = [(str(p[0]), float(p[1])) for p in preds]
        if getattr(self._meta, "task", None) == "regression":
            self.bars.set_predictions([])
            self.try_status.setText(tr("Prediction: ") + ", ".join(f"{n} = {v:.4g}" for n, v in rows))
            return rows
        self.bars.set_predictions(rows)
        notes = "".join(f"<br><span style='color:{style.WARNING}'>{escape(n, quote=False)}</span>"
                        for n in getattr(preds, "notes", []))
        self.try_status.setText((tr("Prediction: ") + f"<b>{escape(rows[0][0], quote=False)}</b>" if rows else "") + notes)
        return rows

    # -- generate (workbench.ui.generate) --------------------------------------------------
    def generate(self) -> Any:
        """The Generate window on this run's (or the given) text model."""
        given = self._model_dir is _GIVEN
        if not given and self.run_dir is None:
            self.try_status.setText("Train a text model first: its run writes here.")
            return None
        from workbench.ui.generate.text_window import show_generate

        title = "the opened model" if given else Path(self.run_dir).name  # type: ignore[arg-type]
        return show_generate(self, None if given else self.run_dir, title,
                             model=self._model if given else None,
                             meta=self._meta if given else None)

    # -- explain (workbench.ui.explain) ----------------------------------------------------
    def _gallery_sample(self, item: QListWidgetItem | None) -> Any:
        test = self.dataset.test if self.dataset is not None else None
        if item is None or test is None:
            return None
        return split_sample(test, item.data(Qt.ItemDataRole.UserRole))[0]

    def explain(self, value: Any) -> Any:
        """The Explain window on ``value`` (an image path, a text, a raw test sample)."""
        if value is None:
            self.try_status.setText(tr("Try an image or a text first, or double-click a sample."))
            return None
        given = self._model_dir is _GIVEN
        try:
            from workbench.ui.explain import show_explain

            return show_explain(self, value, run_dir=None if given else self.run_dir,
                                model=self._model if given else None,
                                meta=self._meta if given else None)
        except Exception as exc:  # noqa: BLE001 - one line for the user
            self.try_status.setText(tr("Cannot explain: {}").format(exc))
            return None
