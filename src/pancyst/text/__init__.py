"""The text layer: sections, sentences, measurements, dates, negation/uncertainty, slip correction."""

from pancyst.text.dates import find_dates, find_intervals, parse_date, parse_interval_months
from pancyst.text.measurements import Measurement, find_measurements, parse_size_mm
from pancyst.text.sections import Section, SectionMap, split_sections
from pancyst.text.sentences import split_sentences

__all__ = [
    "Measurement",
    "Section",
    "SectionMap",
    "find_dates",
    "find_intervals",
    "find_measurements",
    "parse_date",
    "parse_interval_months",
    "parse_size_mm",
    "split_sections",
    "split_sentences",
]
