"""What the stages pass along: sentences, feature values with spans, lesion mentions and lesions."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from pancyst.resources import load_yaml

LESION_SECTIONS = frozenset({"findings", "impression", "addendum", "preamble", "other"})
NO_LESION_SECTIONS = frozenset({"history", "technique", "comparison", "exam"})
# Lesion kinds that communicate with the main duct by what they are (SPEC §2: a side-branch IPMN; a mixed-type
# IPMN is one too, with the main duct involved)
IMPLIES_COMMUNICATION = frozenset({"sb", "mixed"})
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


def refines_type(old: Value | None, new: Value | None) -> bool:
    """``new`` is a more specific type than ``old``: any type (even "unspecified") over none, a specific one over
    "unspecified", and a mixed-type IPMN over the side-branch or main-duct one it includes ("cystically dilated side
    branches" then "mixed-type IPMN")."""
    if new is None:
        return False
    if old is None:
        return True
    if new.value == "unspecified":
        return False
    if old.value == "unspecified":
        return True
    return new.value == "mixed_ipmn" and old.value in ("bd_ipmn", "md_ipmn")


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
    raw = load_yaml(
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

# The records below are built by the ten thousand per second: their ``__init__`` is written out
# (``init=False``) because mypyc compiles a written one, while the one ``dataclass`` generates stays
# interpreted and builds five times slower in the compiled build. ``dataclass`` still gives ``==``,
# ``repr`` and ``replace``; the defaults live in ``__init__``.


@dataclass(slots=True, init=False)
class Sentence:
    start: int
    end: int
    kind: str
    heading: str | None
    organ: str | None  # the organ this sentence talks about (mentions, heading or carried over)
    own_organ: str | None  # the organ it names itself; "?" until looked up
    reading: SentenceReading | None  # assertion.py's sentence-level reading, made on first use

    def __init__(
        self,
        start: int,
        end: int,
        kind: str,
        heading: str | None,
        organ: str | None = None,
        own_organ: str | None = "?",
        reading: SentenceReading | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.kind = kind
        self.heading = heading
        self.organ = organ
        self.own_organ = own_organ
        self.reading = reading


@dataclass(slots=True, init=False)
class SentenceReading:
    """What a sentence as a whole asserts (assertion.py): a group denial's (subject start, predicate start,
    end); whether it cites a guideline, and its generic subjects ("cysts < 15 mm"); a past narrative."""

    denial_read: bool
    denial: tuple[int, int, int] | None
    advice_read: bool
    advice: bool
    cites: bool
    generic: tuple[tuple[int, int], ...]
    past_read: bool
    past: bool

    def __init__(
        self,
        denial_read: bool = False,
        denial: tuple[int, int, int] | None = None,
        advice_read: bool = False,
        advice: bool = False,
        cites: bool = False,
        generic: tuple[tuple[int, int], ...] = (),
        past_read: bool = False,
        past: bool = False,
    ) -> None:
        self.denial_read = denial_read
        self.denial = denial
        self.advice_read = advice_read
        self.advice = advice
        self.cites = cites
        self.generic = generic
        self.past_read = past_read
        self.past = past


@dataclass(slots=True, init=False)
class Value:
    """A feature value with the normalized-text spans it came from."""

    value: Any
    spans: list[tuple[int, int]]

    def __init__(
        self,
        value: Any,
        spans: list[tuple[int, int]] | None = None,
    ) -> None:
        self.value = value
        self.spans = [] if spans is None else spans


@dataclass(slots=True, init=False)
class Mention:
    """One description of a lesion (a cyst word and the clause that belongs to it)."""

    anchor: tuple[int, int]
    seg: tuple[int, int]
    sent: Sentence
    group: str
    plural: bool
    count: int
    definite: bool
    new_signal: bool
    provisional: bool
    broadcast: bool
    group_statement: bool
    size: Value | None
    prior: Value | None
    prior_date: Value | None
    prior_interval: Value | None
    location: Value | None
    nodule: Value | None
    nodule_size: Value | None
    wall: Value | None
    septa: Value | None
    comm: Value | None
    comm_implied: Value | None
    calc: Value | None
    ptype: Value | None
    organ_unknown: bool  # no organ word, heading or carried organ: kept only if it joins a lesion
    in_group: bool  # one of several cysts a group sentence or list described
    heads_list: bool  # a label over list items that are its cysts ("Pancreatic cysts:" / "- Head: 10 mm")

    def __init__(
        self,
        anchor: tuple[int, int],
        seg: tuple[int, int],
        sent: Sentence,
        group: str,
        plural: bool = False,
        count: int = 1,
        definite: bool = False,
        new_signal: bool = False,
        provisional: bool = False,
        broadcast: bool = False,
        group_statement: bool = False,
        size: Value | None = None,
        prior: Value | None = None,
        prior_date: Value | None = None,
        prior_interval: Value | None = None,
        location: Value | None = None,
        nodule: Value | None = None,
        nodule_size: Value | None = None,
        wall: Value | None = None,
        septa: Value | None = None,
        comm: Value | None = None,
        comm_implied: Value | None = None,
        calc: Value | None = None,
        ptype: Value | None = None,
        organ_unknown: bool = False,
        in_group: bool = False,
        heads_list: bool = False,
    ) -> None:
        self.anchor = anchor
        self.seg = seg
        self.sent = sent
        self.group = group
        self.plural = plural
        self.count = count
        self.definite = definite
        self.new_signal = new_signal
        self.provisional = provisional
        self.broadcast = broadcast
        self.group_statement = group_statement
        self.size = size
        self.prior = prior
        self.prior_date = prior_date
        self.prior_interval = prior_interval
        self.location = location
        self.nodule = nodule
        self.nodule_size = nodule_size
        self.wall = wall
        self.septa = septa
        self.comm = comm
        self.comm_implied = comm_implied
        self.calc = calc
        self.ptype = ptype
        self.organ_unknown = organ_unknown
        self.in_group = in_group
        self.heads_list = heads_list


@dataclass(slots=True)  # a few per report: the generated __init__ is cheap enough
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
