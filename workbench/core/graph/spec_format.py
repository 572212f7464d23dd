"""The spec file's format: its versions, the error a file that is not a spec raises, and the
migrations that bring an older file to the current version (each version's change, once)."""

from __future__ import annotations

import json
from typing import Any

FORMAT_VERSION = 4
# Version 3 added ``parts`` (a GAN's generator and discriminator graphs), version 4
# ``fine_tuning`` (frozen layers, where the start weights come from). A file is written at the
# oldest version that holds what it has (a plain single graph: 2), so older Workbench versions
# keep reading it, and refuse, rather than misread, one whose meaning they would lose.
SINGLE_GRAPH_VERSION = 2
PARTS_VERSION = 3
FINE_TUNING_VERSION = 4


class SpecFormatError(ValueError):
    """The file is not a Workbench model spec (or cannot be migrated). One readable line."""


def short_value(v: Any) -> str:
    s = json.dumps(v) if not isinstance(v, str) else repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def list_field(data: dict, key: str) -> list:
    v = data.get(key, [])
    if not isinstance(v, list):
        raise SpecFormatError(f"'{key}' must be a list, not {type(v).__name__}")
    return v


# -- migration ---------------------------------------------------------------------------
def _migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 stored edges as [src, dst] pairs into each node's ports in order."""
    ports_used: dict[str, int] = {}
    edges = []
    for i, pair in enumerate(list_field(data, "edges")):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise SpecFormatError(f"edge {i + 1} of this version-1 file is not a [source, target] pair")
        k = ports_used.get(pair[1], 0)
        ports_used[pair[1]] = k + 1
        edges.append({"src": pair[0], "dst": pair[1], "dst_port": f"#{k}"})  # resolved below
    data = dict(data, edges=edges, format_version=2)
    kinds = {n.get("name"): n.get("kind") for n in list_field(data, "nodes") if isinstance(n, dict)}
    from workbench.core.layers import CATALOGUE

    for e in edges:
        kind = CATALOGUE.get(kinds.get(e["dst"]))  # type: ignore[arg-type]
        idx = int(e["dst_port"][1:])
        if kind is not None and idx < len(kind.inputs):
            e["dst_port"] = kind.inputs[idx]
        else:
            e["dst_port"] = "in"
    return data


# versions 3 and 4 only added optional keys: nothing to change in an older file
MIGRATIONS = {1: _migrate_1_to_2, 2: lambda data: dict(data, format_version=3),
              3: lambda data: dict(data, format_version=4)}


def migrate(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise SpecFormatError("the file holds JSON but not a model spec (expected an object with "
                              "'format_version', 'nodes' and 'edges')")
    version = data.get("format_version")
    if version is None:
        raise SpecFormatError("this JSON has no 'format_version', so it is not a Workbench model spec")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SpecFormatError(f"'format_version' must be a whole number, not {short_value(version)}")
    if version > FORMAT_VERSION:
        raise SpecFormatError(f"this model was saved by a newer Workbench (format {version}; this "
                              f"version reads up to {FORMAT_VERSION}): please update Workbench")
    if version < 1:
        raise SpecFormatError(f"format_version {version} never existed; the file is damaged")
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version = data["format_version"]
    return data
