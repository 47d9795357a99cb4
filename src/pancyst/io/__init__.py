"""Reading reports in and writing results out (SPEC §6). Heavy imports (pyarrow) stay lazy."""

from pancyst.io.readers import InputError, detect_format, read_reports
from pancyst.io.writers import OUTPUT_FORMATS, Writer, detect_output_format, open_writer

__all__ = [
    "OUTPUT_FORMATS",
    "InputError",
    "Writer",
    "detect_format",
    "detect_output_format",
    "open_writer",
    "read_reports",
]
