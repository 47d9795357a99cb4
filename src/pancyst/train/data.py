"""SFT rows -> token ids with a completion mask (loss on the completion only).

The prompt is rendered with the same chat template the server uses (generation prompt included)
and tokenized on its own; the completion is the rest of the rendered conversation. This matches
inference exactly: the server tokenizes the prompt and the model writes from there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def load_rows(
    path: str | Path, *, skip_rejected: bool = True, split: str | None = None
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if skip_rejected and not (row.get("audit") or {}).get("ok", True):
                continue
            if split is not None and row.get("split") not in (split, None):
                continue
            rows.append(row)
    return rows


def render(tok: Any, row: dict[str, Any]) -> tuple[str, str]:
    """(prompt text with generation prompt, completion text incl. the end-of-turn marker)."""
    messages = list(row["prompt"])
    prompt = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    full = tok.apply_chat_template(
        [*messages, {"role": "assistant", "content": row["completion"]}], tokenize=False
    )
    if not full.startswith(prompt):
        raise ValueError(
            "chat template is not prefix-stable: prompt + completion does not start with the prompt"
        )
    return prompt, full[len(prompt) :]


def encode(tok: Any, row: dict[str, Any], *, max_length: int) -> dict[str, list[int]] | None:
    """input_ids + completion_mask, or None when the example is longer than ``max_length`` (never truncated:
    a cut-off JSON target would teach the model to stop mid-object)."""
    prompt, completion = render(tok, row)
    p_ids: list[int] = tok(prompt, add_special_tokens=False)["input_ids"]
    c_ids: list[int] = tok(completion, add_special_tokens=False)["input_ids"]
    ids = p_ids + c_ids
    if len(ids) > max_length:
        return None
    return {"input_ids": ids, "completion_mask": [0] * len(p_ids) + [1] * len(c_ids)}


def encode_all(
    tok: Any, rows: Iterable[dict[str, Any]], *, max_length: int
) -> tuple[list[dict[str, list[int]]], int]:
    """Encoded examples and the number dropped for length."""
    out: list[dict[str, list[int]]] = []
    dropped = 0
    for row in rows:
        enc = encode(tok, row, max_length=max_length)
        if enc is None:
            dropped += 1
        else:
            out.append(enc)
    return out, dropped


def has_pcl(row: dict[str, Any]) -> bool:
    """Whether the row's target says a PCL is present (compact JSON from ``render_target``)."""
    return '"pcl_present":true' in row["completion"].replace(" ", "")


def balance(
    rows: list[dict[str, Any]], encoded: list[dict[str, list[int]] | None]
) -> list[dict[str, list[int]]]:
    """Alternate with-PCL and without-PCL examples (skipping ``None``), as many pairs as the smaller group allows."""
    pos = [e for r, e in zip(rows, encoded, strict=True) if e is not None and has_pcl(r)]
    neg = [e for r, e in zip(rows, encoded, strict=True) if e is not None and not has_pcl(r)]
    out: list[dict[str, list[int]]] = []
    for a, b in zip(pos, neg, strict=False):
        out += [a, b]
    return out
