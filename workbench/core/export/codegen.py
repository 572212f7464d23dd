"""Write a spec as the ``model.py`` a person would write: an ``nn.Module`` whose ``__init__``
assigns one attribute per layer (each kind's constructor call, from the catalogue) and whose ``forward`` is
straight-line code following the graph. Helper modules the catalogue defines itself are
copied verbatim from ``workbench.core.layers.modules`` (only those used), so the file needs
nothing but torch. Attribute names are the node names, so the state_dict keys are the same
as the Workbench model's and its weights load unchanged."""

from __future__ import annotations

import builtins
import inspect
import keyword
import re
import textwrap

from torch import nn

from workbench.core.graph import Analysis, ModelSpec, analyze, model_io
from workbench.core.graph.analysis import resolved_params
from workbench.core.graph.problems import ModelInvalidError
from workbench.core.layers import CATALOGUE, fmt_shape
from workbench.core.layers import modules as helpers

# names a forward's local variable must not take: they would shadow what the code uses
_RESERVED = {"self", "x", "torch", "nn", "math"} | set(dir(builtins))
_HELPERS = {name: cls for name, cls in vars(helpers).items()
            if isinstance(cls, type) and issubclass(cls, nn.Module)
            and cls.__module__ == helpers.__name__}


def class_name(name: str) -> str:
    """The spec's name as a class name (the rule ``build_model`` uses for the fx class),
    kept clear of the helper classes copied next to it."""
    words = "".join(c if c.isalnum() else " " for c in name).split()
    cls = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    cls = cls if cls[0].isalpha() else "Model" + cls
    return cls + "Model" if cls in _HELPERS or cls in ("Model", "nn", "torch") else cls


def model_source(spec: ModelSpec, analysis: Analysis | None = None) -> str:
    """The text of model.py for ``spec`` (raises ModelInvalidError for a model with errors)."""
    analysis = analysis or analyze(spec)
    if not analysis.ok:
        raise ModelInvalidError(analysis.errors)
    order = _chain_order(spec, analysis)
    cls = class_name(spec.name)
    inits, used = _init_lines(spec, analysis, order)
    # isort's spacing: one blank line before an assignment, two before a class
    parts = [_header(spec, cls), _imports(used)] + ([""] if used else [])
    parts += [inspect.getsource(_HELPERS[h]) + "\n" for h in used]
    parts.append(_class(spec, analysis, cls, inits, _forward_lines(spec, analysis, order)))
    return "\n".join(parts).rstrip() + "\n"


def _inputs(spec: ModelSpec, name: str) -> list[str]:
    kind = CATALOGUE[spec.node(name).kind]
    edges = sorted(spec.inputs_of(name), key=lambda e: kind.inputs.index(e.dst_port))
    return [e.src for e in edges]


def _chain_order(spec: ModelSpec, analysis: Analysis) -> list[str]:
    """A topological order that follows each chain to its end before starting another (the
    analysis's breadth-first order interleaves parallel branches, which reads badly)."""
    rank = {n: i for i, n in enumerate(analysis.order)}
    preds = {n: _inputs(spec, n) for n in analysis.order}
    waiting = {n: len(p) for n, p in preds.items()}
    ready = [n for n in analysis.order if waiting[n] == 0]
    order: list[str] = []
    while ready:
        last = order[-1] if order else None
        pick = next((r for r in ready if last in preds[r]), ready[0])
        ready.remove(pick)
        order.append(pick)
        for n in analysis.order:
            if pick in preds[n]:
                waiting[n] -= preds[n].count(pick)
                if waiting[n] == 0:
                    ready.append(n)
        ready.sort(key=rank.__getitem__)
    return order


def _skipped(spec: ModelSpec, analysis: Analysis, name: str) -> bool:
    """Input nodes that only pass the data through are not worth an attribute."""
    kind = CATALOGUE[spec.node(name).kind]
    return kind.is_input and kind.code(resolved_params(spec, name),
                                       list(analysis.nodes[name].in_shapes)) == "nn.Identity()"


def _attr(name: str) -> str:
    ok = name.isidentifier() and not keyword.iskeyword(name)
    return f"self.{name}" if ok else f"getattr(self, {name!r})"


def _init_lines(spec: ModelSpec, analysis: Analysis, order: list[str]
                ) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    used: set[str] = set()
    for name in order:
        if _skipped(spec, analysis, name):
            continue
        info = analysis.nodes[name]
        kind = CATALOGUE[info.kind]
        code = kind.code(resolved_params(spec, name), list(info.in_shapes))
        if _HELPERS.get(kind.constructor.__name__) is kind.constructor:
            used.add(kind.constructor.__name__)
        shape = f"  # -> {fmt_shape(info.out_shape)}"
        if name.isidentifier() and not keyword.iskeyword(name):
            lines += _wrap(f"self.{name} = ", code, shape)
        else:
            lines += _wrap(f"self.add_module({name!r}, ", code, shape)
    # helpers may use one another: include what they mention, in modules.py's order
    pending = list(used)
    while pending:
        src = inspect.getsource(_HELPERS[pending.pop()])
        for other in _HELPERS:
            if other not in used and re.search(rf"\b{other}\(", src):
                used.add(other)
                pending.append(other)
    line_of = {n: inspect.getsourcelines(c)[1] for n, c in _HELPERS.items()}
    return lines, sorted(used, key=line_of.__getitem__)


def _wrap(prefix: str, code: str, comment: str, width: int = 92) -> list[str]:
    """One line if it fits, else the call's arguments on their own indented line(s)."""
    if len(prefix + code) <= width or not code.endswith(")") or "(" not in code:
        return [prefix + code + comment]
    head, args = code.split("(", 1)
    tail = ")" + ")" * (prefix.count("(") - prefix.count(")"))
    args = args[: -len(")")]
    body = textwrap.wrap(args, width - 4, break_long_words=False, break_on_hyphens=False)
    return [f"{prefix}{head}(", *(f"    {b}" for b in body), tail + comment]


def _forward_lines(spec: ModelSpec, analysis: Analysis, order: list[str]) -> list[str]:
    consumers: dict[str, list[str]] = {n: [] for n in order}
    for n in order:
        for src in _inputs(spec, n):
            consumers[src].append(n)
    var: dict[str, str] = {}
    lines: list[str] = []
    for i, name in enumerate(order):
        # a value used once, by the very next line, flows through ``x``; others get a name
        chained = len(consumers[name]) == 1 and i + 1 < len(order) \
            and consumers[name][0] == order[i + 1]
        target = "x" if chained else (name if name not in _RESERVED and
                                      not keyword.iskeyword(name) else f"{name}_out")
        if _skipped(spec, analysis, name):
            if target != "x":
                lines.append(f"{target} = x")
            var[name] = target
            continue
        args = ", ".join(var[s] for s in _inputs(spec, name)) or "x"
        call = f"{_attr(name)}({args})"
        if name == analysis.output_node:
            lines.append(f"return {call}")
        else:
            lines.append(f"{target} = {call}")
            var[name] = target
    return lines


def _describe_io(spec: ModelSpec, analysis: Analysis) -> tuple[str, str]:
    io = model_io(spec, analysis)
    shape = ", ".join(str(s) for s in ("batch", *io.input_shape))
    what = {"image": "float32 images (normalized as in training)",
            "tokens": "int64 token ids", "features": "float32 features (normalized as in training)",
            "sequence": "float32 sequences"}.get(io.input_kind, "float32 values")
    out = ", ".join(str(s) for s in ("batch", *io.output_shape))
    if io.task == "classification":
        result = "scores (logits) per class" if len(io.output_shape) == 1 else \
            "scores (logits) per step and class, e.g. for the next token"
    else:
        result = "regression outputs"
    return f"({shape}) {what}", f"({out}) {result}"


def _header(spec: ModelSpec, cls: str) -> str:
    title = spec.name.replace('"""', "'''").replace("\\", "/")
    first = textwrap.fill(f'{cls}: the model "{title}", exported from Workbench.', 96,
                          subsequent_indent=" " * 8)
    return textwrap.dedent(f'''\
        """{first}

        Load the trained weights exported with it:

            from safetensors.torch import load_file
            model = {cls}()
            model.load_state_dict(load_file("weights.safetensors"))
        """
        ''')


def _imports(used: list[str]) -> str:
    need_math = any("math." in inspect.getsource(_HELPERS[h]) for h in used)
    return ("import math\n\n" if need_math else "") + "import torch\nfrom torch import nn\n"


def _class(spec: ModelSpec, analysis: Analysis, cls: str, inits: list[str],
           forward: list[str]) -> str:
    io = model_io(spec, analysis)
    given, gives = _describe_io(spec, analysis)
    about = textwrap.fill(spec.description.replace('"""', "'''").replace("\\", "/"), 88,
                          initial_indent="    ", subsequent_indent="    ")
    dtype = "torch.int64" if io.input_kind == "tokens" else "torch.float32"
    body = [f"INPUT_SHAPE = {tuple(io.input_shape)!r}  # one sample; a batch adds a first axis",
            f"INPUT_DTYPE = {dtype}", "", "",
            f"class {cls}(nn.Module):",
            f'    """{spec.name.replace(chr(34) * 3, "")}' + ("\n\n" + about if about else ""),
            "",
            f"    Input:  {given}",
            f"    Output: {gives}",
            '    """', "",
            "    def __init__(self) -> None:",
            "        super().__init__()"]
    body += [f"        {line}" for line in inits]
    body += ["", "    def forward(self, x: torch.Tensor) -> torch.Tensor:"]
    body += [f"        {line}" for line in forward]
    return "\n".join(body)
