"""What the stages pass along: sentences, feature values with spans, lesion mentions and lesions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LESION_SECTIONS = frozenset({"findings", "impression", "addendum", "preamble", "other"})
NO_LESION_SECTIONS = frozenset({"history", "technique", "comparison", "exam"})
TYPE_OF_GROUP = {
    "sb": "bd_ipmn",
    "md": "md_ipmn",
    "mixed": "mixed_ipmn",
    "ipmn": "unspecified",
    "serous": "serous",
    "mucinous": "mucinous",
    "pseudo": "pseudocyst",
    "cyst": "unspecified",
}
LOCATION_OF_GROUP = {
    "uncinate": "uncinate",
    "neckj": "neck",
    "bodyj": "body",
    "head": "head",
    "neck": "neck",
    "body": "body",
    "tail": "tail",
}
NODULE_RANK = {"not_stated": 0, "absent": 1, "present_unspecified": 2, "nonenhancing": 3, "enhancing": 4}
PA_RANK = {"not_stated": 0, "absent": 1, "present": 2}
CALC_RANK = {"not_stated": 0, "absent": 1, "present_unspecified": 2, "central": 3, "peripheral": 3}


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    kind: str
    heading: str | None
    organ: str | None = None  # the organ this sentence talks about (mentions, heading or carried over)
    own_organ: str | None = "?"  # the organ it names itself; "?" until looked up


@dataclass(slots=True)
class Value:
    """A feature value with the normalized-text spans it came from."""

    value: Any
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    """One description of a lesion (a cyst word and the clause that belongs to it)."""

    anchor: tuple[int, int]
    seg: tuple[int, int]
    sent: Sentence
    group: str
    plural: bool = False
    count: int = 1
    definite: bool = False
    new_signal: bool = False
    provisional: bool = False
    broadcast: bool = False
    group_statement: bool = False
    size: Value | None = None
    prior: Value | None = None
    prior_date: Value | None = None
    prior_interval: Value | None = None
    location: Value | None = None
    nodule: Value | None = None
    nodule_size: Value | None = None
    wall: Value | None = None
    septa: Value | None = None
    comm: Value | None = None
    comm_implied: Value | None = None
    calc: Value | None = None
    ptype: Value | None = None
    organ_unknown: bool = False  # no organ word, heading or carried organ: kept only if it joins a lesion
    in_group: bool = False  # one of several cysts a group sentence or list described


@dataclass(slots=True)
class LesionAcc:
    mentions: list[Mention] = field(default_factory=list)
    confirmed: bool = False
    size: Value | None = None
    size_kind: str = ""
    prior: Value | None = None
    prior_date: Value | None = None
    prior_interval: Value | None = None
    location: Value | None = None
    nodule: Value | None = None
    nodule_size: Value | None = None
    wall: Value | None = None
    septa: Value | None = None
    comm: Value | None = None
    comm_implied: Value | None = None
    calc: Value | None = None
    ptype: Value | None = None
    count: int = 1
