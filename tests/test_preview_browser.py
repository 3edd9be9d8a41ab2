"""``selfeval serve`` in a real browser: Debian's headless chromium driven through
chromedriver (selenium). Where chromium cannot be found the tests are skipped, saying so."""

from __future__ import annotations

import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_FOLDER

from selfeval_compiler.preview.serve import start

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="Debian chromium and chromium-driver are not installed (make test installs them"
    " as root)",
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "selfeval.toml").write_text("", "utf-8")
    shutil.copytree(SEED_FOLDER.parent, tmp_path / "specs")
    return tmp_path / "specs"


@pytest.fixture
def server(project: Path) -> Iterator[str]:
    served, stop = start([project], "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{served.server_address[1]}"
    finally:
        stop()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1200",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(condition: Any, seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def test_index_form_and_a_live_edit(
    server: str, browser: Any, project: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, "#rows tr")
    assert len(rows) == 5
    assert "机关服务费" in rows[0].text
    assert "98.93" in rows[0].text
    assert "优" in rows[0].text

    rows[0].find_element(By.TAG_NAME, "a").click()
    assert _wait(lambda: browser.find_element(By.ID, "total").text == "98.93")
    frame = browser.find_element(By.ID, "form")
    browser.switch_to.frame(frame)
    assert _wait(lambda: "财政项目支出绩效自评表" in browser.find_element(By.TAG_NAME, "body").text)
    assert "98.93" in browser.find_element(By.TAG_NAME, "body").text
    browser.switch_to.default_content()
    loaded_at = browser.execute_script("return window.selfevalLoadedAt")

    spec = project / "shanghai-xinjiang-office" / "01-jiguan-fuwufei.yaml"
    spec.write_text(spec.read_text("utf-8").replace("executed: 12.51", "executed: 14.00"), "utf-8")
    saved = time.monotonic()
    assert _wait(lambda: browser.find_element(By.ID, "total").text == "100.00", 5)
    shown_after = time.monotonic() - saved
    assert browser.execute_script("return window.selfevalLoadedAt") == loaded_at  # no reload
    browser.switch_to.frame(browser.find_element(By.ID, "form"))
    assert _wait(lambda: "100.00" in browser.find_element(By.TAG_NAME, "body").text)
    browser.switch_to.default_content()
    browser.save_screenshot(str(tmp_path / "preview.png"))
    assert (tmp_path / "preview.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"edit shown in the page {shown_after:.2f} s after saving")

    spec.write_text("project: [unclosed\n", "utf-8")
    assert _wait(lambda: "SE001" in browser.find_element(By.ID, "diagnostics").text, 5)
    assert browser.find_element(By.ID, "total").text == "—"
    assert browser.execute_script("return window.selfevalLoadedAt") == loaded_at

    origins = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
    )
    assert set(origins) <= {server}


def test_index_marks_a_form_with_errors_and_updates_in_place(
    server: str, browser: Any, project: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    loaded_at = browser.execute_script("return window.selfevalLoadedAt")
    spec = project / "shanghai-xinjiang-office" / "02-kaiban-jingfei.yaml"
    spec.write_text(spec.read_text("utf-8").replace("weight: 10\n", "weight: 30\n", 1), "utf-8")
    assert _wait(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#rows tr.has-errors")) == 1, 5)
    assert browser.execute_script("return window.selfevalLoadedAt") == loaded_at


def test_the_server_serves_only_what_it_makes(server: str, project: Path) -> None:
    def status(path: str, host: str | None = None) -> int:
        request = urllib.request.Request(server + path)
        if host:
            request.add_header("Host", host)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    assert status("/") == 200
    for path in (
        "/../specs/shanghai-xinjiang-office/_defaults.yaml",
        "/specs/",
        "/static/",
        "/static/../../pyproject.toml",
        "/form/../../etc/passwd",
        "/render/abc.html",
        "/static/form.html.j2",
    ):
        assert status(path) == 404, path
    assert status("/", host="attacker.example:80") == 421
    with urllib.request.urlopen(server + "/", timeout=10) as response:
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert list(project.rglob("*.html")) == []
    assert list(project.rglob("*.pdf")) == []
