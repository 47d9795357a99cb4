from __future__ import annotations

import json

import pytest

from pancyst.extract.llm import load_examples
from pancyst.llm.prompt import (
    CHAT_TEMPLATE_GEMMA,
    PROMPT_VERSION,
    build_messages,
    prompt_version,
    render_gemma,
    render_target,
    system_prompt,
)


def test_messages_shape_and_variants() -> None:
    cot = build_messages("REPORT TEXT")
    nocot = build_messages("REPORT TEXT", cot=False)
    assert [m["role"] for m in cot] == ["system", "user"]
    assert "REPORT TEXT" in cot[1]["content"] and '"reasoning"' in cot[0]["content"]
    assert '"reasoning"' not in nocot[0]["content"]
    assert PROMPT_VERSION.startswith("extract-v")


def test_few_shot_turns_use_render_target() -> None:
    examples = load_examples(None, 2)
    msgs = build_messages("X", examples=examples)
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert msgs[2]["content"] == render_target(examples[0][1])


def test_render_target_is_compact_and_ordered() -> None:
    _, output = load_examples(None, 1)[0]
    text = render_target(output)
    assert text.startswith('{"observation":["') and '","' in text and '", "' not in text
    assert list(json.loads(text)) == ["observation", "reasoning", "answer"]
    assert list(json.loads(render_target(output, cot=False))) == ["answer"]


def test_gemma_template_matches_python_rendering() -> None:
    jinja2 = pytest.importorskip("jinja2")
    msgs = build_messages("A cyst.", examples=load_examples(None, 1))
    for gen in (True, False):
        rendered = jinja2.Template(CHAT_TEMPLATE_GEMMA).render(
            messages=msgs, bos_token="<bos>", add_generation_prompt=gen
        )
        assert rendered == render_gemma(msgs, add_generation_prompt=gen)
    out = render_gemma(msgs)
    assert out.startswith("<bos><start_of_turn>user\n") and out.endswith("<start_of_turn>model\n")
    assert "system" not in out.split("\n")[0]


def test_short_style_is_one_line_with_its_own_version() -> None:
    full = build_messages("REPORT TEXT")
    short = build_messages("REPORT TEXT", style="short")
    assert prompt_version("short") != prompt_version("full") == PROMPT_VERSION
    assert len(short[0]["content"]) < len(full[0]["content"]) / 5
    assert "observation, reasoning, answer" in short[0]["content"]
    assert "observation" not in system_prompt(cot=False, style="short")
    assert short[1] == full[1]  # the report turn is the same in both styles
    with pytest.raises(ValueError, match="unknown prompt style"):
        build_messages("X", style="long")  # type: ignore[arg-type]
