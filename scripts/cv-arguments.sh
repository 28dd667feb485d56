#!/usr/bin/env bash
# Cross-validation of the attack-argument model by document: the WikiEvents
# train split in 5 shards (the shard `extract --shard I/5` keeps); for each,
# a model trained on the other four plus RAMS with the shipped recipe
# (scripts/train-default-models.sh arguments), its extraction of the held
# shard, and the pooled predictions scored with `eval incidents --split train`.
# Not run by CI (12-18 minutes a fold on 2 cores).
# Usage: scripts/cv-arguments.sh [WORK_DIR]   (then only the scoring:  SCORE_ONLY=1 ...)
set -euo pipefail
cd "$(dirname "$0")/.."
W=../shared/corpus/wikievents
WORK=${1:-/tmp/newsner-cv}
N=target/release/newsner
K=5
mkdir -p "$WORK"
if [ -z "${SCORE_ONLY:-}" ]; then
  for i in $(seq 0 $((K - 1))); do
    if [ ! -f "$WORK/fold$i/model.safetensors" ]; then
      HOLDOUT="$i/$K" OUT="$WORK/fold$i" scripts/train-default-models.sh arguments
    fi
  done
fi
for i in $(seq 0 $((K - 1))); do
  $N extract -q $W/wikievents_train_text.jsonl --shard "$i/$K" --arguments="$WORK/fold$i" -o "$WORK/pred$i.jsonl" ${EXTRACT_FLAGS:-}
done
cat "$WORK"/pred[0-9].jsonl > "$WORK/pooled.jsonl"
$N eval incidents --wikievents $W --pred "$WORK/pooled.jsonl" --split train | tee "$WORK/cv.txt"
