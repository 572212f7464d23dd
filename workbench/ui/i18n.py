"""The interface language: Qt translators loaded from compiled ``.qm`` files.

Sources are Qt Linguist files ``resources/translations/workbench_<locale>.ts`` (e.g.
``workbench_zh_CN.ts``). The desktop build compiles them with ``lrelease`` into the bundle;
a source checkout or a wheel compiles a stale or missing ``.qm`` at start-up into the user's
cache folder (PySide6 ships ``lrelease``). No ``.qm`` is committed.

The language is "system" (the system locale's, when a translation for it exists), or one
code from ``available_languages()``; the setting lives in QSettings (``ui.settings``) and
``WORKBENCH_LANGUAGE`` overrides it for one run. Switching installs new translators on the
running application: Qt sends every widget a LanguageChange event, so widgets that
retranslate in ``changeEvent`` follow at once and nothing is rebuilt (the open model, its undo
history and any training run are untouched).

Torch-free: it runs before the window is shown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from workbench.core.resources import resource_path

SYSTEM = "system"
ENGLISH = "en"  # the source language: no translator
PREFIX = "workbench_"
ENV_OVERRIDE = "WORKBENCH_LANGUAGE"


def translations_source_dir() -> Path:
    return resource_path("translations")


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("workbench", appauthor=False)) / "translations"


def lrelease_command() -> list[str] | None:
    """Qt's lrelease: the one PySide6 ships, else one on PATH; None when neither is there
    (a frozen build has its .qm files compiled already)."""
    try:
        import PySide6

        bundled = Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32"
                                                   else "lrelease")
        if bundled.is_file():
            return [str(bundled)]
    except ImportError:  # pragma: no cover - PySide6 is imported above
        pass
    for name in ("pyside6-lrelease", "lrelease"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


class TranslationError(RuntimeError):
    """A .ts file that lrelease cannot compile, or no lrelease to compile it with."""


def compile_ts(ts: Path, qm: Path) -> Path:
    """Compile one Linguist source to ``qm`` (written through a temp file, then renamed)."""
    cmd = lrelease_command()
    if cmd is None:
        raise TranslationError(f"cannot compile {ts.name}: Qt's lrelease was not found "
                               "(it comes with PySide6)")
    qm.parent.mkdir(parents=True, exist_ok=True)
    tmp = qm.with_name(qm.name + ".tmp")
    done = subprocess.run([*cmd, "-silent", str(ts), "-qm", str(tmp)],
                          capture_output=True, text=True)
    if done.returncode != 0 or not tmp.is_file():
        tmp.unlink(missing_ok=True)
        raise TranslationError(f"lrelease could not compile {ts}: "
                               f"{(done.stderr or done.stdout).strip()}")
    os.replace(tmp, qm)
    return qm


def _stale(target: Path, source: Path) -> bool:
    return not target.is_file() or target.stat().st_mtime < source.stat().st_mtime


def compiled_translation(code: str, source_dir: Path | None = None) -> Path | None:
    """The .qm for ``code`` ("zh_CN"): a shipped one, else one compiled from its .ts into
    the cache (again when the .ts is newer). None when there is no translation."""
    src = source_dir or translations_source_dir()
    shipped, ts = src / f"{PREFIX}{code}.qm", src / f"{PREFIX}{code}.ts"
    if shipped.is_file() and not (ts.is_file() and _stale(shipped, ts)
                                  and lrelease_command() is not None):
        return shipped  # (a frozen build has no lrelease: its .qm was compiled by the build)
    if not ts.is_file():
        return None
    cached = _cache_dir() / f"{PREFIX}{code}.qm"
    if _stale(cached, ts):
        compile_ts(ts, cached)
    return cached


@dataclass(frozen=True)
class Language:
    code: str  # "en", "zh_CN"
    name: str  # in its own language: "English", "简体中文"


def available_languages(source_dir: Path | None = None) -> list[Language]:
    """English (built in) and every language with a .ts or .qm in the translations folder."""
    src = source_dir or translations_source_dir()
    codes = sorted({p.stem[len(PREFIX):] for p in src.glob(f"{PREFIX}*.[tq][sm]")} - {ENGLISH}) \
        if src.is_dir() else []
    return [Language(ENGLISH, "English")] + [Language(c, native_name(c)) for c in codes]


def native_name(code: str) -> str:
    locale = QLocale(code)
    name = locale.nativeLanguageName() or code
    return name[:1].upper() + name[1:]


def resolve(choice: str, codes: list[str], system: QLocale | None = None) -> str:
    """The language to show for the setting ``choice``: itself when available; for
    "system", the first of the system's UI languages that has a translation, exactly
    (zh-CN and zh-Hans-CN both find zh_CN) or in the same language and script (zh-SG finds
    zh_CN, zh-TW does not); else English."""
    if choice != SYSTEM:
        return choice if choice in codes else ENGLISH
    system = system or QLocale.system()
    for tag in system.uiLanguages():
        locale = QLocale(tag.replace("-", "_"))
        if locale.language() == QLocale.Language.English:
            return ENGLISH
        if locale.language() == system.language() and locale.script() != system.script():
            continue  # a bare "zh" reads as zh_CN, but a zh_TW system wants Traditional
        if locale.name() in codes:  # "zh-Hans-CN" -> "zh_CN"
            return locale.name()
        for code in codes:
            other = QLocale(code)
            if (other.language(), other.script()) == (locale.language(), locale.script()):
                return code
    return ENGLISH


class Translations:
    """The translators installed on the application: Workbench's own and Qt's (the
    standard dialogs' buttons). ``apply`` swaps them; Qt then retranslates live widgets."""

    def __init__(self, source_dir: Path | None = None) -> None:
        self.source_dir = source_dir
        self.language = ENGLISH
        self._installed: list[QTranslator] = []
        self.error = ""  # why the last apply fell back to English, for the status bar

    def apply(self, choice: str) -> str:
        """Show the interface in ``choice`` ("system", "en", "zh_CN"); returns the language
        now shown. A translation that cannot be loaded leaves English and says why in
        ``error``: a missing translation never stops the app."""
        before = self.language
        shown = self._apply(choice)
        if shown != before:
            from workbench.ui.retranslate import retranslate_widgets

            retranslate_widgets(self.shown_texts(before))
        return shown

    def shown_texts(self, code: str) -> dict[str, tuple[str, str]]:
        """What the interface shows in ``code``: text -> (context, source), from the .ts."""
        from workbench.ui.retranslate import read_index

        src = self.source_dir or translations_source_dir()
        if code != ENGLISH:
            return read_index(src / f"{PREFIX}{code}.ts", translated=True)
        sources = sorted(src.glob(f"{PREFIX}*.ts")) if src.is_dir() else []
        return read_index(sources[0] if sources else None, translated=False)

    def _apply(self, choice: str) -> str:
        app = QCoreApplication.instance()
        codes = [lang.code for lang in available_languages(self.source_dir)]
        code = resolve(choice, codes)
        self.error = ""
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed = []
        self.language = ENGLISH
        if code == ENGLISH or app is None:
            return self.language
        try:
            qm = compiled_translation(code, self.source_dir)
        except TranslationError as e:
            self.error = str(e)
            return self.language
        ours = QTranslator(app)
        if qm is None or not ours.load(str(qm)):
            self.error = f"the {native_name(code)} translation ({qm}) could not be loaded"
            return self.language
        qt = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for translator, ok in ((qt, qt.load(f"qtbase_{code}", qt_dir)), (ours, True)):
            if ok:
                QCoreApplication.installTranslator(translator)
                self._installed.append(translator)
        self.language = code
        return code


_translations: Translations | None = None


def translations() -> Translations:
    """The application's one Translations (made on first use)."""
    global _translations
    if _translations is None:
        _translations = Translations()
    return _translations


def startup_choice(saved: str) -> str:
    """What to show at start: ``WORKBENCH_LANGUAGE`` when set, else the saved setting."""
    return os.environ.get(ENV_OVERRIDE, "").strip() or saved or SYSTEM


# -- strings in the code ---------------------------------------------------------------------
# Every module of the interface makes its ``tr`` with ``translator("Context")``; the update
# script (tools/update_translations.py) finds ``tr("literal")`` calls and the context by
# reading the source, so the text must be a literal at the call (format it afterwards:
# ``tr("{} layers").format(n)``). ``tr(text, n=count)`` picks a plural form: the source says
# "%n layer(s)" and the translation has one form per plural of its language.

CORE_CONTEXTS = ("catalogue", "settings", "datasets", "problems")  # strings the core builds (tr_core)


class Tr:
    """``tr(text)`` for one translation context (a callable, so call sites stay short)."""

    __slots__ = ("context",)

    def __init__(self, context: str) -> None:
        self.context = context

    def __call__(self, text: str, n: int = -1, disambiguation: str | None = None) -> str:
        out = QCoreApplication.translate(self.context, text, disambiguation, n)
        if n >= 0 and "(s)" in out:  # English, the source: Qt fills in %n, keeps "(s)"
            out = english_plural(out, n)
        return out


def english_plural(text: str, n: int) -> str:
    """"3 layer(s)" -> "3 layers"; "1 layer(s)" -> "1 layer"."""
    return text.replace("(s)", "" if n == 1 else "s")


def translator(context: str) -> Tr:
    return Tr(context)


def tr_noop(text: str) -> str:
    """Marks a literal for the update script where it is defined (a table built at import,
    before any translator is installed); translate it where it is shown: ``tr(text)``."""
    return text


def tr_core(context: str, text: str) -> str:
    """The shown form of a string the Qt-free core made: a catalogue title or help text
    ("catalogue"), a data source's title and description ("datasets"), a setting's label, help or choice ("settings"), a problem message
    ("problems"). The update script extracts the first two from the catalogue and the
    settings metadata; a message with values in it stays as the core wrote it."""
    if not text:
        return text
    return QCoreApplication.translate(context, text)
