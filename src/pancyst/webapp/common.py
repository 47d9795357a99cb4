"""What both apps share: the Flask app with its security settings, error pages and the server.

Report text is untrusted: templates autoescape, the only HTML built in Python is the highlighted
text (escaped by ``io.review.highlight``), and the Content-Security-Policy allows no inline
script, so even an escaping slip could not run code. No request is logged (URLs carry filters
that may quote report text); nothing is fetched from or sent to anywhere else.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from pancyst.io.review import fmt_value

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
LOOPBACK = ("127.0.0.1", "localhost", "::1")

_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def form_value(value: Any) -> str:
    """A value as a form control holds it: '' for null, 'true'/'false' for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def make_app(name: str, secret_key: str, title: str) -> Flask:
    """A Flask app with CSRF on every POST, strict headers and error pages that quote no input."""
    app = Flask(name, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))
    app.config.update(
        SECRET_KEY=secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        WTF_CSRF_TIME_LIMIT=None,  # a review session may stay open all day; the token is per session
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        APP_TITLE=title,
    )
    CSRFProtect(app)
    app.jinja_env.filters["fmt"] = fmt_value
    app.jinja_env.filters["form_value"] = form_value

    @app.after_request
    def _headers(response: Response) -> Response:
        for key, value in _HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> tuple[str, int]:
        return render_template(
            "error.html", code=400, message="The form was not accepted: " + exc.description
        ), 400

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        return render_template("error.html", code=code, message=exc.description or exc.name), code

    @app.errorhandler(Exception)
    def _crash(exc: Exception) -> tuple[str, int]:  # never a traceback (it may quote report text) in the page
        log.error("%s %s failed: %s", request.method, request.path, type(exc).__name__)
        log.debug("details", exc_info=exc)
        return render_template("error.html", code=500, message="Internal error; see the server log."), 500

    return app


def serve(app: Flask, host: str = "127.0.0.1", port: int = 8765, threads: int = 4) -> None:
    """Serve `app` with waitress until interrupted (waitress logs no requests).

    Only the served names are accepted in the Host header, so a page on another site that rebinds
    its DNS name to this address cannot read the app."""
    from waitress import serve as waitress_serve

    app.config["TRUSTED_HOSTS"] = sorted({"127.0.0.1", "localhost", host})
    waitress_serve(app, host=host, port=port, threads=threads, ident="pancyst")


def make_server(app: Flask, host: str = "127.0.0.1", port: int = 0) -> Any:
    """A waitress server object (``.effective_port``, ``.run()``, ``.close()``) for tests and embedding."""
    from waitress.server import create_server

    return create_server(app, host=host, port=port, threads=4, ident="pancyst")
