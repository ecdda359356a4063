"""examples/load_release_go.ipynb runs top to bottom on the GoNB kernel.

The kernel is installed by examples/gonb-setup.sh (pinned GoNB, goimports, gopls, from
the Go module proxy); the notebook's Go module points at this clone with a replace rule.
"""

import os
import pathlib
import re

import nbformat
import pyarrow.parquet as pq
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "load_release_go.ipynb"


@pytest.fixture(scope="module")
def executed(release, tmp_path_factory):
    if "gonb" not in KernelSpecManager().find_kernel_specs():
        msg = "no gonb Jupyter kernel: run examples/gonb-setup.sh"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (.ci/run must install it before the tests)")
        pytest.skip(msg)
    cwd = tmp_path_factory.mktemp("gonb")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    env = {"NEWSDS_RELEASE": str(release), "NEWSDS_REPO": str(ROOT)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        # The first run compiles newsds and its dependencies: minutes on a cold cache.
        NotebookClient(nb, timeout=900, kernel_name="gonb", resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb, cwd


def printed(nb):
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "stream")


def test_go_notebook_runs(executed, manifest):
    nb, cwd = executed
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    out = printed(nb)
    # The notebook's module used this clone, not a published module.
    assert f"github.com/newsds/newsds => {ROOT}" in out
    assert f"release {manifest['version']} of corpus {manifest['corpus']['name']}" in out
    assert os.listdir(cwd) == [], "the notebook left files behind"


def test_go_notebook_rows_and_spans(executed, release, manifest):
    nb, _ = executed
    out = printed(nb)
    train = next(s for c in manifest["configs"] if c["name"] == "articles" for s in c["splits"] if s["name"] == "train")
    assert f"articles/train: {train['num_examples']} rows in Arrow batches" in out
    # Every span the notebook printed is text[start:end] of a train article.
    texts = []
    for f in train["files"]:
        if f["format"] == "parquet":
            texts += pq.read_table(release / f["path"], columns=["text"]).column("text").to_pylist()
    spans = re.findall(r"span \[(\d+):(\d+)\] \w+: (.*)", out)
    assert spans, out
    for start, end, shown in spans:
        assert any(t[int(start) : int(end)][:60] == shown for t in texts), (start, end, shown)
