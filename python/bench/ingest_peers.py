#!/usr/bin/env python3
"""Peer timing: `newsds ingest` against Python trafilatura on the same HTML pages, 2 workers each.

Run from anywhere (a few minutes on 2 cores; the default test run does not run it):

    python3 python/bench/ingest_peers.py            # prints the table
    python3 python/bench/ingest_peers.py --check    # exits 1 when newsds is not 2x faster

The pages are every HTML page of the shared extraction gold sets (../shared/data/<set>,
or $NEWSDS_SHARED/data/<set>; the sets' expected.html files left out). Each round runs,
alternating which goes first:

- newsds: `newsds init` of a fresh corpus (not timed), then `newsds ingest --workers 2 -q
  PAGES...` (extraction, dedup, the SQLite store);
- trafilatura: a fresh interpreter of the peers venv that extracts every page with
  Python trafilatura `extract(html, with_metadata=True)` (its defaults otherwise) in a
  2-process pool (concurrent.futures.ProcessPoolExecutor).

Each side is one child process tree; its wall time and its CPU time (user + system of
the finished children, getrusage RUSAGE_CHILDREN) are taken around it, interpreter and
binary start-up included. The table gives the medians over the rounds (3 by default)
and newsds's speed-up in wall and CPU time. The target is a wall-time speed-up of at
least 2 (--check); on a loaded machine read the CPU column as well.

The Python peers are those pinned in python/bench/requirements.txt, in the venv that
extract_peers.py creates ($HOME/.cache/newsds-peers/venv or $NEWSDS_PEERS_VENV).
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VENV = Path(os.environ.get("NEWSDS_PEERS_VENV", Path.home() / ".cache" / "newsds-peers" / "venv"))
SETS = ["trafilatura", "readability", "newspaper4k", "htmldate"]
TARGET = 2.0


def shared_dir():
    env = os.environ.get("NEWSDS_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def pages():
    out = []
    for s in SETS:
        d = shared_dir() / "data" / s
        if not d.is_dir():
            sys.exit(f"ingest_peers: gold set {d} not found (set NEWSDS_SHARED)")
        out += [p for p in d.rglob("*.html") if p.name != "expected.html"]
    return sorted(out)


def worker_run(list_file, workers):
    """The Python side: extract every listed page in a pool (runs inside the peers venv)."""
    from concurrent.futures import ProcessPoolExecutor

    paths = Path(list_file).read_text().splitlines()
    with ProcessPoolExecutor(workers) as pool:
        done = sum(1 for r in pool.map(extract_one, paths, chunksize=4) if r)
    print(done)


def extract_one(path):
    import trafilatura

    with open(path, "rb") as f:
        data = f.read()
    try:
        return trafilatura.extract(data, with_metadata=True) is not None
    except Exception:  # a page the peer cannot read counts as done, as a rejection does for newsds
        return False


def timed(cmd, **kw):
    """Runs cmd; returns (wall seconds, CPU seconds of the children it left)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Exit 3 is "finished, some records rejected": the pages without body text.
    if res.returncode not in (0, 3):
        sys.exit(f"ingest_peers: {' '.join(map(str, cmd[:3]))}... exited {res.returncode}: {res.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help=f"exit 1 when newsds's wall-time speed-up is under {TARGET}")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--newsds", metavar="BIN", help="a newsds binary to time (default: go build ./cmd/newsds)")
    ap.add_argument("--worker-run", metavar="LIST", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker_run:
        worker_run(args.worker_run, args.workers)
        return

    python = VENV / "bin" / "python"
    if not python.exists():
        sys.exit(f"ingest_peers: no peers venv at {VENV}: run python/bench/extract_peers.py once to create it")
    files = pages()
    work = Path(tempfile.mkdtemp(prefix="newsds-ingest-peers-"))
    if args.newsds:
        newsds = Path(args.newsds).resolve()
    else:
        newsds = work / "newsds"
        subprocess.run(["go", "build", "-o", str(newsds), "./cmd/newsds"], cwd=REPO, check=True)
    listing = work / "pages.txt"
    listing.write_text("\n".join(map(str, files)) + "\n")

    def run_newsds(i):
        corpus = work / f"corpus-{i}"
        subprocess.run([str(newsds), "init", str(corpus)], check=True, capture_output=True)
        return timed([str(newsds), "-C", str(corpus), "-q", "ingest", "--workers", str(args.workers)] + list(map(str, files)))

    def run_python(_):
        return timed([str(python), str(Path(__file__).resolve()), "--worker-run", str(listing), "--workers", str(args.workers)])

    results = {"newsds": [], "trafilatura": []}
    for i in range(args.rounds):
        order = [("newsds", run_newsds), ("trafilatura", run_python)]
        if i % 2:
            order.reverse()
        for name, fn in order:
            results[name].append(fn(i))
            w, c = results[name][-1]
            print(f"round {i + 1}: {name:12s} wall {w:7.2f} s  cpu {c:7.2f} s", file=sys.stderr)

    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in results.items()}
    print(f"{len(files)} pages, {args.workers} workers each, medians of {args.rounds} alternating rounds")
    print("| tool | wall s | CPU s |")
    print("|---|---|---|")
    for k, (w, c) in med.items():
        print(f"| {k} | {w:.2f} | {c:.2f} |")
    sw = med["trafilatura"][0] / med["newsds"][0]
    sc = med["trafilatura"][1] / med["newsds"][1]
    print(f"newsds speed-up: {sw:.2f}x wall, {sc:.2f}x CPU (target: >= {TARGET}x wall)")
    if args.check and sw < TARGET:
        sys.exit(1)


if __name__ == "__main__":
    main()
