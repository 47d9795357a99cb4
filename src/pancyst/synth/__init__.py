"""Synthetic abdominal CT/MRI/MRCP reports with gold labels (``pancyst synth``)."""

from pancyst.synth.generator import MIXES, generate, generate_report, split_for, summarize, write_corpus

__all__ = ["MIXES", "generate", "generate_report", "split_for", "summarize", "write_corpus"]
