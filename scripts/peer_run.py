"""Runs one of the peer scripts in ../shared/reference/peers on N articles
(they read common.N_DOCS = 300). usage: peer_run.py PEER_DIR N SCRIPT ARGS..."""
import runpy
import sys

peer_dir, n, script, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
sys.path.insert(0, peer_dir)
import common  # noqa: E402

common.load_articles.__defaults__ = (n,)
sys.argv = [script] + args
runpy.run_path(script, run_name="__main__")
