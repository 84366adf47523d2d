"""The pack's calendar, ``<lang>/calendar.ics``: every dated event of the pack
(:func:`packbuilder.model.pack_calendar.pack_calendar`) as iCalendar (RFC 5545), written
with the ``icalendar`` package, for Outlook, Google Calendar or a phone.

Deterministic: the UIDs are made of the BIN, the plan year and the event's key, DTSTAMP is
the approving order's date, the time zone is written out here rather than taken from the
machine's time zone database, and the events keep the model's order, so that the same pack
gives the same bytes (tests/test_determinism.py).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard

from packbuilder.model.pack_calendar import CalendarItem

TZID = "Asia/Almaty"
PRODID = "-//packbuilder//compliance pack//KK-RU"
CALENDAR_NAME = {"kk": "Сыбайлас жемқорлыққа қарсы іс-қимыл: {org}, {year} жыл",
                 "ru": "Противодействие коррупции: {org}, {year} год"}
ALARM_TEXT = {"kk": "Еске салу", "ru": "Напоминание"}


def almaty_timezone() -> Timezone:
    """VTIMEZONE of Asia/Almaty: UTC+6 until 1 March 2024, UTC+5 since (Kazakhstan's single
    time zone; IANA time zone database 2024a). Written out here so that the calendar does
    not depend on the time zone database of the machine that builds it."""
    tz = Timezone()
    tz.add("tzid", TZID)
    for start, before, after, name in ((dt.datetime(1970, 1, 1), "+0600", "+0600", "+06"),
                                       (dt.datetime(2024, 3, 1), "+0600", "+0500", "+05")):
        std = TimezoneStandard()
        std.add("dtstart", start)
        std.add("tzoffsetfrom", _offset(before))
        std.add("tzoffsetto", _offset(after))
        std.add("tzname", name)
        tz.add_component(std)
    return tz


def _offset(text: str) -> dt.timedelta:
    sign = -1 if text[0] == "-" else 1
    return sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


def _local(d: dt.date, t: dt.time) -> dt.datetime:
    """A naive local time; its TZID parameter is set by the caller."""
    return dt.datetime.combine(d, t)


def calendar_ics(items: Sequence[CalendarItem], lang: str, bin_: str, year: int, stamp: dt.date,
                 organization: str = "") -> bytes:
    """The iCalendar bytes (CRLF lines) of ``items`` in ``lang`` (kk or ru).

    ``bin_`` and ``year`` make the UIDs (``<bin>-<year>-<key>@packbuilder``), the same in
    both languages; ``stamp`` (the approving order's date) is every DTSTAMP, at 00:00 UTC;
    ``organization`` names the calendar. A deadline is an all-day event (DTSTART as a DATE,
    DTEND the next day), a training event starts at its time in Asia/Almaty and lasts its
    minutes; each item is reminded of (VALARM, DISPLAY) at its ``alarms`` days before.
    The events are made by icalendar once per process (:func:`_event_shape`) and only their
    UIDs written for each organization: 2 ms a calendar instead of 18.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME[lang].format(org=organization, year=year).replace(": , ", ": "))
    cal.add("x-wr-timezone", TZID)
    cal.add_component(almaty_timezone())
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    events = b"".join(_event_ics(_item_key(item), lang, bin_, year, stamp) for item in items)
    return head + events + b"END:VCALENDAR" + end


def _item_key(item: CalendarItem) -> tuple:
    """``item`` as a hashable key of :func:`_event_ics` (its texts as sorted pairs)."""
    return (item.key, item.date, item.kind, tuple(sorted(item.summary.items())),
            tuple(sorted(item.description.items())), item.time, item.minutes, tuple(item.alarms))


_BIN_SHAPE = "0" * 12
"""The BIN an event is made with before the real one replaces it (same length: same folding)."""


def _event_ics(key: tuple, lang: str, bin_: str, year: int, stamp: dt.date) -> bytes:
    """The VEVENT of the item ``key`` (:func:`_item_key`) for the BIN ``bin_``: made once
    per process for a BIN of the same length (the events of a batch's organizations differ
    in their UIDs alone) by :func:`_event_shape`, the BIN put in its UID line."""
    shape = _event_shape(key, lang, _BIN_SHAPE if len(bin_) == len(_BIN_SHAPE) else bin_, year, stamp)
    return shape.replace(f"UID:{_BIN_SHAPE}-".encode(), f"UID:{bin_}-".encode(), 1)


@functools.lru_cache(maxsize=1024)
def _event_shape(key: tuple, lang: str, bin_: str, year: int, stamp: dt.date) -> bytes:
    """The VEVENT bytes (CRLF lines) of the item ``key`` (:func:`_item_key`), with icalendar."""
    item = CalendarItem(key[0], key[1], key[2], dict(key[3]), dict(key[4]), key[5], key[6], key[7])
    dtstamp = dt.datetime.combine(stamp, dt.time(0), tzinfo=dt.timezone.utc)  # noqa: UP017 (3.10)
    ev = Event()
    ev.add("uid", f"{bin_}-{year}-{item.key}@packbuilder")
    ev.add("dtstamp", dtstamp)
    if item.time is None:
        ev.add("dtstart", item.date)
        ev.add("dtend", item.date + dt.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
    else:
        start = _local(item.date, item.time)
        ev.add("dtstart", start, parameters={"TZID": TZID})
        ev.add("dtend", start + dt.timedelta(minutes=item.minutes), parameters={"TZID": TZID})
        ev.add("transp", "OPAQUE")
    ev.add("summary", item.summary[lang])
    ev.add("description", item.description[lang])
    ev.add("categories", [item.kind])
    for days in item.alarms:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{ALARM_TEXT[lang]}: {item.summary[lang]}")
        alarm.add("trigger", dt.timedelta(days=-days))
        ev.add_component(alarm)
    return ev.to_ical()
