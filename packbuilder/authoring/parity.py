"""kk/ru parity of a built pack: the two versions of every document say the same things.

The numbered items of the two versions correspond one to one: point 7 of the Kazakh policy
says what point 7 of the Russian policy says.
What can be checked mechanically, and is checked here, file by file:

- the skeleton of a docx: the sequence of heading levels, the labels of numbered points
  («7.») and sub-points («3)») in order, and the size (rows × columns) of every table;
- the skeleton of an xlsx: the sheets and their sizes;
- the profile values: a value given in both languages (a name, a position, a department)
  appears in the Kazakh file exactly when its Russian counterpart appears in the Russian
  file, and a language-neutral value (BIN, approval number, phone, e-mail, website) appears
  in both or in neither.

``check_pack(root, profile)`` runs all of it over a pack folder and returns the differences,
one readable line each; an empty list means parity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl

from packbuilder.model.profile import Profile
from packbuilder.write.text import document_lines

_POINT = re.compile(r"^(\d+)([.)]) ")


@dataclass
class Skeleton:
    """The language-independent shape of a document file.

    ``marks``: heading styles («Heading 2») and point labels («7.», «3)») in document order;
    ``tables``: (rows, columns) of each table; for an xlsx (sheet name, rows, columns) of each
    sheet (the names differ by language and are not compared).
    """

    marks: list[str] = field(default_factory=list)
    tables: list[tuple] = field(default_factory=list)


def skeleton(path: Path) -> Skeleton:
    """The Skeleton of a .docx or .xlsx file."""
    path = Path(path)
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(str(path), read_only=True)
        try:
            return Skeleton(tables=[(ws.title, ws.max_row, ws.max_column) for ws in wb.worksheets])
        finally:
            wb.close()
    d = docx.Document(str(path))
    marks = []
    for p in d.paragraphs:
        if p.style is not None and p.style.name.startswith("Heading"):
            marks.append(p.style.name)
        m = _POINT.match(p.text)
        if m:
            marks.append(m.group(1) + m.group(2))
    return Skeleton(marks=marks, tables=[(len(t.rows), len(t.columns)) for t in d.tables])


def profile_values(profile: Profile) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The values of ``profile`` that documents print.

    Returns ``(pairs, neutral)``: pairs are (field path, kk text, ru text) for the values
    given in both languages; neutral are (field path, text) for values written the same in
    both. Empty values are left out.
    """
    o = profile.organization
    pairs: list[tuple[str, str, str]] = []

    def pair(where: str, text) -> None:
        if text is not None and text.kk.strip() and text.ru.strip():
            pairs.append((where, text.kk.strip(), text.ru.strip()))

    pair("organization.name", o.name)
    pair("organization.city", o.city)
    pair("organization.parent_body", o.parent_body)
    pair("organization.address", o.address)
    for key, person in (("head", profile.head), ("compliance_officer", profile.compliance_officer)):
        pair(f"{key}.name", person.name)
        pair(f"{key}.position", person.position)
    for i, dep in enumerate(profile.departments):
        pair(f"departments[{i}]", dep)
    for i, e in enumerate(profile.employees):
        pair(f"employees[{i}].name", e.name)
        pair(f"employees[{i}].position", e.position)
    neutral = [(where, str(v)) for where, v in (
        ("organization.bin", o.bin),
        ("approval.number", profile.approval.number),
        ("organization.website", o.website),
        ("organization.hotline.phone", o.hotline.phone if o.hotline else None),
        ("organization.hotline.email", o.hotline.email if o.hotline else None),
        ("compliance_officer.phone", profile.compliance_officer.phone),
        ("compliance_officer.email", profile.compliance_officer.email),
    ) if v]
    return pairs, neutral


def compare(kk_path: Path, ru_path: Path, profile: Profile) -> list[str]:
    """The differences between the Kazakh and the Russian version of one file; [] when they
    correspond. Each difference is one line naming what differs."""
    problems = []
    name = Path(kk_path).name
    a, b = skeleton(kk_path), skeleton(ru_path)
    if a.marks != b.marks:
        i = next((i for i, (x, y) in enumerate(zip(a.marks, b.marks)) if x != y), min(len(a.marks), len(b.marks)))
        problems.append(f"{name}: headings/points differ at mark {i + 1}: kk {a.marks[i:i + 3]} vs ru {b.marks[i:i + 3]}"
                        f" ({len(a.marks)} vs {len(b.marks)} marks)")
    sizes_a = [t[-2:] for t in a.tables]
    sizes_b = [t[-2:] for t in b.tables]
    if sizes_a != sizes_b:
        problems.append(f"{name}: tables differ: kk {sizes_a} vs ru {sizes_b}")
    kk_text, ru_text = ("\n".join(document_lines(p, spaced=True)) for p in (kk_path, ru_path))
    pairs, neutral = profile_values(profile)
    kk_values = [kk for _, kk, _ in pairs] + [v for _, v in neutral]
    ru_values = [ru for _, _, ru in pairs] + [v for _, v in neutral]
    for where, kk, ru in pairs + [(w, v, v) for w, v in neutral]:
        lower = where.endswith(".position")
        in_kk = _appears(kk, kk_text, kk_values, lower)
        in_ru = _appears(ru, ru_text, ru_values, lower)
        if in_kk != in_ru:
            problems.append(f"{name}: {where} appears in {'kk' if in_kk else 'ru'} only (kk «{kk}», ru «{ru}»)")
    return problems


def _pattern(value: str, lower: bool = True) -> re.Pattern:
    """``value`` as written anywhere, or with its first letter lower-cased at the start of a
    word (a position mid-sentence: «Директор» → «директоры», «Директору»; «Водитель» is not
    found inside «руководитель»)."""
    exact = re.escape(value)
    if not lower or not value[:1].isupper():
        return re.compile(exact)
    return re.compile(exact + r"|(?<!\w)" + re.escape(value[:1].lower() + value[1:]))


def _appears(value: str, text: str, values: list[str], lower: bool = False) -> bool:
    """Whether ``value`` appears in ``text`` on its own, not only inside a longer profile value
    that contains it (the city inside the parent body «Астана қаласы әкімдігі»); its first
    letter may be lower-case when ``lower`` (a position: :func:`_pattern`)."""
    pattern = _pattern(value, lower)
    if not pattern.search(text):
        return False
    for longer in sorted((v for v in values if value in v and v != value), key=len, reverse=True):
        text = _pattern(longer, lower=False).sub("\0", text)
    return bool(pattern.search(text))


def check_pack(root: Path, profile: Profile) -> list[str]:
    """Parity of every docx and xlsx of the pack at ``root`` (``OUT/<bin>/<year>``): the same
    files in kk/ and ru/, and ``compare`` of each pair. Returns the differences."""
    root = Path(root)
    files = {lang: sorted(p.relative_to(root / lang) for p in (root / lang).rglob("*")
                          if p.suffix in (".docx", ".xlsx"))
             for lang in ("kk", "ru")}
    problems = [f"{rel}: only in {lang}/" for lang, other in (("kk", "ru"), ("ru", "kk"))
                for rel in sorted(set(files[lang]) - set(files[other]))]
    for rel in sorted(set(files["kk"]) & set(files["ru"])):
        problems.extend(compare(root / "kk" / rel, root / "ru" / rel, profile))
    return problems
