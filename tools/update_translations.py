"""Bring the Qt Linguist sources (resources/translations/workbench_*.ts) up to date with
the code, like Qt's lupdate, and report what is left to translate.

    uv run python tools/update_translations.py            # update every .ts, list unfinished
    uv run python tools/update_translations.py --check    # exit 1 when any is unfinished
    uv run python tools/update_translations.py --fill zh.json   # {"source": "translation"}

Messages come from two places. The interface's own: ``tr("literal")`` calls in
workbench/ui, in the context the module declares with ``tr = translator("Context")`` (or
``CONTEXT = "..."``), and ``tr_noop("literal")`` marks for tables built at import. lupdate
cannot be used for these: it does not know which context ``tr`` stands for. And the strings
the Qt-free core builds, which the interface shows through ``i18n.tr_core``: the layer
catalogue's groups, titles and help ("catalogue") and the training settings' labels, help,
groups and choice titles ("settings"), read from the objects themselves.

Existing translations are kept; a new message whose source is translated elsewhere gets
that translation (check it in Linguist or the file); one no longer in the code is marked
``vanished`` (lrelease leaves it out). Open the .ts in Qt Linguist (``pyside6-linguist``) or
any editor, translate the ``type="unfinished"`` messages and remove that attribute.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "workbench" / "ui"
TS_DIR = ROOT / "resources" / "translations"


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    numerus: bool = False
    comment: str = ""  # where it comes from, for the translator


def _module_context(tree: ast.Module) -> str | None:
    for node in [*tree.body, *ast.walk(tree)]:  # module level first
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
            if name == "tr" and isinstance(value, ast.Call) and value.args \
                    and isinstance(value.args[0], ast.Constant):
                return str(value.args[0].value)
            if name == "CONTEXT" and isinstance(value, ast.Constant):
                return str(value.value)
    return None


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) \
        else None


def ui_messages(root: Path = UI) -> list[Message]:
    out: list[Message] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        context = _module_context(tree)
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                func.attr if isinstance(func, ast.Attribute) else ""
            if name in ("tr", "tr_noop") and context:
                text = _literal(node.args[0])
                numerus = any(k.arg == "n" for k in node.keywords) or len(node.args) > 1
                if text:
                    out.append(Message(context, text, numerus, f"{where}:{node.lineno}"))
            elif name == "translate" and len(node.args) >= 2:
                ctx, text = _literal(node.args[0]), _literal(node.args[1])
                if ctx and text:
                    out.append(Message(ctx, text, len(node.args) > 3, f"{where}:{node.lineno}"))
    return out


def core_messages() -> list[Message]:
    """The catalogue's and the settings' strings (imports the core: PyTorch)."""
    from workbench.core.engine.config import TrainingConfig
    from workbench.core.engine.settings import settings_of
    from workbench.core.layers import CATALOGUE, GROUPS

    out = [Message("catalogue", g, comment="layer group") for g in GROUPS]
    for kind in CATALOGUE.values():
        out.append(Message("catalogue", kind.title, comment=f"layer {kind.kind}: title"))
        out.append(Message("catalogue", kind.help, comment=f"layer {kind.kind}: help"))
        for p in kind.params:
            out.append(Message("catalogue", p.title, comment=f"{kind.kind}.{p.name}: title"))
            out.append(Message("catalogue", p.help, comment=f"{kind.kind}.{p.name}: help"))
    from workbench.core.data import SOURCES

    for name, info in SOURCES.items():
        out.append(Message("datasets", info.title, comment=f"data source {name}"))
        out.append(Message("datasets", info.description, comment=f"data source {name}"))
    groups = {}
    for s in settings_of(TrainingConfig):
        for text, what in ((s.label, "label"), (s.form_label, "short label"),
                           (s.help, "help"), (s.zero_text, "what 0 means")):
            if text:
                out.append(Message("settings", text, comment=f"{s.name}: {what}"))
        for _value, title in s.titles:
            out.append(Message("settings", title, comment=f"{s.name}: a choice"))
        if s.group:
            groups.setdefault(s.group, s.name)
    out += [Message("settings", g, comment="settings group") for g in groups]
    return [m for m in out if m.source]


def _dedupe(messages: list[Message]) -> list[Message]:
    seen: dict[tuple[str, str], Message] = {}
    for m in messages:
        seen.setdefault((m.context, m.source), m)
    return list(seen.values())


def read_ts(path: Path) -> dict[tuple[str, str], list[str] | str | None]:
    """(context, source) -> the translation (a list of plural forms), None if unfinished."""
    out: dict[tuple[str, str], list[str] | str | None] = {}
    if not path.is_file():
        return out
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            node = message.find("translation")
            source = message.findtext("source") or ""
            if node is None or node.get("type") == "unfinished":
                out[(name, source)] = None
            elif message.get("numerus") == "yes":
                out[(name, source)] = [f.text or "" for f in node.iter("numerusform")]
            else:
                out[(name, source)] = node.text or ""
    return out


def write_ts(path: Path, language: str, messages: list[Message],
             known: dict[tuple[str, str], list[str] | str | None]) -> int:
    """Write the .ts; returns how many messages are unfinished."""
    by_source = {src: t for (_c, src), t in known.items() if t}
    root = ET.Element("TS", version="2.1", language=language)
    contexts: dict[str, ET.Element] = {}
    unfinished = 0
    current = {(m.context, m.source) for m in messages}
    vanished = [Message(c, s) for (c, s), t in known.items() if (c, s) not in current and t]
    for m, gone in [(m, False) for m in messages] + [(m, True) for m in vanished]:
        ctx = contexts.get(m.context)
        if ctx is None:
            ctx = contexts[m.context] = ET.SubElement(root, "context")
            ET.SubElement(ctx, "name").text = m.context
        known_t = known.get((m.context, m.source))
        numerus = m.numerus or isinstance(known_t, list)
        msg = ET.SubElement(ctx, "message", numerus="yes") if numerus \
            else ET.SubElement(ctx, "message")
        if m.comment:
            ET.SubElement(msg, "extracomment").text = m.comment
        ET.SubElement(msg, "source").text = m.source
        t = known_t if known_t else by_source.get(m.source)
        node = ET.SubElement(msg, "translation")
        if gone:
            node.set("type", "vanished")
        elif not t:
            node.set("type", "unfinished")
            unfinished += 1
        if numerus:
            forms = t if isinstance(t, list) else [t or ""]
            for form in forms:
                ET.SubElement(node, "numerusform").text = form
        elif t:
            node.text = t if isinstance(t, str) else t[0]
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    text = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return unfinished


def fill(known: dict, translations: dict[str, str | list[str]]) -> None:
    for key, value in list(known.items()):
        if not value and key[1] in translations:
            known[key] = translations[key[1]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if any is unfinished")
    parser.add_argument("--fill", type=Path, help="JSON {source: translation} for new ones")
    parser.add_argument("--language", default=None, help="only this .ts (zh_CN)")
    args = parser.parse_args(argv)
    messages = _dedupe(ui_messages() + core_messages())
    paths = sorted(TS_DIR.glob("workbench_*.ts"))
    if args.language:
        paths = [TS_DIR / f"workbench_{args.language}.ts"]
    status = 0
    for path in paths:
        language = path.stem.removeprefix("workbench_")
        known = read_ts(path)
        for m in messages:
            known.setdefault((m.context, m.source), None)
        if args.fill:
            fill(known, json.loads(args.fill.read_text(encoding="utf-8")))
        left = write_ts(path, language, messages, known)
        print(f"{path.relative_to(ROOT)}: {len(messages)} messages, {left} unfinished")
        if left:
            todo = [k for k, v in known.items() if not v
                    and k in {(m.context, m.source) for m in messages}]
            for context, source in todo[:40]:
                print(f"  [{context}] {source!r}")
            if len(todo) > 40:
                print(f"  ... and {len(todo) - 40} more")
            status = 1 if args.check else status
    return status


if __name__ == "__main__":
    sys.exit(main())
