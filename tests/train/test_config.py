"""Training configs validate before any heavy import; shipped examples load."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from pancyst.train.config import TrainConfig, load_config

CONFIGS = Path(__file__).resolve().parents[2] / "configs" / "train"


@pytest.mark.parametrize(
    "name", ["gemma-270m-cpu.yaml", "llama31-8b-qlora.yaml", "deepseek-r1-distill-llama-8b-qlora.yaml"]
)
def test_shipped_configs_load(name: str) -> None:
    cfg = load_config(CONFIGS / name, relative_to=Path("/repo"))
    assert cfg.lora.r == 16 and cfg.lora.alpha == 32 and cfg.lora.dropout == 0.05
    assert cfg.training.learning_rate == (
        5e-4 if "cpu" in name else 2e-4
    )  # CPU: a few hundred steps, not 3 epochs
    assert cfg.output_dir.startswith("/repo/out/train/")


def test_paper_setting_is_qlora_three_epochs() -> None:
    cfg = load_config(CONFIGS / "llama31-8b-qlora.yaml")
    assert (cfg.method, cfg.device, cfg.training.epochs) == ("qlora", "cuda", 3)
    assert cfg.base_model == "meta-llama/Llama-3.1-8B-Instruct"  # a hub id stays a name, not a path


def test_cpu_config_is_lora_fp32() -> None:
    cfg = load_config(CONFIGS / "gemma-270m-cpu.yaml")
    assert (cfg.method, cfg.device, cfg.dtype, cfg.training.bf16) == ("lora", "cpu", "float32", False)
    assert cfg.init_adapter is None and cfg.training.balance_pcl  # one run, balanced from the first step
    assert cfg.train_data.endswith(
        "sft-train-short.jsonl"
    )  # labelled with the short prompt it is served with
    assert cfg.export.copy_lora_gguf_to is not None
    assert cfg.export.copy_lora_gguf_to.endswith("src/pancyst/llm/adapters/pancyst-gemma-270m-lora.gguf")


def test_qlora_on_cpu_is_refused() -> None:
    with pytest.raises(ValidationError, match="qlora needs a GPU"):
        TrainConfig(name="x", base_model="m", train_data="d", output_dir="o", method="qlora", device="cpu")


def test_bf16_on_cpu_is_refused() -> None:
    with pytest.raises(ValidationError, match="float32"):
        TrainConfig(name="x", base_model="m", train_data="d", output_dir="o", training={"bf16": True})


def test_4bit_merged_export_is_not_allowed() -> None:
    with pytest.raises(ValidationError):
        TrainConfig(
            name="x", base_model="m", train_data="d", output_dir="o", export={"merged_gguf": "q4_k_m"}
        )


def test_unknown_keys_are_errors(tmp_path: Path) -> None:
    p = tmp_path / "c.yaml"
    p.write_text("name: x\nbase_model: m\ntrain_data: d\noutput_dir: o\ntraining: {epoch: 3}\n")
    with pytest.raises(ValidationError, match="epoch"):
        load_config(p)
