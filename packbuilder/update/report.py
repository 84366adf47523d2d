"""The change report of ``packbuilder update``: what changed from the old pack to the new
one, in Kazakh and Russian, as a Word document and as an HTML page.

Both are rendered from the same Markdown template (``templates/<lang>/_changes.md``): the
docx through the pack's layout (render.layout + write.docx), the HTML from the same parse.
Values are data in both, never markup: the Markdown holds tokens, replaced after
parsing by the literal values (HTML-escaped for the page).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from packbuilder import __version__
from packbuilder.errors import InputError, Problem
from packbuilder.model.catalogue import CATALOGUE
from packbuilder.model.profile import Employee, Profile
from packbuilder.model.staff import acknowledgement_deadline
from packbuilder.pack.manifest import Manifest
from packbuilder.render.layout import Block, TemplateLayoutError, parse_with_html
from packbuilder.render.templates import TemplateSet
from packbuilder.update.carry import CARRIED, NOT_CARRIED, FileEdits
from packbuilder.update.changes import ProfileChanges
from packbuilder.update.diff import TextDiff, replacements, word_diff
from packbuilder.update.merge import Conflict

REPORT_DIR = "changes"
"""The report's folder in the new pack: ``changes/kk.docx``, ``kk.html``, ``ru.docx``, ``ru.html``."""
REPORT_TEMPLATE = "_changes"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class TemplateChange:
    """A template file that differs between the old and the new pack: ``lang``, ``file``
    (``policy.md``) and ``change``: ``edited``, ``added`` or ``removed``."""

    lang: str
    file: str
    change: str


def template_changes(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[TemplateChange]:
    """Compare the manifests' ``templates`` (language → file name → sha256). Languages
    only one pack has are left out (their documents are new or gone as a whole)."""
    out = []
    for lang in sorted(set(old) & set(new)):
        a, b = old[lang], new[lang]
        for name in sorted(set(a) | set(b)):
            if name not in a:
                out.append(TemplateChange(lang, name, "added"))
            elif name not in b:
                out.append(TemplateChange(lang, name, "removed"))
            elif a[name] != b[name]:
                out.append(TemplateChange(lang, name, "edited"))
    return out


def _value(value: Any, lang: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return str(value.get(lang, ""))
    if isinstance(value, str) and _DATE.match(value):
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _person(e: Employee, lang: str, approval: dt.date | None = None) -> dict[str, Any]:
    return {"name": e.name[lang], "position": e.position[lang],
            "department": e.department[lang] if e.department else "", "equated": e.equated,
            "hired": e.hired, "deadline": acknowledgement_deadline(e, approval) if approval else None}


def _documents_of(template_file: str) -> list:
    """The catalogue documents a template file renders ([] for a shared ``_*.md``)."""
    stem = template_file.rsplit(".", 1)[0]
    return [d for d in CATALOGUE if d.id == stem or any(p.template == stem for p in d.parts)]


SYSTEMATIC_MIN = 3
"""A word replacement found in this many changed paragraphs of the pack (the plan year, the
head's name, the order's date) is listed once in the report, not in every paragraph."""
CONTEXT_WORDS = 8
"""Unchanged words kept on each side of a change in a changed paragraph of the report."""


def _elide(segments: list[tuple[str, bool]], keep: int = CONTEXT_WORDS) -> list[dict[str, Any]]:
    """The segments of :func:`history.word_diff` for the report: unchanged stretches longer
    than ``keep`` words on a side of a change are cut to those words and «…»."""
    out = []
    for i, (text, changed) in enumerate(segments):
        if not changed:
            words = text.split()
            before = i > 0              # a change precedes: keep its following words
            after = i < len(segments) - 1  # a change follows: keep the words before it
            limit = keep * (before + after)
            if len(words) > limit and limit:
                head = " ".join(words[:keep]) + " … " if before else "… "
                tail = " ".join(words[-keep:]) + " " if after else ""
                text = (head + tail) if (before and after) else (head.rstrip() if before else "… " + tail)
            elif not limit:
                text = " ".join(words)
        out.append({"text": text, "changed": changed})
    return out


def _within(part: TextDiff, whole: TextDiff) -> bool:
    """Whether every difference of ``part`` (an xlsx) is also one of ``whole`` (its docx),
    whitespace aside: the report then shows the xlsx as «as in the docx»."""
    def norm(items) -> set[str]:
        return {" ".join(str(x).replace("|", " ").split()) for x in items}
    return (norm(part.added) <= norm(whole.added) and norm(part.removed) <= norm(whole.removed)
            and norm(b for _, b in part.changed) <= norm(b for _, b in whole.changed))


def report_context(lang: str, profile: Profile, base: dict[str, Any], old: Manifest,
                   new_templates: dict[str, dict[str, str]], template_version: str, changes: ProfileChanges,
                   diffs: dict[str, TextDiff | None], documents: list[str],
                   edits: list[FileEdits] = (), redlines: list[str] = ()) -> dict[str, Any]:
    """What ``_changes.md`` sees: ``base``, the pack context of the new ``profile`` in
    ``lang`` as its documents saw it (``org``, ``approval``, ``previous`` …;
    :func:`packbuilder.render.context.pack_context`, not changed) plus ``report`` (see
    templates/README.md «The change report»).

    ``old`` is the old pack's manifest; ``new_templates`` the new pack's template digests
    (language → file → sha256) and ``template_version`` its template version; ``diffs`` the
    new pack's files (``kk/03-policy.docx``) with their comparison to the old pack's (None
    for a new file); ``documents`` the new pack's document ids; ``edits`` what became of
    the officer's changes to the old pack's files (:func:`packbuilder.update.carry.carry_edits`);
    ``redlines`` the paths of the redlines written beside the report (``changes/redline/kk/03-policy.docx``).
    """
    ctx = dict(base)
    titles = {d.id: d.title(lang, profile.year) for d in CATALOGUE}
    files, details, systematic = _file_sections(lang, diffs, titles)
    old_docs = old.documents
    ctx["report"] = {
        "old": {"year": old.profile.year, "version": old.version, "template_version": old.template_version,
                "approval": {"number": old.profile.approval.number, "date": old.profile.approval.date}},
        "new": {"version": __version__, "template_version": template_version},
        "profile": _profile_section(lang, profile, changes),
        "templates": _template_section(old.templates, new_templates, titles),
        "files": files,
        "new_documents": [titles[d] for d in documents if d not in old_docs],
        "removed_documents": [titles.get(d, d) for d in old_docs if d not in documents],
        "removed_files": _removed_files(old.file_paths(), diffs, profile.languages),
        "details": details,
        "replacements": [{"old": a, "new": b, "count": n} for (a, b), n in systematic],
        "edits": _edits_section(edits, titles, profile.languages),
        "redlines": list(redlines),
    }
    return ctx


def _edits_section(edits: list[FileEdits], titles: dict[str, str], languages: list[str]) -> dict[str, Any]:
    """``report.edits``: the officer's edits per file and language — ``files`` (each
    edited or deleted file: outcome, reason, the edits carried, the journal rows archived),
    ``conflicts`` (per file, the paragraphs both sides changed: last year's generated
    text, the officer's, the new one kept) and ``one_language`` (Word documents the
    officer edited in one language only; a journal is filled in one language or the other)."""
    def entry(e: FileEdits) -> dict[str, Any]:
        return {"file": e.path.split("/", 1)[1], "lang": e.lang, "title": titles.get(e.document, e.document)}

    files = [entry(e) | {"outcome": e.outcome, "reason": e.reason, "archived": [_row(r) for r in e.archived],
                         "conflicts": len(e.conflicts),
                         "carried": [{"before": c.before, "after": c.after} for c in e.carried]}
             for e in edits]
    conflicts = [entry(e) | {"entries": [_conflict(c) for c in e.conflicts]} for e in edits if e.conflicts]
    langs_of: dict[str, set[str]] = {}
    for e in edits:
        if e.outcome in (CARRIED, NOT_CARRIED) and e.path.endswith(".docx"):
            langs_of.setdefault(e.stem, set()).add(e.lang)
    one_language = [{"file": stem, "title": titles.get(_document_id(stem), stem), "edited": next(iter(langs)),
                     "other": next(lang for lang in languages if lang not in langs)}
                    for stem, langs in sorted(langs_of.items()) if len(languages) > 1 and len(langs) == 1]
    return {"any": bool(edits), "files": files, "conflicts": conflicts, "one_language": one_language}


def _row(cells: list[str]) -> str:
    """A row's cells joined by « | », empty cells at its end left out."""
    cells = list(cells)
    while cells and not cells[-1].strip():
        cells.pop()
    return " | ".join(cells)


def _conflict(c: Conflict) -> dict[str, list[dict[str, Any]]]:
    """A conflict for the report: its three versions as segments (text, changed), the words
    the officer's and the new version changed from last year's in bold, in full."""
    def plain(lines: list[str]) -> list[dict[str, Any]]:
        return [{"text": " / ".join(lines) or "—", "changed": False}]

    if not (len(c.base) == len(c.ours) == len(c.theirs) == 1):
        return {"base": plain(c.base), "ours": plain(c.ours), "theirs": plain(c.theirs)}
    base, ours = word_diff(c.base[0], c.ours[0])
    _, theirs = word_diff(c.base[0], c.theirs[0])
    return {"base": [{"text": t, "changed": False} for t, _ in base],
            "ours": [{"text": t, "changed": x} for t, x in ours],
            "theirs": [{"text": t, "changed": x} for t, x in theirs]}


def _document_id(name: str) -> str:
    """``03-policy`` or ``03-policy.docx`` → ``policy``; ``15-compliance_report/yearly.docx``
    → ``compliance_report``."""
    return name.split("/", 1)[0].rsplit(".", 1)[0].split("-", 1)[1]


def _profile_section(lang: str, profile: Profile, changes: ProfileChanges) -> dict[str, Any]:
    """``report.profile``: the changed fields by section and the staff changes, in ``lang``."""
    def field_rows(section: str) -> list[dict]:
        return [{"path": f.path, "old": _value(f.old, lang), "new": _value(f.new, lang)}
                for f in changes.section(section)]

    return {
        "any": changes.any(),
        "head": field_rows("head"),
        "officer": field_rows("compliance_officer"),
        "approval": field_rows("approval"),
        "other": field_rows("other"),
        "departments_added": [d[lang] for d in changes.departments_added],
        "departments_removed": [d[lang] for d in changes.departments_removed],
        "hired": [_person(e, lang, profile.approval.date) for e in changes.hired],
        "left": [_person(e, lang) for e in changes.left],
        "moved": [{"name": m.new.name[lang], "old": _person(m.old, lang), "new": _person(m.new, lang)}
                  for m in changes.moved],
        "newly_equated": [_person(e, lang) for e in changes.newly_equated],
        "no_longer_equated": [_person(e, lang) for e in changes.no_longer_equated],
    }


def _template_section(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]],
                      titles: dict[str, str]) -> list[dict[str, Any]]:
    """``report.templates``: each template file edited, added or removed, what it renders."""
    return [{"lang": t.lang, "file": t.file, "change": t.change,
             "scope": ("report" if t.file == f"{REPORT_TEMPLATE}.md" else
                       "shared" if t.file.startswith("_") else "documents"),
             "documents": [titles[d.id] for d in _documents_of(t.file)]}
            for t in template_changes(old, new)]


def _file_sections(lang: str, diffs: dict[str, TextDiff | None], titles: dict[str, str]
                   ) -> tuple[list[dict], list[dict], list[tuple[tuple[str, str], int]]]:
    """``report.files`` (per file, the state of each language), ``report.details`` (per
    changed file and language, its differences) and the systematic word replacements with
    their counts, most frequent first."""
    found = {pair: replacements(*pair) for d in diffs.values() if d is not None for pair in d.changed}
    counts = Counter(r for rs in found.values() for r in set(rs or ()))
    systematic = {pair for pair, n in counts.items() if n >= SYSTEMATIC_MIN}

    def explained(a: str, b: str) -> bool:
        rs = found[(a, b)]
        return bool(rs) and all(pair in systematic for pair in rs)

    by_stem: dict[str, dict] = {}
    details = []
    for rel in sorted(diffs, key=lambda r: (r.split("/", 1)[1], r.split("/", 1)[0])):
        file_lang, name = rel.split("/", 1)
        doc_id = _document_id(name)
        entry = by_stem.setdefault(name, {"file": name, "title": titles.get(doc_id, doc_id), "langs": {}})
        d = diffs[rel]
        if d is None:
            entry["langs"][file_lang] = {"state": "new"}
            continue
        entry["langs"][file_lang] = {"state": "changed" if d.differs else "unchanged", "added": len(d.added),
                                     "removed": len(d.removed), "changed": len(d.changed)}
        if d.differs:
            twin = f"{file_lang}/{name[:-5]}.docx" if name.endswith(".xlsx") else None
            same_as = twin.split("/", 1)[1] if twin and diffs.get(twin) is not None and _within(d, diffs[twin]) else ""
            rest = [(a, b) for a, b in d.changed if not explained(a, b)]
            details.append({"file": name, "lang": file_lang, "title": entry["title"], "same_as": same_as,
                            "explained": len(d.changed) - len(rest),
                            "added": [] if same_as else d.added, "removed": [] if same_as else d.removed,
                            "changed": [] if same_as else [{"old": _elide(old), "new": _elide(new)}
                                                           for old, new in (word_diff(a, b) for a, b in rest)]})
    ranked = sorted(((p, counts[p]) for p in systematic), key=lambda x: (-x[1], x[0]))
    return list(by_stem.values()), details, ranked


def _removed_files(old_files: list[str], diffs: dict[str, TextDiff | None], languages: list[str]) -> list[str]:
    """The old pack's document files (docx, xlsx) of the new pack's languages that the new
    pack has not, without their language folder, sorted."""
    gone = {p.split("/", 1)[1] for p in old_files
            if p.split("/", 1)[0] in languages and p.endswith((".docx", ".xlsx"))
            and "/" in p and p not in diffs and not p.startswith(f"{REPORT_DIR}/")}
    return sorted(gone)


def render_report(lang: str, templates: TemplateSet, context: dict[str, Any]) -> tuple[list[Block], str, str]:
    """The change report in ``lang`` rendered from ``_changes.md`` with ``context``
    (:func:`report_context`), parsed once: its layout blocks (for ``changes/<lang>.docx``),
    its title line and its standalone HTML page (``changes/<lang>.html``). Raises
    InputError for a template problem."""
    text, values = templates.render_markdown(REPORT_TEMPLATE, context)
    try:
        blocks, body = parse_with_html(text, values)
    except TemplateLayoutError as exc:
        raise InputError(Problem(str(templates.path(REPORT_TEMPLATE)), str(exc))) from None
    title_line = next((b.text for b in blocks if getattr(b, "kind", None) == "title"), "")
    return blocks, title_line, html_page(body, title_line, lang)


_CSS = """body{font-family:"Times New Roman",serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.35}
h1,h2,h3{text-align:center}table{border-collapse:collapse;width:100%;margin:.5em 0}
td,th{border:1px solid #444;padding:.2em .4em;vertical-align:top;font-size:95%}th{background:#eee}
strong{background:#fff1a8}"""


def html_page(body: str, title: str, lang: str) -> str:
    """A standalone HTML page around ``body``, the HTML of :func:`layout.parse_with_html`."""
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
