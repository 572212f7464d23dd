"""Pictures of an explanation: the input and the heat map side by side with a colour scale
(images), coloured tokens (text), bars (features). Drawn with matplotlib's Agg canvas (no
pyplot, no GUI backend), written atomically. ``colourize`` is the colour mapping the app's
view uses too, so the picture saved and the picture shown agree."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from workbench.core.explain.explanation import Explanation
from workbench.core.files import atomic_write_bytes

SIGNED_CMAP = "RdBu_r"  # blue against the target, red for it, white nothing
UNSIGNED_CMAP = "inferno"
OVERLAY_ALPHA = 0.85  # opacity of the strongest attribution over the input


def value_range(values: np.ndarray, signed: bool) -> tuple[float, float]:
    """The colour scale's ends: symmetric about 0 for signed maps, [0, max] otherwise."""
    a = np.asarray(values, dtype=np.float64)
    peak = float(np.abs(a).max()) if a.size else 0.0
    peak = peak if peak > 0 else 1.0
    return (-peak, peak) if signed else (min(0.0, float(a.min()) if a.size else 0.0), peak)


def colourize(values: np.ndarray, signed: bool) -> tuple[np.ndarray, float, float]:
    """(..., 4) uint8 RGBA for the values, and the scale's (low, high)."""
    from matplotlib import colormaps

    lo, hi = value_range(values, signed)
    t = (np.asarray(values, dtype=np.float64) - lo) / (hi - lo)
    cmap = colormaps[SIGNED_CMAP if signed else UNSIGNED_CMAP]
    return (cmap(np.clip(t, 0, 1)) * 255).astype(np.uint8), lo, hi


def overlay_rgba(values: np.ndarray, signed: bool) -> np.ndarray:
    """The map coloured, with opacity growing with |value|: where the attribution is near
    zero the input shows through, so the heat sits *on* the image."""
    rgba, lo, hi = colourize(values, signed)
    peak = max(abs(lo), abs(hi)) or 1.0
    strength = np.clip(np.abs(np.asarray(values, dtype=np.float64)) / peak, 0, 1)
    rgba[..., 3] = (np.sqrt(strength) * OVERLAY_ALPHA * 255).astype(np.uint8)
    return rgba


def colour_scale(signed: bool, steps: int = 256) -> np.ndarray:
    """(steps, 4) uint8 RGBA from the low end of the scale to the high end."""
    from matplotlib import colormaps

    cmap = colormaps[SIGNED_CMAP if signed else UNSIGNED_CMAP]
    return (cmap(np.linspace(0, 1, steps)) * 255).astype(np.uint8)


def headline(e: Explanation) -> str:
    if e.task == "regression":
        return f"{e.title} for the output {e.target_name} (= {e.target_probability:.4g})"
    if e.predicted_name == e.target_name:
        what = f"for the predicted class {e.target_name} ({100 * e.probability:.1f} %)"
    else:
        what = (f"for class {e.target_name} ({100 * e.target_probability:.1f} %); "
                f"predicted {e.predicted_name} ({100 * e.probability:.1f} %)")
    return f"{e.title} {what}"


def _figure(e: Explanation) -> Any:
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    a = e.attribution
    lo, hi = value_range(a, e.signed)
    cmap = SIGNED_CMAP if e.signed else UNSIGNED_CMAP
    if e.kind == "image" and e.image is not None and a.ndim == 2:
        panels = 3 if e.layer_map is not None else 2
        fig = Figure(figsize=(3.2 * panels + 0.8, 3.8), dpi=110)
        axes = fig.subplots(1, panels)
        grey = e.image.shape[-1] == 1
        shown = e.image[..., 0] if grey else e.image
        for ax in axes[:2]:
            ax.imshow(shown, cmap="gray" if grey else None, vmin=0, vmax=1,
                      interpolation="nearest")
        axes[0].set_title(textwrap.shorten(e.input_label or "input", 32), fontsize=9)
        axes[1].imshow(overlay_rgba(a, e.signed), interpolation="nearest")
        axes[1].set_title("attribution over the input", fontsize=9)
        if e.layer_map is not None:
            h, w = e.layer_map.shape
            axes[2].imshow(e.layer_map, cmap=cmap, vmin=0, interpolation="nearest")
            axes[2].set_title(f"{e.layer} ({h} x {w}), before upsampling", fontsize=9)
        for ax in axes:
            ax.set_xticks([])
            ax.set_yticks([])
        fig.colorbar(ScalarMappable(Normalize(lo, hi), cmap), ax=list(axes), fraction=0.04,
                     pad=0.02)
    elif e.kind == "tokens" and e.tokens is not None:
        fig = _token_figure(e, lo, hi, cmap)
    else:
        fig = Figure(figsize=(8, 3.6), dpi=110)
        ax = fig.subplots()
        values = a.reshape(-1) if a.ndim <= 1 or min(a.shape) == 1 else None
        if values is not None:
            colours, _, _ = colourize(values, e.signed)
            ax.bar(np.arange(len(values)), values, color=colours / 255.0)
            ax.set_xlabel("feature")
            ax.axhline(0, color="#888", linewidth=0.6)
        else:
            im = ax.imshow(a, cmap=cmap, vmin=lo, vmax=hi, aspect="auto",
                           interpolation="nearest")
            ax.set_xlabel("feature")
            ax.set_ylabel("step")
            fig.colorbar(im, ax=ax)
    fig.suptitle(headline(e), fontsize=10)
    return fig


def _token_figure(e: Explanation, lo: float, hi: float, cmap: str) -> Any:
    """The text with each token on its colour, wrapped into lines, and the scale below."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    tokens = e.tokens or []
    values = e.attribution.reshape(-1)
    per_line = 12 if any(len(t) > 1 for t in tokens) else 32
    lines = max(1, -(-len(tokens) // per_line))
    fig = Figure(figsize=(9, 1.4 + 0.42 * lines), dpi=110)
    ax = fig.add_axes((0.02, 0.32, 0.96, 0.5))
    ax.set_xlim(0, per_line)
    ax.set_ylim(lines, 0)
    ax.axis("off")
    norm = Normalize(lo, hi)
    colours = colormaps[cmap]
    for i, (tok, v) in enumerate(zip(tokens, values, strict=False)):
        r, c = divmod(i, per_line)
        rgba = colours(norm(v))
        dark = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2] < 0.5
        ax.text(c + 0.5, r + 0.5, tok.replace(" ", "␣") or "·", ha="center", va="center",
                fontsize=9, color="white" if dark else "black",
                bbox={"boxstyle": "round,pad=0.25", "facecolor": rgba, "edgecolor": "none"})
    bar_ax = fig.add_axes((0.2, 0.12, 0.6, 0.06))
    fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=bar_ax, orientation="horizontal")
    return fig


def render_png_bytes(e: Explanation) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure(e)
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def render_png(e: Explanation, path: str | Path) -> Path:
    """Write the picture to ``path`` (temp file, then rename)."""
    path = Path(path)
    atomic_write_bytes(path, render_png_bytes(e))
    return path
