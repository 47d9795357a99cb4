"""Every route of the review app through Flask's test client, bad input included."""

from __future__ import annotations

import html
import re
from typing import Any

from pancyst.review import ReviewStore
from webapp_helpers import HOSTILE_ID, HOSTILE_TEXT, csrf_of, text_of


def _position(client: Any, report_id: str) -> int:
    page = client.get("/reports?q=&feature=&value=").get_data(as_text=True)
    for match in re.finditer(r'href="/r/(\d+)"[^>]*>([^<]+)<', page):
        if match.group(2) == report_id:
            return int(match.group(1))
    raise AssertionError(report_id)


def test_list_and_filters(review_client: Any, sample_run) -> None:  # type: ignore[no-untyped-def]
    page = review_client.get("/reports").get_data(as_text=True)
    assert text_of(page, "count").startswith(f"{len(sample_run.lines)} reports")
    assert review_client.get("/").status_code == 302
    page = review_client.get("/reports?q=onerror").get_data(as_text=True)
    assert text_of(page, "count").startswith("1 report") and HOSTILE_ID in page
    for bad in ("category=7", "status=done", "feature=__class__&value=x", "page=x"):
        assert review_client.get(f"/reports?{bad}").status_code == 400


def test_unknown_report_is_404(review_client: Any) -> None:
    assert review_client.get("/r/99999").status_code == 404
    assert review_client.post("/r/99999", data={}).status_code in (400, 404)


def test_correct_a_feature_and_the_category_follows(review_client: Any, review_db) -> None:  # type: ignore[no-untyped-def]
    store = ReviewStore(review_db)
    entry = next(
        e
        for e in (store.at(p) for p in range(store.count()))
        if e and e.result.derived and e.result.derived.risk_category == 1
    )
    url = f"/r/{entry.position}"
    page = review_client.get(url).get_data(as_text=True)
    assert text_of(page, "category") == "1"
    token = csrf_of(page)
    preview = review_client.post(
        url + "/preview", data={"csrf_token": token, "lesion.0.mural_nodule": "enhancing"}
    )
    assert preview.status_code == 200 and preview.json["risk_category"] == 3
    assert ReviewStore(review_db).at(entry.position).result == entry.result  # a preview stores nothing
    done = review_client.post(
        url, data={"csrf_token": token, "lesion.0.mural_nodule": "enhancing", "action": "reviewed"}
    )
    assert done.status_code == 302
    page = review_client.get(url).get_data(as_text=True)
    assert text_of(page, "category") == "3" and text_of(page, "status") == "reviewed"
    assert "lesion.0.mural_nodule" in page  # the corrections table
    row = ReviewStore(review_db).corrections(entry.report.report_id)[0]
    assert (row.field, row.new, row.reviewer) == ("lesion.0.mural_nodule", "enhancing", "tester")


def test_bad_values_are_refused_and_nothing_stored(review_client: Any, review_db) -> None:  # type: ignore[no-untyped-def]
    store = ReviewStore(review_db)
    entry = next(e for e in (store.at(p) for p in range(store.count())) if e and e.state.lesions)
    url = f"/r/{entry.position}"
    token = csrf_of(review_client.get(url).get_data(as_text=True))
    for field, value, message in (
        ("lesion.0.location", "liver", "not one of"),
        ("lesion.0.size_mm", "twelve", "not a number"),
        ("report.pcl_present", "perhaps", "not one of"),
    ):
        response = review_client.post(url, data={"csrf_token": token, field: value})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    bad_preview = review_client.post(url + "/preview", data={"csrf_token": token, "lesion.0.size_mm": "x"})
    assert bad_preview.status_code == 400 and "not a number" in bad_preview.json["error"]
    assert review_client.post(url, data={"csrf_token": token, "action": "remove:9"}).status_code == 400
    assert ReviewStore(review_db).corrections() == []


def test_forms_without_the_csrf_token_are_refused(review_client: Any) -> None:
    response = review_client.post("/r/0", data={"report.pcl_present": "true", "action": "reviewed"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert review_client.post("/r/0/preview", data={"csrf_token": "forged"}).status_code == 400


def test_add_and_remove_a_lesion(review_client: Any, review_db) -> None:  # type: ignore[no-untyped-def]
    url = "/r/0"
    before = len(ReviewStore(review_db).at(0).state.lesions)
    token = csrf_of(review_client.get(url).get_data(as_text=True))
    assert review_client.post(url, data={"csrf_token": token, "action": "add_lesion"}).status_code == 302
    assert len(ReviewStore(review_db).at(0).state.lesions) == before + 1
    page = review_client.get(url).get_data(as_text=True)
    assert f'id="lesion-{before + 1}"' in page
    review_client.post(url, data={"csrf_token": token, "action": f"remove:{before}"})
    assert len(ReviewStore(review_db).at(0).state.lesions) == before


def test_save_and_next_walks_the_filtered_list(review_client: Any, review_db) -> None:  # type: ignore[no-untyped-def]
    store = ReviewStore(review_db)
    from pancyst.review import Filters

    ones = store.items(Filters(category="1"))
    url = f"/r/{ones[0].position}?category=1"
    token = csrf_of(review_client.get(url).get_data(as_text=True))
    response = review_client.post(
        f"/r/{ones[0].position}", data={"csrf_token": token, "action": "save_next", "category": "1"}
    )
    assert response.headers["Location"] == f"/r/{ones[1].position}?category=1"


def test_hostile_text_is_escaped_and_no_script_can_run(review_client: Any) -> None:
    position = _position(review_client, HOSTILE_ID)
    response = review_client.get(f"/r/{position}")
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page and "</textarea>" not in page
    block = re.search(r'<pre class="text">(.*?)</pre>', page, re.S)
    assert block is not None
    shown = html.unescape(re.sub(r"</?mark[^>]*>", "", block.group(1)))
    assert shown == HOSTILE_TEXT  # every character shown, as text
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_static_assets_are_packaged(review_client: Any) -> None:
    page = review_client.get("/r/0").get_data(as_text=True)
    assert "http://" not in page and "https://" not in page  # no CDN
    assert review_client.get("/static/app.js").status_code == 200
    assert review_client.get("/static/app.css").status_code == 200


def test_untrusted_host_header_is_refused(review_db) -> None:  # type: ignore[no-untyped-def]
    from pancyst.webapp import create_review_app

    app = create_review_app(str(review_db), "tester")
    app.config["TRUSTED_HOSTS"] = ["127.0.0.1", "localhost"]
    client = app.test_client()
    assert client.get("/reports", headers={"Host": "localhost"}).status_code == 200
    assert client.get("/reports", headers={"Host": "evil.example"}).status_code == 400
