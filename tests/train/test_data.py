"""SFT rows -> ids with a completion mask that covers exactly the assistant's turn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlstack import require


@pytest.fixture(scope="module")
def tok():  # type: ignore[no-untyped-def]
    require("tokenizers")
    require("transformers")
    from pancyst.llm.prompt import CHAT_TEMPLATE_GEMMA
    from pancyst.train.tiny import tiny_tokenizer

    t = tiny_tokenizer(
        ["Report: cyst in the tail", '{"answer": null}', "You read one radiology report"], vocab_size=300
    )
    t.chat_template = CHAT_TEMPLATE_GEMMA
    return t


ROW = {
    "prompt": [
        {"role": "system", "content": "You read one radiology report"},
        {"role": "user", "content": "Report: cyst"},
    ],
    "completion": '{"answer": null}',
}


def test_render_matches_the_serving_template(tok) -> None:  # type: ignore[no-untyped-def]
    from pancyst.llm.prompt import render_gemma
    from pancyst.train.data import render

    prompt, completion = render(tok, ROW)
    assert prompt == render_gemma(ROW["prompt"])  # what the server sends, BOS included
    assert prompt.startswith("<bos><start_of_turn>user\nYou read one radiology report\n\nReport: cyst")
    assert completion == '{"answer": null}<end_of_turn>\n'


def test_mask_covers_completion_only(tok) -> None:  # type: ignore[no-untyped-def]
    from pancyst.train.data import encode

    enc = encode(tok, ROW, max_length=4096)
    assert enc is not None
    mask = enc["completion_mask"]
    n_prompt = mask.index(1)
    assert all(m == 0 for m in mask[:n_prompt]) and all(m == 1 for m in mask[n_prompt:])
    assert enc["input_ids"][0] == tok.bos_token_id  # exactly one BOS, from the template
    assert enc["input_ids"].count(tok.bos_token_id) == 1
    assert tok.decode(enc["input_ids"][n_prompt:]) == '{"answer": null}<end_of_turn>\n'


def test_too_long_is_dropped_not_truncated(tok) -> None:  # type: ignore[no-untyped-def]
    from pancyst.train.data import encode, encode_all

    assert encode(tok, ROW, max_length=5) is None
    enc, dropped = encode_all(tok, [ROW, ROW], max_length=5)
    assert (enc, dropped) == ([], 2)


def test_load_rows_skips_rejected(tmp_path: Path) -> None:
    from pancyst.train.data import load_rows

    p = tmp_path / "sft.jsonl"
    rows = [
        {**ROW, "report_id": "a", "audit": {"ok": True}},
        {**ROW, "report_id": "b", "audit": {"ok": False}},
    ]
    p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert [r["report_id"] for r in load_rows(p)] == ["a"]
    assert [r["report_id"] for r in load_rows(p, skip_rejected=False)] == ["a", "b"]


def test_balance_alternates_pcl_and_no_pcl() -> None:
    from pancyst.train.data import balance, has_pcl

    pos = {"completion": '{"answer":{"pcl_present":true}}'}
    neg = {"completion": '{"answer":{"pcl_present":false}}'}
    assert has_pcl(pos) and not has_pcl(neg)
    rows = [neg, neg, neg, pos, neg, pos, pos]
    enc: list[dict[str, list[int]] | None] = [{"input_ids": [i]} for i in range(len(rows))]
    enc[6] = None  # too long: skipped
    got = balance(rows, enc)
    # positives with ids 3, 5; negatives 0, 1, 2, 4 -> two pairs
    assert [e["input_ids"][0] for e in got] == [3, 0, 5, 1]
