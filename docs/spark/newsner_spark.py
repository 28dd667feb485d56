#!/usr/bin/env python3
"""Run `newsner extract` over a corpus with Apache Spark, then merge incidents.

Every Spark task pipes its partition's JSONL records through one long-lived
`newsner extract -` process (RDD.pipe): the model loads once per task, lines
stream through stdin/stdout, and per-record problems come back in-band as the
record's "errors" field, so no record is lost or reported outside the data.
Output order inside a partition is input order; the job writes one part file
per partition (Spark's usual layout) and, with --merged, runs `newsner merge`
over them.

    spark-submit docs/spark/newsner_spark.py INPUT.jsonl OUT_DIR \
        [--newsner target/release/newsner] [--partitions 8] [--threads 1] \
        [--extract-args "--roles"] [--merged incidents.jsonl]

The newsner binary (and, beside it, the libtorch it was built against: the
project's .venv) must exist at the same path on every executor: in local mode
that is this checkout; on a cluster, ship them in the executor image or with
--archives. Give each task as many libtorch threads as it has cores
(--threads = spark.task.cpus).
"""
import argparse
import os
import shlex
import subprocess
import sys

from pyspark.sql import SparkSession


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="JSONL articles (one {id, text, ...} per line; .gz works)")
    ap.add_argument("out_dir", help="output folder: part-NNNNN files of annotated lines")
    ap.add_argument("--newsner", default="target/release/newsner", help="path to the newsner binary on the executors")
    ap.add_argument("--partitions", type=int, default=0, help="number of partitions (default: Spark's default parallelism)")
    ap.add_argument("--threads", type=int, default=1, help="libtorch threads per task")
    ap.add_argument("--extract-args", default="", help="more arguments for newsner extract, e.g. --roles")
    ap.add_argument("--merged", help="also run newsner merge over the output into this file")
    a = ap.parse_args()

    binary = os.path.abspath(a.newsner)
    cmd = [binary, "extract", "-", "--quiet", "--threads", str(a.threads)] + shlex.split(a.extract_args)
    spark = SparkSession.builder.appName("newsner").getOrCreate()
    sc = spark.sparkContext
    lines = sc.textFile(a.input)
    if a.partitions:
        lines = lines.repartition(a.partitions)
    # Blank lines are not records; newsner would skip them too, but then a
    # partition holding only blanks would be a process started for nothing.
    records = lines.filter(lambda l: l.strip() != "")
    # checkCode stays off: newsner exits 1 when some records carry errors,
    # which are in the data; a process that fails outright (exit 2: bad
    # model path, bad arguments) is caught by the count check below.
    annotated = records.pipe(shlex.join(cmd), env={"RUST_BACKTRACE": "1"}).cache()
    annotated.saveAsTextFile(a.out_dir)
    n_in, n_out = records.count(), annotated.count()
    spark.stop()
    if n_in != n_out:
        sys.exit(f"newsner_spark: {n_in} records in but {n_out} annotated lines out; see the executors' stderr")
    print(f"newsner_spark: {n_out} annotated lines in {a.out_dir}", file=sys.stderr)

    if a.merged:
        parts = sorted(os.path.join(a.out_dir, f) for f in os.listdir(a.out_dir) if f.startswith("part-"))
        subprocess.run([binary, "merge", *parts, "-o", a.merged], check=True)


if __name__ == "__main__":
    sys.exit(main())
