"""Driving Debian's chromium through its chromedriver (Selenium), for the browser tests and
bench/bench_review.py: one place for the flags this machine's closed network needs and for the
wait that makes page loads reliable. Nothing here downloads a browser."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# background networking off: without it chromium tries hosts it cannot reach, many at a time
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


def have_chromium() -> bool:
    return bool(shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER))


def chromium() -> Any:
    """A headless Chrome session on Debian's chromium (quit it when done)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@contextmanager
def live(app: Any) -> Iterator[str]:
    """`app` served by waitress on a free loopback port, as `pancyst review serve` serves it."""
    from pancyst.webapp.common import make_server

    server = make_server(app)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()


def click_and_wait(driver: Any, element: Any) -> None:
    """Click what loads a new page and wait until the new page has loaded.

    The old page is marked first, so the wait knows the new document from the old one.
    chromedriver sometimes reports such a click as failed because the page it clicked on is
    already gone ("does not belong to the document"); the wait checks the navigation happened."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__pancystOld = true")
    try:
        element.click()
    except WebDriverException as exc:
        if "does not belong to the document" not in str(exc):
            raise
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script(
            "return window.__pancystOld === undefined && document.readyState === 'complete'"
        )
    )
