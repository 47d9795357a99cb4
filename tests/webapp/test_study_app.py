"""Every route of the study app through Flask's test client: tokens, roles, blinding, locking."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pancyst.review import field_spec
from pancyst.schema import FEATURE_KEYS
from pancyst.study import StudyStore
from pancyst.webapp import create_study_app
from webapp_helpers import csrf_of, text_of


def _login(app: Any, token: str) -> Any:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_of(page), "token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def _answer(client: Any, n: int, category: str) -> Any:
    page = client.get(f"/case/{n}").get_data(as_text=True)
    return client.post(f"/case/{n}", data={"csrf_token": csrf_of(page), "category": category})


def test_wrong_missing_or_no_token(study_app: Any) -> None:
    client = study_app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"csrf_token": token, "token": "nope"}).status_code == 403
    assert client.post("/login", data={"csrf_token": token, "token": ""}).status_code == 403
    assert client.post("/login", data={"token": "x"}).status_code == 400  # no CSRF token
    for path in ("/case/1", "/results", "/adjudicate"):
        assert client.get(path).headers["Location"].endswith("/login")


def test_roles(study_app: Any, study: tuple[Path, dict[str, str]]) -> None:
    reader = _login(study_app, study[1]["r1"])
    assert reader.get("/results").status_code == 403
    assert reader.get("/adjudicate").status_code == 403
    admin = _login(study_app, study[1]["admin"])
    assert admin.get("/results").status_code == 200
    assert admin.get("/case/1").status_code == 403


def test_a_reader_sees_only_their_own_cases_and_answers(
    study_app: Any, study: tuple[Path, dict[str, str]]
) -> None:
    r1, r2 = _login(study_app, study[1]["r1"]), _login(study_app, study[1]["r2"])
    assert _answer(r1, 1, "2").status_code == 302
    store = StudyStore(study[0])
    first = store.slots("r1")[0].case_id
    n_for_r2 = next(s.position + 1 for s in store.slots("r2") if s.case_id == first)
    page = r2.get(f"/case/{n_for_r2}").get_data(as_text=True)
    assert "You answered" not in page and 'id="reading"' in page  # r1's answer is not shown to r2
    home = r2.get("/").get_data(as_text=True)
    assert text_of(home, "progress").startswith("0 of 6")
    assert r1.get("/case/7").status_code == 404


def test_blind_arm_hides_the_model_and_assisted_shows_it(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for arm in ("blind", "assisted"):
        path = tmp_path / f"{arm}.sqlite"
        _, tokens = StudyStore.create(
            path, sample_run.lines, sample_run.texts, readers=["a", "b"], cases=4, seed=1, arm=arm
        )
        client = _login(create_study_app(str(path), bootstrap=0), tokens["a"])
        page = client.get("/case/1").get_data(as_text=True)
        assert ('id="model-category"' in page) is (arm == "assisted")
        assert ("<mark" in page) is (arm == "assisted" and "<mark" in page)
        if arm == "blind":
            assert "<mark" not in page and "model" not in page.lower().replace("model-", "")


def test_readings_are_locked_and_validated(study_app: Any, study: tuple[Path, dict[str, str]]) -> None:
    client = _login(study_app, study[1]["r1"])
    assert _answer(client, 1, "7").status_code == 400
    assert _answer(client, 1, "").status_code == 400
    assert _answer(client, 1, "3").status_code == 302
    page = client.get("/case/1").get_data(as_text=True)
    assert "You answered" in page and 'id="reading"' not in page
    again = client.post("/case/1", data={"csrf_token": csrf_of(page), "category": "1"})
    assert again.status_code == 400 and "locked" in again.get_data(as_text=True)
    assert client.post("/case/2", data={"category": "1"}).status_code == 400  # forged: no CSRF token


def test_features_when_the_study_asks(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "f.sqlite"
    _, tokens = StudyStore.create(
        path, sample_run.lines, sample_run.texts, readers=["a", "b"], cases=2, seed=1, ask_features=True
    )
    client = _login(create_study_app(str(path), bootstrap=0), tokens["a"])
    page = client.get("/case/1").get_data(as_text=True)
    assert 'name="mpd_dilated"' in page
    bad = client.post("/case/1", data={"csrf_token": csrf_of(page), "category": "1", "size_mm": "big"})
    assert bad.status_code == 400 and "not a number" in bad.get_data(as_text=True)
    defaults = {k: field_spec(k).choices[0] for k in FEATURE_KEYS if field_spec(k).kind == "choice"}
    answer = {**defaults, "csrf_token": csrf_of(page), "category": "1", "size_mm": "14", "location": "tail"}
    ok = client.post("/case/1", data=answer)
    assert ok.status_code == 302
    out = tmp_path / "r.csv"
    StudyStore(path).export(out)
    header, first = out.read_text().splitlines()[:2]
    assert "size_mm" in header.split(",") and "14.0" in first.split(",")


def test_adjudication_and_results(study_app: Any, study: tuple[Path, dict[str, str]]) -> None:
    r1, r2 = _login(study_app, study[1]["r1"]), _login(study_app, study[1]["r2"])
    store = StudyStore(study[0])
    order1 = [s.case_id for s in store.slots("r1")]
    order2 = [s.case_id for s in store.slots("r2")]
    r1_answers = dict(zip(sorted(order1), ["1", "1", "2", "2", "3", "none"], strict=True))
    r2_answers = dict(zip(sorted(order1), ["1", "2", "2", "2", "3", "1"], strict=True))
    for n, case_id in enumerate(order1, start=1):
        _answer(r1, n, r1_answers[case_id])
    for n, case_id in enumerate(order2, start=1):
        _answer(r2, n, r2_answers[case_id])
    adj = _login(study_app, study[1]["adj"])
    listing = adj.get("/adjudicate").get_data(as_text=True)
    links = re.findall(r'href="/adjudicate/(\d+)"', listing)
    assert len(links) == 2
    page = adj.get(f"/adjudicate/{links[0]}").get_data(as_text=True)
    assert (
        adj.post(f"/adjudicate/{links[0]}", data={"csrf_token": csrf_of(page), "category": "9"}).status_code
        == 400
    )
    assert (
        adj.post(f"/adjudicate/{links[0]}", data={"csrf_token": csrf_of(page), "category": "2"}).status_code
        == 302
    )
    assert adj.get("/adjudicate/0").status_code in (200, 404)
    admin = _login(study_app, study[1]["admin"])
    results = admin.get("/results").get_data(as_text=True)
    kappa = re.search(r'data-pair="r1\|r2">.*?class="kappa">([^<]+)<', results, re.S)
    assert kappa is not None and float(kappa.group(1)) == pytest.approx(13 / 25, abs=5e-4)  # hand computed
