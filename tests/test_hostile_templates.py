"""Hostile input (issue «Hostile input», items 1 and 2): a template folder's symbolic links are
refused before and while rendering, and a template cannot exhaust memory, digits, time or the
stack: each is an error naming the template file and line and the limit, the build exits 1
and writes nothing, `templates check` reports it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from packbuilder.authoring.check import check_templates, example_context
from packbuilder.cli import main
from packbuilder.errors import InputError
from packbuilder.inputs.profile_file import load_profile
from packbuilder.pack.build import render_pack
from packbuilder.render import templates
from packbuilder.render.templates import BUILTIN_DIR, TemplateSet

ASTANA = SAMPLES / "astana_monitoring_centre.yaml"
LINKED = "is a symbolic link (or outside the templates folder): copy the file itself"


def build(over: Path, out: Path, doc: str = "order"):
    return CliRunner().invoke(main, ["build", str(ASTANA), "-o", str(out), "--only", doc, "--lang", "kk",
                                     "--templates", str(over)])


def check(over: Path):
    return CliRunner().invoke(main, ["templates", "check", str(over)])


# --- 1. symbolic links ------------------------------------------------------------------------


def secret(tmp_path: Path) -> Path:
    f = tmp_path / "secret.txt"
    f.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return f


def test_a_linked_template_file_is_refused_by_build_check_and_render(tmp_path):
    over = tmp_path / "T"
    (over / "kk").mkdir(parents=True)
    (over / "kk" / "policy.md").symlink_to(secret(tmp_path))
    out = tmp_path / "O"
    res = build(over, out, "policy")
    assert res.exit_code == 1
    assert f"{over / 'kk' / 'policy.md'}: {LINKED}" in res.output
    assert "root:x" not in res.output and "Traceback" not in res.output
    assert not out.exists()
    res = check(over)
    assert res.exit_code == 1 and f"{over / 'kk' / 'policy.md'}: {LINKED}" in res.output
    # without the check before a build, rendering refuses to read it too
    with pytest.raises(InputError, match=re.escape(f"{over / 'kk' / 'policy.md'}: {LINKED}")):
        render_pack(load_profile(ASTANA), ["kk"], ["policy"], templates_dir=over)
    with pytest.raises(InputError, match=re.escape(LINKED)):
        TemplateSet("kk", over).render("policy", example_context("policy", "kk"))


def test_a_linked_language_folder_and_a_linked_include_are_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "policy.md").write_text("root:x:0:0\n", encoding="utf-8")
    over = tmp_path / "T"
    over.mkdir()
    (over / "kk").symlink_to(elsewhere, target_is_directory=True)
    out = tmp_path / "O"
    res = build(over, out, "policy")
    assert res.exit_code == 1 and f"{over / 'kk'}: {LINKED}" in res.output and not out.exists()
    assert f"{over / 'kk'}: {LINKED}" in [str(p) for p in check_templates(over).problems]
    with pytest.raises(InputError, match=re.escape(f"{over / 'kk' / 'policy.md'}: {LINKED}")):
        TemplateSet("kk", over).render("policy", example_context("policy", "kk"))

    # a real order.md including a linked shared file: the loader refuses the link
    over2 = tmp_path / "T2"
    (over2 / "kk").mkdir(parents=True)
    (over2 / "kk" / "_training.md").symlink_to(secret(tmp_path))
    with pytest.raises(InputError, match=re.escape(f"{over2 / 'kk' / '_training.md'}: {LINKED}")):
        TemplateSet("kk", over2).topics()
    res = build(over2, tmp_path / "O2")
    assert res.exit_code == 1 and LINKED in res.output and not (tmp_path / "O2").exists()


def test_a_linked_word_template_is_refused(tmp_path):
    over = tmp_path / "T"
    (over / "kk").mkdir(parents=True)
    (over / "kk" / "policy.docx").symlink_to(secret(tmp_path))
    with pytest.raises(InputError, match=re.escape(f"{over / 'kk' / 'policy.docx'}: {LINKED}")):
        TemplateSet("kk", over).docx("policy")
    res = build(over, tmp_path / "O", "policy")
    assert res.exit_code == 1 and LINKED in res.output and not (tmp_path / "O").exists()


# --- 2. render limits ---------------------------------------------------------------------------


HOSTILE = {  # one line appended to kk/order.md: what the error says
    "range": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
              "range() of 100000 items is over the limit of 10000"),
    "power": ("{{ (10 ** 100) ** 100 }}", "would make a number of over 1000 digits"),
    "product": (("{% set ns = namespace(n=10 ** 99) %}{% for i in range(20) %}{% set ns.n = ns.n * ns.n %}"
                "{% endfor %}{{ ns.n }}"), "would make a number of over 1000 digits"),
    "format filter": ("{{ '%2000000000d'|format(1) }}", "the width or precision 2000000000 is over the limit of 1000000"),
    "percent": ("{{ '%2000000000d' % 1 }}", "the width or precision 2000000000 is over the limit of 1000000"),
    "center": ("{{ 'x'|center(2000000000) }}", "center(2000000000) would make a text or list of 2000000000 items"),
    "str.format": ("{{ '{0:>2000000000}'.format(1) }}", "the width or precision 2000000000 is over the limit"),
    "ljust": ("{{ 'x'.ljust(2000000000) }}", "ljust(2000000000) would make a text or list of 2000000000 items"),
    "repeat": ("{{ 'x' * 10 ** 9 }}", "a text or list of 1000000000 items is over 1000000"),
    "doubling": (("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
                 "{{ ns.s|length }}"), "would make a text or list of 1048576 items, over the limit of 1000000"),
    "join": ("{{ (['x' * 1000000] * 1000)|join }}", "the filter join would make a text or list of 1000000000 items"),
    "recursion": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "recursion too deep"),
    "time": ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
             "the render took over 0.2 s, the limit of one document"),
}


def hostile_order(tmp_path: Path, source: str) -> tuple[Path, str]:
    """A templates folder whose kk/order.md is the built-in one and ``source`` on its last
    line; the folder and «file:line» of that line."""
    over = tmp_path / "T"
    (over / "kk").mkdir(parents=True)
    order = (BUILTIN_DIR / "kk" / "order.md").read_text(encoding="utf-8") + "\n" + source + "\n"
    f = over / "kk" / "order.md"
    f.write_text(order, encoding="utf-8")
    return over, f"{f}:{len(order.splitlines())}"


@pytest.fixture
def short_budget(monkeypatch):
    monkeypatch.setattr(templates, "RENDER_SECONDS", 0.2)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_template_over_a_limit_fails_cleanly_and_writes_nothing(tmp_path, kind, short_budget):
    source, expected = HOSTILE[kind]
    over, at = hostile_order(tmp_path, source)
    out = tmp_path / "O"
    res = build(over, out)
    assert res.exit_code == 1, res.output
    assert f"{at}: not allowed in a template: " in res.output and expected in res.output, res.output
    assert "Traceback" not in res.output
    assert not out.exists()
    res = check(over)
    assert res.exit_code == 1 and f"{at}: " in res.output and expected in res.output, res.output
    with pytest.raises(InputError, match=re.escape(at)) as err:  # the sandbox itself, no check before
        TemplateSet("kk", over).render("order", example_context("order", "kk"))
    assert expected in str(err.value)


def test_the_limits_leave_normal_templates_alone_and_the_budget_is_per_render(monkeypatch):
    env = TemplateSet("kk").docx_env
    ok = ("{% for i in range(10000) %}{% endfor %}{{ 2 ** 100 }} {{ 'ab'|center(6) }} {{ '{:>4}'.format(7) }} "
          "{{ '%5.1f'|format(2.25) }} {{ ['a', 'b']|join('-') }} {{ 'x' * 3 ~ 'y' }}")
    assert env.from_string(ok).render() == "1267650600228229401496703205376   ab      7   2.2 a-b xxxy"
    monkeypatch.setattr(templates, "RENDER_SECONDS", 0.05)
    slow = env.from_string("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}")
    with pytest.raises(templates.TemplateLimitError, match=r"the render took over 0\.05 s"):
        slow.render()
    assert templates._deadline.get() is None  # the next render has its own budget
    assert env.from_string(ok).render().startswith("1267650600228229401496703205376")
