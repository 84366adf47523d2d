"""The manifest: one model, written and read back unchanged; a damaged one refused with the
field named."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from packbuilder.errors import InputError
from packbuilder.pack.manifest import (
    MANIFEST,
    read_manifest,
    verify_pack,
    write_manifest,
)


def test_a_manifest_read_and_written_again_is_the_same_bytes(packs, tmp_path):
    pack = packs["astana_monitoring_centre"]
    manifest, raw = read_manifest(pack.root)
    assert manifest.year == 2026 and manifest.bin == "150740099876" and manifest.previous is None
    assert manifest.profile == pack.profile and len(manifest.files) == 107  # 104 documents, 2 calendars and the base
    assert ".packbuilder/base.json.xz" in manifest.file_paths()
    assert manifest.revisions["03-policy"][0].kind == "first"
    assert write_manifest(tmp_path, manifest).read_bytes() == raw
    assert verify_pack(pack.root, manifest) == []


@pytest.mark.parametrize("change, where, expected", [
    (lambda m: m.__setitem__("year", "abc"), "year", "expected a whole number"),
    (lambda m: m.__setitem__("year", None), "year", "expected a whole number"),
    (lambda m: m["files"][0].pop("sha256"), "files[0].sha256", "is required"),
    (lambda m: m["revisions"]["03-policy"][0].__setitem__("order_date", "15.13.2026"), "revisions.03-policy[0]",
     "order_date"),
    (lambda m: m["profile"]["organization"].__setitem__("bin", "123"), "profile.organization.bin", "12 digits"),
])
def test_a_damaged_manifest_is_refused_naming_the_field(packs, tmp_path, change, where, expected):
    root = tmp_path / "pack"
    shutil.copytree(packs["astana_monitoring_centre"].root, root)
    data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    change(data)
    (root / MANIFEST).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"manifest.json: {where}")) as err:
        read_manifest(root)
    assert expected in str(err.value) and "Traceback" not in str(err.value)


def test_a_manifest_of_another_tool_or_not_json_is_refused(tmp_path):
    (tmp_path / MANIFEST).write_bytes(b"\xff\xfe{")
    with pytest.raises(InputError, match="not a readable manifest"):
        read_manifest(tmp_path)
    (tmp_path / MANIFEST).write_text('{"tool": "other", "files": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not a packbuilder manifest"):
        read_manifest(tmp_path)
    (tmp_path / MANIFEST).write_text('{"tool": "packbuilder", "version": "0.0.9", "files": []}', encoding="utf-8")
    with pytest.raises(InputError, match="written by packbuilder 0.0.9, which did not record profile, revisions"):
        read_manifest(tmp_path)
