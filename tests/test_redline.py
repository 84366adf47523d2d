"""The redline (packbuilder/update/redline.py): the revised .docx with Word's tracked changes
against the original, made by python-redlines' Docxodus engine. The tests read the result's
XML with zipfile + lxml: the changed paragraphs, and only they, carry w:ins / w:del with the
words that changed; accepting every change gives the revised text, rejecting every change
the original text.

The LibreOffice test needs `soffice`; it is skipped without it unless PACKBUILDER_REQUIRE_PDF=1
(set by .ci/run), where a missing LibreOffice fails it."""

from __future__ import annotations

import calendar
import os
import re
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

from packbuilder.update import redline
from packbuilder.update.redline import RedlineUnavailable, redline_available, write_redline
from packbuilder.write import pdf as pdf_module

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WHEN = datetime.fromisoformat("2026-03-02T12:30:00+03:00")

ORIGINAL = [
    "Сыбайлас жемқорлыққа қарсы іс-қимыл саясаты ұйымның барлық қызметкерлеріне қолданылады.",
    "Комплаенс-қызмет тәуекелдерді жыл сайын бағалайды.",
    "Мүдделер қақтығысы туындағанда қызметкер басшысына хабарлайды.",
    "Сыйлықтар алу тәртібі осы Қағидалармен реттеледі.",
    "Өтініштер ашық қабылданады, жауап он күн ішінде беріледі.",
    "Бұл тармақ алынып тасталады: ескі өңір һәм ғимарат ережесі.",
    "Қорытынды ережелер өзгеріссіз қалады.",
]
REVISED = [
    ORIGINAL[0],
    "Комплаенс-қызмет тәуекелдерді тоқсан сайын бағалайды.",    # a word replaced
    ORIGINAL[2],
    "Жаңа тармақ: әрбір қызметкер үш күн ішінде құлақтандырылады.",  # a paragraph added
    ORIGINAL[3],
    "Өтініштер ашық қабылданады, жауап он күн ішінде жазбаша беріледі.",  # a word added
    # ORIGINAL[5] removed
    ORIGINAL[6],
]


def _make_docx(path: Path, paragraphs: list[str]) -> Path:
    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    d.save(str(path))
    return path


def _paragraphs(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return root.find(W + "body").findall(W + "p")


def _texts(p, tag: str, kind: str) -> list[str]:
    """The texts (``w:t`` or ``w:delText``) of the runs inside each ``kind`` (ins/del) of p."""
    return ["".join(t.text or "" for t in el.iter(W + tag)) for el in p.iter(W + kind)
            if el.getparent().tag != W + "rPr"]


def _accepted(p) -> str:
    """The paragraph's text with every change accepted: all w:t (deleted runs hold w:delText)."""
    return "".join(t.text or "" for t in p.iter(W + "t"))


def _rejected(p) -> str:
    """The paragraph's text with every change rejected: w:t outside w:ins, and w:delText."""
    out = []
    for t in p.iter(W + "t", W + "delText"):
        if t.tag == W + "t" and any(a.tag == W + "ins" for a in t.iterancestors()):
            continue
        out.append(t.text or "")
    return "".join(out)


def _mark(p) -> str | None:
    """``ins`` or ``del`` when the paragraph mark itself is a tracked change, else None."""
    marks = p.findall(f"{W}pPr/{W}rPr/{W}ins") + p.findall(f"{W}pPr/{W}rPr/{W}del")
    return etree.QName(marks[0]).localname if marks else None


def _revisions(p) -> list[etree._Element]:
    return [el for el in p.iter(W + "ins", W + "del", W + "rPrChange", W + "pPrChange")]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    d = tmp_path_factory.mktemp("redline")
    original = _make_docx(d / "original.docx", ORIGINAL)
    revised = _make_docx(d / "revised.docx", REVISED)
    out = write_redline(original, revised, d / "redline.docx", author="Комплаенс-қызмет", date=WHEN)
    return original, revised, out


def test_the_result_is_written_where_asked(made):
    original, _, out = made
    assert out == original.parent / "redline.docx"
    assert sorted(p.name for p in out.parent.iterdir()) == ["original.docx", "redline.docx", "revised.docx"]


def test_accepting_every_change_gives_the_revised_text_and_rejecting_the_original(made):
    *_, out = made
    ps = _paragraphs(out)
    assert [_accepted(p) for p in ps if _mark(p) != "del"] == REVISED
    assert [_rejected(p) for p in ps if _mark(p) != "ins"] == ORIGINAL


def test_only_the_changed_paragraphs_carry_tracked_changes(made):
    *_, out = made
    ps = _paragraphs(out)
    # the output has the original's paragraphs with the added one at its place
    assert [_rejected(p) if _mark(p) == "del" else _accepted(p) for p in ps] == [
        ORIGINAL[0], REVISED[1], ORIGINAL[2], REVISED[3], ORIGINAL[3], REVISED[5], ORIGINAL[5], ORIGINAL[6]]
    changed = {1, 3, 5, 6}
    for i, p in enumerate(ps):
        if i not in changed:
            assert _revisions(p) == [], (i, _accepted(p))

    replaced, added, appended, removed = (ps[i] for i in sorted(changed))
    assert [s.strip() for s in _texts(replaced, "t", "ins")] == ["тоқсан"]
    assert [s.strip() for s in _texts(replaced, "delText", "del")] == ["жыл"]
    assert _mark(replaced) is None

    assert _mark(added) == "ins"
    assert "".join(_texts(added, "t", "ins")) == REVISED[3]
    assert _texts(added, "delText", "del") == []

    assert [s.strip() for s in _texts(appended, "t", "ins")] == ["жазбаша"]
    assert _texts(appended, "delText", "del") == []

    assert _mark(removed) == "del"
    assert "".join(_texts(removed, "delText", "del")) == ORIGINAL[5]
    assert _texts(removed, "t", "ins") == []
    assert _accepted(removed) == ""


def test_every_change_has_the_author_and_date_given(made):
    *_, out = made
    revisions = [el for p in _paragraphs(out) for el in _revisions(p)]
    assert len(revisions) >= 6
    assert {el.get(W + "author") for el in revisions} == {"Комплаенс-қызмет"}
    assert {el.get(W + "date") for el in revisions} == {"2026-03-02T09:30:00Z"}


def test_same_inputs_give_the_same_bytes(made, tmp_path):
    original, revised, out = made
    again = write_redline(original, revised, tmp_path / "again.docx", author="Комплаенс-қызмет", date=WHEN)
    assert again.read_bytes() == out.read_bytes()


def test_identical_documents_give_no_tracked_change(made, tmp_path):
    original, *_ = made
    out = write_redline(original, original, tmp_path / "same.docx", date=WHEN)
    ps = _paragraphs(out)
    assert [_accepted(p) for p in ps] == ORIGINAL
    assert [el for p in ps for el in _revisions(p)] == []


def test_the_default_date_is_now(made, tmp_path):
    original, revised, _ = made
    before = int(time.time())
    out = write_redline(original, revised, tmp_path / "now.docx")
    after = time.time()
    dates = {el.get(W + "date") for p in _paragraphs(out) for el in _revisions(p)}
    assert len(dates) == 1
    stamp = calendar.timegm(time.strptime(dates.pop(), "%Y-%m-%dT%H:%M:%SZ"))
    assert before <= stamp <= after
    assert {el.get(W + "author") for p in _paragraphs(out) for el in _revisions(p)} == {"packbuilder"}


def test_an_existing_result_is_replaced(made, tmp_path):
    original, revised, out = made
    target = tmp_path / "redline.docx"
    target.write_bytes(b"last year's redline")
    write_redline(original, revised, target, author="Комплаенс-қызмет", date=WHEN)
    assert target.read_bytes() == out.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["redline.docx"]


def test_a_missing_document_is_a_file_not_found(made, tmp_path):
    original, *_ = made
    with pytest.raises(FileNotFoundError, match="no such document to compare.*absent.docx"):
        write_redline(original, tmp_path / "absent.docx", tmp_path / "out.docx")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_output_folder_is_an_os_error(made, tmp_path):
    original, revised, _ = made
    with pytest.raises(FileNotFoundError, match="No such file or directory"):
        write_redline(original, revised, tmp_path / "missing" / "out.docx")
    assert list(tmp_path.iterdir()) == []


def test_a_document_the_engine_cannot_read_is_a_value_error_and_leaves_the_old_result(made, tmp_path):
    original, *_ = made
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip at all")
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    with pytest.raises(ValueError, match=r"could not compare .*bad\.docx.*corrupted"):
        write_redline(original, bad, target)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.docx", "out.docx"]


def test_an_empty_author_is_refused(made, tmp_path):
    original, revised, _ = made
    with pytest.raises(ValueError, match="author must not be empty"):
        write_redline(original, revised, tmp_path / "out.docx", author=" ")


def test_the_engine_is_available_here():
    assert redline_available() is True


def test_without_python_redlines_it_says_what_to_install(made, tmp_path, monkeypatch):
    original, revised, _ = made
    monkeypatch.setitem(sys.modules, "python_redlines", None)
    assert redline_available() is False
    with pytest.raises(RedlineUnavailable, match=r"pip install 'python-redlines\[docxodus\]>=2.0,<3'"):
        write_redline(original, revised, tmp_path / "out.docx")
    assert list(tmp_path.iterdir()) == []


def test_without_the_engine_package_it_says_what_to_install(made, tmp_path, monkeypatch):
    import python_redlines
    original, revised, _ = made
    monkeypatch.setattr(python_redlines.DocxodusEngine, "BINARY_PACKAGE", "python_redlines_no_such_engine")
    assert redline_available() is False
    with pytest.raises(RedlineUnavailable, match=r"python_redlines_no_such_engine.*pip install 'python-redlines"):
        write_redline(original, revised, tmp_path / "out.docx")


def _fake_engine(monkeypatch, path: str):
    import python_redlines
    monkeypatch.setattr(python_redlines.DocxodusEngine, "_resolve_binary", lambda self: path)


def test_an_engine_that_cannot_be_executed_is_unavailable(made, tmp_path, monkeypatch):
    original, revised, _ = made
    _fake_engine(monkeypatch, str(tmp_path / "no-such-binary"))
    assert redline_available() is False
    with pytest.raises(RedlineUnavailable, match=r"no-such-binary cannot be run \(No such file or directory\)"):
        write_redline(original, revised, tmp_path / "out.docx")
    assert list(tmp_path.iterdir()) == []


def test_an_engine_aborting_for_want_of_icu_names_the_library(made, tmp_path, monkeypatch):
    # what the .NET runtime does when no libicu is found: a message on stderr, then abort()
    original, revised, _ = made
    fake = tmp_path / "redline"
    fake.write_text("#!/bin/sh\necho 'Process terminated.' >&2\n"
                    "echo \"Couldn't find a valid ICU package installed on the system.\" >&2\n"
                    "kill -ABRT $$\n")
    fake.chmod(0o755)
    _fake_engine(monkeypatch, str(fake))
    assert redline_available() is False
    with pytest.raises(RedlineUnavailable, match=r"failed to start \(Process terminated\. Couldn't find a valid ICU"
                                                 r".*apt-get install libicu72"):
        write_redline(original, revised, tmp_path / "out.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["redline"]


def test_the_redline_converts_to_pdf_with_libreoffice(made, tmp_path):
    soffice = pdf_module.find_soffice()
    if soffice is None:
        if os.environ.get("PACKBUILDER_REQUIRE_PDF") == "1":
            pytest.fail(pdf_module.INSTALL_HINT)
        pytest.skip("LibreOffice is not installed: " + pdf_module.INSTALL_HINT)
    *_, out = made
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                           "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                          check=False, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = (tmp_path / "redline.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) >= 1


def test_the_module_imports_only_the_standard_library_at_load():
    code = ("import sys, packbuilder.update.redline; "
            "print(sorted(m for m in sys.modules if m.startswith(('python_redlines', 'docx', 'lxml'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
    assert redline.__doc__ and "Docxodus" in redline.__doc__
