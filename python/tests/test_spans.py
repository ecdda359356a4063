"""Every span points into the text: Python slicing and DuckDB's substring (1-based, code
points) agree, and the turns config's question and answer texts are those slices."""

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import data_files


@pytest.fixture(scope="module")
def db(release, manifest):
    con = duckdb.connect()
    for config in ("articles", "turns"):
        paths = [str(release / f["path"]) for c, _, f in data_files(manifest, "parquet") if c == config]
        con.execute(f"CREATE VIEW {config} AS SELECT * FROM read_parquet({paths!r})")
    yield con
    con.close()


def articles_rows(release, manifest):
    for c, _, f in data_files(manifest, "parquet"):
        if c == "articles":
            yield from pq.read_table(release / f["path"]).to_pylist()


SPAN_COLUMNS = ("qa_turns", "paragraph_sentiment", "stance")


def test_spans_lie_inside_the_text(release, manifest):
    n = 0
    for row in articles_rows(release, manifest):
        text = row["text"]
        for col in SPAN_COLUMNS:
            for item in row[col] or []:
                if item["start"] is None:
                    continue  # a document-level item
                assert 0 <= item["start"] < item["end"] <= len(text), (row["id"], col, item)
                n += 1
    assert n > 0, "the release has no span"


def test_duckdb_substring_equals_python_slice(release, manifest, db):
    rows = db.execute("""
        SELECT id, t.start, t."end", substring(text, t.start + 1, t."end" - t.start)
        FROM (SELECT id, text, unnest(qa_turns) AS t FROM articles)
    """).fetchall()
    assert rows
    texts = {r["id"]: r["text"] for r in articles_rows(release, manifest)}
    for doc, start, end, span in rows:
        assert span == texts[doc][start:end], (doc, start, end)
    # DuckDB's length() counts code points, like Python's len().
    for doc, n in db.execute("SELECT id, length(text) FROM articles").fetchall():
        assert n == len(texts[doc])


def test_turn_texts_are_slices_of_the_article(release, manifest, db):
    texts = {r["id"]: r["text"] for r in articles_rows(release, manifest)}
    turns = db.execute("""
        SELECT article_id, question, answer, question_start, question_end, answer_start, answer_end FROM turns
    """).fetchall()
    assert turns, "the release has no turn"
    for doc, q, a, qs, qe, as_, ae in turns:
        assert texts[doc][qs:qe] == q, (doc, qs, qe)
        assert texts[doc][as_:ae] == a, (doc, as_, ae)
    bad = db.execute("""
        SELECT t.article_id, t.index FROM turns t JOIN articles a ON a.id = t.article_id
        WHERE substring(a.text, t.question_start + 1, t.question_end - t.question_start) <> t.question
           OR substring(a.text, t.answer_start + 1, t.answer_end - t.answer_start) <> t.answer
    """).fetchall()
    assert bad == []


def test_question_turns_are_in_the_article(db):
    missing = db.execute("""
        SELECT t.article_id, t.index FROM turns t
        WHERE NOT EXISTS (
            SELECT 1 FROM (SELECT id, unnest(qa_turns) AS q FROM articles) a
            WHERE a.id = t.article_id AND a.q.start = t.question_start AND a.q."end" = t.question_end AND a.q.role = 0)
    """).fetchall()
    assert missing == []
