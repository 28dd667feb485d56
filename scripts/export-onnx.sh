#!/usr/bin/env bash
# Writes MODEL_DIR/model.int8.onnx (default models/ner-conll-minilm) from the
# folder's safetensors: the graph `--precision int8` runs through ONNX
# Runtime. See scripts/export_onnx.py for how; about ten seconds.
#   scripts/export-onnx.sh [MODEL_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --onnx-export
.venv/bin/python scripts/export_onnx.py "${1:-models/ner-conll-minilm}"
