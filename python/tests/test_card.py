"""huggingface_hub parses the card; its metadata is what the Hub accepts."""

from huggingface_hub import DatasetCard, DatasetCardData, RepoCard


def test_dataset_card_parses(release, manifest):
    card = DatasetCard.load(release / "README.md")
    assert isinstance(card.data, DatasetCardData)
    data = card.data.to_dict()
    for key in ("pretty_name", "license", "language", "task_categories", "size_categories",
                "annotations_creators", "language_creators", "source_datasets", "configs", "dataset_info"):
        assert key in data, key
    assert [c["config_name"] for c in data["configs"]] == [c["name"] for c in manifest["configs"]]
    default = [c["config_name"] for c in data["configs"] if c.get("default")]
    assert default == ["articles"]
    info = {i["config_name"]: i for i in data["dataset_info"]}
    for c in manifest["configs"]:
        splits = {s["name"]: s["num_examples"] for s in info[c["name"]]["splits"]}
        # Splits without rows are left out: datasets refuses empty splits.
        assert splits == {s["name"]: s["num_examples"] for s in c["splits"] if s["num_examples"] > 0}
    assert "## Annotation process" in card.text
    assert "## Limitations and biases" in card.text


def test_repo_card_round_trip(release):
    card = RepoCard.load(release / "README.md")
    again = RepoCard(str(card))
    assert again.data.to_dict() == card.data.to_dict()


def test_closed_lists(release):
    data = DatasetCard.load(release / "README.md").data.to_dict()
    assert set(data["size_categories"]) <= {"n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M"}
    assert set(data["annotations_creators"]) <= {
        "crowdsourced", "expert-generated", "found", "machine-generated", "no-annotation", "other"}
    assert set(data["language_creators"]) <= {"crowdsourced", "expert-generated", "found", "machine-generated", "other"}
    assert all(isinstance(lang, str) and 2 <= len(lang) <= 3 for lang in data["language"])


def test_charts_linked_from_the_card_exist(release):
    card = DatasetCard.load(release / "README.md")
    links = [line[line.index("](") + 2:-1] for line in card.text.splitlines() if line.startswith("![")]
    assert links
    for link in links:
        assert (release / link).is_file(), link
        assert (release / link).read_text(encoding="utf-8").startswith("<svg")
