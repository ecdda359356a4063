#!/usr/bin/env python3
"""Peer harness: `newsds release` against the pyarrow path on the same corpus, in CPU seconds.

    /work/main/.venv/bin/python python/bench/release_peer.py --corpus DIR [--rounds 3]

DIR is a newsds corpus with a committed version (e.g. one that `go run ./bench/scale -keep
-work W` left in W/<n>/corpus). Each round runs, in alternating order:

- release: `newsds release --previous none` of the version (Parquet shards of both configs,
  statistics, card, charts, Croissant, checksums);
- export: `newsds export --version V` to a JSONL file (the store read that the pyarrow path
  starts from);
- pyarrow: a fresh Python process that imports pyarrow, reads that JSONL with
  pyarrow.json.read_json and writes it as one zstd Parquet file with pyarrow.parquet.

Every figure is the user + system CPU time of the child process (resource.getrusage of the
children, all threads), since the machine is shared; wall time is printed beside it only as
a hint. The table gives the median of the rounds and the ratio of release to pyarrow alone
and to export + pyarrow (the whole path from the corpus to Parquet).

Like with like: the pyarrow writer uses the codec and level newsds writes with (zstd at
arrow-go's default, klauspost's SpeedDefault, which is zstd level 3; pyarrow's own default
is level 1: --level 1 measures that) and row groups of 1,000 rows, as newsds cuts them.
The pyarrow path writes the exported records as they are (nested annotations), not
newsds's article and turn rows, and makes no card, statistics or checksums.

Needs pyarrow (python/requirements.txt); `--check` exits 1 when release uses more CPU than
the pyarrow path alone.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PYARROW_CHILD = r"""
import sys
import pyarrow.json as pj
import pyarrow.parquet as pq
src, dst, level, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
table = pj.read_json(src)
pq.write_table(table, dst, compression="zstd", compression_level=level, row_group_size=rows)
print(table.num_rows)
"""


def run(cmd, stdout=None):
    """Runs cmd and returns (CPU seconds, wall seconds, stdout text) of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    p = subprocess.run(cmd, stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"release_peer: {' '.join(map(str, cmd))}: exit {p.returncode}: {p.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, p.stdout if stdout is None else ""


def build_newsds(work):
    binary = Path(work) / "newsds"
    subprocess.run(["go", "build", "-o", str(binary), "./cmd/newsds"], cwd=REPO, check=True)
    return str(binary)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True, help="newsds corpus folder")
    ap.add_argument("--corpus-version", default="latest", help="committed version to release and export (default latest)")
    ap.add_argument("--newsds", help="newsds binary (default: go build ./cmd/newsds)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds, each running every step once (default 3)")
    ap.add_argument("--level", type=int, default=3, help="zstd level of the pyarrow writer (default 3, as newsds)")
    ap.add_argument("--work", help="folder for the outputs (default: a temporary one)")
    ap.add_argument("--json", help="also write the figures as JSON to this file")
    ap.add_argument("--check", action="store_true", help="exit 1 when release uses more CPU than pyarrow alone")
    a = ap.parse_args()
    if a.rounds < 1:
        sys.exit("release_peer: --rounds must be at least 1")
    corpus = str(Path(a.corpus).resolve())
    with tempfile.TemporaryDirectory(prefix="newsds-release-peer-", dir=a.work) as work:
        newsds = a.newsds or build_newsds(work)
        jsonl = os.path.join(work, "export.jsonl")
        peer_out = os.path.join(work, "peer.parquet")
        cpu = {"release": [], "export": [], "pyarrow": []}
        wall = {k: [] for k in cpu}
        stamp = int(time.time())

        def release(i):
            out = os.path.join(work, f"release-{i}")
            # A version of its own per run: the corpus's release history refuses to
            # record one version in two folders.
            version = f"0.{stamp}.{i}"
            cmd = [newsds, "-C", corpus, "-q", "release", "--previous", "none", "--version", version, "--out", out]
            if a.corpus_version != "latest":
                cmd += ["--corpus-version", a.corpus_version]
            return run(cmd)

        def export(_):
            with open(jsonl, "w") as f:
                return run([newsds, "-C", corpus, "-q", "export", "--version", a.corpus_version], stdout=f)

        def pyarrow(_):
            return run([sys.executable, "-c", PYARROW_CHILD, jsonl, peer_out, str(a.level), "1000"])

        export(0)  # the first pyarrow run needs the file
        for i in range(a.rounds):
            steps = [("release", release), ("export", export), ("pyarrow", pyarrow)]
            if i % 2:
                steps.reverse()
            for name, step in steps:
                c, w, _ = step(i)
                cpu[name].append(c)
                wall[name].append(w)
                print(f"round {i + 1}: {name}: {c:.2f} s CPU, {w:.1f} s wall", file=sys.stderr)
        med = {k: statistics.median(v) for k, v in cpu.items()}
        report = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "load": open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else [],
            "corpus": corpus,
            "rounds": a.rounds,
            "zstd_level": a.level,
            "cpu_s": cpu,
            "wall_s": wall,
            "median_cpu_s": med,
            "release_over_pyarrow": med["release"] / med["pyarrow"],
            "release_over_export_plus_pyarrow": med["release"] / (med["export"] + med["pyarrow"]),
        }
    print(f"| step | median CPU s ({a.rounds} rounds) |")
    print("|---|---:|")
    for k in ("release", "export", "pyarrow"):
        print(f"| {k} | {med[k]:.2f} |")
    print(f"\nrelease / pyarrow = {report['release_over_pyarrow']:.2f}; "
          f"release / (export + pyarrow) = {report['release_over_export_plus_pyarrow']:.2f} "
          f"(zstd level {a.level}, load {' '.join(report['load'])})")
    if a.json:
        Path(a.json).write_text(json.dumps(report, indent=2) + "\n")
    if a.check and report["release_over_pyarrow"] > 1.0:
        sys.exit(1)


if __name__ == "__main__":
    main()
