"""The three-way merge that carries an officer's edits into next year's document.

Copier's update, done for Word documents: three versions of one document in one language,
each as layout blocks —

- **base**: last year's document as packbuilder generated it (the pack's base,
  :mod:`packbuilder.pack.base`);
- **ours**: last year's file as the officer has it (:mod:`packbuilder.update.edited`);
- **theirs**: this year's document from the new templates and profile.

Each is cut into units, a paragraph or a table row, matched on its text without its number
(«12. », a row's «7 | ») and spacing. This is the classic diff3: two stdlib ``difflib``
matchings of the base, against ours and against theirs, give each side's hunks (base range
→ that side's units). A hunk of one side alone is applied to theirs: the officer's added,
changed and removed paragraphs and rows land in the new document in their place, with their
bold, italic and underline. Where both sides changed the same base units (their ranges
overlap), it is a conflict unless both made the same change: lists of equal length are
settled unit by unit, and table rows cell by cell (a signature typed into a row whose date
column the new year changed is kept); what is left keeps the new text, and the conflict is
reported with the three versions for the officer to decide. Both sides inserting at the same
place keep both (the new text first). A row of a journal the new year dropped (the employee
left) that the officer had filled in goes to an archive sheet instead.

After the merge, numbered points («N.») are renumbered within their lists and the «№» column
of numbered tables counts again from 1.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

from packbuilder.render.layout import Block, Paragraph, Run, Table
from packbuilder.update.diff import match_key
from packbuilder.write.text import paragraph_line, runs_text

_POINT_LABEL = re.compile(r"^(\d+)\.$")


@dataclass(eq=False)
class Unit:
    """A paragraph or a table row of one version: ``key`` is what it is matched on,
    ``text`` how it reads (« | » between cells, empty cells at the end left out);
    ``paragraph`` or ``row`` (its cells' runs)
    with the ``table`` it came from and whether it is a ``header`` row; ``prefix`` the
    blocks before it that are no unit (page and section breaks, empty paragraphs);
    ``origin`` the version it comes from (base, ours, theirs); ``point_list`` the numbered
    list a point belongs to; ``loose`` what identifies it when its text changed: a row's
    first cell that is not a number (a journal's name), a paragraph's ``key``."""

    key: str
    text: str
    origin: str
    paragraph: Paragraph | None = None
    row: list[list[Run]] | None = None
    table: Table | None = None
    header: bool = False
    prefix: list[Block] = field(default_factory=list)
    point_list: int | None = None
    loose: str = ""


@dataclass
class Edit:
    """An officer's edit carried over: the paragraphs or rows of last year's document
    (``before``, [] for an addition) and the officer's (``after``, [] for a removal)."""

    before: list[str]
    after: list[str]


@dataclass
class Conflict:
    """Paragraphs or rows both the officer and the new templates changed: last year's
    generated text (``base``), the officer's (``ours``) and the new one (``theirs``), which
    the new document keeps."""

    base: list[str]
    ours: list[str]
    theirs: list[str]


@dataclass
class Merge:
    """The merged document's ``blocks``, the officer's edits ``carried`` into it, the
    ``conflicts`` left to the officer, and the ``archived`` rows (cells' texts) of people
    no longer employed, moved to the archive sheet."""

    blocks: list[Block]
    carried: list[Edit] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    archived: list[list[str]] = field(default_factory=list)


def _raw(runs: list[Run]) -> str:
    """The runs' text as they hold it (tabs and line breaks kept): what is written back."""
    return "".join(r.text for r in runs)


def units(blocks: list[Block], origin: str) -> tuple[list[Unit], list[Block]]:
    """The units of ``blocks`` (paragraphs with text, every table row) and the blocks after
    the last one that are no unit."""
    out: list[Unit] = []
    pending: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            line = paragraph_line(b)
            if line.strip():
                key = match_key(line)
                out.append(Unit(key, line, origin, paragraph=b, prefix=pending, loose=key))
                pending = []
            else:
                pending.append(b)
        elif isinstance(b, Table):
            for r, row in enumerate(b.rows):
                cells = [" ".join(runs_text(c).split()) for c in row]
                text = " | ".join(cells)
                while cells and not cells[-1]:
                    cells.pop()
                identity = next((c for c in cells if c and not c.isdigit()), "")
                out.append(Unit("\x1f" + match_key(text), " | ".join(cells), origin, row=row, table=b,
                                header=r < b.header_rows, prefix=pending, loose="\x1f" + identity))
                pending = []
        else:
            pending.append(b)
    return out, pending


@dataclass(frozen=True)
class _Hunk:
    side: str
    i1: int
    i2: int
    j1: int
    j2: int


def _hunks(base: list[Unit], other: list[Unit], side: str, loose: bool = False
           ) -> tuple[list[_Hunk], list[int | None]]:
    """The hunks of ``other`` against ``base`` and, for each base unit, the index of the
    unit of ``other`` it is equal to (None inside a hunk); with ``loose``, units are
    matched on their :attr:`Unit.loose` key."""
    def key(u: Unit) -> str:
        return u.loose if loose else u.key

    matcher = difflib.SequenceMatcher(None, [key(u) for u in base], [key(u) for u in other], autojunk=False)
    hunks, same = [], [None] * len(base)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for d in range(i2 - i1):
                same[i1 + d] = j1 + d
        else:
            hunks.append(_Hunk(side, i1, i2, j1, j2))
    return hunks, same


def _clash(a: _Hunk, b: _Hunk) -> bool:
    """Whether hunks of the two sides touch the same base units: overlapping ranges, or an
    insertion strictly inside the other's range (insertions at the same place do not)."""
    if a.i1 < a.i2 and b.i1 < b.i2:
        return a.i1 < b.i2 and b.i1 < a.i2
    if a.i1 == a.i2 and b.i1 < b.i2:
        return b.i1 < a.i1 < b.i2
    if b.i1 == b.i2 and a.i1 < a.i2:
        return a.i1 < b.i1 < a.i2
    return False


def _groups(ours: list[_Hunk], theirs: list[_Hunk]) -> list[list[_Hunk]]:
    """The clashing hunks, in groups closed under clashing, ordered by base position."""
    parent = {h: h for h in ours + theirs}

    def find(h):
        while parent[h] is not h:
            h = parent[h]
        return h

    for a in ours:
        for b in theirs:
            if b.i1 > a.i2:
                break
            if _clash(a, b):
                parent[find(a)] = find(b)
    groups: dict[_Hunk, list[_Hunk]] = {}
    for h in ours + theirs:
        groups.setdefault(find(h), []).append(h)
    return sorted((g for g in groups.values() if len({h.side for h in g}) == 2), key=lambda g: min(h.i1 for h in g))


class _Merger:
    """One merge: the three versions' units, both sides' hunks, the output being built.
    A merger with ``loose`` matching settles a group of clashing rows again on the rows'
    identities (:attr:`Unit.loose`): the same person's row changed by both sides is merged
    cell by cell, wherever the rows around it moved."""

    def __init__(self, base: list[Unit], ours: list[Unit], theirs: list[Unit], archive: bool,
                 result: Merge | None = None, out: list | None = None, loose: bool = False):
        self.base, self.ours, self.theirs, self.archive, self.loose = base, ours, theirs, archive, loose
        self.ours_hunks, self.ours_same = _hunks(base, ours, "ours", loose)
        self.theirs_hunks, self.theirs_same = _hunks(base, theirs, "theirs", loose)
        self.out: list[Unit | Block] = [] if out is None else out
        self.result = Merge([]) if result is None else result

    # output ---------------------------------------------------------------------------------
    def emit_theirs(self, k1: int, k2: int) -> None:
        for u in self.theirs[k1:k2]:
            self.out.extend(u.prefix)
            self.out.append(u)

    def drop_theirs(self, i1: int, i2: int) -> None:
        """The theirs units equal to base units ``i1:i2``, replaced: keep their prefixes."""
        for i in range(i1, i2):
            k = self.theirs_same[i]
            if k is not None:
                self.out.extend(self.theirs[k].prefix)

    def emit_ours(self, i1: int, i2: int, j1: int, j2: int) -> None:
        """The officer's units ``j1:j2`` in place of base units ``i1:i2`` (which the new
        version has as they were); one replacing one of as many is settled with it."""
        if i2 - i1 == j2 - j1:
            for d in range(i2 - i1):
                self.settle(i1 + d, j1 + d, self.theirs_same[i1 + d])
            return
        self.drop_theirs(i1, i2)
        ours = self.ours[j1:j2]
        self.out.extend(ours)
        self.result.carried.append(Edit([u.text for u in self.base[i1:i2]], [u.text for u in ours]))

    def adopt(self, o: Unit, i: int) -> Unit:
        b = self.base[i]
        k = self.theirs_same[i]
        point_list = self.theirs[k].point_list if k is not None else None
        if o.paragraph is None or b.paragraph is None:
            return replace(o, point_list=point_list)
        return replace(o, paragraph=_as_kind(o.paragraph, b.paragraph), point_list=point_list)

    def lost(self, b: list[Unit], o: list[Unit], t: list[Unit]) -> None:
        """The officer's units ``o`` of base units ``b`` that the new version replaced by
        ``t`` (``t`` is emitted): journal rows to the archive, anything else a conflict."""
        if self.archive and not t and o and all(u.row is not None for u in o):
            keys = {x.key for x in b}
            self.result.archived.extend([_raw(c) for c in u.row] for u in o if u.key not in keys)
        else:
            self.result.conflicts.append(Conflict([u.text for u in b], [u.text for u in o], [u.text for u in t]))
        if t:
            self.emit_theirs(self.theirs.index(t[0]), self.theirs.index(t[-1]) + 1)

    # the walk ---------------------------------------------------------------------------------
    def walk(self) -> None:
        groups = _groups(self.ours_hunks, self.theirs_hunks)
        grouped = {h for g in groups for h in g}
        group_at = {min(h.i1 for h in g): g for g in groups}
        ins = {(h.side, h.i1): h for h in self.ours_hunks + self.theirs_hunks if h.i1 == h.i2 and h not in grouped}
        ranges = {h.i1: h for h in self.ours_hunks + self.theirs_hunks if h.i1 < h.i2 and h not in grouped}
        i, n = 0, len(self.base)
        while True:
            if ("theirs", i) in ins:
                h = ins["theirs", i]
                self.emit_theirs(h.j1, h.j2)
            if ("ours", i) in ins:
                h = ins["ours", i]
                self.emit_ours(i, i, h.j1, h.j2)
            if i >= n:
                break
            if i in group_at:
                i = self.resolve(group_at[i])
            elif i in ranges and ranges[i].side == "ours":
                h = ranges[i]
                self.emit_ours(h.i1, h.i2, h.j1, h.j2)
                i = h.i2
            elif i in ranges:
                h = ranges[i]
                self.theirs_range(h)
                i = h.i2
            else:
                self.settle(i, self.ours_same[i], self.theirs_same[i])
                i += 1

    def theirs_range(self, h: _Hunk) -> None:
        """Base units ``h.i1:h.i2`` the new version changed: the new text, unless the
        officer changed them too (seen only when matching loosely)."""
        touched = [x for x in range(h.i1, h.i2) if self.ours[self.ours_same[x]].key != self.base[x].key]
        if touched:
            self.lost([self.base[x] for x in touched], [self.ours[self.ours_same[x]] for x in touched],
                      self.theirs[h.j1:h.j2])
        else:
            self.emit_theirs(h.j1, h.j2)

    def run(self, tail: list[Block]) -> Merge:
        self.walk()
        self.out.extend(tail)
        self.result.blocks = _assemble(_renumber(self.out))
        return self.result

    def span(self, group: list[_Hunk], side: str, g1: int, g2: int) -> tuple[int, int]:
        """The units of ``side`` standing for base units ``g1:g2`` of a group."""
        same = self.ours_same if side == "ours" else self.theirs_same
        mine = [h for h in group if h.side == side]
        start = next((h.j1 for h in mine if h.i1 == g1), None)
        end = next((h.j2 for h in mine if h.i2 == g2), None)
        if start is None:
            start = same[g1]
        if end is None:
            end = same[g2 - 1] + 1
        return start, end

    def resolve(self, group: list[_Hunk]) -> int:
        """Settle a group of clashing hunks; returns the base position after it."""
        g1, g2 = min(h.i1 for h in group), max(h.i2 for h in group)
        j1, j2 = self.span(group, "ours", g1, g2)
        k1, k2 = self.span(group, "theirs", g1, g2)
        b, o, t = self.base[g1:g2], self.ours[j1:j2], self.theirs[k1:k2]
        if [u.key for u in o] == [u.key for u in t]:
            self.emit_theirs(k1, k2)
        elif len(b) == len(o) == len(t):
            for d in range(len(b)):
                self.settle(g1 + d, j1 + d, k1 + d)
        elif not self.loose and any(u.row is not None for u in b + o + t):
            _Merger(b, o, t, self.archive, self.result, self.out, loose=True).walk()
        else:
            self.lost(b, o, t)
        return g2

    def settle(self, i: int, j: int, k: int | None) -> None:
        """One base unit as the officer (``j``) and the new version (``k``, None: removed)
        have it: whichever changed it, or both merged cell by cell, or a conflict."""
        b, o = self.base[i], self.ours[j]
        if k is None:
            if o.key != b.key:
                self.lost([b], [o], [])
            return
        t = self.theirs[k]
        if o.key == b.key or o.key == t.key:
            self.emit_theirs(k, k + 1)
        elif t.key == b.key:
            self.out.extend(t.prefix)
            self.out.append(self.adopt(o, i))
            self.result.carried.append(Edit([b.text], [o.text]))
        elif b.row is not None and o.row is not None and t.row is not None and not _same_entity(b.row, t.row):
            self.lost([b], [o], [])  # the new year put another row here: the officer's belongs to the old one
            self.emit_theirs(k, k + 1)
        elif b.row is not None and o.row is not None and t.row is not None and (cells := _cells_merge(b, o, t)):
            row, edited = cells
            merged = replace(t, row=row, text=" | ".join(runs_text(c) for c in row).rstrip(" |"), prefix=[])
            self.out.extend(t.prefix)
            self.out.append(merged)
            if edited:
                self.result.carried.append(Edit([b.text], [o.text]))
            if edited is None:
                self.result.conflicts.append(Conflict([b.text], [o.text], [t.text]))
        else:
            self.emit_theirs(k, k + 1)
            self.result.conflicts.append(Conflict([b.text], [o.text], [t.text]))


def _same_entity(a: list[list[Run]], b: list[list[Run]]) -> bool:
    """Whether two rows stand for the same thing: the first cell of ``a`` with text that is
    not a number (a journal's name, a plan's event) reads the same in ``b``."""
    for c, cell in enumerate(a):
        text = " ".join(runs_text(cell).split())
        if text and not text.isdigit():
            return c < len(b) and " ".join(runs_text(b[c]).split()) == text
    return True


def _cells_merge(b: Unit, o: Unit, t: Unit) -> tuple[list[list[Run]], bool | None] | None:
    """A row both sides changed, merged cell by cell: (cells, True) when the officer's
    cells were taken, (cells, None) when some cell both changed differently (the new one
    kept); None when the rows do not have the same number of cells."""
    if not (len(b.row) == len(o.row) == len(t.row)):
        return None
    cells, took, clash = [], False, False
    for cb, co, ct in zip(b.row, o.row, t.row):
        xb, xo, xt = (" ".join(runs_text(c).split()) for c in (cb, co, ct))
        if xo == xb or xo == xt:
            cells.append(ct)
        elif xt == xb:
            cells.append(co)
            took = True
        else:
            cells.append(ct)
            clash = True
    return cells, (None if clash else took)


def _as_kind(o: Paragraph, b: Paragraph) -> Paragraph:
    """The officer's paragraph ``o`` in the place of the generated ``b``: ``b``'s kind and
    classes; a signature's two sides split at the tab."""
    if b.kind == "signature":
        text = _raw(o.runs)
        if o.label:
            text = f"{o.label} {text}"
        left, _, right = text.partition("\t")
        bold = all(r.bold for r in o.runs if r.text.strip())
        return Paragraph("signature", [Run(left, bold)], b.classes, right=[Run(right, bold)])
    if b.kind in ("point", "item") and o.kind in ("point", "item"):
        return replace(o, kind=b.kind, classes=b.classes)
    runs = o.runs
    if o.label:  # a paragraph read as a point whose generated version is none
        runs = [Run(o.label + " ")] + runs
    return Paragraph(b.kind, runs, b.classes)


def point_lists(theirs: list[Unit]) -> None:
    """Give each numbered point («N.») of ``theirs`` its list: a point «1.» starts a list,
    a point «N.» continues the open list whose last point is «N−1.» (closing the lists
    opened inside it), any other starts a list of its own."""
    stack: list[list[int]] = []  # [last number, list id]
    lists = 0
    for u in theirs:
        m = _POINT_LABEL.match(u.paragraph.label) if u.paragraph is not None and u.paragraph.kind == "point" else None
        if not m:
            continue
        n = int(m.group(1))
        found = next((d for d in range(len(stack) - 1, -1, -1) if stack[d][0] == n - 1), None) if n > 1 else None
        if found is None:
            lists += 1
            stack.append([n, lists])
        else:
            del stack[found + 1:]
            stack[-1][0] = n
        u.point_list = stack[-1][1]


def _renumber(out: list[Unit | Block]) -> list[Unit | Block]:
    """Number the points of each list again in their new order, from the list's first
    number; an officer's point without a list joins the list of the point before it."""
    first: dict[int, int] = {}
    count: dict[int, int] = {}
    current = None
    result: list[Unit | Block] = []
    for u in out:
        p = u.paragraph if isinstance(u, Unit) else None
        if p is None or p.kind != "point" or not _POINT_LABEL.match(p.label or ""):
            result.append(u)
            continue
        lst = u.point_list if u.point_list is not None else current
        if lst is None:
            lst = -1
        current = lst
        if lst not in first:
            first[lst] = int(_POINT_LABEL.match(p.label).group(1)) if u.origin == "theirs" else 1
            count[lst] = first[lst]
        else:
            count[lst] += 1
        label = f"{count[lst]}."
        result.append(u if label == p.label else replace(u, paragraph=replace(p, label=label)))
    return result


def _fit(row: list[list[Run]], ncols: int) -> list[list[Run]]:
    """``row`` as ``ncols`` cells: empty cells added, or the cells beyond joined into the last."""
    if len(row) <= ncols:
        return list(row) + [[] for _ in range(ncols - len(row))]
    last = [r for cell in row[ncols - 1:] for r in ([Run(" ")] + cell if cell else [])][1:]
    return list(row[:ncols - 1]) + [last]


def _numbered(table: Table) -> bool:
    """Whether the first column of ``table`` numbers its body rows 1, 2, 3 …"""
    body = table.rows[table.header_rows:]
    return bool(body) and all(row and runs_text(row[0]).strip() == str(n) for n, row in enumerate(body, 1))


def _assemble(out: list[Unit | Block]) -> list[Block]:
    """Blocks again: a paragraph unit is its paragraph; consecutive rows form a table,
    a new one where the rows come from another generated table; the officer's rows join
    the table they are in. A numbered table is numbered again."""
    blocks: list[Block] = []
    rows: list[Unit] = []

    def flush():
        if not rows:
            return
        source = next((u.table for u in rows if u.origin == "theirs"), rows[0].table)
        header = 0
        while header < len(rows) and rows[header].header:
            header += 1
        if source is None:  # a table the officer added
            ncols = max(len(u.row) for u in rows)
            table = Table([_fit(u.row, ncols) for u in rows], max(header, 1))
        else:
            ncols = max((len(r) for r in source.rows), default=0) or max(len(u.row) for u in rows)
            table = Table([_fit(u.row, ncols) for u in rows], header or source.header_rows, source.widths,
                          source.sheet)
        if source is not None and _numbered(source):
            for n, row in enumerate(table.rows[table.header_rows:], 1):
                if row:
                    row[0] = [Run(str(n))]
        blocks.append(table)
        rows.clear()

    for u in out:
        if isinstance(u, Unit) and u.row is not None:
            if rows and u.origin == "theirs":
                current = next((r.table for r in rows if r.origin == "theirs"), None)
                if current is not None and u.table is not current:
                    flush()
            rows.append(u)
            continue
        flush()
        blocks.append(u.paragraph if isinstance(u, Unit) else u)
    flush()
    return blocks


def merge_blocks(base: list[Block], ours: list[Block], theirs: list[Block], archive: bool = False) -> Merge:
    """Merge the officer's version ``ours`` of a document with this year's ``theirs``, both
    descended from ``base`` (module docstring). With ``archive`` (a journal's sheets), rows
    the officer filled in that ``theirs`` dropped are returned in ``archived`` instead of
    as conflicts. Without edits (``ours`` reads as ``base``) the result is ``theirs``."""
    b, _ = units(base, "base")
    o, _ = units(ours, "ours")
    t, tail = units(theirs, "theirs")
    point_lists(t)
    if [u.key for u in o] == [u.key for u in b]:
        return Merge(list(theirs))
    return _Merger(b, o, t, archive).run(tail)
