from __future__ import annotations

import json
from pathlib import Path

import pytest

from pancyst.llm import models, server
from pancyst.llm.models import PACKAGED, ModelNotAvailable, prompt_style_for, resolve
from pancyst.llm.prompt import CHAT_TEMPLATE_GEMMA


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PANCYST_HOME", str(tmp_path))
    return tmp_path


def test_registry_names_kinds_licences() -> None:
    assert {m.name: m.kind for m in PACKAGED.values()} == {
        "gemma-270m": "base",
        "smollm2-135m": "instruct",
        "pancyst-gemma-270m": "fine-tuned",
    }
    assert (
        "Gemma Terms of Use" in PACKAGED["gemma-270m"].licence
        and PACKAGED["smollm2-135m"].licence == "Apache-2.0"
    )


def test_fine_tuned_model_is_served_with_the_prompt_it_was_trained_on() -> None:
    assert prompt_style_for("pancyst-gemma-270m") == "short"
    assert [prompt_style_for(n) for n in ("gemma-270m", "smollm2-135m", "gpt-4o", None)] == ["full"] * 4


def test_gemma_needs_fetch_then_adapter(home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert PACKAGED["gemma-270m"].status().startswith(("not fetched", "not installed"))
    (home / "models").mkdir()
    (home / "models" / models.GEMMA_FILE).write_bytes(b"GGUF")
    assert PACKAGED["gemma-270m"].status() == "installed"
    monkeypatch.setattr(models, "adapters_dir", lambda: tmp_path / "no-adapters")
    assert PACKAGED["pancyst-gemma-270m"].status().startswith("not built yet")
    with pytest.raises(ModelNotAvailable, match="not built yet"):
        resolve("pancyst-gemma-270m")
    resolved = resolve("gemma-270m")
    assert resolved.chat_template == CHAT_TEMPLATE_GEMMA and resolved.lora_path is None


def test_gguf_paths_and_unknown_names(tmp_path: Path) -> None:
    gguf = tmp_path / "my-gemma-q8.gguf"
    gguf.write_bytes(b"GGUF")
    assert resolve(str(gguf)).chat_template == CHAT_TEMPLATE_GEMMA
    with pytest.raises(ModelNotAvailable, match="neither a packaged model"):
        resolve("gpt-4o")


def test_llamacpp_command_for_gemma(home: Path) -> None:
    (home / "models").mkdir()
    (home / "models" / models.GEMMA_FILE).write_bytes(b"GGUF")
    lora = home / "a.gguf"
    lora.write_bytes(b"x")
    cmd = server.llamacpp_command("gemma-270m", port=8123, lora=str(lora))
    assert cmd[1:3] == ["-m", "llama_cpp.server"]
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "8123"
    assert cmd[cmd.index("--lora_path") + 1] == str(lora)
    config = json.loads(Path(cmd[cmd.index("--hf_tokenizer_config_path") + 1]).read_text())
    assert config["chat_template"] == CHAT_TEMPLATE_GEMMA and config["bos_token"] == "<bos>"


def test_vllm_command(home: Path) -> None:
    cmd = server.vllm_command("out/gemma-270m-hf", lora="out/adapter")
    assert cmd[:3] == ["vllm", "serve", "out/gemma-270m-hf"]
    assert "--enable-lora" in cmd and "pancyst=out/adapter" in cmd and "--chat-template" in cmd
    assert json.loads(cmd[cmd.index("--structured-outputs-config") + 1]) == {"backend": "xgrammar"}
    with pytest.raises(ValueError, match="HF checkpoints"):
        server.vllm_command("gemma-270m")


def test_gbnf_control_character_fix() -> None:
    pytest.importorskip("llama_cpp")
    from pancyst.llm.output import output_json_schema
    from pancyst.llm.providers.llamacpp import schema_gbnf

    gbnf = schema_gbnf(output_json_schema())
    assert 'char ::= [^"\\\\\\x7F\\x00-\\x1F]' in gbnf and 'char ::= [^"\\\\] ' not in gbnf
