"""Training cost, per-report inference cost (API vs self-hosted) and the break-even report count.

Plain arithmetic on stated prices and measured latency, so a reader can redo it by hand. The seed
paper reports $354 of training and a break-even near 9,100 reports against GPT-4o; the numbers here
are only as good as the prices you give.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class CostInputs(BaseModel):
    """Prices and measurements. Money in US dollars, prices per million tokens or per GPU-hour."""

    model_config = ConfigDict(extra="forbid")

    # fixed cost of the self-hosted route
    training_cost: float | None = Field(
        default=None, ge=0, description="Known total; overrides the parts below."
    )
    train_gpu_hours: float = Field(default=0.0, ge=0)
    train_gpu_price_per_hour: float = Field(default=0.0, ge=0)
    label_reports: int = Field(
        default=0, ge=0, description="Reports the teacher labelled (paid at API prices)."
    )
    other_fixed_cost: float = Field(default=0.0, ge=0, description="Set-up, storage, staff time.")
    # API route
    api_price_in_per_mtok: float = Field(default=2.5, ge=0)
    api_price_out_per_mtok: float = Field(default=10.0, ge=0)
    tokens_in_per_report: float = Field(default=1500.0, ge=0)
    tokens_out_per_report: float = Field(default=400.0, ge=0)
    # self-hosted route
    latency_s_per_report: float = Field(default=1.5, ge=0, description="Measured wall time per report.")
    concurrency: float = Field(default=1.0, gt=0, description="Reports served in parallel on one GPU.")
    host_price_per_hour: float = Field(default=2.0, ge=0, description="GPU (or CPU) server price.")


class CostResult(BaseModel):
    training_cost: float
    api_cost_per_report: float
    selfhost_cost_per_report: float
    saving_per_report: float
    break_even_reports: int | None = Field(
        description="Reports after which self-hosting is cheaper; None if never."
    )
    inputs: CostInputs

    def table(self) -> list[tuple[str, str]]:
        be = (
            f"{self.break_even_reports:,}"
            if self.break_even_reports is not None
            else "never (API is cheaper)"
        )
        return [
            ("training (fixed) cost", f"${self.training_cost:,.2f}"),
            ("API cost / report", f"${self.api_cost_per_report:.5f}"),
            ("self-hosted cost / report", f"${self.selfhost_cost_per_report:.5f}"),
            ("saving / report", f"${self.saving_per_report:.5f}"),
            ("break-even reports", be),
        ]


def api_cost_per_report(c: CostInputs) -> float:
    return (
        c.tokens_in_per_report * c.api_price_in_per_mtok + c.tokens_out_per_report * c.api_price_out_per_mtok
    ) / 1e6


def selfhost_cost_per_report(c: CostInputs) -> float:
    return c.latency_s_per_report / 3600.0 * c.host_price_per_hour / c.concurrency


def training_cost(c: CostInputs) -> float:
    if c.training_cost is not None:
        return c.training_cost
    labelling = c.label_reports * api_cost_per_report(c)
    return c.train_gpu_hours * c.train_gpu_price_per_hour + labelling + c.other_fixed_cost


def compute(c: CostInputs) -> CostResult:
    fixed = training_cost(c)
    api = api_cost_per_report(c)
    own = selfhost_cost_per_report(c)
    saving = api - own
    break_even = math.ceil(fixed / saving - 1e-9) if saving > 0 else None
    return CostResult(
        training_cost=fixed,
        api_cost_per_report=api,
        selfhost_cost_per_report=own,
        saving_per_report=saving,
        break_even_reports=break_even,
        inputs=c,
    )


def measured(lines: Iterable[dict[str, Any]]) -> dict[str, float]:
    """Median latency and mean token counts from result lines' ``meta`` (LLM backend), skipping cache hits."""
    lat: list[float] = []
    tin: list[float] = []
    tout: list[float] = []
    for line in lines:
        meta = line.get("meta") or {}
        if meta.get("cached"):
            continue
        if isinstance(meta.get("latency_s"), int | float):
            lat.append(float(meta["latency_s"]))
        if isinstance(meta.get("tokens_in"), int | float):
            tin.append(float(meta["tokens_in"]))
        if isinstance(meta.get("tokens_out"), int | float):
            tout.append(float(meta["tokens_out"]))
    out: dict[str, float] = {}
    if lat:
        out["latency_s_per_report"] = statistics.median(lat)
    if tin:
        out["tokens_in_per_report"] = statistics.fmean(tin)
    if tout:
        out["tokens_out_per_report"] = statistics.fmean(tout)
    return out


def measured_from_file(path: Path) -> dict[str, float]:
    with path.open(encoding="utf-8") as fh:
        return measured(json.loads(line) for line in fh if line.strip())
