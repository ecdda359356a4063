"""mlcroissant validates croissant.json (Croissant 1.1) and iterates its records."""

import hashlib
import json

import mlcroissant as mlc
import pytest

CROISSANT_1_1 = "http://mlcommons.org/croissant/1.1"


@pytest.fixture
def dataset(release):
    # Construction validates the metadata and raises on any error. One per test: a
    # second records() pass over the same Dataset loses the nested fields' values.
    return mlc.Dataset(str(release / "croissant.json"))


@pytest.fixture
def doc(release):
    return json.loads((release / "croissant.json").read_text(encoding="utf-8"))


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else v


def test_metadata(dataset, manifest):
    md = dataset.metadata
    # mlcroissant validates by the version the document conforms to: 1.1, not 1.0.
    assert md.ctx.conforms_to.value == CROISSANT_1_1
    assert md.ctx.is_v1_1()
    assert not md.ctx.issues.errors
    assert md.version == manifest["version"]
    assert md.sd_version == manifest["version"]
    assert md.license
    ids = {rs.id for rs in md.record_sets}
    assert {"splits", "articles", "turns", "sentiment_labels", "stance_labels", "qa_roles", "speaker_roles"} <= ids


def test_conforms_to_1_1(doc):
    assert doc["conformsTo"] == CROISSANT_1_1
    # The 1.1 terms of mlcroissant's own 1.1 context are all defined.
    assert {"isArray", "arrayShape", "containedIn", "prov", "sdVersion"} <= set(doc["@context"])


def test_versioning_and_provenance(dataset, manifest):
    extra = dataset.metadata.extra_properties
    assert extra["isLiveDataset"] is False
    derived = extra["prov:wasDerivedFrom"]
    derived = derived if isinstance(derived, list) else [derived]
    corpus = manifest["corpus"]
    assert any(d.get("version") == corpus["version"] for d in derived), derived
    assert "newsds" in json.dumps(extra["prov:wasGeneratedBy"])
    assert extra["usageInfo"] and extra["conditionsOfAccess"]


def test_file_objects_match_the_files(release, doc, manifest):
    objects = [d for d in doc["distribution"] if d["@type"] == "cr:FileObject"]
    files = {f["path"]: f for c in manifest["configs"] for s in c["splits"] for f in s["files"]}
    assert {o["contentUrl"] for o in objects} == set(files)
    for o in objects:
        path = release / o["contentUrl"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == o["sha256"]
        assert o["contentSize"] == f"{path.stat().st_size} B"
        fmt = files[o["contentUrl"]]["format"]
        assert o["encodingFormat"] == {"parquet": "application/x-parquet", "arrow": "application/vnd.apache.arrow.file"}[fmt]


def test_file_sets_cover_the_files(release, doc, manifest):
    sets = [d for d in doc["distribution"] if d["@type"] == "cr:FileSet"]
    files = {f["path"] for c in manifest["configs"] for s in c["splits"] for f in s["files"]}
    covered = set()
    for s in sets:
        matched = {p.relative_to(release).as_posix() for p in release.glob(s["includes"])}
        assert matched, f"{s['@id']}: {s['includes']} matches no file"
        covered |= matched
    assert covered == files


def test_records_of_every_config(dataset, manifest):
    for c in manifest["configs"]:
        records = list(dataset.records(c["name"]))
        assert len(records) == sum(s["num_examples"] for s in c["splits"]), c["name"]
        by_split = {}
        for r in records:
            s = text(r[f"{c['name']}/split"])
            by_split[s] = by_split.get(s, 0) + 1
        assert by_split == {s["name"]: s["num_examples"] for s in c["splits"] if s["num_examples"]}


def label_sets(doc):
    """Record set id -> {class id: name}, from the enumerations' inline data."""
    out = {}
    for rs in doc["recordSet"]:
        if rs.get("dataType") == "sc:Enumeration":
            out[rs["@id"]] = {row[rs["@id"] + "/id"]: row[rs["@id"] + "/name"] for row in rs["data"]}
    return out


def referencing_fields(fields):
    """(field id, referenced field id) for every field at any depth that references another."""
    for f in fields:
        if "references" in f:
            yield f["@id"], f["references"]["field"]["@id"]
        yield from referencing_fields(f.get("subField", []))


def test_label_fields_reference_their_label_sets(doc):
    sets = label_sets(doc)
    refs = dict(ref for rs in doc["recordSet"] for ref in referencing_fields(rs.get("field", [])))
    # Every class-id field names its label set's key, every label-name twin the names.
    assert refs["articles/sentiment/label"] == "sentiment_labels/id"
    assert refs["articles/sentiment/label_name"] == "sentiment_labels/name"
    assert refs["articles/qa_turns/role"] == "qa_roles/id"
    assert refs["turns/answer_stance/label"] == "stance_labels/id"
    assert refs["articles/split"] == "splits/name"
    for field, target in refs.items():
        rs, _, col = target.rpartition("/")
        assert rs in sets or rs == "splits", (field, target)


def test_labels_resolve_through_the_references(dataset, doc):
    """A reader that knows only croissant.json turns each class id into its label by
    following the field's reference, and gets the label-name column's value."""
    sets = label_sets(doc)
    refs = dict(ref for rs in doc["recordSet"] for ref in referencing_fields(rs.get("field", [])))
    checked = 0

    def check(value, prefix):
        nonlocal checked
        if isinstance(value, list):
            for v in value:
                check(v, prefix)
            return
        if not isinstance(value, dict):
            return
        for k, v in value.items():
            target = refs.get(k)
            if target and target.endswith("/id") and v is not None:
                names = sets[target.rpartition("/")[0]]
                assert text(value[k + "_name"]) == names[v], (k, v)
                checked += 1
            check(v, k)

    for r in dataset.records("articles"):
        check(r, "articles")
    assert checked, "no label in the release"


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
