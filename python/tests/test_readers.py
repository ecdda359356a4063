"""The release folder opens as-is with the readers people use outside Hugging Face
datasets: pandas, polars (eager and lazy), pyarrow.dataset, DuckDB and Spark read the
Parquet folder of a config as a whole, and pyarrow, polars and Feather readers open the
Arrow IPC files. Each reader must give the manifest's rows, the split of every row, the
label names beside the class ids, and spans that are slices of the text (code points).

The layout (docs/release.md): data/<config>/*.parquet holds nothing but Parquet, and
arrow/<config>/*.arrow holds the Arrow IPC files (the file format, random access).
"""

import pathlib

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.feather as feather
import pyarrow.ipc as ipc
import pytest

from conftest import data_files

SENTIMENT = ["negative", "neutral", "positive"]
STANCE = ["against", "neutral", "favor"]
ROLES = ["question", "answer"]
SPEAKER_ROLES = ["interviewer", "interviewee"]


def split_counts(manifest, config):
    c = next(c for c in manifest["configs"] if c["name"] == config)
    return {s["name"]: s["num_examples"] for s in c["splits"] if s["num_examples"] > 0}


def folder(release, config, tree="data") -> pathlib.Path:
    return release / tree / config


def test_data_folders_hold_one_format(release, manifest):
    """What makes folder readers work: no Arrow file beside the Parquet files."""
    for config in ("articles", "turns"):
        assert {p.suffix for p in folder(release, config).iterdir()} == {".parquet"}
    arrow = list(data_files(manifest, "arrow"))
    assert arrow, "the release under test has no Arrow files (release it with --format parquet,arrow)"
    for _, _, f in arrow:
        assert f["path"].startswith("arrow/") and f["path"].endswith(".arrow"), f["path"]


def check_article_rows(rows, manifest):
    """rows: article dicts as a reader gives them (pylist form)."""
    counts = {}
    spans = labels = 0
    for r in rows:
        counts[r["split"]] = counts.get(r["split"], 0) + 1
        text = r["text"]
        if r["sentiment"] is not None:
            assert r["sentiment"]["label_name"] == SENTIMENT[r["sentiment"]["label"]], r["id"]
            labels += 1
        for t in r["qa_turns"] or []:
            assert t["role_name"] == ROLES[t["role"]], r["id"]
            if t["speaker_role"] is None:
                assert t["speaker_role_name"] is None
            else:
                assert t["speaker_role_name"] == SPEAKER_ROLES[t["speaker_role"]]
            assert 0 <= t["start"] < t["end"] <= len(text)
            spans += 1
        for s in r["stance"] or []:
            assert s["label_name"] == STANCE[s["label"]], r["id"]
            labels += 1
            if s["start"] is not None:
                assert text[s["start"] : s["end"]], r["id"]
                spans += 1
        for p in r["paragraph_sentiment"] or []:
            assert p["label_name"] == SENTIMENT[p["label"]], r["id"]
            if p["start"] is not None:
                assert text[p["start"] : p["end"]].strip() == text[p["start"] : p["end"]], (r["id"], p)
                spans += 1
    assert counts == split_counts(manifest, "articles")
    assert spans > 0 and labels > 0


@pytest.fixture(scope="module")
def reference(release):
    """Rows read file by file with pyarrow.parquet: what every folder reader must match."""
    import pyarrow.parquet as pq

    out = {}
    for config in ("articles", "turns"):
        tables = [pq.read_table(p) for p in sorted(folder(release, config).glob("*.parquet"))]
        out[config] = pa.concat_tables(tables)
    return out


def by_id(rows, key="id"):
    return sorted(rows, key=lambda r: (r[key], r.get("index") or 0))


def test_pandas_reads_the_folder(release, manifest, reference):
    df = pd.read_parquet(folder(release, "articles"))
    assert len(df) == sum(split_counts(manifest, "articles").values())
    assert df.groupby("split").size().to_dict() == split_counts(manifest, "articles")
    # Nested columns come back as Python objects; the names are there without features.
    names = {s["label_name"] for s in df["sentiment"] if s is not None}
    assert names and names <= set(SENTIMENT)
    turns = pd.read_parquet(folder(release, "turns"))
    assert len(turns) == reference["turns"].num_rows


def test_polars_eager_reads_the_folder(release, manifest, reference):
    df = pl.read_parquet(folder(release, "articles"))
    assert df.height == reference["articles"].num_rows
    check_article_rows(df.to_dicts(), manifest)
    got = df.group_by("split").len().to_dict(as_series=False)
    assert dict(zip(got["split"], got["len"])) == split_counts(manifest, "articles")


def test_polars_lazy_nested_columns(release, manifest):
    lf = pl.scan_parquet(folder(release, "articles"))
    # Explode the interview turns and slice the text with polars itself: str.slice
    # counts characters (code points), as the offsets do.
    turns = (
        lf.select("id", "text", pl.col("qa_turns"))
        .explode("qa_turns")
        .unnest("qa_turns")
        .filter(pl.col("start").is_not_null())
        .with_columns(pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")).alias("span"))
        .collect()
    )
    assert turns.height > 0
    for r in turns.iter_rows(named=True):
        assert r["span"] == r["text"][r["start"] : r["end"]], r["id"]
        assert r["role_name"] == ROLES[r["role"]]
    labels = (
        lf.select(pl.col("sentiment").struct.field("label_name").alias("name"))
        .drop_nulls()
        .unique()
        .collect()["name"]
        .to_list()
    )
    assert labels and set(labels) <= set(SENTIMENT)
    # The turns config: question and answer are the text's slices.
    t = pl.scan_parquet(folder(release, "turns")).collect()
    a = pl.scan_parquet(folder(release, "articles")).select("id", "text").collect()
    j = t.join(a, left_on="article_id", right_on="id")
    assert j.height == t.height > 0
    for r in j.iter_rows(named=True):
        assert r["text"][r["question_start"] : r["question_end"]] == r["question"]
        assert r["text"][r["answer_start"] : r["answer_end"]] == r["answer"]


def test_turn_rows_keep_their_articles_split(release):
    t = pl.read_parquet(folder(release, "turns"))
    a = pl.read_parquet(folder(release, "articles")).select("id", pl.col("split").alias("article_split"))
    j = t.join(a, left_on="article_id", right_on="id")
    assert j.height == t.height > 0
    assert (j["split"] == j["article_split"]).all()


def test_pyarrow_dataset_reads_the_folder(release, manifest, reference):
    for config in ("articles", "turns"):
        table = pads.dataset(folder(release, config), format="parquet").to_table()
        assert table.num_rows == reference[config].num_rows
        assert table.column("split").to_pylist().count("train") == split_counts(manifest, config).get("train", 0)
    check_article_rows(pads.dataset(folder(release, "articles"), format="parquet").to_table().to_pylist(), manifest)


def test_arrow_ipc_files_open_with_random_access(release, manifest, reference):
    for config in ("articles", "turns"):
        tables = []
        for p in sorted(folder(release, config, "arrow").glob("*.arrow")):
            with pa.memory_map(str(p)) as src:
                r = ipc.open_file(src)
                assert r.num_record_batches >= 1
                last = r.get_batch(r.num_record_batches - 1)  # random access through the footer
                assert last.num_rows > 0
                tables.append(r.read_all())
            # Feather v2 is the IPC file format.
            assert feather.read_table(p).equals(tables[-1])
            assert pl.read_ipc(p).height == tables[-1].num_rows
        whole = pa.concat_tables(tables)
        assert sorted(whole.column("split").to_pylist()) == sorted(reference[config].column("split").to_pylist())
        ds = pads.dataset(folder(release, config, "arrow"), format="ipc").to_table()
        assert ds.num_rows == reference[config].num_rows
    lazy = pl.scan_ipc(folder(release, "articles", "arrow") / "*.arrow").select("id", "split").collect()
    assert lazy.height == reference["articles"].num_rows


@pytest.fixture(scope="module")
def duck():
    con = duckdb.connect()
    yield con
    con.close()


def test_duckdb_file_glob_and_folder_glob(release, manifest, duck):
    d = folder(release, "articles")
    n = sum(split_counts(manifest, "articles").values())
    for pattern in (f"{d}/*.parquet", f"{d}/*"):
        assert duck.execute(f"SELECT count(*) FROM read_parquet('{pattern}')").fetchone()[0] == n
    got = dict(duck.execute(f"SELECT split, count(*) FROM read_parquet('{d}/*') GROUP BY split").fetchall())
    assert got == split_counts(manifest, "articles")
    names = {r[0] for r in duck.execute(f"SELECT DISTINCT sentiment.label_name FROM read_parquet('{d}/*') WHERE sentiment IS NOT NULL").fetchall()}
    assert names and names <= set(SENTIMENT)
    # Spans with DuckDB's own substring (1-based, code points).
    rows = duck.execute(
        f"""SELECT a.text, t.start, t."end", substring(a.text, t.start + 1, t."end" - t.start), t.role_name
            FROM (SELECT text, unnest(qa_turns) AS t FROM read_parquet('{d}/*')) AS a"""
    ).fetchall()
    assert rows
    for text, s, e, span, role in rows:
        assert span == text[s:e] and role in ROLES


@pytest.fixture(scope="module")
def spark():
    pyspark = pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    s = (
        SparkSession.builder.master("local[1]")
        .appName("newsds-readers")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "512m")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    assert pyspark.__version__
    yield s
    s.stop()


def test_spark_reads_the_folder(release, manifest, spark):
    from pyspark.sql import functions as F

    df = spark.read.parquet(str(folder(release, "articles")))
    got = {r["split"]: r["count"] for r in df.groupBy("split").count().collect()}
    assert got == split_counts(manifest, "articles")
    names = {r[0] for r in df.select(F.col("sentiment.label_name")).where(F.col("sentiment").isNotNull()).distinct().collect()}
    assert names and names <= set(SENTIMENT)
    # Spark's substring is 1-based and counts code points, as the offsets do.
    turns = (
        df.select("text", F.explode("qa_turns").alias("t"))
        .select(
            "text",
            F.col("t.start").alias("s"),
            F.col("t.end").alias("e"),
            F.col("t.role_name").alias("role"),
            F.expr("substring(text, t.start + 1, t.end - t.start)").alias("span"),
        )
        .collect()
    )
    assert turns
    for r in turns:
        assert r["span"] == r["text"][r["s"] : r["e"]] and r["role"] in ROLES
    t = spark.read.parquet(str(folder(release, "turns")))
    assert {r["split"]: r["count"] for r in t.groupBy("split").count().collect()} == split_counts(manifest, "turns")
