"""One interface over every way of running a model, and the errors a report can fail with.

Errors split in two: :class:`TransportError` (connection, 5xx, 429) is retried with backoff;
everything else (invalid JSON, refusal, truncation, context overflow, timeout) fails that one
report at once, because asking again would cost the same and hide the problem.
"""

from __future__ import annotations

import asyncio
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pancyst.schema import ExtractionError

Messages = list[dict[str, str]]
T = TypeVar("T")


class LLMError(ExtractionError):
    """A model call did not give a usable answer for this report."""

    completion: Completion | None = None


class TransportError(LLMError):
    """Connection refused/reset, HTTP 5xx or 429: worth retrying."""


class LLMTimeout(LLMError):
    """The model took longer than the configured timeout."""


class Refusal(LLMError):
    """The model (or a content filter) declined to answer."""


class Truncated(LLMError):
    """Generation stopped at max_tokens: the JSON is incomplete."""


class ContextOverflow(LLMError):
    """Prompt plus answer do not fit the model's context window."""


class InvalidOutput(LLMError):
    """The answer is not JSON in the output schema (never repaired)."""


@dataclass
class Completion:
    text: str
    model: str
    tokens_in: int | None = None
    tokens_out: int | None = None
    finish_reason: str | None = None
    latency_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RetryPolicy:
    max_retries: int = 3
    backoff_s: float = 0.5
    max_backoff_s: float = 20.0

    def delay(self, attempt: int) -> float:
        base = min(self.max_backoff_s, self.backoff_s * (2**attempt))
        return base * (0.5 + random.random() / 2)  # jitter keeps N workers from retrying in lockstep

    def call(self, fn: Callable[[], T]) -> T:
        for attempt in range(self.max_retries + 1):
            try:
                return fn()
            except TransportError:
                if attempt >= self.max_retries:
                    raise
                time.sleep(self.delay(attempt))
        raise AssertionError("unreachable")

    async def acall(self, fn: Callable[[], Awaitable[T]]) -> T:
        for attempt in range(self.max_retries + 1):
            try:
                return await fn()
            except TransportError:
                if attempt >= self.max_retries:
                    raise
                await asyncio.sleep(self.delay(attempt))
        raise AssertionError("unreachable")


class Provider(ABC):
    """Messages + JSON schema in, raw completion text out. Validation happens above this layer."""

    model: str = ""
    # How many requests may usefully run at once (an in-process model runs one at a time).
    max_concurrency: int = 1

    @abstractmethod
    def complete(self, messages: Messages, *, schema: dict[str, Any], max_tokens: int) -> Completion:
        """Raise an :class:`LLMError` subclass on failure."""

    async def acomplete(self, messages: Messages, *, schema: dict[str, Any], max_tokens: int) -> Completion:
        return await asyncio.to_thread(self.complete, messages, schema=schema, max_tokens=max_tokens)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the model or the HTTP session."""

    def describe(self) -> dict[str, Any]:
        return {"model": self.model}


def check_finish(completion: Completion) -> Completion:
    """Turn a stop reason that means 'no usable answer' into the matching error."""
    if completion.finish_reason == "length":
        raise Truncated(
            f"output truncated at max_tokens ({completion.tokens_out or '?'} tokens); raise max_tokens"
        )
    if completion.finish_reason == "content_filter":
        raise Refusal("the model's content filter stopped the answer")
    if not completion.text.strip():
        raise InvalidOutput("empty answer")
    return completion
