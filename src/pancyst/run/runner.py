"""The runner: rows -> admission -> an executor -> the output, with the run's counts.

One loop for every executor and every output: admission sees every row (so duplicate ids
are found across the whole input, resumed or not), rows an interrupted run already wrote are
skipped before any backend sees them, and each finished report is written and recorded in
input order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Protocol

from pancyst.pipeline import Pipeline
from pancyst.run.executors import Done, Executor
from pancyst.schema import BadRow, ReportInput


class Sink(Protocol):
    def write(self, payload: object, stats: Counter[str]) -> None: ...


def count(stats: Counter[str], done: Done) -> None:
    """Add one finished report to the run's counts (the summary line and the exit code)."""
    stats["reports"] += 1
    if done.has_errors:
        stats["errors"] += 1
    if done.pcl_present:
        stats["pcl"] += 1
    if done.risk_category is not None:
        stats[f"category {done.risk_category}"] += 1


def run_batch(
    rows: Iterable[ReportInput | BadRow],
    pipeline: Pipeline,
    executor: Executor,
    sink: Sink,
    *,
    skip: int = 0,
    stats: Counter[str] | None = None,
    on_done: Callable[[], None] | None = None,
) -> Counter[str]:
    """Finish every row after the first ``skip`` and write it; returns the counts (``stats`` added to)."""
    totals: Counter[str] = Counter(stats or {})
    jobs = (job for job in pipeline.admit(rows) if job.seq >= skip)
    for done in executor.map(jobs):
        count(totals, done)
        sink.write(done.payload, totals)
        if on_done is not None:
            on_done()
    return totals
