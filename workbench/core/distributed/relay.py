"""Rank 0's events, relayed to the process that launched the run: rank 0 appends each event
as one JSON line to a file in the run folder; the launcher reads the new lines a few times
a second and hands them to its own callbacks (the CLI's progress printer, the app's live
plots). A file rather than a pipe: it needs nothing from the launcher's process model and
survives the launcher looking away for a moment."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from workbench.core.engine.events import (
    Callback,
    EpochEnd,
    EvaluationDone,
    Event,
    RunEnded,
    RunStarted,
    StepMetrics,
)

EVENTS_FILE = "events.jsonl"
_TYPES: dict[str, type] = {t.__name__: t for t in
                           (RunStarted, StepMetrics, EpochEnd, EvaluationDone, RunEnded)}


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": str(value)}  # NaN and infinity survive the round trip
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _back(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__float__"}:
            return float(value["__float__"])
        return {k: _back(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_back(v) for v in value]
    return value


def event_line(event: Event) -> str:
    return json.dumps({"type": type(event).__name__,
                       **_plain(dataclasses.asdict(event))}) + "\n"  # type: ignore[call-overload]


def parse_line(line: str) -> Event | None:
    try:
        d = json.loads(line)
        kind = _TYPES[d.pop("type")]
        return kind(**_back(d))
    except (ValueError, KeyError, TypeError):
        return None


class EventWriter(Callback):
    """On rank 0: every event, one line each, flushed at once (the reader polls)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._f = self.path.open("a", encoding="utf-8")

    def _write(self, event: Event) -> None:
        self._f.write(event_line(event))
        self._f.flush()

    on_run_started = on_step = on_epoch_end = on_evaluation = _write  # type: ignore[assignment]

    def on_run_ended(self, event: RunEnded) -> None:
        self._write(event)
        self._f.close()


class EventReader:
    """In the launcher: the events appended since the last ``read()``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._offset = self.path.stat().st_size if self.path.is_file() else 0
        self._partial = ""

    def read(self) -> list[Event]:
        if not self.path.is_file():
            return []
        with self.path.open("r", encoding="utf-8") as f:
            f.seek(self._offset)
            text = f.read()
            self._offset = f.tell()
        text, self._partial = self._partial + text, ""
        lines = text.split("\n")
        self._partial = lines.pop()  # an unfinished last line waits for the next read
        return [e for e in map(parse_line, lines) if e is not None]
