"""The run history: one SQLite database with a row per run and its step and epoch metrics.

WAL mode lets the GUI thread read while a training thread writes; each thread gets its own
connection (sqlite3 connections must not be shared between threads without a lock).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import platformdirs

from workbench.core.runs.owner import owner_alive, read_owner
from workbench.core.text import without_surrogates

Status = Literal["running", "finished", "stopped", "failed", "early_stopped", "interrupted"]

STEP_COLUMNS = ("step", "epoch", "loss", "accuracy", "lr", "samples_per_sec")
EPOCH_COLUMNS = ("epoch", "step", "train_loss", "train_accuracy", "val_loss", "val_accuracy",
                 "seconds")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, run_dir TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL,
    spec_name TEXT, data_source TEXT, config TEXT, device TEXT, params INTEGER,
    epochs_done INTEGER, seconds REAL, best_val_accuracy REAL, test_accuracy REAL,
    test_loss REAL, reason TEXT);
CREATE TABLE IF NOT EXISTS steps (
    run_id TEXT NOT NULL, step INTEGER NOT NULL, epoch INTEGER, loss REAL, accuracy REAL,
    lr REAL, samples_per_sec REAL, PRIMARY KEY (run_id, step));
CREATE TABLE IF NOT EXISTS epochs (
    run_id TEXT NOT NULL, epoch INTEGER NOT NULL, step INTEGER, train_loss REAL,
    train_accuracy REAL, val_loss REAL, val_accuracy REAL, seconds REAL,
    PRIMARY KEY (run_id, epoch));
CREATE INDEX IF NOT EXISTS runs_created ON runs (created);
"""


def mark_run_json(run_dir: Path, **values: Any) -> None:
    """Put ``values`` into a run folder's run.json, if it can be read (best effort)."""
    from workbench.core.files import atomic_write_text

    path = Path(run_dir) / "run.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            atomic_write_text(path, json.dumps({**data, **values}, indent=2) + "\n")
    except (OSError, ValueError):
        pass


class RunError(ValueError):
    """A run cannot be found or opened; the message says which and why, in one line."""


def workbench_home() -> Path:
    """Where Workbench keeps its runs and history; the WORKBENCH_HOME variable overrides it."""
    env = os.environ.get("WORKBENCH_HOME")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir("workbench"))


def default_runs_dir() -> Path:
    return workbench_home() / "runs"


@dataclass
class RunRecord:
    id: str
    run_dir: Path
    status: Status = "running"
    created: str = ""  # ISO 8601 with time zone
    spec_name: str = ""
    data_source: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    device: str = ""
    params: int = 0
    epochs_done: int = 0
    seconds: float = 0.0
    best_val_accuracy: float | None = None
    test_accuracy: float | None = None
    test_loss: float | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["run_dir"] = str(self.run_dir)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        """Unknown keys are ignored, so run.json files with more (or newer) fields still load."""
        names = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in names}
        kw["run_dir"] = Path(kw.get("run_dir") or ".")
        kw["config"] = dict(kw.get("config") or {})
        return cls(**kw)


_RECORD_COLUMNS = tuple(f.name for f in fields(RunRecord))


def _to_row(name: str, value: Any) -> Any:
    if name == "config":
        return json.dumps(value)
    if name == "run_dir":
        value = str(value)
    if isinstance(value, str):  # SQLite takes UTF-8 only: an undecodable path's surrogates
        return without_surrogates(value)
    return value


def _from_row(row: sqlite3.Row) -> RunRecord:
    d = {k: row[k] for k in row.keys()}  # noqa: SIM118 (sqlite3.Row is not a mapping)
    try:
        d["config"] = json.loads(d["config"] or "{}")
    except json.JSONDecodeError:
        d["config"] = {}
    for key, default in (("params", 0), ("epochs_done", 0), ("seconds", 0.0), ("reason", ""),
                         ("spec_name", ""), ("data_source", ""), ("device", "")):
        if d.get(key) is None:
            d[key] = default
    return RunRecord.from_dict(d)


class RunStore:
    """Run history in SQLite (default ``workbench_home()/runs.sqlite``). Thread-safe."""

    def __init__(self, path: Path | str | None = None, *, timeout: float = 10.0) -> None:
        self.timeout = timeout  # how long a call waits for another process's lock
        self.path = Path(path) if path is not None else workbench_home() / "runs.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        with self._conn() as conn:
            conn.executescript(_SCHEMA)

    # -- connections ------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # check_same_thread=False only so close() can close every thread's connection.
            conn = sqlite3.connect(self.path, timeout=self.timeout, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable enough, fast
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextlib.contextmanager
    def busy_timeout(self, seconds: float) -> Iterator[None]:
        """Wait at most ``seconds`` for another process's lock, in this thread, meanwhile
        (the training thread must not stall for long behind a locked history)."""
        conn = self._conn()
        conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")

    def close(self) -> None:
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------------
    def list_runs(self) -> list[RunRecord]:
        """Every run, newest first; a ``running`` run whose process died is ``interrupted``."""
        rows = self._conn().execute("SELECT * FROM runs ORDER BY created DESC, id DESC")
        return [self._settle(_from_row(r)) for r in rows.fetchall()]

    def find(self, run_id: str) -> RunRecord | None:
        row = self._conn().execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return self._settle(_from_row(row)) if row is not None else None

    def _settle(self, record: RunRecord) -> RunRecord:
        """Mark a run whose owner process is gone as interrupted (in the history too)."""
        if record.status != "running" or owner_alive(read_owner(record.run_dir)) is not False:
            return record
        ckpts = Path(record.run_dir) / "checkpoints"
        resumable = any(ckpts.glob("*/model.safetensors")) or any(ckpts.glob(".*-*/model.safetensors"))
        record.status = "interrupted"
        record.reason = ("The process training it ended without finishing it (killed or "
                         "crashed)" + (f": resume it with `workbench train --resume {record.id}`"
                                       if resumable else "; it had saved no checkpoint yet"))
        try:
            self.update(record.id, status=record.status, reason=record.reason)
        except sqlite3.Error:
            pass  # shown as interrupted all the same; written next time
        mark_run_json(record.run_dir, status=record.status, reason=record.reason)
        return record

    def get(self, run_id: str) -> RunRecord:
        record = self.find(run_id)
        if record is None:
            raise RunError(f"no run '{run_id}' in the run history")
        return record

    def match(self, prefix: str) -> list[str]:
        """Ids starting with ``prefix`` (so a user can type the first part of an id)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._conn().execute(
            "SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id", (escaped + "%",))
        return [r[0] for r in rows.fetchall()]

    def step_metrics(self, run_id: str) -> list[dict[str, Any]]:
        rows = self._conn().execute(
            f"SELECT {', '.join(STEP_COLUMNS)} FROM steps WHERE run_id = ? ORDER BY step",
            (run_id,))
        return [dict(r) for r in rows.fetchall()]

    def epoch_metrics(self, run_id: str) -> list[dict[str, Any]]:
        rows = self._conn().execute(
            f"SELECT {', '.join(EPOCH_COLUMNS)} FROM epochs WHERE run_id = ? ORDER BY epoch",
            (run_id,))
        return [dict(r) for r in rows.fetchall()]

    # -- writing ----------------------------------------------------------------------
    def add(self, record: RunRecord) -> None:
        """Insert the run, or replace the row of a run with the same id."""
        cols = ", ".join(_RECORD_COLUMNS)
        marks = ", ".join("?" for _ in _RECORD_COLUMNS)
        values = [_to_row(c, getattr(record, c)) for c in _RECORD_COLUMNS]
        with self._conn() as conn:
            conn.execute(f"INSERT OR REPLACE INTO runs ({cols}) VALUES ({marks})", values)

    def update(self, run_id: str, **values: Any) -> None:
        unknown = set(values) - set(_RECORD_COLUMNS) - {"id"}
        if unknown or "id" in values:
            raise ValueError(f"cannot update run fields {sorted(unknown | ({'id'} & set(values)))}")
        if not values:
            return
        sets = ", ".join(f"{k} = ?" for k in values)
        with self._conn() as conn:
            conn.execute(f"UPDATE runs SET {sets} WHERE id = ?",
                         [_to_row(k, v) for k, v in values.items()] + [run_id])

    def add_steps(self, run_id: str, rows: list[dict[str, Any]]) -> None:
        self._add_rows("steps", STEP_COLUMNS, run_id, rows)

    def add_epochs(self, run_id: str, rows: list[dict[str, Any]]) -> None:
        self._add_rows("epochs", EPOCH_COLUMNS, run_id, rows)

    def _add_rows(self, table: str, columns: tuple[str, ...], run_id: str,
                  rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        # OR REPLACE: a resumed run repeats the steps after its checkpoint; the new ones win.
        sql = (f"INSERT OR REPLACE INTO {table} (run_id, {', '.join(columns)}) "
               f"VALUES (?, {', '.join('?' for _ in columns)})")
        with self._conn() as conn:
            conn.executemany(sql, [[run_id, *(r.get(c) for c in columns)] for r in rows])

    def truncate_metrics(self, run_id: str, *, after_step: int, from_epoch: int) -> None:
        """Drop metrics a resumed run will write again (steps > after_step, epochs >= from_epoch)."""
        with self._conn() as conn:
            conn.execute("DELETE FROM steps WHERE run_id = ? AND step > ?", (run_id, after_step))
            conn.execute("DELETE FROM epochs WHERE run_id = ? AND epoch >= ?",
                         (run_id, from_epoch))

    def delete(self, run_id: str, *, remove_folder: bool = False) -> None:
        """Forget the run and its metrics; with ``remove_folder`` delete its folder too."""
        record = self.find(run_id)
        with self._conn() as conn:
            conn.execute("DELETE FROM steps WHERE run_id = ?", (run_id,))
            conn.execute("DELETE FROM epochs WHERE run_id = ?", (run_id,))
            conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        if remove_folder and record is not None and (record.run_dir / "run.json").is_file():
            import shutil  # only checked run folders (holding run.json) are ever removed

            shutil.rmtree(record.run_dir, ignore_errors=True)
