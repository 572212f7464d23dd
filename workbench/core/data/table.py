"""Reading CSV files into header + rows, with clear errors for what users get wrong."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from workbench.core.data.errors import DataSourceError

_MISSING = {"", "na", "n/a", "nan", "null", "none", "?"}


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip().lower() not in _MISSING


def read_table(
    path: Path, *, delimiter: str | None = None, header: bool | None = None
) -> tuple[list[str], list[list[str]], int]:
    """(column names, data rows as strings, line number of the first data row).

    Blank lines are ignored (and not counted in line numbers).

    ``delimiter`` is sniffed among , ; tab | when not given. ``header`` is guessed when not
    given: the first row is a header if it is all text, or if some column is text in the first
    row but a number in the second.
    """
    if not path.is_file():
        raise DataSourceError(f"The file {path} does not exist: choose a CSV file.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataSourceError(f"{path} is not UTF-8 text: save it as UTF-8 CSV.") from exc
    if not text.strip():
        raise DataSourceError(f"The CSV file {path} is empty.")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for r in reader:
            if any(c.strip() for c in r):
                rows.append(r)
    except csv.Error as exc:  # a cell over the field limit, a NUL byte, a bad quote
        raise DataSourceError(
            f"Line {reader.line_num} of {path.name} cannot be read as CSV ({exc}): is it really "
            "a table? (a cell may hold at most 131,072 characters)"
        ) from None
    if not rows:
        raise DataSourceError(f"The CSV file {path} holds no values (every row is empty).")
    if header is None:
        first = rows[0]
        header = all(not _is_number(c) for c in first) or (
            len(rows) > 1
            and any(
                not _is_number(a) and _is_number(b) for a, b in zip(first, rows[1], strict=False)
            )
        )
    if header:
        columns = [c.strip() or f"column {i + 1}" for i, c in enumerate(rows[0])]
        rows = rows[1:]
    else:
        columns = [f"column {i + 1}" for i in range(len(rows[0]))]
    if not rows:
        raise DataSourceError(f"The CSV file {path} has a header but no data rows.")
    first_line = 2 if header else 1
    for i, row in enumerate(rows):
        if len(row) != len(columns):
            raise DataSourceError(
                f"Row {i + first_line} of {path.name} has {len(row)} cells but there are "
                f"{len(columns)} columns: fix the row or the delimiter."
            )
    return columns, rows, first_line


def column_index(columns: Sequence[str], spec: str | int, path: Path, what: str) -> int:
    """Position of a column given by name (case-insensitive) or index (negative from the end)."""
    if isinstance(spec, int):
        if -len(columns) <= spec < len(columns):
            return spec % len(columns)
    else:
        lowered = [c.lower() for c in columns]
        if spec.strip().lower() in lowered:
            return lowered.index(spec.strip().lower())
    raise DataSourceError(
        f"{path.name} has no {what} column {spec!r}: its columns are {', '.join(columns)}."
    )


def numeric_matrix(
    rows: list[list[str]], cols: Sequence[int], columns: Sequence[str], path: Path, first_line: int
) -> np.ndarray:
    """(N, len(cols)) float32; names the first bad cell by row and column if any."""
    cells = [[row[c] for c in cols] for row in rows]
    try:
        arr = np.array(cells, dtype=np.float32).reshape(len(rows), len(cols))
        if np.isfinite(arr).all():
            return arr
    except ValueError:
        pass
    for i, row in enumerate(cells):  # slow path only to say where the problem is
        for j, cell in enumerate(row):
            if not _is_number(cell) or not np.isfinite(float(cell)):
                kind = "empty" if not cell.strip() else f"{cell.strip()!r}, not a number"
                raise DataSourceError(
                    f"Row {i + first_line}, column {columns[cols[j]]!r} of {path.name} is {kind}: "
                    "every feature must be numeric (fill in or remove that row, or pick other columns)."
                )
    raise DataSourceError(f"{path.name} holds values that are not finite numbers.")  # unreachable


def class_labels(values: Sequence[str], where: str = "", first_line: int = 1
                 ) -> tuple[np.ndarray, list[str]]:
    """Class index per value and the sorted class names (numerically when all are numbers).
    An empty label is refused (it would become a class named "")."""
    cleaned = [v.strip() for v in values]
    if "" in cleaned:
        row = cleaned.index("") + first_line
        raise DataSourceError(
            f"Row {row}{' of ' + where if where else ''} has an empty label: fill it in or "
            "remove the row."
        )
    if all(_is_number(v) for v in cleaned):
        nums = {v: float(v) for v in cleaned}
        uniq = sorted(set(nums.values()))
        names = [str(int(u)) if u.is_integer() else str(u) for u in uniq]
        pos = {u: i for i, u in enumerate(uniq)}
        return np.array([pos[nums[v]] for v in cleaned], dtype=np.int64), names
    names = sorted(set(cleaned))
    pos = {n: i for i, n in enumerate(names)}
    return np.array([pos[v] for v in cleaned], dtype=np.int64), names


def looks_continuous(values: Sequence[str]) -> bool:
    """True for numeric labels with fractional values: a regression target, not classes."""
    return all(_is_number(v) for v in values) and any(not float(v).is_integer() for v in values)
