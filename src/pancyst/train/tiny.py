"""A tiny randomly initialised Gemma 3 and a tokenizer trained on the fly: exercises the training,
saving and export code paths in seconds (CI smoke tests, GPU checks) without real weights or a hub.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

SPECIAL = ["<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>"]


def tiny_tokenizer(corpus: Iterable[str], *, vocab_size: int = 600) -> Any:
    """A byte-level BPE trained on ``corpus`` with Gemma's special tokens, so the Gemma chat template works."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(corpus), trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<bos>",
        eos_token="<eos>",
        pad_token="<pad>",
        unk_token="<unk>",
        extra_special_tokens=["<start_of_turn>", "<end_of_turn>"],
    )


def tiny_gemma(
    vocab_size: int, *, hidden: int = 64, layers: int = 2, seed: int = 0, init_range: float = 0.02
) -> Any:
    """A randomly initialised Gemma3ForCausalLM with the real architecture (sliding + global attention)."""
    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    torch.manual_seed(seed)
    config = Gemma3TextConfig(
        vocab_size=vocab_size,
        hidden_size=hidden,
        intermediate_size=hidden * 2,
        num_hidden_layers=layers,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=hidden // 2,
        max_position_embeddings=4096,
        sliding_window=128,
        pad_token_id=0,
        eos_token_id=1,
        bos_token_id=2,
        initializer_range=init_range,
    )
    return Gemma3ForCausalLM(config)
