"""Helpers for the web app tests: a page's CSRF token and an element's text."""

from __future__ import annotations

import re

# a report that tries to break out of HTML text and attributes
HOSTILE_ID = "hostile-1"
HOSTILE_TEXT = (
    "CT abdomen.\nPANCREAS: A 2.4 cm cystic lesion in the pancreatic tail <script>alert('x')</script> "
    "\"><img src=x onerror=alert(1)> ' onmouseover='alert(2)' & </textarea>. No main duct dilatation.\n"
)


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "page has no CSRF token"
    return match.group(1)


def text_of(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', page)
    assert match, f"no element #{element_id}"
    return match.group(1).strip()
