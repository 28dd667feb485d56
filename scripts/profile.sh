#!/usr/bin/env bash
# Where the time of `newsner extract --ner-only` goes (the throughput issue):
# `perf record` over the first N BBC articles for each --precision, then the
# samples grouped by what the code does. Needs perf (linux-tools) and
# ../shared/corpus/bulk/bbc.jsonl. usage: scripts/profile.sh [N] [PRECISION...]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}; shift || true
PRECISIONS=${*:-"fp32-fast int8"}
BBC=${BBC:-../shared/corpus/bulk/bbc.jsonl}
OUT=${OUT:-out/profile}
BIN=target/release/newsner
command -v perf > /dev/null || { echo "profile: perf not found" >&2; exit 2; }
[ -x "$BIN" ] || { echo "profile: build first (make build)" >&2; exit 2; }
mkdir -p "$OUT"
head -n "$N" "$BBC" > "$OUT/bbc$N.jsonl"
for p in $PRECISIONS; do
  perf record -F 999 -o "$OUT/$p.data" -- "$BIN" extract "$OUT/bbc$N.jsonl" --ner-only --precision "$p" \
    --threads 2 --quiet -o /dev/null 2> "$OUT/$p.stderr" > /dev/null
  grep -h "articles/s" "$OUT/$p.stderr" | sed "s/^/$p: /"
  perf report -i "$OUT/$p.data" --no-children --sort dso,symbol --stdio 2> /dev/null > "$OUT/$p.report"
  python3 - "$OUT/$p.report" "$p" <<'PY'
import re, sys
# (group, patterns on "dso symbol"); first match wins
GROUPS = [
    ("JIT-generated GEMM kernels (fbgemm int8; oneDNN in fp32)", r"^\[JIT\]"),
    ("int8 activation (re)quantisation (fbgemm FindMinMax, Quantize, requantize)", r"fbgemm"),
    ("fp32 GEMM (oneDNN/MKL sgemm)", r"sgemm|gemm|mkl_blas|dnnl|jit_avx512|brgemm"),
    ("attention (scaled_dot_product, softmax)", r"attention|softmax|flash"),
    ("layer norm", r"layer_norm|LayerNorm"),
    ("GELU and other element-wise ops", r"gelu|GeluKernel|vectorized_loop|binary_kernel|unary|add_kernel|mul_kernel|copy_|Vectorized|cpu_kernel|index|embedding"),
    ("OpenMP wait/spin (threads idle)", r"libgomp|gomp|omp_|kmp|__sched_yield|futex"),
    ("tokenizer, text, JSON (newsner and tokenizers)", r"newsner|tokenizers|serde|regex|onig|unicode|aho"),
    ("memory (malloc, free, page faults, memset/memcpy)", r"malloc|free|memset|memcpy|memmove|page|mmap|cfree|_int_"),
    ("libtorch dispatch and other framework overhead", r"c10::|at::|torch::|Dispatch|TensorImpl|intrusive"),
]
tot, by = 0.0, {}
for line in open(sys.argv[1]):
    m = re.match(r"\s+([\d.]+)%\s+(.+?)\s+\[.\]\s+(.*)", line)
    if not m:
        continue
    pct, dso, sym = float(m.group(1)), m.group(2), m.group(3)
    tot += pct
    key = next((g for g, pat in GROUPS if re.search(pat, dso + " " + sym, re.I)), "other (kernel, libc, unresolved)")
    by[key] = by.get(key, 0.0) + pct
print(f"{sys.argv[2]}: share of CPU samples ({tot:.1f} % classified)")
for g, v in sorted(by.items(), key=lambda kv: -kv[1]):
    print(f"  {v:5.1f} %  {g}")
PY
done
echo "full reports: $OUT/*.report (perf report --stdio)"
