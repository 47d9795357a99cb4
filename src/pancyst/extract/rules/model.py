"""What the stages pass along: sentences, feature values with spans, lesion mentions and lesions."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

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
    "solidcystic": "unspecified",  # SPEC §2: solid-and-cystic, not called malignant -> a PCL with a nodule
    "cysticnet": "unspecified",
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


@dataclass(frozen=True, slots=True)
class FeatureRow:
    """One row of ``feature_table.yaml`` (its header says what each column means)."""

    attr: str
    key: str | None
    policy: str
    rank: dict[str, int] | None
    continues: bool
    finding: bool


_POLICIES = frozenset({"size", "first", "ranked", "stated", "once", "type"})


def _load_table() -> tuple[FeatureRow, ...]:
    raw = yaml.safe_load(
        resources.files("pancyst.extract.rules").joinpath("feature_table.yaml").read_text("utf-8")
    )
    ranks: dict[str, dict[str, int]] = raw["ranks"]
    rows = []
    for r in raw["features"]:
        if r["policy"] not in _POLICIES:
            raise ValueError(f"feature_table.yaml: {r['attr']}: unknown policy {r['policy']!r}")
        if (r["policy"] == "ranked") != ("rank" in r):
            raise ValueError(f"feature_table.yaml: {r['attr']}: a ranked row needs a rank, and only it")
        rank = ranks[r["rank"]] if "rank" in r else None
        rows.append(
            FeatureRow(
                r["attr"], r.get("key"), r["policy"], rank, bool(r.get("continues")), bool(r.get("finding"))
            )
        )
    return tuple(rows)


FEATURES = _load_table()
ALL_ATTRS = tuple(f.attr for f in FEATURES)
# a sentence without a cyst word continues the current lesion when it finds one of these
CONTINUES = tuple(f.attr for f in FEATURES if f.continues)
# statements about a lesion's appearance: a group statement gives them to every lesion
FINDINGS = tuple(f.attr for f in FEATURES if f.finding)
FIRST_WINS = tuple(f.attr for f in FEATURES if f.policy == "first")
RANK: dict[str, dict[str, int]] = {f.attr: f.rank for f in FEATURES if f.rank is not None}


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    kind: str
    heading: str | None
    organ: str | None = None  # the organ this sentence talks about (mentions, heading or carried over)
    own_organ: str | None = "?"  # the organ it names itself; "?" until looked up
    reading: SentenceReading | None = None  # assertion.py's sentence-level reading, made on first use


@dataclass(slots=True)
class SentenceReading:
    """What a sentence as a whole asserts (assertion.py): a group denial's (subject start, predicate start,
    end); whether it cites a guideline, and its generic subjects ("cysts < 15 mm"); a past narrative."""

    denial_read: bool = False
    denial: tuple[int, int, int] | None = None
    advice_read: bool = False
    advice: bool = False
    cites: bool = False
    generic: tuple[tuple[int, int], ...] = ()
    past_read: bool = False
    past: bool = False


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
