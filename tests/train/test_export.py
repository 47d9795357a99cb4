"""Export: a LoRA adapter becomes a LoRA GGUF that llama.cpp recognises; 4-bit merges are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlstack import require
from pancyst.train import export as ex


def test_four_bit_merged_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="destroys the fine-tune"):
        ex.hf_to_gguf(tmp_path, tmp_path / "x.gguf", outtype="q4_k_m")


def test_missing_converters_say_how_to_fetch_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANCYST_LLAMACPP_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ex, "__file__", str(tmp_path / "a" / "b" / "c" / "export.py"))
    with pytest.raises(ex.ConverterMissing, match="pip download --no-deps --no-binary=:all:"):
        ex.converters_dir()


@pytest.mark.train
def test_tiny_lora_to_gguf(tmp_path: Path) -> None:
    for mod in ("torch", "transformers", "peft", "gguf"):
        require(mod)
    try:
        ex.converters_dir()
    except ex.ConverterMissing:
        if os.environ.get("PANCYST_REQUIRE_ML") == "1":
            raise
        pytest.skip("llama.cpp converters not unpacked under third_party/ (see docs/training.md)")
    from gguf import GGUFReader
    from peft import LoraConfig, get_peft_model

    from pancyst.train.tiny import tiny_gemma, tiny_tokenizer

    tok = tiny_tokenizer(["a tiny corpus for a tiny tokenizer"], vocab_size=300)
    model = tiny_gemma(len(tok))
    base = tmp_path / "base"
    model.save_pretrained(base)
    tok.save_pretrained(base)
    peft = get_peft_model(
        model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM")
    )
    peft.save_pretrained(tmp_path / "adapter")
    out = ex.lora_to_gguf(tmp_path / "adapter", base, tmp_path / "lora.gguf")
    reader = GGUFReader(str(out))
    assert bytes(reader.fields["general.type"].parts[-1]) == b"adapter"
    names = {t.name for t in reader.tensors}
    assert {"blk.0.attn_q.weight.lora_a", "blk.0.attn_q.weight.lora_b", "blk.1.attn_v.weight.lora_b"} <= names
