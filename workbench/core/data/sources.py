"""The registry of data sources and ``load_source``, the one way to get a DataSet."""

from __future__ import annotations

import inspect
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import platformdirs

from workbench.core.data.builtin import load_digits
from workbench.core.data.dataset import DataSet, Kind
from workbench.core.data.errors import DataSourceError
from workbench.core.data.folder import load_folder
from workbench.core.data.idx import load_idx
from workbench.core.data.sequences import SEQ_TASKS, load_seq
from workbench.core.data.splits import check_fractions
from workbench.core.data.tabular import load_csv, load_textcsv
from workbench.core.data.text import load_text
from workbench.core.data.vision import VISION_SETS, load_vision


@dataclass(frozen=True)
class SourceInfo:
    """One entry of the source picker. Path sources are written ``name:PATH``."""

    name: str
    title: str
    description: str
    kind: Kind
    needs_path: bool
    downloadable: bool


# fmt: off
_TABLE: list[tuple[str, str, str, Kind, bool, bool]] = [
    # name, title, description, kind, needs_path, downloadable
    ("digits", "Digits 8x8", "1,797 handwritten digits, 8x8 greyscale, 10 classes (built in).", "image", False, False),
    ("digits28", "Digits 28x28", "The built-in digits upscaled to 28x28, for MNIST-sized models.", "image", False, False),
    ("mnist", "MNIST", "70,000 handwritten digits, 28x28 greyscale, 10 classes.", "image", False, True),
    ("fashion-mnist", "Fashion-MNIST", "70,000 clothing images, 28x28 greyscale, 10 classes.", "image", False, True),
    ("kmnist", "KMNIST", "70,000 cursive Japanese characters, 28x28 greyscale, 10 classes.", "image", False, True),
    ("cifar10", "CIFAR-10", "60,000 colour photos, 32x32, 10 classes.", "image", False, True),
    ("cifar100", "CIFAR-100", "60,000 colour photos, 32x32, 100 classes.", "image", False, True),
    ("svhn", "SVHN", "99,289 house-number digits from Street View, 32x32 colour, 10 classes.", "image", False, True),
    ("idx", "IDX folder", "A folder of MNIST-format IDX files (.gz or raw).", "image", True, False),
    ("folder", "Image folder", "One subfolder of images per class, or train/ and test/ folders of them.", "image", True, False),
    ("csv", "CSV table", "Numeric feature columns and a label column.", "features", True, False),
    ("textcsv", "Text CSV", "A text column and a label column, for text classification.", "tokens", True, False),
    ("text", "Plain text", "Any text file, for next-character prediction.", "tokens", True, False),
]
# fmt: on
_TABLE += [
    (f"seq:{k}", f"Sequence: {t.title}", t.description, t.kind, False, False)
    for k, t in SEQ_TASKS.items()
]

SOURCES: dict[str, SourceInfo] = {row[0]: SourceInfo(*row) for row in _TABLE}

_ALIASES = {
    "fashion_mnist": "fashion-mnist",
    "fashionmnist": "fashion-mnist",
    "cifar-10": "cifar10",
    "cifar-100": "cifar100",
}

_PATH_LOADERS: dict[str, Callable[..., DataSet]] = {
    "idx": load_idx,
    "folder": load_folder,
    "csv": load_csv,
    "textcsv": load_textcsv,
    "text": load_text,
}


def default_data_dir() -> Path:
    """Where downloaded data sets live: $WORKBENCH_DATA_DIR, else the user data folder."""
    env = os.environ.get("WORKBENCH_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("workbench")) / "datasets"


def _valid_names() -> str:
    return ", ".join(f"{k}:PATH" if v.needs_path else k for k, v in SOURCES.items())


Resolved = tuple[Callable[..., DataSet], tuple[Any, ...], dict[str, Any]]


def _resolve(source: str, data_dir: Path, download: bool) -> Resolved:
    """The loader for ``source``, its positional arguments, and its fixed keyword arguments."""
    text = source.strip()
    prefix, sep, rest = text.partition(":")
    key = prefix.strip().lower()
    key = _ALIASES.get(key, key)
    if sep and key in _PATH_LOADERS:
        if not rest.strip():
            raise DataSourceError(
                f"The source {key}: needs a path after the colon, e.g. {key}:/data/my-set."
            )
        return _PATH_LOADERS[key], (Path(rest.strip()).expanduser(),), {}
    if sep and key == "seq":
        name = rest.strip().lower()
        if name not in SEQ_TASKS:
            raise DataSourceError(
                f"Unknown sequence task {rest.strip()!r}: choose one of "
                f"{', '.join('seq:' + k for k in SEQ_TASKS)}."
            )
        return partial(load_seq, name), (), {}
    if not sep and key in ("digits", "digits28"):
        return load_digits, (), {"size": 8 if key == "digits" else 28}
    if not sep and key in VISION_SETS:
        return partial(load_vision, key), (), {"data_dir": data_dir, "download": download}
    if not sep and key in _PATH_LOADERS:
        raise DataSourceError(f"The source {key} needs a path: write {key}:PATH.")
    raise DataSourceError(f"Unknown data source {source!r}: choose one of {_valid_names()}.")


def _check_options(
    loader: Callable[..., DataSet], fixed: dict[str, Any], options: dict[str, Any], source: str
) -> None:
    common = {"seed", "val_fraction", "test_fraction", "progress"}
    params = inspect.signature(loader).parameters
    allowed = sorted(
        p
        for p, v in params.items()
        if v.kind is inspect.Parameter.KEYWORD_ONLY and p not in common and p not in fixed
    )
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        takes = f"it takes {', '.join(allowed)}" if allowed else "it takes none"
        raise DataSourceError(f"Option {', '.join(unknown)} does not apply to {source}: {takes}.")
    for name, value in options.items():
        why = option_problem(str(params[name].annotation), value)
        if why:
            raise DataSourceError(f"Option {name}={value!r} of {source} {why}.")


def _parts(annotation: str) -> list[str]:
    """Top-level alternatives of an annotation string: "int | Sequence[int] | None"."""
    parts, depth, cur = [], 0, ""
    for ch in annotation:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [*parts, cur.strip()]


def _fits(part: str, value: Any) -> bool | None:
    """Whether ``value`` is of the declared type ``part``; None for types not checked."""
    if part == "None":
        return value is None
    if part == "bool":
        return isinstance(value, bool)
    if part == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if part == "float":
        return isinstance(value, int | float) and not isinstance(value, bool) \
            and math.isfinite(value)
    if part in ("str", "Path"):
        return isinstance(value, str)
    inner = re.fullmatch(r"(?:Sequence|list|tuple)\[(.*)\]", part)
    if inner:
        alts = _parts(inner.group(1).replace(", ...", ""))
        return isinstance(value, list) and len(value) <= 64 and all(
            any(_fits(a, v) is not False for a in alts) for v in value)
    return None


def option_problem(annotation: str, value: Any) -> str | None:
    """Why ``value`` does not fit a loader option declared as ``annotation`` (a string, as
    ``from __future__ import annotations`` leaves them), or None when it does."""
    parts = _parts(annotation)
    results = [_fits(p, value) for p in parts]
    if any(r is not False for r in results):
        if isinstance(value, int) and not isinstance(value, bool) and value < 0 \
                and "str" not in parts:  # a column index may count from the end
            return "must not be negative"
        return None
    words = {"int": "a whole number", "float": "a number", "bool": "true or false",
             "str": "text", "Path": "a path", "None": "null"}
    wanted = [words.get(p, "a list" if "[" in p else p) for p in parts if p != "None"]
    return f"must be {' or '.join(dict.fromkeys(wanted))}"


def load_source(
    source: str,
    *,
    data_dir: Path | None = None,
    seed: int = 0,
    val_fraction: float = 0.1,
    test_fraction: float = 0.1,
    download: bool = False,
    progress: Callable[[float, str], None] | None = None,
    **options: Any,
) -> DataSet:
    """Load a data source by name (see SOURCES), e.g. ``"digits"``, ``"mnist"``,
    ``"folder:/data/pets"``, ``"csv:iris.csv"`` or ``"seq:parity"``.

    Every failure a user can cause or fix raises DataSourceError with a one-sentence message.
    ``progress(fraction, message)`` is called now and then while loading.
    """
    check_fractions(val_fraction, test_fraction)
    data_dir = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    loader, args, fixed = _resolve(source, data_dir, download)
    _check_options(loader, fixed, options, source)
    try:
        return loader(
            *args,
            seed=seed,
            val_fraction=val_fraction,
            test_fraction=test_fraction,
            progress=progress,
            **fixed,
            **options,
        )
    except PermissionError as exc:
        raise DataSourceError(
            f"No permission to read {exc.filename}: check its access rights."
        ) from exc
    except IsADirectoryError as exc:
        raise DataSourceError(f"{exc.filename} is a folder, not a file: choose a file.") from exc
    except NotADirectoryError as exc:
        raise DataSourceError(f"{exc.filename} is a file, not a folder: choose a folder.") from exc
    except MemoryError as exc:
        raise DataSourceError(f"Not enough memory to load {source}.") from exc
