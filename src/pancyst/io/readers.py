"""Input rows from CSV, JSONL, Parquet, a folder of .txt files or stdin (SPEC §6).

Bad data never raises: a row that cannot be read becomes a :class:`BadRow`, which the
pipeline turns into one error line, so a batch never silently loses a report. Only a
missing file or an unknown format raise (:class:`InputError`), before any row is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, BinaryIO

from pancyst.schema import BadRow, ReportInput

FORMATS: tuple[str, ...] = ("csv", "tsv", "jsonl", "parquet", "txt")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "exam_date",
    "patient_id",
    "patient_age",
    "modality",
    "jaundice",
    "surgical_candidate",
    "ca19_9",
    "acute_pancreatitis",
    "new_onset_diabetes",
)
_SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".txt": "txt",
}
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_PARQUET_BATCH = 1024


class InputError(ValueError):
    """The input as a whole cannot be read: missing file, unknown format (CLI exit code 2)."""


def detect_format(source: str | Path) -> str:
    """The input format implied by a path: a folder is ``txt``, otherwise by extension."""
    path = Path(source)
    if path.is_dir():
        return "txt"
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"cannot tell the format of {path.name!r} from its extension; "
            f"name one of {', '.join(FORMATS)} (--input-format)"
        )
    return fmt


def read_reports(
    source: str | Path,
    *,
    fmt: str | None = None,
    id_col: str = "report_id",
    text_col: str = "text",
    columns: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[ReportInput | BadRow]:
    """Rows of ``source`` in input order; ``'-'`` reads stdin.

    ``columns`` maps canonical names (``exam_date``, ``patient_age``, ``modality``,
    ``jaundice``, ``surgical_candidate``, also ``report_id``/``text``) to the source's column names. The file's
    existence and format are checked now, so :class:`InputError` / ``FileNotFoundError``
    surface before the caller starts writing output.
    """
    mapping = {"report_id": id_col, "text": text_col, **{c: c for c in OPTIONAL_COLUMNS}}
    unknown = set(columns or {}) - set(mapping)
    if unknown:
        raise InputError(f"unknown column mapping {sorted(unknown)}; known: {', '.join(mapping)}")
    mapping.update(columns or {})
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if str(source) == "-":
        data = (stdin if stdin is not None else sys.stdin.buffer).read()
        return _read_stdin(data, fmt, mapping)
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"input not found: {path}")
    fmt = fmt or detect_format(path)
    if fmt == "txt":
        return _read_txt(path)
    if path.is_dir():
        raise InputError(f"{path} is a folder; only a folder of .txt files can be read")
    if fmt == "parquet":
        return _read_parquet(path, mapping)
    return _read_path_text(path, fmt, mapping)


def _read_path_text(path: Path, fmt: str, mapping: dict[str, str]) -> Iterator[ReportInput | BadRow]:
    handle = path.open("r", encoding="utf-8-sig", errors="replace", newline="")
    try:
        rows = _read_jsonl(handle, mapping) if fmt == "jsonl" else _read_csv(handle, mapping, _delimiter(fmt))
    except BaseException:
        handle.close()
        raise
    return _closing(handle, rows)


def _closing(handle: IO[str], rows: Iterator[ReportInput | BadRow]) -> Iterator[ReportInput | BadRow]:
    with handle:
        yield from rows


def _delimiter(fmt: str) -> str:
    return "\t" if fmt == "tsv" else ","


def _read_stdin(data: bytes, fmt: str | None, mapping: dict[str, str]) -> Iterator[ReportInput | BadRow]:
    if fmt == "parquet":
        return _read_parquet(io.BytesIO(data), mapping)
    text = _decode(data)
    if fmt is None:
        fmt = "jsonl" if _looks_like_jsonl(text) else "txt"
    if fmt == "txt":
        return iter([ReportInput(report_id="stdin", text=text)])
    handle = io.StringIO(text, newline="")
    if fmt == "jsonl":
        return _read_jsonl(handle, mapping)
    return _read_csv(handle, mapping, _delimiter(fmt))


def _looks_like_jsonl(text: str, probe: int = 20) -> bool:
    """JSON lines, not one free-text report: the stream opens with ``{`` or one of its first ``probe``
    lines is a JSON object, so a truncated or non-object first line gets its own error line."""
    lines = (line for line in text.splitlines() if line.strip())
    for n, line in enumerate(lines):
        if n >= probe:
            break
        if n == 0 and line.lstrip().startswith("{"):
            return True
        try:
            if isinstance(json.loads(line), dict):
                return True
        except ValueError:
            continue
    return False


def _decode(data: bytes) -> str:
    # Undecodable bytes become U+FFFD (one per bad byte); the pipeline calls a report with
    # many of them "not text", a few (a stray Windows-1252 µ or °) pass through.
    return data.decode("utf-8-sig", errors="replace")


def _clean(text: str) -> str:
    # A lone surrogate (JSON "\ud800") cannot be written back out as UTF-8; same length keeps offsets.
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


# --- formats -----------------------------------------------------------------------------


def _read_txt(folder: Path) -> Iterator[ReportInput | BadRow]:
    files = (
        [folder] if folder.is_file() else sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt")
    )
    for n, path in enumerate(files, start=1):
        if not path.is_file():  # a FIFO or device named *.txt would block the run, or never end
            yield BadRow(report_id=path.stem, row=n, error=f"{path.name} is not a regular file; not read")
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield BadRow(report_id=path.stem, row=n, error=f"cannot read {path.name}: {exc.strerror or exc}")
            continue
        yield ReportInput(report_id=path.stem, text=_decode(data))


def _read_jsonl(handle: IO[str], mapping: dict[str, str]) -> Iterator[ReportInput | BadRow]:
    for n, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield BadRow(
                report_id=f"row-{n}", row=n, error=f"malformed JSON on line {n}: {_json_reason(exc)}"
            )
            continue
        if not isinstance(record, dict):
            yield BadRow(report_id=f"row-{n}", row=n, error=f"line {n} is not a JSON object")
            continue
        yield _make_row(record, n, mapping)


def _json_reason(exc: ValueError) -> str:
    # json.JSONDecodeError.msg carries no report text, unlike str(exc) of some decoders.
    return getattr(exc, "msg", type(exc).__name__)


def _read_csv(handle: IO[str], mapping: dict[str, str], delimiter: str) -> Iterator[ReportInput | BadRow]:
    """Reads and checks the header now: a wrong --id-col/--text-col is a usage error (exit 2)
    before any output, not one error line per row."""
    _raise_field_limit()
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return iter(())
    except csv.Error as exc:
        raise InputError(f"cannot read the CSV header: {exc}") from None
    _require_columns(header, mapping)
    return _csv_rows(reader, header, mapping)


def _require_columns(names: list[str], mapping: dict[str, str]) -> None:
    for key, option in (("report_id", "--id-col"), ("text", "--text-col")):
        if mapping[key] not in names:
            shown = ", ".join(repr(n) for n in names[:12]) or "none"
            raise InputError(f"no {mapping[key]!r} column for the {key} (columns: {shown}; see {option})")


def _csv_rows(reader: Any, header: list[str], mapping: dict[str, str]) -> Iterator[ReportInput | BadRow]:
    n = 0
    while True:
        n += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRow(report_id=f"row-{n}", row=n, error=f"malformed CSV row: {exc}")
            continue
        if not values:
            n -= 1  # an empty line is not a row
            continue
        record = dict(zip(header, values, strict=False))
        short = len(values) < len(header) and not {mapping["report_id"], mapping["text"]} <= set(record)
        if len(values) > len(header) or short:
            hint = " (unquoted delimiter?)" if len(values) > len(header) else ""
            yield BadRow(
                report_id=_id_or_generated(record.get(mapping["report_id"]), n),
                row=n,
                error=f"malformed CSV row: {len(values)} fields but the header has {len(header)}{hint}",
            )
            continue
        yield _make_row(record, n, mapping)


def _raise_field_limit() -> None:
    # The csv module's default 128 KiB field limit would reject a long report; the pipeline,
    # not the reader, decides what is too long.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(max(csv.field_size_limit(), limit))
            return
        except OverflowError:
            limit //= 2


def _read_parquet(source: Path | BinaryIO, mapping: dict[str, str]) -> Iterator[ReportInput | BadRow]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(source)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise InputError(f"not a readable Parquet file: {type(exc).__name__}") from None
    names = list(parquet.schema_arrow.names)
    _require_columns(names, mapping)
    wanted = [c for c in dict.fromkeys(mapping.values()) if c in names]
    return _parquet_rows(parquet, wanted, mapping)


def _parquet_rows(parquet: Any, wanted: list[str], mapping: dict[str, str]) -> Iterator[ReportInput | BadRow]:
    n = 0
    for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH, columns=wanted):
        for record in batch.to_pylist():
            n += 1
            yield _make_row(record, n, mapping)


# --- one row -------------------------------------------------------------------------------


def _id_or_generated(value: Any, n: int) -> str:
    text = _as_id(value)
    return text if text else f"row-{n}"


def _as_id(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = int(value) if value.is_integer() else value
    text = _clean(str(value)).strip()
    return text or None


def _make_row(record: Mapping[str, Any], n: int, mapping: dict[str, str]) -> ReportInput | BadRow:
    id_col, text_col = mapping["report_id"], mapping["text"]
    report_id = _as_id(record.get(id_col))
    if report_id is None:
        why = _no_column(id_col, record) if id_col not in record else f"missing report id ({id_col!r})"
        return BadRow(report_id=f"row-{n}", row=n, error=why)
    text = record.get(text_col)
    if text is None:
        why = _no_column(text_col, record) if text_col not in record else f"missing text ({text_col!r})"
        return BadRow(report_id=report_id, row=n, error=why)
    if isinstance(text, bytes):
        text = _decode(text)
    if not isinstance(text, str):
        return BadRow(
            report_id=report_id, row=n, error=f"text ({text_col!r}) is a {type(text).__name__}, not a string"
        )
    values: dict[str, Any] = {}
    for name, parse in _PARSERS.items():
        raw = record.get(mapping[name])
        try:
            values[name] = parse(raw)
        except ValueError as exc:
            return BadRow(report_id=report_id, row=n, error=f"column {mapping[name]!r} ({name}): {exc}")
    return ReportInput(report_id=report_id, text=_clean(text), **values)


def _no_column(name: str, record: Mapping[str, Any]) -> str:
    names = ", ".join(repr(k) for k in list(record)[:12]) or "none"
    return f"no {name!r} column (columns: {names}; see --id-col / --text-col)"


def _blank(raw: Any) -> bool:
    return (
        raw is None
        or (isinstance(raw, str) and not raw.strip())
        or (isinstance(raw, float) and math.isnan(raw))
    )


_DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%m-%d-%y",
    "%m.%d.%Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
)


def parse_exam_date(raw: Any) -> dt.date | None:
    """ISO dates and datetimes, DICOM ``YYYYMMDD``, US month-first and written-month dates."""
    if _blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"not a date: {type(raw).__name__}")
    text = " ".join(raw.strip().replace(".,", ",").split())
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    head = text.split("T")[0].split(" ")[0]
    if head != text:
        for fmt in _DATE_FORMATS[:8]:
            try:
                return dt.datetime.strptime(head, fmt).date()  # "03/14/2023 10:22" and the like
            except ValueError:
                continue
    raise ValueError(f"cannot read {_show(raw)} as a date (use YYYY-MM-DD or MM/DD/YYYY)")


_AGE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:y|yo|yr|yrs|year|years|years old|y/o)?\s*$", re.IGNORECASE)


def parse_age(raw: Any) -> float | None:
    """Years as a number; ``"65"``, ``65``, ``"65 y"``, DICOM ``"065Y"``."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise ValueError(f"not an age: {raw!r}")
    if isinstance(raw, int | float):
        age = float(raw)
    elif isinstance(raw, str):
        match = _AGE.match(raw)
        if not match:
            raise ValueError(f"cannot read {_show(raw)} as an age in years")
        age = float(match.group(1).replace(",", "."))
    else:
        raise ValueError(f"not an age: {type(raw).__name__}")
    if not math.isfinite(age) or not 0 <= age <= 130:
        raise ValueError(f"age {age:g} is out of range 0-130")
    return age


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: the same device and inode (a hard link or a symlink counts), or,
    when either does not exist yet, the same resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def parse_lab_value(raw: Any) -> float | None:
    """A non-negative lab value (CA19-9 in U/mL): ``37``, ``"37"``, ``"37,5"``."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise ValueError(f"not a lab value: {raw!r}")
    try:
        value = float(raw.replace(",", ".").strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"cannot read {_show(raw)} as a number") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"lab value {value:g} must be a number >= 0")
    return value


def parse_bool(raw: Any) -> bool | None:
    """true/false, yes/no, y/n, 1/0 in any case."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = str(raw).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"cannot read {_show(raw)} as true/false")


def parse_modality(raw: Any) -> str | None:
    if _blank(raw):
        return None
    return _clean(str(raw)).strip()


def _show(raw: Any) -> str:
    # Metadata, not report text, but keep error messages short anyway.
    text = str(raw)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_patient_id(raw: Any) -> str | None:
    """A patient id as text (an MRN read as a number by a CSV tool: 1234.0 -> "1234"); blank -> None."""
    if _blank(raw):
        return None
    value = _as_id(raw)
    if value is None:
        raise ValueError(f"not a patient id: {_show(raw)}")
    return value


_PARSERS = {
    "exam_date": parse_exam_date,
    "patient_id": parse_patient_id,
    "patient_age": parse_age,
    "modality": parse_modality,
    "jaundice": parse_bool,
    "surgical_candidate": parse_bool,
    "ca19_9": parse_lab_value,
    "acute_pancreatitis": parse_bool,
    "new_onset_diabetes": parse_bool,
}


def input_fingerprint(source: str | Path) -> dict[str, Any]:
    """What identifies an input for ``--resume``: its path, size, modification time and a hash of
    its first and last 64 KiB (of each file's name and size, for a folder of .txt files)."""
    path = Path(source).resolve()
    if path.is_dir():
        digest = hashlib.sha256()
        for item in sorted(path.glob("*.txt")):
            digest.update(f"{item.name}\0{item.stat().st_size}\0{item.stat().st_mtime_ns}\n".encode())
        return {"path": str(path), "folder": digest.hexdigest()}
    stat = path.stat()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        digest.update(handle.read(_FINGERPRINT_BYTES))
        if stat.st_size > _FINGERPRINT_BYTES:
            handle.seek(max(_FINGERPRINT_BYTES, stat.st_size - _FINGERPRINT_BYTES))
            digest.update(handle.read(_FINGERPRINT_BYTES))
    return {
        "path": str(path),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sha256": digest.hexdigest(),
    }


_FINGERPRINT_BYTES = 65_536
