"""mlcroissant validates croissant.json and iterates its records."""

import hashlib
import json

import mlcroissant as mlc
import pytest


@pytest.fixture
def dataset(release):
    # Construction validates the metadata and raises on any error. One per test: a
    # second records() pass over the same Dataset loses the nested fields' values.
    return mlc.Dataset(str(release / "croissant.json"))


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else v


def test_metadata(dataset, manifest):
    md = dataset.metadata
    assert md.version == manifest["version"]
    assert md.license
    ids = {rs.id for rs in md.record_sets}
    assert {"splits", "articles", "turns", "sentiment_labels", "stance_labels", "qa_roles"} <= ids


def test_file_objects_match_the_files(release):
    doc = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    objects = [d for d in doc["distribution"] if d["@type"] == "cr:FileObject"]
    assert objects
    for o in objects:
        path = release / o["contentUrl"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == o["sha256"]
        assert o["contentSize"] == f"{path.stat().st_size} B"


def test_records_of_every_config(dataset, manifest):
    for c in manifest["configs"]:
        records = list(dataset.records(c["name"]))
        assert len(records) == sum(s["num_examples"] for s in c["splits"]), c["name"]
        by_split = {}
        for r in records:
            s = text(r[f"{c['name']}/split"])
            by_split[s] = by_split.get(s, 0) + 1
        assert by_split == {s["name"]: s["num_examples"] for s in c["splits"] if s["num_examples"]}


def test_nested_fields_and_labels(dataset, manifest):
    records = list(dataset.records("articles"))
    turns = [t for r in records for t in r["articles/qa_turns"]]
    assert turns, "no qa turn in the release"
    roles = {t["articles/qa_turns/role"] for t in turns}
    assert roles <= {0, 1}
    names = {r["sentiment_labels/id"]: text(r["sentiment_labels/name"]) for r in dataset.records("sentiment_labels")}
    assert names == {0: "negative", 1: "neutral", 2: "positive"}
    splits = {text(r["splits/name"]) for r in dataset.records("splits")}
    assert splits == {s["name"] for c in manifest["configs"] for s in c["splits"]}
