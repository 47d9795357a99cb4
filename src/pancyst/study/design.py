"""Which reports a study reads and in what order: seeded, so a study can be rebuilt and audited."""

from __future__ import annotations

import random
from collections.abc import Sequence

from pancyst.review.store import category_of
from pancyst.schema import ResultLine


def pick_cases(lines: Sequence[ResultLine], n: int, *, seed: int, stratify: bool = False) -> list[ResultLine]:
    """`n` lines drawn without replacement (all of them if fewer); error lines are never cases.

    Stratified, the draw takes the categories (none, 1, 2, 3) in turn, so a rare category is as
    represented as a common one while it lasts: reader studies enrich rare classes, since a
    kappa over a set that is nearly all category 1 says little about the other two."""
    usable = [line for line in lines if category_of(line) != "error"]
    rng = random.Random(seed)
    if not stratify:
        return rng.sample(usable, min(n, len(usable)))
    strata: dict[str, list[ResultLine]] = {}
    for line in usable:
        strata.setdefault(category_of(line), []).append(line)
    for members in strata.values():
        rng.shuffle(members)
    picked: list[ResultLine] = []
    order = sorted(strata)
    while len(picked) < min(n, len(usable)):
        for key in order:
            if strata[key] and len(picked) < n:
                picked.append(strata[key].pop())
    rng.shuffle(picked)
    return picked


def reader_orders(n_cases: int, readers: Sequence[str], *, seed: int) -> dict[str, list[int]]:
    """Each reader's own random order of the case numbers 0..n_cases-1 (order effects cancel out)."""
    out: dict[str, list[int]] = {}
    for k, name in enumerate(readers):
        order = list(range(n_cases))
        random.Random(f"{seed}:{k}:{name}").shuffle(order)
        out[name] = order
    return out
