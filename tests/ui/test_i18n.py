"""Translation files: compiled from .ts with lrelease when stale, found by language code,
the system locale resolved to an available translation."""

from __future__ import annotations

import os
import time

import pytest
from PySide6.QtCore import QLocale

from workbench.ui import i18n

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>Desktop</name>
<message><source>{source}</source><translation>{translation}</translation></message>
</context></TS>
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    f = tmp_path / "translations"
    f.mkdir()
    return f


def write_ts(folder, translation: str) -> None:
    (folder / "workbench_zh_CN.ts").write_text(TS.format(source="Model", translation=translation),
                                               encoding="utf-8")


def test_languages_listed_from_the_folder(folder):
    assert [lang.code for lang in i18n.available_languages(folder)] == ["en"]
    write_ts(folder, "模型")
    langs = i18n.available_languages(folder)
    assert [(lang.code, lang.name) for lang in langs] == [("en", "English"), ("zh_CN", "简体中文")]


def test_ts_compiled_into_the_cache_and_again_when_it_changes(folder):
    write_ts(folder, "模型")
    qm = i18n.compiled_translation("zh_CN", folder)
    assert qm is not None and qm.is_file() and qm.parent != folder
    first = qm.stat().st_mtime
    assert i18n.compiled_translation("zh_CN", folder).stat().st_mtime == first  # up to date
    time.sleep(0.01)
    write_ts(folder, "网络模型")
    later = time.time() + 5
    os.utime(folder / "workbench_zh_CN.ts", (later, later))
    assert i18n.compiled_translation("zh_CN", folder).stat().st_mtime > first


def test_a_shipped_qm_is_used_as_is(folder):
    write_ts(folder, "模型")
    shipped = folder / "workbench_zh_CN.qm"
    i18n.compile_ts(folder / "workbench_zh_CN.ts", shipped)
    assert i18n.compiled_translation("zh_CN", folder) == shipped
    assert i18n.compiled_translation("ja_JP", folder) is None


def test_a_broken_ts_is_one_clear_error(folder):
    (folder / "workbench_zh_CN.ts").write_text("<TS><context>", encoding="utf-8")
    with pytest.raises(i18n.TranslationError, match="workbench_zh_CN.ts"):
        i18n.compiled_translation("zh_CN", folder)


@pytest.mark.parametrize("system, expected", [
    ("zh_CN", "zh_CN"), ("zh_SG", "zh_CN"), ("zh_TW", "en"), ("en_GB", "en"), ("de_DE", "en"),
    ("C", "en"),
])
def test_system_locale_resolves_to_an_available_translation(system, expected):
    assert i18n.resolve(i18n.SYSTEM, ["en", "zh_CN"], QLocale(system)) == expected


def test_an_explicit_choice_wins_and_an_unknown_one_is_english():
    assert i18n.resolve("zh_CN", ["en", "zh_CN"], QLocale("de_DE")) == "zh_CN"
    assert i18n.resolve("ja_JP", ["en", "zh_CN"], QLocale("ja_JP")) == "en"


def test_environment_overrides_the_saved_language(monkeypatch):
    monkeypatch.setenv(i18n.ENV_OVERRIDE, "zh_CN")
    assert i18n.startup_choice("en") == "zh_CN"
    monkeypatch.delenv(i18n.ENV_OVERRIDE)
    assert i18n.startup_choice("en") == "en" and i18n.startup_choice("") == "system"
