"""The shipped sentiment and stance models against a plain scikit-learn baseline.

The baseline is the one issue 10 names: TF-IDF word 1-2-grams + character 2-5-grams,
LogisticRegression(class_weight="balanced"), trained on the training rows of each shared
set alone. Both sides are scored on the same rows: `newsds eval --rows` writes every row
of the gold file with its split under the Go held-out rule (annotate.heldOut), so the
baseline trains on exactly the rows the shipped model was trained on and is scored on
exactly the rows the model is scored on. For pair sets (ANS, Perspectrum) the baseline
is tried on the text alone and on target + text, and the better of the two counts.

The held-out rule keys on the row (claim + text), so a held-out pair's claim has
training pairs too; the withheld test splits of ANS and Perspectrum hold claims never
seen. The pair sets' dev files are such claims: both sides are also scored on them,
the baseline trained on the same training rows (`unseen`, a second table).

Runs offline; needs the shared data folder (../shared or $NEWSDS_SHARED) and the Go
toolchain. NEWSDS_BASELINE_TABLE=FILE also writes the table as Markdown.
"""

import collections
import json
import os
import pathlib
import shutil
import subprocess

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline, make_union

ROOT = pathlib.Path(__file__).resolve().parents[2]
MARGIN = 0.02

SETS = [
    # name, kind, file under shared/data
    ("ArSarcasm-v2 train", "sentiment", "sentiment_ar/arsarcasm_v2/training_data.csv"),
    ("AJGT", "sentiment", "sentiment_ar/ajgt/ajgt_shared.csv"),
    ("ANS stance train", "stance", "stance_ar/ans/stance/train.csv"),
    ("Perspectrum train", "stance", "stance_en/perspectrum/perspective_stance_train.tsv"),
]


def shared_data() -> pathlib.Path:
    root = os.environ.get("NEWSDS_SHARED") or str(ROOT.parent / "shared")
    d = pathlib.Path(root) / "data"
    if not d.is_dir():
        pytest.skip(f"shared test data not found at {d}: set NEWSDS_SHARED or place the shared folder beside the repository")
    return d


@pytest.fixture(scope="module")
def newsds(tmp_path_factory) -> pathlib.Path:
    go = shutil.which("go")
    if go is None:
        pytest.fail("the Go toolchain is needed to build newsds (go not on PATH)")
    out = tmp_path_factory.mktemp("bin") / "newsds"
    subprocess.run([go, "build", "-o", str(out), "./cmd/newsds"], cwd=ROOT, check=True)
    return out


def eval_rows(newsds, kind, gold, tmp):
    rows_file = tmp / "rows.jsonl"
    res = subprocess.run(
        [str(newsds), "eval", kind, "--gold", str(gold), "--json", "--rows", str(rows_file)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    report = json.loads(res.stdout)
    rows = [json.loads(line) for line in rows_file.read_text(encoding="utf-8").splitlines()]
    return report, rows


def baseline(train, test, with_target):
    def text(r):
        return (r.get("target", "") + " " + r["text"]) if with_target else r["text"]

    model = make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2)), TfidfVectorizer(analyzer="char", ngram_range=(2, 5))),
        LogisticRegression(class_weight="balanced", max_iter=2000),
    )
    model.fit([text(r) for r in train], [r["gold"] for r in train])
    return list(model.predict([text(r) for r in test]))


@pytest.fixture(scope="module")
def table(newsds, tmp_path_factory):
    data = shared_data()
    out = []
    for name, kind, rel in SETS:
        report, rows = eval_rows(newsds, kind, data / rel, tmp_path_factory.mktemp("rows"))
        train = [r for r in rows if r["split"] == "train"]
        test = [r for r in rows if r["split"] == "held_out"]
        assert train and test, f"{rel}: the shipped model was not trained on this file (no held-out split)"
        assert len(test) == report["n"], f"{rel}: {len(test)} held-out rows, eval scored {report['n']}"
        gold = [r["gold"] for r in test]
        labels = sorted(set(gold))
        model_f1 = f1_score(gold, [r["label"] for r in test], labels=labels, average="macro", zero_division=0)
        assert abs(model_f1 - report["macro_f1"]) < 1e-9, f"{rel}: Go macro-F1 {report['macro_f1']} != {model_f1}"
        variants = [False, True] if kind == "stance" else [False]
        base = {}
        for with_target in variants:
            pred = baseline(train, test, with_target)
            base[with_target] = (f1_score(gold, pred, labels=labels, average="macro", zero_division=0), accuracy_score(gold, pred))
        best = max(base.values())
        majority, count = collections.Counter(gold).most_common(1)[0]
        out.append({
            "set": name, "file": rel, "n_train": len(train), "n": len(test),
            "model_f1": model_f1, "model_acc": report["accuracy"], "model_ece": report["ece"],
            "baseline_f1": best[0], "baseline_acc": best[1],
            "baseline_variants": {("target+text" if k else "text"): v[0] for k, v in base.items()},
            "majority": majority, "majority_acc": count / len(gold),
        })
    lines = ["| set | held-out rows | model macro-F1 | baseline macro-F1 | model acc | majority acc | model ECE |",
             "|---|---|---|---|---|---|---|"]
    for r in out:
        lines.append(f"| {r['set']} | {r['n']} | {r['model_f1']:.3f} | {r['baseline_f1']:.3f} | {r['model_acc']:.3f} | "
                     f"{r['majority_acc']:.3f} ({r['majority']}) | {r['model_ece']:.3f} |")
    md = "\n".join(lines)
    print("\n" + md)
    if os.environ.get("NEWSDS_BASELINE_TABLE"):
        pathlib.Path(os.environ["NEWSDS_BASELINE_TABLE"]).write_text(md + "\n", encoding="utf-8")
    return out


UNSEEN = [
    # name, training file (its training rows train the baseline), file of unseen claims
    ("ANS stance dev", "stance_ar/ans/stance/train.csv", "stance_ar/ans/stance/dev.csv"),
    ("Perspectrum dev", "stance_en/perspectrum/perspective_stance_train.tsv", "stance_en/perspectrum/perspective_stance_dev.tsv"),
]


@pytest.fixture(scope="module")
def unseen(newsds, table, tmp_path_factory):
    data = shared_data()
    out = []
    for name, train_rel, dev_rel in UNSEEN:
        _, train_rows = eval_rows(newsds, "stance", data / train_rel, tmp_path_factory.mktemp("rows"))
        report, test = eval_rows(newsds, "stance", data / dev_rel, tmp_path_factory.mktemp("rows"))
        train = [r for r in train_rows if r["split"] == "train"]
        assert train and test, f"{train_rel}: no training rows, or {dev_rel}: no rows"
        assert all(r["split"] == "eval" for r in test), f"{dev_rel}: the shipped model was trained on some of its rows"
        gold = [r["gold"] for r in test]
        labels = sorted(set(gold))
        model_f1 = f1_score(gold, [r["label"] for r in test], labels=labels, average="macro", zero_division=0)
        base = {wt: f1_score(gold, baseline(train, test, wt), labels=labels, average="macro", zero_division=0) for wt in (False, True)}
        out.append({"set": name, "n": len(test), "model_f1": model_f1, "baseline_f1": max(base.values()),
                    "baseline_variants": {("target+text" if k else "text"): v for k, v in base.items()}})
    lines = ["| unseen claims | rows | model macro-F1 | baseline macro-F1 |", "|---|---|---|---|"]
    lines += [f"| {r['set']} | {r['n']} | {r['model_f1']:.3f} | {r['baseline_f1']:.3f} |" for r in out]
    md = "\n".join(lines)
    print("\n" + md)
    if os.environ.get("NEWSDS_BASELINE_TABLE"):
        with open(os.environ["NEWSDS_BASELINE_TABLE"], "a", encoding="utf-8") as f:
            f.write("\n" + md + "\n")
    return out


@pytest.mark.parametrize("name", [u[0] for u in UNSEEN])
def test_model_beats_baseline_on_unseen_claims(unseen, name):
    r = next(r for r in unseen if r["set"] == name)
    assert r["model_f1"] >= r["baseline_f1"] + MARGIN, (
        f"{name}: model macro-F1 {r['model_f1']:.3f} is not {MARGIN} above the baseline {r['baseline_f1']:.3f} "
        f"({r['baseline_variants']})")


# ArSarcasm-v2: the shipped model is 0.012 above the baseline (0.678 vs 0.666 macro-F1)
# and does not clear the margin yet (issue 10). strict: the day it does, this marker
# must go.
KNOWN_SHORT = {"ArSarcasm-v2 train"}


@pytest.mark.parametrize("name", [
    pytest.param(s[0], marks=pytest.mark.xfail(strict=True, reason="issue 10: not yet 0.02 above the baseline"))
    if s[0] in KNOWN_SHORT else s[0]
    for s in SETS
])
def test_model_beats_baseline(table, name):
    r = next(r for r in table if r["set"] == name)
    assert r["model_f1"] >= r["baseline_f1"] + MARGIN, (
        f"{name}: model macro-F1 {r['model_f1']:.3f} is not {MARGIN} above the baseline {r['baseline_f1']:.3f} "
        f"({r['baseline_variants']})")


def test_ans_accuracy_beats_majority(table):
    r = next(r for r in table if r["set"] == "ANS stance train")
    assert r["model_acc"] > r["majority_acc"], (
        f"ANS: accuracy {r['model_acc']:.3f} does not beat always answering {r['majority']} ({r['majority_acc']:.3f})")
