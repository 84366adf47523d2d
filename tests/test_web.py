"""The browser interface (`packbuilder serve`) through Flask's test client: every route, its
errors and its limits. CSRF stays on: the helpers take the token from the pages' forms.
Builds are small (one or two documents, one language) and shared by module fixtures."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from packbuilder.i18n import in_language
from packbuilder.web import create_app
from packbuilder.web.app import jobs_of, store_of
from tests.conftest import SAMPLES, docx_text

PROFILE = SAMPLES / "astana_monitoring_centre.yaml"
PROFILE_2027 = SAMPLES / "astana_monitoring_centre_2027.yaml"
BIN = "150740099876"


def token_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no csrf_token in the page"
    return m.group(1)


class Browser:
    """A test client that sends each form with the CSRF token of its session."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self._token = None

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def token(self) -> str:
        if self._token is None:
            self._token = token_of(self.client.get("/").get_data(as_text=True))
        return self._token

    def post(self, url, data=None, files=None, **kw):
        data = dict(data or {})
        data["csrf_token"] = self.token()
        if files:
            data.update({k: (io.BytesIO(v[1]), v[0]) for k, v in files.items()})
            return self.client.post(url, data=data, content_type="multipart/form-data", **kw)
        return self.client.post(url, data=data, **kw)


def form_fields(html: str) -> list[tuple[str, str]]:
    """What a browser sends for the form of ``html``: inputs with their values (checked
    boxes only), selected options, text areas; no submit buttons."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.fields, self.select, self.area = [], None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a and "disabled" not in a:
                        self.fields.append((a["name"], a.get("value", "on")))
                else:
                    self.fields.append((a["name"], a.get("value", "")))
            elif tag == "textarea" and a.get("name"):
                self.area = [a["name"], ""]
            elif tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select and "selected" in a:
                self.fields.append((self.select, a.get("value", "")))

        def handle_data(self, data):
            if self.area is not None:
                self.area[1] += data

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea" and self.area is not None:
                self.fields.append(tuple(self.area))
                self.area = None

    p = Parser()
    p.feed(html)
    return [(k, v) for k, v in p.fields if k != "csrf_token"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("web")


@pytest.fixture(scope="module")
def app(data_dir):
    return create_app(data_dir, ui_lang="en", run_jobs_inline=True, max_upload=2 * 1024 * 1024, batch_jobs=1)


@pytest.fixture(scope="module")
def web(app) -> Browser:
    return Browser(app)


@pytest.fixture(scope="module")
def org(web) -> int:
    """The sample organization imported from its YAML profile; returns its id."""
    r = web.post("/org/import-profile", files={"file": ("astana.yaml", PROFILE.read_bytes())})
    assert r.status_code == 302, r.get_data(as_text=True)
    m = re.fullmatch(r"/org/(\d+)/2026/profile", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


@pytest.fixture(scope="module")
def built(web, org, data_dir) -> Path:
    """The pack of 2026 in Russian with two documents, built through the build page."""
    r = web.post(f"/org/{org}/2026/build", {"languages": "ru", "documents": ["order", "policy"], "force": "1"})
    assert r.status_code == 302
    job = web.get(r.headers["Location"]).get_data(as_text=True)
    assert 'data-status="done"' in job, job
    return data_dir / "packs" / BIN / "2026"


def profile_data() -> dict:
    return yaml.safe_load(PROFILE.read_text(encoding="utf-8"))


# --- organizations -------------------------------------------------------------------------------


def test_the_list_shows_the_imported_organization_by_bin_and_name(web, org):
    html = web.get("/").get_data(as_text=True)
    assert BIN in html
    assert profile_data()["organization"]["name"]["ru"] in html  # en shows the Russian name
    assert '<html lang="en">' in html


def test_adding_an_organization_opens_its_profile_with_the_names(web):
    r = web.post("/org/add", {"bin": "970940000002", "name_kk": "Тест ЖШС", "name_ru": "ТОО Тест",
                              "legal_form": "ЖШС", "year": "2026"})
    assert r.status_code == 302, r.get_data(as_text=True)
    html = web.get(r.headers["Location"]).get_data(as_text=True)
    assert 'name="organization.name.kk" lang="kk" rows="2"' in html and ">Тест ЖШС</textarea>" in html
    assert 'value="ЖШС" selected' in html
    # a draft: what is missing is named next to its field
    assert 'data-path="organization.city"' in html


def test_adding_an_organization_with_a_bad_bin_is_refused_with_the_reason(web):
    r = web.post("/org/add", {"bin": "123", "name_kk": "A", "name_ru": "A", "year": "2026"})
    assert r.status_code == 400
    assert "expected 12 digits" in r.get_data(as_text=True)


def test_an_invalid_imported_profile_is_kept_as_a_draft_with_its_errors_at_their_fields(web):
    data = profile_data()
    data["organization"]["bin"] = "030340004503"
    data["compliance_officer"]["email"] = "not-an-address"
    data["employees"][2]["hired"] = "2026-02-30"
    r = web.post("/org/import-profile", files={"file": ("bad.yaml", yaml.safe_dump(data, allow_unicode=True).encode())})
    assert r.status_code == 302
    html = web.get(r.headers["Location"]).get_data(as_text=True)
    assert "The profile is a draft" in html
    # the problem sits right after its own input
    email = html.index('name="compliance_officer.email"')
    error = html.index('data-path="compliance_officer.email"')
    assert email < error < html.index('name="approval.number"')
    assert "expected an e-mail address" in html[error:error + 300]
    hired = html.index('name="employees[2].hired"')
    assert hired < html.index('data-path="employees[2].hired"') < html.index('name="employees[3].name.kk"')
    # what was typed is kept
    assert 'value="not-an-address"' in html


def test_import_refuses_a_file_of_the_wrong_type(web):
    r = web.post("/org/import-profile", files={"file": ("profile.docx", b"PK\x03\x04...")}, follow_redirects=True)
    assert "expected a file of type .yaml, .yml, .json" in r.get_data(as_text=True)
    r = web.post("/org/import-registry", files={"file": ("registry.xlsx", b"year: 2026\n")}, follow_redirects=True)
    assert "not a .xlsx file" in r.get_data(as_text=True)


def test_a_registry_row_becomes_an_organization(web):
    files = {"file": ("r.xlsx", (SAMPLES / "ministry_registry.xlsx").read_bytes()),
             "defaults": ("d.yaml", (SAMPLES / "ministry_defaults.yaml").read_bytes())}
    r = web.post("/org/import-registry", files=files)
    assert r.status_code == 302
    rows = web.get(r.headers["Location"]).get_data(as_text=True)
    first = re.search(r'name="row" value="(\d+)"', rows)
    assert first, rows
    bins = re.findall(r'<td class="nowrap">(\d{12})</td>', rows)
    r = web.post(r.headers["Location"], {"row": first.group(1)})
    assert r.status_code == 302 and "/profile" in r.headers["Location"]
    html = web.get(r.headers["Location"]).get_data(as_text=True)
    assert f'value="{bins[0]}"' in html
    assert "The profile is valid" in html


# --- profile form --------------------------------------------------------------------------------


def test_the_form_has_every_field_and_saving_it_unchanged_gives_the_same_profile(web, org, app):
    html = web.get(f"/org/{org}/2026/profile").get_data(as_text=True)
    for name in ("organization.name.kk", "organization.name.ru", "organization.hotline.phone", "approval.date",
                 "departments[0].kk", "employees[0].position.ru", "employees[0].hired", "compliance_officer.email"):
        assert f'name="{name}"' in html, name
    assert 'type="date"' in html and 'name="employees[0].equated" type="checkbox"' in html
    assert "Full official name (legal form included)" in html and "organization.name</code>" in html
    before = store_of(app).profile(org, 2026)
    r = web.post(f"/org/{org}/2026/profile", dict_list(form_fields(html)) | {"action": "save"})
    assert r.status_code == 302
    from packbuilder.inputs.profile_file import validate_profile
    assert validate_profile(store_of(app).profile(org, 2026)) == validate_profile(before)


def dict_list(fields: list[tuple[str, str]]) -> dict:
    out: dict = {}
    for k, v in fields:
        out.setdefault(k, []).append(v)
    return out


def test_a_row_is_added_without_javascript_and_an_empty_text_is_an_error_at_its_field(web, org, app):
    html = web.get(f"/org/{org}/2026/profile").get_data(as_text=True)
    fields = dict_list(form_fields(html))
    n = len([k for k in fields if re.fullmatch(r"departments\[\d+\]\.kk", k)])
    r = web.post(f"/org/{org}/2026/profile", fields | {"action": "add:departments"})
    assert r.headers["Location"].endswith("#departments")
    html = web.get(f"/org/{org}/2026/profile").get_data(as_text=True)
    assert f'name="departments[{n}].kk"' in html
    fields = dict_list(form_fields(html))
    fields[f"departments[{n}].kk"] = ["Жаңа бөлім"]  # the Russian left empty
    web.post(f"/org/{org}/2026/profile", fields | {"action": "save"})
    html = web.get(f"/org/{org}/2026/profile").get_data(as_text=True)
    assert f'data-path="departments[{n}].ru"' in html
    fields = dict_list(form_fields(html))
    web.post(f"/org/{org}/2026/profile", fields | {"action": f"remove:departments:{n}"})
    html = web.get(f"/org/{org}/2026/profile").get_data(as_text=True)
    assert f'name="departments[{n}].kk"' not in html and "The profile is valid" in html


def test_a_staff_file_path_in_an_imported_profile_never_reaches_the_disk(web, tmp_path):
    data = profile_data()
    data["organization"]["bin"] = "070540005111"
    data["employees"] = "/etc/passwd"
    r = web.post("/org/import-profile", files={"file": ("p.yaml", yaml.safe_dump(data, allow_unicode=True).encode())})
    html = web.get(r.headers["Location"]).get_data(as_text=True)
    assert "upload it on the Staff page" in html and "root:" not in html


# --- staff ---------------------------------------------------------------------------------------


def staff_workbook(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(["name.kk", "name.ru", "position.kk", "position.ru", "equated", "hired"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_staff_workbook_replaces_the_employees_and_is_shown_as_a_table(web, app):
    r = web.post("/org/add", {"bin": "950640000008", "name_kk": "Штат", "name_ru": "Штат", "year": "2026"})
    org_id = int(r.headers["Location"].split("/")[2])
    xlsx = staff_workbook([["Әлиев Әли", "Алиев Али", "Бас маман", "Главный специалист", "иә", "2024-03-01"],
                          ["Петрова Анна", "Петрова Анна", "Заңгер", "Юрист", "нет", None]])
    r = web.post(f"/org/{org_id}/2026/staff", files={"file": ("staff.xlsx", xlsx)})
    assert r.status_code == 302
    html = web.get(f"/org/{org_id}/2026/staff").get_data(as_text=True)
    assert "2 employees" in html
    assert "<td>1</td><td>Алиев Али</td><td>Главный специалист</td>" in html
    assert "<td>2</td><td>Петрова Анна</td><td>Юрист</td>" in html
    assert "01.03.2024" in html
    assert store_of(app).profile(org_id, 2026)["employees"][0]["equated"] is True
    rows = xlsx_rows_bytes(web.get(f"/org/{org_id}/2026/staff.xlsx").data)
    assert rows[1][:2] == ["Әлиев Әли", "Алиев Али"]
    with_kk = web.client.get(f"/lang/kk?next=/org/{org_id}/2026/staff", follow_redirects=True).get_data(as_text=True)
    assert "<td>1</td><td>Әлиев Әли</td><td>Бас маман</td>" in with_kk
    web.client.get("/lang/en")


def xlsx_rows_bytes(data: bytes) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_a_bad_staff_file_shows_the_readers_problems_with_their_cells(web, org):
    xlsx = staff_workbook([["Әлиев Әли", "Алиев Али", "Бас маман", "Главный специалист", "иә", "2024-02-30"]])
    r = web.post(f"/org/{org}/2026/staff", files={"file": ("staff.xlsx", xlsx)})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "staff.xlsx!Staff!F2" in html or "Staff!F2" in html, html
    assert "is not a date that exists" in html
    r = web.post(f"/org/{org}/2026/staff", files={"file": ("staff.xlsx", b"not a workbook")}, follow_redirects=True)
    assert "not a .xlsx file" in r.get_data(as_text=True)


# --- build and pack ------------------------------------------------------------------------------


def test_the_build_page_offers_languages_documents_and_pdf(web, org):
    html = web.get(f"/org/{org}/2026/build").get_data(as_text=True)
    assert 'name="languages" value="kk"' in html and 'name="documents" value="policy"' in html
    assert 'name="pdf"' in html


def test_a_build_writes_the_pack_with_the_organizations_name(built):
    name = profile_data()["organization"]["name"]["ru"]
    assert name in docx_text(built / "ru" / "03-policy.docx")
    assert (built / "manifest.json").is_file() and not (built / "kk").exists()


def test_the_job_page_polls_with_htmx_while_running_and_refreshes_without_javascript(web, app, org, built):
    store = store_of(app)
    build_id = store.add_build(org, 2026, "build")
    html = web.get(f"/jobs/{build_id}").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in html and 'http-equiv="refresh"' in html and "htmx.min.js" in html
    frag = web.get(f"/jobs/{build_id}/progress").get_data(as_text=True)
    assert frag.startswith('<div id="job"') and "queued" in frag
    store.update_build(build_id, status="done", done=4, total=4)
    frag = web.get(f"/jobs/{build_id}/progress").get_data(as_text=True)
    assert "hx-trigger" not in frag and "Open the pack" in frag
    assert web.get("/static/htmx.min.js").status_code == 200


def test_the_pack_page_lists_each_document_with_kk_and_ru_titles_and_its_files(web, org, built):
    from packbuilder.model.catalogue import BY_ID

    html = web.get(f"/org/{org}/2026/pack").get_data(as_text=True)
    assert BY_ID["policy"].title("kk", 2026) in html and BY_ID["policy"].title("ru", 2026) in html
    assert "ru/03-policy.docx" in html and "manifest.json" in html


def test_a_file_of_the_pack_downloads_with_its_bytes(web, org, built):
    r = web.get(f"/org/{org}/2026/file/ru/03-policy.docx")
    assert r.status_code == 200 and r.data == (built / "ru" / "03-policy.docx").read_bytes()
    assert r.headers["Content-Disposition"].startswith("attachment")


def test_a_pdf_opens_in_the_browser(web, org, built):
    (built / "ru" / "03-policy.pdf").write_bytes(b"%PDF-1.4 test")
    try:
        r = web.get(f"/org/{org}/2026/file/ru/03-policy.pdf")
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        assert r.headers["Content-Disposition"].startswith("inline")
    finally:
        (built / "ru" / "03-policy.pdf").unlink()


def test_a_name_not_in_the_pack_is_not_found(web, org, built, data_dir):
    (data_dir / "secret.txt").write_text("TOP-SECRET-CONTENT")
    for name in ("../../../secret.txt", "ru/../../../../secret.txt", "ru/missing.docx", "%2e%2e/secret.txt",
                 "../../../secret_key", "/etc/passwd"):
        r = web.get(f"/org/{org}/2026/file/{name}", follow_redirects=True)
        assert r.status_code == 404, name
        assert b"TOP-SECRET-CONTENT" not in r.data and b"root:" not in r.data
    assert web.get("/org/999/2026/pack").status_code == 404
    assert web.get(f"/org/{org}/1999/pack").status_code == 404


def test_the_pack_zip_holds_every_file_of_the_pack(web, org, built):
    r = web.get(f"/org/{org}/2026/pack.zip")
    assert r.status_code == 200 and r.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        names = set(z.namelist())
        assert f"{BIN}/2026/ru/03-policy.docx" in names and f"{BIN}/2026/manifest.json" in names
        assert z.read(f"{BIN}/2026/ru/01-order.docx") == (built / "ru" / "01-order.docx").read_bytes()


def test_an_unknown_organization_is_a_404_page_in_the_interface_language(web):
    r = web.get("/org/12345/2026/profile")
    assert r.status_code == 404 and "There is no such page or file." in r.get_data(as_text=True)


# --- next year -----------------------------------------------------------------------------------


def test_next_year_copies_the_profile_updates_the_pack_and_shows_the_report(web, app, org, built, data_dir):
    r = web.post(f"/org/{org}/2026/next-year", {"action": "copy"})
    assert r.headers["Location"].endswith(f"/org/{org}/2027/profile")
    assert store_of(app).profile(org, 2027)["year"] == 2027
    # the officer sets the new order (and the rest of the 2027 sample's changes)
    new = yaml.safe_load(PROFILE_2027.read_text(encoding="utf-8"))
    new["languages"] = ["ru"]
    store_of(app).save_profile(org, 2027, json.loads(json.dumps(new, default=str)))
    r = web.post(f"/org/{org}/2026/next-year", {"action": "update", "source": "built", "force": "1"})
    assert r.status_code == 302
    job = web.get(r.headers["Location"]).get_data(as_text=True)
    assert 'data-status="done"' in job, job
    page = web.get(f"/org/{org}/2027/changes").get_data(as_text=True)
    assert "changes/ru.html" in page and "<iframe" in page
    report = web.get(f"/org/{org}/2027/file/changes/ru.html")
    assert report.status_code == 200 and report.mimetype == "text/html"
    assert "sandbox" in report.headers["Content-Security-Policy"]
    assert "Нурланов" in report.get_data(as_text=True)


def test_next_year_from_an_uploaded_zip_of_the_pack(web, org, built, app, data_dir):
    r = web.get(f"/org/{org}/2026/pack.zip")
    r = web.post(f"/org/{org}/2026/next-year", {"action": "update", "source": "upload", "force": "1"},
                 files={"file": ("pack.zip", r.data)})
    job = web.get(r.headers["Location"]).get_data(as_text=True)
    assert 'data-status="done"' in job, job
    assert (data_dir / "packs" / BIN / "2027" / "manifest.json").exists()
    # last year's pack was needed only for the update: neither the zip nor what it held is kept
    assert not list((data_dir / "uploads").rglob("manifest.json")) and not list((data_dir / "uploads").rglob("*.zip"))


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_pack_zip_with_a_path_out_of_its_folder_is_refused(web, org, data_dir):
    bad = zip_bytes({"pack/manifest.json": b"{}", "../../evil.txt": b"x"})
    r = web.post(f"/org/{org}/2026/next-year", {"action": "update", "source": "upload"},
                 files={"file": ("pack.zip", bad)}, follow_redirects=True)
    assert "a path leading out of the folder" in r.get_data(as_text=True)
    assert not list(data_dir.parent.rglob("evil.txt"))
    r = web.post(f"/org/{org}/2026/next-year", {"action": "update", "source": "upload"},
                 files={"file": ("pack.zip", zip_bytes({"/abs/manifest.json": b"{}"}))}, follow_redirects=True)
    assert "an absolute path" in r.get_data(as_text=True)
    assert not list((data_dir / "uploads").rglob("*.zip"))  # a refused zip is not kept either


def test_extracting_refuses_symlinks_and_drive_letters(tmp_path):
    from packbuilder.errors import InputError
    from packbuilder.web.uploads import extract_pack_zip

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("pack/link")
        info.external_attr = (0o120777 << 16)
        z.writestr(info, "/etc/passwd")
    (tmp_path / "a.zip").write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="a symbolic link"):
        extract_pack_zip(tmp_path / "a.zip", tmp_path / "out")
    (tmp_path / "b.zip").write_bytes(zip_bytes({"C:/x/manifest.json": b"{}"}))
    with pytest.raises(InputError, match="an absolute path"):
        extract_pack_zip(tmp_path / "b.zip", tmp_path / "out2")
    assert not (tmp_path / "out").exists() and not (tmp_path / "out2").exists()


# --- batch ---------------------------------------------------------------------------------------


def test_a_batch_builds_the_registry_and_offers_status_and_packs(web, app, tmp_path):
    from packbuilder.inputs.registry_workbook import write_registry

    assert "registry.xlsx" in web.get("/batch").get_data(as_text=True)
    empty = web.get("/batch/registry.xlsx")
    assert empty.status_code == 200 and empty.data.startswith(b"PK\x03\x04")
    good, bad = profile_data(), profile_data()
    bad["organization"]["bin"] = "123456789012"
    write_registry(tmp_path / "registry.xlsx", [good, bad])
    r = web.post("/batch", {}, files={"file": ("registry.xlsx", (tmp_path / "registry.xlsx").read_bytes())})
    assert r.status_code == 302
    html = web.get(r.headers["Location"]).get_data(as_text=True)
    assert 'data-status="done"' in html, html
    table = html[html.index('<table class="list batch">'):]
    assert BIN in table and "123456789012" in table
    assert '<td class="status-done">done</td>' in table and '<td class="status-invalid">invalid</td>' in table
    assert "BIN check digit" in table
    build_id = int(r.headers["Location"].rsplit("/", 1)[1])
    status = web.get(f"/batch/{build_id}/status.xlsx")
    assert status.status_code == 200
    rows = xlsx_rows_bytes(status.data)
    assert [(r[2], r[4]) for r in rows[1:]] == [(BIN, "done"), ("123456789012", "invalid")]
    packs = web.get(f"/batch/{build_id}/packs.zip")
    with zipfile.ZipFile(io.BytesIO(packs.data)) as z:
        assert "status.xlsx" in z.namelist() and f"{BIN}/2026/manifest.json" in z.namelist()
        assert f"{BIN}/2026/ru/03-policy.docx" in z.namelist()
    assert web.get("/batch/99999/status.xlsx").status_code == 404


# --- safety --------------------------------------------------------------------------------------


def test_a_form_without_its_csrf_token_is_refused(app):
    client = app.test_client()
    r = client.post("/org/add", data={"bin": "970940000002", "name_kk": "A", "name_ru": "A", "year": "2026"})
    assert r.status_code == 400
    assert "The form has expired" in r.get_data(as_text=True)


def test_an_upload_too_large_is_a_413_page_in_the_interface_language(web, org):
    big = b"name\n" + b"x" * (3 * 1024 * 1024)
    r = web.post(f"/org/{org}/2026/staff", files={"file": ("staff.csv", big)})
    assert r.status_code == 413
    assert "The file is too large: the largest upload is 2 MB." in r.get_data(as_text=True)


def test_with_a_token_every_page_needs_it(tmp_path):
    app = create_app(tmp_path, token="s3cret-token", ui_lang="en")
    client = app.test_client()
    r = client.get("/")
    assert r.status_code == 403 and 'name="token"' in r.get_data(as_text=True)
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/?token=s3cret-token").status_code == 302
    assert client.get("/batch").status_code == 200  # kept in the session
    other = app.test_client()
    page = other.get("/login").get_data(as_text=True)
    r = other.post("/login", data={"token": "nope", "csrf_token": token_of(page)})
    assert r.status_code == 403
    r = other.post("/login", data={"token": "s3cret-token", "csrf_token": token_of(page)})
    assert r.status_code == 302 and other.get("/").status_code == 200


def test_the_secret_key_file_is_private(data_dir, app):
    assert (data_dir / "secret_key").stat().st_mode & 0o077 == 0


def test_the_server_needs_a_token_off_loopback():
    from packbuilder.web.server import server_token

    assert server_token("127.0.0.1", env={}) is None and server_token("::1", env={}) is None
    assert len(server_token("0.0.0.0", env={})) >= 24
    assert server_token("127.0.0.1", env={"PACKBUILDER_TOKEN": "abc"}) == "abc"
    from packbuilder.web.server import server_url

    assert server_url("127.0.0.1", 8080, None) == "http://127.0.0.1:8080/"
    assert server_url("0.0.0.0", 8080, "t0k", hostname="office-pc") == "http://office-pc:8080/?token=t0k"
    assert server_url("::1", 9000, "t") == "http://[::1]:9000/?token=t"


# --- languages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_pages_speak_the_language_chosen_in_the_menu(app, org, lang):
    client = app.test_client()
    r = client.get(f"/lang/{lang}?next=/org/{org}/2026/profile")
    assert r.status_code == 302 and r.headers["Location"] == f"/org/{org}/2026/profile"
    html = client.get(f"/org/{org}/2026/profile").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    for msgid in ("Organizations", "Save", "Full official name (legal form included)"):
        translated = in_language(lang, msgid)
        assert translated != msgid, f"no {lang} translation of {msgid!r}"
        assert translated in html
    missing = client.get("/org/99999/2026/profile").get_data(as_text=True)
    assert in_language(lang, "There is no such page or file.") in missing


def test_the_language_menu_never_redirects_off_the_site(web):
    assert web.get("/lang/kk?next=//evil.example").headers["Location"] == "/"
    assert web.get("/lang/kk?next=https://evil.example").headers["Location"] == "/"
    web.get("/lang/en")


def test_a_job_speaks_the_language_of_the_request_that_started_it(app, org, built):
    client = Browser(app)
    client.client.get("/lang/ru")
    r = client.post(f"/org/{org}/2026/build", {"languages": "ru", "documents": ["order"]})  # no force: exists
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert 'data-status="failed"' in html
    assert jobs_of(app).progress  # the job ran


# --- review: safety fixes ------------------------------------------------------------------------


def test_pack_files_are_served_only_from_inside_the_pack_never_through_a_link_or_the_manifest(
        web, org, built, data_dir):
    (data_dir / "secret.txt").write_text("TOP-SECRET-CONTENT")
    (built / "ru" / "link.docx").symlink_to(data_dir / "secret.txt")
    (built / "linked").symlink_to(data_dir, target_is_directory=True)
    manifest = (built / "manifest.json").read_text(encoding="utf-8")
    data = json.loads(manifest)
    for path in ("ru/link.docx", "linked/secret.txt", "../../../secret.txt", "../../../secret_key"):
        data["files"].append(dict(data["files"][0], path=path))
    (built / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    try:
        for name in ("ru/link.docx", "linked/secret.txt", "linked/secret_key"):
            r = web.get(f"/org/{org}/2026/file/{name}")
            assert r.status_code == 404, name
        r = web.get(f"/org/{org}/2026/pack.zip")
        assert r.status_code == 200
        with zipfile.ZipFile(io.BytesIO(r.data)) as z:
            names = z.namelist()
            assert f"{BIN}/2026/ru/03-policy.docx" in names
            assert not [n for n in names if "link" in n or "secret" in n or ".." in n], names
            assert all(b"TOP-SECRET-CONTENT" not in z.read(n) for n in names)
        assert "link.docx" not in web.get(f"/org/{org}/2026/pack").get_data(as_text=True)
    finally:
        (built / "manifest.json").write_text(manifest, encoding="utf-8")
        (built / "ru" / "link.docx").unlink()
        (built / "linked").unlink()


def test_a_token_that_is_not_ascii_is_refused_not_an_internal_error(tmp_path):
    app = create_app(tmp_path, token="s3cret-token", ui_lang="en")
    client = app.test_client()
    assert client.get("/?token=сыр").status_code == 403
    page = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"token": "сыр", "csrf_token": token_of(page)}).status_code == 403


def test_the_token_leaves_the_address_after_the_first_visit(tmp_path):
    app = create_app(tmp_path, token="s3cret-token", ui_lang="en")
    client = app.test_client()
    r = client.get("/batch?token=s3cret-token&x=1")
    assert r.status_code == 302 and r.headers["Location"] == "/batch?x=1"
    assert "s3cret-token" not in r.headers["Location"]
    assert client.get("/batch").status_code == 200


def test_a_session_of_an_old_token_does_not_open_a_server_with_a_new_one(tmp_path):
    old = create_app(tmp_path, token="old-token", ui_lang="en").test_client()
    old.get("/?token=old-token")
    assert old.get("/batch").status_code == 200
    cookie = old.get_cookie("session")
    new = create_app(tmp_path, token="new-token", ui_lang="en").test_client()
    new.set_cookie("session", cookie.value)
    assert new.get("/batch").status_code == 403


def test_without_a_token_only_a_loopback_host_name_is_answered(tmp_path):
    """DNS rebinding: a web page of evil.example whose name turns into 127.0.0.1 must not
    reach a server that has no token."""
    client = create_app(tmp_path, ui_lang="en").test_client()
    assert client.get("/", headers={"Host": "evil.example:8080"}).status_code == 403
    for host in ("localhost", "127.0.0.1:8080", "[::1]:8080", "localhost:5000"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    guarded = create_app(tmp_path / "t", token="tok", ui_lang="en").test_client()
    assert guarded.get("/?token=tok", headers={"Host": "officer-pc.local:8080"}).status_code in (200, 302)


def test_the_language_menu_never_redirects_off_the_site_through_whitespace(web):
    for target in ("/\t/evil.example", "/\n/evil.example", "/ /evil.example"):
        assert web.get("/lang/kk", query_string={"next": target}).headers["Location"] == "/", repr(target)
    web.get("/lang/en")


def test_pages_may_not_be_framed_by_other_sites_nor_sniffed(web):
    r = web.get("/")
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN" and r.headers["X-Content-Type-Options"] == "nosniff"


def test_a_job_that_raises_anything_ends_failed_with_a_message_never_running(app):
    from packbuilder.web.jobs import Jobs

    store = store_of(app)
    for error in (SystemExit(3), KeyboardInterrupt(), RuntimeError("boom")):
        build_id = store.add_build(None, None, "build")

        def work(progress, error=error):
            raise error

        Jobs(store, inline=True).submit(build_id, work)
        build = store.build(build_id)
        assert build["status"] == "failed" and "internal error" in build["message"], (error, build)


def test_the_worker_thread_survives_a_failing_database_write(tmp_path, monkeypatch):
    from packbuilder.web.jobs import Jobs
    from packbuilder.web.store import Store

    store = Store(tmp_path / "db.sqlite3")
    jobs = Jobs(store)
    real = store.update_build
    first, second, third = (store.add_build(None, None, "build") for _n in range(3))

    def flaky(build_id, **fields):
        if (build_id == first and fields.get("status") == "running") or (build_id == second and "finished" in fields):
            raise OSError(28, "No space left on device")
        return real(build_id, **fields)

    monkeypatch.setattr(store, "update_build", flaky)
    for build_id in (first, second, third):
        jobs.submit(build_id, lambda progress, n=build_id: f"job {n}")
    jobs.wait(30)
    assert store.build(first)["status"] == "failed" and "No space left" in store.build(first)["message"]
    assert store.build(third)["status"] == "done" and store.build(third)["message"] == f"job {third}"


def test_builds_left_running_by_a_stopped_server_are_failed_with_a_reason(tmp_path):
    app = create_app(tmp_path, ui_lang="en")
    store = store_of(app)
    running = store.add_build(None, None, "build")
    store.update_build(running, status="running")
    queued = store.add_build(None, None, "batch")
    create_app(tmp_path, ui_lang="en")
    for build_id in (running, queued):
        build = store.build(build_id)
        assert build["status"] == "failed" and "stopped" in build["message"], build


def test_a_new_data_folder_is_the_users_own(tmp_path):
    """The staff lists in it are personal data: a folder the app makes is readable by its user only."""
    create_app(tmp_path / "new" / "data", ui_lang="en")
    assert (tmp_path / "new" / "data").stat().st_mode & 0o077 == 0


def test_a_browser_is_answered_in_its_own_language_unless_the_server_or_the_menu_chose(tmp_path):
    """Nobody chose: the browser's Accept-Language; the server started with a language: that
    one; the menu: the menu's."""
    free = create_app(tmp_path / "a", run_jobs_inline=True).test_client()
    kk = {"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.8"}
    assert '<html lang="kk">' in free.get("/", headers=kk).get_data(as_text=True)
    assert '<html lang="ru">' in free.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in free.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)  # tests: en
    fixed = create_app(tmp_path / "b", ui_lang="ru", run_jobs_inline=True).test_client()
    assert '<html lang="ru">' in fixed.get("/", headers=kk).get_data(as_text=True)
    fixed.get("/lang/en?next=/")
    assert '<html lang="en">' in fixed.get("/", headers=kk).get_data(as_text=True)
