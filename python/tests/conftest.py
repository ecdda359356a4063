"""Shared fixtures: the release folder under test and its manifest.

The Go test datasets/python_test.go builds a release and runs
`python -m pytest python/tests --release DIR`; NEWSDS_RELEASE works too.
"""

import json
import os
import pathlib

import pytest


def pytest_addoption(parser):
    parser.addoption("--release", default=os.environ.get("NEWSDS_RELEASE"), help="release folder to check")


@pytest.fixture(scope="session")
def release(pytestconfig) -> pathlib.Path:
    d = pytestconfig.getoption("--release")
    if not d:
        pytest.fail("no release to check: pass --release DIR or set NEWSDS_RELEASE")
    p = pathlib.Path(d).resolve()
    if not (p / "newsds-release.json").is_file():
        pytest.fail(f"{p} is not a newsds release (no newsds-release.json)")
    return p


@pytest.fixture(scope="session")
def manifest(release) -> dict:
    return json.loads((release / "newsds-release.json").read_text(encoding="utf-8"))


def data_files(manifest, fmt=None):
    """(config, split, file) for every data file of the manifest, optionally of one format."""
    for c in manifest["configs"]:
        for s in c["splits"]:
            for f in s["files"]:
                if fmt is None or f["format"] == fmt:
                    yield c["name"], s["name"], f
