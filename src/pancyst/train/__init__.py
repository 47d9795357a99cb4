"""Fine-tuning: LoRA on CPU or QLoRA on GPU from an audited SFT dataset, then export to GGUF.

Importing this package is cheap; torch, transformers, peft and trl load only when training starts.
"""

from pancyst.train.config import TrainConfig, load_config
from pancyst.train.cost import CostInputs, CostResult, compute

__all__ = ["CostInputs", "CostResult", "TrainConfig", "compute", "load_config"]
