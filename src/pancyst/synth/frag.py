"""Text fragments that carry their evidence offsets, so gold spans can never drift from the text.

A :class:`Frag` is a piece of report text plus tagged ``(start, end, tag)`` ranges relative to it.
Concatenating fragments shifts the ranges; the final report is one fragment whose ranges are
absolute offsets. Span text is always read back from the final text, never stored separately.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

_TOKEN = re.compile(r"\{(\w+)\}|\[@(\w+) |\[|\]")
_AN_ACRONYM = re.compile(r"^[AEFHILMNORSX][A-Z0-9]*\b")
_AN_NUMBER = re.compile(r"^(8|11(?![\d])|18(?![\d])|8\d(?![\d]))")


@dataclass
class Frag:
    text: str = ""
    spans: list[tuple[int, int, str]] = field(default_factory=list)

    def __add__(self, other: Frag | str) -> Frag:
        if isinstance(other, str):
            return Frag(self.text + other, list(self.spans))
        n = len(self.text)
        return Frag(self.text + other.text, self.spans + [(s + n, e + n, t) for s, e, t in other.spans])

    def tagged(self, *tags: str) -> Frag:
        """The same text with every tag spanning all of it (minus edge spaces and a final full stop)."""
        start, end = _trim(self.text, 0, len(self.text))
        return Frag(self.text, self.spans + [(start, end, t) for t in tags if start < end])

    def untagged(self) -> Frag:
        return Frag(self.text)

    def cap(self) -> Frag:
        return Frag(capitalize(self.text), list(self.spans))


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def join(parts: Sequence[Frag | str], sep: str = "") -> Frag:
    out = Frag()
    for k, part in enumerate(parts):
        if k and sep:
            out = out + sep
        out = out + part
    return out


def article(following: str) -> str:
    """'a' or 'an' for the word that follows, as a radiologist would say it aloud."""
    word = following.lstrip()
    if not word:
        return "a"
    if word[0].isdigit():
        return "an" if _AN_NUMBER.match(word) else "a"
    if _AN_ACRONYM.match(word) and (len(word) == 1 or word[1].isupper() or word[1] in "-/ "):
        return "an"
    lower = word.lower()
    if lower.startswith(("uni", "use", "one", "eu")):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,;\n":
        start += 1
    while end > start and text[end - 1] in " ,;.\n":
        end -= 1
    return start, end


def render(
    template: str,
    slots: Mapping[str, Frag | str] | None = None,
    tags: Mapping[str, Sequence[str]] | Sequence[str] = (),
) -> Frag:
    """Fill ``{slot}`` placeholders and turn ``[...]`` / ``[@key ...]`` marks into tagged spans.

    ``tags`` maps a bracket key ('' for plain brackets) to the tags its spans get; a plain
    sequence means ``{'': tags}``. Without any bracket, the plain tags cover the whole phrase.
    An empty slot swallows one following space so no double spaces appear.
    """
    slots = slots or {}
    tag_map: Mapping[str, Sequence[str]] = tags if isinstance(tags, Mapping) else {"": list(tags)}
    parts: list[tuple[str, str | Frag]] = []
    pos = 0
    for m in _TOKEN.finditer(template):
        if m.start() > pos:
            parts.append(("lit", template[pos : m.start()]))
        if m.group(1) is not None:
            name = m.group(1)
            if name in ("a", "A"):
                parts.append(("art", name))
            else:
                parts.append(("slot", _lookup(slots, name)))
        elif m.group(0) == "]":
            parts.append(("close", ""))
        else:
            parts.append(("open", m.group(2) or ""))
        pos = m.end()
    if pos < len(template):
        parts.append(("lit", template[pos:]))

    out = Frag()
    stack: list[tuple[str, int]] = []
    bracketed = False
    swallow = False
    for k, (kind, value) in enumerate(parts):
        if kind == "lit":
            text = str(value)
            if swallow and text.startswith(" ") and (not out.text or out.text.endswith((" ", "\n"))):
                text = text[1:]
            swallow = False
            out = out + text
        elif kind == "slot":
            frag = value if isinstance(value, Frag) else Frag(str(value))
            swallow = frag.text == ""
            out = out + frag
        elif kind == "art":
            word = article(_next_text(parts, k + 1))
            out = out + (capitalize(word) if value == "A" else word)
            swallow = False
        elif kind == "open":
            stack.append((str(value), len(out.text)))
            bracketed = True
        else:
            key, start = stack.pop()
            s, e = _trim(out.text, start, len(out.text))
            out.spans.extend((s, e, t) for t in tag_map.get(key, ()) if s < e)
    if stack:
        raise ValueError(f"unclosed bracket in template {template!r}")
    if not bracketed and tag_map.get(""):
        out = out.tagged(*tag_map[""])
    return out


def _lookup(slots: Mapping[str, Frag | str], name: str) -> Frag | str:
    if name in slots:
        return slots[name]
    lower = name[:1].lower() + name[1:]
    if lower in slots:
        value = slots[lower]
        return value.cap() if isinstance(value, Frag) else capitalize(value)
    raise KeyError(f"template slot {{{name}}} not provided")


def _next_text(parts: list[tuple[str, str | Frag]], k: int) -> str:
    for kind, value in parts[k:]:
        if kind in ("lit", "slot"):
            text = value.text if isinstance(value, Frag) else str(value)
            if text.strip():
                return text.lstrip()
    return ""
