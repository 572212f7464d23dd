"""ModelSpec: the model as data (a DAG of layer nodes), saved as readable JSON.

The spec is the single truth the UI edits and the builder reads. Loading is defensive: any
file, however malformed or hostile, either becomes a spec or raises ``SpecFormatError`` with
one line a person can act on.
"""

from __future__ import annotations

import copy
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.files import atomic_write_text
from workbench.core.graph.spec_format import (  # noqa: F401  (re-exported: the spec's names)
    FINE_TUNING_VERSION,
    FORMAT_VERSION,
    PARTS_VERSION,
    SINGLE_GRAPH_VERSION,
    SpecFormatError,
    list_field,
    migrate,
    short_value,
)
from workbench.core.text import clean

PART_NAMES = ("generator", "discriminator")
MAX_FILE_BYTES = 10_000_000
MAX_NODES = 5_000
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


@dataclass
class Node:
    name: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] = (0.0, 0.0)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "params": copy.deepcopy(self.params),
                "pos": [round(self.pos[0], 1), round(self.pos[1], 1)]}


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    dst_port: str = "in"

    def to_json(self) -> dict[str, Any]:
        return {"src": self.src, "dst": self.dst, "dst_port": self.dst_port}

    def __str__(self) -> str:
        return f"{self.src} -> {self.dst}.{self.dst_port}"


@dataclass
class FineTuning:
    """What a saved model says about fine-tuning it: the layers the user froze, and where
    its start weights come from (a run folder, a bundle or a safetensors file; "" for fresh
    weights), with the layers renamed since (name now -> name in those weights). While the
    model is open, the Workspace holds this state (``frozen``, ``initial_weights``)."""

    frozen: list[str] = field(default_factory=list)
    init_from: str = ""
    renamed: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.frozen or self.init_from)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"frozen": list(self.frozen)}
        if self.init_from:
            out["init_from"] = self.init_from
            if self.renamed:
                out["renamed"] = dict(self.renamed)
        return out


@dataclass
class ModelSpec:
    """A directed acyclic graph of named layer nodes joined by edges into input ports."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    name: str = "model"
    description: str = ""
    # A document of several graphs (a GAN: "generator" and "discriminator"); the top-level
    # nodes and edges are then empty. Each part is a plain single-graph spec.
    parts: dict[str, ModelSpec] = field(default_factory=dict)
    # Saved with the model (format 4); a Workspace takes it over when it opens the model.
    fine_tuning: FineTuning | None = None

    @property
    def is_gan(self) -> bool:
        return bool(self.parts)

    def part(self, name: str) -> ModelSpec:
        try:
            return self.parts[name]
        except KeyError:
            raise KeyError(f"this model has no {name} graph") from None

    # -- queries ---------------------------------------------------------------------
    def node(self, name: str) -> Node:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)

    def has_node(self, name: str) -> bool:
        return any(n.name == name for n in self.nodes)

    def inputs_of(self, name: str) -> list[Edge]:
        return [e for e in self.edges if e.dst == name]

    def outputs_of(self, name: str) -> list[Edge]:
        return [e for e in self.edges if e.src == name]

    def unique_name(self, base: str) -> str:
        """A node name not yet used: ``conv``, ``conv_1``, ``conv_2``..."""
        base = re.sub(r"\W", "_", base.lower()).strip("_") or "layer"
        if not base[0].isalpha() and base[0] != "_":
            base = "n_" + base
        taken = {n.name for n in self.nodes}
        if base not in taken:
            return base
        i = 1
        while f"{base}_{i}" in taken:
            i += 1
        return f"{base}_{i}"

    # -- edits (the UI wraps these in undo commands) ----------------------------------
    def add_node(self, kind: str, name: str | None = None, params: dict | None = None,
                 pos: tuple[float, float] = (0.0, 0.0)) -> Node:
        from workbench.core.layers import get_kind  # local: the catalogue imports torch

        node = Node(name or self.unique_name(kind), kind,
                    get_kind(kind).defaults() | (params or {}), pos)
        self.nodes.append(node)
        return node

    def remove_node(self, name: str) -> tuple[Node, list[Edge]]:
        node = self.node(name)
        removed = [e for e in self.edges if name in (e.src, e.dst)]
        self.nodes.remove(node)
        self.edges = [e for e in self.edges if e not in removed]
        return node, removed

    def connect(self, src: str, dst: str, dst_port: str = "in") -> Edge:
        edge = Edge(src, dst, dst_port)
        if edge not in self.edges:
            self.edges.append(edge)
        return edge

    def disconnect(self, edge: Edge) -> None:
        self.edges.remove(edge)

    def rename(self, old: str, new: str) -> None:
        self.node(old).name = new
        self.edges = [Edge(new if e.src == old else e.src, new if e.dst == old else e.dst,
                           e.dst_port) for e in self.edges]

    def copy(self) -> ModelSpec:
        return ModelSpec.from_dict(self.to_dict())

    # -- JSON ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        fine = self.fine_tuning is not None and not self.fine_tuning.empty
        version = FINE_TUNING_VERSION if fine else PARTS_VERSION if self.parts \
            else SINGLE_GRAPH_VERSION
        out: dict[str, Any] = {
            "format_version": version,
            "name": self.name, "description": self.description,
            "nodes": [n.to_json() for n in self.nodes],
            "edges": [e.to_json() for e in self.edges]}
        if self.parts:
            out["parts"] = {k: {key: v for key, v in p.to_dict().items()
                                if key != "format_version"} for k, p in self.parts.items()}
        if fine:
            out["fine_tuning"] = self.fine_tuning.to_json()  # type: ignore[union-attr]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def save(self, path: str | os.PathLike) -> None:
        atomic_write_text(Path(path), self.to_json())

    @classmethod
    def from_dict(cls, data: Any) -> ModelSpec:
        data = migrate(data)
        nodes = [_parse_node(i, n) for i, n in enumerate(list_field(data, "nodes"))]
        edges = [_parse_edge(i, e) for i, e in enumerate(list_field(data, "edges"))]
        if len(nodes) > MAX_NODES:
            raise SpecFormatError(f"the model has {len(nodes)} layers; at most {MAX_NODES} are supported")
        # a model's name and description are shown and stored everywhere: no escapes,
        # control characters or lone surrogates from the file
        return cls(nodes, edges, clean(_str(data.get("name", "model"), "name"),
                                       keep_newlines=False),
                   clean(_str(data.get("description", ""), "description")), _parse_parts(data),
                   _parse_fine_tuning(data.get("fine_tuning")))

    @classmethod
    def from_json(cls, text: str | bytes) -> ModelSpec:
        if isinstance(text, bytes):
            if len(text) > MAX_FILE_BYTES:
                raise SpecFormatError(f"the file is {len(text):,} bytes; a model spec is at most {MAX_FILE_BYTES:,}")
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as e:
                raise SpecFormatError(f"the file is not UTF-8 text (byte {e.start} is invalid); "
                                      "is it really a Workbench model (.json)?") from None
        try:
            data = json.loads(text)
        except RecursionError:
            raise SpecFormatError("the JSON is nested too deeply to be a model spec") from None
        except ValueError as e:
            raise SpecFormatError(f"the file is not valid JSON ({e})") from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | os.PathLike) -> ModelSpec:
        path = Path(path)
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):  # a FIFO would block the read forever
                raise SpecFormatError(f"{path.name} is not a regular file")
            size = st.st_size
            if size > MAX_FILE_BYTES:
                raise SpecFormatError(f"{path.name} is {size:,} bytes; a model spec is at most {MAX_FILE_BYTES:,}")
            raw = path.read_bytes()
        except OSError as e:
            raise SpecFormatError(f"cannot read {path}: {e.strerror or e}") from None
        try:
            return cls.from_json(raw)
        except SpecFormatError as e:
            raise SpecFormatError(f"{path.name}: {e}") from None


# -- defensive parsing ---------------------------------------------------------------------
def _str(v: Any, what: str) -> str:
    if not isinstance(v, str):
        raise SpecFormatError(f"{what} must be text, not {short_value(v)}")
    return v[:10_000]


def _parse_node(i: int, raw: Any) -> Node:
    if not isinstance(raw, dict):
        raise SpecFormatError(f"node {i + 1} must be an object with 'name' and 'kind'")
    name = raw.get("name")
    kind = raw.get("kind")
    if not isinstance(name, str) or not isinstance(kind, str):
        raise SpecFormatError(f"node {i + 1} needs a text 'name' and 'kind'")
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise SpecFormatError(f"node '{name[:40]}': 'params' must be an object")
    for k, v in params.items():
        if not _plain_value(v):
            raise SpecFormatError(f"node '{name[:40]}': parameter '{k[:40]}' has an unsupported "
                                  f"value {short_value(v)}")
    pos = raw.get("pos", [0, 0])
    if (not isinstance(pos, list) or len(pos) != 2
            or not all(isinstance(p, int | float) and not isinstance(p, bool) and abs(p) < 1e7
                       for p in pos)):
        pos = [0, 0]  # a bad canvas position is not worth refusing a model for
    return Node(name[:200], kind[:200], dict(params), (float(pos[0]), float(pos[1])))


def _plain_value(v: Any, depth: int = 0) -> bool:
    if isinstance(v, bool | int | float | str) or v is None:
        return not isinstance(v, str) or len(v) < 1000
    if isinstance(v, list) and depth == 0:
        return len(v) <= 16 and all(_plain_value(x, 1) for x in v)
    return False


def _parse_parts(data: dict[str, Any]) -> dict[str, ModelSpec]:
    raw = data.get("parts", {})
    if not isinstance(raw, dict):
        raise SpecFormatError("'parts' must be an object of named graphs")
    unknown = [k for k in raw if k not in PART_NAMES]
    if unknown:
        raise SpecFormatError(f"unknown part {short_value(unknown[0])}: a model's parts are "
                              f"{' and '.join(PART_NAMES)}")
    parts = {}
    for k in PART_NAMES:  # always in this order, however the file lists them
        if k not in raw:
            continue
        if not isinstance(raw[k], dict) or "parts" in raw[k]:
            raise SpecFormatError(f"the {k} part must be one graph (an object with 'nodes' "
                                  "and 'edges')")
        try:
            parts[k] = ModelSpec.from_dict({**raw[k], "format_version": SINGLE_GRAPH_VERSION})
        except SpecFormatError as e:
            raise SpecFormatError(f"the {k}: {e}") from None
    if parts and len(parts) != len(PART_NAMES):
        missing = [k for k in PART_NAMES if k not in parts]
        raise SpecFormatError(f"a GAN needs both a generator and a discriminator; the "
                              f"{missing[0]} is missing")
    return parts


def _parse_fine_tuning(raw: Any) -> FineTuning | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise SpecFormatError("'fine_tuning' must be an object with 'frozen' and 'init_from'")
    frozen = raw.get("frozen", [])
    if not (isinstance(frozen, list) and len(frozen) <= MAX_NODES
            and all(isinstance(n, str) for n in frozen)):
        raise SpecFormatError("'fine_tuning': 'frozen' must be a list of layer names")
    source = raw.get("init_from", "")
    if not isinstance(source, str) or len(source) > 4096:
        raise SpecFormatError("'fine_tuning': 'init_from' must be the path of a run or bundle")
    renamed = raw.get("renamed", {})
    if not (isinstance(renamed, dict) and len(renamed) <= MAX_NODES
            and all(isinstance(v, str) for v in renamed.values())):
        raise SpecFormatError("'fine_tuning': 'renamed' must map layer names to layer names")
    return FineTuning([n[:200] for n in frozen], clean(source, keep_newlines=False),
                      {k[:200]: v[:200] for k, v in renamed.items()})


def _parse_edge(i: int, raw: Any) -> Edge:
    if not isinstance(raw, dict):
        raise SpecFormatError(f"edge {i + 1} must be an object with 'src' and 'dst'")
    src, dst, port = raw.get("src"), raw.get("dst"), raw.get("dst_port", "in")
    if not all(isinstance(v, str) for v in (src, dst, port)):
        raise SpecFormatError(f"edge {i + 1} needs text 'src', 'dst' and 'dst_port'")
    return Edge(src[:200], dst[:200], port[:200])
