"""Command lines for serving a model over the OpenAI API on 127.0.0.1 (the client path is the same).

``llama_cpp.server``'s own ``gemma`` chat format drops the system message, so for Gemma we hand
it our template through a tokenizer-config file (``--chat_format hf-tokenizer-config``).
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from pancyst.llm.models import PACKAGED, ResolvedModel, pancyst_home, resolve
from pancyst.llm.prompt import CHAT_TEMPLATE_GEMMA, GEMMA_STOP

DEFAULT_PORT = 8011


def write_gemma_template_files(directory: Path | None = None) -> tuple[Path, Path]:
    """The Gemma chat template as a jinja file (llama-server, vLLM) and an HF tokenizer config (llama_cpp.server)."""
    directory = directory or pancyst_home() / "templates"
    directory.mkdir(parents=True, exist_ok=True)
    jinja = directory / "gemma_chat_template.jinja"
    jinja.write_text(CHAT_TEMPLATE_GEMMA, encoding="utf-8")
    config = directory / "gemma_tokenizer_config.json"
    config.write_text(
        json.dumps({"chat_template": CHAT_TEMPLATE_GEMMA, "bos_token": "<bos>", "eos_token": GEMMA_STOP}),
        encoding="utf-8",
    )
    return jinja, config


def llamacpp_command(
    model: str,
    *,
    port: int = DEFAULT_PORT,
    lora: str | None = None,
    n_ctx: int = 4096,
    n_threads: int | None = None,
    alias: str | None = None,
    template_dir: Path | None = None,
) -> list[str]:
    """``python -m llama_cpp.server`` bound to 127.0.0.1 (accepts json_object + schema, not json_schema)."""
    resolved: ResolvedModel = resolve(model, lora=lora)
    cmd = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(resolved.path),
        "--model_alias", alias or resolved.name,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", str(n_ctx),
    ]  # fmt: skip
    if n_threads:
        cmd += ["--n_threads", str(n_threads)]
    if resolved.lora_path is not None:
        cmd += ["--lora_path", str(resolved.lora_path)]
    if resolved.chat_template is not None:
        _, config = write_gemma_template_files(template_dir)
        cmd += ["--chat_format", "hf-tokenizer-config", "--hf_tokenizer_config_path", str(config)]
    return cmd


def vllm_command(
    model: str,
    *,
    port: int = 8000,
    lora: str | None = None,
    served_name: str | None = None,
    template_dir: Path | None = None,
) -> list[str]:
    """``vllm serve`` with the shared chat template, an optional LoRA and xgrammar structured outputs.

    ``model`` is an HF model directory or hub name (vLLM's GGUF support needs a matching
    tokenizer); ``lora`` is a PEFT adapter directory (vLLM does not load LoRA GGUF files).
    """
    packaged = PACKAGED.get(model)
    if packaged is not None:
        raise ValueError(
            f"{model!r} is a packaged GGUF; vLLM serves HF checkpoints: pass the HF directory made by "
            "`pancyst train` (or a hub name) and --lora with the PEFT adapter directory"
        )
    cmd = ["vllm", "serve", model, "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--served-model-name", served_name or Path(model).name or model]
    if "gemma" in model.lower():
        jinja, _ = write_gemma_template_files(template_dir)
        cmd += ["--chat-template", str(jinja)]
    cmd += ["--structured-outputs-config", json.dumps({"backend": "xgrammar"})]
    if lora:
        cmd += ["--enable-lora", "--max-lora-rank", "16", "--lora-modules", f"pancyst={lora}"]
    return cmd


def shell(cmd: list[str]) -> str:
    return " ".join(shlex.quote(part) for part in cmd)
