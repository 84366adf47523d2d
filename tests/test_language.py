"""Kazakh and Russian forms: dates, months, case forms, the legal calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from packbuilder.model import legal_calendar as cal
from packbuilder.render.language import (
    case_forms,
    date_attr,
    date_long,
    initials,
    kk_case,
    month_loc,
    ru_case,
)


def test_date_forms_of_pack_md():
    d = dt.date(2026, 1, 15)
    assert date_attr(d, "kk") == "2026 жылғы «15» қаңтардағы"
    assert date_attr(d, "ru") == "«15» января 2026 года"
    assert date_long(dt.date(2026, 9, 3), "kk") == "2026 жылғы 3 қыркүйек"
    assert date_long(dt.date(2026, 9, 3), "ru") == "3 сентября 2026 года"
    assert [date_attr(dt.date(2026, m, 1), "kk").split()[-1] for m in (4, 9, 12)] == ["сәуірдегі", "қыркүйектегі", "желтоқсандағы"]
    assert month_loc(5, "kk") == "мамырда" and month_loc(5, "ru") == "в мае"


@pytest.mark.parametrize("word, gen, dat, loc, abl", [
    ("Кәсіпорын", "Кәсіпорынның", "Кәсіпорынға", "Кәсіпорында", "Кәсіпорыннан"),
    ("Орталық", "Орталықтың", "Орталыққа", "Орталықта", "Орталықтан"),
    ("Аурухана", "Аурухананың", "Ауруханаға", "Ауруханада", "Ауруханадан"),
    ("Серіктестік", "Серіктестіктің", "Серіктестікке", "Серіктестікте", "Серіктестіктен"),
    ("Қоғам", "Қоғамның", "Қоғамға", "Қоғамда", "Қоғамнан"),
    ("«Тест» ШЖҚ МКК", "«Тест» ШЖҚ МКК-ның", "«Тест» ШЖҚ МКК-ға", "«Тест» ШЖҚ МКК-да", "«Тест» ШЖҚ МКК-дан"),
    ("Директорлар кеңесі", "Директорлар кеңесінің", "Директорлар кеңесіне", "Директорлар кеңесінде", "Директорлар кеңесінен"),
])
def test_kazakh_cases(word, gen, dat, loc, abl):
    assert [kk_case(word, c) for c in ("gen", "dat", "loc", "abl")] == [gen, dat, loc, abl]


def test_russian_cases():
    assert ru_case("Предприятие", "gen") == "Предприятия"
    assert ru_case("Городская больница", "ins") == "Городской больницей"
    assert ru_case("Наблюдательный совет", "dat") == "Наблюдательному совету"
    # a name led by its legal form stays as written
    assert case_forms("ГКП на ПХВ «Центр»", "ru")["gen"] == "ГКП на ПХВ «Центр»"


def test_initials():
    assert initials("Сейткали Бауыржан Маратұлы", "kk") == "Б.М. Сейткали"
    assert initials("Ким Ольга", "ru") == "О. Ким"
    assert initials("O'Brien", "ru") == "O'Brien"


def test_working_days_of_kazakhstan():
    assert not cal.is_working_day(dt.date(2026, 3, 23))   # Nauryz
    assert not cal.is_working_day(dt.date(2026, 1, 10))   # Saturday
    assert cal.is_working_day(dt.date(2026, 1, 12))
    # approved on Thursday 15 January 2026: 3 working days → Tuesday 20 January
    assert cal.workdays_after(dt.date(2026, 1, 15), 3) == dt.date(2026, 1, 20)


def test_twelve_events_each_month_on_a_working_day():
    dates = cal.event_dates(2026)
    assert [d.month for d in dates] == list(range(1, 13))
    assert all(cal.is_working_day(d) for d in dates)
    assert cal.quarterly_deadlines(2026)[0] == dt.date(2026, 4, 1)


def test_a_deadline_on_a_day_off_moves_to_the_next_working_day():
    # 5 December 2026 is a Saturday, 1 January 2027 a holiday: neither is a deadline
    assert cal.yearly_report_deadline(2026) == dt.date(2026, 12, 7)
    assert cal.quarterly_deadlines(2026)[3] == cal.next_working_day(dt.date(2027, 1, 1)) > dt.date(2027, 1, 2)
    assert all(cal.is_working_day(d) for y in range(2025, 2031)
               for d in cal.quarterly_deadlines(y) + [cal.yearly_report_deadline(y)])
    assert cal.yearly_report_deadline(2025) == dt.date(2025, 12, 5)  # a Friday stays


def test_acknowledgement_counts_three_calendar_days():
    # the Agency's «3 күн мерзімде»: approved on Monday 12.01.2026, the last day is Thursday 15.01;
    # approved on Thursday 15.01 the 3rd day is a Sunday: the last day is Friday 16.01, not Monday
    assert cal.acknowledgement_deadline(dt.date(2026, 1, 12)) == dt.date(2026, 1, 15)
    assert cal.acknowledgement_deadline(dt.date(2026, 1, 15)) == dt.date(2026, 1, 16)
    approvals = [d for d in (dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)) if cal.is_working_day(d)]
    assert all(d <= cal.acknowledgement_deadline(d) <= d + dt.timedelta(days=3)
               and cal.is_working_day(cal.acknowledgement_deadline(d)) for d in approvals)


def test_no_event_before_staff_could_acquaint_themselves():
    dates = cal.event_dates(2026, dt.date(2026, 1, 15))
    # the 3 days after 15 January end on Friday the 16th: the January event is on Monday the 19th
    assert dates[0] == dt.date(2026, 1, 19)
    assert dates[1] == cal.event_dates(2026)[1]
