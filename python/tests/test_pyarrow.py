"""pyarrow reads every shard, with the row counts and checksums of the manifest."""

import hashlib
import json

import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from conftest import data_files


def test_every_parquet_shard_reads(release, manifest):
    files = list(data_files(manifest, "parquet"))
    assert files, "the release has no Parquet file"
    for config, split, f in files:
        path = release / f["path"]
        table = pq.read_table(path)
        assert table.num_rows == f["rows"], f["path"]
        assert path.stat().st_size == f["size"], f["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"], f["path"]
        meta = json.loads(table.schema.metadata[b"huggingface"])
        assert list(meta["info"]["features"]) == table.schema.names, f["path"]


def test_shards_of_a_config_share_one_schema(release, manifest):
    for c in manifest["configs"]:
        schemas = {
            pq.read_schema(release / f["path"]).to_string(show_schema_metadata=False)
            for s in c["splits"]
            for f in s["files"]
            if f["format"] == "parquet"
        }
        assert len(schemas) == 1, c["name"]


def test_types_pyarrow_sees(release, manifest):
    _, _, f = next(x for x in data_files(manifest, "parquet") if x[0] == "articles")
    schema = pq.read_schema(release / f["path"])
    assert schema.field("published").type == pa.timestamp("us", tz="UTC")
    assert schema.field("text").type == pa.string()
    qa = schema.field("qa_turns").type
    assert pa.types.is_list(qa) and pa.types.is_struct(qa.value_type)
    assert qa.value_type.field("start").type == pa.int64()
    assert schema.field("sentiment").type.field("label").type == pa.int64()


def test_arrow_files_match_parquet(release, manifest):
    """Each Arrow IPC file (the file format: footer, random access) under arrow/ holds the
    rows of its Parquet twin under data/, with the same schema metadata."""
    arrow = {(c, s, f["path"].split("/", 1)[1].rsplit(".", 1)[0]): f for c, s, f in data_files(manifest, "arrow")}
    assert arrow, "the release under test has no Arrow files"
    matched = 0
    for c, s, f in data_files(manifest, "parquet"):
        key = (c, s, f["path"].split("/", 1)[1].rsplit(".", 1)[0])
        if key not in arrow:
            continue
        a = arrow[key]
        assert a["path"] == "arrow/" + f["path"].split("/", 1)[1].rsplit(".", 1)[0] + ".arrow"
        with pa.memory_map(str(release / a["path"])) as src:
            table = ipc.open_file(src).read_all()
        assert table.num_rows == f["rows"] == a["rows"]
        pq_table = pq.read_table(release / f["path"])
        assert table.equals(pq_table)
        assert table.schema.metadata[b"huggingface"] == pq_table.schema.metadata[b"huggingface"]
        matched += 1
    assert matched == len(arrow)


def test_label_name_columns(release, manifest):
    """Every class-id column has a <name>_name twin with its label, for readers without
    the Hugging Face features."""
    _, _, f = next(x for x in data_files(manifest, "parquet") if x[0] == "articles")
    schema = pq.read_schema(release / f["path"])
    assert schema.field("sentiment").type.field("label_name").type == pa.string()
    qa = schema.field("qa_turns").type.value_type
    assert qa.field("role_name").type == pa.string() and qa.field("speaker_role_name").type == pa.string()
    assert schema.field("split").type == pa.string()
