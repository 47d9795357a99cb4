"""End to end in a real browser: Debian's chromium driven by its chromedriver through Selenium.

Nothing is downloaded: the browser and driver come from Debian's packages (`.ci/run` installs
them). Without them these tests skip, except where PANCYST_REQUIRE_BROWSER=1 (CI) makes that a
failure."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from browser_helpers import chromium, click_and_wait, have_chromium, live
from pancyst.cli import app as cli
from pancyst.review import ReviewStore
from pancyst.study import StudyStore
from pancyst.webapp import create_review_app, create_study_app
from webapp_helpers import HOSTILE_ID, HOSTILE_TEXT


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not have_chromium():
        if os.environ.get("PANCYST_REQUIRE_BROWSER") == "1":
            pytest.fail("PANCYST_REQUIRE_BROWSER=1 but Debian's chromium / chromium-driver are not installed")
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    driver = chromium()
    driver.implicitly_wait(3)
    yield driver
    driver.quit()


@pytest.fixture
def review_url(review_db: Path) -> Iterator[str]:
    with live(create_review_app(str(review_db), "browser")) as url:
        yield url


def _wait_text(driver: Any, css: str, expected: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, css).text.strip() == expected)


def test_review_correct_see_category_change_and_export(
    browser: Any, review_url: str, review_db: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{review_url}/reports?category=1")
    first = browser.find_element(By.CSS_SELECTOR, "a.open")
    report_id = first.text
    click_and_wait(browser, first)
    assert browser.find_element(By.ID, "category").text == "1"
    browser.find_element(By.CSS_SELECTOR, 'button.ev[data-k="L0.size_mm"]').click()
    focused = browser.find_elements(By.CSS_SELECTOR, "mark.focus")
    assert focused and all("L0.size_mm" in m.get_attribute("data-k").split() for m in focused)
    Select(browser.find_element(By.ID, "lesion.0.mural_nodule")).select_by_value("enhancing")
    _wait_text(browser, "#category", "3")  # recomputed by the engine as you edit, before saving
    assert "not saved" in browser.find_element(By.ID, "preview-note").text
    click_and_wait(browser, browser.find_element(By.ID, "mark-reviewed"))
    _wait_text(browser, "#status", "reviewed")
    assert browser.find_element(By.ID, "category").text == "3"
    gold = tmp_path / "gold.jsonl"
    result = CliRunner().invoke(cli, ["review", "export", "--db", str(review_db), "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in gold.read_text().splitlines()]
    assert [line["report_id"] for line in lines] == [report_id]
    assert lines[0]["features"]["mural_nodule"] == "enhancing"
    assert lines[0]["review"]["reviewed_by"] == "browser" and lines[0]["review"]["corrections"] == 1
    scored = CliRunner().invoke(
        cli, ["evaluate", "--gold", str(gold), "--pred", str(gold), "-o", str(tmp_path / "e")]
    )
    assert scored.exit_code == 0, scored.output


def test_hostile_report_renders_as_text(browser: Any, review_url: str, review_db: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    store = ReviewStore(review_db)
    position = next(
        p for p in range(store.count()) if (e := store.at(p)) and e.report.report_id == HOSTILE_ID
    )
    browser.get(f"{review_url}/r/{position}")
    shown = browser.find_element(By.CSS_SELECTOR, "pre.text").get_attribute("textContent")
    assert shown == HOSTILE_TEXT
    assert browser.execute_script("return document.querySelectorAll('main img, main script').length") == 0
    assert browser.execute_script("return document.querySelectorAll('[onmouseover],[onerror]').length") == 0
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018


def test_two_reader_study_kappa_on_the_results_page(browser: Any, sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    path = tmp_path / "study.sqlite"
    store, tokens = StudyStore.create(
        path, sample_run.lines, sample_run.texts, readers=["r1", "r2"], cases=6, seed=7
    )
    cases = sorted(s.case_id for s in store.slots("r1"))
    plan = {"r1": ["1", "1", "2", "2", "3", "none"], "r2": ["1", "2", "2", "2", "3", "1"]}
    with live(create_study_app(str(path), bootstrap=200)) as base:
        for reader, answers in plan.items():
            by_case = dict(zip(cases, answers, strict=True))
            _sign_in(browser, base, tokens[reader])
            click_and_wait(browser, browser.find_element(By.ID, "start"))
            for slot in store.slots(reader):
                browser.find_element(By.ID, f"cat-{by_case[slot.case_id]}").click()
                click_and_wait(browser, browser.find_element(By.ID, "submit-reading"))
            assert "All done" in browser.find_element(By.ID, "progress").text
            click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.inline button"))
        _sign_in(browser, base, tokens["admin"])
        click_and_wait(browser, browser.find_element(By.ID, "results-link"))
        kappa = browser.find_element(By.CSS_SELECTOR, 'tr[data-pair="r1|r2"] td.kappa').text
        # by hand: agreement 4/6; r1 {1:2, 2:2, 3:1, none:1}, r2 {1:2, 2:3, 3:1}:
        # chance (2*2 + 2*3 + 1*1) / 36 = 11/36, kappa = (24 - 11) / (36 - 11) = 13/25 = 0.520
        assert kappa == "0.520"
        fleiss = browser.find_element(By.CSS_SELECTOR, "#fleiss-readers td.kappa").text
        # Fleiss for two readers: P_bar = 4/6; p_j = (4, 5, 2, 1)/12 -> P_e = 46/144; (96 - 46) / (144 - 46) = 0.510
        assert fleiss == "0.510"
    readings = tmp_path / "readings.csv"
    assert CliRunner().invoke(cli, ["study", "export", "--db", str(path), "-o", str(readings)]).exit_code == 0
    out = CliRunner().invoke(cli, ["agreement", str(readings), "--bootstrap", "0"])
    assert out.exit_code == 0 and "0.520" in out.output


def _sign_in(browser: Any, base: str, token: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{base}/login")
    browser.find_element(By.ID, "token").send_keys(token)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#login button"))
