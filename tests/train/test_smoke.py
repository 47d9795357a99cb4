"""Training smoke test: gold teacher -> SFT rows -> LoRA on a tiny random Gemma 3 -> adapter that
reloads and writes schema-valid JSON. Seconds on 2 cores; the real 270M run is bench/cpu_finetune.sh."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlstack import require

pytestmark = pytest.mark.train

TEXT = "CT abdomen. The pancreas is normal without cyst or mass. Simple cyst in the left kidney, 1.2 cm."


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    for mod in ("torch", "transformers", "peft", "trl", "datasets"):
        require(mod)
    import json

    from pancyst.label import GoldTeacher, LabelItem, run_label
    from pancyst.llm.prompt import CHAT_TEMPLATE_GEMMA
    from pancyst.schema import GoldLine, ReportInput
    from pancyst.train.config import TrainConfig
    from pancyst.train.sft import train
    from pancyst.train.tiny import tiny_gemma, tiny_tokenizer

    tmp = tmp_path_factory.mktemp("smoke")
    item = LabelItem(
        report=ReportInput(report_id="s1", text=TEXT), gold=GoldLine(report_id="s1", pcl_present=False)
    )
    sft = tmp / "sft.jsonl"
    summary = run_label([item, item], GoldTeacher(), sft, cot=True)
    assert summary.accepted == 2
    # keep the user turn only: the long system prompt would make each tiny step ~6x slower on CI's 2 cores
    rows = [json.loads(line) for line in sft.read_text().splitlines()]
    for r in rows:
        r["prompt"] = r["prompt"][-1:]
    sft.write_text("".join(json.dumps(r) + "\n" for r in rows))
    row = rows[0]
    tok = tiny_tokenizer([CHAT_TEMPLATE_GEMMA, *(m["content"] for m in row["prompt"]), row["completion"]] * 2)
    model = tiny_gemma(len(tok), init_range=0.2, seed=0)
    cfg = TrainConfig(
        name="smoke",
        base_model="tiny",
        train_data=str(sft),
        output_dir=str(tmp / "out"),
        training={
            "max_steps": 80,
            "learning_rate": 1e-2,
            "logging_steps": 5,
            "warmup_ratio": 0.0,
            "max_length": 2048,
        },
        export={"lora_gguf": False},
    )
    result = train(cfg, model=model, tokenizer=tok)
    return {"result": result, "tok": tok, "row": row}


def test_loss_goes_down(trained: dict[str, object]) -> None:
    result = trained["result"]
    assert result.first_loss is not None and result.last_loss is not None  # type: ignore[attr-defined]
    assert result.last_loss < result.first_loss / 4  # type: ignore[attr-defined]
    assert result.steps == 80  # type: ignore[attr-defined]


def test_adapter_saves_reloads_and_generates_valid_json(trained: dict[str, object]) -> None:
    import torch
    from peft import PeftModel

    from pancyst.llm.output import parse_output, to_extraction
    from pancyst.train.tiny import tiny_gemma

    result, tok, row = trained["result"], trained["tok"], trained["row"]
    adapter = Path(result.adapter_dir)  # type: ignore[attr-defined]
    assert (adapter / "adapter_config.json").exists() and (adapter / "adapter_model.safetensors").exists()
    model = PeftModel.from_pretrained(tiny_gemma(len(tok), init_range=0.2, seed=0), str(adapter)).eval()  # type: ignore[arg-type]
    prompt = tok.apply_chat_template(row["prompt"], add_generation_prompt=True, tokenize=False)  # type: ignore[index, attr-defined]
    ids = tok(prompt, add_special_tokens=False, return_tensors="pt")["input_ids"]  # type: ignore[operator]
    with torch.no_grad():
        out = model.generate(
            ids,
            max_new_tokens=200,
            do_sample=False,
            eos_token_id=tok.convert_tokens_to_ids("<end_of_turn>"),  # type: ignore[attr-defined]
        )
    text = tok.decode(out[0, ids.shape[1] :], skip_special_tokens=True)  # type: ignore[attr-defined]
    parsed = parse_output(text, cot=True)  # raises unless schema-valid
    assert to_extraction(parsed, TEXT).pcl_present is False
