"""``--engine ray``: the same batches, finished by Ray actors on one machine or a cluster.

The driver (this process) reads the input, admits rows and writes the output, as every
executor does, so order, duplicate ids, error lines and resume behave exactly as in a local
run; each actor holds one pipeline (rules backend: a CPU actor; llm backend: an actor that
calls the OpenAI-compatible server with the backend's own bounded concurrency) and finishes
whole batches. Ray is an optional extra (``pip install 'pancyst[ray]'``) imported only here.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import socket
from collections.abc import Iterable, Iterator
from typing import Any

from pancyst.pipeline import Job, batched
from pancyst.run.executors import BATCH, Done, Executor, OrderedWindow, WorkerSpec, finish_batch

log = logging.getLogger(__name__)


class RayUnavailable(RuntimeError):
    """Ray is not installed or cannot start: a usage problem, reported plainly."""


def _import_ray() -> Any:
    # Ray reports usage statistics unless told not to; pancyst sends nothing anywhere.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError as exc:
        raise RayUnavailable("--engine ray needs Ray: pip install 'pancyst[ray]'") from exc
    return ray


_PROBE_TIMEOUT_S = 5.0


def probe_address(address: str | None) -> None:
    """Fail fast on a ``host:port`` (or ``ray://host:port``) nobody listens on.

    Ray itself retries an unreachable head for minutes before it gives up; a wrong address is a
    usage mistake and should say so in seconds. ``auto``, ``local`` and None are left to Ray."""
    if not address or address in ("auto", "local"):
        return
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        raise RayUnavailable(f"--ray-address {address!r} is not host:port, ray://host:port or auto")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=_PROBE_TIMEOUT_S).close()
    except OSError as exc:
        raise RayUnavailable(f"cannot reach Ray at {address}: {exc.strerror or type(exc).__name__}") from None


def actor_cpus(actors: int, cpus: float) -> float:
    """CPUs to reserve per actor: a whole one when the machine has enough, else an equal share.

    Ray schedules an actor only where its reservation fits; asking a 2-core machine for three
    1-CPU actors would leave one waiting forever and stall the ordered output. The share is
    rounded down (to Ray's 1/10,000 resource grain): rounded to nearest, three actors of
    0.667 CPU ask for 2.001 of 2 CPUs and the third never starts."""
    if actors < 1:
        raise ValueError("actors must be at least 1")
    return 1.0 if cpus >= actors else math.floor(cpus / actors * 10_000) / 10_000


class _Finisher:
    """The actor body: builds the pipeline once, then finishes batches."""

    def __init__(self, spec: WorkerSpec) -> None:
        self.spec = spec
        self.pipeline = spec.pipeline()

    def finish(self, jobs: list[Job]) -> list[Done]:
        return finish_batch(self.pipeline, self.spec.preparer, jobs)

    def pid(self) -> int:
        return os.getpid()


class RayExecutor(Executor):
    """Batches round-robin over ``actors`` Ray actors, at most two batches per actor in flight.

    ``actors=0`` means one per CPU of the cluster (``--workers 0``), counted once connected."""

    name = "ray"

    def __init__(self, spec: WorkerSpec, actors: int, address: str | None = None, batch: int = BATCH) -> None:
        self.spec = spec
        self.actors = actors
        self.address = address
        self.batch = batch
        self.ray = _import_ray()
        self._started_here = False
        self._handles: list[Any] = []
        self._window = OrderedWindow(spec, depth=max(actors, 1) * 2)

    def start(self) -> None:
        """Connect to ``address`` (or start a local instance) and create the actors."""
        ray = self.ray
        if not ray.is_initialized():
            probe_address(self.address)
            kwargs: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "configure_logging": False,
            }
            try:
                ray.init(address=self.address, **kwargs)
            except Exception as exc:
                raise RayUnavailable(f"cannot start or reach Ray ({self.address or 'local'}): {exc}") from exc
            self._started_here = True
        cpus = float(ray.available_resources().get("CPU", 1.0))
        if self.actors == 0:
            self.actors = max(1, int(cpus))
            self._window.depth = self.actors * 2
        remote = ray.remote(num_cpus=actor_cpus(self.actors, cpus), max_restarts=0)(_Finisher)
        self._handles = [remote.remote(self.spec) for _ in range(self.actors)]

    def map(self, jobs: Iterable[Job]) -> Iterator[Done]:
        if not self._handles:
            self.start()
        turn = iter(range(1 << 62))
        handles = self._handles

        def submit(batch: list[Job]) -> Any:
            return handles[next(turn) % len(handles)].finish.remote(batch)

        try:
            yield from self._window.run(batched(jobs, self.batch), submit, self.ray.get)
        finally:
            self.close()

    def actor_pids(self) -> list[int]:
        """Process ids of the actors (tests kill one to show no report is lost)."""
        if not self._handles:
            self.start()
        return [int(pid) for pid in self.ray.get([h.pid.remote() for h in self._handles])]

    def close(self) -> None:
        for handle in self._handles:
            with contextlib.suppress(Exception):  # already dead
                self.ray.kill(handle)
        self._handles = []
        if self._started_here and self.ray.is_initialized():
            self.ray.shutdown()
            self._started_here = False
        self._window.close()
