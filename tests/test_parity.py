"""kk/ru parity: every document of the sample packs says the same things in both languages,
and the parity check itself catches a difference. The single acts table stays consistent."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from conftest import SAMPLES

from packbuilder.authoring.parity import check_pack, compare, skeleton
from packbuilder.inputs.profile_file import load_profile
from packbuilder.model.acts import ACT_DATES, ACTS, acts_for
from packbuilder.model.catalogue import CATALOGUE
from packbuilder.render.language import KK_MONTHS_ATTR, RU_MONTHS_GEN
from packbuilder.render.templates import BUILTIN_DIR

SAMPLE_NAMES = ["astana_monitoring_centre", "shal_akyn_hospital", "escaping"]


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
@pytest.mark.parametrize("doc", CATALOGUE, ids=lambda d: d.id)
def test_every_document_has_kk_ru_parity(packs, sample, doc):
    pack = packs[sample]
    problems = []
    for rel in doc.files():
        kk, ru = pack.root / "kk" / rel, pack.root / "ru" / rel
        assert kk.is_file() and ru.is_file(), rel
        problems += compare(kk, ru, pack.profile)
    assert problems == []


def test_whole_pack_parity(packs):
    pack = packs["astana_monitoring_centre"]
    assert check_pack(pack.root, pack.profile) == []


def test_skeleton_sees_points_headings_and_tables(packs):
    pack = packs["astana_monitoring_centre"]
    sk = skeleton(pack.file("ru", "02-compliance_regulation.docx"))
    points = [m for m in sk.marks if m.endswith(".")]
    assert points[:3] == ["1.", "2.", "3."]
    assert any(m.startswith("Heading") for m in sk.marks)
    assert skeleton(pack.file("kk", "06-action_plan.docx")).tables[0][1] == 6


def _doc(path: Path, paragraphs: list[str], rows: int = 2) -> Path:
    d = docx.Document()
    d.add_heading("Title", level=1)
    for text in paragraphs:
        d.add_paragraph(text)
    d.add_table(rows=rows, cols=3)
    d.save(str(path))
    return path


def test_compare_reports_each_kind_of_difference(tmp_path):
    profile = load_profile(SAMPLES / "astana_monitoring_centre.yaml")
    head = profile.head.name
    kk = _doc(tmp_path / "kk.docx", ["1. a", "2. b", "1) x", f"{head.kk} {profile.organization.bin}"])
    same = _doc(tmp_path / "same.docx", ["1. а", "2. б", "1) х", f"{head.ru} {profile.organization.bin}"])
    assert compare(kk, same, profile) == []
    missing_point = _doc(tmp_path / "p.docx", ["1. а", "1) х", f"{head.ru} {profile.organization.bin}"])
    assert any("points differ" in p for p in compare(kk, missing_point, profile))
    more_rows = _doc(tmp_path / "t.docx", ["1. а", "2. б", "1) х", f"{head.ru} {profile.organization.bin}"], rows=3)
    assert any("tables differ" in p for p in compare(kk, more_rows, profile))
    no_head = _doc(tmp_path / "h.docx", ["1. а", "2. б", "1) х", profile.organization.bin])
    assert any("head.name appears in kk only" in p for p in compare(kk, no_head, profile))
    no_bin = _doc(tmp_path / "b.docx", ["1. а", "2. б", "1) х", head.ru])
    assert any("organization.bin" in p for p in compare(kk, no_bin, profile))


def test_a_value_inside_a_longer_one_is_not_counted(tmp_path):
    """The kk city «Астана қаласы» is inside the parent body «Астана қаласы әкімдігі»: only the
    parent body is printed, so the city does not appear on its own."""
    profile = load_profile(SAMPLES / "astana_monitoring_centre.yaml")
    o = profile.organization
    assert o.city.kk in o.parent_body.kk
    kk = _doc(tmp_path / "kk.docx", [o.parent_body.kk])
    ru = _doc(tmp_path / "ru.docx", [o.parent_body.ru])
    assert compare(kk, ru, profile) == []


@pytest.mark.parametrize("key", sorted(ACTS))
def test_acts_table_refs_carry_their_date_and_number(key):
    if key not in ACT_DATES:
        assert key in ("iso37001", "st3049")
        return
    date, number = ACT_DATES[key]
    kk, ru = acts_for("kk")[key], acts_for("ru")[key]
    assert f"{date.year} жылғы {date.day} {KK_MONTHS_ATTR[date.month - 1]}" in kk["ref"]
    assert f"{date.day} {RU_MONTHS_GEN[date.month - 1]} {date.year} года" in ru["ref"]
    assert f"№ {number}" in kk["ref"] and f"№ {number}" in ru["ref"]
    assert kk["date"] == ru["date"] == date and kk["number"] == number


def test_templates_cite_acts_only_through_the_table():
    """Dates and numbers of the acts are written once, in packbuilder/acts.py."""
    numbers = [re.escape(f"№ {n}") for _, n in ACT_DATES.values() if len(n) >= 3] + ["14441"]
    pattern = re.compile("|".join(numbers) + r"(?![\d-])")
    found = [f"{p.relative_to(BUILTIN_DIR)}: {m.group(0)}" for p in sorted(BUILTIN_DIR.rglob("*.md"))
             for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert found == []
