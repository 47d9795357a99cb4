"""Executors: admitted jobs in, finished and formatted reports out, in input order.

Every executor has one interface, :meth:`Executor.map`, and one result type, :class:`Done`
(the writer's payload plus what the run summary counts), so the runner never asks which one
it has. The work itself is always :func:`finish_batch`: the same code in this process, in a
worker process or in a Ray actor, hence the same bytes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pancyst.extract.base import backend_target, get_extractor, register
from pancyst.io.writers import Preparer
from pancyst.pipeline import DEFAULT_MAX_CHARS, Job, Pipeline, batched
from pancyst.schema import ResultLine

log = logging.getLogger(__name__)

BATCH = 128  # reports per batch sent to a worker: ~60 ms of rules work, small enough to stream


@dataclass(frozen=True, slots=True)
class Done:
    """One finished report: what the writer appends, and what the run summary counts."""

    seq: int
    payload: Any
    has_errors: bool
    pcl_present: bool | None
    risk_category: int | None

    @classmethod
    def of(cls, job: Job, line: ResultLine, preparer: Preparer) -> Done:
        category = line.derived.risk_category if line.derived is not None else None
        return cls(job.seq, preparer(line, job.text), bool(line.errors), line.pcl_present, category)


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a fresh process needs to rebuild the pipeline (picklable)."""

    backend: str
    options: dict[str, Any] = field(default_factory=dict)
    profile: str = "acr2017"
    max_chars: int = DEFAULT_MAX_CHARS
    preparer: Preparer = field(default_factory=lambda: Preparer("jsonl"))
    target: str | None = None  # a backend registered at run time ("module:Class")

    @classmethod
    def of(cls, backend: str, options: dict[str, Any], **kw: Any) -> WorkerSpec:
        return cls(backend, dict(options), target=backend_target(backend), **kw)

    def pipeline(self) -> Pipeline:
        if self.target is not None:
            register(self.backend, self.target)
        extractor = get_extractor(self.backend, **self.options)
        return Pipeline(extractor, profile=self.profile, max_chars=self.max_chars)


def finish_batch(pipeline: Pipeline, preparer: Preparer, jobs: list[Job]) -> list[Done]:
    """Extract, assemble and format one batch: the unit of work of every executor."""
    return [Done.of(job, line, preparer) for job, line in pipeline.finish_stream(jobs)]


class Executor(ABC):
    """Maps admitted jobs to :class:`Done` items, in order, streaming."""

    name: str = "executor"

    @abstractmethod
    def map(self, jobs: Iterable[Job]) -> Iterator[Done]:
        """One Done per job, in the jobs' order; never drops one."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release processes or actors."""


class SerialExecutor(Executor):
    """This process: one lazy stream, so a server backend keeps its concurrency across batches."""

    name = "serial"

    def __init__(self, pipeline: Pipeline, preparer: Preparer) -> None:
        self.pipeline = pipeline
        self.preparer = preparer

    def map(self, jobs: Iterable[Job]) -> Iterator[Done]:
        for job, line in self.pipeline.finish_stream(jobs):
            yield Done.of(job, line, self.preparer)


# --- worker processes -------------------------------------------------------------------------

_worker: tuple[Pipeline, Preparer] | None = None


def _watch_parent(parent: int) -> None:
    """Exit this worker when the parent dies (SIGKILL included): no orphan keeps computing."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(3)


def _init_worker(spec: WorkerSpec, parent: int) -> None:
    global _worker
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    _worker = (spec.pipeline(), spec.preparer)


def _work(jobs: list[Job]) -> list[Done]:
    if _worker is None:
        raise RuntimeError("worker not initialised")
    return finish_batch(_worker[0], _worker[1], jobs)


class OrderedWindow:
    """Keeps at most ``depth`` batches in flight and hands results back in submission order.

    A batch whose remote work fails (a dead process or actor, a result that cannot be sent
    back) is finished here instead, with the same code: a worker lost costs no report."""

    def __init__(self, spec: WorkerSpec, depth: int) -> None:
        self.spec = spec
        self.depth = depth
        self._local: Pipeline | None = None

    def run(self, batches: Iterable[list[Job]], submit: Any, result: Any) -> Iterator[Done]:
        window: deque[tuple[list[Job], Any]] = deque()
        for jobs in batches:
            window.append((jobs, self._submit(submit, jobs)))
            if len(window) >= self.depth:
                yield from self._collect(*window.popleft(), result)
        while window:
            yield from self._collect(*window.popleft(), result)

    def _submit(self, submit: Any, jobs: list[Job]) -> Any:
        try:
            return submit(jobs)
        except Exception as exc:  # the pool is broken: the batch is finished locally on collection
            return exc

    def _collect(self, jobs: list[Job], handle: Any, result: Any) -> list[Done]:
        if not isinstance(handle, BaseException):
            try:
                done: list[Done] = result(handle)
                return done
            except Exception as exc:
                handle = exc
        return self.finish_locally(jobs, handle)

    def finish_locally(self, jobs: list[Job], exc: BaseException) -> list[Done]:
        if self._local is None:
            log.warning("remote workers failed (%s); finishing in this process", type(exc).__name__)
            self._local = self.spec.pipeline()
        return finish_batch(self._local, self.spec.preparer, jobs)

    def close(self) -> None:
        if self._local is not None:
            self._local.extractor.close()
            self._local = None


class ProcessExecutor(Executor):
    """``--workers N``: N spawned processes, each building the pipeline once."""

    name = "processes"

    def __init__(self, spec: WorkerSpec, workers: int, batch: int = BATCH) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.spec = spec
        self.workers = workers
        self.batch = batch
        self._window = OrderedWindow(spec, depth=workers * 4)
        self._pool: ProcessPoolExecutor | None = None

    def map(self, jobs: Iterable[Job]) -> Iterator[Done]:
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            # spawn: never fork a parent that may hold threads (the progress bar) or locks.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.spec, os.getpid()),
        )
        pool = self._pool

        def result(future: Future[list[Done]]) -> list[Done]:
            return future.result()

        try:
            yield from self._window.run(batched(jobs, self.batch), lambda b: pool.submit(_work, b), result)
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._window.close()


def available_cores() -> int:
    """Cores this process may run on (respects taskset and CPU affinity; ``--workers 0``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
