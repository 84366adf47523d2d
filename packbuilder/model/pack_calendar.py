"""Every dated event of a pack, for its calendar (``<lang>/calendar.ics``): the twelve
training events, the acknowledgement term of the approving order, the written acceptance of
the anti-corruption restrictions, the compliance service's quarterly information and yearly
report, the stages of the internal analysis of corruption risks and the dated deadlines of
the internal action plan.

The dates come from :mod:`packbuilder.model.legal_calendar`, the same functions the
documents use, so that the calendar and the documents never disagree. Each item carries its
summary and description in both languages; :mod:`packbuilder.write.calendar_ics` writes
them as iCalendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from packbuilder.model import legal_calendar as cal

TRAINING_MINUTES = 60
"""How long a training event is booked in the calendar."""
DEADLINE_ALARM_DAYS = (3,)
"""A deadline is reminded of 3 days before."""
TRAINING_ALARM_DAYS = (3, 1)
"""A training event is reminded of 3 days before (to announce it and prepare the attendance
sheet) and 1 day before."""

GUIDE = {"kk": "Агенттік нұсқаулығы, № 4 жобалар тобы", "ru": "руководство Агентства, группа проектов № 4"}
"""How the descriptions name the Agency's guide to the projects of typical basic direction № 4."""
UPLOAD = {"kk": "жобалық басқарудың ақпараттық жүйесіне енгізу", "ru": "внесение в информационную систему "
                                                                      "проектного управления"}


@dataclass(frozen=True)
class CalendarItem:
    """One dated event of the pack.

    ``key`` is stable from year to year and language to language (``training-01``,
    ``acknowledgement``, ``quarterly-1``, ``risk-note`` …): with the BIN and the year it
    makes the event's UID. ``time`` is None for an all-day deadline, else the start of an
    event lasting ``minutes``. ``kind`` is ``training``, ``deadline`` or ``risk_analysis``.
    ``summary`` and ``description`` map a language (kk, ru) to the text; ``alarms`` are the
    days before the event at which it is reminded of.
    """

    key: str
    date: dt.date
    kind: str
    summary: Mapping[str, str]
    description: Mapping[str, str]
    time: dt.time | None = None
    minutes: int = 0
    alarms: tuple[int, ...] = DEADLINE_ALARM_DAYS


def _dmy(d: dt.date) -> str:
    return d.strftime("%d.%m.%Y")


def _deadline(key: str, date: dt.date, kk: str, ru: str, kk_more: str, ru_more: str,
              kind: str = "deadline") -> CalendarItem:
    return CalendarItem(key, date, kind, {"kk": kk, "ru": ru}, {"kk": kk_more, "ru": ru_more})


def pack_calendar(year: int, approved: dt.date, topics: Mapping[str, Sequence[str]] | None = None,
                  employees: int = 0) -> list[CalendarItem]:
    """The dated events of the pack of plan year ``year`` approved by the order of
    ``approved``, sorted by date (then by key): ``topics`` are the 12 training topics of
    each language (templates/<lang>/_training.md; left out of the summaries when None),
    ``employees`` the number of employees (for the count to train in ISO 37001).

    Sources: the Agency's guide to the projects of typical basic direction № 4, project
    group 4, tasks 6 (acquaintance), 7 (restrictions), 9 (12 monthly events), project 2
    task 2 (ISO 37001 training of 20 %), project group 1 project 2 (the analytical note and
    the elimination plan within 10 working days); Law art. 8 p. 5 (yearly internal analysis);
    MES order № 178, annex 1, pp. 18–19 (quarterly information, yearly report).
    """
    items: list[CalendarItem] = []
    for n, d in enumerate(cal.event_dates(year, approved), start=1):
        title = {"kk": f"Түсіндіру және оқыту іс-шарасы № {n}",
                 "ru": f"Разъяснительное и обучающее мероприятие № {n}"}
        if topics:
            title = {lang: f"{t}: {topics[lang][n - 1]}" if lang in topics else t for lang, t in title.items()}
        test = n in (6, 12)
        more = {
            "kk": ("Сыбайлас жемқорлыққа қарсы заңнама талаптарын сақтау мәселелері бойынша ай сайынғы іс-шара "
                   f"({GUIDE['kk']}, 9-міндет)."
                   + (" Жұмыскерлердің білімін тестілеу (өту шегі – 60 %)." if test else "")
                   + f" Хаттама, қатысу парағы; анықтаманы (қатысушылар саны), жарияланымдарға сілтемелерді және "
                     f"хаттаманы {UPLOAD['kk']}."),
            "ru": ("Ежемесячное мероприятие по вопросам соблюдения требований антикоррупционного законодательства "
                   f"({GUIDE['ru']}, задача 9)."
                   + (" Тестирование знаний работников (проходной балл – 60 %)." if test else "")
                   + f" Протокол, лист присутствия; справка (с числом участников), ссылки на публикации и протокол – "
                     f"{UPLOAD['ru']}."),
        }
        items.append(CalendarItem(f"training-{n:02d}", d, "training", title, more, time=_event_time(),
                                  minutes=TRAINING_MINUTES, alarms=TRAINING_ALARM_DAYS))

    ack = cal.acknowledgement_deadline(approved)
    items.append(_deadline(
        "acknowledgement", ack,
        "Жұмыскерлерді сыбайлас жемқорлыққа қарсы ішкі құжаттармен таныстырудың соңғы күні",
        "Последний день ознакомления работников с внутренними документами по противодействию коррупции",
        f"{_dmy(approved)} бұйрықпен бекітілген құжаттармен барлық жұмыскерлер Құжаттармен танысу журналында қол "
        f"қойып танысады ({GUIDE['kk']}, 6-міндет). Журналды {UPLOAD['kk']}.",
        f"Все работники знакомятся под подпись в Журнале ознакомления с документами, утверждёнными приказом от "
        f"{_dmy(approved)} ({GUIDE['ru']}, задача 6). Журнал – {UPLOAD['ru']}."))
    items.append(_deadline(
        "restrictions", ack,
        "Сыбайлас жемқорлыққа қарсы шектеулерді жазбаша қабылдау мерзімі",
        "Срок письменного принятия антикоррупционных ограничений",
        "Мемлекеттік функцияларды орындауға уәкілеттік берілген адамдарға теңестірілген жұмыскерлер сыбайлас "
        f"жемқорлыққа қарсы шектеулерді жазбаша қабылдайды ({GUIDE['kk']}, 7-міндет). Журналды {UPLOAD['kk']}.",
        "Работники – лица, приравненные к лицам, уполномоченным на выполнение государственных функций, принимают "
        f"антикоррупционные ограничения в письменной форме ({GUIDE['ru']}, задача 7). Журнал – {UPLOAD['ru']}."))

    for q in cal.quarters(year):
        items.append(_deadline(
            f"quarterly-{q['n']}", q["deadline"],
            f"Комплаенс-қызметтің {year} жылғы {q['roman']} тоқсан бойынша ақпаратын ұсыну мерзімі",
            f"Срок представления ежеквартальной информации комплаенс-службы за {q['roman']} квартал {year} года",
            f"{_dmy(q['start'])}–{_dmy(q['end'])} кезеңіндегі ақпарат тоқсаннан кейінгі айдың 1-күніне дейін "
            "ұсынылады. Мүдделер қақтығысын жою және хабарламалар фактілері болған жағдайда анықтаманы "
            f"{UPLOAD['kk']} (8- және 10-міндеттер).",
            f"Информация за период {_dmy(q['start'])}–{_dmy(q['end'])} представляется до 1-го числа месяца, "
            "следующего за кварталом. При наличии фактов урегулирования конфликта интересов и сообщений о "
            f"нарушениях – справка, {UPLOAD['ru']} (задачи 8 и 10)."))
    items.append(_deadline(
        "yearly-report", cal.yearly_report_deadline(year),
        f"Комплаенс-қызметтің {year} жылғы жылдық есебін ұсыну мерзімі",
        f"Срок представления годового отчёта комплаенс-службы за {year} год",
        "Ішкі іс-шаралар жоспарының орындалуы туралы жылдық есеп.",
        "Годовой отчёт о проделанной работе и исполнении внутреннего плана мероприятий."))
    iso = cal.iso_training_count(employees)
    items.append(_deadline(
        "iso-training", cal.iso_training_deadline(year),
        f"Жұмыскерлердің {cal.ISO_TRAINING_PERCENT} %-ын ISO 37001 немесе ҚР СТ 3049-2017 стандартына оқыту мерзімі",
        f"Срок обучения {cal.ISO_TRAINING_PERCENT} % работников стандарту ISO 37001 или СТ РК 3049-2017",
        f"Кемінде {iso} жұмыскер оқытылады (Агенттік нұсқаулығы, № 4 жобалар тобы, 2-жоба, 2-міндет). Оқыту туралы "
        f"анықтаманы және сертификаттарды {UPLOAD['kk']}." if iso else
        f"Агенттік нұсқаулығы, № 4 жобалар тобы, 2-жоба, 2-міндет. Оқыту туралы анықтаманы және сертификаттарды "
        f"{UPLOAD['kk']}.",
        f"Обучается не менее {iso} работников (руководство Агентства, группа проектов № 4, проект 2, задача 2). "
        f"Справка о проведении обучения и сертификаты – {UPLOAD['ru']}." if iso else
        f"Руководство Агентства, группа проектов № 4, проект 2, задача 2. Справка о проведении обучения и "
        f"сертификаты – {UPLOAD['ru']}."))
    items.append(_deadline(
        "next-plan", cal.next_plan_deadline(year),
        "Келесі жылға арналған ішкі іс-шаралар жоспарының жобасын әзірлеу мерзімі",
        "Срок разработки проекта внутреннего плана мероприятий на следующий год",
        f"Ішкі жоспар жыл сайын жаңартылады ({GUIDE['kk']}, 2-міндет).",
        f"Внутренний план ежегодно обновляется ({GUIDE['ru']}, задача 2)."))

    ra = cal.risk_analysis_schedule(year)
    stages = [
        ("start", "Сыбайлас жемқорлық тәуекелдеріне ішкі талдаудың басталуы: бұйрық, жұмыс тобы, кесте",
         "Начало внутреннего анализа коррупционных рисков: приказ, рабочая группа, график",
         "Басшының ішкі талдау жүргізу туралы бұйрығы, жұмыс тобы және кесте.",
         "Приказ руководителя о проведении внутреннего анализа, рабочая группа и график."),
        ("documents_by", "Ішкі талдауға құжаттарды жинау мерзімі",
         "Срок сбора документов для внутреннего анализа",
         "Соңғы 3 жылдағы аудиторлық есептер мен қорытындыларды қоса алғанда (№ 1 жобалар тобы, 2-жоба, "
         "9-міндет).",
         "Включая аудиторские отчёты и заключения за последние 3 года (группа проектов № 1, проект 2, задача 9)."),
        ("analysis_by", "Ішкі талдаудың бағыттары бойынша зерделеуді аяқтау мерзімі",
         "Срок завершения изучения направлений внутреннего анализа",
         "№ 1 жобалар тобының 2-жобасында көрсетілген бағыттар бойынша.",
         "По направлениям, указанным в проекте 2 группы проектов № 1."),
        ("note_by", "Ішкі талдау нәтижелері туралы талдамалық анықтамаға қол қою мерзімі",
         "Срок подписания аналитической справки о результатах внутреннего анализа",
         "Талдамалық анықтамаға қол қойылған күннен бастап 10 жұмыс күні ішінде ол жоспармен бірге жобалық "
         "басқарудың ақпараттық жүйесіне енгізіледі.",
         "В течение 10 рабочих дней со дня подписания справка вместе с планом вносится в информационную "
         "систему проектного управления."),
        ("plan_by", "Сыбайлас жемқорлық тәуекелдерін жою жөніндегі іс-шаралар жоспарын бекіту мерзімі",
         "Срок утверждения плана мероприятий по устранению коррупционных рисков",
         "Жоспарды басшы бекітеді.", "План утверждается руководителем."),
        ("upload_by", "Талдамалық анықтама мен тәуекелдерді жою жоспарын жобалық басқарудың ақпараттық жүйесіне "
                      "енгізу мерзімі",
         "Срок внесения аналитической справки и плана устранения рисков в информационную систему проектного "
         "управления",
         f"{GUIDE['kk']}, 5-міндет; № 1 жобалар тобы, 2-жоба. Нәтижелер интернет-ресурста жарияланады.",
         f"{GUIDE['ru']}, задача 5; группа проектов № 1, проект 2. Результаты публикуются на интернет-ресурсе."),
    ]
    for name, kk, ru, kk_more, ru_more in stages:
        items.append(_deadline(f"risk-{name.removesuffix('_by').replace('_', '-')}", ra[name], kk, ru,
                               kk_more, ru_more, kind="risk_analysis"))
    return sorted(items, key=lambda i: (i.date, i.time or dt.time(0), i.key))


def _event_time() -> dt.time:
    """The training events' start (:data:`packbuilder.model.legal_calendar.EVENT_TIME`)."""
    h, m = cal.EVENT_TIME.split(":")
    return dt.time(int(h), int(m))
