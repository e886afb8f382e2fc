"""The site of the published leaderboards in a real browser: headless Chromium from the
Debian packages (``scripts/bootstrap.sh --test`` installs them), driven by selenium.

Every page: no console error, nothing fetched but the site's own files, every image loads,
the table holds exactly the CSV's rows, each metric header sorts its column best first, the
filter, the zoom and the copy button work. A full-page screenshot of each page is written
to ``$GENBENCH_SCREENSHOTS`` (default: the test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from genbench.bench.leaderboard import published_csvs
from genbench.site import build_site

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import PUBLISHED

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# Without the background-networking flags Chromium floods a closed network with retries.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)

pytestmark = pytest.mark.slow


def _require_browser() -> None:
    """Skip where no browser is installed; in CI (where bootstrap installs one) fail."""
    missing = [
        name for name, path in (("chromium", CHROMIUM), ("chromedriver", DRIVER)) if not path
    ]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (the test extra)")
    if not missing:
        return
    message = (
        f"the browser test needs {', '.join(missing)}: run `bash scripts/bootstrap.sh --test` "
        "(as root it installs the Debian packages chromium and chromium-driver)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site([PUBLISHED], out)
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must not look for a driver online
    options = webdriver.ChromeOptions()
    assert CHROMIUM and DRIVER  # _require_browser checked
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    # the performance log holds every request the page makes (Network.requestWillBeSent)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("GENBENCH_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


PAGES = ["index.html"] + [
    p.relative_to(PUBLISHED).with_suffix(".html").as_posix() for p in published_csvs([PUBLISHED])
]


def _open(browser: Any, url: str) -> None:
    """Load ``url`` and wait until every image has loaded or failed."""
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get_log("performance")
    browser.get(url)
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all([...document.images].filter(i => i.getAttribute('src')).map(i =>"
        "  i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })"
        ")).then(() => done());"
    )


def _requests(browser: Any, page: str) -> list[str]:
    """The URLs the document ``page`` requested (the browser's own pages left out)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent" and params["documentURL"] == page:
            urls.append(params["request"]["url"])
    return urls


def _click(browser: Any, element: Any) -> None:
    """Click as a person would, after scrolling the element (e.g. a header of the wide
    table) into the middle of the view."""
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', inline: 'center'})", element
    )
    element.click()


def _column(browser: Any, index: int) -> list[str]:
    return browser.execute_script(
        "return [...document.querySelectorAll('#board tbody tr')]"
        ".map(r => r.cells[arguments[0]].getAttribute('data-value'));",
        index,
    )


def _best_first(values: list[str], direction: str) -> bool:
    """Numbers ordered best first, empty cells after them."""
    present = [float(v) for v in values if v != ""]
    if any(v != "" for v in values[len(present) :]):
        return False
    ordered = sorted(present, reverse=direction == "higher")
    return present == ordered


def _screenshot(browser: Any, path: Path) -> None:
    width, height = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_works_in_a_browser(
    page: str, site: Path, browser: Any, screenshots: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url = (site / page).as_uri()
    _open(browser, url)
    fetched = _requests(browser, url)
    assert any(url.endswith("site.js") for url in fetched)
    assert all(url.startswith(("file://", "data:")) for url in fetched), fetched
    broken = browser.execute_script(
        "return [...document.images].filter(i => i.getAttribute('src') && "
        "!(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    assert broken == []
    shot = screenshots / f"{page.replace('/', '-').removesuffix('.html')}.png"
    _screenshot(browser, shot)  # as a reader first sees it
    assert shot.stat().st_size > 10_000
    if page != "index.html":
        csv = PUBLISHED / Path(page).with_suffix(".csv")
        rows = browser.find_elements(By.CSS_SELECTOR, "#board tbody tr")
        assert len(rows) == len(pd.read_csv(csv))
        heads = browser.find_elements(By.CSS_SELECTOR, "#board thead th")
        sortable = [(i, h) for i, h in enumerate(heads) if h.get_attribute("data-direction") != ""]
        assert len(sortable) >= 5  # FID, KID, precision, recall, ... have a direction
        for index, head in sortable:
            direction = head.get_attribute("data-direction")
            _click(browser, head.find_element(By.TAG_NAME, "button"))
            values = _column(browser, index)
            assert _best_first(values, direction), (head.get_attribute("data-column"), values)
            assert head.get_attribute("aria-sort") == (
                "descending" if direction == "higher" else "ascending"
            )
        index, head = sortable[-1]
        _click(browser, head.find_element(By.TAG_NAME, "button"))  # again: worst first
        flipped = "lower" if head.get_attribute("data-direction") == "higher" else "higher"
        present = [v for v in _column(browser, index) if v != ""]
        assert _best_first(present, flipped)

        search = browser.find_element(By.ID, "filter")
        search.send_keys("baseline")
        shown = [r for r in rows if r.is_displayed()]
        # the filter matches a row's name, family, description and plugin: every baseline,
        # and a model whose card mentions one (pix2pix-semantic: "the baseline GauGAN is ...")
        matching = [r for r in rows if "baseline" in (r.get_attribute("data-search") or "")]
        assert shown and shown == matching
        assert all(r in shown for r in rows if r.get_attribute("data-baseline") == "true")
        assert len(shown) < len(rows)
        search.clear()
        search.send_keys(" ")  # clear() fires no input event
        browser.find_element(By.ID, "hide-baselines").click()
        shown = [r for r in rows if r.is_displayed()]
        assert all(r.get_attribute("data-baseline") == "false" for r in shown)
        counted = browser.find_element(By.ID, "count").text
        assert counted == f"{len(shown)} of {len(rows)} rows" or len(shown) == len(rows)
        browser.find_element(By.ID, "hide-baselines").click()

        _click(browser, browser.find_element(By.CSS_SELECTOR, "img.zoom.grid"))
        lightbox = browser.find_element(By.ID, "lightbox")
        assert lightbox.is_displayed()
        assert browser.execute_script(
            "const i = document.querySelector('#lightbox img');"
            "return i.complete && i.naturalWidth > 0"
        )
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
        assert not lightbox.is_displayed()

        copy = browser.find_element(By.CSS_SELECTOR, "button.copy")
        _click(browser, copy)
        browser.execute_async_script("setTimeout(arguments[arguments.length - 1], 200)")
        assert copy.text == "copied"
        browser.execute_script("window.scrollTo(0, 0)")
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_a_page_works_where_a_static_host_serves_it(site: Path, browser: Any) -> None:
    """The same checks of the console and the fetched files over http (loopback only)."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined, method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}/"
        for page in PAGES:
            _open(browser, root + page)
            fetched = _requests(browser, root + page)
            assert any(url.endswith("site.css") for url in fetched)
            assert all(url.startswith((root, "data:")) for url in fetched), fetched
            assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        server.shutdown()
        server.server_close()
