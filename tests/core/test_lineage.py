"""lineage.json: a derived run names its parent and how it was derived."""

from __future__ import annotations

from workbench.core.runs.lineage import LINEAGE, read_lineage, record_lineage


def test_record_then_read(tmp_path) -> None:
    assert read_lineage(tmp_path) is None
    record_lineage(tmp_path, "20261202-101010-abcd", "prune")
    d = read_lineage(tmp_path)
    assert d["parent"] == "20261202-101010-abcd" and d["relation"] == "prune"
    assert not [p for p in tmp_path.iterdir() if p.name != LINEAGE]  # no temp file left


def test_a_damaged_file_reads_as_none(tmp_path) -> None:
    (tmp_path / LINEAGE).write_text("{not json")
    assert read_lineage(tmp_path) is None
    (tmp_path / LINEAGE).write_text("[1, 2]")
    assert read_lineage(tmp_path) is None
