"""The pack's calendar, ``<lang>/calendar.ics``: every dated event, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from zoneinfo import ZoneInfo

import icalendar
import pytest
import yaml
from conftest import ROOT, SAMPLES

from packbuilder.inputs.profile_file import load_profile, validate_profile
from packbuilder.model import legal_calendar as cal
from packbuilder.pack.build import CALENDAR_DOCUMENT, CALENDAR_FILE, build_pack, render_pack
from packbuilder.update.yearly import update_pack

ALMATY = ZoneInfo("Asia/Almaty")


def _calendar(pack, lang) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(pack.file(lang, CALENDAR_FILE).read_bytes())


def _events(c: icalendar.Calendar) -> dict[str, icalendar.Event]:
    bin_year = None
    out = {}
    for ev in c.walk("VEVENT"):
        uid = str(ev["uid"])
        assert uid.endswith("@packbuilder")
        key = uid.removesuffix("@packbuilder")
        bin_, year, key = key.split("-", 2)
        assert bin_year in (None, (bin_, year))
        bin_year = (bin_, year)
        out[key] = ev
    return out


@pytest.mark.parametrize("sample", ["astana_monitoring_centre", "shal_akyn_hospital"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_calendar_holds_every_dated_event_of_the_pack(packs, sample, lang):
    pack = packs[sample]
    p = pack.profile
    c = _calendar(pack, lang)
    assert [str(tz["tzid"]) for tz in c.walk("VTIMEZONE")] == ["Asia/Almaty"]
    events = _events(c)
    uid = str(next(iter(c.walk("VEVENT")))["uid"])
    assert uid.startswith(f"{p.organization.bin}-{p.year}-")
    # the 12 training events at their dates and time, one hour each, reminded 3 days and 1 day before
    dates = cal.event_dates(p.year, p.approval.date)
    h, m = map(int, cal.EVENT_TIME.split(":"))
    for n, d in enumerate(dates, start=1):
        ev = events[f"training-{n:02d}"]
        start = ev.decoded("dtstart")
        assert start == dt.datetime(d.year, d.month, d.day, h, m, tzinfo=ALMATY)
        assert start.utcoffset() == dt.timedelta(hours=5)
        assert ev.decoded("dtend") - start == dt.timedelta(hours=1)
        assert sorted(a.decoded("trigger") for a in ev.walk("VALARM")) == [-dt.timedelta(days=3),
                                                                          -dt.timedelta(days=1)]
        assert (f"№ {n}") in str(ev["summary"])
    assert sum(k.startswith("training-") for k in events) == 12

    def all_day(key, date):
        ev = events[key]
        assert ev.decoded("dtstart") == date and not isinstance(ev.decoded("dtstart"), dt.datetime), key
        assert ev.decoded("dtend") == date + dt.timedelta(days=1)
        assert [a.decoded("trigger") for a in ev.walk("VALARM")] == [-dt.timedelta(days=3)]

    ack = cal.acknowledgement_deadline(p.approval.date)
    all_day("acknowledgement", ack)
    all_day("restrictions", ack)
    for q in cal.quarters(p.year):
        all_day(f"quarterly-{q['n']}", q["deadline"])
    assert sum(k.startswith("quarterly-") for k in events) == 4
    all_day("yearly-report", cal.yearly_report_deadline(p.year))
    ra = cal.risk_analysis_schedule(p.year)
    for key, name in (("start", "risk-start"), ("documents_by", "risk-documents"), ("analysis_by", "risk-analysis"),
                      ("note_by", "risk-note"), ("plan_by", "risk-plan"), ("upload_by", "risk-upload")):
        all_day(name, ra[key])
    all_day("iso-training", cal.iso_training_deadline(p.year))
    all_day("next-plan", cal.next_plan_deadline(p.year))
    assert len(events) == 12 + 2 + 4 + 1 + 6 + 2
    # dtstamp fixed: the approving order's date
    assert {ev.decoded("dtstamp") for ev in events.values()} == {
        dt.datetime.combine(p.approval.date, dt.time(0), tzinfo=dt.timezone.utc)}


def test_summaries_are_in_the_language_and_both_calendars_have_the_same_events(packs):
    pack = packs["astana_monitoring_centre"]
    kk, ru = _events(_calendar(pack, "kk")), _events(_calendar(pack, "ru"))
    assert sorted(kk) == sorted(ru)
    assert {k: v.decoded("dtstart") for k, v in kk.items()} == {k: v.decoded("dtstart") for k, v in ru.items()}
    assert "Түсіндіру және оқыту іс-шарасы № 1" in str(kk["training-01"]["summary"])
    assert "Разъяснительное и обучающее мероприятие № 1" in str(ru["training-01"]["summary"])
    assert "тоқсан" in str(kk["quarterly-1"]["summary"]) and "квартал" in str(ru["quarterly-1"]["summary"])
    assert "жұмыскер" in str(kk["acknowledgement"]["summary"]).lower() and "қызметкер" not in str(kk["acknowledgement"]
                                                                                          ["description"])
    assert "Ознакомление" not in str(kk["acknowledgement"]["summary"])
    # the training topics of the pack's schedule
    topics = [e["topic"] for e in render_pack(pack.profile, only=["order"]).contexts["ru"]["events"]]
    assert topics[0] in str(ru["training-01"]["summary"])


def test_the_manifest_lists_the_calendars(packs):
    pack = packs["astana_monitoring_centre"]
    entries = [f for f in pack.manifest["files"] if f["document"] == CALENDAR_DOCUMENT]
    assert [(f["path"], f["lang"]) for f in entries] == [("kk/calendar.ics", "kk"), ("ru/calendar.ics", "ru")]
    for f in entries:
        assert hashlib.sha256((pack.root / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    assert CALENDAR_DOCUMENT not in pack.manifest["documents"]


def test_the_calendar_is_the_same_bytes_on_a_rebuild(packs):
    pack = packs["astana_monitoring_centre"]
    again = render_pack(pack.profile, only=["order"])
    for lang in ("kk", "ru"):
        assert again.calendars[lang] == pack.file(lang, CALENDAR_FILE).read_bytes()
    code = ("import sys; from packbuilder.inputs.profile_file import load_profile; "
            "from packbuilder.pack.build import render_pack; "
            f"p = render_pack(load_profile({str(SAMPLES / 'astana_monitoring_centre.yaml')!r}), only=['order']); "
            "sys.stdout.buffer.write(p.calendars['kk'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=300,
                         env={"PYTHONHASHSEED": "random", "PATH": "", "PYTHONPATH": str(ROOT)}, check=True).stdout
    assert out == pack.file("kk", CALENDAR_FILE).read_bytes()


def test_a_one_language_build_writes_its_calendar_only(tmp_path):
    profile = load_profile(SAMPLES / "shal_akyn_hospital.yaml")
    res = build_pack(profile, tmp_path, only=["order"], languages=["ru"])
    assert "ru/calendar.ics" in res.files and "kk/calendar.ics" not in res.files
    assert not (res.root / "kk").exists()


def test_update_regenerates_the_calendar_and_does_not_carry_an_edited_one(tmp_path):
    data = yaml.safe_load((SAMPLES / "astana_monitoring_centre.yaml").read_text(encoding="utf-8"))
    old_profile = validate_profile(data, SAMPLES)
    old = build_pack(old_profile, tmp_path / "old", only=["order"], languages=["ru"]).root
    edited = old / "ru" / CALENDAR_FILE
    edited.write_bytes(edited.read_bytes().replace(b"END:VCALENDAR", b"X-EDITED:1\r\nEND:VCALENDAR"))
    data["year"] = 2027
    data["approval"] = {"number": "02-02-17/3-1", "date": "2027-01-14"}
    new_profile = validate_profile(data, SAMPLES)
    result = update_pack(new_profile, old, tmp_path / "new")
    new = (result.pack.root / "ru" / CALENDAR_FILE).read_bytes()
    assert b"X-EDITED" not in new
    assert new == render_pack(new_profile, only=["order"], languages=["ru"]).calendars["ru"]
    assert all(not e.path.endswith(".ics") for e in result.edits)
    assert not any(rel.endswith(".ics") for rel in result.diffs)
    events = _events(icalendar.Calendar.from_ical(new))
    assert events["acknowledgement"].decoded("dtstart") == cal.acknowledgement_deadline(dt.date(2027, 1, 14))


def test_events_made_once_serve_every_organization_with_its_own_uids():
    """The events are made by icalendar once per process and reused with the organization's
    BIN in their UIDs: the bytes are those icalendar makes for the organization afresh."""
    from packbuilder.write import calendar_ics as ics
    astana = load_profile(SAMPLES / "astana_monitoring_centre.yaml")
    render_pack(astana)  # the events made and kept for the shape of a 12-digit BIN
    other = "990340099519"
    reused = ics.calendar_ics(_items(astana), "ru", other, astana.year, astana.approval.date, "Х")
    ics._event_shape.cache_clear()
    fresh = ics.calendar_ics(_items(astana), "ru", other, astana.year, astana.approval.date, "Х")
    assert reused == fresh
    uids = [str(ev["uid"]) for ev in icalendar.Calendar.from_ical(fresh).walk("VEVENT")]
    assert len(uids) == 27 and all(u.startswith(f"{other}-{astana.year}-") for u in uids)
    assert b"150740099876" not in fresh


def _items(profile):
    from packbuilder.model.pack_calendar import pack_calendar
    return pack_calendar(profile.year, profile.approval.date, None, len(profile.employees))
