#!/usr/bin/env bash
# Runs the Spark recipe (docs/spark/newsner_spark.py) in local mode over the
# first N BBC articles and checks that its output equals a single-process
# `newsner extract` run (same lines after sorting by id). Not part of CI: it
# installs PySpark (300 MB) into .venv-spark and takes several minutes.
# Needs Java 17 and ../shared/corpus/bulk/bbc.jsonl (research-only data).
# Usage: scripts/spark-check.sh [N=500] [MASTER=local[2]]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
MASTER=${MASTER:-local[2]}
BBC=${BBC:-../shared/corpus/bulk/bbc.jsonl}
[ -f "$BBC" ] || { echo "spark-check: $BBC is absent (it lives in ../shared, never in the repo)"; exit 2; }
command -v java >/dev/null || { echo "spark-check: PySpark needs Java 17 on PATH"; exit 2; }
[ -x target/release/newsner ] || make build
if [ ! -x .venv-spark/bin/python ] || ! .venv-spark/bin/python -c "import pyspark" 2>/dev/null; then
  python3 -m venv .venv-spark
  .venv-spark/bin/pip install -q "pyspark==3.5.3"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n "$N" "$BBC" > "$work/in.jsonl"

t0=$(date +%s)
target/release/newsner extract "$work/in.jsonl" -o "$work/single.jsonl" --quiet --threads 2
t1=$(date +%s)
PYSPARK_PYTHON=.venv-spark/bin/python .venv-spark/bin/python - "$work" "$MASTER" <<'PY'
import os, sys, runpy
work, master = sys.argv[1], sys.argv[2]
os.environ["PYSPARK_SUBMIT_ARGS"] = f"--master {master} --conf spark.ui.enabled=false pyspark-shell"
sys.argv = ["newsner_spark.py", f"{work}/in.jsonl", f"{work}/spark", "--partitions", "2", "--threads", "1",
            "--merged", f"{work}/incidents.jsonl"]
runpy.run_path("docs/spark/newsner_spark.py", run_name="__main__")
PY
t2=$(date +%s)
cat "$work"/spark/part-* > "$work/spark.jsonl"
sort_by_id() { .venv-spark/bin/python -c "import json,sys; ls=[l for l in open(sys.argv[1]) if l.strip()]; ls.sort(key=lambda l: json.loads(l)['id']); sys.stdout.write(''.join(ls))" "$1"; }
sort_by_id "$work/single.jsonl" > "$work/a"
sort_by_id "$work/spark.jsonl" > "$work/b"
echo "spark-check: $N articles; single process $((t1 - t0)) s, Spark $MASTER $((t2 - t1)) s (incl. JVM start and merge)"
echo "spark-check: $(wc -l < "$work/incidents.jsonl") merged incidents"
if cmp -s "$work/a" "$work/b"; then
  echo "spark-check: OK, $(wc -l < "$work/a") identical lines"
else
  echo "spark-check: FAILED, the outputs differ:"; diff <(cut -c1-200 "$work/a") <(cut -c1-200 "$work/b") | head -20; exit 1
fi
