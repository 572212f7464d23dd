"""Checkpoint folders: ``model.safetensors`` (the weights, readable by anything) and
``state.pt`` (optimizer, schedule, scaler, RNG states, position, history), each written
atomically. ``state.pt`` holds only tensors and plain Python values so that it loads with
``torch.load(weights_only=True)``: no pickled code runs when a checkpoint is opened."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from workbench.core.engine.errors import TrainingError
from workbench.core.files import atomic_write_bytes

WEIGHTS = "model.safetensors"
STATE = "state.pt"
FORMAT = 1


def weights_bytes(model: torch.nn.Module, global_step: int) -> bytes:
    # safetensors refuses tensors sharing memory and non-contiguous ones: store copies on CPU.
    tensors = {k: v.detach().to("cpu", copy=True).contiguous()
               for k, v in model.state_dict().items()}
    return st_save(tensors, metadata={"global_step": str(global_step), "format": "pt"})


def save_checkpoint(folder: Path, model: torch.nn.Module, state: dict[str, Any]) -> None:
    """Two atomic files; the weights carry the global step so that a pair torn apart by a
    crash between the two writes is detected on resume (see ``check_pair``)."""
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(folder / WEIGHTS, weights_bytes(model, int(state.get("global_step", 0))))
    buf = io.BytesIO()
    torch.save({"format": FORMAT, **state}, buf)
    atomic_write_bytes(folder / STATE, buf.getvalue())


def load_weights(folder: Path) -> dict[str, torch.Tensor]:
    path = folder / WEIGHTS
    try:
        tensors = st_load(path.read_bytes())
    except FileNotFoundError:
        raise TrainingError(f"The checkpoint {folder} has no {WEIGHTS}.") from None
    except Exception as e:  # a truncated or foreign file
        raise TrainingError(f"The weights in {path} cannot be read: {e}") from None
    # torch.compile wraps the model; its keys carry this prefix
    return {k.removeprefix("_orig_mod."): v for k, v in tensors.items()}


def check_pair(folder: Path, state: dict[str, Any]) -> None:
    with safe_open(str(folder / WEIGHTS), framework="pt") as f:
        step = (f.metadata() or {}).get("global_step")
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
        raise TrainingError(f"The training state in {path} cannot be read: {e}") from None


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
