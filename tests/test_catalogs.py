"""The interface speaks kk, ru and en: every message of the code is in both catalogs, none is
left out of them, and the CLI chooses its language by --ui-lang, PACKBUILDER_UI_LANG or the
locale (issue 19)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.i18n import (
    DEFAULT_UI_LANGUAGE,
    _,
    default_ui_language,
    in_language,
    language_from_locale,
    normalize_language,
    use_language,
)
from packbuilder.i18n.catalogs import PACKAGE_DIR, extract, placeholders, problems

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "astana_monitoring_centre.yaml"


@pytest.fixture(scope="module")
def messages():
    return extract()


def test_every_message_has_kk_and_ru_with_the_same_placeholders(messages):
    assert len(messages) > 300  # the extraction found the code's messages
    assert problems(template=messages) == []


def test_a_message_missing_from_a_catalog_is_found(tmp_path, messages):
    """The check above can fail: a catalog without one translation is reported by name."""
    import shutil

    from packbuilder.i18n.catalogs import LOCALE_DIR, po_path, read, write

    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    catalog = read(po_path("kk", tmp_path / "locale"), "kk")
    del catalog["employee No. {n}"]
    ru = read(po_path("ru", tmp_path / "locale"), "ru")
    ru["error: {message}"].string = "ошибка: {problem}"
    write(catalog, po_path("kk", tmp_path / "locale"))
    write(ru, po_path("ru", tmp_path / "locale"))
    found = problems(tmp_path / "locale", template=messages)
    assert any(f.startswith("kk: no translation of 'employee No. {n}' (packbuilder/errors.py:") for f in found)
    assert any(f.startswith("ru: the translation of 'error: {message}' has placeholders ['problem']") for f in found)
    assert any(f.startswith("kk: ") and "is not packbuilder.po compiled" in f for f in found)


# A message the user reads, written as a bare English string instead of a catalog entry.
_USER_CALLS = {"Problem": 1, "InputError": 0, "BadParameter": 0, "UsageError": 0, "echo": 0, "ConversionError": 0}
_WORDS = re.compile(r"[A-Za-z]{3,}")


def _literal_words(node: ast.AST) -> str:
    """The English words of a string literal or f-string, '' for anything else (a call of _())."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return " ".join(_WORDS.findall(node.value))
    if isinstance(node, ast.JoinedStr):
        return " ".join(w for v in node.values if isinstance(v, ast.Constant) for w in _WORDS.findall(str(v.value)))
    return ""


def _bare_messages(path: Path) -> list[str]:
    """The English messages of ``path`` written outside ``_()``; a line marked «# not for
    users» (a programming error, never shown to an officer) is left out."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) and "# not for users" in lines[node.lineno - 1]:
            continue
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            index = _USER_CALLS.get(name)
            if index is not None and len(node.args) > index and _literal_words(node.args[index]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}({_literal_words(node.args[index])!r})")
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = getattr(node.exc.func, "id", "")
            if name == "ValueError" and node.exc.args and _literal_words(node.exc.args[0]) \
                    and "/model/" in str(path):  # a validator's message reaches the user
                words = _literal_words(node.exc.args[0])
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: ValueError({words!r})")
    return found


def test_no_message_is_left_out_of_the_catalogs():
    skip = {"lo_bridge.py", "catalogs.py", "__init__.py"}
    files = [f for f in PACKAGE_DIR.rglob("*.py") if f.name not in skip or "web" in f.parts]
    found = [m for f in sorted(files) for m in _bare_messages(f)]
    assert found == []


def test_the_check_of_bare_messages_finds_one(tmp_path):
    f = ROOT / "packbuilder" / "model" / "_probe_bare_message.py"
    f.write_text('def v(x):\n    raise ValueError(f"expected a number, got {x}")\n'
                 'P = Problem("where", "is required")\n', encoding="utf-8")
    try:
        assert [m.split(": ", 1)[1] for m in _bare_messages(f)] == [
            "ValueError('expected number got')", "Problem('required')"]
    finally:
        f.unlink()


def test_web_templates_have_no_text_outside_the_catalogs():
    """Text of the web pages is written `{{ _("…") }}`: what is left of a template without its
    Jinja tags and HTML tags holds no English word."""
    templates = sorted((PACKAGE_DIR / "web" / "templates").glob("*.html"))
    found = []
    for t in templates:
        text = t.read_text(encoding="utf-8")
        text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text, flags=re.S)
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]*>|&[a-z]+;", " ", text, flags=re.S)
        words = [w for w in _WORDS.findall(text) if w not in ("packbuilder", "htmx")]  # names, not words
        if words:
            found.append(f"{t.name}: {' '.join(words[:8])}")
    assert found == []


@pytest.mark.parametrize("value, lang", [("kk", "kk"), ("KK", "kk"), ("kk_KZ.UTF-8", "kk"), ("kaz", "kk"),
                                         ("ru_RU.UTF-8", "ru"), ("en_US.utf8", "en"), ("en-GB", "en"),
                                         ("C", None), ("POSIX", None), ("de_DE.UTF-8", None), ("", None)])
def test_languages_are_named_as_locales_name_them(value, lang):
    assert normalize_language(value) == lang


def test_the_default_is_the_variable_then_the_locale_then_russian():
    assert default_ui_language({"PACKBUILDER_UI_LANG": "kk", "LANG": "en_US.UTF-8"}) == "kk"
    assert default_ui_language({"LANG": "kk_KZ.UTF-8"}) == "kk"
    assert default_ui_language({"LC_ALL": "C", "LANG": "en_US.UTF-8"}) == "en"  # C names nothing: the next
    assert default_ui_language({"LANGUAGE": "de:en", "LANG": "ru_RU.UTF-8"}) == "en"
    assert default_ui_language({"LANG": "C.UTF-8"}) == DEFAULT_UI_LANGUAGE == "ru"
    assert default_ui_language({}) == "ru"
    assert language_from_locale({"LANG": "fr_FR"}) is None


def test_messages_and_counts_in_each_language():
    with use_language("ru"):
        assert _("employee No. {n}").format(n=4) == "работник № 4"
    with use_language("kk"):
        assert _("employee No. {n}").format(n=4) == "№ 4 жұмыскер"
    with use_language("en"):
        assert _("employee No. {n}").format(n=4) == "employee No. 4"
    assert in_language("ru", "error: {message}").startswith("ошибка")


@pytest.fixture
def bad_profile(tmp_path):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    del data["employees"][3]["position"]
    data["organization"]["bin"] = "12345"
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    bin_line = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("bin:"))
    return path, bin_line


@pytest.mark.parametrize("how", ["option", "variable", "locale"])
def test_validate_speaks_russian_counts_from_1_and_gives_the_line(bad_profile, how, monkeypatch):
    path, bin_line = bad_profile
    args, env = ["validate", str(path)], {}
    if how == "option":
        args = ["--ui-lang", "ru", *args]
    elif how == "variable":
        env = {"PACKBUILDER_UI_LANG": "ru"}
    else:
        monkeypatch.delenv("PACKBUILDER_UI_LANG")
        env = {"LANG": "C.UTF-8", "LC_ALL": "", "LANGUAGE": "", "LC_MESSAGES": ""}  # the locale says nothing: ru
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1, result.output
    out = result.output
    assert f"ошибка: {path}, строка {bin_line}, organization.bin: " in out
    assert "employees[3].position (работник № 4): " in out
    assert "error" not in out and "required" not in out


def test_validate_speaks_kazakh_by_locale_and_english_by_option(bad_profile, monkeypatch):
    path, bin_line = bad_profile
    monkeypatch.delenv("PACKBUILDER_UI_LANG")
    out = CliRunner().invoke(main, ["validate", str(path)], env={"LANG": "kk_KZ.UTF-8", "LC_ALL": "",
                                                                 "LANGUAGE": "", "LC_MESSAGES": ""}).output
    assert f"қате: {path}, {bin_line}-жол, organization.bin: " in out
    assert "employees[3].position (№ 4 жұмыскер): " in out
    out = CliRunner().invoke(main, ["validate", str(path), "--ui-lang", "en"], env={"LANG": "kk_KZ.UTF-8"}).output
    assert f"error: {path}, line {bin_line}, organization.bin: " in out
    assert "employees[3].position (employee No. 4): is required" in out


def test_help_and_clicks_own_messages_are_translated():
    runner = CliRunner()
    out = runner.invoke(main, ["--ui-lang", "ru", "build", "--help"]).output
    assert out.startswith("Использование: ")
    assert _ru("Only this document (repeatable; see `list`).") in " ".join(out.split())
    assert _ru("Show this message and exit.") in out
    result = runner.invoke(main, ["--ui-lang", "kk", "build"])
    assert result.exit_code == 2
    assert "Қолданылуы:" in result.output and "PROFILE" in result.output and "Missing" not in result.output
    out = runner.invoke(main, ["--ui-lang", "kk", "--help"]).output
    assert _kk("The documents of a pack: number, id, kk and ru titles, form.")[:20] in out
    # the next run without --ui-lang is back in the environment's language (English in the tests)
    assert runner.invoke(main, ["build", "--help"]).output.startswith("Usage: ")


def test_an_unknown_interface_language_is_refused_or_reported(bad_profile):
    path, _line = bad_profile
    result = CliRunner().invoke(main, ["--ui-lang", "de", "validate", str(path)])
    assert result.exit_code == 2 and "'de'" in result.output
    result = CliRunner().invoke(main, ["validate", str(path)], env={"PACKBUILDER_UI_LANG": "de", "LANG": "C"})
    assert "PACKBUILDER_UI_LANG='de' is not one of kk, ru, en" in result.output.replace("предупреждение", "warning") \
        or "PACKBUILDER_UI_LANG='de'" in result.output


def _ru(message: str) -> str:
    return in_language("ru", message)


def _kk(message: str) -> str:
    return in_language("kk", message)


def test_catalog_placeholders_are_found():
    assert placeholders("{file}, line {line}: {n:02d} {name!r} {{literal}}") == {"file", "line", "n", "name"}


def test_windows_names_its_locale_in_words(monkeypatch):
    """Windows sets no LANG: the language comes from the locale Python reports."""
    import locale

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("Kazakh_Kazakhstan", "1251"))
    assert language_from_locale() == "kk"
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("Russian_Russia", "1251"))
    assert language_from_locale() == "ru"
    monkeypatch.setattr(locale, "getlocale", lambda *a: (None, None))
    assert language_from_locale() is None
    monkeypatch.setenv("LANG", "C.UTF-8")  # a locale variable that names nothing is the user's choice
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("Kazakh_Kazakhstan", "1251"))
    assert language_from_locale() is None
