"""The training schedule holds every frequency the pack commits to (issue 16, correction 3).

The policy, the standard and the reporting procedure promise events at a fixed frequency
(whistle-blower protection once a quarter; typical situations of conflict of interest and
gifts, training of procurement staff and a knowledge test at least once a half-year; the
declarations once a year: packbuilder/model/training.py). These tests read the promises
from the built documents, map them to ``COMMITMENTS``, and check that the schedule's rows
and the protocols carry each theme in each period, in Kazakh and in Russian; and that no
training document cites the anti-corruption Concept 2022–2026.
"""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES, docx_tables, docx_text

from packbuilder.inputs.profile_file import load_profile
from packbuilder.model import legal_calendar as cal
from packbuilder.model.catalogue import BY_ID
from packbuilder.model.training import COMMITMENTS, EVENT_THEMES, period_of, uncovered
from packbuilder.pack.build import build_pack

LANGS = ("kk", "ru")
SAMPLE = "astana_monitoring_centre"

# theme → per language, the words every topic of the theme has (all of them) — and no other topic
TOPIC_WORDS = {
    "whistleblower": {"kk": ("қорға",), "ru": ("защит",)},
    "coi_gifts": {"kk": ("мүдделер қақтығысы", "сыйлық"), "ru": ("конфликт интересов", "подар")},
    "procurement": {"kk": ("сатып алу",), "ru": ("закуп",)},
    "declarations": {"kk": ("декларация",), "ru": ("деклараци",)},
}
# the testing events say so in their form of holding (the schedule's third column)
TESTING_WORDS = {"kk": "тестілеу", "ru": "тестирование"}

# theme → per language, (document, a phrase of the frequency, words that must be near it)
PROMISES = {
    "whistleblower": {
        "ru": [("policy", "один раз в квартал", ("защиты",)), ("standard", "один раз в квартал", ("защиты",)),
               ("reporting_procedure", "один раз в квартал", ("защиты",))],
        "kk": [("policy", "тоқсанына бір рет", ("қорғау",)), ("standard", "тоқсанына бір рет", ("қорғау",)),
               ("reporting_procedure", "тоқсанына бір рет", ("қорғау",))]},
    "coi_gifts": {
        "ru": [("standard", "не реже одного раза в полугодие", ("конфликта интересов", "подарков")),
               ("policy", "не реже одного раза в полугодие", ("подарками", "конфликтом интересов"))],
        "kk": [("standard", "жарты жылда бір реттен сиретпей", ("мүдделер қақтығысы", "сыйлықтар"))]},
    "procurement": {
        "ru": [("standard", "не реже одного раза в полугодие", ("закупок",)),
               ("policy", "не реже одного раза в полугодие", ("закупок",))],
        "kk": [("standard", "кемінде жарты жылда бір рет", ("сатып алу",)),
               ("policy", "кемінде жарты жылда бір рет", ("сатып алу",))]},
    "testing": {
        "ru": [("policy", "не реже одного раза в полугодие", ("тестирования", "60"))],
        "kk": [("policy", "кемінде жарты жылда бір рет", ("тестілеу", "60"))]},
    "declarations": {
        "ru": [("standard", "один раз в год", ("деклараций",))],
        "kk": [("standard", "жылына бір рет", ("декларация",))]},
}
PERIOD_WORDS = {"quarter": ("квартал", "тоқсан"), "half": ("полугоди", "жарты жыл"), "year": ("в год", "жылына")}


def _points(text: str) -> list[str]:
    """The text cut into points (paragraphs): a frequency and its subject are in one point."""
    return [line for line in text.split("\n") if line.strip()]


def test_the_schedule_model_covers_every_commitment():
    assert len(EVENT_THEMES) == 12
    assert uncovered() == []
    # knowledge is tested in months 6 and 12, as the internal plan's point 13 says (events[5], events[11])
    assert [m for m, t in enumerate(EVENT_THEMES, start=1) if "testing" in t] == [6, 12]
    # and the check finds a gap
    gap = tuple(t - {"whistleblower"} if m == 8 else t for m, t in enumerate(EVENT_THEMES, start=1))
    assert uncovered(gap) == [("whistleblower", 3)]
    assert period_of(7, "half") == 2 and period_of(12, "quarter") == 4 and period_of(5, "year") == 1


@pytest.mark.parametrize("lang", LANGS)
def test_the_documents_state_the_committed_frequencies(packs, lang):
    """Each frequency in COMMITMENTS is what the pack's documents say, in one point with its subject."""
    pack = packs[SAMPLE]
    for theme, (times, period, _) in COMMITMENTS.items():
        assert any(w in PROMISES[theme][lang][0][1] for w in PERIOD_WORDS[period]), theme
        for doc, phrase, words in PROMISES[theme][lang]:
            text = pack.text(lang, BY_ID[doc].files()[0])
            hits = [p for p in _points(text) if phrase in p and all(w in p for w in words)]
            assert hits, (lang, theme, doc, phrase)


def _schedule_rows(pack, lang: str) -> list[list[str]]:
    path = pack.file(lang, BY_ID["training_schedule"].files()[0])
    table = max(docx_tables(path), key=len)
    rows = [r for r in table if r[0].strip().isdigit()]
    assert [int(r[0]) for r in rows] == list(range(1, 13))
    return rows


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("sample", ["astana_monitoring_centre", "shal_akyn_hospital"])
def test_the_schedule_holds_every_theme_in_every_period(packs, lang, sample):
    pack = packs[sample]
    rows = _schedule_rows(pack, lang)
    dates = cal.event_dates(pack.profile.year, pack.profile.approval.date)
    found: dict[str, set[int]] = {}
    for row, d, themes in zip(rows, dates, EVENT_THEMES):
        topic = row[1].lower()
        assert d.strftime("%d.%m.%Y") in row[3]
        for theme, words in TOPIC_WORDS.items():
            has = all(w in topic for w in words[lang])
            assert has == (theme in themes), (lang, row[0], theme, topic)
            if has:
                found.setdefault(theme, set()).add(period_of(d.month, COMMITMENTS[theme][1]))
        tested = TESTING_WORDS[lang] in row[2]
        assert tested == ("testing" in themes), (lang, row[0])
        if tested:
            found.setdefault("testing", set()).add(period_of(d.month, "half"))
        if "procurement" in themes:
            assert ("закуп" if lang == "ru" else "сатып алу") in row[6]
        if "declarations" in themes:
            assert ("кадровую работу" if lang == "ru" else "кадр жұмысына") in row[5]
    for theme, (times, period, _) in COMMITMENTS.items():
        assert found.get(theme) == set(range(1, times + 1)), (lang, theme, period, found.get(theme))
    text = pack.text(lang, BY_ID["training_schedule"].files()[0])
    listed = {"ru": "(мероприятия № 1, 5, 8, 11)", "kk": "(№ 1, 5, 8, 11 іс-шаралар)"}[lang]
    assert listed in text and "60 %" in text


# what a protocol of a theme explains (the pack's rules and deadlines), per language
PROTOCOL_WORDS = {
    "whistleblower": {"ru": ("трёх лет", "конфиденциальность", "1424", "меры защиты"),
                      "kk": ("үш жыл", "құпиялылығы", "1424", "қорғау шараларын")},
    "coi_gifts": {"ru": ("трёх рабочих дней", "десяти рабочих дней", "семи календарных дней", "типов"),
                  "kk": ("үш жұмыс күні", "он жұмыс күні", "күнтізбелік жеті күн", "үлгілік")},
    "procurement": {"ru": ("не реже одного раза в полугодие", "антикоррупционной оговорки", "одного источника"),
                    "kk": ("кемінде жарты жылда бір рет", "сыбайлас жемқорлыққа қарсы ескертпе", "бір көзден")},
    "declarations": {"ru": ("270.00", "250.00", "не менее чем за один месяц", "работник, ответственный за кадровую"),
                     "kk": ("270.00", "250.00", "кемінде бір ай бұрын", "кадр жұмысына жауапты")},
    "testing": {"ru": ("Оценка знаний работников", "не менее 60 процентов", "справку о результатах тестирования"),
                "kk": ("білімін тестілеу арқылы бағалау", "кемінде 60 пайыз", "тестілеу нәтижелері туралы анықтама")},
}


@pytest.mark.parametrize("lang", LANGS)
def test_each_protocol_explains_its_themes(packs, lang):
    pack = packs[SAMPLE]
    protocols = [f for f in BY_ID["training_schedule"].files() if "protocol-" in f]
    assert len(protocols) == 12
    for n, (name, themes) in enumerate(zip(protocols, EVENT_THEMES), start=1):
        text = pack.text(lang, name)
        for theme, words in PROTOCOL_WORDS.items():
            if theme in themes:
                missing = [w for w in words[lang] if w not in text]
                assert not missing, (lang, n, theme, missing)
        # the decisions are numbered 1, 2, … without a gap, one more per committed theme
        decided = [int(m) for m in re.findall(r"^(\d+)\. ", text.split("ШЕШІМ:" if lang == "kk" else "РЕШИЛИ:")[1],
                                               re.M)]
        extra = len(themes & {"whistleblower", "coi_gifts", "procurement", "declarations", "testing"})
        assert decided == list(range(1, 5 + extra)), (lang, n, decided)


def _no_concept(text: str) -> None:
    assert "Концепц" not in text and "Тұжырымдама" not in text and "тұжырымдама" not in text


def test_no_training_document_cites_the_concept(packs):
    for name in BY_ID["training_schedule"].files():
        for lang in LANGS:
            _no_concept(packs[SAMPLE].text(lang, name))


def test_a_2027_pack_does_not_cite_the_concept_in_training(tmp_path):
    """The Concept 2022–2026 expires at the end of 2026: the 2027 schedule and protocols hold
    the same commitments without it."""
    profile = load_profile(SAMPLES / "astana_monitoring_centre_2027.yaml")
    assert profile.year >= 2027
    res = build_pack(profile, tmp_path, only=["training_schedule"])
    for lang in LANGS:
        for name in BY_ID["training_schedule"].files():
            text = docx_text(res.root / lang / name)
            _no_concept(text)
            assert str(profile.year) in text
        schedule = docx_text(res.root / lang / BY_ID["training_schedule"].files()[0])
        assert ("квартал" if lang == "ru" else "тоқсанына") in schedule


@pytest.mark.parametrize("lang", LANGS)
def test_the_plan_gives_the_dates_of_each_committed_event(packs, lang):
    """The internal plan's point 12 names the dates of the protection, conflict-of-interest,
    procurement and declaration events; point 13 the testing dates (events 6 and 12)."""
    pack = packs[SAMPLE]
    text = pack.text(lang, BY_ID["action_plan"].files()[0])
    rows = {r.split(" | ")[0]: r for r in text.split("\n") if re.match(r"1[23] \| ", r)}
    dates = [d.strftime("%d.%m.%Y") for d in cal.event_dates(pack.profile.year, pack.profile.approval.date)]
    label = {"ru": {"whistleblower": "меры защиты сообщивших лиц – ", "coi_gifts": "конфликт интересов и подарки – ",
                    "procurement": "закупки – ", "declarations": "декларации – "},
             "kk": {"whistleblower": "хабарлаған адамдарды қорғау шаралары – ",
                    "coi_gifts": "мүдделер қақтығысы және сыйлықтар – ", "procurement": "сатып алу – ",
                    "declarations": "декларациялар – "}}[lang]
    for theme, prefix in label.items():
        listed = ", ".join(d for d, t in zip(dates, EVENT_THEMES) if theme in t)
        assert prefix + listed in rows["12"], (lang, theme)
    assert f"{dates[5]}, {dates[11]}" in rows["13"]
