"""The per-language context of a pack: what a template sees (templates/README.md lists it).

``pack_context(profile, lang, topics)`` is computed once per language; ``document_context``
adds the document being rendered. Values are plain Python data (str, int, date, lists and
dicts), never markup.
"""

from __future__ import annotations

from typing import Any

from packbuilder.model import legal_calendar as cal
from packbuilder.model import risk_map as rm
from packbuilder.model.acts import acts_for
from packbuilder.model.catalogue import BY_ID, CATALOGUE, Document
from packbuilder.model.legal_forms import LEGAL_FORMS
from packbuilder.model.profile import Profile
from packbuilder.model.staff import department_heads, employee_marks
from packbuilder.model.training import EVENT_THEMES, training_context
from packbuilder.render.language import (
    case_forms,
    female,
    initials,
    initials_dat,
    kk_possessive,
    ru_about,
    ru_its,
    ru_place_preposition,
)

GOVERNING_BODY_NAMES = {
    "board_of_directors": {"kk": "Директорлар кеңесі", "ru": "Совет директоров"},
    "supervisory_board": {"kk": "Байқау кеңесі", "ru": "Наблюдательный совет"},
}
EVENT_PLACE = {"kk": "{short_gen} мәжіліс залы", "ru": "актовый зал {short_gen}"}


def _with_cases(prefix: str, text: str, lang: str) -> dict[str, str]:
    out = {prefix: text}
    for case, form in case_forms(text, lang).items():
        out[f"{prefix}_{case}"] = form
    return out


def _person(p, lang: str) -> dict[str, Any]:
    """A person as the templates see them: name, initials («И.О. Фамилия»), position, the
    position in the dative and genitive, the Kazakh position after the organization's name
    (``position_poss``, «… директоры»), and the initials in the dative (the addressee of a
    form, «Кому: Директору … И.О. Иванову»); ``a`` is the Russian past-tense ending that
    agrees with them: «а» for a woman, "" for a man, «(а)» when the name does not tell
    (``ознакомлен{{ officer.a }}``), from the Russian patronymic, else the Kazakh one."""
    name = p.name[lang]
    woman = female(p.name.ru)
    if woman is None:
        woman = female(p.name.kk)
    position = p.position[lang]
    forms = case_forms(position, lang)
    return {"name": name, "initials": initials(name, lang), "position": position,
            "position_dat": forms["dat"], "position_gen": forms["gen"],
            "position_poss": kk_possessive(position) if lang == "kk" else position,
            "initials_dat": initials_dat(name, lang, woman),
            "a": "(а)" if woman is None else "а" if woman else ""}


def pack_context(profile: Profile, lang: str, topics: list[str],
                 previous: Profile | None = None) -> dict[str, Any]:
    """The variables common to every document of ``profile`` in ``lang`` ("kk" or "ru").

    ``topics`` are the 12 training topics of the language (templates/<lang>/_training.md).
    ``previous`` is the profile of the pack this one follows (``packbuilder update``): the
    employees who joined or became equated since are marked
    (:func:`packbuilder.model.staff.employee_marks`).
    Raises ValueError unless there are exactly 12 topics.
    """
    if len(topics) != 12:
        raise ValueError(f"expected 12 training topics, got {len(topics)}")
    org = organization_context(profile, lang)
    officer = _person(profile.compliance_officer, lang)
    officer.update(phone=profile.compliance_officer.phone or "", email=profile.compliance_officer.email or "")
    employees = [
        {"n": i, "name": e.name[lang], "position": e.position[lang],
         "department": e.department[lang] if e.department else "", "equated": e.equated, "hired": e.hired,
         "joined": mark.joined, "newly_equated": mark.newly_equated, "deadline": mark.deadline}
        for i, (e, mark) in enumerate(zip(profile.employees, employee_marks(profile, previous)), start=1)
    ]
    return {
        "lang": lang,
        "year": profile.year,
        "org": org,
        "head": _person(profile.head, lang),
        "officer": officer,
        "approval": {"number": profile.approval.number, "date": profile.approval.date},
        "previous": ({"year": previous.year, "approval": {"number": previous.approval.number,
                                                          "date": previous.approval.date}}
                     if previous is not None else None),
        "departments": [d[lang] for d in profile.departments],
        "department_heads": [{"department": d[lang], "name": h.name[lang] if h else "",
                              "position": h.position[lang] if h else ""}
                             for d, h in zip(profile.departments, department_heads(profile))],
        "employees": employees,
        "equated": [dict(e, n=i) for i, e in enumerate((e for e in employees if e["equated"]), start=1)],
        "equated_positions": [_position(p, i, lang) for i, p in enumerate(rm.equated_positions(profile), start=1)],
        "risk_map": risk_map_context(profile, lang, officer),
        "annexes": [{"annex": d.annex, "id": d.id, "title": d.order_title(lang, profile.year),
                     "form": d.approval == "form"}
                    for d in CATALOGUE if d.annex is not None],
        "files": document_files(),
        "events": _events(profile, lang, topics, org, officer),
        "deadlines": {"quarterly": cal.quarterly_deadlines(profile.year),
                      "yearly_report": cal.yearly_report_deadline(profile.year),
                      "acquaintance_days": cal.ACQUAINTANCE_DAYS,
                      "acquaintance": cal.acknowledgement_deadline(profile.approval.date),
                      "iso_training": cal.iso_training_deadline(profile.year),
                      "next_plan": cal.next_plan_deadline(profile.year)},
        "iso_training": {"percent": cal.ISO_TRAINING_PERCENT,
                         "count": cal.iso_training_count(len(profile.employees))},
        "quarters": cal.quarters(profile.year),
        "risk_analysis": cal.risk_analysis_schedule(profile.year),
        "acts": acts_for(lang, profile.year),
        "training": training_context(),
    }


def _position(p: rm.Position, n: int, lang: str) -> dict[str, Any]:
    """A row of a list of positions (:class:`packbuilder.model.risk_map.Position`) in ``lang``."""
    return {"n": n, "position": p.position[lang], "department": p.department[lang] if p.department else "",
            "head": p.head, "equated": p.equated, "unit_head": p.unit_head, "kinds": list(p.kinds),
            "risks": list(p.risks)}


def risk_map_context(profile: Profile, lang: str, officer: dict[str, Any]) -> dict[str, Any]:
    """``risk_map``: the register of typical corruption risks ranked by score (``risks``: n,
    key, direction, likelihood, impact, score, level, department "" when no department of the
    profile answers for it, owner "" when the template names a generic one), the 5 × 5
    ``cartogram`` (rows of likelihood 5…1, each with ``cells``: for impact 1…5 the numbers of
    the risks placed there), the ``bands`` of levels and the ``positions`` exposed to risks
    (packbuilder/model/risk_map.py)."""
    risks = rm.ranked()
    depts = rm.risk_departments(profile, risks)
    heads = department_heads(profile)
    rows = []
    for n, (r, d) in enumerate(zip(risks, depts), start=1):
        owner = ""
        if r.owner == "officer":
            owner = f"{officer['position']} {officer['initials']}"
        elif d is not None and heads[d] is not None:
            h = heads[d]
            owner = f"{h.position[lang]} {initials(h.name[lang], lang)}"
        rows.append({"n": n, "key": r.key, "direction": r.direction, "likelihood": r.likelihood,
                     "impact": r.impact, "score": r.score, "level": rm.level(r.score),
                     "department": profile.departments[d][lang] if d is not None else "", "owner": owner})
    return {
        "risks": rows,
        "cartogram": [{"likelihood": 5 - i, "cells": cells} for i, cells in enumerate(rm.cartogram(risks))],
        "bands": [{"level": name, "low": low, "high": high} for name, low, high in rm.BANDS],
        "positions": [_position(p, i, lang) for i, p in enumerate(rm.exposed_positions(profile, risks), start=1)],
    }


def document_files() -> dict[str, list[str]]:
    """``files``: each catalogue id → the document's files in a language folder of the pack
    (``files.policy`` → ["03-policy.docx"], ``files.action_plan`` → ["06-action_plan.docx",
    "06-action_plan.xlsx"]), as :meth:`packbuilder.model.catalogue.Document.files` names
    them; the proof checklist names the file to upload by it."""
    return {doc_id: BY_ID[doc_id].files() for doc_id in BY_ID}


def organization_context(profile: Profile, lang: str) -> dict[str, Any]:
    """``org``: the organization in ``lang``: its name and short name with their case forms
    (``name_gen`` …); in Russian with their prepositions, ``short_in`` «на Предприятии» /
    «в Обществе», ``short_into`` «на Предприятие», ``short_about`` «об Обществе», ``name_in``,
    ``name_into``, and ``short_its`` «его» / «ее» agreeing with the short name (in Kazakh the
    locative, dative and «… туралы» forms, which need no preposition, and ""); the governing
    body's name ("" when there is none), legal form, BIN, city, address, parent body, website
    and hotline ("" for what the profile leaves out)."""
    o = profile.organization
    form = LEGAL_FORMS[o.legal_form]
    org: dict[str, Any] = {}
    org.update(_with_cases("name", o.name[lang], lang))
    org.update(_with_cases("short", o.short_name[lang], lang))
    if lang == "ru":
        # the preposition is a property of the name's noun: на Предприятии, в Обществе
        short_prep, name_prep = ru_place_preposition(o.short_name.ru), ru_place_preposition(o.name.ru)
        org.update(short_in=f"{short_prep} {org['short_loc']}", short_into=f"{short_prep} {org['short_acc']}",
                   short_about=f"{ru_about(org['short_loc'])} {org['short_loc']}",
                   name_in=f"{name_prep} {org['name_loc']}", name_into=f"{name_prep} {org['name_acc']}",
                   short_its=ru_its(o.short_name.ru))
    else:
        org.update(short_in=org["short_loc"], short_into=org["short_dat"],
                   short_about=f"{org['short']} туралы", name_in=org["name_loc"],
                   name_into=org["name_dat"], short_its="")
    gb = GOVERNING_BODY_NAMES.get(o.governing_body, {}).get(lang, "")
    if gb:
        org.update(_with_cases("governing_body_name", gb, lang))
    else:
        org.update({k: "" for k in _with_cases("governing_body_name", "x", lang)})
    org.update({
        "legal_form": form.kk if lang == "kk" else form.ru,
        "legal_form_full": form.kk_full if lang == "kk" else form.ru_full,
        "bin": o.bin,
        "city": o.city[lang],
        "address": o.address[lang] if o.address else "",
        "parent_body": o.parent_body[lang],
        "governing_body": o.governing_body,
        "website": o.website or "",
        "hotline": {"phone": (o.hotline.phone if o.hotline else None) or "",
                    "email": (o.hotline.email if o.hotline else None) or ""},
    })
    return org


def _events(profile: Profile, lang: str, topics: list[str], org: dict, officer: dict) -> list[dict[str, Any]]:
    """The 12 monthly training events: number, month, date, time, place, topic, speaker, and
    ``themes``, the sorted theme keys of :data:`packbuilder.model.training.EVENT_THEMES` (the
    committed frequencies the event carries: «whistleblower», «coi_gifts», «procurement» …)."""
    place = EVENT_PLACE[lang].format(short_gen=org["short_gen"])
    return [
        {"n": i, "month": d.month, "date": d, "time": cal.EVENT_TIME, "place": place,
         "topic": topics[i - 1], "speaker": officer["name"], "speaker_position": officer["position"],
         "speaker_initials": officer["initials"], "speaker_a": officer["a"],
         "themes": sorted(EVENT_THEMES[i - 1])}
        for i, d in enumerate(cal.event_dates(profile.year, profile.approval.date), start=1)
    ]


def document_context(base: dict[str, Any], doc: Document, lang: str, **extra: Any) -> dict[str, Any]:
    """``base`` plus ``doc`` (id, number «03», annex, title, approved) and ``extra``
    (e.g. ``event`` for a protocol)."""
    ctx = dict(base)
    ctx["doc"] = {"id": doc.id, "number": f"{doc.number:02d}", "annex": doc.annex,
                  "title": doc.title(lang, base["year"]), "approved": doc.approved(lang),
                  "approval": doc.approval}
    ctx.update(extra)
    return ctx
