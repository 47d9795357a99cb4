"""The local web apps: review (correct machine output into gold) and reader studies.

Flask with server-side Jinja templates (autoescaped), Flask-WTF's CSRF protection on every
form, a strict Content-Security-Policy, every asset packaged, served by waitress on loopback."""

from pancyst.webapp.common import serve
from pancyst.webapp.review import create_review_app
from pancyst.webapp.study import create_study_app

__all__ = ["create_review_app", "create_study_app", "serve"]
