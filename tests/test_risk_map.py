"""The risk map (cartogram, register, positions exposed to corruption risks) and the list of
positions equated to persons authorized to perform state functions, in both languages."""

from __future__ import annotations

import pytest
from conftest import docx_tables, xlsx_text

from packbuilder.model import risk_map as rm
from packbuilder.model.catalogue import BY_ID

LANGS = ("kk", "ru")
SAMPLES = ("astana_monitoring_centre", "shal_akyn_hospital")
LEVELS = {"kk": ("Төмен", "Орташа", "Жоғары", "Критикалық"), "ru": ("Низкий", "Средний", "Высокий", "Критический")}


def _files(doc_id):
    return BY_ID[doc_id].files()


def test_bands_cover_every_score():
    assert rm.level(4) == "low" and rm.level(5) == "medium" and rm.level(16) == "high" and rm.level(20) == "critical"
    assert {rm.level(a * b) for a in rm.SCALE for b in rm.SCALE} == {"low", "medium", "high", "critical"}
    with pytest.raises(ValueError):
        rm.level(26)


@pytest.mark.parametrize("sample", SAMPLES)
def test_risk_map_scale_register_cartogram_positions(packs, sample):
    pack = packs[sample]
    docx_name, xlsx_name = _files("risk_map")
    equated = [e for e in pack.profile.employees if e.equated]
    for lang in LANGS:
        text = pack.text(lang, docx_name)
        assert pack.profile.organization.name[lang] in text
        assert pack.profile.approval.number in text
        annex = BY_ID["risk_map"].annex
        assert (f"{annex}-қосымша" if lang == "kk" else f"Приложение {annex}") in text
        assert ("8-бабының 5-тармағы" if lang == "kk" else "пункт 5 статьи 8") in text
        scale, impact, bands, register, cartogram, positions, *_ = docx_tables(pack.file(lang, docx_name))
        assert [r[0] for r in scale[1:]] == [r[0] for r in impact[1:]] == ["1", "2", "3", "4", "5"]
        assert [(r[0], r[1]) for r in bands[1:]] == list(zip(LEVELS[lang], ("1–4", "5–9", "10–16", "20–25")))
        rows = register[1:]
        assert len(rows) >= 15 and len(register[0]) == 9
        assert [r[0] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
        scores = [int(r[5]) for r in rows]
        assert scores == sorted(scores, reverse=True)
        assert all(int(r[3]) * int(r[4]) == int(r[5]) for r in rows)
        # the cartogram holds exactly the register's numbers, each where its scores place it
        assert len(cartogram) == 6 and all(len(r) == 6 for r in cartogram)
        placed = {}
        for row in cartogram[1:]:
            lk = int(row[0].split()[0])
            for im, cell in enumerate(row[1:], start=1):
                for n in filter(None, (x.strip() for x in cell.split(","))):
                    placed[int(n)] = (lk, im)
        assert placed == {int(r[0]): (int(r[3]), int(r[4])) for r in rows}
        # every equated employee's position is in the list of positions exposed to risks
        listed = {(r[1], r[2]) for r in positions[1:]}
        for e in equated:
            assert (e.position[lang], e.department[lang] if e.department else "–") in listed, e.position[lang]
        assert all(r[4] and all(1 <= int(n) <= len(rows) for n in r[4].split(", ")) for r in positions[1:])
        # the officer signs; the map is revised on each yearly internal analysis
        assert pack.profile.compliance_officer.name[lang].split()[0] in text
        assert ("жыл сайынғы ішкі талдаудың" if lang == "kk" else "ежегодного внутреннего анализа") in text
        sheets = xlsx_text(pack.file(lang, xlsx_name))
        for row in rows[:3]:
            assert row[2].split("\n")[0] in sheets  # the risk, bold above its scheme
        assert equated[0].position[lang] in sheets


def test_kk_and_ru_rank_the_same_risks(packs):
    pack = packs["astana_monitoring_centre"]
    docx_name, _ = _files("risk_map")
    kk, ru = (docx_tables(pack.file(lang, docx_name))[3] for lang in LANGS)
    assert [r[3:6] for r in kk][1:] == [r[3:6] for r in ru][1:]  # likelihood, impact, score


@pytest.mark.parametrize("sample", SAMPLES)
def test_equated_positions_lists_distinct_equated_positions(packs, sample):
    pack = packs[sample]
    (docx_name,) = _files("equated_positions")
    equated = [e for e in pack.profile.employees if e.equated]
    for lang in LANGS:
        text = pack.text(lang, docx_name)
        assert pack.profile.approval.number in text
        assert ("12-бабында" if lang == "kk" else "статьей 12 Закона") in text
        table = docx_tables(pack.file(lang, docx_name))[0]
        expected = list(dict.fromkeys((e.position[lang], e.department[lang] if e.department else "–")
                                      for e in equated))
        assert [(r[1], r[2]) for r in table[1:]] == expected
        assert [r[0] for r in table[1:]] == [str(n) for n in range(1, len(expected) + 1)]


def test_head_outside_the_staff_list_is_listed_first(packs):
    pack = packs["escaping"]
    (docx_name,) = _files("equated_positions")
    if rm.head_in_staff(pack.profile):
        pytest.skip("the head is in the staff list")
    for lang in LANGS:
        table = docx_tables(pack.file(lang, docx_name))[0]
        assert table[1][1] == pack.profile.head.position[lang]
