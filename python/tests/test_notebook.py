"""examples/load_release.ipynb runs top to bottom on the release."""

import os
import pathlib

import nbformat
from nbclient import NotebookClient

NOTEBOOK = pathlib.Path(__file__).resolve().parents[2] / "examples" / "load_release.ipynb"


def test_notebook_runs(release, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDS_RELEASE", str(release))
    # A non-interactive backend in the environment (CI sets one) must not hide the
    # plot: the notebook selects the inline backend itself.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "DatasetDict" in printed
    images = [o for o in outputs if o.get("output_type") == "display_data" and "image/png" in o.get("data", {})]
    assert images, "the notebook displays no plot"
    assert os.listdir(tmp_path) == [], "the notebook left files behind"
