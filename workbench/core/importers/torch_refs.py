"""Where PyTorch models come from: ``torchvision:NAME`` (its weights through torchvision's
own weights API, cached in torch hub's folder) and ``module:path/file.py:ClassName``."""

from __future__ import annotations

import importlib.util
import sys
import urllib.error
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from workbench.core.importers.errors import ModelImportError

EXAMPLES = "resnet18, resnet34, vgg11, mobilenet_v2"


def torchvision_model(name: str, weights: str | None, progress: bool = True
                      ) -> tuple[nn.Module, tuple[int, ...], dict[str, Any], str]:
    """(model, per-sample input shape, data description, note) for a torchvision model;
    ``weights`` is a name of its weights enum ("DEFAULT", "IMAGENET1K_V1") or None for a
    random initialisation."""
    from torchvision import models

    try:
        builder = models.get_model_builder(name)
    except ValueError:
        raise ModelImportError(f"torchvision has no model '{name}'; try one of {EXAMPLES} "
                               "(torchvision.models.list_models() lists them all)") from None
    meta: dict[str, Any] = {"source": "", "name": f"torchvision {name}", "kind": "image",
                            "sample_shape": [3, 224, 224], "task": "classification"}
    if weights is None:
        torch.manual_seed(0)
        return builder(weights=None), (3, 224, 224), meta, "random initial weights"
    enum = models.get_model_weights(name)
    try:
        w = enum[weights.removeprefix(f"{enum.__name__}.")]
    except KeyError:
        names = ", ".join(["DEFAULT", *enum.__members__])
        raise ModelImportError(f"{name} has no weights '{weights}'; choose one of {names}") \
            from None
    model = builder(weights=None, num_classes=len(w.meta["categories"]))
    model.load_state_dict(_download(w, progress))
    transforms = w.transforms()
    size = int(list(getattr(transforms, "crop_size", [224]))[0])
    meta.update(sample_shape=[3, size, size], class_names=list(w.meta["categories"]),
                num_classes=len(w.meta["categories"]),
                mean=list(getattr(transforms, "mean", [0.485, 0.456, 0.406])),
                std=list(getattr(transforms, "std", [0.229, 0.224, 0.225])))
    return model, (3, size, size), meta, f"pretrained weights {w}"


def _download(w: Any, progress: bool) -> dict[str, torch.Tensor]:
    """The weights from torch hub's cache, downloading them (with a progress bar) the first
    time; loaded with weights_only (no pickled code runs)."""
    folder = Path(torch.hub.get_dir()) / "checkpoints"
    file = w.url.rsplit("/", 1)[-1]
    try:
        return torch.hub.load_state_dict_from_url(w.url, progress=progress, check_hash=True,
                                                  weights_only=True, map_location="cpu")
    except (urllib.error.URLError, OSError, ConnectionError) as e:
        reason = getattr(e, "reason", None) or e
        raise ModelImportError(
            f"could not download the weights {w} ({reason}): connect to the internet, or "
            f"put {file} in {folder}, or import with random initial weights (--random-init)"
        ) from None
    except RuntimeError as e:  # a damaged or foreign file in the cache
        raise ModelImportError(f"the cached weights {folder / file} cannot be read ({e}); "
                               "delete the file to download it again") from None


def module_model(ref: str, weights: str | None) -> tuple[nn.Module, str]:
    """``path/file.py:ClassName``: the class built with no arguments (its weights from a
    .safetensors or a torch state-dict file when given)."""
    path_text, sep, cls_name = ref.rpartition(":")
    path = Path(path_text)
    if not sep or not cls_name or path.suffix != ".py":
        raise ModelImportError(f"'module:{ref}' should read module:path/to/file.py:ClassName")
    if not path.is_file():
        raise ModelImportError(f"{path} does not exist")
    spec = importlib.util.spec_from_file_location(f"_wb_import_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ModelImportError(f"{path} cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    # registered, as an import would: inspect (and so fx) find a class's source through it
    sys.modules[spec.name] = module
    sys.path.insert(0, str(path.parent.resolve()))  # its own imports of files beside it
    try:
        spec.loader.exec_module(module)
    except Exception as e:
        sys.modules.pop(spec.name, None)
        raise ModelImportError(f"{path} fails when imported: {type(e).__name__}: {e}") from None
    finally:
        sys.path.remove(str(path.parent.resolve()))
    cls: Callable[[], nn.Module] | None = getattr(module, cls_name, None)
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise ModelImportError(f"{path} has no nn.Module class '{cls_name}'")
    try:
        torch.manual_seed(0)
        model = cls()
    except Exception as e:
        raise ModelImportError(f"{cls_name}() fails: {type(e).__name__}: {e}; the class must "
                               "build with no arguments") from None
    if weights:
        try:
            model.load_state_dict(_weights_file(Path(weights)))
        except RuntimeError as e:  # keys or shapes that do not fit the class
            first = str(e).strip().splitlines()
            raise ModelImportError(f"the weights in {weights} do not fit {cls_name}: "
                                   f"{' '.join(first[1:3]) or first[0]}"[:300]) from None
    return model, cls_name


def _weights_file(path: Path) -> dict[str, torch.Tensor]:
    if not path.is_file():
        raise ModelImportError(f"{path} does not exist")
    try:
        if path.suffix == ".safetensors":
            import safetensors.torch

            return safetensors.torch.load_file(str(path))
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:
        raise ModelImportError(f"{path} is not a weights file ({type(e).__name__}: {e})") \
            from None
