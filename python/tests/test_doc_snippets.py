"""The Python code blocks of README.md, docs/release.md and the release's own card run
on a real release.

Each document's blocks run in order in one namespace, as a reader pastes them into one
session, with the document's release folder (/tmp/demo/release, what `newsds demo --keep
/tmp/demo` writes; the card's "path/to/this/folder") replaced by the release under test. The Go harness runs this file
with the current datasets major (NEWSDS_VENV) and with datasets 3.x
(NEWSDS_VENV_DATASETS3).

NEWSDS_DOC_SNIPPETS_OPTIONAL names modules a venv may lack (the datasets 3.x venv has no
DuckDB or mlcroissant): a block importing one of them that is missing is skipped, with
every later block that uses a name only a skipped block defines. Every other block must
run, and at least one block must use `datasets`.
"""

import ast
import builtins
import importlib.util
import os
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC_RELEASE = "/tmp/demo/release"
CARD_RELEASE = "path/to/this/folder"
# Document -> the release folder its blocks name. "card" is the release's README.md.
DOCS = {"README.md": DOC_RELEASE, "docs/release.md": DOC_RELEASE, "card": CARD_RELEASE}


def doc_text(doc, release):
    path = release / "README.md" if doc == "card" else ROOT / doc
    return path.read_text(encoding="utf-8")

BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks(text):
    """(line number of the first code line, code) of every ```python block."""
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in BLOCK.finditer(text)]


def names(code):
    """Top-level modules imported, names bound and names read by a block."""
    imported, bound, used = set(), set(), set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            for a in node.names:
                imported.add(a.name.split(".")[0])
                bound.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
            bound.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else used).add(node.id)
    return imported, bound, used


def optional_missing():
    wanted = [m for m in os.environ.get("NEWSDS_DOC_SNIPPETS_OPTIONAL", "").split(",") if m]
    return {m for m in wanted if importlib.util.find_spec(m) is None}


def test_python_blocks_are_found(release):
    for doc, folder in DOCS.items():
        blocks = python_blocks(doc_text(doc, release))
        assert blocks, f"{doc} has no python block"
        assert folder in blocks[0][1], f"{doc}: the first python block does not name {folder}"


@pytest.mark.parametrize("doc", DOCS)
def test_python_blocks_run(doc, release, tmp_path, monkeypatch, capsys):
    import datasets

    monkeypatch.chdir(tmp_path)
    missing = optional_missing()
    ns = {"__name__": "__doc_snippets__"}
    skipped_names, ran_datasets, ran = set(), False, 0
    for line, code in python_blocks(doc_text(doc, release)):
        code = code.replace(DOCS[doc], str(release))
        imported, bound, used = names(code)
        if imported & missing or (used - bound - set(ns) - set(dir(builtins))) & skipped_names:
            skipped_names |= bound - set(ns)
            continue
        try:
            exec(compile(code, f"{doc}:{line}", "exec"), ns)
        except Exception as e:
            pytest.fail(f"{doc}, python block at line {line}, datasets {datasets.__version__}: {type(e).__name__}: {e}")
        ran += 1
        ran_datasets = ran_datasets or "datasets" in imported or bool(used & {"articles", "turns"})
    out = capsys.readouterr().out
    assert ran and out, f"{doc}: no block ran or printed"
    assert ran_datasets, f"{doc}: no block using datasets ran"
    assert os.listdir(tmp_path) == [], f"{doc}: the snippets left files in the working folder"
