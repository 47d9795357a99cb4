"""The training configuration (one YAML file per run), validated before any heavy import.

Hub model names appear only here, in configuration: nothing in code or tests downloads a model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pancyst.resources import load_yaml

DEFAULT_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


class _Cfg(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoraSettings(_Cfg):
    r: int = Field(default=16, ge=1)
    alpha: int = Field(default=32, ge=1)
    dropout: float = Field(default=0.05, ge=0, lt=1)
    target_modules: list[str] = Field(default_factory=lambda: list(DEFAULT_TARGETS))


class TrainingSettings(_Cfg):
    epochs: float = Field(default=1.0, gt=0)
    max_steps: int = Field(default=-1, description="> 0 overrides epochs (CPU smoke runs).")
    learning_rate: float = Field(default=2e-4, gt=0)
    batch_size: int = Field(default=1, ge=1)
    grad_accum: int = Field(default=1, ge=1)
    max_length: int = Field(default=1024, ge=16, description="Longer examples are dropped, never truncated.")
    warmup_ratio: float = Field(default=0.03, ge=0, lt=1)
    lr_scheduler: str = "linear"
    weight_decay: float = Field(default=0.0, ge=0)
    seed: int = 0
    logging_steps: int = Field(default=5, ge=1)
    gradient_checkpointing: bool = False  # measured on CPU: off is ~25% faster at this size
    bf16: bool = False
    threads: int | None = Field(default=None, description="torch CPU threads; None leaves torch's default.")
    max_examples: int | None = Field(
        default=None, description="Use at most this many training rows (after filters)."
    )
    balance_pcl: bool = Field(
        default=False,
        description="Alternate reports with and without a PCL (downsampling the larger group): a length cap "
        "otherwise keeps mostly short no-PCL reports.",
    )
    max_minutes: float | None = Field(
        default=None, gt=0, description="Stop after this much training time (CPU budgets)."
    )


class ExportSettings(_Cfg):
    lora_gguf: bool = Field(default=True, description="Base + f16 LoRA GGUF via convert_lora_to_gguf.py.")
    merged: bool = Field(
        default=False, description="Merge the adapter into the 16-bit base and save HF weights."
    )
    merged_gguf: Literal["none", "q8_0", "f16", "bf16"] = Field(
        default="none",
        description="GGUF of the merged model. Never 4-bit: re-quantizing a small merged model destroyed the fine-tune.",
    )
    copy_lora_gguf_to: str | None = Field(
        default=None, description="Also copy the LoRA GGUF here (e.g. the packaged adapter)."
    )


class TrainConfig(_Cfg):
    name: str
    base_model: str = Field(
        description="'gemma-270m' (packaged, converted once from GGUF), a local HF dir, or a hub id."
    )
    chat_template: Literal["pancyst-gemma", "model"] = Field(
        default="pancyst-gemma",
        description="pancyst-gemma: the template shared with serving; model: the tokenizer's own.",
    )
    train_data: str = Field(description="SFT JSONL from `pancyst label`.")
    eval_data: str | None = None
    skip_rejected: bool = Field(default=True, description="Drop rows whose label audit failed.")
    init_adapter: str | None = Field(
        default=None, description="Continue training this saved adapter (CPU budgets)."
    )
    output_dir: str
    method: Literal["lora", "qlora"] = "lora"
    device: Literal["cpu", "cuda", "auto"] = "cpu"
    dtype: Literal["float32", "bfloat16", "float16"] = "float32"
    lora: LoraSettings = Field(default_factory=LoraSettings)
    training: TrainingSettings = Field(default_factory=TrainingSettings)
    export: ExportSettings = Field(default_factory=ExportSettings)

    @model_validator(mode="after")
    def _consistent(self) -> TrainConfig:
        if self.method == "qlora" and self.device == "cpu":
            raise ValueError("method qlora needs a GPU (device cuda/auto); use method lora on CPU")
        if self.device == "cpu" and (self.training.bf16 or self.dtype != "float32"):
            raise ValueError("on CPU train in float32 with bf16 false (SFTConfig use_cpu=True)")
        return self

    def resolve(self, base: Path) -> TrainConfig:
        """Paths in the file are relative to the file's folder (or absolute)."""

        def fix(p: str | None) -> str | None:
            if p is None:
                return None
            q = Path(p).expanduser()
            return str(q if q.is_absolute() else (base / q))

        upd: dict[str, object] = {"train_data": fix(self.train_data), "output_dir": fix(self.output_dir)}
        upd["eval_data"] = fix(self.eval_data)
        upd["init_adapter"] = fix(self.init_adapter)
        if Path(self.base_model).expanduser().exists() or self.base_model.startswith((".", "/", "~")):
            upd["base_model"] = fix(self.base_model)
        export = self.export.model_copy(update={"copy_lora_gguf_to": fix(self.export.copy_lora_gguf_to)})
        upd["export"] = export
        return self.model_copy(update=upd)


def load_config(path: str | Path, *, relative_to: Path | None = None) -> TrainConfig:
    """Read and validate a YAML config; relative paths resolve against ``relative_to`` (default: cwd)."""
    p = Path(path)
    data = load_yaml(p.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{p}: expected a mapping at the top level")
    cfg = TrainConfig.model_validate(data)
    return cfg.resolve(relative_to if relative_to is not None else Path.cwd())
