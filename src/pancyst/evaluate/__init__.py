"""Scoring against gold labels and reader agreement (SPEC §5)."""

from pancyst.evaluate.agreement import (
    AgreementResult,
    Reading,
    agreement,
    cohen_kappa,
    fleiss_kappa,
    read_readings,
)
from pancyst.evaluate.metrics import EvalResult, evaluate, read_jsonl, values_match

__all__ = [
    "AgreementResult",
    "EvalResult",
    "Reading",
    "agreement",
    "cohen_kappa",
    "evaluate",
    "fleiss_kappa",
    "read_jsonl",
    "read_readings",
    "values_match",
]
