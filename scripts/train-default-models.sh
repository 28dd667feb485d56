#!/usr/bin/env bash
# Reproduces the shipped NER model (and the no-casing comparison run) from
# ../shared's CoNLL-2003 files. Not run by CI: it takes about 20 minutes per
# run on 2 cores. Usage: scripts/train-default-models.sh [ner|nocase|all]
set -euo pipefail
cd "$(dirname "$0")/.."
C=../shared/corpus/conll2003
NOTE="CoNLL-2003 English (Reuters RCV1, research use only; the data is not redistributed here), train split for training, dev split for epoch selection."
what=${1:-all}
if [ "$what" = ner ] || [ "$what" = all ]; then
  target/release/newsner train --train $C/train.txt --dev $C/dev.txt --out models/ner-conll-minilm \
    --epochs 5 --lr 1e-4 --batch-size 32 --max-len 160 --seed 0 --data-note "$NOTE"
fi
if [ "$what" = nocase ] || [ "$what" = all ]; then
  target/release/newsner train --train $C/train.txt --dev $C/dev.txt --out "${NOCASE_OUT:-/tmp/ner-conll-minilm-nocase}" \
    --epochs 5 --lr 1e-4 --batch-size 32 --max-len 160 --seed 0 --no-casing --data-note "$NOTE"
fi
