"""Inter-reader agreement on risk categories (SPEC §5): Fleiss' kappa and pairwise Cohen's kappa.

Readings come in long format (report_id, reader, category). "No PCL" (``none`` or an empty
cell) is a category of its own: a reader who calls a report cyst-free disagrees with one who
calls it category 1.
"""

from __future__ import annotations

import csv
import json
import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from pydantic import BaseModel, Field

log = logging.getLogger(__name__)

AGREEMENT_LABELS: tuple[str, ...] = ("1", "2", "3", "none")


class Reading(BaseModel):
    report_id: str
    reader: str
    category: str = Field(description="'1', '2', '3' or 'none'.")


def normalize_category(value: object) -> str:
    """'1', 1, 1.0 → '1'; '', 'none', 'null', None → 'none'; anything else is an error."""
    if value is None:
        return "none"
    text = str(value).strip().lower()
    if text in ("", "none", "null"):
        return "none"
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"not a risk category: {value!r}") from None
    if number in (1.0, 2.0, 3.0):
        return str(int(number))
    raise ValueError(f"not a risk category: {value!r}")


def read_readings(path: str) -> list[Reading]:
    """Read a long-format CSV with columns report_id, reader, category (header names case-insensitive)."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = {name.strip().lower(): name for name in reader.fieldnames or []}
        missing = [c for c in ("report_id", "reader", "category") if c not in fields]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        out: list[Reading] = []
        for row_number, row in enumerate(reader, start=2):
            report_id = (row[fields["report_id"]] or "").strip()
            name = (row[fields["reader"]] or "").strip()
            if not report_id or not name:
                raise ValueError(f"{path}:{row_number}: empty report_id or reader")
            try:
                category = normalize_category(row[fields["category"]])
            except ValueError as exc:
                raise ValueError(f"{path}:{row_number}: {exc}") from None
            out.append(Reading(report_id=report_id, reader=name, category=category))
    return out


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa from a subjects × categories count table (every row sums to the same n ≥ 2).

    None when chance agreement is 1 (every rating in one category): kappa is undefined there.
    """
    if not table:
        return None
    n = sum(table[0])
    if n < 2:
        raise ValueError("Fleiss' kappa needs at least two ratings per subject")
    if any(sum(row) != n for row in table):
        raise ValueError("Fleiss' kappa needs the same number of ratings for every subject")
    subjects = len(table)
    k = len(table[0])
    p_j = [sum(row[j] for row in table) / (subjects * n) for j in range(k)]
    p_i = [(sum(c * c for c in row) - n) / (n * (n - 1)) for row in table]
    p_bar = sum(p_i) / subjects
    p_e = sum(p * p for p in p_j)
    if p_e >= 1.0 - 1e-12:
        return None
    return (p_bar - p_e) / (1.0 - p_e)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two raters over the same subjects; None when undefined (chance agreement 1)."""
    if len(a) != len(b):
        raise ValueError("Cohen's kappa needs paired ratings")
    if not a:
        return None
    total = len(a)
    p_o = sum(x == y for x, y in zip(a, b, strict=True)) / total
    ca, cb = Counter(a), Counter(b)
    p_e = sum(ca[c] * cb[c] for c in ca) / (total * total)
    if p_e >= 1.0 - 1e-12:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def confusion_matrix(a: Sequence[str], b: Sequence[str]) -> list[list[int]]:
    """Counts of (a's label, b's label) over AGREEMENT_LABELS: row = reader a, column = reader b."""
    position = {label: n for n, label in enumerate(AGREEMENT_LABELS)}
    matrix = [[0] * len(AGREEMENT_LABELS) for _ in AGREEMENT_LABELS]
    for x, y in zip(a, b, strict=True):
        matrix[position[x]][position[y]] += 1
    return matrix


class Interval(BaseModel):
    """A percentile bootstrap interval over reports (resampled with replacement)."""

    low: float
    high: float
    level: float = 0.95
    resamples: int = Field(description="Resamples drawn; those where kappa was undefined are left out.")
    defined: int = Field(description="Resamples where kappa was defined.")


def bootstrap_interval(
    rows: Sequence[Sequence[str]],
    statistic: Callable[[Sequence[Sequence[str]]], float | None],
    *,
    resamples: int,
    seed: int,
    level: float = 0.95,
) -> Interval | None:
    """Percentile interval of `statistic` over reports resampled with replacement (seeded, repeatable).

    Reports are the unit: a resample draws whole rows (every reader's reading of one report), so
    the interval reflects which reports were read, the variance readers care about. None when there
    are fewer than two rows or kappa was undefined in most resamples."""
    if resamples <= 0 or len(rows) < 2:
        return None
    rng = random.Random(seed)
    values = sorted(
        v
        for v in (statistic([rows[rng.randrange(len(rows))] for _ in rows]) for _ in range(resamples))
        if v is not None
    )
    if len(values) * 2 < resamples:
        return None
    tail = (1.0 - level) / 2.0

    def at(q: float) -> float:
        return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]

    return Interval(low=at(tail), high=at(1.0 - tail), level=level, resamples=resamples, defined=len(values))


def _fleiss_of_rows(rows: Sequence[Sequence[str]]) -> float | None:
    return fleiss_kappa([[sum(r == label for r in row) for label in AGREEMENT_LABELS] for row in rows])


def _cohen_of_rows(rows: Sequence[Sequence[str]]) -> float | None:
    return cohen_kappa([r[0] for r in rows], [r[1] for r in rows])


class FleissResult(BaseModel):
    readers: list[str]
    kappa: float | None
    ci: Interval | None = None
    n_reports: int
    dropped_report_ids: list[str] = Field(default_factory=list, description="Not read by every reader above.")


class PairResult(BaseModel):
    reader_a: str
    reader_b: str
    kappa: float | None
    ci: Interval | None = None
    observed_agreement: float | None
    n_reports: int
    confusion: list[list[int]] = Field(
        default_factory=list, description="Rows: reader_a's category, columns: reader_b's, in `labels` order."
    )


class AgreementResult(BaseModel):
    readers: list[str]
    model: str | None
    fleiss_readers: FleissResult | None = Field(description="Human readers only.")
    fleiss_with_model: FleissResult | None = Field(description="Human readers plus the model.")
    pairwise: list[PairResult]
    labels: list[str] = Field(default_factory=lambda: list(AGREEMENT_LABELS))
    warnings: list[str] = Field(default_factory=list)

    def kappa_matrix(self) -> list[list[float | None]]:
        """Cohen's kappa for every ordered pair of `readers` (+ model last), 1.0 on the diagonal."""
        names = self.all_readers()
        by_pair = {(p.reader_a, p.reader_b): p.kappa for p in self.pairwise}
        by_pair.update({(p.reader_b, p.reader_a): p.kappa for p in self.pairwise})
        return [[1.0 if x == y else by_pair.get((x, y)) for y in names] for x in names]

    def all_readers(self) -> list[str]:
        return [*self.readers, *([self.model] if self.model else [])]

    def to_json(self, indent: int | None = 2) -> str:
        data = self.model_dump()
        data["kappa_matrix"] = {"readers": self.all_readers(), "matrix": self.kappa_matrix()}
        return json.dumps(data, indent=indent)


def _index(readings: Iterable[Reading]) -> dict[str, dict[str, str]]:
    """report_id → reader → category; a reader reading one report twice is an error."""
    out: dict[str, dict[str, str]] = {}
    for r in readings:
        per_report = out.setdefault(r.report_id, {})
        if r.reader in per_report:
            raise ValueError(f"reader {r.reader!r} read report {r.report_id!r} more than once")
        per_report[r.reader] = r.category
    return out


def _fleiss(
    index: Mapping[str, Mapping[str, str]], readers: Sequence[str], warnings: list[str], boot: _Boot
) -> FleissResult | None:
    if len(readers) < 2:
        return None
    complete = [rid for rid, by in index.items() if all(name in by for name in readers)]
    dropped = sorted(rid for rid in index if rid not in set(complete))
    if dropped:
        warnings.append(
            f"Fleiss' kappa over {', '.join(readers)}: {len(dropped)} report(s) not read by all of them were dropped"
        )
    rows = [[index[rid][name] for name in readers] for rid in complete]
    return FleissResult(
        readers=list(readers),
        kappa=_fleiss_of_rows(rows),
        ci=boot.interval(rows, _fleiss_of_rows),
        n_reports=len(complete),
        dropped_report_ids=dropped,
    )


class _Boot:
    """Bootstrap settings; each statistic gets its own seeded stream, so adding one moves no other."""

    def __init__(self, resamples: int, seed: int) -> None:
        self.resamples = resamples
        self.seed = seed
        self.calls = 0

    def interval(
        self, rows: Sequence[Sequence[str]], statistic: Callable[[Sequence[Sequence[str]]], float | None]
    ) -> Interval | None:
        self.calls += 1
        return bootstrap_interval(rows, statistic, resamples=self.resamples, seed=self.seed + self.calls)


def _pair(index: Mapping[str, Mapping[str, str]], a: str, b: str, boot: _Boot) -> PairResult:
    shared = [rid for rid, by in index.items() if a in by and b in by]
    rows = [[index[rid][a], index[rid][b]] for rid in shared]
    ra, rb = [r[0] for r in rows], [r[1] for r in rows]
    observed = sum(x == y for x, y in zip(ra, rb, strict=True)) / len(shared) if shared else None
    return PairResult(
        reader_a=a,
        reader_b=b,
        kappa=cohen_kappa(ra, rb),
        ci=boot.interval(rows, _cohen_of_rows),
        observed_agreement=observed,
        n_reports=len(shared),
        confusion=confusion_matrix(ra, rb),
    )


def agreement(
    readings: Sequence[Reading], model: str | None = None, *, bootstrap: int = 1000, seed: int = 0
) -> AgreementResult:
    """Fleiss' kappa over human readers and over readers + model; Cohen's kappa for every pair.

    `model` names the reader that is the model; by default a reader called "model", if any.
    `bootstrap` resamples of the reports give each kappa a 95 % interval (0: none).
    """
    boot = _Boot(bootstrap, seed)
    index = _index(readings)
    names = sorted({r.reader for r in readings})
    if model is None and "model" in names:
        model = "model"
    warnings: list[str] = []
    if model is not None and model not in names:
        raise ValueError(f"no reader named {model!r} in the readings")
    humans = [n for n in names if n != model]
    everyone = [*humans, *([model] if model else [])]
    pairs = [_pair(index, a, b, boot) for i, a in enumerate(everyone) for b in everyone[i + 1 :]]
    result = AgreementResult(
        readers=humans,
        model=model,
        fleiss_readers=_fleiss(index, humans, warnings, boot),
        fleiss_with_model=_fleiss(index, everyone, warnings, boot) if model else None,
        pairwise=pairs,
        warnings=warnings,
    )
    for w in warnings:
        log.info("%s", w)
    return result
