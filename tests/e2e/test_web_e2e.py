"""End to end in a real browser: headless Chromium (Debian's chromium + chromedriver) driven by Selenium.

`make test` installs chromium and chromium-driver where they are missing (see the Makefile). The pages
run under the app's Content-Security-Policy, so these tests also show that no page needs inline script.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import openpyxl
import pytest
import uvicorn
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from planner.web.app import create_app
from tests.conftest import EXAMPLE, vg_gedrag_sheets, write_workbook
from tests.e2e.test_web import WORKBOOK, broken_workbook

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


class Server(str):
    """The server's address, with the folder its jobs live in."""

    def __new__(cls, url: str, jobs: Path) -> Server:
        made = super().__new__(cls, url)
        made.jobs = jobs  # type: ignore[attr-defined]
        return made


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    port = _free_port()
    config = uvicorn.Config(create_app(root / "reports", scenarios_dir=EXAMPLE.parent.parent), host="127.0.0.1",
                            port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    began = time.time()
    while not srv.started:
        assert time.time() - began < 20, "server did not start"
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", root / "reports")
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    assert os.path.exists(CHROMIUM) and os.path.exists(DRIVER), \
        "Chromium ontbreekt: `make test` installeert chromium en chromium-driver (Debian)"
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1500,1100"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads  # type: ignore[attr-defined]
    yield driver
    driver.quit()


def _upload(browser, server, path: Path, seconds: str = "2") -> None:
    browser.get(server + "/")
    Select(browser.find_element(By.ID, "model")).select_by_value("holland-rijnland-2025")
    browser.find_element(By.ID, "file").send_keys(str(path))
    limit = browser.find_element(By.ID, "time_limit")
    limit.clear()
    limit.send_keys(seconds)
    browser.find_element(By.ID, "upload").click()


def test_upload_validate_plan_look_and_download(browser, server):
    _upload(browser, server, WORKBOOK)
    wait = WebDriverWait(browser, 30)
    wait.until(ec.presence_of_element_located((By.ID, "valid")))
    assert "Invoer in orde" in browser.page_source and "60" in browser.find_element(By.ID, "valid").text
    browser.find_element(By.ID, "plan").click()
    wait.until(ec.presence_of_element_located((By.ID, "running")))  # live progress
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.ID, "roster-title")))
    assert browser.current_url.endswith("/rooster")
    grids = browser.find_elements(By.CSS_SELECTOR, "table.grid")
    assert {g.get_attribute("data-location") for g in grids} == {"LDN-NOORD", "LEIDERDORP", "KATWIJK"}
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.grid .chip")) >= 150  # children in cells
    assert "J061" in browser.find_element(By.ID, "waitlist").text  # the child beyond 30 km waits
    placed = browser.find_element(By.ID, "kpi-placed").text
    assert placed.endswith("/ 210")
    browser.find_element(By.ID, "download-roster-xlsx").click()
    target = browser.downloads / "roster.xlsx"
    began = time.time()
    while not target.exists() or (browser.downloads / "roster.xlsx.crdownload").exists():
        assert time.time() - began < 20, "download did not arrive"
        time.sleep(0.1)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[0] == "Overzicht" and "Wachtlijst" in wb.sheetnames
    # the delete button removes the upload and every report file, after a confirmation
    job_id = browser.current_url.split("/opdrachten/")[1].split("/")[0]
    assert (server.jobs / job_id / "invoer.xlsx").exists()
    browser.find_element(By.ID, "delete").click()
    WebDriverWait(browser, 10).until(ec.alert_is_present()).accept()
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.ID, "deleted")))
    assert not (server.jobs / job_id).exists()
    browser.get(server + f"/opdrachten/{job_id}")
    assert "onbekende opdracht" in browser.page_source


def test_broken_workbook_lists_problems_by_row(browser, server, tmp_path, small_sheets):
    _upload(browser, server, broken_workbook(tmp_path, small_sheets))
    table = WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.ID, "problems")))
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert len(rows) == 4
    assert ["locations", "1", "lon", "verplichte kolom ontbreekt"] in rows
    assert {(r[0], r[1], r[2]) for r in rows} >= {("children", "4", "child_id"), ("children", "5", "product"),
                                                  ("children", "6", "dagdelen_per_week")}
    assert not browser.find_elements(By.ID, "plan")  # nothing runs until the input is clean


def _vg_workbook(tmp_path) -> Path:
    """One VG gedrag group (at most 4 children, 003 §3.4 VG Gedrag): C1-C3 come only on ma-ochtend, C6-C7
    only on di-ochtend, C4-C5 on either, so one dagdeel holds 4 children and the other 3."""
    availability = ["ma-ochtend"] * 3 + ["ma-ochtend, di-ochtend"] * 2 + ["di-ochtend"] * 2
    return write_workbook(tmp_path / "vg-gedrag.xlsx", vg_gedrag_sheets(availability))


def _move(browser, person: str, to_dagdeel: str):
    """Pick a child's chip in the grid, choose the dagdeel and move: the checker's answer."""
    browser.find_element(By.CSS_SELECTOR, f'.pick[data-role="child"][data-person="{person}"]').click()
    Select(browser.find_element(By.ID, "edit-dagdeel")).select_by_value(to_dagdeel)
    browser.find_element(By.ID, "edit-move").click()
    WebDriverWait(browser, 30).until(ec.visibility_of_element_located((By.ID, "edit-result")))
    return browser.find_element(By.ID, "edit-result")


def _children_on(browser) -> dict[str, str]:
    return {c.get_attribute("data-person"): c.get_attribute("data-dagdeel")
            for c in browser.find_elements(By.CSS_SELECTOR, '.pick[data-role="child"]')}


def test_edit_a_child_see_the_violation_undo_fit_keep_and_replan(browser, server, tmp_path):
    browser.get(server + "/")
    Select(browser.find_element(By.ID, "model")).select_by_value("westfriesland-2025")
    browser.find_element(By.ID, "file").send_keys(str(_vg_workbook(tmp_path)))
    limit = browser.find_element(By.ID, "time_limit")
    limit.clear()
    limit.send_keys("2")
    browser.find_element(By.ID, "upload").click()
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.ID, "plan"))).click()
    WebDriverWait(browser, 120).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#edit[data-ready]")))
    where = _children_on(browser)
    full = max(("ma-ochtend", "di-ochtend"), key=lambda d: list(where.values()).count(d))
    other = "di-ochtend" if full == "ma-ochtend" else "ma-ochtend"
    assert list(where.values()).count(full) == 4
    # a fifth child on the full dagdeel: the group maximum, named with rule and place, and the week's cost
    newcomer = sorted(p for p, d in where.items() if d == other)[0]
    result = _move(browser, newcomer, full)
    assert f"regel groepsmaximum (groepsgrootte): G1 op {full}: 5 kinderen, max 4 (DB-VG-GEDRAG)" in result.text
    assert "Weekkosten na de wijziging: €" in result.text
    assert browser.find_element(By.CSS_SELECTOR, f'.pick[data-person="{newcomer}"]').get_attribute(
        "data-dagdeel") == other  # the chip moved on screen, its home is still the planned cell
    browser.find_element(By.ID, "edit-undo").click()
    assert not browser.find_element(By.ID, "edit-result").is_displayed()
    assert _children_on(browser) == where
    # a child who may come on either dagdeel moves from the full one to the other: every rule holds
    flexible = sorted(p for p, d in where.items() if d == full and p in ("C4", "C5"))[0]
    result = _move(browser, flexible, other)
    assert browser.find_element(By.ID, "edit-ok").is_displayed()
    assert not browser.find_elements(By.CSS_SELECTOR, "#edit-violations li")
    browser.find_element(By.ID, "edit-keep").click()
    # keeping reloads the panel: a node read while it is replaced is stale (Chromium's "Node with given id
    # does not belong to the document"), so the wait looks again instead of failing
    WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(
        ec.text_to_be_present_in_element((By.ID, "edits-kept"), "1"))
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#edit[data-ready]")))
    cell = browser.find_element(By.CSS_SELECTOR, f'td[data-group="G1"][data-dagdeel="{other}"]')
    assert flexible in cell.text  # after the reload the grid shows the kept edit
    job_id = browser.current_url.split("/opdrachten/")[1].split("/")[0]
    assert (server.jobs / job_id / "rapport" / "roster-bewerkt.csv").exists()
    # replan around the kept edit: a new job, planned from the edited roster with the child pinned
    browser.find_element(By.ID, "replan").click()
    WebDriverWait(browser, 120).until(lambda b: job_id not in b.current_url and b.current_url.endswith("/rooster"))
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#edit[data-ready]")))
    new_id = browser.current_url.split("/opdrachten/")[1].split("/")[0]
    assert new_id != job_id
    assert _children_on(browser)[flexible] == other
    assert "herpland" in browser.find_element(By.ID, "roster-title").text or "herpland" in browser.title
