"""Checkpoint folders: ``model.safetensors`` (the weights, readable by anything) and
``state.pt`` (optimizer, schedule, scaler, RNG states, position, history). ``state.pt`` holds
only tensors and plain Python values so that it loads with ``torch.load(weights_only=True)``:
no pickled code runs when a checkpoint is opened.

A checkpoint is one atomic unit: both files are written into a new hidden folder next to it
(``.last.new-XXXX``), synced, and only then swapped in by renames; the previous folder stays
until the new one is complete. ``recover_checkpoints`` repairs what a crash between the two
renames leaves and removes stale temp folders, so a resume always finds a consistent pair."""

from __future__ import annotations

import io
import logging
import os
import random
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from workbench.core.engine.errors import TrainingError

log = logging.getLogger(__name__)

WEIGHTS = "model.safetensors"
STATE = "state.pt"
FORMAT = 1
NAMES = ("last", "best")


def one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return (text[0] if text else type(e).__name__)[:200]


def weights_bytes(model: torch.nn.Module, global_step: int) -> bytes:
    # safetensors refuses tensors sharing memory and non-contiguous ones: store copies on CPU.
    tensors = {k: v.detach().to("cpu", copy=True).contiguous()
               for k, v in model.state_dict().items()}
    return st_save(tensors, metadata={"global_step": str(global_step), "format": "pt"})


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _sync_dir(folder: Path) -> None:
    """Make renames inside ``folder`` durable (POSIX; Windows cannot open a folder)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_checkpoint(folder: Path, model: torch.nn.Module, state: dict[str, Any]) -> None:
    """Write weights and state into a new folder, sync, then swap it in for ``folder``.
    The weights also carry the global step so that a pair from before this scheme, torn
    apart by a crash, is still detected (see ``check_pair``)."""
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=parent))
    try:
        _write_synced(new / WEIGHTS, weights_bytes(model, int(state.get("global_step", 0))))
        buf = io.BytesIO()
        torch.save({"format": FORMAT, **state}, buf)
        _write_synced(new / STATE, buf.getvalue())
        _sync_dir(new)
        old = None
        if folder.exists():
            old = parent / f".{folder.name}.old-{secrets.token_hex(4)}"
            os.replace(folder, old)
        os.replace(new, folder)  # a crash just before this leaves old and new: recovered
        _sync_dir(parent)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def is_sound(folder: Path) -> bool:
    """Both files present and readable, and from the same step (headers only: cheap)."""
    try:
        check_pair(folder, load_state(folder))
        return True
    except (TrainingError, OSError):
        return False


def _stale(parent: Path, name: str) -> list[Path]:
    found = [p for p in parent.glob(f".{name}.*-*") if p.is_dir()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def recover_checkpoints(parent: Path) -> None:
    """After a crash: put back a checkpoint folder lost between the two renames of a save
    (the newer complete copy first), then remove temp folders and half-written files."""
    if not parent.is_dir():
        return
    for name in NAMES:
        folder = parent / name
        stale = _stale(parent, name)
        if not folder.exists():
            # a complete new copy is the newer one; otherwise the old one it replaced
            for cand in sorted(stale, key=lambda p: ".new-" not in p.name):
                if is_sound(cand):
                    os.replace(cand, folder)
                    log.warning("checkpoint %s recovered from %s", folder, cand.name)
                    break
        for p in _stale(parent, name):
            shutil.rmtree(p, ignore_errors=True)
        if folder.is_dir():  # files left by atomic_write_bytes in older versions
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)


def load_weights(folder: Path) -> dict[str, torch.Tensor]:
    path = folder / WEIGHTS
    try:
        tensors = st_load(path.read_bytes())
    except FileNotFoundError:
        raise TrainingError(f"The checkpoint {folder} has no {WEIGHTS}.") from None
    except Exception as e:  # a truncated or foreign file
        raise TrainingError(f"The weights in {path} are damaged ({one_line(e)}).") from None
    # torch.compile wraps the model; its keys carry this prefix
    return {k.removeprefix("_orig_mod."): v for k, v in tensors.items()}


def check_pair(folder: Path, state: dict[str, Any]) -> None:
    path = folder / WEIGHTS
    try:
        with safe_open(str(path), framework="pt") as f:
            step = (f.metadata() or {}).get("global_step")
    except FileNotFoundError:
        raise TrainingError(f"The checkpoint {folder} has no {WEIGHTS}.") from None
    except Exception as e:  # truncated, or not safetensors at all
        raise TrainingError(f"The weights in {path} are damaged ({one_line(e)}).") from None
    if step is not None and int(step) != int(state.get("global_step", -1)):
        raise TrainingError(f"The checkpoint {folder} is incomplete (its weights are from step "
                            f"{step} but its state from step {state.get('global_step')}): the "
                            "app was probably interrupted while saving it.")


def load_state(folder: Path) -> dict[str, Any]:
    path = folder / STATE
    try:
        with path.open("rb") as f:
            return torch.load(f, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise TrainingError(f"The checkpoint {folder} has no {STATE}: it cannot be resumed "
                            "(its weights can still be loaded).") from None
    except Exception as e:
        raise TrainingError(f"The training state in {path} is damaged ({one_line(e)}).") from None


# -- random number generators -------------------------------------------------------------
def _mps() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def rng_state() -> dict[str, Any]:
    """Every generator training draws from, as tensors and plain values."""
    np_state = np.random.get_state()
    py_version, py_internal, py_gauss = random.getstate()
    return {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None,
        "mps": torch.mps.get_rng_state() if _mps() else None,
        "numpy": {"keys": torch.from_numpy(np.asarray(np_state[1], dtype=np.int64)),
                  "pos": int(np_state[2]), "has_gauss": int(np_state[3]),
                  "gauss": float(np_state[4])},
        "python": {"version": int(py_version), "internal": list(py_internal),
                   "gauss": py_gauss},
    }


def set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    if state.get("cuda") is not None and torch.cuda.is_available():
        cuda = state["cuda"][: torch.cuda.device_count()]
        torch.cuda.set_rng_state_all(cuda)
    if state.get("mps") is not None and _mps():
        torch.mps.set_rng_state(state["mps"])
    n = state["numpy"]
    np.random.set_state(("MT19937", n["keys"].numpy().astype(np.uint32), n["pos"],
                         n["has_gauss"], n["gauss"]))
    p = state["python"]
    random.setstate((p["version"], tuple(p["internal"]), p["gauss"]))
