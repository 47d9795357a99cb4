"""Batch runs: admission, interchangeable executors (serial, processes, Ray) and crash-safe output."""

from pancyst.run.executors import (
    Done,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    WorkerSpec,
    available_cores,
)
from pancyst.run.output import DirectOutput, ResumeError, WorkingOutput, needs_direct, work_dir
from pancyst.run.runner import run_batch

__all__ = [
    "DirectOutput",
    "Done",
    "Executor",
    "ProcessExecutor",
    "ResumeError",
    "SerialExecutor",
    "WorkerSpec",
    "WorkingOutput",
    "available_cores",
    "needs_direct",
    "run_batch",
    "work_dir",
]
