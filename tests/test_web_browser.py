"""`packbuilder serve` in a real browser: Playwright (from PyPI) driving Debian's chromium
through ``executable_path`` (never ``playwright install``). An officer adds an organization,
fills the profile form, uploads a staff workbook, builds the pack in kk and ru, waits for the
progress to finish and downloads the pack as a zip, whose documents hold the organization's
name in both languages.

Skipped where chromium or playwright is missing, unless ``PACKBUILDER_REQUIRE_BROWSER=1``.
With ``PACKBUILDER_SCREENSHOTS=<dir>``, a full-page screenshot of each page visited is saved
there in kk and in ru (switched with the language menu)::

    PACKBUILDER_SCREENSHOTS=/tmp/shots python -m pytest -q tests/test_web_browser.py
"""

from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import docx_text

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BIN = "120140000007"
NAME = {"kk": "«Тест Әріптестік» жауапкершілігі шектеулі серіктестігі",
        "ru": "Товарищество с ограниченной ответственностью «Тест Партнёрство»"}
MARK = {"kk": "«Тест Әріптестік»", "ru": "«Тест Партнёрство»"}
"""The part of each name no case ending changes (the documents decline the Russian name)."""
DOCUMENTS = ("order", "policy", "acknowledgement_journal")


def _need_browser():
    required = os.environ.get("PACKBUILDER_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("playwright is not installed and PACKBUILDER_REQUIRE_BROWSER=1")
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"{CHROMIUM} is missing and PACKBUILDER_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")


@pytest.fixture
def server(tmp_path):
    """The app served by waitress on a free port in a thread; yields its base URL."""
    from waitress import create_server

    from packbuilder.web import create_app

    app = create_app(tmp_path / "data", ui_lang="ru")
    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        srv.close()


def staff_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(["name.kk", "name.ru", "position.kk", "position.ru", "department", "equated", "hired"])
    ws.append(["Сейтқали Бауыржан Маратұлы", "Сейткали Бауыржан Маратович", "Директор", "Директор", None, "иә",
               "2020-01-10"])
    ws.append(["Әлиева Әйгерім Серікқызы", "Алиева Айгерим Сериковна", "Комплаенс-офицер", "Комплаенс-офицер",
               None, "нет", "2023-05-02"])
    ws.append(["Петров Иван", "Петров Иван", "Бас бухгалтер", "Главный бухгалтер", None, "да", None])
    wb.save(path)
    return path


def two_row_registry(path: Path) -> Path:
    """A registry workbook of two organizations: the web tests' valid profile, and the same
    with a BIN that fails its check digit."""
    from packbuilder.inputs.registry_workbook import write_registry
    from tests.test_web import profile_data

    good, bad = profile_data(), profile_data()
    bad["organization"]["bin"] = "123456789012"
    write_registry(path, [good, bad])
    return path


class Shots:
    """Full-page screenshots of each page in kk and ru (when PACKBUILDER_SCREENSHOTS names a
    folder), switched through the language menu; the page is left in ``lang``."""

    def __init__(self, page, lang: str = "ru"):
        folder = os.environ.get("PACKBUILDER_SCREENSHOTS")
        self.dir = Path(folder) if folder else None
        self.page = page
        self.lang = lang
        self.n = 0
        if self.dir:
            self.dir.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> None:
        if not self.dir:
            return
        self.n += 1
        for lang in ("kk", "ru"):
            self.switch(lang)
            self.page.screenshot(path=str(self.dir / f"{self.n:02d}-{name}-{lang}.png"), full_page=True)
        self.switch(self.lang)

    def switch(self, lang: str) -> None:
        link = self.page.locator(f'nav.langs a[lang="{lang}"]')
        if link.count():
            link.click()
            self.page.wait_for_load_state()
        assert self.page.locator("html").get_attribute("lang") == lang


def test_an_officer_builds_and_downloads_a_pack_in_the_browser(server, tmp_path):
    _need_browser()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="ru-RU")
            page.set_default_timeout(30_000)
            shot = Shots(page)
            page.goto(server + "/")
            shot("organizations")

            # add the organization
            page.fill('input[name="bin"]', BIN)
            page.fill('input[name="name_kk"]', NAME["kk"])
            page.fill('input[name="name_ru"]', NAME["ru"])
            page.select_option('select[name="legal_form"]', "ЖШС")
            page.fill('input[name="year"]', "2026")
            page.click('form[action="/org/add"] button[type="submit"]')
            page.wait_for_url("**/org/*/2026/profile")
            org_url = page.url.rsplit("/", 1)[0]

            # fill the profile form
            values = {
                "organization.short_name.kk": "Серіктестік", "organization.short_name.ru": "Товарищество",
                "organization.city.kk": "Астана қаласы", "organization.city.ru": "город Астана",
                "organization.parent_body.kk": "Қазақстан Республикасының Қаржы министрлігі",
                "organization.parent_body.ru": "Министерство финансов Республики Казахстан",
                "head.name.kk": "Сейтқали Бауыржан Маратұлы", "head.name.ru": "Сейткали Бауыржан Маратович",
                "head.position.kk": "Директор", "head.position.ru": "Директор",
                "compliance_officer.name.kk": "Әлиева Әйгерім Серікқызы",
                "compliance_officer.name.ru": "Алиева Айгерим Сериковна",
                "compliance_officer.position.kk": "Комплаенс-офицер",
                "compliance_officer.position.ru": "Комплаенс-офицер",
                "compliance_officer.email": "compliance@example.kz",
                "approval.number": "15-П", "approval.date": "2026-01-15",
            }
            for name, value in values.items():
                page.fill(f'[name="{name}"]', value)
            page.click('button[name="action"][value="add:departments"]')
            page.wait_for_url("**/profile#departments")
            page.fill('[name="departments[0].kk"]', "Бухгалтерия")
            page.fill('[name="departments[0].ru"]', "Бухгалтерия")
            page.click('button[name="action"][value="save"] >> nth=0')
            # no staff yet: a draft, the problem shown at the employees
            expect(page.locator('[data-path="employees"]')).to_be_visible()
            shot("profile")

            # upload the staff workbook
            page.goto(org_url + "/staff")
            page.set_input_files('input[name="file"]', str(staff_xlsx(tmp_path / "staff.xlsx")))
            page.click('form button[type="submit"]')
            expect(page.locator("table.staff tbody tr")).to_have_count(3)
            expect(page.locator("table.staff tbody tr").first).to_contain_text("Сейткали Бауыржан Маратович")
            shot("staff")
            page.goto(org_url + "/profile")
            expect(page.locator("p.ok")).to_be_visible()

            # build kk + ru, a few documents
            page.goto(org_url + "/build")
            shot("build")
            page.check('input[name="languages"][value="kk"]')
            page.check('input[name="languages"][value="ru"]')
            boxes = page.locator('input[name="documents"]')
            for i in range(boxes.count()):
                box = boxes.nth(i)
                if box.get_attribute("value") in DOCUMENTS:
                    box.check()
                else:
                    box.uncheck()
            page.click('form button[type="submit"]')
            page.wait_for_url("**/jobs/*")
            expect(page.locator('#job[data-status="done"]')).to_be_visible(timeout=120_000)
            shot("job")

            # the pack page and its zip
            page.click("#job a.button")
            page.wait_for_url("**/pack")
            expect(page.locator("table.pack")).to_contain_text("kk/03-policy.docx")
            shot("pack")
            with page.expect_download() as info:
                page.click('a[href$="pack.zip"]')
            zipped = tmp_path / "pack.zip"
            info.value.save_as(zipped)

            page.goto(org_url + "/next-year")
            shot("next-year")
            page.goto(server + "/")
            expect(page.locator("body")).to_contain_text(BIN)
            shot("organizations-with-one")

            # a parent body's batch: one valid organization, one with a bad BIN
            page.goto(server + "/batch")
            shot("batch")
            page.set_input_files('input[name="file"]', str(two_row_registry(tmp_path / "registry.xlsx")))
            page.click('form button[type="submit"]')
            page.wait_for_url("**/jobs/*")
            expect(page.locator('#job[data-status="done"]')).to_be_visible(timeout=120_000)
            expect(page.locator("table.batch")).to_contain_text("123456789012")
            expect(page.locator("table.batch")).to_contain_text("контрольной цифры БИН")
            shot("batch-status")
        finally:
            browser.close()

    with zipfile.ZipFile(zipped) as z:
        names = z.namelist()
        assert f"{BIN}/2026/manifest.json" in names
        for lang in ("kk", "ru"):
            for doc in ("01-order", "03-policy"):
                member = f"{BIN}/2026/{lang}/{doc}.docx"
                assert member in names, (member, names)
                path = tmp_path / f"{lang}-{doc}.docx"
                path.write_bytes(z.read(member))
                text = docx_text(path)
                assert MARK[lang] in text.replace("\u00a0", " "), (lang, doc)
            assert any(n.startswith(f"{BIN}/2026/{lang}/") and n.endswith(".xlsx") for n in names)
