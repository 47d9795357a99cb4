"""The shipped LoRA GGUF (bench/cpu_finetune.sh) is a small Gemma 3 adapter that llama.cpp can load."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlstack import require

ADAPTER = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "pancyst"
    / "llm"
    / "adapters"
    / "pancyst-gemma-270m-lora.gguf"
)


def test_shipped_adapter_is_a_gemma3_lora() -> None:
    if not ADAPTER.exists():
        pytest.skip("adapter not built yet (bench/cpu_finetune.sh)")
    require("gguf")
    from gguf import GGUFReader

    assert ADAPTER.stat().st_size < 20 * 2**20  # a few MB, fit for the repository
    reader = GGUFReader(str(ADAPTER))

    def field(name: str) -> bytes:
        return bytes(reader.fields[name].parts[-1])

    assert field("general.type") == b"adapter"
    assert field("adapter.type") == b"lora"
    assert field("general.architecture") == b"gemma3"
    names = {t.name for t in reader.tensors}
    # r=16 on every attention and MLP projection of all 18 layers: 7 modules x 2 matrices x 18
    assert len(names) == 7 * 2 * 18
    assert "blk.17.ffn_down.weight.lora_b" in names
