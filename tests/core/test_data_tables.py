"""CSV tables, text CSVs and plain text files."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from workbench.core.data import DataSourceError, load_source


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _iris_like(path: Path, n: int = 60) -> Path:
    rows = ["sepal,petal,species"]
    for i in range(n):
        cls = ["setosa", "versicolor", "virginica"][i % 3]
        rows.append(f"{i % 3 + 0.1 * (i % 5)},{i * 0.5},{cls}")
    return _write(path, "\n".join(rows) + "\n")


def test_csv_string_labels(tmp_path: Path) -> None:
    ds = load_source(
        f"csv:{_iris_like(tmp_path / 'iris.csv')}", val_fraction=0.2, test_fraction=0.2
    )
    assert ds.kind == "features" and ds.task == "classification" and ds.sample_shape == (2,)
    assert ds.class_names == ["setosa", "versicolor", "virginica"]
    assert (len(ds.train), len(ds.val), len(ds.test)) == (36, 12, 12)
    assert ds.train.x.dtype == torch.float32 and ds.train.y.dtype == torch.int64
    assert ds.summary()["class_counts"]["val"] == [4, 4, 4]
    z = ds.normalize(ds.train.x)
    assert torch.allclose(z.mean(0), torch.zeros(2), atol=1e-5)


def test_csv_label_column_options(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "t.csv", "label,a,b\n" + "".join(f"{i % 2},{i},{i * 2}\n" for i in range(20))
    )
    ds = load_source(f"csv:{path}")
    assert ds.class_names == ["0", "1"] and ds.sample_shape == (2,)  # "label" found, not last
    by_index = load_source(f"csv:{path}", label_column=0)
    assert torch.equal(by_index.train.x, ds.train.x)
    reg = load_source(f"csv:{path}", label_column="b", task="regression")
    assert reg.task == "regression" and reg.train.y.dtype == torch.float32 and reg.num_classes == 1
    assert torch.equal(reg.train.y, reg.train.x[:, 1] * 2)
    multi = load_source(f"csv:{path}", label_column=["a", "b"], task="regression")
    assert multi.train.y.shape == (len(multi.train), 2) and multi.sample_shape == (1,)


def test_csv_without_header_and_semicolons(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "raw.csv", "".join(f"{i};{i * 0.5};{'ab'[i % 2]}\n" for i in range(30))
    )
    ds = load_source(f"csv:{path}")
    assert ds.sample_shape == (2,) and ds.class_names == ["a", "b"]


def test_csv_fractional_labels_mean_regression(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", "x,y\n" + "".join(f"{i},{i / 3:.4f}\n" for i in range(30)))
    ds = load_source(f"csv:{path}")
    assert ds.task == "regression" and ds.train.y.shape == (len(ds.train),)


def test_csv_errors(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="does not exist"):
        load_source(f"csv:{tmp_path / 'missing.csv'}")
    with pytest.raises(DataSourceError, match="is empty"):
        load_source(f"csv:{_write(tmp_path / 'empty.csv', ' ' + chr(10))}")
    header_only = _write(tmp_path / "header.csv", "a,b,label\n")
    with pytest.raises(DataSourceError, match="no data rows"):
        load_source(f"csv:{header_only}")
    bad = _write(tmp_path / "bad.csv", "a,b,label\n1,2,x\n3,oops,y\n" + "5,6,x\n" * 10)
    with pytest.raises(
        DataSourceError, match=r"Row 3, column 'b' of bad.csv is 'oops', not a number"
    ):
        load_source(f"csv:{bad}")
    gap = _write(tmp_path / "gap.csv", "a,b,label\n1,2,x\n3,,y\n" + "5,6,x\n" * 10)
    with pytest.raises(DataSourceError, match=r"Row 3, column 'b' of gap.csv is empty"):
        load_source(f"csv:{gap}")
    with pytest.raises(DataSourceError, match="no label column 'kind'.*a, b, label"):
        load_source(f"csv:{gap}", label_column="kind")
    ragged = _write(tmp_path / "ragged.csv", "a,b,label\n1,2,x\n3,4\n")
    with pytest.raises(DataSourceError, match="Row 3 of ragged.csv has 2 cells"):
        load_source(f"csv:{ragged}")
    one = _write(tmp_path / "one.csv", "label\n1\n2\n")
    with pytest.raises(DataSourceError, match="no feature columns"):
        load_source(f"csv:{one}")


def test_textcsv_vocab_from_train_only(tmp_path: Path) -> None:
    rows = ["text,label"]
    for i in range(40):
        word = f"unique{i}"
        rows.append(f'"good movie {word}",pos' if i % 2 else f'"bad, awful film {word}",neg')
    ds = load_source(
        f"textcsv:{_write(tmp_path / 'reviews.csv', chr(10).join(rows))}", max_length=6
    )
    assert ds.kind == "tokens" and ds.tokenizer == "word" and ds.sample_shape == (6,)
    assert ds.class_names == ["neg", "pos"] and ds.vocab[:2] == ["<pad>", "<unk>"]
    assert ds.train.x.shape == (32, 6) and ds.train.x.dtype == torch.int64
    # Each review's unique word is in the vocabulary exactly when the review is in train.
    train_words = {w for w in ds.vocab if w.startswith("unique")}
    assert len(train_words) == len(ds.train)
    assert (ds.val.x == 1).any() and (ds.test.x == 1).any()  # their unique words are <unk>
    assert not (ds.train.x == 1).any()
    ids = ds.encode_text("Good movie, truly good and long")
    assert ids.shape == (6,) and ids[0] == ds.vocab.index("good") and 1 in ids.tolist()
    assert ds.encode_text("good").tolist()[1:] == [0] * 5


def test_textcsv_options_and_errors(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "t.csv", "kind,body\n" + "".join(f"{'ab'[i % 2]},text {i}\n" for i in range(20))
    )
    ds = load_source(
        f"textcsv:{path}", text_column="body", label_column="kind", tokenizer="char", max_vocab=5
    )
    assert ds.tokenizer == "char" and len(ds.vocab) == 5 and ds.class_names == ["a", "b"]
    with pytest.raises(DataSourceError, match="no text column 'nope'"):
        load_source(f"textcsv:{path}", text_column="nope")
    with pytest.raises(DataSourceError, match="tokenizer"):
        load_source(f"textcsv:{path}", tokenizer="bpe")


def test_plain_text_next_char(tmp_path: Path) -> None:
    text = "hello world, " * 40 + "XYZ" * 20  # X, Y, Z appear only at the end (the test block)
    ds = load_source(f"text:{_write(tmp_path / 'book.txt', text)}", seq_len=16)
    n = (len(text) - 17) // 16 + 1
    assert ds.task == "next_token" and ds.kind == "tokens" and ds.tokenizer == "char"
    assert len(ds.train) + len(ds.val) + len(ds.test) == n
    assert ds.train.x.shape == ds.train.y.shape == (len(ds.train), 16)
    assert torch.equal(ds.train.x[:, 1:], ds.train.y[:, :-1])
    assert ds.num_classes == len(ds.vocab) and "X" not in ds.vocab and "h" in ds.vocab
    assert (ds.test.x == 1).any()  # unseen characters are <unk>
    decoded = "".join(ds.vocab[i] for i in ds.train.x[0].tolist())
    assert decoded == text[:16]
    ids = ds.encode_text("old hello")
    assert ids.shape == (16,) and ids[0] == ds.vocab.index("o")
    assert ds.encode_text("x" * 20 + "hello").tolist()[-5:] == [ds.vocab.index(c) for c in "hello"]


def test_plain_text_errors(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="needs at least 65"):
        load_source(f"text:{_write(tmp_path / 'short.txt', 'too short')}")
    with pytest.raises(DataSourceError, match="does not exist"):
        load_source(f"text:{tmp_path / 'none.txt'}")
