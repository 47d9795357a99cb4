"""Scoring predictions against gold labels (SPEC §5), with bootstrap confidence intervals.

Every metric is a ratio of sums over reports, so one per-report table of counts serves the
point estimate and each bootstrap resample alike: the two can never be computed differently.
"""

from __future__ import annotations

import json
import logging
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel, Field, ValidationError

from pancyst.guideline.inputs import input_problem
from pancyst.schema import (
    FEATURE_KEYS,
    NUMERIC_FEATURES,
    OPTIONAL_FEATURE_KEYS,
    Features,
    GoldLine,
    ResultLine,
    line_report_id,
)

log = logging.getLogger(__name__)

CATEGORIES: tuple[int, ...] = (1, 2, 3)
CONFUSION_LABELS: tuple[str, ...] = ("none", "1", "2", "3")
NUMBER_TOLERANCE = 0.1
INTERVAL_TOLERANCE = 0.5
_EPS = 1e-9  # 12.4 vs 12.5 must match at tolerance 0.1 despite binary floats

Category = Literal[1, 2, 3] | None


# ---------------------------------------------------------------- value matching


def values_match(key: str, gold: Any, pred: Any) -> bool:
    """SPEC §5 exact match: numbers within 0.1 (interval_months within 0.5); null matches only null."""
    if gold is None or pred is None:
        return gold is None and pred is None
    if key in NUMERIC_FEATURES:
        try:
            diff = abs(float(gold) - float(pred))
        except (TypeError, ValueError):
            return False
        tol = INTERVAL_TOLERANCE if key == "interval_months" else NUMBER_TOLERANCE
        return diff <= tol + _EPS
    return bool(gold == pred)


def parse_category(value: Any) -> Category:
    """Accept 1/2/3 as int, float or string; null, "" and "none" mean no category."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a risk category: {value!r}")
    text = str(value).strip().lower()
    if text in ("", "none", "null"):
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"not a risk category: {value!r}") from None
    if number in (1.0, 2.0, 3.0):
        return int(number)  # type: ignore[return-value]
    raise ValueError(f"not a risk category: {value!r}")


def safe_div(num: float, den: float) -> float | None:
    return num / den if den else None


# ---------------------------------------------------------------- result models


class Score(BaseModel):
    """A proportion with its bootstrap 95 % percentile interval (None where undefined)."""

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int = Field(description="Reports in the denominator.")


class ClassScore(BaseModel):
    precision: float | None
    recall: float | None
    f1: float | None
    support: int = Field(description="Reports whose gold category is this class.")
    predicted: int = Field(description="Reports predicted as this class.")


class PclScores(BaseModel):
    accuracy: Score
    precision: Score
    recall: Score
    tp: int
    fp: int
    fn: int
    tn: int


class CategoryScores(BaseModel):
    macro_f1: Score
    per_class: dict[str, ClassScore]
    labels: list[str] = Field(default_factory=lambda: list(CONFUSION_LABELS))
    confusion: list[list[int]] = Field(description="Rows gold, columns predicted, in `labels` order.")
    n: int = Field(description="Reports where gold or prediction has a category (macro-F1 population).")


class ErrorItem(BaseModel):
    report_id: str
    gold: Any
    pred: Any
    evidence: list[str] = Field(default_factory=list, description="Predicted evidence text for this feature.")
    note: str = ""


class BootstrapInfo(BaseModel):
    n_boot: int
    seed: int
    method: str = "percentile, resampling reports with replacement"
    level: float = 0.95
    backend: str


class EvalResult(BaseModel):
    """Everything `pancyst evaluate` measures; machine-readable via :meth:`to_json`."""

    n_reports: int
    n_gold_pcl: int
    profile: str
    pcl_present: PclScores
    features: dict[str, Score]
    optional_features: dict[str, Score]
    mean_feature_accuracy: Score
    all_features_correct: Score
    category: CategoryScores
    errors: dict[str, list[ErrorItem]]
    missing_pred_ids: list[str] = Field(default_factory=list)
    extra_pred_ids: list[str] = Field(default_factory=list)
    errored_pred_ids: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    bootstrap: BootstrapInfo

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


# ---------------------------------------------------------------- normalized inputs


class _Pred:
    """What scoring needs from a prediction line, read leniently so newer files still score."""

    __slots__ = ("category", "errors", "evidence", "features", "pcl_present", "report_id")

    def __init__(
        self,
        report_id: str,
        pcl_present: bool | None,
        features: Features | None,
        category: Category,
        evidence: dict[str, list[str]],
        errors: list[str],
    ) -> None:
        self.report_id = report_id
        self.pcl_present = pcl_present
        self.features = features
        self.category = category
        self.evidence = evidence
        self.errors = errors

    @property
    def failed(self) -> bool:
        """An error line: SPEC §6 says it yields nulls; it scores as wrong everywhere."""
        return bool(self.errors) or self.pcl_present is None or self.features is None


def _pred_from_result(line: ResultLine) -> _Pred:
    evidence = {key: [span.text for span in spans] for key, spans in line.evidence.items()}
    category = line.derived.risk_category if line.derived is not None else None
    return _Pred(line.report_id, line.pcl_present, line.features, category, evidence, list(line.errors))


def _pred_from_dict(raw: Mapping[str, Any], lenient: list[str]) -> _Pred:
    try:
        return _pred_from_result(ResultLine.model_validate(raw))
    except ValidationError:
        pass
    report_id = line_report_id(raw.get("report_id"))
    if report_id is None:
        raise ValueError("report_id missing or not a string")
    raw_errors = raw.get("errors") or []
    if not isinstance(raw_errors, list):
        raise ValueError(f"errors must be a list of messages, got {type(raw_errors).__name__}")
    errors = [str(e) for e in raw_errors]
    features: Features | None = None
    raw_features = raw.get("features")
    if raw_features is not None and not isinstance(raw_features, Mapping):
        raise ValueError(f"features must be a JSON object or null, got {type(raw_features).__name__}")
    if raw_features is not None:
        try:
            features = Features.model_validate(
                {k: v for k, v in raw_features.items() if k in Features.model_fields}
            )
        except ValidationError:
            errors.append("features do not validate")
    derived = raw.get("derived") or {}
    try:
        category = parse_category(derived.get("risk_category") if isinstance(derived, Mapping) else None)
    except ValueError:
        category = None
        errors.append("risk_category does not validate")
    evidence: dict[str, list[str]] = {}
    raw_ev = raw.get("evidence") or {}
    if isinstance(raw_ev, Mapping):
        for key, spans in raw_ev.items():
            if isinstance(spans, list):
                evidence[str(key)] = [str(s.get("text", "")) for s in spans if isinstance(s, Mapping)]
    pcl = raw.get("pcl_present")
    lenient.append(report_id)
    return _Pred(report_id, pcl if isinstance(pcl, bool) else None, features, category, evidence, errors)


class _Gold:
    __slots__ = ("category", "features", "labelled_optional", "pcl_present", "report_id", "unlabelled")

    def __init__(
        self,
        report_id: str,
        pcl_present: bool,
        features: Features,
        category: Category,
        labelled_optional: frozenset[str],
        unlabelled: tuple[str, ...],
    ) -> None:
        self.report_id = report_id
        self.pcl_present = pcl_present
        self.features = features
        self.category = category
        self.labelled_optional = labelled_optional
        self.unlabelled = unlabelled  # feature keys a PCL line leaves out: scored as not_stated


def _gold_category(line: GoldLine, profile: str) -> Category:
    """`gold_category` when the line has one, else the guideline engine on the gold features."""
    if not line.pcl_present:
        return None
    extra = line.model_extra or {}
    if "gold_category" in extra:
        return parse_category(extra["gold_category"])
    from pancyst.guideline.conditions import CLINICAL_INPUTS
    from pancyst.pipeline import categorize_features  # lazy: gold_category alone needs no engine

    _, _, derived = categorize_features(
        line.features.model_dump(),
        pcl_present=True,
        patient_age=extra.get("patient_age"),
        jaundice=extra.get("jaundice"),
        profile=profile,
        surgical_candidate=extra.get("surgical_candidate"),
        clinical={k: extra.get(k) for k in CLINICAL_INPUTS},
    )
    return parse_category(getattr(derived, "risk_category", None))


def _gold_from(item: GoldLine | Mapping[str, Any], profile: str) -> _Gold:
    line = item if isinstance(item, GoldLine) else GoldLine.model_validate(item)
    problem = input_problem(line.model_extra or {})  # GoldLine keeps patient inputs as untyped extras
    if problem is not None:
        raise ValueError(problem)
    labelled = frozenset(
        key
        for key in OPTIONAL_FEATURE_KEYS
        if key in line.features.model_fields_set and getattr(line.features, key) is not None
    )
    unlabelled = (
        tuple(k for k in FEATURE_KEYS if k not in line.features.model_fields_set) if line.pcl_present else ()
    )
    category = _gold_category(line, profile)
    return _Gold(line.report_id, line.pcl_present, line.features, category, labelled, unlabelled)


# ---------------------------------------------------------------- per-report count table


def _feature_col(key: str) -> str:
    return f"f:{key}"


def _build_rows(
    golds: Sequence[_Gold], preds: Mapping[str, _Pred]
) -> tuple[list[str], list[tuple[float, ...]], dict[str, list[ErrorItem]], list[list[int]]]:
    """One row of 0/1 counts per gold report, plus the error list and the confusion matrix."""
    columns = ["n", "pcl_correct", "pcl_tp", "pcl_fp", "pcl_fn", "pos", "all_correct"]
    columns += [_feature_col(k) for k in FEATURE_KEYS]
    for key in OPTIONAL_FEATURE_KEYS:
        columns += [f"o:{key}:n", f"o:{key}:c"]
    for c in CATEGORIES:
        columns += [f"c{c}:tp", f"c{c}:fp", f"c{c}:fn"]
    errors: dict[str, list[ErrorItem]] = {
        k: [] for k in ("pcl_present", *FEATURE_KEYS, *OPTIONAL_FEATURE_KEYS)
    }
    errors["risk_category"] = []
    confusion = [[0] * len(CONFUSION_LABELS) for _ in CONFUSION_LABELS]
    rows: list[tuple[float, ...]] = []
    for gold in golds:
        pred = preds.get(gold.report_id)
        note = (
            "missing from predictions"
            if pred is None
            else ("prediction line has errors" if pred.failed else "")
        )
        failed = pred is None or pred.failed
        r: dict[str, float] = dict.fromkeys(columns, 0.0)
        r["n"] = 1.0
        pred_pcl = None if failed or pred is None else pred.pcl_present
        # A failed line is the opposite of gold: a miss when gold is positive, a false alarm otherwise.
        pcl_ok = pred_pcl is not None and pred_pcl == gold.pcl_present
        r["pcl_correct"] = float(pcl_ok)
        if gold.pcl_present:
            r["pcl_tp" if pcl_ok else "pcl_fn"] = 1.0
        elif not pcl_ok:
            r["pcl_fp"] = 1.0
        if not pcl_ok:
            errors["pcl_present"].append(
                ErrorItem(report_id=gold.report_id, gold=gold.pcl_present, pred=pred_pcl, note=note)
            )
        if gold.pcl_present:
            r["pos"] = 1.0
            all_ok = pcl_ok
            for key in FEATURE_KEYS:
                ok = _score_feature(key, gold, pred, failed, note, errors)
                r[_feature_col(key)] = float(ok)
                all_ok = all_ok and ok
            r["all_correct"] = float(all_ok)
            for key in OPTIONAL_FEATURE_KEYS:
                if key in gold.labelled_optional:
                    r[f"o:{key}:n"] = 1.0
                    r[f"o:{key}:c"] = float(_score_feature(key, gold, pred, failed, note, errors))
        pred_cat = None if failed or pred is None else pred.category
        for c in CATEGORIES:
            if gold.category == c and pred_cat == c:
                r[f"c{c}:tp"] = 1.0
            elif pred_cat == c:
                r[f"c{c}:fp"] = 1.0
            elif gold.category == c:
                r[f"c{c}:fn"] = 1.0
        confusion[_label_index(gold.category)][_label_index(pred_cat)] += 1
        if gold.category != pred_cat:
            errors["risk_category"].append(
                ErrorItem(report_id=gold.report_id, gold=gold.category, pred=pred_cat, note=note)
            )
        rows.append(tuple(r[c] for c in columns))
    return columns, rows, errors, confusion


def _label_index(category: Category) -> int:
    return 0 if category is None else int(category)


def _score_feature(
    key: str, gold: _Gold, pred: _Pred | None, failed: bool, note: str, errors: dict[str, list[ErrorItem]]
) -> bool:
    gold_value = getattr(gold.features, key)
    if failed or pred is None or pred.features is None:
        errors[key].append(ErrorItem(report_id=gold.report_id, gold=gold_value, pred=None, note=note))
        return False
    pred_value = getattr(pred.features, key)
    if values_match(key, gold_value, pred_value):
        return True
    errors[key].append(
        ErrorItem(
            report_id=gold.report_id,
            gold=gold_value,
            pred=pred_value,
            evidence=pred.evidence.get(key, []),
            note="" if pred.pcl_present else "predicted no PCL",
        )
    )
    return False


# ---------------------------------------------------------------- metrics from sums


def metrics_from_sums(s: Mapping[str, float]) -> dict[str, float | None]:
    """Every bootstrapped metric as a function of the column sums (None where the ratio is 0/0)."""
    out: dict[str, float | None] = {
        "pcl_accuracy": safe_div(s["pcl_correct"], s["n"]),
        "pcl_precision": safe_div(s["pcl_tp"], s["pcl_tp"] + s["pcl_fp"]),
        "pcl_recall": safe_div(s["pcl_tp"], s["pcl_tp"] + s["pcl_fn"]),
        "all_features_correct": safe_div(s["all_correct"], s["pos"]),
    }
    total = 0.0
    for key in FEATURE_KEYS:
        out[f"feature:{key}"] = safe_div(s[_feature_col(key)], s["pos"])
        total += s[_feature_col(key)]
    # Every feature shares the gold-PCL denominator, so the mean of accuracies is a pooled ratio.
    out["mean_feature_accuracy"] = safe_div(total, len(FEATURE_KEYS) * s["pos"])
    for key in OPTIONAL_FEATURE_KEYS:
        out[f"optional:{key}"] = safe_div(s[f"o:{key}:c"], s[f"o:{key}:n"])
    f1s = []
    for c in CATEGORIES:
        tp, fp, fn = s[f"c{c}:tp"], s[f"c{c}:fp"], s[f"c{c}:fn"]
        if tp + fp + fn > 0:  # a class neither in gold nor predicted has no F1 and is left out
            f1s.append(2 * tp / (2 * tp + fp + fn))
    out["macro_f1"] = sum(f1s) / len(f1s) if f1s else None
    return out


# ---------------------------------------------------------------- bootstrap


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def bootstrap_sums(
    rows: Sequence[Sequence[float]], n_boot: int, seed: int, use_numpy: bool | None = None
) -> tuple[list[list[float]], str]:
    """Column sums of `n_boot` resamples of the rows (reports) with replacement.

    Deterministic for a seed and backend; numpy and pure Python draw different resamples.
    """
    n = len(rows)
    width = len(rows[0]) if rows else 0
    np = _numpy() if use_numpy is not False else None
    if use_numpy and np is None:
        raise RuntimeError("numpy requested but not installed")
    if n == 0 or n_boot <= 0:
        return [], "numpy" if np is not None else "python"
    if np is not None:
        rng = np.random.default_rng(seed)
        matrix = np.asarray(rows, dtype=np.float64)
        sums: list[list[float]] = []
        chunk = max(1, 4_000_000 // max(n, 1))  # bound the (chunk x n) weight matrix
        for start in range(0, n_boot, chunk):
            m = min(chunk, n_boot - start)
            idx = rng.integers(0, n, size=(m, n))
            offsets = (np.arange(m) * n)[:, None]
            weights = np.bincount((idx + offsets).ravel(), minlength=m * n).reshape(m, n)
            sums.extend((weights @ matrix).tolist())
        return sums, "numpy"
    # Pure Python: most reports share a row pattern, so count patterns rather than add rows.
    patterns: dict[tuple[float, ...], int] = {}
    pattern_of = [patterns.setdefault(tuple(row), len(patterns)) for row in rows]
    unique = list(patterns)
    rnd = random.Random(seed)
    population = range(n)
    out: list[list[float]] = []
    for _ in range(n_boot):
        counts = Counter(map(pattern_of.__getitem__, rnd.choices(population, k=n)))
        acc = [0.0] * width
        for pid, count in counts.items():
            for j, v in enumerate(unique[pid]):
                if v:
                    acc[j] += v * count
        out.append(acc)
    return out, "python"


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default), q in [0, 100]."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def percentile_ci(values: Sequence[float | None], level: float = 0.95) -> tuple[float | None, float | None]:
    """Percentile interval over the resamples where the metric is defined."""
    defined = [v for v in values if v is not None]
    if not defined:
        return None, None
    tail = (1.0 - level) / 2 * 100
    return percentile(defined, tail), percentile(defined, 100 - tail)


# ---------------------------------------------------------------- the entry point

_MAX_PROBLEMS = 10  # malformed lines listed in one error; the rest are counted
_T = TypeVar("_T")


def _read_lines(kind: str, items: Iterable[Any], read: Callable[[Any], _T], problems: list[str]) -> list[_T]:
    """Every line read, or its problem noted with its line number (None items are blank lines)."""
    out: list[_T] = []
    for number, item in enumerate(items, start=1):
        if item is None:
            continue
        try:
            out.append(read(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "(line)"
            problems.append(f"{kind} line {number}: {where}: {first['msg']}")
        except ValueError as exc:
            problems.append(f"{kind} line {number}: {exc}")
    return out


def _unlabelled_warnings(golds: Sequence[_Gold]) -> list[str]:
    """Gold PCL lines that label no feature, or only some, score the rest against not_stated: say so."""
    bare = [g.report_id for g in golds if len(g.unlabelled) == len(FEATURE_KEYS)]
    partial = [g for g in golds if g.unlabelled and len(g.unlabelled) < len(FEATURE_KEYS)]
    out = []
    if bare:
        shown = ", ".join(repr(r) for r in bare[:5]) + (", ..." if len(bare) > 5 else "")
        out.append(
            f"{len(bare)} gold PCL line(s) have no features ({shown}): "
            "their features are scored against not stated"
        )
    if partial:
        out.append(
            f"{len(partial)} gold PCL line(s) leave out feature keys, scored as not stated "
            f"(first: {partial[0].report_id!r} without {', '.join(partial[0].unlabelled)})"
        )
    return out


def evaluate(
    gold: Sequence[GoldLine | Mapping[str, Any] | None],
    pred: Sequence[ResultLine | Mapping[str, Any] | None],
    *,
    n_boot: int = 1000,
    seed: int = 0,
    profile: str = "acr2017",
    use_numpy: bool | None = None,
) -> EvalResult:
    """Score predictions against gold labels (SPEC §5).

    A None item is a blank line (``read_jsonl(keep_blank=True)``): skipped, but counted, so
    that every malformed line is named by its line number in the one ValueError raised."""
    warnings: list[str] = []
    problems: list[str] = []
    golds = _read_lines("gold", gold, lambda item: _gold_from(item, profile), problems)
    lenient: list[str] = []
    pred_items = _read_lines(
        "prediction",
        pred,
        lambda line: (
            _pred_from_result(line) if isinstance(line, ResultLine) else _pred_from_dict(line, lenient)
        ),
        problems,
    )
    if problems:
        more = f"\n... and {len(problems) - _MAX_PROBLEMS} more" if len(problems) > _MAX_PROBLEMS else ""
        raise ValueError("\n".join(problems[:_MAX_PROBLEMS]) + more)
    gold_ids = [g.report_id for g in golds]
    dup_gold = sorted(k for k, v in Counter(gold_ids).items() if v > 1)
    if dup_gold:
        raise ValueError(f"duplicate report_id in gold: {', '.join(dup_gold[:5])}")
    warnings += _unlabelled_warnings(golds)
    preds: dict[str, _Pred] = {}
    dup_pred: set[str] = set()
    for p in pred_items:
        if p.report_id in preds:
            dup_pred.add(p.report_id)
            continue
        preds[p.report_id] = p
    if lenient:
        warnings.append(
            f"{len(lenient)} prediction line(s) are not strict ResultLines (first: {lenient[0]!r}); "
            "scored from their core keys"
        )
    if dup_pred:
        warnings.append(
            f"{len(dup_pred)} report ids repeated in predictions; the first line of each is scored"
        )
    gold_set = set(gold_ids)
    extra = sorted(k for k in preds if k not in gold_set)
    if extra:
        warnings.append(f"{len(extra)} predicted report ids are not in gold and were ignored")
    missing = [k for k in gold_ids if k not in preds]
    if missing:
        warnings.append(f"{len(missing)} gold report ids have no prediction and count as wrong")
    errored = [k for k in gold_ids if k in preds and preds[k].failed]
    for w in warnings:
        log.info("%s", w)  # the CLI prints these; result.warnings keeps them

    columns, rows, errors, confusion = _build_rows(golds, preds)
    totals = {c: sum(row[j] for row in rows) for j, c in enumerate(columns)}
    point = metrics_from_sums(totals)
    boot_sums, backend = bootstrap_sums(rows, n_boot, seed, use_numpy)
    boot = [metrics_from_sums(dict(zip(columns, s, strict=True))) for s in boot_sums]

    def score(name: str, n: float, with_ci: bool = True) -> Score:
        low, high = percentile_ci([b[name] for b in boot]) if with_ci and boot else (None, None)
        return Score(value=point[name], ci_low=low, ci_high=high, n=int(n))

    n_all, n_pos = totals["n"], totals["pos"]
    per_class: dict[str, ClassScore] = {}
    for c in CATEGORIES:
        tp, fp, fn = totals[f"c{c}:tp"], totals[f"c{c}:fp"], totals[f"c{c}:fn"]
        per_class[str(c)] = ClassScore(
            precision=safe_div(tp, tp + fp),
            recall=safe_div(tp, tp + fn),
            f1=safe_div(2 * tp, 2 * tp + fp + fn),
            support=int(tp + fn),
            predicted=int(tp + fp),
        )
    n_category = len(rows) - confusion[0][0]
    return EvalResult(
        n_reports=int(n_all),
        n_gold_pcl=int(n_pos),
        profile=profile,
        pcl_present=PclScores(
            accuracy=score("pcl_accuracy", n_all),
            precision=score("pcl_precision", totals["pcl_tp"] + totals["pcl_fp"]),
            recall=score("pcl_recall", totals["pcl_tp"] + totals["pcl_fn"]),
            tp=int(totals["pcl_tp"]),
            fp=int(totals["pcl_fp"]),
            fn=int(totals["pcl_fn"]),
            tn=int(n_all - totals["pcl_tp"] - totals["pcl_fp"] - totals["pcl_fn"]),
        ),
        features={k: score(f"feature:{k}", n_pos) for k in FEATURE_KEYS},
        optional_features={k: score(f"optional:{k}", totals[f"o:{k}:n"]) for k in OPTIONAL_FEATURE_KEYS},
        mean_feature_accuracy=score("mean_feature_accuracy", n_pos),
        all_features_correct=score("all_features_correct", n_pos),
        category=CategoryScores(
            macro_f1=score("macro_f1", n_category), per_class=per_class, confusion=confusion, n=n_category
        ),
        errors=errors,
        missing_pred_ids=missing,
        extra_pred_ids=extra,
        errored_pred_ids=errored,
        warnings=warnings,
        bootstrap=BootstrapInfo(n_boot=n_boot, seed=seed, backend=backend),
    )


@overload
def read_jsonl(path: str, keep_blank: Literal[False] = False) -> list[dict[str, Any]]: ...
@overload
def read_jsonl(path: str, keep_blank: Literal[True]) -> list[dict[str, Any] | None]: ...
def read_jsonl(path: str, keep_blank: bool = False) -> list[dict[str, Any]] | list[dict[str, Any] | None]:
    """Lines of a JSONL file as dicts; a bad line is an error naming its line number.

    ``keep_blank`` keeps a None for each blank line, so that positions are line numbers in the
    messages :func:`evaluate` writes."""
    out: list[dict[str, Any] | None] = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                if keep_blank:
                    out.append(None)
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise ValueError(f"{path}:{number}: expected a JSON object")
            out.append(obj)
    return out
