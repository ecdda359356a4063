"""Hugging Face datasets finds every config and split from the card alone and restores
the features (ClassLabel above all) from the files' metadata."""

import datasets
import pytest
from datasets import ClassLabel, Value


def item(feature):
    """The element feature of a list feature: datasets 4.x List/Sequence, or 3.x [dict]."""
    if isinstance(feature, list):
        return feature[0]
    return feature.feature


@pytest.fixture(scope="module")
def articles(release):
    return datasets.load_dataset(str(release), "articles")


@pytest.fixture(scope="module")
def turns(release):
    return datasets.load_dataset(str(release), "turns")


def test_configs_and_splits_from_the_card(release, manifest):
    assert datasets.get_dataset_config_names(str(release)) == [c["name"] for c in manifest["configs"]]
    for c in manifest["configs"]:
        # A split without rows is not in the card: datasets refuses empty splits.
        want = [s["name"] for s in c["splits"] if s["num_examples"] > 0]
        assert datasets.get_dataset_split_names(str(release), c["name"]) == want


def test_row_counts(articles, turns, manifest):
    for ds, name in ((articles, "articles"), (turns, "turns")):
        config = next(c for c in manifest["configs"] if c["name"] == name)
        want = {s["name"]: s["num_examples"] for s in config["splits"] if s["num_examples"] > 0}
        assert {s: ds[s].num_rows for s in ds} == want


def first(dsd):
    """The first split of a DatasetDict ("train" unless the release is tiny)."""
    return dsd[next(iter(dsd))]


def test_article_features(articles):
    f = first(articles).features
    assert f["id"] == Value("string")
    assert f["published"] == Value("timestamp[us, tz=UTC]")
    assert item(f["byline"]) == Value("string")
    assert f["sentiment"]["label"] == ClassLabel(names=["negative", "neutral", "positive"])
    assert f["sentiment"]["score"] == Value("float64")
    qa = item(f["qa_turns"])
    assert qa["role"] == ClassLabel(names=["question", "answer"])
    assert qa["speaker_role"] == ClassLabel(names=["interviewer", "interviewee"])
    assert qa["start"] == Value("int64") and qa["end"] == Value("int64")
    assert item(f["paragraph_sentiment"])["label"].names == ["negative", "neutral", "positive"]
    assert item(f["stance"])["label"] == ClassLabel(names=["against", "neutral", "favor"])


def test_turn_features(turns):
    f = first(turns).features
    assert list(f) == [
        "article_id", "index", "question", "answer", "interviewer", "interviewee",
        "question_start", "question_end", "answer_start", "answer_end", "answer_sentiment", "answer_stance", "split",
    ]
    assert f["answer_sentiment"]["label"].names == ["negative", "neutral", "positive"]
    assert item(f["answer_stance"])["label"].names == ["against", "neutral", "favor"]


def test_labels_decode(articles):
    label = first(articles).features["sentiment"]["label"]
    seen = {label.int2str(r["sentiment"]["label"]) for r in first(articles) if r["sentiment"] is not None}
    assert seen and seen <= {"negative", "neutral", "positive"}


def test_card_features_equal_file_features(release, articles):
    """The card's dataset_info and the files' huggingface key describe the same features."""
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(release / "README.md")
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    assert infos["articles"].features == first(articles).features


def test_label_names_beside_class_labels(articles):
    """The name columns are plain strings that repeat the ClassLabel's name, and the ids
    stay ClassLabels: datasets users keep int2str, other readers get the names."""
    ds = first(articles)
    f = ds.features
    assert f["sentiment"]["label_name"] == Value("string")
    assert item(f["qa_turns"])["role_name"] == Value("string")
    assert item(f["stance"])["label_name"] == Value("string")
    label = f["sentiment"]["label"]
    role = item(f["qa_turns"])["role"]
    n = 0
    for r in ds:
        if r["sentiment"] is not None:
            assert r["sentiment"]["label_name"] == label.int2str(r["sentiment"]["label"])
            n += 1
        for t in r["qa_turns"] if isinstance(r["qa_turns"], list) else []:
            assert t["role_name"] == role.int2str(t["role"])
    assert n > 0


def test_split_column_is_the_split(articles, turns):
    for dsd in (articles, turns):
        for name, ds in dsd.items():
            assert set(ds["split"]) == {name}


def test_arrow_tree_loads_with_classlabels(release, manifest):
    """The Arrow IPC files under arrow/ load with datasets' arrow builder (which reads the
    file format) and restore the same features as the Parquet files."""
    files = {}
    for c in manifest["configs"]:
        if c["name"] != "articles":
            continue
        for s in c["splits"]:
            paths = [str(release / f["path"]) for f in s["files"] if f["format"] == "arrow"]
            if paths and s["num_examples"] > 0:
                files[s["name"]] = paths
    assert files, "the release under test has no Arrow files"
    ds = datasets.load_dataset("arrow", data_files=files)
    for name, d in ds.items():
        assert d.num_rows == next(s["num_examples"] for s in manifest["configs"][0]["splits"] if s["name"] == name)
        assert d.features["sentiment"]["label"] == ClassLabel(names=["negative", "neutral", "positive"])
