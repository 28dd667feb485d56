#!/usr/bin/env bash
# Runs the Spark recipe (docs/spark/newsner_spark.py) in local mode over the
# first N BBC articles, shipping the distribution tarball with --archives as on
# a cluster, and checks that its output equals a single-process
# `newsner extract` run (the same lines, whole, after sorting by id) and that
# its merged incidents equal `newsner merge` over the single run. Not part of
# CI: it installs PySpark (300 MB) into .venv-spark, builds the tarball
# (make dist) when it is older than the binary, and takes minutes.
# Needs Java 17 and ../shared/corpus/bulk/bbc.jsonl (research-only data).
# Usage: scripts/spark-check.sh [N=500]   (MASTER=local[2] by default)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
MASTER=${MASTER:-local[2]}
BBC=${BBC:-../shared/corpus/bulk/bbc.jsonl}
[ -f "$BBC" ] || { echo "spark-check: $BBC is absent (it lives in ../shared, never in the repo)"; exit 2; }
command -v java >/dev/null || { echo "spark-check: PySpark needs Java 17 on PATH"; exit 2; }
[ -x target/release/newsner ] || make build
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
TARBALL=dist/newsner-$VERSION-linux-x86_64.tar.gz
if [ ! -f "$TARBALL" ] || [ target/release/newsner -nt "$TARBALL" ]; then
  echo "spark-check: building $TARBALL (scripts/dist.py)"
  scripts/dist.py >/dev/null
fi
if [ ! -x .venv-spark/bin/python ] || ! .venv-spark/bin/python -c "import pyspark" 2>/dev/null; then
  python3 -m venv .venv-spark
  .venv-spark/bin/pip install -q "pyspark==3.5.3"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n "$N" "$BBC" > "$work/in.jsonl"

t0=$(date +%s)
target/release/newsner extract "$work/in.jsonl" -o "$work/single.jsonl" --quiet --threads 2
target/release/newsner merge "$work/single.jsonl" -o "$work/single-incidents.jsonl" 2>/dev/null
t1=$(date +%s)
# The input and outputs as file:// URIs, as a cluster would give hdfs:// ones.
PYSPARK_PYTHON=.venv-spark/bin/python .venv-spark/bin/python - "$work" "$MASTER" "$TARBALL" <<'PY'
import os, sys, runpy
work, master, tarball = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
os.environ["PYSPARK_SUBMIT_ARGS"] = (f"--master {master} --conf spark.ui.enabled=false "
                                     f"--archives {tarball}#newsner pyspark-shell")
sys.argv = ["newsner_spark.py", f"file://{work}/in.jsonl", f"file://{work}/spark", "--partitions", "2",
            "--threads", "1", "--merged", f"file://{work}/merged"]
runpy.run_path("docs/spark/newsner_spark.py", run_name="__main__")
PY
t2=$(date +%s)
cat "$work"/spark/part-* > "$work/spark.jsonl"
sort_by_id() { .venv-spark/bin/python -c "import json,sys; ls=[l for l in open(sys.argv[1]) if l.strip()]; ls.sort(key=lambda l: json.loads(l)['id']); sys.stdout.write(''.join(ls))" "$1"; }
sort_by_id "$work/single.jsonl" > "$work/a"
sort_by_id "$work/spark.jsonl" > "$work/b"
echo "spark-check: $N articles; single process $((t1 - t0)) s, Spark $MASTER $((t2 - t1)) s (incl. JVM start, unpacking the tarball and merge)"
status=0
first_difference() {  # prints the first line that differs between two files, in full
  .venv-spark/bin/python - "$@" <<'PY'
import sys
(name_a, a), (name_b, b) = [(p, open(p).read().splitlines()) for p in sys.argv[1:3]]
for i in range(max(len(a), len(b))):
    x = a[i] if i < len(a) else "<no line>"
    y = b[i] if i < len(b) else "<no line>"
    if x != y:
        print(f"  first difference at sorted line {i + 1} of {len(a)} / {len(b)}:")
        print(f"  {sys.argv[3]}: {x}")
        print(f"  {sys.argv[4]}: {y}")
        break
PY
}
if cmp -s "$work/a" "$work/b"; then
  echo "spark-check: OK, $(wc -l < "$work/a") identical annotated lines"
else
  echo "spark-check: FAILED, the annotated lines differ:"; first_difference "$work/a" "$work/b" single spark; status=1
fi
if cmp -s "$work/single-incidents.jsonl" "$work/merged/part-00000"; then
  echo "spark-check: OK, $(wc -l < "$work/single-incidents.jsonl") identical merged incidents"
else
  echo "spark-check: FAILED, the merged incidents differ:"
  first_difference "$work/single-incidents.jsonl" "$work/merged/part-00000" single spark; status=1
fi
exit $status
