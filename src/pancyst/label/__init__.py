"""The label factory: a teacher labels reports into an audited SFT dataset (prompt/completion JSONL)."""

from pancyst.label.audit import Audit, AuditSummary, Failure, audit_completion, check_output, disagreements
from pancyst.label.factory import label_rows, read_items, run_label
from pancyst.label.teachers import ExtractorTeacher, GoldTeacher, LabelItem, Teacher, make_teacher

__all__ = [
    "Audit",
    "AuditSummary",
    "ExtractorTeacher",
    "Failure",
    "GoldTeacher",
    "LabelItem",
    "Teacher",
    "audit_completion",
    "check_output",
    "disagreements",
    "label_rows",
    "make_teacher",
    "read_items",
    "run_label",
]
