"""Make docs/rooster.png: plan the bundled example in the web app and photograph the roster page.

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
    driver.quit()
    server.should_exit = True


if __name__ == "__main__":
    main()
