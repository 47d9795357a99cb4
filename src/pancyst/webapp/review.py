"""The review app: a filtered report list and a report page where every feature can be corrected.

Edits are validated by the schema (``review.edits``); the category and recommendation shown are
the guideline engine's, recomputed on every change (live through ``/preview``, stored on save).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Flask, abort, current_app, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from pancyst.io.review import evidence_marks, text_block
from pancyst.pipeline import extraction_from_result
from pancyst.review import (
    LESION_FIELDS,
    REPORT_FIELDS,
    EditError,
    FieldSpec,
    Filters,
    ReviewStore,
    field_spec,
)
from pancyst.review.edits import add_lesion, apply_form, remove_lesion
from pancyst.review.store import CATEGORY_FILTERS, FILTER_FEATURES, Entry
from pancyst.schema import Extraction, Lesion, ResultLine, Span
from pancyst.webapp.common import make_app

bp = Blueprint("review", __name__)
PAGE_SIZE = 100


def create_review_app(db_path: str, reviewer: str) -> Flask:
    """The review app over the database at `db_path`; corrections are signed `reviewer`."""
    store = ReviewStore(db_path)
    app = make_app(__name__, store.secret(), "pancyst review")
    app.config.update(STORE=store, REVIEWER=reviewer)
    app.register_blueprint(bp)
    return app


def _store() -> ReviewStore:
    store: ReviewStore = current_app.config["STORE"]
    return store


def filters_from(args: Any) -> Filters:
    """The list filters from query (or hidden form) parameters; an unknown value is a 400."""
    category = args.get("category") or None
    status = args.get("status") or None
    feature = args.get("feature") or None
    if category is not None and category not in CATEGORY_FILTERS:
        abort(400, f"category must be one of {', '.join(CATEGORY_FILTERS)}")
    if status is not None and status not in ("unreviewed", "reviewed"):
        abort(400, "status must be unreviewed or reviewed")
    if feature is not None and feature not in FILTER_FEATURES:
        abort(400, "unknown feature")
    return Filters(
        category=category,
        status=status,
        errors=args.get("errors") == "1",
        warnings=args.get("warnings") == "1",
        flagged=args.get("flagged") == "1",
        feature=feature,
        value=args.get("value") if feature else None,
        text=(args.get("q") or "").strip() or None,
    )


def _query(filters: Filters) -> str:
    pairs = {
        "category": filters.category,
        "status": filters.status,
        "errors": "1" if filters.errors else None,
        "warnings": "1" if filters.warnings else None,
        "flagged": "1" if filters.flagged else None,
        "feature": filters.feature,
        "value": filters.value if filters.feature else None,
        "q": filters.text,
    }
    return urlencode({k: v for k, v in pairs.items() if v})


@bp.get("/")
def index() -> Response:
    return redirect(url_for("review.reports"))


@bp.get("/reports")
def reports() -> str:
    filters = filters_from(request.args)
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        abort(400, "page must be a number")
    store = _store()
    total = store.count(filters)
    items = store.items(filters, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return render_template(
        "review_list.html",
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        query=_query(filters),
        stats=store.stats(),
        categories=CATEGORY_FILTERS,
        features=FILTER_FEATURES,
    )


@dataclass(frozen=True)
class Control:
    """One editable field as the template draws it."""

    key: str  # form name: report.NAME or lesion.N.NAME
    name: str
    spec: FieldSpec
    value: Any
    machine: Any
    quotes: list[Span]
    evidence_key: str  # what its evidence marks are keyed by in the text

    @property
    def changed(self) -> bool:
        return self.value != self.machine


def _report_controls(state: Extraction, original: Extraction) -> list[Control]:
    return [
        Control(
            f"report.{name}",
            name,
            field_spec(name),
            getattr(state, name),
            getattr(original, name),
            list(state.evidence.get(name, [])),
            name,
        )
        for name in REPORT_FIELDS
    ]


def _lesion_controls(n: int, lesion: Lesion, machine: Lesion | None) -> list[Control]:
    return [
        Control(
            f"lesion.{n}.{name}",
            name,
            field_spec(name),
            getattr(lesion, name),
            getattr(machine, name) if machine is not None else None,
            [s for s in lesion.evidence if s.feature == name],
            f"L{n}.{name}",
        )
        for name in LESION_FIELDS
    ]


def _page(entry: Entry, state: Extraction, result: ResultLine, error: str | None, filters: Filters) -> str:
    original = extraction_from_result(entry.original)
    lesions = [
        {
            "n": n,
            "controls": _lesion_controls(
                n, lesion, original.lesions[n] if n < len(original.lesions) else None
            ),
            "category": _lesion_category(result, n),
            "index": result.derived is not None and result.derived.index_lesion == n,
        }
        for n, lesion in enumerate(state.lesions)
    ]
    store = _store()
    rid = entry.report.report_id
    return render_template(
        "review_report.html",
        entry=entry,
        result=result,
        text_html=Markup(text_block(entry.report.text, evidence_marks(result))),
        report_controls=_report_controls(state, original),
        lesions=lesions,
        corrections=store.corrections(rid),
        error=error,
        filters_query=_query(filters),
        filter_pairs=parse_qsl(_query(filters)),
        previous=store.neighbour(entry.position, filters, step=-1),
        next=store.neighbour(entry.position, filters, step=1),
    )


def _lesion_category(result: ResultLine, n: int) -> int | None:
    cats = result.derived.lesion_categories if result.derived else []
    return cats[n] if n < len(cats) else None


def _entry(position: int) -> Entry:
    entry = _store().at(position)
    if entry is None:
        abort(404, "no such report")
    return entry


@bp.get("/r/<int:position>")
def report(position: int) -> str:
    entry = _entry(position)
    return _page(entry, entry.state, entry.result, None, filters_from(request.args))


def _edited(entry: Entry, form: Any) -> tuple[Extraction, list[Any]]:
    state, changes = apply_form(entry.state, form)
    action = form.get("action", "save")
    if action == "add_lesion":
        state, change = add_lesion(state)
        changes.append(change)
    elif action.startswith("remove:"):
        try:
            n = int(action.removeprefix("remove:"))
        except ValueError:
            raise EditError("no such lesion") from None
        state, change = remove_lesion(state, n)
        changes.append(change)
    return state, changes


@bp.post("/r/<int:position>")
def save(position: int) -> Response | tuple[str, int]:
    entry = _entry(position)
    filters = filters_from(request.form)
    action = request.form.get("action", "save")
    try:
        state, changes = _edited(entry, request.form)
    except EditError as exc:
        return _page(entry, entry.state, entry.result, str(exc), filters), 400
    reviewed = action in ("save_next", "reviewed")
    store = _store()
    store.save(entry.report.report_id, state, changes, current_app.config["REVIEWER"], reviewed=reviewed)
    query = _query(filters)
    if action == "save_next":
        following = store.neighbour(entry.position, filters, step=1)
        if following is None:
            return redirect(url_for("review.reports") + (f"?{query}" if query else ""))
        position = following
    return redirect(url_for("review.report", position=position) + (f"?{query}" if query else ""))


@bp.post("/r/<int:position>/preview")
def preview(position: int) -> tuple[Response, int]:
    """The category and recommendation the current form would give; nothing is stored."""
    entry = _entry(position)
    try:
        state, _ = apply_form(entry.state, request.form)
    except EditError as exc:
        return jsonify(error=str(exc)), 400
    result = _store().preview(entry, state)
    derived = result.derived
    rec = derived.recommendation if derived else None
    return jsonify(
        risk_category=derived.risk_category if derived else None,
        index_lesion=None if derived is None or derived.index_lesion is None else derived.index_lesion + 1,
        recommendation=None if rec is None else {"action": rec.action, "text": rec.text},
        lesion_categories=derived.lesion_categories if derived else [],
    ), 200
