"""Multiprocess batches for CPU backends (``pancyst extract --workers N``).

Each worker process builds the backend and a :class:`Pipeline` once, then extracts,
assembles and formats (the writer's :class:`Preparer`) whole chunks of reports. The parent
still runs :meth:`Pipeline.run` over every row, so bad rows, empty texts and duplicate ids
across the whole input are handled exactly as with one process, and only appends what the
workers made: output with N workers is the same, byte for byte. (Shipping whole
ResultLines back costs more to unpickle than to compute, hence the formatting in workers.)
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, cast

from pancyst.extract import base
from pancyst.extract.base import Extractor, get_extractor, register
from pancyst.io.writers import Preparer
from pancyst.pipeline import DEFAULT_MAX_CHARS, Pipeline
from pancyst.schema import BadRow, Extraction, ReportInput, ResultLine

log = logging.getLogger(__name__)


def available_cores() -> int:
    """Cores this process may run on (respects taskset and CPU affinity; ``--workers 0``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Prepared:
    """A report finished in a worker: the writer's payload and what the run summary counts."""

    payload: Any
    report_id: str
    has_errors: bool
    pcl_present: bool | None
    risk_category: int | None

    @classmethod
    def of(cls, line: ResultLine, payload: Any) -> Prepared:
        category = line.derived.risk_category if line.derived is not None else None
        return cls(payload, line.report_id, bool(line.errors), line.pcl_present, category)


_worker_pipeline: Pipeline | None = None
_worker_preparer: Preparer | None = None


def _init_worker(
    backend: str,
    target: str | None,
    options: dict[str, Any],
    profile: str,
    max_chars: int,
    preparer: Preparer,
) -> None:
    """Build backend and pipeline once per process (a spawned process has not seen runtime registrations)."""
    global _worker_pipeline, _worker_preparer
    if target is not None:
        register(backend, target)
    _worker_pipeline = Pipeline(get_extractor(backend, **options), profile=profile, max_chars=max_chars)
    _worker_preparer = preparer


def _finish_all(pipeline: Pipeline, reports: list[ReportInput]) -> Iterator[ResultLine]:
    outcomes = pipeline.extractor.extract_many(reports)
    for report, outcome in zip(reports, outcomes, strict=True):
        yield pipeline.finish(report, outcome)


def _work(reports: list[ReportInput]) -> list[Prepared]:
    if _worker_pipeline is None or _worker_preparer is None:
        raise RuntimeError("worker not initialised")
    return [
        Prepared.of(line, _worker_preparer(line, report.text))
        for report, line in zip(reports, _finish_all(_worker_pipeline, reports), strict=True)
    ]


class _Fanout(Extractor):
    """Stands in for the backend in the parent: yields what the workers finished."""

    def __init__(self, parent: ParallelPipeline, name: str, version: str) -> None:
        self.parent = parent
        self.name = name
        self.version = version

    def extract(self, report: ReportInput) -> Extraction:
        raise NotImplementedError("only extract_many runs in the parent process")

    def extract_many(self, reports: Iterable[ReportInput]) -> Iterator[Extraction | BaseException]:
        # ParallelPipeline.finish passes Prepared items and ResultLines through untouched.
        return cast(Iterator[Extraction | BaseException], self.parent._fan_out(list(reports)))


class ParallelPipeline(Pipeline):
    """A :class:`Pipeline` whose extraction, assembly and formatting run in ``workers`` processes.

    Use :meth:`run_prepared`: it yields, in input order, a :class:`Prepared` for each report
    done in a worker and a :class:`ResultLine` for each line made in the parent (bad rows,
    empty or duplicate reports; everything if the workers could not start).
    """

    def __init__(
        self,
        backend: str,
        options: dict[str, Any],
        workers: int,
        *,
        name: str,
        version: str,
        profile: str = "acr2017",
        max_chars: int = DEFAULT_MAX_CHARS,
        chunk_size: int | None = None,
        preparer: Preparer | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        super().__init__(_Fanout(self, name, version), profile=profile, max_chars=max_chars)
        self.backend = backend
        self.options = dict(options)
        self.workers = workers
        self.profile_arg = profile
        self.chunk_size = chunk_size
        self.preparer = preparer or Preparer("jsonl")

    def run_prepared(self, rows: Iterable[ReportInput | BadRow]) -> Iterator[ResultLine | Prepared]:
        return cast(Iterator[ResultLine | Prepared], self.run(rows))

    def finish(self, report: ReportInput, outcome: Any) -> ResultLine:
        if isinstance(outcome, ResultLine | Prepared):
            return cast(ResultLine, outcome)
        return super().finish(report, outcome)

    def _fan_out(self, items: list[ReportInput]) -> Iterator[ResultLine | Prepared | BaseException]:
        if not items:
            return
        size = self.chunk_size or max(1, min(256, math.ceil(len(items) / (self.workers * 8))))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        pool = ProcessPoolExecutor(
            max_workers=min(self.workers, len(chunks)),
            # spawn: never fork a parent that may hold threads (the progress bar) or locks.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(
                self.backend,
                base.backend_target(self.backend),
                self.options,
                self.profile_arg,
                self.max_chars,
                self.preparer,
            ),
        )
        local: Pipeline | None = None
        try:
            futures: list[Future[list[Prepared]]] = [pool.submit(_work, chunk) for chunk in chunks]
            for chunk, future in zip(chunks, futures, strict=True):
                try:
                    outcomes = future.result()
                except Exception as exc:
                    # Workers could not start, died, or could not send a chunk back: finish the
                    # chunk here (same code, same output) rather than lose or fail its reports.
                    if local is None:
                        log.warning(
                            "worker processes failed (%s); continuing in this process", type(exc).__name__
                        )
                        local = Pipeline(
                            get_extractor(self.backend, **self.options),
                            profile=self.profile,
                            max_chars=self.max_chars,
                        )
                    yield from _finish_all(local, chunk)
                    continue
                yield from outcomes
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            if local is not None:
                local.extractor.close()
