"""`pancyst train`: TRL SFTTrainer + PEFT LoRA (fp32, CPU) or QLoRA (4-bit NF4, GPU), loss on the completion.

bitsandbytes is imported only on the QLoRA path: it is not installed on CPU machines.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from pancyst.train.config import TrainConfig
from pancyst.train.data import balance, encode, encode_all, load_rows
from pancyst.train.model import gemma_chat_template, load_tokenizer, resolve_base

log = logging.getLogger(__name__)


class TrainResult(BaseModel):
    name: str
    base_model: str
    adapter_dir: str
    examples: int
    dropped_too_long: int
    steps: int
    wall_s: float
    s_per_step: float
    first_loss: float | None
    last_loss: float | None
    losses: list[tuple[int, float]] = Field(default_factory=list)
    tokens_mean: float
    device: str
    method: str
    exports: dict[str, str] = Field(default_factory=dict)


def _time_budget(minutes: float) -> Any:
    """A callback that ends training once ``minutes`` have passed (checked after each step)."""
    from transformers import TrainerCallback

    class _Budget(TrainerCallback):
        def __init__(self) -> None:
            self.start = time.perf_counter()

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
            if time.perf_counter() - self.start > minutes * 60:
                control.should_training_stop = True
            return control

    return _Budget()


def _device(cfg: TrainConfig) -> str:
    if cfg.device != "auto":
        return cfg.device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def load_model(cfg: TrainConfig, base: str, device: str) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[cfg.dtype]
    if cfg.method == "qlora":
        from peft import prepare_model_for_kbit_training
        from transformers import BitsAndBytesConfig  # needs bitsandbytes (GPU machines only)

        quant = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=dtype if dtype != torch.float32 else torch.bfloat16,
        )
        qmodel: Any = AutoModelForCausalLM.from_pretrained(
            base, quantization_config=quant, device_map={"": 0}
        )
        return prepare_model_for_kbit_training(
            qmodel, use_gradient_checkpointing=cfg.training.gradient_checkpointing
        )
    model: Any = AutoModelForCausalLM.from_pretrained(base, dtype=dtype)
    return model.to(device)


def train(cfg: TrainConfig, *, model: Any = None, tokenizer: Any = None) -> TrainResult:
    """Train one adapter as configured; ``model``/``tokenizer`` may be given (tests, tiny models)."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from trl import SFTConfig, SFTTrainer

    t = cfg.training
    if t.threads:
        torch.set_num_threads(t.threads)
    device = _device(cfg)
    if cfg.method == "qlora" and device != "cuda":
        raise RuntimeError("QLoRA needs a CUDA GPU; use method: lora on CPU")
    base = resolve_base(cfg.base_model) if model is None else cfg.base_model
    template = gemma_chat_template() if cfg.chat_template == "pancyst-gemma" else None
    if tokenizer is None:
        tokenizer = load_tokenizer(base, chat_template=template)
    elif template is not None:
        tokenizer.chat_template = template
    rows = load_rows(cfg.train_data, skip_rejected=cfg.skip_rejected)
    if t.balance_pcl:
        each = [encode(tokenizer, r, max_length=t.max_length) for r in rows]
        dropped = sum(e is None for e in each)
        encoded = balance(rows, each)
    else:
        encoded, dropped = encode_all(tokenizer, rows, max_length=t.max_length)
    if t.max_examples is not None:
        encoded = encoded[: t.max_examples]
    if not encoded:
        raise ValueError(
            f"no usable training rows in {cfg.train_data} ({dropped} longer than max_length {t.max_length})"
        )
    if dropped:
        log.warning("dropped %d examples longer than max_length=%d", dropped, t.max_length)
    train_ds = Dataset.from_list(encoded)
    eval_ds = None
    if cfg.eval_data:
        ev, _ = encode_all(
            tokenizer, load_rows(cfg.eval_data, skip_rejected=cfg.skip_rejected), max_length=t.max_length
        )
        eval_ds = Dataset.from_list(ev) if ev else None
    if model is None:
        model = load_model(cfg, base, device)
    peft_config: Any = None
    if cfg.init_adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, cfg.init_adapter, is_trainable=True)
    else:
        peft_config = LoraConfig(
            r=cfg.lora.r,
            lora_alpha=cfg.lora.alpha,
            lora_dropout=cfg.lora.dropout,
            target_modules=cfg.lora.target_modules,
            task_type="CAUSAL_LM",
        )
    out = Path(cfg.output_dir)
    args = SFTConfig(
        output_dir=str(out / "trainer"),
        use_cpu=device == "cpu",
        bf16=t.bf16,
        per_device_train_batch_size=t.batch_size,
        gradient_accumulation_steps=t.grad_accum,
        num_train_epochs=t.epochs,
        max_steps=t.max_steps,
        learning_rate=t.learning_rate,
        lr_scheduler_type=t.lr_scheduler,
        warmup_steps=t.warmup_ratio if t.warmup_ratio > 0 else 0,
        weight_decay=t.weight_decay,
        logging_steps=t.logging_steps,
        save_strategy="no",
        eval_strategy="epoch" if eval_ds is not None else "no",
        report_to=[],
        activation_checkpointing=t.gradient_checkpointing,
        seed=t.seed,
        max_length=t.max_length,
        completion_only_loss=True,
        disable_tqdm=True,
    )
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=eval_ds,
        processing_class=tokenizer,
        peft_config=peft_config,
        callbacks=[_time_budget(t.max_minutes)] if t.max_minutes else None,
    )
    start = time.perf_counter()
    trainer.train()
    wall = time.perf_counter() - start
    adapter_dir = out / "adapter"
    trained: Any = trainer.model
    trained.save_pretrained(str(adapter_dir))
    tokenizer.save_pretrained(str(adapter_dir))
    losses = [(int(h["step"]), float(h["loss"])) for h in trainer.state.log_history if "loss" in h]
    steps = int(trainer.state.global_step)
    result = TrainResult(
        name=cfg.name,
        base_model=base,
        adapter_dir=str(adapter_dir),
        examples=len(encoded),
        dropped_too_long=dropped,
        steps=steps,
        wall_s=round(wall, 1),
        s_per_step=round(wall / max(steps, 1), 2),
        first_loss=losses[0][1] if losses else None,
        last_loss=losses[-1][1] if losses else None,
        losses=losses,
        tokens_mean=round(sum(len(e["input_ids"]) for e in encoded) / len(encoded), 1),
        device=device,
        method=cfg.method,
    )
    (out / "train_result.json").write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (out / "config.json").write_text(
        json.dumps(cfg.model_dump(mode="json"), indent=2) + "\n", encoding="utf-8"
    )
    return result


def export(cfg: TrainConfig, result: TrainResult) -> dict[str, str]:
    """The exports the config asks for; paths by kind. Each step is independent of the others' success."""
    from pancyst.train import export as ex

    out = Path(cfg.output_dir)
    adapter = Path(result.adapter_dir)
    done: dict[str, str] = {}
    template = gemma_chat_template() if cfg.chat_template == "pancyst-gemma" else None
    if cfg.export.lora_gguf:
        lora = ex.lora_to_gguf(adapter, Path(result.base_model), out / f"{cfg.name}-lora.gguf")
        done["lora_gguf"] = str(lora)
        if cfg.export.copy_lora_gguf_to:
            done["lora_gguf_copy"] = str(ex.copy(lora, Path(cfg.export.copy_lora_gguf_to)))
    if cfg.export.merged or cfg.export.merged_gguf != "none":
        merged = ex.merge(adapter, result.base_model, out / "merged", chat_template=template)
        done["merged"] = str(merged)
        if cfg.export.merged_gguf != "none":
            gguf = ex.hf_to_gguf(
                merged, out / f"{cfg.name}-{cfg.export.merged_gguf}.gguf", outtype=cfg.export.merged_gguf
            )
            done["merged_gguf"] = str(gguf)
    result.exports = done
    (out / "train_result.json").write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return done
