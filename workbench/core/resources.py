"""Where the files shipped with the app live (templates, icons, translations).

The same ``resources/`` folder is found in three layouts: a source checkout (beside the
``workbench`` package), an installed wheel (pyproject's force-include maps it to
``workbench/resources``) and the PyInstaller build (which copies it to the same place).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # .../workbench


def resources_dir() -> Path:
    for candidate in (_PACKAGE.parent / "resources",  # source checkout
                      _PACKAGE / "resources"):  # installed wheel, desktop build
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError(f"the resources folder (templates, icons) is missing: looked in "
                            f"{_PACKAGE.parent / 'resources'} and {_PACKAGE / 'resources'}")


def resource_path(*parts: str) -> Path:
    """A path under the resources folder (it may not exist: callers check)."""
    return resources_dir().joinpath(*parts)
