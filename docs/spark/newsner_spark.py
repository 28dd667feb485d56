#!/usr/bin/env python3
"""Run `newsner extract` over a corpus with Apache Spark, then merge incidents.

Every Spark task pipes its partition's JSONL records through one
`newsner extract -` process: the model loads once per task, lines stream
through stdin/stdout, and per-record problems come back in-band as the
record's "errors" field. Each task checks that as many lines came out as
records went in and fails otherwise (Spark then retries it), so no partition
is silently short. Output order inside a partition is input order; the job
writes Spark's usual part-NNNNN files and, with --merged, reads them back
through Spark (any Hadoop-compatible URI) into one `newsner merge` task.

    spark-submit --archives dist/newsner-0.1.0-linux-x86_64.tar.gz#newsner \\
        docs/spark/newsner_spark.py INPUT OUT_DIR \\
        [--newsner newsner] [--partitions 8] [--threads 1] \\
        [--extract-args "--roles"] [--merged MERGED_DIR]

--newsner is resolved on each executor, not on the driver: a relative path
is looked up in the task's working folder (where YARN and Kubernetes unpack
--archives) and then in SparkFiles' folder (where local mode and
spark.archives unpack them); a folder is searched for */bin/newsner, so the
default `newsner` finds the unpacked tarball under the alias `#newsner`. An
absolute path (a binary baked into the executor image) is used as it is.
The distribution needs no environment variable: it finds libtorch and its
models from its own location. Give each task as many threads as it has
cores (--threads = spark.task.cpus).
"""
import argparse
import glob
import itertools
import os
import shlex
import subprocess
import sys
import threading

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def locate(binary):
    """The newsner executable on this machine (see the module docstring)."""
    candidates = [binary] if os.path.isabs(binary) else [os.path.join(os.getcwd(), binary)]
    if not os.path.isabs(binary):
        try:
            candidates.append(os.path.join(SparkFiles.getRootDirectory(), binary))
        except Exception:  # no SparkContext in this process (e.g. a plain Python test)
            pass
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
        if os.path.isdir(c):
            found = sorted(glob.glob(os.path.join(c, "bin", "newsner")) + glob.glob(os.path.join(c, "*", "bin", "newsner")))
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise RuntimeError(f"newsner_spark: {c} holds several newsner binaries: {found}")
    raise RuntimeError(f"newsner_spark: no newsner binary at {' or '.join(candidates)} on {os.uname().nodename} "
                       f"(ship the tarball with --archives ...tar.gz#newsner, or pass --newsner)")


def pipe(cmd, lines):
    """Streams `lines` through `cmd` (one process), yielding its output lines;
    its value (`yield from`) is (lines in, lines out, exit code)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=1 << 20)
    fed = [0]
    failure = []

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line.encode("utf-8") + b"\n")
                fed[0] += 1
        except BaseException as e:  # a dead child (BrokenPipe) is reported by its exit code below
            failure.append(e)
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    out = 0
    for raw in proc.stdout:
        out += 1
        yield raw.decode("utf-8").rstrip("\n")
    writer.join()
    code = proc.wait()
    if failure and not isinstance(failure[0], BrokenPipeError):
        raise failure[0]
    return fed[0], out, code


def numbered_lines(index, first, rest):
    """The lines of one partition, checked to be consecutive lines of the
    input (what --first-line promises newsner)."""
    expected = first[1]
    for line, i in itertools.chain([first], rest):
        if i != expected:
            raise RuntimeError(f"newsner_spark: partition {index}: input line {i + 1} where line {expected + 1} belongs")
        expected += 1
        yield line


def extract_partition(binary, args, name):
    """Each partition is a run of consecutive input lines (line, index) fed
    to one `newsner extract -`, told the input's name and the number of its
    first line: a record without an id gets NAME:LINE, unique across
    partitions and never shifted, since blank lines are fed (and answered
    with an error line) rather than dropped."""
    def run(index, numbered):
        numbered = iter(numbered)
        first = next(numbered, None)
        if first is None:
            return
        cmd = [locate(binary), "extract", "-", "--quiet", "--stdin-name", name, "--first-line", str(first[1] + 1)] + args
        n_in, n_out, code = yield from pipe(cmd, numbered_lines(index, first, numbered))
        # exit 1 means some records carry errors, which are in their lines
        if code > 1 or n_in != n_out:
            raise RuntimeError(f"newsner_spark: partition {index}: {n_in} records in, {n_out} lines out, "
                               f"`{shlex.join(cmd)}` exited {code}; see this executor's stderr")
    return run


def merge_partition(binary):
    def run(index, lines):
        cmd = [locate(binary), "merge", "-"]
        _, _, code = yield from pipe(cmd, lines)
        # exit 1: some lines were malformed and skipped (named on stderr)
        if code > 1:
            raise RuntimeError(f"newsner_spark: `{shlex.join(cmd)}` exited {code}; see this executor's stderr")
    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="JSONL articles, any Hadoop-compatible path or URI (one {id, text, ...} per line; .gz works)")
    ap.add_argument("out_dir", help="output folder or URI: part-NNNNN files of annotated lines")
    ap.add_argument("--newsner", default="newsner",
                    help="the binary, or the folder the tarball was unpacked into, on the executors (default: newsner, "
                         "the --archives alias)")
    ap.add_argument("--partitions", type=int, default=0, help="at least this many partitions, each a slice of consecutive "
                                                               "lines (default: Spark's split of the input)")
    ap.add_argument("--threads", type=int, default=1, help="newsner threads per task (= spark.task.cpus)")
    ap.add_argument("--extract-args", default="", help="more arguments for newsner extract, e.g. --roles")
    ap.add_argument("--merged", help="also merge incidents into this folder or URI (one part file, from one task)")
    a = ap.parse_args()

    spark = SparkSession.builder.appName("newsner").getOrCreate()
    sc = spark.sparkContext
    # Partitions are consecutive slices of the input (no repartition, which
    # would shuffle lines): each line's index numbers it across partitions
    # (zipWithIndex reads the input once more, to count each slice's lines).
    lines = sc.textFile(a.input, minPartitions=a.partitions) if a.partitions else sc.textFile(a.input)
    args = ["--threads", str(a.threads)] + shlex.split(a.extract_args)
    annotated = lines.zipWithIndex().mapPartitionsWithIndex(extract_partition(a.newsner, args, a.input))
    annotated.saveAsTextFile(a.out_dir)
    print(f"newsner_spark: annotated lines in {a.out_dir}", file=sys.stderr)

    if a.merged:
        # Read back through Spark, so the part files may live on HDFS, S3 or
        # any other Hadoop file system; merge needs every incident in one process.
        parts = sc.textFile(a.out_dir).coalesce(1)
        parts.mapPartitionsWithIndex(merge_partition(a.newsner)).saveAsTextFile(a.merged)
        print(f"newsner_spark: merged incidents in {a.merged}", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    sys.exit(main())
