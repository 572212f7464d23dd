"""Data loaders for an exported train.py, one per kind of Workbench data source.

The exporter copies the one a run used (renamed ``load_data``) and the helpers it calls into
train.py, so each function is self-contained: it reads its settings from ``DATA`` and imports
what it needs itself. Each returns {"train", "val", "test"} datasets of (x, y) with x
unnormalized (images in [0, 1]), split exactly as Workbench split them.
"""

from __future__ import annotations

import torch
from torch.utils.data import Dataset, Subset, TensorDataset

DATA: dict = {}  # filled in by the exporter in train.py


def split_indices(n: int, val_fraction: float, test_fraction: float, seed: int, labels=None):
    """Seeded (train, val, test) indices, stratified by class when labels are given: the same
    algorithm as Workbench, so the splits are the run's."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n_test, n_val = int(round(n * test_fraction)), int(round(n * val_fraction))
    if labels is None:
        order = rng.permutation(n)
    else:
        labels = np.asarray(labels).reshape(n)
        jitter = rng.random(n)
        key = np.empty(n, dtype=np.float64)
        for c in np.unique(labels):
            members = np.flatnonzero(labels == c)
            key[members] = (rng.permutation(len(members)) + 0.5) / len(members)
        order = np.lexsort((jitter, key))
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return rng.permutation(train), rng.permutation(val), rng.permutation(test)


def split_tensors(x: torch.Tensor, y: torch.Tensor, test: tuple | None = None,
                  stratify: bool = True) -> dict[str, Dataset]:
    """Carve validation (and test, unless an official test set is given) out of (x, y)."""
    tr, va, te = split_indices(len(x), DATA["val_fraction"],
                               0.0 if test else DATA["test_fraction"], DATA["seed"],
                               y.numpy() if stratify else None)

    def pick(idx) -> TensorDataset:
        return TensorDataset(x[torch.as_tensor(idx)], y[torch.as_tensor(idx)])

    return {"train": pick(tr), "val": pick(va),
            "test": TensorDataset(*test) if test else pick(te)}


def load_digits(data_dir: str | None) -> dict[str, Dataset]:
    """scikit-learn's 1,797 8x8 digits (bundled: no download), upscaled bilinearly when the
    model takes bigger images (Workbench's digits28)."""
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    x = torch.from_numpy(bunch.images).float().div_(16.0).unsqueeze(1)  # values are 0..16
    size = DATA["sample_shape"][-1]
    if size != 8:
        x = torch.nn.functional.interpolate(x, size=(size, size), mode="bilinear",
                                            align_corners=False).clamp_(0, 1)
    return split_tensors(x, torch.from_numpy(bunch.target).long())


def load_torchvision(data_dir: str | None) -> dict[str, Dataset]:
    """A torchvision data set (downloaded into --data-dir); its official test split is kept
    and validation is carved from its training split."""
    import numpy as np
    import torchvision

    cls = getattr(torchvision.datasets, DATA["torchvision_class"])
    root = data_dir or "data"

    def tensors(train: bool):
        kw = {"split": "train" if train else "test"} if cls.__name__ == "SVHN" else {"train": train}
        ds = cls(root, download=True, **kw)
        data = torch.as_tensor(np.asarray(ds.data))
        if data.dim() == 3:  # (N, H, W) grey
            data = data.unsqueeze(1)
        elif data.shape[-1] == 3:  # (N, H, W, C)
            data = data.permute(0, 3, 1, 2)
        labels = ds.targets if hasattr(ds, "targets") else ds.labels
        return data.contiguous().float().div_(255.0), torch.as_tensor(np.asarray(labels)).long()

    return split_tensors(*tensors(True), test=tensors(False))


def read_idx(path):
    """One IDX (MNIST format) file, gzipped or not, as a numpy array."""
    import gzip

    import numpy as np

    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    dtypes = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if raw[:2] != b"\0\0" or raw[2] not in dtypes:
        raise ValueError(f"{path} is not an IDX file")
    dims = np.frombuffer(raw, ">u4", count=raw[3], offset=4)
    return np.frombuffer(raw, dtypes[raw[2]], offset=4 + 4 * raw[3]).reshape(dims)


def load_idx(data_dir: str | None) -> dict[str, Dataset]:
    """A folder of IDX image/label files (train-*/t10k-* pairs, or one pair to carve)."""
    import re
    from pathlib import Path

    import numpy as np

    folder = Path(data_dir or DATA["path"])
    found = {}
    for f in sorted(p for p in folder.iterdir() if p.is_file()):
        low = f.name.lower()
        part = "x" if re.search(r"images|idx3", low) else "y" if re.search(r"labels|idx1", low) \
            else None
        split = "train" if "train" in low else "test" if ("t10k" in low or "test" in low) \
            else "all"
        if part:
            found.setdefault((split, part), f)

    def pair(split):
        x, y = read_idx(found[(split, "x")]), read_idx(found[(split, "y")])
        x = x[:, None] if x.ndim == 3 else x.transpose(0, 3, 1, 2)
        scale = 255.0 if x.dtype == np.uint8 else max(1.0, float(x.max()))
        return torch.from_numpy(x.astype(np.float32) / scale), torch.from_numpy(y.astype(np.int64))

    if ("train", "x") in found and ("test", "x") in found:
        return split_tensors(*pair("train"), test=pair("test"))
    return split_tensors(*pair(next(s for s, part in found if part == "x")))


def load_folder(data_dir: str | None) -> dict[str, Dataset]:
    """Images in one subfolder per class (or train/, val/, test/ folders of them), read with
    torchvision's ImageFolder and streamed from disk."""
    from pathlib import Path

    from torchvision import datasets, transforms

    channels, height, width = DATA["sample_shape"]
    grey = [transforms.Grayscale(1)] if channels == 1 else []  # ImageFolder reads RGB
    prepare = transforms.Compose([*grey, transforms.Resize((height, width)),
                                  transforms.ToTensor()])
    root = Path(data_dir or DATA["path"])
    subdirs = {p.name.lower(): p for p in root.iterdir() if p.is_dir()}
    named = {k: next((subdirs[n] for n in names if n in subdirs), None) for k, names in
             {"train": ("train", "training"), "val": ("val", "valid", "validation"),
              "test": ("test", "testing")}.items()}
    base = datasets.ImageFolder(str(named["train"] or root), transform=prepare)
    val_f = 0.0 if named["val"] else DATA["val_fraction"]
    test_f = 0.0 if named["test"] else DATA["test_fraction"]
    tr, va, te = split_indices(len(base), val_f, test_f, DATA["seed"], base.targets)
    out = {"train": Subset(base, tr.tolist()), "val": Subset(base, va.tolist()),
           "test": Subset(base, te.tolist())}
    for key in ("val", "test"):
        if named[key]:
            out[key] = datasets.ImageFolder(str(named[key]), transform=prepare)
    return out


def load_csv(data_dir: str | None) -> dict[str, Dataset]:
    """A CSV file of numeric feature columns and a label column (by default the one named
    "label", else the last), read the way Workbench reads it."""
    import csv
    import io

    import numpy as np

    def is_number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return cell.strip().lower() not in ("", "na", "n/a", "nan", "null", "none", "?")

    text = open(data_dir or DATA["path"], encoding="utf-8-sig").read()
    try:
        delimiter = DATA.get("delimiter") or csv.Sniffer().sniff(text[:65536], ",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)
            if any(c.strip() for c in r)]
    header = DATA.get("header")
    if header is None:  # all text, or text above a number: a header row
        header = all(not is_number(c) for c in rows[0]) or (len(rows) > 1 and any(
            not is_number(a) and is_number(b) for a, b in zip(rows[0], rows[1], strict=False)))
    columns = [c.strip() for c in rows[0]] if header else [str(i) for i in range(len(rows[0]))]
    rows = rows[1:] if header else rows
    wanted = DATA.get("label_column")
    wanted = [wanted] if isinstance(wanted, str | int) else wanted
    if not wanted:
        lowered = [c.lower() for c in columns]
        wanted = ["label"] if "label" in lowered else [len(columns) - 1]
    labels = [c % len(columns) if isinstance(c, int)
              else [n.lower() for n in columns].index(c.lower()) for c in wanted]
    features = [i for i in range(len(columns)) if i not in labels]
    x = torch.from_numpy(np.array([[float(r[i]) for i in features] for r in rows], np.float32))
    if DATA["task"] == "classification":
        y = torch.tensor([class_index(r[labels[0]], DATA["class_names"]) for r in rows])
        return split_tensors(x, y)
    y = torch.tensor([[float(r[i]) for i in labels] for r in rows])
    return split_tensors(x, y[:, 0] if len(labels) == 1 else y, stratify=False)


def read_vocab() -> dict[str, int]:
    """The run's vocabulary (vocab.json next to train.py): token -> id, 0 <pad>, 1 <unk>."""
    import json
    from pathlib import Path

    vocab = json.loads((Path(__file__).parent / "vocab.json").read_text(encoding="utf-8"))
    return {t: i for i, t in enumerate(vocab)}


def load_text(data_dir: str | None) -> dict[str, Dataset]:
    """A plain text file for next-character prediction: windows of L + 1 characters, x the
    first L and y the same shifted by one; train, val and test are consecutive blocks."""
    index = read_vocab()
    text = open(data_dir or DATA["path"], encoding="utf-8", errors="replace").read()
    length = DATA["sample_shape"][0]
    stride = DATA.get("stride") or length
    ids = torch.tensor([index.get(c, 1) for c in text])
    n = (len(text) - length - 1) // stride + 1
    windows = ids.unfold(0, length + 1, stride)[:n]
    n_val, n_test = round(n * DATA["val_fraction"]), round(n * DATA["test_fraction"])
    if n >= 3:
        n_val = max(n_val, 1 if DATA["val_fraction"] > 0 else 0)
        n_test = max(n_test, 1 if DATA["test_fraction"] > 0 else 0)
    n_train = n - n_val - n_test
    blocks = {"train": windows[:n_train], "val": windows[n_train:n_train + n_val],
              "test": windows[n_train + n_val:]}
    return {k: TensorDataset(w[:, :-1].contiguous(), w[:, 1:].contiguous())
            for k, w in blocks.items()}


def load_textcsv(data_dir: str | None) -> dict[str, Dataset]:
    """A CSV of texts and labels for text classification, tokenized with the run's
    vocabulary (words or characters), padded or cut to the model's length."""
    import csv
    import re

    index = read_vocab()
    with open(data_dir or DATA["path"], newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f, delimiter=DATA.get("delimiter") or ",") if any(r)]
    columns = [c.strip().lower() for c in rows.pop(0)]

    def column(option: str, default: int) -> int:
        wanted = DATA.get(option)
        if wanted is None:
            return default
        return columns.index(wanted.lower()) if isinstance(wanted, str) else wanted % len(columns)

    label = column("label_column", columns.index("label") if "label" in columns
                   else len(columns) - 1)
    others = [i for i, c in enumerate(columns) if i != label]
    text = column("text_column", next((i for i in others if columns[i] == "text"), others[0]))
    length = DATA["sample_shape"][0]

    def encode(s: str) -> list[int]:
        tokens = list(s) if DATA["tokenizer"] == "char" else re.findall(r"\w+|[^\w\s]", s.lower())
        ids = [index.get(t, 1) for t in tokens][:length]
        return ids + [0] * (length - len(ids))

    x = torch.tensor([encode(r[text]) for r in rows])
    y = torch.tensor([class_index(r[label], DATA["class_names"]) for r in rows])
    return split_tensors(x, y)


def class_index(value: str, names: list[str]) -> int:
    """A label cell's class number ("3.0" is class "3" when the classes are numbers)."""
    value = value.strip()
    if value not in names:
        try:
            number = float(value)
            value = str(int(number)) if number.is_integer() else str(number)
        except ValueError:
            pass
    return names.index(value)


def load_unsupported(data_dir: str | None) -> dict[str, Dataset]:
    """Workbench cannot write a loader for this source yet: fill this function in."""
    raise NotImplementedError(
        f"train.py has no loader for the data source {DATA['source']!r}: edit load_data() to "
        f"return {{'train', 'val', 'test'}} datasets of (x, y), x shaped {DATA['sample_shape']}")
