"""One term per concept: every generated document keeps to the glossary
(packbuilder/model/glossary.py), in Kazakh and Russian."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, docx_text, xlsx_text

from packbuilder.model.glossary import GLOSSARY, glossary_problems

LANGS = ("kk", "ru")


def test_a_variant_is_found_with_the_term_to_use():
    found = glossary_problems("Барлық қызметкерлер танысады; «мүлдем төзбеушілік» қағидаты.", "kk")
    assert [(f, t) for f, t, _ in found] == [("қызметкер", "жұмыскер"), ("мүлдем төзбеуші", "«нөлдік» төзімділік")]
    assert glossary_problems("до прибытия сотрудников правоохранительных органов", "ru") == []
    assert [t for _, t, _ in glossary_problems("Сотрудники Общества и «тон сверху»", "ru")] == \
        ["работник", "пример руководства"]


def test_every_concept_has_both_terms_and_the_specification_s_pairs():
    pairs = {(t.kk, t.ru) for t in GLOSSARY}
    assert ("жұмыскер", "работник") in pairs and ("«нөлдік» төзімділік", "«нулевая» терпимость") in pairs
    assert all(t.kk and t.ru for t in GLOSSARY)


@pytest.mark.parametrize("lang", LANGS)
def test_templates_keep_to_the_glossary(lang):
    problems = []
    for path in sorted((ROOT / "templates" / lang).glob("*.md")):
        problems += [(path.name, *p) for p in glossary_problems(path.read_text(encoding="utf-8"), lang)]
    assert problems == []


@pytest.mark.parametrize("sample", ["astana_monitoring_centre", "shal_akyn_hospital"])
def test_every_document_of_the_pack_keeps_to_the_glossary(packs, sample):
    pack = packs[sample]
    checked, problems = 0, []
    for lang in LANGS:
        for path in sorted((pack.root / lang).rglob("*")):
            if path.suffix == ".docx":
                text = docx_text(path)
            elif path.suffix == ".xlsx":
                text = xlsx_text(path)
            else:
                continue
            checked += 1
            problems += [(str(Path(lang) / path.relative_to(pack.root / lang)), *p)
                         for p in glossary_problems(text, lang)]
    assert checked > 60
    assert problems == []
