"""The versioned extraction prompt, shared by inference, few-shot examples and SFT data.

The template text lives in ``prompts/extract_v1.yaml`` so a change is a reviewed data diff;
its ``version`` enters the cache key, so a new prompt never reuses old answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import yaml

from pancyst.llm.output import LLMOutput, dumps_compact

_TEMPLATE_FILE = "extract_v1.yaml"


@cache
def _template() -> dict[str, str]:
    raw = resources.files("pancyst.llm").joinpath("prompts", _TEMPLATE_FILE).read_text(encoding="utf-8")
    data: dict[str, str] = yaml.safe_load(raw)
    return data


@cache
def _gemma_template() -> str:
    return (
        resources.files("pancyst.llm")
        .joinpath("prompts", "gemma_chat_template.jinja")
        .read_text(encoding="utf-8")
    )


PROMPT_VERSION: str = _template()["version"]
# Gemma 3 turn format with an explicit BOS (Gemma is BOS-sensitive); the system turn is folded
# into the first user turn because Gemma has no system role. Training and serving both use it.
CHAT_TEMPLATE_GEMMA: str = _gemma_template()
GEMMA_STOP = "<end_of_turn>"


def system_prompt(*, cot: bool = True) -> str:
    t = _template()
    keys = '"observation", "reasoning", "answer"' if cot else '"answer"'
    return "\n".join([t["system"], t["cot"] if cot else t["nocot"], t["fields"].replace("{keys}", keys)])


def user_prompt(text: str) -> str:
    return _template()["user"].replace("{report}", text)


def render_target(output: LLMOutput, *, cot: bool = True) -> str:
    """The exact assistant text (compact JSON, schema field order) a fine-tuned model should emit."""
    data: dict[str, Any] = output.model_dump(mode="json")
    if not cot:
        data = {"answer": data["answer"]}
    return dumps_compact(data)


def build_messages(
    text: str, *, cot: bool = True, examples: Sequence[tuple[str, LLMOutput]] = ()
) -> list[dict[str, str]]:
    """System + optional few-shot turns + the report, as OpenAI-style chat messages."""
    messages = [{"role": "system", "content": system_prompt(cot=cot)}]
    for example_text, example_output in examples:
        messages.append({"role": "user", "content": user_prompt(example_text)})
        messages.append({"role": "assistant", "content": render_target(example_output, cot=cot)})
    messages.append({"role": "user", "content": user_prompt(text)})
    return messages


def render_gemma(
    messages: Sequence[dict[str, str]], *, add_generation_prompt: bool = True, bos: str = "<bos>"
) -> str:
    """Plain-Python rendering of :data:`CHAT_TEMPLATE_GEMMA` (no jinja needed; a test keeps them equal)."""
    prefix = ""
    turns = list(messages)
    if turns and turns[0]["role"] == "system":
        prefix = turns[0]["content"] + "\n\n"
        turns = turns[1:]
    out = [bos]
    for i, m in enumerate(turns):
        role = "model" if m["role"] == "assistant" else "user"
        out.append(f"<start_of_turn>{role}\n{prefix if i == 0 else ''}{m['content']}<end_of_turn>\n")
    if add_generation_prompt:
        out.append("<start_of_turn>model\n")
    return "".join(out)
