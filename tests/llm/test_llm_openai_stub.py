"""The OpenAI-compatible path against a scripted stub server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from llm_stub_server import StubServer, chat_body

from mlstack import require
from pancyst.extract.llm import LLMExtractor, load_examples
from pancyst.llm.prompt import render_target
from pancyst.llm.providers.base import (
    ContextOverflow,
    InvalidOutput,
    LLMTimeout,
    Refusal,
    TransportError,
    Truncated,
)
from pancyst.schema import ReportInput, check_spans


@pytest.fixture(autouse=True)
def _needs_openai() -> None:
    require("openai")


TEXT, OUTPUT = load_examples(None, 1)[0]
GOOD = render_target(OUTPUT)


def _reports(n: int = 1) -> list[ReportInput]:
    return [ReportInput(report_id=f"r{i}", text=TEXT + " " * i) for i in range(n)]


def _extractor(url: str, tmp_path: Path, **kw: Any) -> LLMExtractor:
    opts: dict[str, Any] = {"cache_dir": tmp_path, "backoff_s": 0.01, "timeout_s": 5}
    opts.update(kw)
    return LLMExtractor(model="stub", base_url=url, **opts)


def _run(x: LLMExtractor, n: int = 1) -> list[Any]:
    return list(x.extract_many(_reports(n)))


def test_valid_answer_is_grounded_with_meta(tmp_path: Path) -> None:
    with StubServer(lambda body: (200, chat_body(GOOD), 0)) as stub:
        x = _extractor(stub.url, tmp_path, cache=False, price_in_per_mtok=1.0, price_out_per_mtok=2.0)
        (ext,) = _run(x)
        check_spans(TEXT, ext)
        assert ext.lesions[0].size_mm == 23.0 and ext.meta["tokens_in"] == 100 and ext.meta["cached"] is False
        assert ext.meta["reasoning"] == OUTPUT.reasoning and ext.meta["model"] == "stub"
        fmt = stub.requests[0]["response_format"]
        assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
        assert stub.requests[0]["temperature"] == 0.0
        summary = x.run_summary()
        assert summary["ok"] == 1 and summary["tokens_in"] == 100 and summary["tokens_out"] == 20
        assert summary["cost_per_1000_reports_usd"] == pytest.approx(1000 * (100 * 1.0 + 20 * 2.0) / 1e6)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (chat_body("{not json"), InvalidOutput),
        (chat_body(GOOD[:200], finish="length"), Truncated),
        (chat_body(None, refusal="I can't help with that."), Refusal),
        (chat_body(json.dumps({**json.loads(GOOD), "confidence": 0.9})), InvalidOutput),
        (chat_body(""), InvalidOutput),
    ],
)
def test_bad_answers_fail_that_report(tmp_path: Path, body: dict[str, Any], error: type[Exception]) -> None:
    with StubServer(lambda b: (200, body, 0)) as stub:
        (out,) = _run(_extractor(stub.url, tmp_path))
        assert isinstance(out, error)
        assert len(stub.requests) == 1  # never retried
        assert TEXT[:40] not in str(out)  # no report text in the error


def test_json_schema_rejected_falls_back_to_json_object(tmp_path: Path) -> None:
    def behaviour(body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        if body["response_format"]["type"] == "json_schema":
            msg = "1 validation error: body.response_format.type Input should be 'text' or 'json_object'"
            return 500, {"error": {"message": msg}}, 0
        return 200, chat_body(GOOD), 0

    with StubServer(behaviour) as stub:
        x = _extractor(stub.url, tmp_path, concurrency=1)
        outs = _run(x, 2)
        assert all(o.lesions[0].size_mm == 23.0 for o in outs)
        kinds = [r["response_format"]["type"] for r in stub.requests]
        assert kinds == ["json_schema", "json_object", "json_object"]  # switched once, remembered
        assert stub.requests[1]["response_format"]["schema"]["properties"]["answer"]


def test_transport_errors_retry_with_backoff(tmp_path: Path) -> None:
    statuses = iter([503, 429, 200])

    def behaviour(body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        status = next(statuses)
        return status, (chat_body(GOOD) if status == 200 else {"error": {"message": "busy"}}), 0

    with StubServer(behaviour) as stub:
        (ext,) = _run(_extractor(stub.url, tmp_path, response_format="json_object"))
        assert ext.lesions and len(stub.requests) == 3


def test_retries_give_up(tmp_path: Path) -> None:
    with StubServer(lambda b: (502, {"error": {"message": "bad gateway"}}, 0)) as stub:
        (out,) = _run(_extractor(stub.url, tmp_path, max_retries=2, response_format="json_object"))
        assert isinstance(out, TransportError) and len(stub.requests) == 3


def test_timeout_and_context_overflow(tmp_path: Path) -> None:
    with StubServer(lambda b: (200, chat_body(GOOD), 1.5)) as stub:
        (out,) = _run(_extractor(stub.url, tmp_path, timeout_s=0.3))
        assert isinstance(out, LLMTimeout) and len(stub.requests) == 1
    msg = "Requested tokens (5000) exceed context window of 2048"
    with StubServer(lambda b: (400, {"error": {"message": msg}}, 0)) as stub:
        (out,) = _run(_extractor(stub.url, tmp_path))
        assert isinstance(out, ContextOverflow)


def test_connection_refused_is_a_transport_error(tmp_path: Path) -> None:
    x = _extractor("http://127.0.0.1:9/v1", tmp_path, max_retries=1)
    (out,) = _run(x)
    assert isinstance(out, TransportError)


def test_concurrency_keeps_order_and_cache_hits(tmp_path: Path) -> None:
    import threading

    active, peak, lock = [0], [0], threading.Lock()

    def behaviour(body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        import time

        time.sleep(0.05)
        with lock:
            active[0] -= 1
        bad = "ZZBADZZ" in body["messages"][-1]["content"]
        return 200, chat_body("nope" if bad else GOOD), 0

    reports = [*_reports(6), ReportInput(report_id="bad", text="ZZBADZZ")]
    with StubServer(behaviour) as stub:
        x = _extractor(stub.url, tmp_path, concurrency=3)
        outs = list(x.extract_many(reports))
        assert [type(o).__name__ for o in outs] == ["Extraction"] * 6 + ["InvalidOutput"]
        assert 2 <= peak[0] <= 3
        again = list(x.extract_many(reports))
        assert [o.meta["cached"] for o in again[:6]] == [True] * 6
        assert len(stub.requests) == 7 + 1  # only the failed report is asked again
        summary = x.run_summary()
        assert summary["cached"] == 6 and summary["failed"] == 2 and summary["latency_p95_s"] is not None
        x.close()
    y = _extractor("http://127.0.0.1:9/v1", tmp_path, concurrency=3, max_retries=0)
    assert all(o.meta["cached"] for o in list(y.extract_many(reports[:6])))  # persisted on disk


def test_options_from_cli_strings(tmp_path: Path) -> None:
    x = _extractor(
        "http://127.0.0.1:9/v1", tmp_path, cache="false", cot="false", max_tokens="64", few_shot="1"
    )
    assert x.cache is None and x.cot is False and x.max_tokens == 64 and len(x.examples) == 1
    with pytest.raises(ValueError, match="cache"):
        _extractor("http://127.0.0.1:9/v1", tmp_path, cache="maybe")
    with pytest.raises(TypeError):
        _extractor("http://127.0.0.1:9/v1", tmp_path, bogus=1)


def test_prompt_option_picks_the_style_and_keys_the_cache(tmp_path: Path) -> None:
    with StubServer(lambda body: (200, chat_body(GOOD), 0)) as stub:
        short = _extractor(stub.url, tmp_path, prompt="short")
        _run(short)
        sent = stub.requests[0]["messages"][0]["content"]
        assert len(sent) < 200 and short.version.startswith("extract-short-v")
        # a server serving the packaged fine-tuned name gets that model's own (short) prompt
        auto = LLMExtractor(model="pancyst-gemma-270m", base_url=stub.url, cache_dir=tmp_path)
        assert auto.prompt_style == "short"
        # the same report under the full prompt is not answered from the short prompt's cache entry
        full = _extractor(stub.url, tmp_path, prompt="full")
        (ext,) = _run(full)
        assert ext.meta["cached"] is False and len(stub.requests) == 2
    with pytest.raises(ValueError, match="option prompt"):
        _extractor("http://127.0.0.1:9", tmp_path, prompt="long")
