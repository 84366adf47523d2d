"""``packbuilder templates export DIR``: the built-in templates copied out as a starting point
for overrides, with a guide (``DIR/README.md``) to overriding them and to the variables.

The variables part of the guide is generated from the context packbuilder actually builds
for the example profile (``example_profile.yaml``, validated by the profile model), so it
lists exactly what templates see, with example values in both languages; only the one-line
descriptions of :data:`DESCRIPTIONS` are written by hand, and a test keeps them complete.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from packbuilder.authoring.check import (
    SHARED,
    document_templates,
    example_context,
    example_item,
)
from packbuilder.errors import InputError, Problem
from packbuilder.i18n import _
from packbuilder.model.catalogue import CATALOGUE
from packbuilder.model.profile import LANGUAGES
from packbuilder.render.language import CASES
from packbuilder.render.templates import BUILTIN_DIR, template_set

SAME_AS = {"equated": "employees[]", "event": "events[]", "quarter": "quarters[]"}
"""Variables whose items have the fields of another list."""

DESCRIPTIONS: dict[str, str] = {
    "lang": "`kk` or `ru`",
    "year": "plan year",
    "org.name": "full official name, as in the charter (profile `organization.name`)",
    "org.name_*": "its case forms (kk: genitive «…-ның», dative, accusative, locative, ablative, instrumental; "
                  "ru: the same text, the legal form leads)",
    "org.short": "short name used after first mention (`organization.short_name`)",
    "org.short_in": "ru: with the preposition of place its noun takes, «на Предприятии» / «в Обществе»; "
                    "kk: the locative",
    "org.short_into": "ru: «на Предприятие» / «в Общество»; kk: the dative",
    "org.short_about": "ru: «об Обществе» / «о Предприятии»; kk: «… туралы»",
    "org.short_its": "ru: «его» / «ее» agreeing with the short name («Общество … и его», «Больница … и ее»); kk: \"\"",
    "org.name_in": "the full name with its preposition of place, as `org.short_in`",
    "org.name_into": "the full name with its preposition of direction, as `org.short_into`",
    "org.short_*": "its case forms; ru also with the preposition of place the name's noun takes: `short_in` "
                   "«на Предприятии» / «в Обществе», `short_into` «на Предприятие», `short_about` «об Обществе» "
                   "(kk: locative, dative, «… туралы»)",
    "org.governing_body_name": "Директорлар кеңесі / Совет директоров, Байқау кеңесі / Наблюдательный совет; "
                               "\"\" when none",
    "org.governing_body_name_*": "its case forms",
    "org.legal_form": "abbreviation of the legal form (`organization.legal_form`)",
    "org.legal_form_full": "the legal form in full",
    "org.bin": "BIN, 12 digits",
    "org.city": "city",
    "org.address": "address; \"\" when the profile has none",
    "org.parent_body": "owner / authorized body that receives the quarterly information",
    "org.governing_body": "`board_of_directors`, `supervisory_board` or `none`",
    "org.website": "website; \"\" when none",
    "org.hotline.phone": "hotline phone; \"\" when none",
    "org.hotline.email": "hotline e-mail; \"\" when none",
    "head.name": "first head's full name (`head`)",
    "head.initials": "«А.Б. Фамилия»",
    "head.position": "position (mid-sentence write `{{ head.position | lc }}`: lower-case first letter)",
    "head.position_*": "the position's case forms: `position_dat` the addressee of a form «Директору» / "
                          "«директорына», `position_gen` the genitive",
    "head.initials_*": "«А.Б. Фамилия» in a case: `initials_dat` «А.Б. Иванову» / «А.Б. Ивановқа»",
    "head.position_poss": "kk: the position after the organization's name, «… директоры»; ru: the position",
    "head.a": "Russian past-tense ending agreeing with the head: «а» (a woman), \"\" (a man), «(а)» when the "
              "name has no patronymic: `подписал{{ head.a }}`",
    "officer.name": "compliance officer's full name (`compliance_officer`)",
    "officer.initials": "«А.Б. Фамилия»",
    "officer.position": "position (mid-sentence write `{{ officer.position | lc }}`: lower-case first letter)",
    "officer.position_*": "the position's case forms: `position_dat` the addressee of a form «Директору» / "
                          "«директорына», `position_gen` the genitive",
    "officer.initials_*": "«А.Б. Фамилия» in a case: `initials_dat` «А.Б. Иванову» / «А.Б. Ивановқа»",
    "officer.position_poss": "kk: the position after the organization's name, «… директоры»; ru: the position",
    "officer.a": "Russian past-tense ending agreeing with the officer, as `head.a`: `ознакомлен{{ officer.a }}`",
    "officer.phone": "phone; \"\" when none",
    "officer.email": "e-mail; \"\" when none",
    "approval.number": "number of the order approving the pack",
    "approval.date": "its date",
    "previous.year": "update only (`previous` is none in a first pack): the plan year of the pack it follows",
    "previous.approval.number": "its order's number",
    "previous.approval.date": "its order's date",
    "departments": "list of the departments' names",
    "department_heads[].department": "a department's name, in the order of `departments`",
    "department_heads[].name": "its head from the staff list (position Руководитель…, Начальник…, Заведующий…, "
                               "Главный бухгалтер); \"\" when the staff list shows none",
    "department_heads[].position": "the head's position; \"\" when unknown",
    "employees[].n": "number in the list, from 1",
    "employees[].name": "full name",
    "employees[].position": "position",
    "employees[].department": "department; \"\" when none",
    "employees[].equated": "equated to persons authorized to perform state functions (yes/no)",
    "employees[].hired": "hiring date, or none",
    "employees[].joined": "update: not in last year's pack",
    "employees[].newly_equated": "update: equated and not in last year's restrictions journal",
    "employees[].deadline": "update: last day to acknowledge / sign (3 days after the later of hiring "
                            "and the order); none otherwise",
    "equated": "the employees with `equated` true, numbered `n` from 1; fields as `employees`",
    "equated_positions[].n": "the distinct positions of the equated employees (one per position and department), "
                             "the head's first when not in the staff list: number from 1",
    "equated_positions[].position": "position",
    "equated_positions[].department": "department; \"\" when none",
    "equated_positions[].head": "the first head's position (yes/no)",
    "equated_positions[].equated": "equated (yes/no)",
    "equated_positions[].unit_head": "heads a department (yes/no)",
    "equated_positions[].kinds": "functions its title names: `procurement`, `finance`, `hr`",
    "equated_positions[].risks": "numbers of the risk map's register it relates to (in `risk_map.positions`)",
    "risk_map.risks[].n": "risk map (packbuilder/model/risk_map.py): register number, ranked by score",
    "risk_map.risks[].key": "the risk's key (its texts in risk_map.md)",
    "risk_map.risks[].direction": "direction of activity: procurement, hr, finance, property, contracts, services, "
                                  "permits, control, information, coi, gifts, sponsorship",
    "risk_map.risks[].likelihood": "likelihood, 1–5",
    "risk_map.risks[].impact": "impact, 1–5",
    "risk_map.risks[].score": "likelihood × impact",
    "risk_map.risks[].level": "`low` 1–4, `medium` 5–9, `high` 10–16, `critical` 20–25",
    "risk_map.risks[].department": "the profile's department answering for it; \"\" when none matches",
    "risk_map.risks[].owner": "owner: the department's head or the officer (position and initials); \"\" when unknown",
    "risk_map.cartogram[].likelihood": "a row of the 5 × 5 cartogram: likelihood 5…1",
    "risk_map.cartogram[].cells": "for impact 1…5 the numbers of the risks placed there",
    "risk_map.bands[].level": "a risk level: low, medium, high, critical",
    "risk_map.bands[].low": "its lowest score",
    "risk_map.bands[].high": "its highest score",
    "risk_map.positions[].n": "the positions exposed to corruption risks (fields as `equated_positions`)",
    "risk_map.positions[].position": "position",
    "risk_map.positions[].department": "department; \"\" when none",
    "risk_map.positions[].head": "the first head's position (yes/no)",
    "risk_map.positions[].equated": "held by an equated employee (yes/no)",
    "risk_map.positions[].unit_head": "heads a department (yes/no)",
    "risk_map.positions[].kinds": "functions its title names: `procurement`, `finance`, `hr`",
    "risk_map.positions[].risks": "numbers of the register's risks it relates to",
    "annexes[].annex": "annex number in the order",
    "annexes[].id": "document id (`packbuilder list`)",
    "annexes[].title": "how the order names it (a form: «Формы …» / «… нысандары»)",
    "annexes[].form": "a form the order approves, filled in later (yes/no)",
    "events[].n": "number of the training event, 1–12",
    "events[].month": "month, 1–12",
    "events[].date": "date",
    "events[].time": "time, «15:00»",
    "events[].place": "place",
    "events[].topic": "topic (`_training.md`)",
    "events[].speaker": "speaker's name (the compliance officer)",
    "events[].speaker_position": "speaker's position",
    "events[].speaker_initials": "speaker's name as «А.Б. Фамилия»",
    "events[].speaker_a": "Russian past-tense ending agreeing with the speaker, as `officer.a`",
    "events[].themes": "the event's themes, sorted keys («whistleblower», «coi_gifts», «procurement», "
                       "«testing», «declarations», «law» …; packbuilder/model/training.py): "
                       "`{% if 'testing' in event.themes %}`",
    "event": "in a protocol (`training_protocol`): the event it records; fields as `events`",
    "deadlines.quarterly": "the 4 dates of quarterly information (1st day of the month after each quarter)",
    "deadlines.yearly_report": "the yearly report's date, 5 December",
    "deadlines.acquaintance_days": "days (calendar days) to acquaint employees with the documents (3)",
    "deadlines.acquaintance": "the last day to acquaint them: 3 calendar days after the order, the working day "
                              "before when that is a day off",
    "deadlines.iso_training": "ISO 37001 / ҚР СТ 3049-2017 training of 20 % of employees done by, 30 November",
    "deadlines.next_plan": "draft internal action plan of the next year by, 25 December",
    "iso_training.percent": "share of employees to train in ISO 37001 / ҚР СТ 3049-2017 (20)",
    "iso_training.count": "how many employees that is: 20 % of `employees` rounded up",
    "files.*": "a document's files in a language folder of the pack, by catalogue id: `files.policy` → "
               "[«03-policy.docx»]",
    "quarters[].n": "quarter, 1–4",
    "quarters[].roman": "I–IV",
    "quarters[].start": "first day",
    "quarters[].end": "last day",
    "quarters[].deadline": "day its information is due",
    "quarter": "in a quarterly information (`compliance_quarterly`): its quarter; fields as `quarters`",
    "risk_analysis.start": "internal analysis of corruption risks: order and working group",
    "risk_analysis.documents_by": "documents collected by",
    "risk_analysis.analysis_by": "directions studied by",
    "risk_analysis.note_by": "analytical note signed by",
    "risk_analysis.plan_by": "elimination plan approved by",
    "risk_analysis.upload_by": "both uploaded by",
    "risk_analysis.period_start": "period analysed: from",
    "risk_analysis.period_end": "period analysed: to",
    "risk_analysis.upload_days": "working days to upload after the note (10)",
    "training.pass_percent": "pass mark of a knowledge test, per cent (60: standard, order № 230, pp. 30–31)",
    "training.sheet_questions": "questions on a test sheet (20)",
    "training.min_correct": "correct answers needed to pass a test sheet (12)",
    "training.minutes": "minutes allowed for a test sheet (20)",
    "acts.*.ref": "a legal act's full reference (title, date, number)",
    "acts.*.title": "its title",
    "acts.*.short": "its short name",
    "acts.*.date": "its date (none for the standards)",
    "acts.*.number": "its number (none for the standards)",
    "acts.*.in_force": "in force in the plan year (the Concept 2022–2026 is not after 2026): cite an act with an "
                       "end only under `{% if acts.concept.in_force %}`",
    "acts.*.valid_until": "its last day in force, or none",
    "doc.id": "this document's id",
    "doc.number": "its file number, «03»",
    "doc.annex": "its annex number in the order (none for the order and for a document approved on its own date)",
    "doc.approval": "how it comes into force: `annex` (approved by the order), `form` (a form the order approves), "
                    "`own` (approved or signed on its own date: the internal analysis of corruption risks)",
    "doc.title": "its title",
    "doc.approved": "БЕКІТІЛДІ / УТВЕРЖДЕН(А/О/Ы); Нысан / Форма for a form",
    "m": "(.md only) macros of `_macros.md`: `m.approval()` the approval block, `m.annex_header(n, of_what)`, "
         "`m.signature(left, right)`",
    "revisions": "(`_change_sheet.md`) one per edition: version, year, order_number, order_date, officer, kind "
                 "(first/unchanged/changed), changed, added, removed, other",
    "change_sheet": "(`_change_sheet.md`) `title` and `sheet`: the heading and the xlsx sheet name",
    "report": "(`_changes.md`) the change report of an update: old, new, profile, templates, files, "
              "new_documents, removed_documents, removed_files, replacements, details",
}


def _example(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y} (date)"
    if isinstance(value, list):
        return "[" + ", ".join(_example(v) for v in value[:2]) + (", …]" if len(value) > 2 else "]")
    text = str(value).replace("|", "\\|")
    return text if len(text) <= 60 else text[:59] + "…"


def _rows(value: Any, path: str, out: dict[str, Any]) -> None:
    if path in SAME_AS or path in ("m", "revisions", "change_sheet", "report"):
        out[path] = None
        return
    if isinstance(value, dict) and value:
        for k, v in value.items():
            _rows(v, f"{path}.{k}" if path else k, out)
    elif isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
        _rows(example_item(value), path + "[]", out)
    elif path.startswith("previous") and value is None:
        out[path] = None
    elif path:
        out[path] = value


def _key(path: str) -> str:
    """The :data:`DESCRIPTIONS` key of ``path``: acts folded to ``acts.*.field``, case
    forms to ``…_*``."""
    parts = path.split(".")
    if parts[0] == "acts" and len(parts) == 3:
        return f"acts.*.{parts[2]}"
    if parts[0] == "files" and len(parts) == 2:
        return "files.*"
    for case in CASES:
        if path.endswith(f"_{case}"):
            return path[: -len(case)] + "*"
    return path


def variables() -> list[tuple[str, str, str, str]]:
    """The variables templates see, as rows (name, kk example, ru example, description),
    from the example profile's context of every template; acts and case forms folded into
    one row each."""
    rows: dict[str, dict[str, Any]] = {lang: {} for lang in LANGUAGES}
    names = list(document_templates()) + list(SHARED)
    for lang in LANGUAGES:
        for name in names:
            ctx = example_context(name, lang)
            if name not in ("_training", "_macros"):
                ctx["m"] = None
            _rows(ctx, "", rows[lang])
    out, seen = [], set()
    for path in rows["ru"]:
        key = _key(path)
        if key in seen:
            continue
        seen.add(key)
        shown = (key.replace("acts.*", "acts.<act>") if key.startswith("acts.*")
                 else "files.<id>" if key == "files.*" else key)
        out.append((shown, _example(rows["kk"].get(path)), _example(rows["ru"].get(path)),
                    DESCRIPTIONS.get(key, "")))
    return out


def guide_markdown() -> str:
    """The guide written to ``DIR/README.md`` by :func:`export_templates`."""
    ts = template_set("kk")
    acts = sorted(example_context("policy", "kk")["acts"])
    files = []
    for doc in CATALOGUE:
        title = f"{doc.number:02d} {doc.title('ru', 2026).replace('2026', '{year}')}"
        forms = "+".join(doc.forms)
        if not doc.parts:
            files.append(f"| `{doc.id}` | {title} | {doc.stem}.{forms} |")
        for part in doc.parts:
            stem = part.name.replace("{n:02d}", "NN").replace("{n}", "N")
            each = f" (one per {part.repeat[:-1]})" if part.repeat else ""
            files.append(f"| `{part.template}` | {title} | {doc.stem}/{stem}.{forms}{each} |")
    lines = [
        "# Your packbuilder templates",
        "",
        f"The built-in templates of packbuilder (template version {ts.version}), copied out by "
        "`packbuilder templates export`. A build uses them with `--templates` and this folder:",
        "",
        "    packbuilder templates check THIS_FOLDER",
        "    packbuilder build PROFILE -o OUT --templates THIS_FOLDER",
        "",
        "(`update` and `batch` take `--templates` too.)",
        "",
        "## Overriding",
        "- A file overrides the built-in template of the same name and language: `kk/policy.md` "
        "replaces the Kazakh policy, `ru/policy.docx` the Russian one. **Delete every file you do "
        "not change**: packbuilder's own updates of a template (a new law) reach only the documents "
        "you have not overridden.",
        "- Change the Kazakh and the Russian version together: they must say the same things point for "
        "point, and `templates check` reports a variable used in one and not in the other.",
        "- `.md` files are Markdown with Jinja tags, laid out as an official document: `# Title`, "
        "`## Chapter`, `5. point`, pipe tables, `::: pagebreak`, `{{ m.approval() }}` … (`LAYOUT.md` "
        "here, packbuilder's guide to writing templates, has the whole layout syntax).",
        "- A `.docx` is a document written in Word with the same tags, rendered with docxtpl:",
        "  - write a value as `{{ org.name }}`, a date as `{{ approval.date | long }}`;",
        "  - type each tag in one go, with straight quotes `\"` (turn off Word's «smart quotes»): a tag split "
        "into differently formatted pieces, or with «» inside, is reported by `templates check`;",
        "  - to repeat a table row per employee, give the loop rows of their own: a row with "
        "`{%tr for e in employees %}`, the row with `{{ e.n }}`, `{{ e.name }}` …, a row with "
        "`{%tr endfor %}`;",
        "  - write the approval block yourself (`{{ doc.approved }}`, `{{ approval.number }}`); "
        "packbuilder adds the change sheet at the end;",
        "  - the `.xlsx` of a document (plan, journals) is still written from its `.md` template.",
        "- The shared files `_macros.md`, `_training.md` (the 12 training topics), `_change_sheet.md` "
        "and `_changes.md` (the report of `update`) can be overridden only as `.md`.",
        "- Templates run in a sandbox: no Python internals, files or environment; an undefined "
        "variable is an error, never an empty gap.",
        "",
        "| template | document | file in the pack |",
        "| --- | --- | --- |",
        *files,
        "",
        "## Filters and functions",
        "`d | dmy` 15.01.2026 · `d | long` «2026 жылғы 15 қаңтар» / «15 января 2026 года» · `d | attr` "
        "«2026 жылғы «15» қаңтардағы» / «\"15\" января 2026 года» · `m | month` қаңтар / январь · "
        "`m | month_loc` қаңтарда / в январе · `date(month, day)` a date of the plan year · "
        "`workdays_after(d, n)` the n-th working day of Kazakhstan after d · `blank(n)` n underscores "
        "(≤ 200) · `br()` a line break.",
        "",
        "## Variables",
        "Generated from the context packbuilder builds; the examples are those of an invented "
        "organization. Texts are already in the template's language.",
        "",
        f"Acts (`acts.<act>`): {', '.join(acts)}.",
        "",
        "| variable | example (kk) | example (ru) | what |",
        "| --- | --- | --- | --- |",
    ]
    for name, kk, ru, what in variables():
        lines.append(f"| `{name}` | {kk} | {ru} | {what} |")
    return "\n".join(lines) + "\n"


def export_templates(dest: Path, force: bool = False) -> list[Path]:
    """Copy the built-in templates into ``dest/kk`` and ``dest/ru``, write the guide
    ``dest/README.md`` and copy packbuilder's guide to writing templates (templates/README.md)
    as ``dest/LAYOUT.md``; returns the files written. Raises InputError when ``dest`` holds
    files already and ``force`` is False (nothing is written then)."""
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise InputError(Problem(str(dest), _("is a file; give a folder to export the templates into")))
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise InputError(Problem(str(dest), _("is not empty; use --force to overwrite the templates in it")))
    guide = guide_markdown()
    written = []
    for lang in LANGUAGES:
        (dest / lang).mkdir(parents=True, exist_ok=True)
        for f in sorted((BUILTIN_DIR / lang).glob("*.md")):
            shutil.copyfile(f, dest / lang / f.name)
            written.append(dest / lang / f.name)
    (dest / "README.md").write_text(guide, encoding="utf-8")
    shutil.copyfile(BUILTIN_DIR / "README.md", dest / "LAYOUT.md")
    written += [dest / "README.md", dest / "LAYOUT.md"]
    return written
