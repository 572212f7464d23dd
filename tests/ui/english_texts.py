"""Finding English left in a translated window: every text a widget shows (labels, buttons,
titles, tooltips, placeholders, tabs, headers, combo items, tree items, menus and actions),
each with its widget path, and the words in it that are neither a proper name nor a unit.

A word counts as English when it is written like one (all lower case, or capitalised) and
is not in ``ALLOWED``: acronyms (ONNX, CUDA, GPU), names written in camel case (PyTorch,
TensorBoard, Conv2d) and anything with a digit or an underscore (a layer's name, a file)
pass. Add a proper name or unit here, not a sentence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTableView,
    QTextEdit,
    QTreeView,
    QTreeWidget,
    QWidget,
)

ALLOWED = {
    # proper names: products, libraries, methods, people's names for layers
    "Workbench", "Adam", "Python", "Linux", "Windows", "Noto", "Captum", "Optuna", "Torch",
    "Dropout", "Softmax", "Sigmoid", "Tanh", "Transformer", "Hardswish", "Ubuntu", "Debian",
    "Fedora", "Nesterov", "Xavier", "Kaiming", "Glorot", "Lion", "Mish", "Swish", "swish",
    "Pillow", "Sans", "Serif", "Mono", "Qt", "He",
    "Wasserstein", "Inception", "torchvision", "top-k", "top-p",
    "Top-k", "Top-p",
    "English",  # a language is named in its own language in the Language menu
    "Leaky", "Hard", "sigmoid", "softmax", "Log-softmax", "logit", "Elman",
    "squeeze-and-excitation", "autocast", "onnxruntime", "id", "ids", "dim", "alpha", "exp",
    "tanh", "max", "min", "cpu", "cuda", "mps", "gz", "meta", "dropout", "autograd",
    # units
    "px", "ms", "epoch", "it", "img", "pt", "dpi",
    # built-in data set names (data, not interface)
    "digits", "digits28", "iris", "wine", "moons", "circles", "blobs", "breast", "cancer",
    # values the user typed or chose that the core stores as written
    "true", "false", "none", "auto", "same", "valid", "mean", "sum", "nearest",
    "bilinear", "zeros", "reflect", "replicate", "circular",
    # syntax the user types (sweep parameters: lr=1e-4..1e-2:log)
    "lr", "log", "module",
}



def _catalogue_ids() -> set[str]:
    """Layer kinds by their torch.nn names (Linear, Flatten...): code, shown in brackets."""
    try:
        from workbench.core.layers import CATALOGUE
    except ImportError:  # pragma: no cover
        return set()
    return set(CATALOGUE)


ALLOWED |= _catalogue_ids()

TAG = re.compile(r"<[^>]+>")
URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")
PATH = re.compile(r"(?:[~.]?/[\w.~-]+)+/?|\b\w+/(?!\w)|\b\w+\.(?:json|png|onnx|pt|pth|py|csv|ts|qm|txt"
                  r"|safetensors|zip|tar|gz|md|log|toml|yaml)\b")
CODE = re.compile(r"`[^`]*`|\b(?:nn|torch|F)\.[\w.]+\b|--[\w-]+")
TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_'’-]*")


def english_words(text: str) -> list[str]:
    """The words in ``text`` that read as untranslated English."""
    text = html.unescape(TAG.sub(" ", text))
    text = text.replace("&&", "").replace("&", "")
    for pattern in (URL, PATH, CODE):
        text = pattern.sub(" ", text)
    words = []
    for token in TOKEN.findall(text):
        token = token.strip("'’-")
        if len(token) < 2 or any(c.isdigit() or c == "_" for c in token):
            continue
        letters = token.replace("-", "").replace("'", "").replace("’", "")
        if not letters.isalpha():
            continue
        lowerish = letters.islower() or (letters[0].isupper() and letters[1:].islower())
        if lowerish and token not in ALLOWED and letters not in ALLOWED:
            words.append(token)
    return words


def _columns(view: QAbstractItemView) -> int:
    """Header columns of a table or tree view (0 for a list)."""
    if isinstance(view, QTableView):
        return view.horizontalHeader().count()
    if isinstance(view, QTreeView):
        return view.header().count()
    return 0


def _path(w: QWidget) -> str:
    parts = []
    while w is not None:
        name = w.objectName()
        parts.append(type(w).__name__ + (f"#{name}" if name else ""))
        w = w.parentWidget()
    return "/".join(reversed(parts))


def widget_texts(w: QWidget) -> Iterator[tuple[str, str]]:
    """(what, text) for every text ``w`` shows itself."""
    yield "toolTip", w.toolTip()
    if w.isWindow() or isinstance(w, QDockWidget):
        yield "windowTitle", w.windowTitle()
    if isinstance(w, QLabel):
        yield "text", QLabel.text(w)
    if isinstance(w, QAbstractButton):
        yield "text", QAbstractButton.text(w)
    if isinstance(w, QLineEdit):
        yield "placeholderText", w.placeholderText()
    if isinstance(w, QTextEdit | QPlainTextEdit):
        yield "placeholderText", w.placeholderText()
    if isinstance(w, QGroupBox):
        yield "title", QGroupBox.title(w)
    if isinstance(w, QMenu):
        yield "title", QMenu.title(w)
    if isinstance(w, QTabBar):
        for i in range(w.count()):
            yield f"tabText[{i}]", w.tabText(i)
            yield f"tabToolTip[{i}]", w.tabToolTip(i)
    if isinstance(w, QComboBox):
        for i in range(w.count()):
            yield f"item[{i}]", w.itemText(i)
            yield f"itemToolTip[{i}]", str(w.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")
    if isinstance(w, QAbstractItemView) and w.model() is not None:
        model = w.model()
        for c in range(_columns(w)):
            value = model.headerData(c, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.DisplayRole)
            yield f"header[{c}]", str(value or "")
            tip = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            yield f"headerToolTip[{c}]", str(tip or "")
    if isinstance(w, QTreeWidget):
        stack = [(w.topLevelItem(i), str(i)) for i in range(w.topLevelItemCount())]
        while stack:
            item, at = stack.pop()
            for c in range(w.columnCount()):
                yield f"item[{at}]", item.text(c)
                yield f"itemToolTip[{at}]", item.toolTip(c)
            stack.extend((item.child(i), f"{at}.{i}") for i in range(item.childCount()))


def action_texts(a: QAction) -> Iterator[tuple[str, str]]:
    yield "text", a.text()
    if a.toolTip() != a.text().replace("&", ""):  # Qt's default tooltip is the text
        yield "toolTip", a.toolTip()
    yield "statusTip", a.statusTip()


def untranslated(root: QWidget, data: list[str] = ()) -> list[str]:
    """``path .what: 'text' (words)`` for every English text under ``root``; ``data``: what
    the user named (a model's name), which is shown as written."""
    found: list[str] = []
    seen: set[int] = set()
    for w in [root, *root.findChildren(QWidget)]:
        for what, text in widget_texts(w):
            for name in data:
                text = text.replace(name, "")
            if text and (words := english_words(text)):
                found.append(f"{_path(w)} .{what}: {text!r} ({', '.join(words)})")
        for a in w.actions():
            if id(a) in seen or a.isSeparator() or not a.isVisible():
                continue
            seen.add(id(a))
            for what, text in action_texts(a):
                if text and (words := english_words(text)):
                    found.append(f"{_path(w)} action .{what}: {text!r} ({', '.join(words)})")
    return found
