"""QLoRA smoke check for a GPU machine: bitsandbytes 4-bit NF4 + LoRA through `pancyst train`'s own code path.

Builds a randomly initialised Gemma 3 (no weights, no hub), saves it, reloads it 4-bit through
``pancyst.train.sft.load_model`` (method: qlora), trains a few steps with TRL's SFTTrainer, and prints
steps/s and peak GPU memory as JSON. NOT RUN in this repository: no GPU was available (docs/training.md).

    pip install bitsandbytes==0.50.2   # plus a CUDA build of torch
    python bench/gpu_qlora_check.py --steps 20 --hidden 1024 --layers 8
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--hidden", type=int, default=1024)
    ap.add_argument("--layers", type=int, default=8)
    ap.add_argument("--seq", type=int, default=1024, help="Approximate tokens per example.")
    args = ap.parse_args()

    import torch

    if not torch.cuda.is_available():
        print(json.dumps({"error": "no CUDA device; this check needs a GPU"}))
        return 2
    import bitsandbytes  # noqa: F401  (fail early and clearly if missing)

    from pancyst.llm.prompt import CHAT_TEMPLATE_GEMMA
    from pancyst.train.config import TrainConfig
    from pancyst.train.sft import train
    from pancyst.train.tiny import tiny_gemma, tiny_tokenizer

    words = [
        "pancreatic",
        "cyst",
        "tail",
        "head",
        "uncinate",
        "septations",
        "mural",
        "nodule",
        "duct",
        "dilated",
        "millimetres",
    ]
    report = " ".join(words[i % len(words)] for i in range(args.seq // 2))
    completion = json.dumps({"answer": {"pcl_present": True, "size_mm": 23.0}})
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        tok = tiny_tokenizer([CHAT_TEMPLATE_GEMMA, report, completion], vocab_size=2000)
        tok.chat_template = CHAT_TEMPLATE_GEMMA
        model = tiny_gemma(len(tok), hidden=args.hidden, layers=args.layers)
        model.save_pretrained(base)
        tok.save_pretrained(base)
        del model
        data = Path(tmp) / "sft.jsonl"
        row = {
            "prompt": [{"role": "user", "content": report}],
            "completion": completion,
            "audit": {"ok": True},
        }
        data.write_text("".join(json.dumps({**row, "report_id": f"r{i}"}) + "\n" for i in range(8)))
        cfg = TrainConfig(
            name="gpu-qlora-check",
            base_model=str(base),
            train_data=str(data),
            output_dir=str(Path(tmp) / "out"),
            method="qlora",
            device="cuda",
            dtype="bfloat16",
            training={"max_steps": args.steps, "logging_steps": 1, "bf16": True, "max_length": 4 * args.seq},
            export={"lora_gguf": False},
        )
        torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        result = train(cfg)
        wall = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "device": torch.cuda.get_device_name(0),
                "steps": result.steps,
                "steps_per_s": round(result.steps / result.wall_s, 3) if result.wall_s else None,
                "wall_s_incl_load": round(wall, 1),
                "tokens_per_example": result.tokens_mean,
                "peak_gpu_mem_gib": round(torch.cuda.max_memory_allocated() / 2**30, 3),
                "loss_first_last": [result.first_loss, result.last_loss],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
