"""The corrections of issue 16, as the generated documents read: Russian grammar that follows
the short name, forms addressed in the dative, positions lower-case mid-sentence, deadlines
off days off, the recipients of the quarterly information, 3 calendar days, acts in force."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import SAMPLES, docx_text

from packbuilder.inputs.profile_file import load_profile
from packbuilder.model import legal_calendar as cal
from packbuilder.model.acts import in_force
from packbuilder.pack.build import build_pack

LANGS = ("kk", "ru")
DOCUMENTS = ["order", "compliance_regulation", "policy", "instruction", "coi_policy", "action_plan",
             "ethics_code", "standard", "compliance_report", "reporting_procedure", "risk_analysis"]


@pytest.fixture(scope="module")
def jsc(tmp_path_factory):
    """The JSC sample («Общество», a board of directors), the documents with the corrected
    wording only, for 2026 and for 2027."""
    out = tmp_path_factory.mktemp("jsc")
    profile = load_profile(SAMPLES / "jsc_board.yaml")
    first = build_pack(profile, out / "2026", only=DOCUMENTS)
    later = build_pack(profile.model_copy(update={"year": 2027, "approval": profile.approval.model_copy(
        update={"date": dt.date(2027, 1, 14)})}), out / "2027", only=DOCUMENTS)
    return profile, first.root, later.root


def _all_text(root, lang):
    return "\n".join(docx_text(p) for p in sorted((root / lang).rglob("*.docx")))


def test_russian_prepositions_follow_the_short_name(packs, jsc):
    _, root, _ = jsc
    society = _all_text(root, "ru")
    assert "об Обществе" in society and "в Обществе" in society
    assert not re.search(r"\bо Обществе|\bна Обществе", society)
    enterprise = _all_text(packs["astana_monitoring_centre"].root, "ru")  # short name «Предприятие»
    assert "на Предприятии" in enterprise and "о Предприятии" in enterprise
    assert not re.search(r"\bв Предприятии|\bоб Предприятии|\bв Предприятие\b", enterprise)


def test_annex_heading_names_the_head_s_organization_in_the_genitive(jsc):
    profile, root, _ = jsc
    text = docx_text(root / "ru" / "03-policy.docx")
    assert "к приказу руководителя" + "Акционерного общества «Казахстанский центр энергосбережения" in text


def test_forms_are_addressed_in_the_dative(jsc):
    profile, root, _ = jsc
    ru = docx_text(root / "ru" / "04-instruction.docx")
    # «Кому: Председателю правления / Акционерного общества «…» / Е.А. Сапарову»
    assert "Кому: Председателю правления" + "Акционерного общества" in ru and "Е.А. Сапарову" in ru
    kk = docx_text(root / "kk" / "04-instruction.docx")
    assert "басқарма төрағасы" + "Е.А. Сапаровқа" in kk
    report = docx_text(root / "ru" / "11-reporting_procedure.docx")
    assert "Кому: Комплаенс-офицеру" in report and "А.С. Жумабековой" in report


def test_positions_are_lower_case_mid_sentence(packs):
    pack = packs["astana_monitoring_centre"]
    ru = docx_text(pack.root / "ru" / "01-order.docx")
    assert "(антикоррупционный комплаенс) осуществляет комплаенс-офицер Ибраева" in ru
    kk = docx_text(pack.root / "kk" / "01-order.docx")
    assert "(сыбайлас жемқорлыққа қарсы комплаенс) комплаенс-офицер Ибраева" in kk


def test_quarterly_information_recipients_and_deadlines_off_days_off(jsc):
    profile, root, _ = jsc
    for lang in LANGS:
        plan = docx_text(root / lang / "06-action_plan.docx")
        row = next(line for line in plan.splitlines() if line.startswith("24 |"))
        assert profile.organization.parent_body[lang] in row
        assert ("уәкілетті орган" if lang == "kk" else "уполномоченный орган по противодействию коррупции") in row
        assert ("мерзім одан кейінгі бірінші жұмыс күніне ауыстырылады" if lang == "kk"
                else "переносится на следующий за ним рабочий день") in plan  # the note under the table
        # 05.12.2026 is a Saturday, 01.01.2027 a holiday: neither is named as a deadline
        assert "05.12.2026" not in plan and "01.01.2027" not in plan
        assert "07.12.2026" in plan and cal.next_working_day(dt.date(2027, 1, 1)).strftime("%d.%m.%Y") in plan
        deadlines = re.findall(r"\d\d\.\d\d\.\d{4}", row + next(line for line in plan.splitlines()
                                                                 if line.startswith("25 |")))
        assert deadlines and all(cal.is_working_day(dt.datetime.strptime(d, "%d.%m.%Y").date()) for d in deadlines)


def test_acknowledgement_within_three_days(packs):
    pack = packs["astana_monitoring_centre"]
    approved = pack.profile.approval.date
    last = cal.acknowledgement_deadline(approved)
    assert approved < last <= approved + dt.timedelta(days=3) and cal.is_working_day(last)
    for lang, said in (("kk", "3 күн ішінде"), ("ru", "в течение 3 дней")):
        for name in ("01-order.docx", "08-acknowledgement_journal.docx"):
            text = docx_text(pack.root / lang / name)
            assert said in text, (lang, name)
            assert "рабочих дней со дня подписания" not in text and "жұмыс күні ішінде (соңғы" not in text


def test_the_concept_2022_2026_is_cited_only_while_in_force(jsc):
    _, first, later = jsc
    assert in_force("concept", 2026) and not in_force("concept", 2027)
    assert "Концепция антикоррупционной политики" in docx_text(first / "ru" / "03-policy.docx")
    for lang, word in (("kk", "тұжырымдама"), ("ru", "концепци")):
        text = _all_text(later, lang).casefold()
        assert word not in text, lang
        # the list of acts is renumbered without it: the policy's basis is 1) the Law, 2) the model regulation
        policy = docx_text(later / lang / "03-policy.docx")
        start = policy.index("1) ")
        assert policy[start:].splitlines()[1].startswith("2) ")


def test_the_short_name_s_noun_decides_preposition_and_pronoun(packs):
    from packbuilder.model.profile import Text
    from packbuilder.render.context import organization_context
    profile = packs["shal_akyn_hospital"].profile
    for short, expected in (("Больница", ("в Больнице", "о Больнице", "ее")),
                            ("Предприятие", ("на Предприятии", "о Предприятии", "его")),
                            ("Общество", ("в Обществе", "об Обществе", "его"))):
        org = profile.organization.model_copy(update={"short_name": Text(kk="Аурухана", ru=short)})
        ru = organization_context(profile.model_copy(update={"organization": org}), "ru")
        assert (ru["short_in"], ru["short_about"], ru["short_its"]) == expected
    text = docx_text(packs["astana_monitoring_centre"].root / "ru" / "03-policy.docx")
    assert "соблюдения Предприятием и его работниками" in text
