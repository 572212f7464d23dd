"""The model templates shipped in ``resources/templates``: ready-made specs to start from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.core.graph.spec import ModelSpec, SpecFormatError
from workbench.core.resources import resource_path

DEFAULT_TEMPLATE = "cnn_mnist"


def templates_dir() -> Path:
    return resource_path("templates")


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    title: str
    description: str
    path: Path
    is_gan: bool = False  # a generator and a discriminator, trained by the GAN trainer


def list_templates(*, include_gan: bool = False) -> list[TemplateInfo]:
    """The templates, sorted by name; single-graph models only unless ``include_gan``
    (a GAN document has two graphs, which the single-model views do not show)."""
    out = []
    for path in sorted(templates_dir().glob("*.json")):
        spec = ModelSpec.load(path)
        if spec.is_gan and not include_gan:
            continue
        out.append(TemplateInfo(path.stem, spec.name, spec.description, path, spec.is_gan))
    return out


def load_template(name: str) -> ModelSpec:
    path = templates_dir() / f"{name}.json"
    if not path.is_file():
        names = ", ".join(t.stem for t in sorted(templates_dir().glob("*.json")))
        raise SpecFormatError(f"there is no template '{name}'; choose one of: {names}")
    return ModelSpec.load(path)


def load_spec_or_template(arg: str) -> ModelSpec:
    """A path to a spec file, or the name of a template."""
    path = Path(arg)
    if path.suffix == ".json" or path.exists():
        return ModelSpec.load(path)
    return load_template(arg)
