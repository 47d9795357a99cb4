"""``--backend llm``: a language model reads the report; code grounds, parses and validates its answer.

The model writes observations (verbatim quotes), reasoning, then JSON in the output schema
(:mod:`pancyst.llm.output`). Every answer is re-validated with pydantic; anything invalid fails
that report (the pipeline writes an error line) and is never repaired. Intervals, growth and
categories are left to the pipeline.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pancyst.extract.base import Extractor
from pancyst.grounding import DEFAULT_THRESHOLD
from pancyst.llm.cache import AnswerCache, cache_key
from pancyst.llm.output import (
    OUTPUT_VERSION,
    LLMOutput,
    extraction_from_gold,
    from_extraction,
    output_json_schema,
    parse_output,
    to_extraction,
)
from pancyst.llm.prompt import PROMPT_STYLES, PromptStyle, build_messages, prompt_version
from pancyst.llm.providers.base import Completion, InvalidOutput, Provider, RetryPolicy
from pancyst.schema import SCHEMA_VERSION, Extraction, GoldLine, ReportInput

log = logging.getLogger(__name__)

_BOOL_TRUE = {"1", "true", "yes", "on"}
_BOOL_FALSE = {"0", "false", "no", "off"}


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _BOOL_TRUE:
        return True
    if text in _BOOL_FALSE:
        return False
    raise ValueError(f"option {name} must be true or false, not {value!r}")


def _num(value: Any, name: str, kind: type[int] | type[float]) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"option {name} must be a number, not {value!r}") from None


def _opt_num(value: Any, name: str, kind: type[int] | type[float]) -> Any:
    return None if value is None or str(value).lower() in ("", "none", "null") else _num(value, name, kind)


def _percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return round(ordered[rank], 4)


def _describe_validation(exc: ValidationError) -> str:
    """Error location and kind only: pydantic's own message echoes input (report quotes, PHI)."""
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first.get("loc", ())) or "(root)"
    return f"{first.get('type', 'invalid')} at {loc} ({exc.error_count()} error(s))"


def _prompt_style(value: str, model: str | None) -> PromptStyle:
    """``auto``: the packaged model's own style (a server may serve a packaged name), else ``full``."""
    if value == "auto":
        from pancyst.llm.models import prompt_style_for

        return prompt_style_for(model)
    for style in PROMPT_STYLES:
        if value == style:
            return style
    raise ValueError(f"option prompt must be auto, {' or '.join(PROMPT_STYLES)}, not {value!r}")


def load_examples(path: str | Path | None, n: int, *, split: str = "train") -> list[tuple[str, LLMOutput]]:
    """Few-shot examples from a synthetic corpus JSONL (gold lines with ``text``; ``split`` filter).

    Without a path, the two hand-written examples shipped with the prompt are used.
    """
    if n <= 0:
        return []
    if path is None:
        from importlib import resources

        lines = (
            resources.files("pancyst.llm")
            .joinpath("prompts", "examples_v1.jsonl")
            .read_text("utf-8")
            .splitlines()
        )
    else:
        lines = Path(path).read_text("utf-8").splitlines()
    examples: list[tuple[str, LLMOutput]] = []
    for line in lines:
        if not line.strip():
            continue
        data = json.loads(line)
        if data.get("split", split) != split or not data.get("text"):
            continue
        gold = GoldLine.model_validate(data)
        text = str(data["text"])
        examples.append((text, from_extraction(extraction_from_gold(gold), text, data.get("reasoning"))))
        if len(examples) >= n:
            break
    return examples


class LLMExtractor(Extractor):
    """Options (``--option KEY=VALUE`` strings are accepted and converted):

    model, base_url, api_key_env, concurrency, cot, cache, cache_dir, max_tokens, temperature,
    timeout_s, max_retries, backoff_s, few_shot, examples, price_in_per_mtok, price_out_per_mtok,
    n_ctx, n_threads, response_format (auto|json_schema|json_object|none), fuzzy_threshold, lora,
    merge_system, prompt (auto|full|short: auto takes a packaged model's own style, else full).
    """

    name = "llm"

    def __init__(
        self,
        model: str | None = None,
        base_url: str | None = None,
        api_key_env: str | None = None,
        concurrency: int | str | None = None,
        cot: bool | str | None = None,
        *,
        cache: bool | str = True,
        cache_dir: str | Path | None = None,
        max_tokens: int | str = 1024,
        temperature: float | str = 0.0,
        timeout_s: float | str = 120.0,
        max_retries: int | str = 3,
        backoff_s: float | str = 0.5,
        few_shot: int | str = 0,
        examples: str | Path | None = None,
        price_in_per_mtok: float | str = 0.0,
        price_out_per_mtok: float | str = 0.0,
        n_ctx: int | str = 4096,
        n_threads: int | str | None = None,
        response_format: str = "auto",
        fuzzy_threshold: float | str = DEFAULT_THRESHOLD,
        lora: str | None = None,
        merge_system: bool | str = False,
        prompt: str = "auto",
        provider: Provider | None = None,
    ) -> None:
        self.cot = True if cot is None else _bool(cot, "cot")
        self.concurrency = max(1, _num(concurrency if concurrency is not None else 4, "concurrency", int))
        self.max_tokens = _num(max_tokens, "max_tokens", int)
        self.fuzzy_threshold = _num(fuzzy_threshold, "fuzzy_threshold", float)
        self.price_in = _num(price_in_per_mtok, "price_in_per_mtok", float)
        self.price_out = _num(price_out_per_mtok, "price_out_per_mtok", float)
        self.schema = output_json_schema(cot=self.cot)
        self.examples = load_examples(examples, _num(few_shot, "few_shot", int))
        retry = RetryPolicy(
            max_retries=_num(max_retries, "max_retries", int), backoff_s=_num(backoff_s, "backoff_s", float)
        )
        if provider is not None:
            self.provider = provider
        elif base_url:
            from pancyst.llm.providers.openai_compat import OpenAICompatProvider

            self.provider = OpenAICompatProvider(
                model or "default",
                base_url=base_url,
                api_key_env=api_key_env or "OPENAI_API_KEY",
                timeout_s=_num(timeout_s, "timeout_s", float),
                retry=retry,
                response_format=response_format,
                temperature=_num(temperature, "temperature", float),
                concurrency=self.concurrency,
                merge_system=_bool(merge_system, "merge_system"),
            )
        else:
            from pancyst.llm.models import DEFAULT_MODEL, resolve
            from pancyst.llm.providers.llamacpp import LlamaCppProvider

            model = model or DEFAULT_MODEL
            resolved = resolve(model, lora=lora)
            self.provider = LlamaCppProvider(
                resolved.path,
                name=resolved.name,
                lora_path=resolved.lora_path,
                chat_template=resolved.chat_template,
                n_ctx=_num(n_ctx, "n_ctx", int),
                n_threads=_opt_num(n_threads, "n_threads", int),
                temperature=_num(temperature, "temperature", float),
                timeout_s=_num(timeout_s, "timeout_s", float),
            )
        self.model = self.provider.model
        self.prompt_style = _prompt_style(prompt, model if provider is None else None)
        self.prompt_version = prompt_version(self.prompt_style)
        self.version = f"{self.prompt_version}+out{OUTPUT_VERSION}:{self.model}"
        shots = f"shots={len(self.examples)}:{hash_examples(self.examples)}" if self.examples else ""
        self._key_extra = f"{shots}|max_tokens={self.max_tokens}"
        self.cache: AnswerCache | None = None
        if _bool(cache, "cache"):
            from pancyst.llm.models import pancyst_home

            directory = Path(cache_dir) if cache_dir else pancyst_home() / "cache"
            self.cache = AnswerCache(directory / "llm-answers.sqlite")
        self._records: list[dict[str, Any]] = []

    # --- one report ---

    def messages(self, text: str) -> list[dict[str, str]]:
        return build_messages(text, cot=self.cot, examples=self.examples, style=self.prompt_style)

    def _key(self, text: str) -> str:
        return cache_key(
            text,
            prompt_version=self.prompt_version,
            schema_version=f"{SCHEMA_VERSION}.{OUTPUT_VERSION}",
            model=self.model,
            cot=self.cot,
            extra=self._key_extra,
        )

    def _finish(self, report: ReportInput, raw: str, meta: dict[str, Any]) -> Extraction:
        try:
            output = parse_output(raw, cot=self.cot)
        except ValidationError as exc:
            raise InvalidOutput(
                f"model answer is not valid output JSON: {_describe_validation(exc)}"
            ) from None
        extraction = to_extraction(output, report.text, threshold=self.fuzzy_threshold)
        merged = {**extraction.meta, **meta, "model": self.model}
        return extraction.model_copy(update={"meta": merged})

    def _record(
        self,
        *,
        ok: bool,
        cached: bool,
        completion: Completion | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        m = meta or {}
        self._records.append(
            {
                "ok": ok,
                "cached": cached,
                "tokens_in": completion.tokens_in if completion else m.get("tokens_in"),
                "tokens_out": completion.tokens_out if completion else m.get("tokens_out"),
                "latency_s": completion.latency_s if completion else None,
            }
        )

    def _from_cache(self, report: ReportInput) -> Extraction | None:
        if self.cache is None:
            return None
        hit = self.cache.get(self._key(report.text))
        if hit is None:
            return None
        raw, meta = hit
        try:
            extraction = self._finish(report, raw, {**meta, "cached": True})
        except InvalidOutput:
            return None  # an entry from an older, looser version: ask the model again
        self._record(ok=True, cached=True, meta=meta)
        return extraction

    def _after_call(self, report: ReportInput, completion: Completion) -> Extraction:
        meta = {
            "tokens_in": completion.tokens_in,
            "tokens_out": completion.tokens_out,
            "latency_s": round(completion.latency_s, 4),
            **(
                {"response_format": completion.extra["response_format"]}
                if "response_format" in completion.extra
                else {}
            ),
        }
        try:
            extraction = self._finish(report, completion.text, {**meta, "cached": False})
        except Exception:
            self._record(ok=False, cached=False, completion=completion)
            raise
        self._record(ok=True, cached=False, completion=completion)
        if self.cache is not None:
            self.cache.put(self._key(report.text), completion.text, meta)
        return extraction

    def extract(self, report: ReportInput) -> Extraction:
        outcome = next(iter(self.extract_many([report])))
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    # --- many reports, N in flight, input order kept ---

    def _call_sync(self, report: ReportInput) -> Extraction | BaseException:
        try:
            completion = self.provider.complete(
                self.messages(report.text), schema=self.schema, max_tokens=self.max_tokens
            )
        except Exception as exc:
            return self._failed(exc)
        return self._settle(report, completion)

    def _failed(self, exc: Exception) -> Exception:
        self._record(ok=False, cached=False, completion=getattr(exc, "completion", None))
        return exc

    def _settle(self, report: ReportInput, completion: Completion) -> Extraction | BaseException:
        """Outcome of one answered call: the extraction, or the error that fails this report only."""
        try:
            return self._after_call(report, completion)
        except Exception as exc:
            return exc

    async def _call_async(self, report: ReportInput, sem: asyncio.Semaphore) -> Extraction | BaseException:
        async with sem:
            try:
                completion = await self.provider.acomplete(
                    self.messages(report.text), schema=self.schema, max_tokens=self.max_tokens
                )
            except Exception as exc:
                return self._failed(exc)
        return self._settle(report, completion)

    async def _gather(self, reports: list[ReportInput], width: int) -> list[Extraction | BaseException]:
        sem = asyncio.Semaphore(width)
        try:
            return list(await asyncio.gather(*(self._call_async(r, sem) for r in reports)))
        finally:
            aclose = getattr(self.provider, "aclose", None)
            if aclose is not None:
                await aclose()

    def _run_chunk(self, chunk: list[ReportInput]) -> list[Extraction | BaseException]:
        results: list[Extraction | BaseException | None] = []
        todo: list[tuple[int, ReportInput]] = []
        for i, report in enumerate(chunk):
            try:
                hit = self._from_cache(report)
            except Exception as exc:  # a cached answer that no longer grounds is this report's failure
                hit = None
                log.debug("cache entry unusable: %s", type(exc).__name__)
            results.append(hit)
            if hit is None:
                todo.append((i, report))
        width = min(self.concurrency, self.provider.max_concurrency)
        if width <= 1:
            fresh = [self._call_sync(report) for _, report in todo]
        else:
            fresh = asyncio.run(self._gather([report for _, report in todo], width))
        for (i, _), outcome in zip(todo, fresh, strict=True):
            results[i] = outcome
        return [r for r in results if r is not None]

    def extract_many(self, reports: Iterable[ReportInput]) -> Iterator[Extraction | BaseException]:
        chunk: list[ReportInput] = []
        size = max(16, self.concurrency * 4)
        for report in reports:
            chunk.append(report)
            if len(chunk) >= size:
                yield from self._run_chunk(chunk)
                chunk = []
        if chunk:
            yield from self._run_chunk(chunk)

    # --- numbers for the end of a run ---

    def run_summary(self) -> dict[str, Any]:
        recs = self._records
        calls = [r for r in recs if not r["cached"]]
        latencies = [r["latency_s"] for r in calls if r["latency_s"] is not None]
        tin = sum(r["tokens_in"] or 0 for r in calls)
        tout = sum(r["tokens_out"] or 0 for r in calls)
        answered = [r for r in recs if r["ok"] and r["tokens_in"] is not None]
        mean_in = sum(r["tokens_in"] or 0 for r in answered) / len(answered) if answered else 0.0
        mean_out = sum(r["tokens_out"] or 0 for r in answered) / len(answered) if answered else 0.0
        busy = sum(latencies)
        return {
            "model": self.model,
            "reports": len(recs),
            "ok": sum(1 for r in recs if r["ok"]),
            "failed": sum(1 for r in recs if not r["ok"]),
            "cached": sum(1 for r in recs if r["cached"]),
            "tokens_in": tin,
            "tokens_out": tout,
            "latency_p50_s": _percentile(latencies, 50),
            "latency_p95_s": _percentile(latencies, 95),
            "tokens_out_per_s": round(tout / busy, 2) if busy else None,
            "cost_usd": round((tin * self.price_in + tout * self.price_out) / 1e6, 6),
            "cost_per_1000_reports_usd": round(
                1000 * (mean_in * self.price_in + mean_out * self.price_out) / 1e6, 6
            ),
        }

    def close(self) -> None:
        self.provider.close()
        if self.cache is not None:
            self.cache.close()
            self.cache = None


def hash_examples(examples: Sequence[tuple[str, LLMOutput]]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for text, output in examples:
        digest.update(text.encode("utf-8"))
        digest.update(output.model_dump_json().encode("utf-8"))
    return digest.hexdigest()[:16]
