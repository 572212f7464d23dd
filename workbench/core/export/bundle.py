"""The Workbench bundle (``.wbbundle``): one zip file holding everything needed to reopen a
trained model: the spec, the weights (safetensors), data metadata, training config, metrics.

Why a zip and not a folder: a bundle is something people attach, upload and double-click, so
it must be one file; a zip also gives each member a CRC, so truncation is caught for free. An
unzipped bundle (a folder with the same members) still loads.

Loading never unpickles (JSON + safetensors only) and trusts nothing: every member must be
listed in ``manifest.json`` with its size and SHA-256, nothing else may be present, and the
weights must fit the spec exactly. Anything else is a ``BundleError``; nothing is changed.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import safetensors.torch
import torch
from torch import nn

from workbench.core.export.errors import BundleError
from workbench.core.export.meta_check import check_meta
from workbench.core.export.verify import versions
from workbench.core.files import is_regular_file
from workbench.core.graph import ModelSpec, analyze, build_model
from workbench.core.graph.fits import ModelTooLargeError, check_fits
from workbench.core.graph.problems import ModelInvalidError
from workbench.core.graph.spec import SpecFormatError

SUFFIX = ".wbbundle"
FORMAT = "workbench-bundle"
VERSION = 1
MANIFEST = "manifest.json"
SPEC, WEIGHTS, META, CONFIG, METRICS = ("spec.json", "weights.safetensors", "meta.json",
                                        "config.json", "metrics.json")
_JSON_LIMIT = 64 << 20  # a JSON member larger than this is not ours
_WEIGHTS_LIMIT = 64 << 30


@dataclass
class Bundle:
    """A loaded bundle. Quacks like a loaded run (``spec``, ``config``, ``meta``,
    ``evaluation``, ``load_model()``) so ``workbench predict`` and the app can open either."""

    path: Path
    spec: ModelSpec
    model: nn.Module  # weights loaded, eval mode, on the CPU
    meta: dict[str, Any]
    config: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def evaluation(self) -> dict[str, Any] | None:
        return self.metrics

    @property
    def data_source(self) -> str:
        return str(self.meta.get("source") or "")

    @property
    def data_options(self) -> dict[str, Any]:
        return dict(self.meta.get("data_options") or {})

    def data_meta(self) -> Any:
        """The metadata as a DataMeta (normalize, encode_text, load_image for predictions);
        BundleError when the bundle has none (e.g. exported before training)."""
        from workbench.core.data.meta import DataMeta

        try:
            return DataMeta.from_dict(self.meta)
        except ValueError as e:
            raise BundleError(f"{self.path.name} has no usable data description: {e}") from None

    def training_config(self) -> Any:
        """The TrainingConfig it was trained with, or None."""
        from workbench.core.engine.config import TrainingConfig

        return TrainingConfig.from_dict(self.config) if self.config is not None else None

    def load_model(self, which: str = "best") -> nn.Module:
        """The model (a bundle holds one set of weights, whatever ``which`` asks for)."""
        del which
        return self.model


def state_dict_for_saving(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}


def _plain(obj: Any, what: str) -> Any:
    """A dict (or something with ``to_dict()``, like DataMeta/TrainingConfig) as JSON text."""
    if obj is not None and not isinstance(obj, dict) and hasattr(obj, "to_dict"):
        obj = obj.to_dict()
    try:
        return json.dumps(obj, indent=2, sort_keys=True, default=_json_default) + "\n"
    except (TypeError, ValueError) as e:
        raise ValueError(f"the {what} cannot be written as JSON: {e}") from None


def _json_default(o: Any) -> Any:
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, tuple | set):
        return list(o)
    if isinstance(o, torch.Tensor) and o.numel() <= 1_000_000:
        return o.tolist()
    raise TypeError(f"{type(o).__name__} is not JSON-able")


def save_bundle(path: str | os.PathLike, spec: ModelSpec, model: nn.Module,
                meta: dict[str, Any] | Any, config: dict[str, Any] | Any | None = None,
                metrics: dict[str, Any] | None = None) -> Path:
    """Write a bundle atomically (a temp file renamed into place); returns its path."""
    path = Path(path)
    members: dict[str, bytes] = {
        SPEC: spec.to_json().encode(),
        WEIGHTS: safetensors.torch.save(state_dict_for_saving(model),
                                        metadata={"format": "pt", "model": spec.name[:200]}),
        META: _plain(meta or {}, "data metadata").encode(),
    }
    if config is not None:
        members[CONFIG] = _plain(config, "training config").encode()
    if metrics is not None:
        members[METRICS] = _plain(metrics, "metrics").encode()
    manifest = {"format": FORMAT, "version": VERSION,
                "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                "model": spec.name, **versions(),
                "files": {n: {"size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
                          for n, b in members.items()}}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f, zipfile.ZipFile(f, "w") as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n", zipfile.ZIP_DEFLATED)
            for name, data in members.items():
                # float weights barely compress; storing them keeps saving and loading fast
                zf.writestr(name, data, zipfile.ZIP_STORED if name == WEIGHTS
                            else zipfile.ZIP_DEFLATED)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def is_bundle(path: str | os.PathLike) -> bool:
    """Cheap test (no hashing): a zip or folder with a Workbench manifest."""
    path = Path(path)
    try:
        if path.is_dir():
            return is_regular_file(path / MANIFEST)
        if is_regular_file(path) and zipfile.is_zipfile(path):  # never open a FIFO
            with zipfile.ZipFile(path) as zf:
                return MANIFEST in zf.namelist()
    except Exception:  # noqa: BLE001 - a damaged zip is simply not a bundle here
        pass
    return False


# what reading a damaged zip member can raise, besides BadZipFile
_READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error,
                NotImplementedError, RuntimeError, ValueError, struct.error)


class _Reader:
    """Members of a zipped or unzipped bundle, read with size limits: a member is refused
    by its declared size before anything is inflated, and never read past that size."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        if path.is_dir():
            self.names = sorted(p.name for p in path.iterdir() if not p.name.startswith("."))
            return
        if not is_regular_file(path):
            raise BundleError(f"{path.name} is not a regular file; not a bundle")
        try:
            self.zip = zipfile.ZipFile(path)
            self.names = self.zip.namelist()
        except OSError as e:
            raise BundleError(f"cannot read {path}: {e.strerror or e}") from None
        except Exception:  # noqa: BLE001 - BadZipFile, and worse for crafted headers
            raise BundleError(f"{path.name} is not a Workbench bundle (not a zip file, or it is "
                              "truncated)") from None

    def size(self, name: str) -> int:
        if self.zip is not None:
            return self.zip.getinfo(name).file_size
        member = self.path / name
        if not is_regular_file(member):  # a FIFO or device would hang or never end
            raise BundleError(f"{self.path.name}: {name} is not a regular file")
        return member.stat().st_size

    def check_ratio(self, name: str) -> None:
        """A zip bomb inflates a few MB into GBs; our members compress far less."""
        if self.zip is None:
            return
        info = self.zip.getinfo(name)
        if info.file_size > (1 << 20) and info.file_size > 200 * max(1, info.compress_size):
            raise BundleError(f"{self.path.name}: {name} would inflate {info.compress_size:,} "
                              f"bytes into {info.file_size:,}; refused (not a bundle we wrote)")

    def read(self, name: str, limit: int) -> bytes:
        size = self.size(name)
        if size > limit:
            raise BundleError(f"{self.path.name}: {name} is implausibly large ({size:,} bytes); "
                              "not a bundle")
        self.check_ratio(name)
        try:
            if self.zip is not None:
                with self.zip.open(name) as f:
                    data = f.read(size + 1)
            else:
                with (self.path / name).open("rb") as f:
                    data = f.read(size + 1)
        except _READ_ERRORS as e:
            raise BundleError(f"{self.path.name} is damaged or truncated ({name}: "
                              f"{str(e)[:200] or type(e).__name__})") from None
        if len(data) != size:
            raise BundleError(f"{self.path.name} is damaged: {name} holds {len(data):,} bytes, "
                              f"not the {size:,} it declares")
        return data

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def _json(data: bytes, what: str, where: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleError(f"{where}: {what} is not valid JSON") from None


def load_bundle(path: str | os.PathLike) -> Bundle:
    """Open a bundle: verify every member, rebuild the model from the spec, load the weights.

    Raises BundleError (a ValueError) with one readable line for anything wrong.
    """
    path = Path(path)
    if not path.exists():
        raise BundleError(f"{path} does not exist")
    reader = _Reader(path)
    try:
        return _load(path, reader)
    finally:
        reader.close()


def _load(path: Path, reader: _Reader) -> Bundle:
    where = path.name
    if MANIFEST not in reader.names:
        raise BundleError(f"{where} is not a Workbench bundle (it has no {MANIFEST})")
    manifest = _json(reader.read(MANIFEST, _JSON_LIMIT), MANIFEST, where)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{where} is not a Workbench bundle (its manifest is not ours)")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError(f"{where}: the manifest's version is damaged")
    if version > VERSION:
        raise BundleError(f"{where} was written by a newer Workbench (bundle version {version}; "
                          f"this one reads up to {VERSION}): please update Workbench")
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str)
            and isinstance(v.get("size"), int) for v in files.values()):
        raise BundleError(f"{where}: the manifest's file list is damaged")
    extra = sorted(set(reader.names) - set(files) - {MANIFEST})
    missing = sorted(set(files) - set(reader.names))
    if extra:
        raise BundleError(f"{where} has been modified: {', '.join(extra[:5])} is not listed in "
                          "its manifest")
    if missing:
        raise BundleError(f"{where} is incomplete: {', '.join(missing[:5])} is missing")
    for required in (SPEC, WEIGHTS, META):
        if required not in files:
            raise BundleError(f"{where} is not a complete bundle: it has no {required}")
    for name, entry in files.items():  # declared sizes, before anything is inflated
        if reader.size(name) != entry["size"]:
            raise BundleError(f"{where} has been modified or truncated: {name} is "
                              f"{reader.size(name):,} bytes but the manifest says "
                              f"{entry['size']:,}")
    data: dict[str, bytes] = {}

    def member(name: str, limit: int) -> bytes:
        raw = reader.read(name, limit)
        if hashlib.sha256(raw).hexdigest() != str(files[name]["sha256"]).lower():
            raise BundleError(f"{where} has been modified: the checksum of {name} does not "
                              "match its manifest")
        return raw

    for name in files:
        if name != WEIGHTS:
            data[name] = member(name, _JSON_LIMIT)
    try:
        spec = ModelSpec.from_json(data[SPEC])
    except SpecFormatError as e:
        raise BundleError(f"{where}: its model spec is unusable ({e})") from None
    meta = _json(data[META], META, where)
    config = _json(data[CONFIG], CONFIG, where) if CONFIG in data else None
    metrics = _json(data[METRICS], METRICS, where) if METRICS in data else None
    for what, value in (("meta", meta), ("config", config), ("metrics", metrics)):
        if value is not None and not isinstance(value, dict):
            raise BundleError(f"{where}: its {what} must be a JSON object")
    try:
        analysis = analyze(spec, 1)
        if not analysis.ok:
            raise ModelInvalidError(analysis.errors)
        check_fits(analysis, "cpu", training=False)
        with torch.device("meta"):  # the weights' size, without allocating them
            shapes = build_model(spec, analysis).state_dict()
        needed = sum(t.numel() * t.element_size() for t in shapes.values())
    except ModelInvalidError as e:
        raise BundleError(f"{where}: its model has problems: {e.problems[0]}") from None
    except ModelTooLargeError as e:
        raise BundleError(f"{where}: {e}") from None
    declared = reader.size(WEIGHTS)
    slack = (1 << 16) + 512 * len(shapes)  # the safetensors JSON header
    if declared > needed + slack:
        raise BundleError(f"{where}: its weights member declares {declared:,} bytes but its "
                          f"model's weights are {needed:,}; refused (damaged or crafted)")
    data[WEIGHTS] = member(WEIGHTS, needed + slack)
    check_meta(spec, analysis, meta, where)
    try:
        model = build_model(spec, analysis)
    except (RuntimeError, MemoryError) as e:  # the allocator refused
        raise BundleError(f"{where}: its model cannot be created here ({str(e)[:160]})") from None
    load_weights(model, data[WEIGHTS], where)
    return Bundle(path, spec, model.eval(), meta, config, metrics, manifest)


def load_weights(model: nn.Module, raw: bytes, where: str) -> None:
    """safetensors bytes into ``model``; every key and shape must match (no pickles)."""
    try:
        weights = safetensors.torch.load(raw)
    except Exception as e:  # noqa: BLE001 - SafetensorError, a crafted header, ...
        raise BundleError(f"{where}: the weights file is damaged "
                          f"({str(e)[:200] or type(e).__name__})") from None
    expected = model.state_dict()
    missing = [k for k in expected if k not in weights]
    unexpected = [k for k in weights if k not in expected]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"no weights for {', '.join(missing[:4])}")
        if unexpected:
            parts.append(f"weights for layers the model lacks ({', '.join(unexpected[:4])})")
        raise BundleError(f"{where}: the weights do not belong to this model: "
                          + "; ".join(parts))
    for key, want in expected.items():  # model order: the first layer that does not fit
        tensor = weights[key]
        if tuple(tensor.shape) != tuple(want.shape):
            node = key.split(".")[0]
            raise BundleError(
                f"{where}: the weights do not fit the model: '{key}' (layer '{node}') has "
                f"shape {_shape(tensor)} but the spec needs {_shape(want)}")
    with torch.no_grad():
        model.load_state_dict(weights, strict=True)


def _shape(t: torch.Tensor) -> str:
    return " x ".join(map(str, t.shape)) or "scalar"


__all__ = ["SUFFIX", "Bundle", "BundleError", "is_bundle", "load_bundle", "save_bundle",
           "state_dict_for_saving"]
