"""The versioned extraction prompts, shared by inference, few-shot examples and SFT data.

Two styles, each a YAML file in ``prompts/`` so a change is a reviewed data diff:
``full`` (``extract_v1.yaml``) spells out the task and every rule for general models;
``short`` (``extract_short_v1.yaml``) is a one-line instruction for models fine-tuned on pancyst
labels, which learnt the rules from the data. A template's ``version`` enters the answer cache key
and every SFT row, so a new prompt never reuses old answers and training matches serving.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal

from pancyst.llm.output import LLMOutput, dumps_compact
from pancyst.resources import load_yaml

PromptStyle = Literal["full", "short"]
PROMPT_STYLES: tuple[PromptStyle, ...] = ("full", "short")
_TEMPLATE_FILES: dict[str, str] = {"full": "extract_v1.yaml", "short": "extract_short_v1.yaml"}


@cache
def _template(style: PromptStyle = "full") -> dict[str, str]:
    if style not in _TEMPLATE_FILES:
        raise ValueError(f"unknown prompt style {style!r} (choose from {', '.join(PROMPT_STYLES)})")
    raw = (
        resources.files("pancyst.llm").joinpath("prompts", _TEMPLATE_FILES[style]).read_text(encoding="utf-8")
    )
    data: dict[str, str] = load_yaml(raw)
    return data


def prompt_version(style: PromptStyle = "full") -> str:
    return _template(style)["version"]


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


def system_prompt(*, cot: bool = True, style: PromptStyle = "full") -> str:
    t = _template(style)
    keys = '"observation", "reasoning", "answer"' if cot else '"answer"'
    parts = [t["system"], t["cot"] if cot else t["nocot"], t["fields"].replace("{keys}", keys)]
    return "\n".join(p for p in parts if p)


def user_prompt(text: str, *, style: PromptStyle = "full") -> str:
    return _template(style)["user"].replace("{report}", text)


def render_target(output: LLMOutput, *, cot: bool = True) -> str:
    """The exact assistant text (compact JSON, schema field order) a fine-tuned model should emit."""
    data: dict[str, Any] = output.model_dump(mode="json")
    if not cot:
        data = {"answer": data["answer"]}
    return dumps_compact(data)


def build_messages(
    text: str,
    *,
    cot: bool = True,
    examples: Sequence[tuple[str, LLMOutput]] = (),
    style: PromptStyle = "full",
) -> list[dict[str, str]]:
    """System + optional few-shot turns + the report, as OpenAI-style chat messages."""
    messages = [{"role": "system", "content": system_prompt(cot=cot, style=style)}]
    for example_text, example_output in examples:
        messages.append({"role": "user", "content": user_prompt(example_text, style=style)})
        messages.append({"role": "assistant", "content": render_target(example_output, cot=cot)})
    messages.append({"role": "user", "content": user_prompt(text, style=style)})
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
