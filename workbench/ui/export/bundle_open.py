"""File > Open… on a Workbench bundle: the bundle's model goes on the canvas as a new,
untitled document named after the file, and its trained weights (with the bundle's data
description) become the Evaluation tab's "Try it" model. A file that is not a usable bundle
changes nothing and says why (the core's BundleError line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from workbench.ui.i18n import translator

tr = translator("export.bundle_open")


def open_bundle(window: Any, path: str | Path) -> bool:
    """Open ``path`` in ``window`` (the unsaved-changes question was asked by the caller)."""
    from workbench.core.export import BundleError, load_bundle

    path = Path(path)
    # Loading checks every checksum and builds the model: quick for what the app trains, but
    # say that something is happening for a big one
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        bundle = load_bundle(path)
    except BundleError as e:
        window.prompts.error(tr("Cannot open the bundle"), str(e))
        return False
    except Exception as e:  # noqa: BLE001 - load_bundle promises BundleError; never crash
        window.prompts.error(tr("Cannot open the bundle"), f"{path.name}: {e}")
        return False
    finally:
        QGuiApplication.restoreOverrideCursor()
    window.open_spec(bundle.spec, None, title=path.stem)
    message = tr("Opened {}: its model is on the canvas with its weights attached "
                 "(training fine-tunes them)").format(path.name)
    workspace = getattr(getattr(window, "document", None), "workspace", None)
    if workspace is not None:
        from workbench.core.finetune import InitialWeights
        from workbench.core.finetune.weights import by_layer

        workspace.attach_weights(InitialWeights(
            by_layer(bundle.model.state_dict()), str(path.resolve()),
            [f"the weights of the bundle {path.name}"]))
    ui = getattr(window, "training_ui", None)
    if ui is not None:
        try:
            meta = bundle.data_meta()
        except BundleError:
            message += " (no data description in the bundle, so no Try it)"
        else:
            from workbench.core.evaluate import EvaluationResult
            from workbench.ui.evaluation.stored import DataOrigin

            config = bundle.training_config()
            origin = DataOrigin.of(bundle.data_source, bundle.data_options,
                                   config.seed if config is not None else 0)
            results = EvaluationResult.from_dict(bundle.metrics) if bundle.metrics else None
            ui.evaluation_panel.set_model(bundle.model, meta, tr("the bundle {}").format(path.name),
                                          results, origin)
            message += ", its weights in Try it on the Evaluation tab"
    window.statusBar().showMessage(message, 10000)
    return True
