"""Does the chosen data fit the model? Mismatches in words (the engine's own checks), each
with a one-click fix where the fix is obvious (an input or output size to set). A fix is
applied by ``Workspace.apply_fix``, one undoable edit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.core.graph import Analysis, ModelIO, ModelSpec, analyze, model_io
from workbench.core.graph.analysis import resolved_params

if TYPE_CHECKING:
    from workbench.core.data import DataSet


@dataclass(frozen=True)
class Mismatch:
    message: str
    node: str | None = None  # the layer it is about (and the one the fix edits)
    params: dict[str, Any] = field(default_factory=dict)  # the fix: parameter -> new value
    fix_label: str = ""  # "Set input to 1 x 8 x 8"

    @property
    def fixable(self) -> bool:
        return bool(self.node and self.params)


def _shape(shape: Any) -> str:
    return " x ".join(str(int(s)) for s in shape)


def check_data(spec: ModelSpec, data: DataSet, analysis: Analysis | None = None, *,
               input_only: bool = False) -> list[Mismatch]:
    """Why a DataSet does not fit the model (the engine's own check, in its words), each with
    a one-click fix where one is obvious. Empty when they fit or when the model has errors of
    its own (the problems panel shows those)."""
    try:
        analysis = analysis or analyze(spec)
        if not analysis.ok:
            return []
        io = model_io(spec, analysis)
    except Exception:  # noqa: BLE001 - an invalid model is reported by the problems panel
        return []
    from workbench.core.engine.compat import check_input, check_loss, check_output
    from workbench.core.engine.errors import TrainingError

    # the engine's own checks (check_compatibility's, in its order), each tied to the layer
    # it is about: the input layer, else the head
    fixes = _fixes(spec, io, data)
    try:
        check_input(io, data)
    except TrainingError as exc:
        return [_with_fix(str(exc), fixes, io.input_node)]
    if input_only:  # a GAN's discriminator: its head scores real against fake, not classes
        return []
    try:
        check_loss("auto", data)
        warnings = check_output(io, data, "auto")
    except TrainingError as exc:
        return [_with_fix(str(exc), fixes, io.output_node)]
    return [_with_fix(w, fixes, io.output_node) for w in warnings]


def _with_fix(message: str, fixes: list[Mismatch], where: str | None = None) -> Mismatch:
    """The message with the first fix; without one, tied to the layer ``where`` (on the
    canvas) but not fixable."""
    fix = fixes[0] if fixes else None
    if fix is None:
        return Mismatch(message, where)
    return Mismatch(message, fix.node, fix.params, fix.fix_label)


def _fixes(spec: ModelSpec, io: ModelIO, data: DataSet) -> list[Mismatch]:
    """Edits that would make the data fit, in the order the engine checks: input, vocabulary,
    classes. Only the simple, obvious ones: a size to set on an existing layer."""
    out: list[Mismatch] = []
    model_kind = "features" if io.input_kind == "sequence" else io.input_kind
    if data.kind != model_kind:
        return out
    in_node = spec.node(io.input_node)
    params = resolved_params(spec, io.input_node)
    shape = tuple(int(s) for s in data.sample_shape)
    if shape != tuple(int(s) for s in io.input_shape):
        fix = _input_fix(in_node.kind, params, shape)
        if fix:
            out.append(Mismatch("", in_node.name, fix, f"Set input to {_shape(shape)}"))
    vocab = len(data.vocab) if data.kind == "tokens" and getattr(data, "vocab", None) else None
    have = params.get("vocab_size")
    if vocab and isinstance(have, int) and have < vocab:
        out.append(Mismatch("", in_node.name, {"vocab_size": vocab},
                            f"Set vocabulary size to {vocab:,}"))
    if data.task in ("classification", "next_token") and io.task == "classification":
        n = int(data.num_classes)
        out_params = resolved_params(spec, io.output_node)
        if io.outputs != n and "classes" in out_params:
            out.append(Mismatch("", io.output_node, {"classes": n}, f"Set classes to {n:,}"))
    return out


def _input_fix(kind: str, params: dict[str, Any], shape: tuple[int, ...]) -> dict[str, Any] | None:
    if kind in ("ImageInput", "ImageRows", "ImagePatches") and len(shape) == 3:
        fix = {"channels": shape[0], "height": shape[1], "width": shape[2]}
        return {k: v for k, v in fix.items() if params.get(k) != v}
    if kind == "FeatureInput" and len(shape) == 1:
        return {"features": shape[0]}
    if kind == "SequenceInput" and len(shape) == 2:
        fix = {"length": shape[0], "features": shape[1]}
        return {k: v for k, v in fix.items() if params.get(k) != v}
    if kind == "TokenInput" and len(shape) == 1:
        return {"length": shape[0]}
    return None


def default_source_for(spec: ModelSpec | None) -> str:
    """digits28 for a model taking 28 x 28 images, digits otherwise."""
    if spec is None:
        return "digits"
    if spec.is_gan:  # the real images go into the discriminator
        spec = spec.parts.get("discriminator", spec)
    try:
        io = model_io(spec)
    except Exception:  # noqa: BLE001
        return "digits"
    if io.input_kind == "image" and tuple(io.input_shape)[1:] == (28, 28):
        return "digits28"
    return "digits"


def fit_until_trainable(workspace: Any, data: DataSet, limit: int = 6) -> list[Mismatch]:
    """Apply the app's one-click fixes (``Workspace.apply_fix``, each one undoable step)
    while the engine refuses to train the model on ``data``, e.g. a vocabulary of 65 for a
    text of 67 tokens, then the head's classes. The fixes applied, in order; stops at the
    first refusal without a fix (training then says why). Warnings are left alone; fixes
that would leave the model invalid are undone (none applied)."""
    from workbench.core.engine.compat import check_compatibility
    from workbench.core.engine.errors import TrainingError
    from workbench.core.engine.objective import resolve_loss

    applied: list[Mismatch] = []
    edits: list[Any] = []
    for _ in range(limit):
        try:
            check_compatibility(model_io(workspace.spec, workspace.analysis), data,
                                resolve_loss(workspace.config.loss, data.task))
            break
        except TrainingError:
            pass
        except Exception:  # noqa: BLE001 - an invalid model: create_run says why
            break
        mismatches = workspace.check_data(data)
        if not mismatches or not mismatches[0].fixable:
            break
        edits.append(workspace.apply_fix(mismatches[0]))
        applied.append(mismatches[0])
        if not workspace.analysis.ok:  # e.g. 8 x 8 images into a 28 x 28 CNN's pooling
            for edit in reversed(edits):  # not a fix after all: the refusal says more
                edit.undo()
            return []
    return applied
