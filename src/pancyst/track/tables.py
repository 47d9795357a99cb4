"""The tracking tables, each as Parquet and CSV with one fixed schema (docs/tracking.md lists them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

_S, _D, _F, _I, _B = pa.string(), pa.date32(), pa.float64(), pa.int32(), pa.bool_()

EXAMS = pa.schema(
    [
        ("patient_id", _S),
        ("report_id", _S),
        ("exam_date", _D),
        ("index_lesion_id", _S),
        ("risk_category", _I),
        ("recommendation_action", _S),
        ("recommendation_text", _S),
        ("next_due_months", _F),
        ("next_due_date", _D),
        ("next_exam_date", _D),
        ("adherence", _S),
        ("series_prior", _B),
        ("errors", _S),
    ]
)
LESIONS = pa.schema(
    [
        ("patient_id", _S),
        ("lesion_id", _S),
        ("report_id", _S),
        ("exam_date", _D),
        ("status", _S),
        ("size_mm", _F),
        ("location", _S),
        ("presumed_type", _S),
        ("acr_growth", _S),
        ("growth_rate_mm_per_year", _F),
        ("fukuoka_growth", _B),
        ("kyoto_growth", _B),
        ("prior_size_mm", _F),
        ("prior_report_id", _S),
        ("conflicts", _S),
    ]
)
PATIENTS = pa.schema(
    [
        ("patient_id", _S),
        ("n_exams", _I),
        ("n_error_exams", _I),
        ("n_lesions", _I),
        ("first_exam_date", _D),
        ("last_exam_date", _D),
        ("highest_category", _I),
        ("current_category", _I),
        ("current_recommendation", _S),
        ("current_next_due_date", _D),
        ("current_adherence", _S),
        ("n_on_time", _I),
        ("n_early", _I),
        ("n_late", _I),
    ]
)
CONFLICTS = pa.schema(
    [
        ("patient_id", _S),
        ("lesion_id", _S),
        ("report_id", _S),
        ("exam_date", _D),
        ("kind", _S),
        ("detail", _S),
    ]
)
TABLES: dict[str, pa.Schema] = {
    "exams": EXAMS,
    "lesions": LESIONS,
    "patients": PATIENTS,
    "conflicts": CONFLICTS,
}


def write_table(outdir: Path, name: str, rows: list[dict[str, Any]]) -> None:
    """`name`.parquet and `name`.csv in `outdir`, columns in the schema's order."""
    schema = TABLES[name]
    table = pa.Table.from_pylist([{k: row.get(k) for k in schema.names} for row in rows], schema=schema)
    pq.write_table(table, outdir / f"{name}.parquet")
    pacsv.write_csv(table, outdir / f"{name}.csv")


def read_table(path: Path) -> list[dict[str, Any]]:
    """A table written by `write_table` (Parquet or CSV), as row dicts."""
    if path.suffix == ".csv":
        name = path.stem
        options = pacsv.ConvertOptions(column_types=TABLES[name]) if name in TABLES else None
        return pacsv.read_csv(path, convert_options=options).to_pylist()
    return pq.read_table(path).to_pylist()
