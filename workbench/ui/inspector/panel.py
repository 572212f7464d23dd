"""The inspector: the selected layer's name, parameters (a form generated from its catalogue
schema), output shape, parameter count and problems. Valid edits become undo commands."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.graph import Edge, Node
from workbench.core.layers import CATALOGUE, fmt_shape
from workbench.ui import style
from workbench.ui.commands import RenameCommand, SetParamCommand
from workbench.ui.document import ModelDocument
from workbench.ui.i18n import tr_core, tr_noop, translator
from workbench.ui.inspector.editors import ParamEditor, editor_for
from workbench.ui.units import fmt_count, fmt_flops

tr = translator("inspector.panel")

HINT = tr_noop("Select a layer on the canvas to see and edit its parameters.\n\n"
        "Add layers from the palette: drag one onto the canvas, or double-click it to "
        "append it after the selected layer. Connect layers by dragging from an output "
        "port (bottom) to an input port (top).")


class InspectorPanel(QScrollArea):
    def __init__(self, document: ModelDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.node: Node | None = None
        self.edge: Edge | None = None
        self.editors: dict[str, ParamEditor] = {}
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(260)
        self._body: QWidget | None = None
        document.changed.connect(self.refresh)
        document.loaded.connect(lambda: self.show_node(None))
        self.show_node(None)

    # -- what to show ---------------------------------------------------------------------
    def show_node(self, name: str | None) -> None:
        spec = self.document.spec
        node = spec.node(name) if spec is not None and name and spec.has_node(name) else None
        if node is not None and node is self.node:
            self.refresh()
            return
        self.node, self.edge = node, None
        self._rebuild()

    def show_edge(self, edge: Edge | None) -> None:
        self.node, self.edge = None, edge
        self._rebuild()

    @property
    def current_name(self) -> str | None:
        return self.node.name if self.node is not None else None

    # -- building the form -------------------------------------------------------------------
    def _rebuild(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        self.editors = {}
        self.name_edit: QLineEdit | None = None
        self.freeze_box: QCheckBox | None = None
        if self.node is not None and self.node.kind in CATALOGUE:
            self._build_node(layout, self.node)
        elif self.edge is not None:
            self._build_edge(layout, self.edge)
        else:
            text = tr(HINT) if self.node is None else \
                tr("'{}' has an unknown layer kind '{}'.").format(self.node.name, self.node.kind)
            hint = QLabel(text)
            hint.setObjectName("dim")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addStretch(1)
        self.setWidget(body)  # the previous body is deleted with it
        self._body = body
        self.refresh()

    def _build_node(self, layout: QVBoxLayout, node: Node) -> None:
        kind = CATALOGUE[node.kind]
        colour = style.GROUP_COLOURS.get(kind.group, style.DEFAULT_GROUP_COLOUR)
        title = QLabel(f"<span style='color:{colour}'>■</span> {tr_core('catalogue', kind.title)}")
        title.setObjectName("heading")
        layout.addWidget(title)
        sub = QLabel(f"{tr_core('catalogue', kind.group)} · {kind.kind}<br>"
                     f"{tr_core('catalogue', kind.help)}")
        sub.setObjectName("dim")
        sub.setWordWrap(True)
        layout.addWidget(sub)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        self.name_edit = QLineEdit(node.name)
        self.name_edit.setToolTip(tr("The layer's name: letters, digits and underscores, unique "
                                  "in the model"))
        self.name_edit.editingFinished.connect(self._rename)
        self.name_reason = QLabel()
        self.name_reason.setObjectName("reason")
        self.name_reason.setWordWrap(True)
        self.name_reason.hide()
        name_box = QWidget()
        name_layout = QVBoxLayout(name_box)
        name_layout.setContentsMargins(0, 0, 0, 0)
        name_layout.setSpacing(2)
        name_layout.addWidget(self.name_edit)
        name_layout.addWidget(self.name_reason)
        form.addRow(tr("Name"), name_box)
        if not kind.is_input:
            self.freeze_box = QCheckBox(tr("Frozen (its weights do not train)"))
            self.freeze_box.setToolTip(tr("Fine-tuning: a frozen layer keeps its weights (and a "
                                          "BatchNorm its statistics); no gradients, no optimizer "
                                          "state"))
            self.freeze_box.toggled.connect(self._set_frozen)
            form.addRow("", self.freeze_box)
        for param in kind.params:
            editor = editor_for(param)
            editor.committed.connect(lambda v, p=param.name: self._set_param(p, v))
            label = QLabel(tr_core("catalogue", param.title))
            label.setToolTip(tr_core("catalogue", param.help))
            form.addRow(label, editor)
            self.editors[param.name] = editor
        if not kind.params:
            none = QLabel(tr("This layer has no parameters."))
            none.setObjectName("dim")
            form.addRow("", none)
        layout.addLayout(form)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #dadce0")
        layout.addWidget(line)
        self.info = QLabel()
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.problems = QLabel()
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.problems)

    def _build_edge(self, layout: QVBoxLayout, edge: Edge) -> None:
        title = QLabel(tr("Connection"))
        title.setObjectName("heading")
        layout.addWidget(title)
        port = tr(" (input '{}')").format(edge.dst_port) if edge.dst_port != "in" else ""
        self.info = QLabel(tr("From <b>{}</b> to <b>{}</b>").format(edge.src, edge.dst) + port)
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        tip = QLabel(tr("Press Delete to remove this connection."))
        tip.setObjectName("dim")
        layout.addWidget(tip)

    # -- keeping the form current ---------------------------------------------------------------
    def refresh(self, *_args: Any) -> None:
        spec, analysis = self.document.spec, self.document.analysis
        node = self.node
        if node is None or spec is None:
            return
        if not any(n is node for n in spec.nodes):  # deleted (or a new model was loaded)
            self.node = None
            self._rebuild()
            return
        kind = CATALOGUE.get(node.kind)
        if kind is None:
            return
        if self.name_edit is not None and not self.name_edit.hasFocus():
            self.name_edit.setText(node.name)
        values = kind.resolve(node.params)
        for name, editor in self.editors.items():
            if not editor.field.hasFocus() or not editor.invalid:
                editor.set_value(values[name])
        info = analysis.nodes.get(node.name) if analysis is not None else None
        if self.freeze_box is not None:
            ws = self.document.workspace
            self.freeze_box.blockSignals(True)
            self.freeze_box.setChecked(ws is not None and node.name in ws.frozen)
            self.freeze_box.blockSignals(False)
            self.freeze_box.setEnabled(info is None or info.params > 0)
        if info is not None and info.out_shape is not None:
            ins = ", ".join(fmt_shape(s) for s in info.in_shapes) or "—"
            self.info.setText(
                "<table cellspacing=3>"
                f"<tr><td style='color:{style.TEXT_DIM}'>{tr('Input')}</td><td>{ins}</td></tr>"
                f"<tr><td style='color:{style.TEXT_DIM}'>{tr('Output')}</td>"
                f"<td><b>{fmt_shape(info.out_shape)}</b></td></tr>"
                f"<tr><td style='color:{style.TEXT_DIM}'>{tr('Parameters')}</td>"
                f"<td>{fmt_count(info.params)}</td></tr>"
                f"<tr><td style='color:{style.TEXT_DIM}'>FLOPs</td>"
                f"<td>{fmt_flops(info.flops)} ({tr('batch {}').format(analysis.batch)})</td></tr>"
                "</table>")
        else:
            self.info.setText(f"<span style='color:{style.TEXT_DIM}'>"
                              + tr("Output shape unknown until the problems below (or before "
                                   "it) are fixed.") + "</span>")
        problems = analysis.problems_for(node.name) if analysis is not None else []
        self.problems.setText("<br>".join(
            f"<span style='color:{style.ERROR if p.severity == 'error' else style.WARNING}'>"
            f"<b>{tr('Error') if p.severity == 'error' else tr('Warning')}:</b> "
            f"{_html(tr_core('problems', p.message))}</span>"
            for p in problems))
        self.problems.setVisible(bool(problems))

    # -- commits ---------------------------------------------------------------------------------
    def _set_param(self, param: str, value: Any) -> None:
        node = self.node
        if node is None:
            return
        current = CATALOGUE[node.kind].resolve(node.params).get(param)
        if current == value and type(current) is type(value):
            return
        self.document.push(SetParamCommand(self.document, node.name, param, value))

    def _set_frozen(self, on: bool) -> None:
        from workbench.ui.commands import EditCommand

        node = self.node
        if node is not None and self.document.workspace is not None:
            self.document.push(EditCommand(self.document,
                                           lambda w, n=node.name: w.set_frozen([n], on)))

    def name_problem(self, text: str) -> str | None:
        node, workspace = self.node, self.document.workspace
        if node is None or workspace is None:
            return None
        return workspace.name_problem(node.name, text)

    def _rename(self) -> None:
        if self.node is None or self.name_edit is None:
            return
        text = self.name_edit.text().strip()
        why = self.name_problem(text)
        self.name_edit.setProperty("invalid", why is not None)
        self.name_edit.style().unpolish(self.name_edit)
        self.name_edit.style().polish(self.name_edit)
        self.name_reason.setText(why or "")
        self.name_reason.setVisible(why is not None)
        if why is None and text != self.node.name:
            self.document.push(RenameCommand(self.document, self.node.name, text))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
