"""Adapter -> merged 16-bit model -> GGUF, with llama.cpp's own converters.

The converters come from the pinned ``llama-cpp-python==0.3.36`` sdist, unpacked under
``third_party/`` at setup time (``make setup-ml`` / ``bench/cpu_finetune.sh``), never fetched at run time.
A 4-bit re-quantization of a small merged model is refused: it destroyed the fine-tune when tried.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

LLAMA_CPP_SDIST = "llama_cpp_python-0.3.36"
FETCH_HINT = (
    "pip download --no-deps --no-binary=:all: -d third_party llama-cpp-python==0.3.36 && "
    "tar xzf third_party/llama_cpp_python-0.3.36.tar.gz -C third_party "
    "--wildcards '*/vendor/llama.cpp/convert_*.py' '*/vendor/llama.cpp/conversion/*' '*/vendor/llama.cpp/gguf-py/*'"
)


class ConverterMissing(RuntimeError):
    pass


def converters_dir() -> Path:
    """``$PANCYST_LLAMACPP_DIR`` or ``third_party/llama_cpp_python-0.3.36/vendor/llama.cpp`` (cwd, then repo)."""
    env = os.environ.get("PANCYST_LLAMACPP_DIR")
    candidates = [Path(env)] if env else []
    rel = Path("third_party") / LLAMA_CPP_SDIST / "vendor" / "llama.cpp"
    candidates += [Path.cwd() / rel, Path(__file__).resolve().parents[3] / rel]
    for c in candidates:
        if (c / "convert_lora_to_gguf.py").exists():
            return c
    raise ConverterMissing(f"llama.cpp converters not found; set PANCYST_LLAMACPP_DIR or run: {FETCH_HINT}")


def _run(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
        raise RuntimeError(f"{Path(args[0]).name} failed (exit {proc.returncode}):\n{tail}")


def lora_to_gguf(adapter_dir: Path, base_dir: Path, out: Path, *, outtype: str = "f16") -> Path:
    """A LoRA GGUF (a few MB) to load beside the original base GGUF (llama.cpp ``--lora``)."""
    script = converters_dir() / "convert_lora_to_gguf.py"
    out.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [str(script), "--base", str(base_dir), "--outtype", outtype, "--outfile", str(out), str(adapter_dir)]
    )
    return out


def merge(adapter_dir: Path, base_dir: str, out: Path, *, chat_template: str | None = None) -> Path:
    """Merge the adapter into the 16-bit (or fp32) base and save an HF checkpoint with its chat template."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)
    merged = PeftModel.from_pretrained(base, str(adapter_dir)).merge_and_unload()
    merged.save_pretrained(str(out))
    tok = AutoTokenizer.from_pretrained(str(adapter_dir))
    if chat_template is not None:
        tok.chat_template = chat_template
    tok.save_pretrained(str(out))
    return out


def hf_to_gguf(model_dir: Path, out: Path, *, outtype: str = "q8_0") -> Path:
    if outtype not in ("q8_0", "f16", "bf16", "f32"):
        raise ValueError(
            f"refusing outtype {outtype!r}: 4-bit re-quantization of a small merged model destroys the fine-tune"
        )
    script = converters_dir() / "convert_hf_to_gguf.py"
    out.parent.mkdir(parents=True, exist_ok=True)
    _run([str(script), str(model_dir), "--outtype", outtype, "--outfile", str(out)])
    return out


def copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst
