"""The command line starts without importing what its commands use (packbuilder/cli.py):
`packbuilder --help` and `list` stay quick; each command imports its stages when it runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("docxtpl", "docx", "openpyxl", "lxml", "pydantic", "pymorphy3", "holidays", "pypdf", "jinja2", "markdown",
         "yaml", "icalendar")


def _modules_after(code: str) -> set[str]:
    """The top-level names of the modules imported in a new interpreter after ``code``."""
    script = f"import sys\n{code}\nimport json; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_importing_the_command_line_imports_no_library_of_the_stages():
    loaded = _modules_after("import packbuilder.cli")
    assert "click" in loaded
    assert sorted(loaded & set(HEAVY)) == []


def test_help_and_list_import_none_of_them_either():
    loaded = _modules_after("from click.testing import CliRunner\nfrom packbuilder.cli import main\n"
                            "r = CliRunner().invoke(main, ['--help'])\n"
                            "assert r.exit_code == 0 and 'batch' in r.output\n"
                            "r = CliRunner().invoke(main, ['list'])\n"
                            "assert r.exit_code == 0 and 'policy' in r.output\n"
                            "r = CliRunner().invoke(main, ['build', '--help'])\n"
                            "assert '--lang [kk|ru]' in r.output")
    assert sorted(loaded & set(HEAVY)) == []
