"""Inter-reader agreement on risk categories (SPEC §5): Fleiss' kappa and pairwise Cohen's kappa.

Readings come in long format (report_id, reader, category). "No PCL" (``none`` or an empty
cell) is a category of its own: a reader who calls a report cyst-free disagrees with one who
calls it category 1.
"""

from __future__ import annotations

import csv
import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

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


class FleissResult(BaseModel):
    readers: list[str]
    kappa: float | None
    n_reports: int
    dropped_report_ids: list[str] = Field(default_factory=list, description="Not read by every reader above.")


class PairResult(BaseModel):
    reader_a: str
    reader_b: str
    kappa: float | None
    observed_agreement: float | None
    n_reports: int


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
    index: Mapping[str, Mapping[str, str]], readers: Sequence[str], warnings: list[str]
) -> FleissResult | None:
    if len(readers) < 2:
        return None
    complete = [rid for rid, by in index.items() if all(name in by for name in readers)]
    dropped = sorted(rid for rid in index if rid not in set(complete))
    if dropped:
        warnings.append(
            f"Fleiss' kappa over {', '.join(readers)}: {len(dropped)} report(s) not read by all of them were dropped"
        )
    table = [
        [sum(index[rid][name] == label for name in readers) for label in AGREEMENT_LABELS] for rid in complete
    ]
    return FleissResult(
        readers=list(readers), kappa=fleiss_kappa(table), n_reports=len(complete), dropped_report_ids=dropped
    )


def agreement(readings: Sequence[Reading], model: str | None = None) -> AgreementResult:
    """Fleiss' kappa over human readers and over readers + model; Cohen's kappa for every pair.

    `model` names the reader that is the model; by default a reader called "model", if any.
    """
    index = _index(readings)
    names = sorted({r.reader for r in readings})
    if model is None and "model" in names:
        model = "model"
    warnings: list[str] = []
    if model is not None and model not in names:
        raise ValueError(f"no reader named {model!r} in the readings")
    humans = [n for n in names if n != model]
    everyone = [*humans, *([model] if model else [])]
    pairs: list[PairResult] = []
    for i, a in enumerate(everyone):
        for b in everyone[i + 1 :]:
            shared = [rid for rid, by in index.items() if a in by and b in by]
            ra = [index[rid][a] for rid in shared]
            rb = [index[rid][b] for rid in shared]
            observed = sum(x == y for x, y in zip(ra, rb, strict=True)) / len(shared) if shared else None
            pairs.append(
                PairResult(
                    reader_a=a,
                    reader_b=b,
                    kappa=cohen_kappa(ra, rb),
                    observed_agreement=observed,
                    n_reports=len(shared),
                )
            )
    result = AgreementResult(
        readers=humans,
        model=model,
        fleiss_readers=_fleiss(index, humans, warnings),
        fleiss_with_model=_fleiss(index, everyone, warnings) if model else None,
        pairwise=pairs,
        warnings=warnings,
    )
    for w in warnings:
        log.info("%s", w)
    return result
