"""Any OpenAI-compatible chat server: vLLM, llama.cpp's llama-server, ``python -m llama_cpp.server``,
Ollama, OpenAI, Azure. One client path; the structured-output flavour adapts to the server.

``response_format`` is tried as the standard ``json_schema`` first; a server that rejects it
(``llama_cpp.server`` answers HTTP 500) is switched once to ``json_object`` + ``schema``.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from pancyst.llm.providers.base import (
    Completion,
    ContextOverflow,
    LLMError,
    LLMTimeout,
    Messages,
    Provider,
    Refusal,
    RetryPolicy,
    TransportError,
    check_finish,
)

log = logging.getLogger(__name__)

RESPONSE_FORMATS = ("auto", "json_schema", "json_object", "none")
_OVERFLOW_HINTS = ("window", "length", "exceed", "n_ctx")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().replace("\n", " ")
    return text[:240]


def _is_schema_unsupported(exc: BaseException) -> bool:
    import openai

    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 404, 415, 422, 500, 501):
        return False
    text = str(exc).lower()
    return "json_schema" in text or "response_format" in text


def map_error(exc: BaseException) -> LLMError:
    """openai exceptions -> retryable transport errors or per-report failures."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return LLMTimeout(f"request timed out: {_short(exc)}")
    if isinstance(exc, openai.APIConnectionError):
        return TransportError(f"connection failed: {_short(exc)}")
    if isinstance(exc, openai.RateLimitError):
        return TransportError(f"HTTP 429 rate limited: {_short(exc)}")
    if isinstance(exc, openai.APIStatusError):
        text = _short(exc)
        lower = text.lower()
        if ("context" in lower and any(h in lower for h in _OVERFLOW_HINTS)) or "too many tokens" in lower:
            return ContextOverflow(f"HTTP {exc.status_code}: {text}")
        if exc.status_code >= 500:
            return TransportError(f"HTTP {exc.status_code}: {text}")
        return LLMError(f"HTTP {exc.status_code}: {text}")
    if isinstance(exc, openai.LengthFinishReasonError):
        return LLMError(_short(exc))
    return LLMError(f"{type(exc).__name__}: {_short(exc)}")


class OpenAICompatProvider(Provider):
    """Talks to ``base_url`` (e.g. ``http://127.0.0.1:8000/v1``) with the ``openai`` client."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        timeout_s: float = 120.0,
        retry: RetryPolicy | None = None,
        response_format: str = "auto",
        temperature: float = 0.0,
        concurrency: int = 4,
        merge_system: bool = False,
        seed: int | None = 0,
    ) -> None:
        if response_format not in RESPONSE_FORMATS:
            raise ValueError(f"response_format must be one of {RESPONSE_FORMATS}, not {response_format!r}")
        self.model = model
        self.base_url = base_url
        # Local servers ignore the key, but the client insists on one.
        self.api_key = os.environ.get(api_key_env) or "not-needed"
        self.timeout_s = timeout_s
        self.retry = retry or RetryPolicy()
        self.mode = "json_schema" if response_format == "auto" else response_format
        self.auto = response_format == "auto"
        self.temperature = temperature
        self.max_concurrency = max(1, concurrency)
        self.merge_system = merge_system
        self.seed = seed
        self._client: Any = None
        self._aclient: Any = None

    # --- request building ---

    def _response_format(self, schema: dict[str, Any], mode: str) -> dict[str, Any] | None:
        if mode == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": "pancyst_extraction", "schema": schema, "strict": True},
            }
        if mode == "json_object":
            return {"type": "json_object", "schema": schema}
        return None

    def _messages(self, messages: Messages) -> Messages:
        """Gemma-style templates have no system role: fold it into the first user turn, as the template does."""
        if not self.merge_system or not messages or messages[0]["role"] != "system":
            return messages
        system, rest = messages[0]["content"], [dict(m) for m in messages[1:]]
        if rest and rest[0]["role"] == "user":
            rest[0]["content"] = system + "\n\n" + rest[0]["content"]
        return rest

    def _kwargs(
        self, messages: Messages, schema: dict[str, Any], max_tokens: int, mode: str
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": self._messages(messages),
            "temperature": self.temperature,
            "max_tokens": max_tokens,
        }
        if self.seed is not None:
            kwargs["seed"] = self.seed
        fmt = self._response_format(schema, mode)
        if fmt is not None:
            kwargs["response_format"] = fmt
        return kwargs

    def _completion(self, response: Any, started: float) -> Completion:
        if not response.choices:
            raise LLMError("the server returned no choices")
        choice = response.choices[0]
        message = choice.message
        refusal = getattr(message, "refusal", None)
        if refusal:
            raise Refusal(f"the model refused: {str(refusal)[:120]}")
        usage = getattr(response, "usage", None)
        completion = Completion(
            text=message.content or "",
            model=getattr(response, "model", None) or self.model,
            tokens_in=getattr(usage, "prompt_tokens", None),
            tokens_out=getattr(usage, "completion_tokens", None),
            finish_reason=choice.finish_reason,
            latency_s=time.perf_counter() - started,
            extra={"response_format": self.mode},
        )
        return check_finish(completion)

    # --- sync ---

    def client(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                base_url=self.base_url, api_key=self.api_key, timeout=self.timeout_s, max_retries=0
            )
        return self._client

    def _once(self, messages: Messages, schema: dict[str, Any], max_tokens: int) -> Completion:
        started = time.perf_counter()
        mode = self.mode
        try:
            response = self.client().chat.completions.create(
                **self._kwargs(messages, schema, max_tokens, mode)
            )
        except Exception as exc:
            if self.auto and mode == "json_schema" and _is_schema_unsupported(exc):
                log.info("server rejected response_format json_schema; falling back to json_object + schema")
                self.mode = "json_object"
                return self._once(messages, schema, max_tokens)
            raise map_error(exc) from exc
        return self._completion(response, started)

    def complete(self, messages: Messages, *, schema: dict[str, Any], max_tokens: int) -> Completion:
        return self.retry.call(lambda: self._once(messages, schema, max_tokens))

    # --- async (one client per event loop; the extractor closes it after each batch) ---

    def aclient(self) -> Any:
        if self._aclient is None:
            import openai

            self._aclient = openai.AsyncOpenAI(
                base_url=self.base_url, api_key=self.api_key, timeout=self.timeout_s, max_retries=0
            )
        return self._aclient

    async def _aonce(self, messages: Messages, schema: dict[str, Any], max_tokens: int) -> Completion:
        started = time.perf_counter()
        mode = self.mode
        try:
            response = await self.aclient().chat.completions.create(
                **self._kwargs(messages, schema, max_tokens, mode)
            )
        except Exception as exc:
            if self.auto and mode == "json_schema" and _is_schema_unsupported(exc):
                log.info("server rejected response_format json_schema; falling back to json_object + schema")
                self.mode = "json_object"
                return await self._aonce(messages, schema, max_tokens)
            raise map_error(exc) from exc
        return self._completion(response, started)

    async def acomplete(self, messages: Messages, *, schema: dict[str, Any], max_tokens: int) -> Completion:
        return await self.retry.acall(lambda: self._aonce(messages, schema, max_tokens))

    async def aclose(self) -> None:
        if self._aclient is not None:
            client, self._aclient = self._aclient, None
            await client.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def describe(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.base_url, "response_format": self.mode}
