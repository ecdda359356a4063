#!/usr/bin/env python3
"""Peer harness: newsds against other extractors on every shared gold page, one scorer.

Run from anywhere (it takes a few minutes on 2 cores; the default test run does not run it):

    python3 python/bench/extract_peers.py            # prints the table
    python3 python/bench/extract_peers.py --check    # exits 1 when newsds misses its targets

Rows, per gold set (../shared/data/<set>/gold.json, or $NEWSDS_SHARED/data/<set>):

- newsds: `newsds eval extract` (corpus.Extract with no source rules, UTC);
- go-trafilatura: bare go-trafilatura with the options newsds gives it, nothing of newsds
  around it (bench/extractpeers);
- trafilatura extract: Python trafilatura `extract()` with its defaults (metadata from
  `extract_metadata()`, what `extract(with_metadata=True)` adds);
- trafilatura bare: Python trafilatura `bare_extraction(include_comments=False)` (with
  `with_metadata=True`, which adds the metadata and leaves the text alone);
- readability-lxml: `Document(html).summary()` and `.short_title()` (no byline or date).

Every row is scored by the same code, corpus.EvalExtract (what `newsds eval extract` runs,
the shared README's method): the Python tools' outputs are written to a JSON file that
bench/extractpeers serves to that scorer in place of newsds's extractor. So the numbers
differ only by what the tools extracted.

The Python peers, pinned in python/bench/requirements.txt, are installed into a virtual
environment under $HOME/.cache/newsds-peers/venv (or $NEWSDS_PEERS_VENV) on first run; the
script then re-runs itself there. Figures on ../shared are development figures: about 30%
of each gold set is withheld for final evaluation.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"
VENV = Path(os.environ.get("NEWSDS_PEERS_VENV", Path.home() / ".cache" / "newsds-peers" / "venv"))
SETS = ["trafilatura", "readability", "newspaper4k", "htmldate"]
PY_TOOLS = ["trafilatura extract", "trafilatura bare", "readability-lxml"]
TOOLS = ["newsds", "go-trafilatura"] + PY_TOOLS
PEERS = [t for t in TOOLS if t != "newsds"]
COLUMNS = ["precision", "recall", "f1", "accuracy", "title_accuracy", "byline_accuracy", "date_accuracy"]


def ensure_venv():
    """Re-executes the script inside the pinned venv, creating it first if needed."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = VENV / "bin" / "python"
    stamp = VENV / "requirements.txt"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if not stamp.exists() or stamp.read_text() != REQUIREMENTS.read_text():
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        # An old pip cannot resolve lxml[html_clean] (readability-lxml's dependency).
        subprocess.run(pip + ["--upgrade", "pip"], check=True)
        subprocess.run(pip + ["-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(REQUIREMENTS.read_text())
    os.execv(str(python), [str(python), __file__] + sys.argv[1:])


def shared_dir():
    env = os.environ.get("NEWSDS_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def run_python_tools(job):
    """Extracts one page with every Python peer; a failure is recorded, not raised."""
    path, url = job
    import trafilatura
    from readability import Document

    data = Path(path).read_bytes()
    out = {}

    def guard(tool, fn):
        try:
            out[tool] = fn()
        except Exception as e:  # a peer's crash is its empty output, as for newsds
            out[tool] = {"error": f"{type(e).__name__}: {e}"}

    def names(author):
        return [n.strip() for n in (author or "").split(";") if n.strip()]

    def extract_default():
        text = trafilatura.extract(data, url=url)
        md = trafilatura.extract_metadata(data, default_url=url)
        o = {"text": text or ""}
        if md is not None:
            o.update(title=md.title or "", byline=names(md.author), date=md.date or "")
        return o

    def bare():
        # with_metadata only adds the metadata fields; the text is the same as without it.
        d = trafilatura.bare_extraction(data, url=url, include_comments=False, with_metadata=True)
        if d is None:
            return {"text": ""}
        return {"text": d.text or "", "title": d.title or "", "byline": names(d.author), "date": d.date or ""}

    def readability():
        doc = Document(data, url=url)
        return {"html": doc.summary(html_partial=True), "title": doc.short_title() or ""}

    guard("trafilatura extract", extract_default)
    guard("trafilatura bare", bare)
    guard("readability-lxml", readability)
    return out


def score(scorer, gold, tool, outputs=None, workers=2):
    args = [scorer, "-gold", str(gold), "-workers", str(workers)]
    if outputs is None:
        args += ["-tool", tool]
    else:
        args += ["-tool", "file", "-outputs", str(outputs)]
    res = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(res.stdout)


def fmt(v):
    return "—" if v is None else f"{v:.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated gold sets")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--keep", help="keep the peers' outputs in this folder")
    ap.add_argument("--check", action="store_true", help="exit 1 when newsds misses its targets")
    args = ap.parse_args()
    ensure_venv()

    data = shared_dir() / "data"
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="newsds-peers-"))
    work.mkdir(parents=True, exist_ok=True)
    scorer = work / "extractpeers"
    subprocess.run(["go", "build", "-o", str(scorer), "./bench/extractpeers"], cwd=REPO, check=True)

    results = {}
    for s in args.sets.split(","):
        gold_dir = data / s
        gold = json.loads((gold_dir / "gold.json").read_text())
        keys = sorted(gold)
        jobs = [(str(gold_dir / k), gold[k].get("url")) for k in keys]
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            pages = list(pool.map(run_python_tools, jobs, chunksize=4))
        results[s] = {}
        for tool in ["newsds", "go-trafilatura"]:
            results[s][tool] = score(scorer, gold_dir, tool, workers=args.workers)
        for tool in PY_TOOLS:
            out = work / f"{s}.{tool.replace(' ', '-')}.json"
            out.write_text(json.dumps({k: p[tool] for k, p in zip(keys, pages)}, ensure_ascii=False))
            results[s][tool] = score(scorer, gold_dir, tool, outputs=out, workers=args.workers)
        print(f"{s}: scored {len(keys)} pages", file=sys.stderr)

    print("| set | tool | pages | P | R | F1 | accuracy | title | byline | date |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s, rows in results.items():
        for tool in TOOLS:
            r = rows[tool]
            print(f"| {s} | {tool} | {r['pages']} | " + " | ".join(fmt(r[c]) for c in COLUMNS) + " |")

    failed = []
    for s, rows in results.items():
        ours = rows["newsds"]["f1"]
        if ours is None:
            continue
        best_tool = max(PEERS, key=lambda t: rows[t]["f1"] or 0)
        best = rows[best_tool]["f1"] or 0
        margin = 0.01 if s == "trafilatura" else 0.0
        ok = ours >= best + margin - 1e-9
        print(f"{s}: newsds F1 {ours:.3f}, best peer {best_tool} {best:.3f}, target ≥ best + {margin:.2f}: "
              + ("met" if ok else "MISSED"))
        if not ok:
            failed.append(s)
    if args.check and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
