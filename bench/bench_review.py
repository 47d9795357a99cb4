"""Review 20 reports in the review app through a real browser, as a new user clicks through them.

Per report: open it (the first from the list, then "Save as reviewed, next"), click two features to
see their evidence, correct one value on every fourth report, and save as reviewed. Prints the wall
time, the actions taken and the server's time per page. This is a scripted user with no reading or
thinking time: it measures what the tool costs a reviewer, not how long reading a report takes.

    .venv/bin/python bench/bench_review.py [--reports 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from pancyst.extract import get_extractor
from pancyst.io.readers import read_reports
from pancyst.pipeline import Pipeline
from pancyst.review import ReviewStore
from pancyst.schema import ReportInput
from pancyst.webapp import create_review_app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser_helpers import chromium, click_and_wait, live  # noqa: E402  (the tests' one way to drive chromium)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=20)
    n = parser.parse_args().reports
    inputs = list(read_reports(ROOT / "data/samples/reports.csv"))
    lines = list(Pipeline(get_extractor("rules")).run(inputs))
    texts = {r.report_id: r for r in inputs if isinstance(r, ReportInput)}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "review.sqlite"
        ReviewStore.load(db, lines, texts)
        driver = chromium()
        actions = 0
        with live(create_review_app(str(db), "bench")) as base:
            start = time.perf_counter()
            driver.get(f"{base}/reports")
            click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "a.open"))
            actions += 1
            for k in range(n):
                for button in driver.find_elements(By.CSS_SELECTOR, "button.ev")[:2]:
                    button.click()
                    actions += 1
                if k % 4 == 0 and driver.find_elements(By.ID, "lesion.0.septations"):
                    Select(driver.find_element(By.ID, "lesion.0.septations")).select_by_value("present")
                    actions += 1
                click_and_wait(driver, driver.find_element(By.ID, "save-next"))
                actions += 1
            elapsed = time.perf_counter() - start
        driver.quit()
        stats = ReviewStore(db).stats()
    print(f"reviewed {stats['reviewed']} reports, {stats['corrections']} corrections, {actions} actions")
    print(f"wall time {elapsed:.2f} s ({elapsed / n:.3f} s per report, {actions / n:.1f} actions per report)")


if __name__ == "__main__":
    main()
