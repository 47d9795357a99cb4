"""The reader-study app: token login, each reader's own cases in their own order, adjudication
of disagreements, and the results page (the same agreement statistics as `pancyst agreement`).

A reader sees only their own cases and answers; in the blind arm nothing of the model's output
(category, features, highlighted evidence) reaches the page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, session, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from pancyst.evaluate.agreement import AGREEMENT_LABELS, agreement
from pancyst.io.review import evidence_marks, text_block
from pancyst.review import EditError, field_spec
from pancyst.review.edits import parse_value
from pancyst.schema import FEATURE_KEYS
from pancyst.study import Person, StudyStore
from pancyst.study.store import CATEGORIES, MODEL_READER, Slot
from pancyst.webapp.common import make_app

bp = Blueprint("study", __name__)
F = TypeVar("F", bound=Callable[..., Any])


def create_study_app(db_path: str, *, bootstrap: int = 1000) -> Flask:
    """The study app over the database at `db_path`."""
    store = StudyStore(db_path)
    app = make_app(__name__, store.secret, "pancyst reader study")
    app.config.update(STORE=store, BOOTSTRAP=bootstrap)
    app.register_blueprint(bp)
    return app


def _store() -> StudyStore:
    store: StudyStore = current_app.config["STORE"]
    return store


def _me() -> Person | None:
    name = session.get("who")
    return None if not isinstance(name, str) else _store().person(name)


def requires(*roles: str) -> Callable[[F], F]:
    """Signed in (else to the login page) with one of `roles` (else 403)."""

    def wrap(view: F) -> F:
        @wraps(view)
        def inner(*args: Any, **kwargs: Any) -> Any:
            me = _me()
            if me is None:
                return redirect(url_for("study.login"))
            if me.role not in roles:
                abort(403, "not for your role in this study")
            return view(me, *args, **kwargs)

        return cast(F, inner)

    return wrap


@bp.get("/login")
def login() -> str:
    return render_template("study_login.html", error=None)


@bp.post("/login")
def login_post() -> Response | tuple[str, int]:
    token = request.form.get("token", "")
    person = _store().login(token) if token.strip() else None
    if person is None:
        return render_template("study_login.html", error="That token is not valid for this study."), 403
    session.clear()
    session["who"] = person.name
    return redirect(url_for("study.home"))


@bp.post("/logout")
def logout() -> Response:
    session.clear()
    return redirect(url_for("study.login"))


@bp.get("/")
def home() -> Response | str:
    me = _me()
    if me is None:
        return redirect(url_for("study.login"))
    store = _store()
    slots = store.slots(me.name) if me.role == "reader" else []
    following = next((s.position + 1 for s in slots if not s.answered), None)
    return render_template(
        "study_home.html", me=me, slots=slots, following=following, arm=store.arm, progress=store.progress()
    )


def _slot(me: Person, n: int) -> Slot:
    slots = _store().slots(me.name)
    if not 1 <= n <= len(slots):
        abort(404, "no such case in your list")
    return slots[n - 1]


def _case_page(me: Person, n: int, slot: Slot, error: str | None) -> str:
    store = _store()
    case = store.case(slot.case_id)
    assert case is not None
    assisted = store.arm == "assisted"
    marks = evidence_marks(case.result) if assisted else []
    return render_template(
        "study_case.html",
        me=me,
        n=n,
        total=len(store.slots(me.name)),
        slot=slot,
        case=case,
        assisted=assisted,
        text_html=Markup(text_block(case.report.text, marks)),
        categories=CATEGORIES,
        features=[(k, field_spec(k)) for k in FEATURE_KEYS] if store.ask_features else [],
        error=error,
    )


@bp.get("/case/<int:n>")
@requires("reader")
def case(me: Person, n: int) -> str:
    slot = _slot(me, n)
    _store().show(me.name, slot.case_id)
    return _case_page(me, n, _slot(me, n), None)


def _features(form: Any) -> dict[str, Any] | None:
    if not _store().ask_features:
        return None
    return {k: parse_value(field_spec(k), form.get(k, ""), k) for k in FEATURE_KEYS}


@bp.post("/case/<int:n>")
@requires("reader")
def answer(me: Person, n: int) -> Response | tuple[str, int]:
    slot = _slot(me, n)
    category = request.form.get("category", "")
    try:
        if category not in CATEGORIES:
            raise EditError("choose a risk category (1, 2, 3 or none)")
        features = _features(request.form)
        _store().answer(me.name, slot.case_id, category, features)
    except ValueError as exc:  # EditError is one
        return _case_page(me, n, slot, str(exc)), 400
    following = next((s.position + 1 for s in _store().slots(me.name) if not s.answered), None)
    return redirect(url_for("study.case", n=following) if following else url_for("study.home"))


@bp.get("/adjudicate")
@requires("adjudicator", "admin")
def adjudicate_list(me: Person) -> str:
    return render_template("study_adjudicate.html", me=me, cases=_store().disagreements(), case=None)


@bp.get("/adjudicate/<int:case_id>")
@requires("adjudicator")
def adjudicate_case(me: Person, case_id: int) -> str:
    return _adjudication_page(me, case_id, None)


def _adjudication_page(me: Person, case_id: int, error: str | None) -> str:
    store = _store()
    row = next((d for d in store.disagreements() if d["case_id"] == case_id), None)
    case = store.case(case_id)
    if row is None or case is None:
        abort(404, "no such disagreement")
    return render_template(
        "study_adjudicate.html",
        me=me,
        cases=None,
        case=case,
        row=row,
        text_html=Markup(text_block(case.report.text, [])),
        categories=CATEGORIES,
        error=error,
    )


@bp.post("/adjudicate/<int:case_id>")
@requires("adjudicator")
def adjudicate_post(me: Person, case_id: int) -> Response | tuple[str, int]:
    try:
        _store().adjudicate(case_id, me.name, request.form.get("category", ""))
    except ValueError as exc:
        return _adjudication_page(me, case_id, str(exc)), 400
    return redirect(url_for("study.adjudicate_list"))


@bp.get("/results")
@requires("admin")
def results(me: Person) -> str:
    store = _store()
    readings = store.readings()
    result = None
    if any(r.reader != MODEL_READER for r in readings):
        result = agreement(readings, model=MODEL_READER, bootstrap=current_app.config["BOOTSTRAP"])
    seconds = {
        name: [s.seconds for s in store.slots(name) if s.seconds is not None] for name in store.readers()
    }
    return render_template(
        "study_results.html",
        me=me,
        result=result,
        labels=AGREEMENT_LABELS,
        progress=store.progress(),
        seconds={k: (sum(v) / len(v) if v else None) for k, v in seconds.items()},
        arm=store.arm,
        n_disagreements=len(store.disagreements()),
    )
