#!/usr/bin/env bash
# The CPU proof (docs/training.md): synthetic CoT data -> LoRA on the packaged Gemma 3 270M (CPU)
# -> LoRA GGUF shipped at src/pancyst/llm/adapters/ -> zero-shot vs fine-tuned on synthetic dev reports.
# Usage: bench/cpu_finetune.sh [N_DEV]   (env: N_REPORTS, SEED, THREADS; the time budget is in the config)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
N_DEV=${1:-40}
THREADS=${THREADS:-2}
N_REPORTS=${N_REPORTS:-3000}
SEED=${SEED:-11}
OUT=out/train
mkdir -p "$OUT"
T0=$(date +%s)
stamp() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

# Setup-time fetch of llama.cpp's converters (pinned sdist; never done at run time by pancyst itself).
LCPP=third_party/llama_cpp_python-0.3.36/vendor/llama.cpp
if [ ! -f "$LCPP/convert_lora_to_gguf.py" ]; then
  mkdir -p third_party
  [ -f third_party/llama_cpp_python-0.3.36.tar.gz ] || \
    $BIN/pip download --no-deps --no-binary=:all: -d third_party llama-cpp-python==0.3.36
  tar xzf third_party/llama_cpp_python-0.3.36.tar.gz -C third_party \
    --wildcards '*/vendor/llama.cpp/convert_*.py' '*/vendor/llama.cpp/conversion/*' '*/vendor/llama.cpp/gguf-py/*'
fi

stamp "synthetic corpus ($N_REPORTS reports, seed $SEED, balanced mix)"
$BIN/pancyst synth --n "$N_REPORTS" --seed "$SEED" --mix balanced -o "$OUT/corpus.jsonl"

stamp "label: gold teacher, CoT, short student prompt, audited, compared with rules"
$BIN/pancyst label "$OUT/corpus.jsonl" --split train --teacher gold --prompt short -o "$OUT/sft-train-short.jsonl"

stamp "train (LoRA r=16, fp32, CPU, PCL-balanced, <= 48 min; exports and ships the LoRA GGUF)"
$BIN/pancyst train configs/train/gemma-270m-cpu.yaml

stamp "evaluate zero-shot base vs fine-tuned on the first $N_DEV dev reports"
$BIN/python - "$OUT/corpus.jsonl" "$OUT/dev.jsonl" "$N_DEV" <<'PY'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
dev = [r for r in rows if r["split"] == "dev"][:n]
open(dst, "w", encoding="utf-8").write("".join(json.dumps(r) + "\n" for r in dev))
PY
for MODEL in gemma-270m pancyst-gemma-270m; do
  stamp "extract with $MODEL"
  $BIN/pancyst extract "$OUT/dev.jsonl" --backend llm --model "$MODEL" --option n_threads="$THREADS" --option cache=false \
    --option max_tokens=700 -o "$OUT/pred-$MODEL.jsonl" || true
  $BIN/pancyst evaluate --gold "$OUT/dev.jsonl" --pred "$OUT/pred-$MODEL.jsonl" -o "$OUT/eval-$MODEL" --n-boot 200 || true
done
stamp "rules backend on the same reports (reference)"
$BIN/pancyst extract "$OUT/dev.jsonl" --backend rules -o "$OUT/pred-rules.jsonl"
$BIN/pancyst evaluate --gold "$OUT/dev.jsonl" --pred "$OUT/pred-rules.jsonl" -o "$OUT/eval-rules" --n-boot 200
stamp "done"
