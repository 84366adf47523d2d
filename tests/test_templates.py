"""Template overrides (issue 6): an overriding .md and .docx take effect, `templates check`
finds each kind of problem with its file and line or paragraph, hostile templates fail
cleanly and write nothing, and the exported guide lists what templates see."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import SAMPLES, docx_tables, docx_text, xlsx_text

from packbuilder.authoring.check import check_templates, template_names
from packbuilder.authoring.guide import (
    DESCRIPTIONS,
    _key,
    export_templates,
    guide_markdown,
    variables,
)
from packbuilder.batch import run_batch
from packbuilder.cli import main
from packbuilder.errors import InputError
from packbuilder.inputs.profile_file import load_profile
from packbuilder.pack.build import build_pack
from packbuilder.render.templates import BUILTIN_DIR, TemplateSet

ASTANA = SAMPLES / "astana_monitoring_centre.yaml"


def word_template(path: Path, paragraphs: list, rows: list[list[str]] | None = None, after: list | None = None) -> Path:
    """A Word document as a user writes it: ``paragraphs`` are texts or lists of (text, bold)
    runs (Word splits a paragraph into runs where the formatting or the editing session
    changes); ``rows`` a table; ``after`` paragraphs after the table."""
    d = docx.Document()

    def add(item) -> None:
        p = d.add_paragraph()
        for text, bold in ([(item, False)] if isinstance(item, str) else item):
            p.add_run(text).bold = bold

    for item in paragraphs:
        add(item)
    if rows:
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    for item in after or []:
        add(item)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path


EMPLOYEE_ROWS = [["№", "Ф.И.О.", "Должность"],
                 ["{%tr for e in employees %}", "", ""],
                 ["{{ e.n }}", "{{ e.name }}", "{{ e.position }}"],
                 ["{%tr endfor %}", "", ""]]


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- overrides take effect -----------------------------------------------------------------


def test_an_overriding_md_replaces_the_builtin_in_its_language_only(tmp_path):
    over = tmp_path / "mine"
    (over / "kk").mkdir(parents=True)
    text = (BUILTIN_DIR / "kk" / "policy.md").read_text(encoding="utf-8")
    marker = "Осы Саясатты {{ org.short }} өзінің сайтында ({{ org.website }}) жариялайды."
    assert "\n## 2-тарау" in text
    text = text.replace("\n## 2-тарау", f"\n{marker}\n\n## 2-тарау", 1)
    (over / "kk" / "policy.md").write_text(text, encoding="utf-8")
    profile = load_profile(ASTANA)
    pack = build_pack(profile, tmp_path / "out", only=["policy", "action_plan"], templates_dir=over).root
    kk = docx_text(pack / "kk" / "03-policy.docx")
    assert "Осы Саясатты Кәсіпорын өзінің сайтында (https://cmor-astana.kz) жариялайды." in kk
    assert "жариялайды." not in docx_text(pack / "ru" / "03-policy.docx")
    plain = build_pack(profile, tmp_path / "plain", only=["policy", "action_plan"]).root
    assert docx_text(pack / "ru" / "03-policy.docx") == docx_text(plain / "ru" / "03-policy.docx")
    assert docx_text(pack / "kk" / "06-action_plan.docx") == docx_text(plain / "kk" / "06-action_plan.docx")
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["template_overrides"] == {"kk": ["policy.md"], "ru": []}
    old = json.loads((plain / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["templates"]["kk"]["policy.md"] != old["templates"]["kk"]["policy.md"]
    assert manifest["templates"]["ru"] == old["templates"]["ru"]


def test_an_overriding_docx_is_rendered_with_its_values_escaped_and_the_change_sheet(tmp_path):
    over = tmp_path / "mine"
    word_template(over / "ru" / "restrictions.docx", [
        "УТВЕРЖДЕН приказом № {{ approval.number }} от {{ approval.date | dmy }}",
        "Журнал {{ org.name_gen }}",
        # a tag Word split into two runs of the same formatting: docxtpl joins them
        [("Руководитель: {{ head.", False), ("initials }}", False)],
        "Первая строка{{ br() }}вторая строка",
    ], EMPLOYEE_ROWS, after=["Сотрудников: {{ employees | length }}."])
    profile = load_profile(SAMPLES / "escaping.yaml")
    pack = build_pack(profile, tmp_path / "out", only=["restrictions"], templates_dir=over).root
    path = pack / "ru" / "09-restrictions.docx"
    text = docx_text(path)
    name = profile.organization.name.ru
    assert f"Журнал {name}" in text                      # & < > " ' * _ {{ }} as written
    assert "УТВЕРЖДЕН приказом № 1 & <2> от 15.01.2026" in text
    assert f"Руководитель: {profile.head.name.ru}"[:14] in text
    assert "Первая строка\nвторая строка" in docx.Document(str(path)).paragraphs[3].text
    employees = docx_tables(path)[0]
    assert employees[0] == ["№", "Ф.И.О.", "Должность"]
    assert [row[1] for row in employees[1:]] == [e.name.ru for e in profile.employees]
    assert f"Сотрудников: {len(profile.employees)}." in text
    sheet = docx_tables(path)[1]                         # packbuilder's change sheet, appended
    assert "ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ" in text
    assert sheet[1][0] == "1" and "Первоначальная редакция" in sheet[1][2]
    # the journal's xlsx still comes from the built-in .md; the kk files are the built-in ones
    assert "Ескертпе" not in xlsx_text(pack / "ru" / "09-restrictions.xlsx")
    assert profile.employees[0].name.ru in xlsx_text(pack / "ru" / "09-restrictions.xlsx")
    assert "Журнал" not in docx_text(pack / "kk" / "09-restrictions.docx").splitlines()[0]
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    assert "restrictions.docx" in manifest["templates"]["ru"]
    assert manifest["template_overrides"]["ru"] == ["restrictions.docx"]


def test_batch_and_update_take_the_overrides(tmp_path, sample_data, write_profile):
    over = tmp_path / "mine"
    (over / "ru").mkdir(parents=True)
    text = (BUILTIN_DIR / "ru" / "order.md").read_text(encoding="utf-8")
    (over / "ru" / "order.md").write_text(text.replace("ПРИКАЗЫВАЮ", "ПРИКАЗЫВАЮ (своя редакция)"), encoding="utf-8")
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(ASTANA, folder / "astana.yaml")
    result = run_batch(folder, tmp_path / "batch", jobs=1, templates_dir=over)
    assert result.ok
    root = tmp_path / "batch" / "150740099876" / "2026"
    assert "ПРИКАЗЫВАЮ (своя редакция)" in docx_text(root / "ru" / "01-order.docx")
    from packbuilder.update.yearly import update_pack
    new = load_profile(SAMPLES / "astana_monitoring_centre_2027.yaml")
    upd = update_pack(new, root, tmp_path / "upd", templates_dir=over)
    assert "ПРИКАЗЫВАЮ (своя редакция)" in docx_text(upd.pack.root / "ru" / "01-order.docx")


# --- check ----------------------------------------------------------------------------------


def problems_of(folder: Path) -> list[str]:
    return [str(p) for p in check_templates(folder).problems]


def one(problems: list[str], *parts: str) -> str:
    found = [p for p in problems if all(x in p for x in parts)]
    assert len(found) == 1, (parts, problems)
    return found[0]


def test_builtin_and_exported_templates_check_clean(tmp_path):
    assert problems_of(BUILTIN_DIR) == []
    export_templates(tmp_path / "exp")
    result = check_templates(tmp_path / "exp")
    assert result.problems == []
    assert len(result.same) == len(result.files) == 2 * len(template_names())


def test_check_finds_markdown_problems_with_their_line(tmp_path):
    over = tmp_path / "mine"
    for lang in ("kk", "ru"):
        shutil.copytree(BUILTIN_DIR / lang, over / lang, ignore=shutil.ignore_patterns("_*"))
    kk = over / "kk" / "policy.md"
    lines = kk.read_text(encoding="utf-8").splitlines()
    lines[4] += " {{ org.nmae }} {{ employes | length }}"
    lines[6] += " {{ head.name | default(«жоқ») }}"
    kk.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (over / "ru" / "order.md").write_text("Приказ\n\n{% if org.website %}\nсайт\n", encoding="utf-8")
    coi = (over / "kk" / "coi_policy.md")
    coi.write_text(coi.read_text(encoding="utf-8") + "\nБайланыс: {{ officer.phone }}\n", encoding="utf-8")
    problems = problems_of(over)
    one(problems, f"{kk}:5", "org.nmae is not provided", "did you mean org.name")
    one(problems, f"{kk}:5", "the variable employes is not provided", "did you mean employees")
    one(problems, f"{kk}:7", "« » quotes inside the tag", "straight quotes")
    one(problems, f"{over / 'ru' / 'order.md'}:", "syntax error", "endif")
    line = len(coi.read_text(encoding="utf-8").splitlines())
    one(problems, str(coi), f"officer.phone (line {line})", "which ru/coi_policy.md does not")
    assert len(problems) == 5, problems


def test_check_finds_word_problems_with_their_paragraph(tmp_path):
    over = tmp_path / "mine"
    word_template(over / "ru" / "policy.docx", [
        "Политика {{ org.name_gen }}",                                     # 1: fine
        [("Руководитель: {{ head.", False), ("name }}", True)],            # 2: split, formatting differs
        "Утверждена {{ approval.date | default(«нет») }}",                 # 3: «» quotes
        "Сайт: {{ org.site }}",                                            # 4: no such variable
        "Начало {{ org.name",                                             # 5: tag split across paragraphs
        "}} конец",                                                        # 6
    ], [["{%tr for e in employees %}", "лишний текст"],                    # row 1: other text in a tr row
        ["{{ e.name }}", ""],
        ["{%tr endfor %}", ""],
        ["{% for d in departments %}{{ d }}", "{% endfor %}"],            # row 4: plain for across cells
        ["{%tr for e in equated %}", ""],                                 # row 5
        ["{%tr endfor %}", ""],                                           # row 6: no row to repeat
        ["{%tr for e in equated %}{{ e.name }}", "{%tr endfor %}"]])       # row 7: opened and closed in one row
    path = over / "ru" / "policy.docx"
    problems = problems_of(over)
    one(problems, f"{path}: paragraph 2 «Руководитель: {{{{ head.name }}}}»", "split by Word",
        "different formatting")
    one(problems, f"{path}: paragraph 3", "« » quotes inside the tag")
    one(problems, f"{path}: paragraph 5", "not closed in this paragraph")
    one(problems, f"{path}: paragraph 6", "not opened in this paragraph")
    one(problems, f"{path}: paragraph 7 in table 1, row 1, cell 1", "its other text «лишний текст» would be lost")
    one(problems, f"{path}: paragraph 14 in table 1, row 4, cell 2", "different table cells or rows", "{%tr for")
    one(problems, f"{path}: paragraph 17 in table 1, row 6, cell 1", "no row between", "nothing to repeat")
    one(problems, f"{path}: paragraph 19 in table 1, row 7, cell 1", "its other text «{{ e.name }}» would be lost")
    one(problems, f"{path}: paragraph 20 in table 1, row 7, cell 2", "same table row", "nothing to repeat")
    one(problems, f"{path}: paragraph 4 «Сайт: {{{{ org.site }}}}»", "org.site is not provided",
        "did you mean org.website")
    assert len(problems) == 10, problems
    # variables in a row loop are checked against the items of the list
    word_template(path, ["Политика {{ org.name_gen }}"],
                  [["{%tr for e in employees %}", ""], ["{{ e.nmae }}", ""], ["{%tr endfor %}", ""]])
    problems = problems_of(over)
    one(problems, f"{path}: paragraph 4 in table 1, row 2, cell 1", "employees[].nmae is not provided",
        "did you mean employees[].name")


def test_check_names_files_that_override_nothing(tmp_path):
    over = tmp_path / "mine"
    (over / "kk").mkdir(parents=True)
    (over / "en").mkdir()
    (over / "kk" / "polcy.md").write_text("x", encoding="utf-8")
    (over / "kk" / "notes.txt").write_text("x", encoding="utf-8")
    (over / "kk" / "~$licy.docx").write_text("Word's lock file", encoding="utf-8")
    word_template(over / "kk" / "order.docx", ["{{ org.name }}"])
    (over / "kk" / "order.md").write_text("{{ org.name }}", encoding="utf-8")
    word_template(over / "kk" / "_macros.docx", ["x"])
    word_template(over / "kk" / "reports_register.docx", ["x"])
    problems = problems_of(over)
    one(problems, "en", "not a language folder")
    one(problems, "polcy.md", "override nothing", "did you mean policy.md")
    one(problems, "notes.txt", "not a template")
    one(problems, "order.docx", "both order.md and order.docx")
    one(problems, "_macros.docx", "override it with _macros.md")
    one(problems, "reports_register.docx", "only a spreadsheet")
    assert not any("~$" in p for p in problems)


def test_cli_check_exits_1_on_problems_and_build_refuses_them(tmp_path):
    over = tmp_path / "mine"
    word_template(over / "ru" / "policy.docx", [[("{{ org.", False), ("name }}", True)]])
    runner = CliRunner()
    res = runner.invoke(main, ["templates", "check", str(over)])
    assert res.exit_code == 1
    assert "paragraph 1" in res.output and "split by Word" in res.output and "1 problem in 1 file" in res.output
    out = tmp_path / "out"
    res = runner.invoke(main, ["build", str(ASTANA), "-o", str(out), "--templates", str(over)])
    assert res.exit_code == 1 and "split by Word" in res.output
    assert files_under(out) == []
    res = runner.invoke(main, ["templates", "check", str(BUILTIN_DIR)])
    assert res.exit_code == 0 and "no problems" in res.output


# --- the sandbox ----------------------------------------------------------------------------


HOSTILE = {  # template: (what a build says, found before rendering or by the sandbox; what the sandbox says)
    "class": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", ("not allowed in a template", "__class__"),
              ("not allowed in a template", "'__class__' of 'str' object is unsafe")),
    "globals": ("{{ cycler.__init__.__globals__.os.environ }}", ("not allowed in a template", "__init__"),
                ("not allowed in a template", "'__init__'")),
    "function globals": ("{{ workdays_after.__globals__['__builtins__'] }}", ("not allowed", "__globals__"),
                         ("not allowed in a template", "'__globals__' of 'function' object is unsafe")),
    "os": ("{{ os.environ['HOME'] }}", ("the variable os is not provided",),
           ("'os' is undefined", "no such variable")),
    "open": ("{{ open('/etc/passwd').read() }}", ("the variable open is not provided",),
             ("'open' is undefined", "no such variable")),
    "format": ("{{ '{0.__class__}'.format(year) }}", ("not allowed in a template", "__class__"),
               ("not allowed in a template", "__class__")),
    "include": ("{% include '../../../../../etc/passwd' %}", ("template not found", "passwd"),
                ("template not found", "passwd")),
    "memory": ("{{ 'x' * 100000000 }}", ("not allowed in a template", "over 1000000"),
               ("not allowed in a template", "over 1000000")),
}


def hostile_order(tmp_path: Path, source: str) -> Path:
    over = tmp_path / "mine"
    (over / "kk").mkdir(parents=True)
    order = (BUILTIN_DIR / "kk" / "order.md").read_text(encoding="utf-8")
    (over / "kk" / "order.md").write_text(order + "\n" + source + "\n", encoding="utf-8")
    return over


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_markdown_templates_fail_cleanly_and_write_nothing(tmp_path, kind):
    source, expected, _ = HOSTILE[kind]
    over = hostile_order(tmp_path, source)
    out = tmp_path / "out"  # the build command checks the templates before rendering
    res = CliRunner().invoke(main, ["build", str(ASTANA), "-o", str(out), "--templates", str(over)])
    assert res.exit_code == 1
    message = res.output
    line = len((over / "kk" / "order.md").read_text(encoding="utf-8").splitlines())
    assert f"{over / 'kk' / 'order.md'}:{line}" in message
    assert all(x in message for x in expected), message
    assert "Traceback" not in message
    assert files_under(out) == [] and not out.exists()


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_sandbox_itself_stops_hostile_templates(tmp_path, kind):
    """Without the check before a build (a template rendered directly), the sandbox refuses."""
    source, _, expected = HOSTILE[kind]
    over = hostile_order(tmp_path, source)
    from packbuilder.authoring.check import example_context
    with pytest.raises(InputError, match=re.escape(str(over / "kk" / "order.md"))) as err:
        TemplateSet("kk", over).render("order", example_context("order", "kk"))
    message = str(err.value)
    assert str(over / "kk" / "order.md") in message
    assert all(x in message for x in expected), message


def test_hostile_word_template_fails_cleanly_and_writes_nothing(tmp_path):
    over = tmp_path / "mine"
    word_template(over / "ru" / "policy.docx", ["Политика", "{{ approval.date.__class__.__mro__ }}"])
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(ASTANA), "-o", str(out), "--templates", str(over)])
    assert res.exit_code == 1
    assert "policy.docx: paragraph 2" in res.output and "not allowed in a template" in res.output
    assert "approval.date.__class__" in res.output
    assert files_under(out) == []
    problems = problems_of(over)
    assert any("paragraph 2" in p and "not allowed in a template" in p for p in problems)
    with pytest.raises(InputError, match="not allowed in a template") as err:  # and the sandbox refuses it too
        from packbuilder.authoring.check import example_context
        from packbuilder.write.word_template import render_docx
        render_docx(over / "ru" / "policy.docx", TemplateSet("ru", over).docx_env, example_context("policy", "ru"))
    assert "policy.docx: the paragraph «{{ approval.date.__class__.__mro__ }}»" in str(err.value)
    assert "'__class__' of 'date' object is unsafe" in str(err.value)


# --- export and its guide -------------------------------------------------------------------


def test_export_writes_the_templates_and_a_guide_of_every_variable(tmp_path):
    res = CliRunner().invoke(main, ["templates", "export", str(tmp_path / "exp")])
    assert res.exit_code == 0, res.output
    for lang in ("kk", "ru"):
        for f in (BUILTIN_DIR / lang).glob("*.md"):
            assert (tmp_path / "exp" / lang / f.name).read_bytes() == f.read_bytes()
    guide = (tmp_path / "exp" / "README.md").read_text(encoding="utf-8")
    assert guide == guide_markdown()
    assert "::: pagebreak" in (tmp_path / "exp" / "LAYOUT.md").read_text(encoding="utf-8")
    assert "| `org.name` | Астана қаласы әкімдігінің «Қалалық су арнасы» ШЖҚ МКК | ГКП на ПХВ" in guide
    assert "{%tr for e in employees %}" in guide and "| `training_protocol` |" in guide
    res = CliRunner().invoke(main, ["templates", "export", str(tmp_path / "exp")])
    assert res.exit_code == 1 and "not empty" in res.output


def test_every_variable_of_the_guide_is_described_and_every_description_used():
    rows = variables()
    assert [name for name, _, _, what in rows if not what] == []
    keys = {_key(name.replace("acts.<act>", "acts.*")) for name, *_ in rows}
    assert set(DESCRIPTIONS) - keys == set()
    names = [name for name, *_ in rows]
    for expected in ("org.hotline.email", "employees[].deadline", "event", "quarter", "acts.<act>.ref", "m"):
        assert expected in names
