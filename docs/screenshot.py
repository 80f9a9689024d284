"""Make docs/rooster.png and docs/bewerken.png: plan the bundled example in the web app, photograph the
roster page, then move a child by hand and photograph the edit view with the checker's answer.

    .venv/bin/python docs/screenshot.py     (needs chromium and chromedriver, as `make test` installs)
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from planner.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Path(tempfile.mkdtemp()) / "web", scenarios_dir=ROOT / "scenarios")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    job = httpx.post(base + "/api/plan", data={"scenario": "voorbeeld"}).json()
    while httpx.get(f"{base}/api/jobs/{job['id']}").json()["state"] in ("queued", "running"):
        time.sleep(0.5)
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.get(f"{base}/opdrachten/{job['id']}/rooster")
    driver.save_screenshot(str(ROOT / "docs" / "rooster.png"))
    _edit_view(driver)
    driver.quit()
    server.should_exit = True


def _edit_view(driver: webdriver.Chrome) -> None:
    """Move the first child in the grid to the next dagdeel of the week and photograph the answer."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    chip = driver.find_element(By.CSS_SELECTOR, '.pick[data-role="child"]')
    chip.click()
    days = [o.get_attribute("value") for o in Select(driver.find_element(By.ID, "edit-dagdeel")).options]
    Select(driver.find_element(By.ID, "edit-dagdeel")).select_by_value(
        days[(days.index(chip.get_attribute("data-dagdeel")) + 1) % len(days)])
    driver.find_element(By.ID, "edit-move").click()
    WebDriverWait(driver, 30).until(ec.visibility_of_element_located((By.ID, "edit-result")))
    driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", driver.find_element(By.ID, "edit"))
    driver.save_screenshot(str(ROOT / "docs" / "bewerken.png"))


if __name__ == "__main__":
    main()
