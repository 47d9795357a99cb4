"""In-process llama.cpp (llama-cpp-python): a GGUF file, optional LoRA GGUF, JSON-schema grammar.

llama-cpp-python 0.3.36's schema->GBNF converter lets raw control characters into strings
(``char ::= [^"\\]``), which yields JSON that no parser accepts; :func:`schema_grammar` fixes
that rule before compiling the grammar.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from pancyst.llm.providers.base import (
    Completion,
    ContextOverflow,
    LLMError,
    LLMTimeout,
    Messages,
    Provider,
    check_finish,
)

_BAD_CHAR_RULE = 'char ::= [^"\\\\]'
_FIXED_CHAR_RULE = 'char ::= [^"\\\\\\x7F\\x00-\\x1F]'


def schema_gbnf(schema: dict[str, Any]) -> str:
    """GBNF for ``schema`` with the control-character fix applied (raises if the rule moved)."""
    from llama_cpp import llama_grammar

    gbnf: str = llama_grammar.json_schema_to_gbnf(json.dumps(schema))
    if _BAD_CHAR_RULE not in gbnf:
        if _FIXED_CHAR_RULE in gbnf:
            return gbnf
        raise RuntimeError("llama-cpp-python's GBNF 'char' rule changed; re-check the control-character fix")
    return gbnf.replace(_BAD_CHAR_RULE, _FIXED_CHAR_RULE)


class _Deadline:
    """A logits processor that aborts generation past a deadline (llama.cpp has no timeout of its own)."""

    def __init__(self, seconds: float | None) -> None:
        self.until = time.monotonic() + seconds if seconds else None

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self.until is not None and time.monotonic() > self.until:
            raise LLMTimeout("generation exceeded the timeout")
        return scores


class LlamaCppProvider(Provider):
    """Runs one GGUF model in this process; one request at a time."""

    max_concurrency = 1

    def __init__(
        self,
        model_path: str | Path,
        *,
        name: str | None = None,
        lora_path: str | Path | None = None,
        chat_template: str | None = None,
        bos_token: str = "<bos>",
        eos_token: str = "<end_of_turn>",
        n_ctx: int = 4096,
        n_threads: int | None = None,
        temperature: float = 0.0,
        seed: int = 0,
        timeout_s: float | None = 300.0,
    ) -> None:
        from llama_cpp import Llama
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        path = Path(model_path)
        if not path.is_file():
            raise FileNotFoundError(f"GGUF model not found: {path}")
        if lora_path is not None and not Path(lora_path).is_file():
            raise FileNotFoundError(f"LoRA GGUF not found: {lora_path}")
        handler = None
        if chat_template is not None:
            handler = Jinja2ChatFormatter(
                template=chat_template, eos_token=eos_token, bos_token=bos_token
            ).to_chat_handler()
        self.model = name or path.name
        self.model_path = path
        self.lora_path = Path(lora_path) if lora_path else None
        self.temperature = temperature
        self.seed = seed
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._grammars: dict[str, Any] = {}
        self.llm: Any = Llama(
            model_path=str(path),
            lora_path=str(lora_path) if lora_path else None,
            n_ctx=n_ctx,
            n_threads=n_threads,
            seed=seed,
            chat_handler=handler,
            verbose=False,
        )

    def grammar(self, schema: dict[str, Any]) -> Any:
        from llama_cpp import LlamaGrammar

        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            self._grammars[key] = LlamaGrammar.from_string(schema_gbnf(schema), verbose=False)
        return self._grammars[key]

    def complete(self, messages: Messages, *, schema: dict[str, Any], max_tokens: int) -> Completion:
        from llama_cpp import LogitsProcessorList

        started = time.perf_counter()
        with self._lock:
            try:
                result = self.llm.create_chat_completion(
                    messages=messages,
                    grammar=self.grammar(schema),
                    max_tokens=max_tokens,
                    temperature=self.temperature,
                    repeat_penalty=1.0,  # quotes repeat report text on purpose
                    seed=self.seed,
                    logits_processor=LogitsProcessorList([_Deadline(self.timeout_s)]),
                )
            except LLMError:
                raise
            except ValueError as exc:
                if "context window" in str(exc):
                    raise ContextOverflow(str(exc)[:200]) from exc
                raise LLMError(f"llama.cpp: {str(exc)[:200]}") from exc
        choice = result["choices"][0]
        usage = result.get("usage") or {}
        return check_finish(
            Completion(
                text=choice["message"].get("content") or "",
                model=self.model,
                tokens_in=usage.get("prompt_tokens"),
                tokens_out=usage.get("completion_tokens"),
                finish_reason=choice.get("finish_reason"),
                latency_s=time.perf_counter() - started,
            )
        )

    def close(self) -> None:
        llm, self.llm = self.llm, None
        if llm is not None:
            llm.close()  # avoids the noisy Llama.__del__ at interpreter exit

    def describe(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "path": str(self.model_path),
            "lora": str(self.lora_path) if self.lora_path else None,
        }
