"""Run newsds's ingest pipeline on Apache Spark and write a segment.

Spark owns storage, distribution, shuffles and retries; the newsds binary owns every
per-document decision (extraction, identity, dedup keys, annotation); the corpus
receives the result with `newsds ingest --format segment DIR`. See docs/spark.md.

    spark-submit --master spark://HOST:7077 --files newsds,newsds.yaml \\
        spark/newsds_spark.py --input 'hdfs:///crawl/2024-03/*.warc.gz' \\
        --root hdfs:///crawl/2024-03 --out hdfs:///segments/2024-03 \\
        --config newsds.yaml --annotate qa,sentiment

Stages:
  1. binaryFile source over the input globs (any Hadoop file system: file:, hdfs:,
     s3a:, gs:) -> mapInArrow into `newsds extract --stdin`: one row per record,
     a document with its exact key, MinHash signature, LSH band keys and rank, or a
     rejection.
  2. records sharing an id are resolved as a local ingest resolves them (the later
     input by path and position wins; an identical re-read keeps the first copy; a
     different article under the same title and day takes the id of its text).
  3. dedup: exact-key groups and LSH band buckets give candidate pairs, a pair whose
     signatures agree at or above the threshold of newsds.yaml is an edge, and the
     connected components of the edges are the clusters; a cluster's original is its
     member with the smallest rank (earliest published, then smallest id: the rule of
     corpus/dedup.go, which the rank encodes).
  4. originals -> mapInArrow into `newsds extract --annotate --with ...`.
  5. Parquet files of documents, annotations and rejections, then manifest.json with
     their sizes and SHA-256 (written last: a segment without it is incomplete).
"""

import argparse
import hashlib
import json
import os
import stat
import subprocess
import sys
import threading

import pyarrow as pa
import pyarrow.fs as pafs
from pyspark import SparkFiles
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

SEGMENT_FORMAT = "newsds-segment/1"

EXTRACT_SCHEMA = T.StructType([
    T.StructField("path", T.StringType()),
    T.StructField("record", T.StringType()),
    T.StructField("id", T.StringType()),
    T.StructField("doc", T.StringType()),
    T.StructField("raw", T.BinaryType()),
    T.StructField("exact_key", T.StringType()),
    T.StructField("signature", T.BinaryType()),
    T.StructField("band_keys", T.ArrayType(T.LongType())),
    T.StructField("rank", T.StringType()),
    T.StructField("order", T.StringType()),
    T.StructField("error", T.StringType()),
    T.StructField("text_id", T.StringType()),
    T.StructField("text_rank", T.StringType()),
])

ANNOTATION_SCHEMA = T.StructType([
    T.StructField("doc_id", T.StringType()),
    T.StructField("layer", T.StringType()),
    T.StructField("annotation", T.StringType()),
])


def shipped(name):
    """The path of a file shipped with --files (or given as a path that exists)."""
    if os.path.isabs(name) and os.path.exists(name):
        path = name
    else:
        path = SparkFiles.get(os.path.basename(name))
    return path


def executable(name):
    path = shipped(name)
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR)
    return path


def pipe(argv, batches, out_schema):
    """Feed Arrow batches to a newsds process on stdin and yield the batches it writes
    on stdout. A failing process fails the task, which Spark retries elsewhere."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    errors = []
    stderr_tail = []

    def feed():
        writer = None
        try:
            for b in batches:
                if writer is None:
                    writer = pa.ipc.new_stream(proc.stdin, b.schema)
                writer.write_batch(b)
            if writer is not None:
                writer.close()
        except Exception as e:  # the reader below reports the process's own failure
            errors.append(e)
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    def drain():
        for line in proc.stderr:
            stderr_tail.append(line.decode("utf-8", "replace"))
            del stderr_tail[:-50]

    t_in = threading.Thread(target=feed, daemon=True)
    t_err = threading.Thread(target=drain, daemon=True)
    t_in.start()
    t_err.start()
    got = False
    try:
        reader = pa.ipc.open_stream(proc.stdout)
        for b in reader:
            got = True
            yield b
    except pa.ArrowInvalid:
        # newsds wrote nothing: an empty partition (no input batch, so no stream), or
        # a failure reported below.
        pass
    t_in.join()
    rc = proc.wait()
    t_err.join()
    if rc != 0 or errors:
        raise RuntimeError("%s exited %d: %s%s" % (" ".join(argv[:3]), rc, "".join(stderr_tail)[-4000:],
                                                   " (feeding it: %r)" % errors[0] if errors else ""))
    if not got:
        # mapInArrow needs no batch at all for an empty partition.
        return


def extract_partition(newsds, config, root, fmt, fields):
    def run(batches):
        argv = [executable(newsds), "extract", "--stdin", "--quiet", "--format", fmt]
        if config:
            argv += ["--config", shipped(config)]
        for field in fields:
            argv += ["--field", field]
        if root:
            argv += ["--root", root]
        first = next(batches, None)
        if first is None:
            return
        yield from pipe(argv, _chain(first, batches), EXTRACT_SCHEMA)
    return run


def annotate_partition(newsds, config, annotators):
    def run(batches):
        argv = [executable(newsds), "extract", "--annotate", "--quiet", "--with", annotators]
        if config:
            argv += ["--config", shipped(config)]
        first = next(batches, None)
        if first is None:
            return
        yield from pipe(argv, _chain(first, batches), ANNOTATION_SCHEMA)
    return run


def _chain(first, rest):
    yield first
    yield from rest


def _strip(doc_json):
    d = json.loads(doc_json)
    d.pop("provenance", None)
    d.pop("ingested_at", None)
    return d


def resolve_same_id(rows, same_article):
    """Records sharing an id, in input order, as the local ingest writer resolves
    them: a later record replaces the document, except that one equal to it but for
    provenance and ingest time leaves it as it is (the first copy's provenance stays).
    A record whose id is a title-and-day one (text_id set) that names a different
    article (corpus.SameArticle, at newsds's same_article similarity) takes its
    text_id instead, and is resolved the same way against what holds that id."""
    rows = sorted(rows, key=lambda r: r["order"])
    held = {rows[0]["id"]: rows[0]}
    for r in rows[1:]:
        cur = held[r["id"]]
        if r["text_id"] and not same_text_article(r, cur, same_article):
            r = with_id(r, r["text_id"], r["text_rank"])
            cur = held.get(r["id"])
        if cur is None or _strip(r["doc"]) != _strip(cur["doc"]):
            held[r["id"]] = r
    return list(held.values())


def same_text_article(a, b, same_article):
    """corpus.SameArticle: the same exact key, or signatures at least same_article
    alike (with near-duplicate detection off there are none, and only the key tells)."""
    if a["exact_key"] == b["exact_key"]:
        return True
    return bool(a["signature"]) and bool(b["signature"]) and similarity(a["signature"], b["signature"]) >= same_article


def with_id(row, new_id, new_rank):
    """row under new_id, in its columns and in its document's JSON (whose first key is
    id, as newsds writes it), with the dedup rank newsds gives it there."""
    row = dict(row)
    prefix = '{"id":' + json.dumps(row["id"])
    if not row["doc"].startswith(prefix):
        raise ValueError("document JSON of %s does not start with its id" % row["id"])
    row["doc"] = '{"id":' + json.dumps(new_id) + row["doc"][len(prefix):]
    row["id"] = new_id
    row["rank"] = new_rank
    return row


def similarity(a, b):
    """Estimated Jaccard similarity of two MinHash signatures (little-endian uint64s):
    the share of equal positions, as corpus.EstimateJaccard."""
    if not a and not b:
        return 1.0
    if a is None or b is None or len(a) != len(b) or not a:
        return 0.0
    n = len(a) // 8
    same = sum(1 for i in range(n) if a[8 * i:8 * i + 8] == b[8 * i:8 * i + 8])
    return same / n


def connected_components(spark, vertices, edges, max_iter=200):
    """Label every vertex (id, rank) with the smallest rank of its component, by min-label
    propagation over undirected edges (src, dst). Iterations grow with the diameter of
    the largest component, which for duplicate clusters is small. Each round's labels
    are checkpointed to the checkpoint folder (a reliable file system, not executor
    memory): that cuts the query plan, which would otherwise grow with every round, and
    a lost executor does not lose them."""
    und = edges.select("src", "dst").union(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst"))).distinct()
    und = und.checkpoint()
    labels = vertices.select("id", F.col("rank").alias("label")).checkpoint()
    for _ in range(max_iter):
        prop = (und.join(labels, und.src == labels.id).select(F.col("dst").alias("id"), "label")
                .groupBy("id").agg(F.min("label").alias("cand")))
        new = (labels.join(prop, "id", "left")
               .select("id", F.when(F.col("cand").isNotNull() & (F.col("cand") < F.col("label")), F.col("cand"))
                       .otherwise(F.col("label")).alias("label"))
               .checkpoint())
        changed = new.join(labels.withColumnRenamed("label", "old"), "id").where(F.col("label") != F.col("old")).limit(1).count()
        labels = new
        if changed == 0:
            return labels
    raise RuntimeError("connected components did not converge in %d iterations" % max_iter)


def write_manifest(out, counts, dedup):
    fs, base = pafs.FileSystem.from_uri(out) if "://" in out or out.startswith("file:") else (pafs.LocalFileSystem(), os.path.abspath(out))
    files = []
    for kind in ("documents", "annotations", "rejections"):
        try:
            infos = fs.get_file_info(pafs.FileSelector(base.rstrip("/") + "/" + kind, recursive=True))
        except FileNotFoundError:
            continue
        for info in sorted(infos, key=lambda i: i.path):
            name = info.path.rsplit("/", 1)[-1]
            if info.type != pafs.FileType.File or not name.endswith(".parquet"):
                continue
            h = hashlib.sha256()
            with fs.open_input_stream(info.path) as f:
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    h.update(chunk)
            rel = info.path[len(base.rstrip("/")) + 1:]
            files.append({"path": rel, "bytes": info.size, "sha256": h.hexdigest()})
    manifest = {"format": SEGMENT_FORMAT, **counts, "dedup": dedup, "files": files}
    with fs.open_output_stream(base.rstrip("/") + "/manifest.json") as f:
        f.write((json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    return manifest


def dedup_settings(newsds, config):
    """dedup.threshold and dedup.shingle of newsds.yaml (or newsds's defaults), asked
    of the binary itself, so that the driver never reads YAML its own way."""
    argv = [executable(newsds), "extract", "--dedup-settings"]
    if config:
        argv += ["--config", shipped(config)]
    return json.loads(subprocess.run(argv, check=True, capture_output=True).stdout)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", action="append", required=True, help="input glob (repeatable), any Hadoop file system")
    ap.add_argument("--root", default="", help="the folder provenance paths are relative to (default: the first --input's fixed part)")
    ap.add_argument("--out", required=True, help="segment folder to write (overwritten)")
    ap.add_argument("--newsds", default="newsds", help="the newsds binary, shipped with --files (default: newsds)")
    ap.add_argument("--config", default="", help="newsds.yaml shipped with --files (default: newsds's defaults)")
    ap.add_argument("--format", default="auto", help="input format, as ingest --format")
    ap.add_argument("--field", action="append", default=[], metavar="FIELD=KEY",
                    help="read a JSON/JSONL article field from another key (repeatable), as ingest --field")
    ap.add_argument("--annotate", default="", help="annotators to run on the originals, e.g. qa,sentiment")
    ap.add_argument("--partitions", type=int, default=0, help="partitions for the shuffles (default: Spark's)")
    ap.add_argument("--checkpoint-dir", default="", help="folder for the dedup rounds' checkpoints, on a file system every executor reaches (default: OUT/_checkpoints, removed at the end)")
    args = ap.parse_args(argv)

    spark = SparkSession.builder.appName("newsds").getOrCreate()
    if args.partitions:
        spark.conf.set("spark.sql.shuffle.partitions", str(args.partitions))
    # Small Arrow batches: a row of the binaryFile source is a whole file.
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "16")
    root = args.root or _fixed_part(args.input[0])
    dedup = dedup_settings(args.newsds, args.config)
    checkpoints = args.checkpoint_dir or args.out.rstrip("/") + "/_checkpoints"
    spark.sparkContext.setCheckpointDir(checkpoints)
    threshold = dedup["threshold"]

    files = (spark.read.format("binaryFile").load(args.input)
             .select("path", "modificationTime", "content"))
    extracted = files.mapInArrow(extract_partition(args.newsds, args.config, root, args.format, args.field), EXTRACT_SCHEMA)
    extracted = extracted.persist()

    rejections = extracted.where(F.col("error") != "").select("path", "record", "error")
    rows = extracted.where(F.col("error") == "").drop("error")

    # Records sharing an id: rare (the same URL crawled twice), resolved in Python on
    # the few groups concerned.
    counts = rows.groupBy("id").count()
    multi = counts.where(F.col("count") > 1).select("id")
    single = rows.join(counts.where(F.col("count") == 1).select("id"), "id")
    same_article = dedup["same_article"]
    resolved = (rows.join(multi, "id").rdd.map(lambda r: (r["id"], r.asDict())).groupByKey()
                .flatMap(lambda kv: resolve_same_id(list(kv[1]), same_article)))
    docs = single.select(*[f.name for f in EXTRACT_SCHEMA.fields if f.name != "error"])
    names = docs.schema.names
    resolved = resolved.map(lambda d: tuple(d[n] for n in names))
    if not resolved.isEmpty():
        docs = docs.union(spark.createDataFrame(resolved, docs.schema))
    docs = docs.persist()

    # Edges: same exact key (a star around the group's smallest id), and LSH band
    # candidates whose signatures agree at or above the threshold.
    anchor = docs.groupBy("exact_key").agg(F.min("id").alias("anchor"))
    exact_edges = (docs.join(anchor, "exact_key").where(F.col("id") != F.col("anchor"))
                   .select(F.col("id").alias("src"), F.col("anchor").alias("dst")))
    bands = docs.select("id", F.explode("band_keys").alias("band"))
    pairs = (bands.alias("a").join(bands.alias("b"), F.col("a.band") == F.col("b.band"))
             .where(F.col("a.id") < F.col("b.id")).select(F.col("a.id").alias("src"), F.col("b.id").alias("dst")).distinct())
    sigs = docs.select("id", "signature")
    sim = F.udf(similarity, T.DoubleType())
    near_edges = (pairs.join(sigs.withColumnRenamed("id", "src").withColumnRenamed("signature", "s1"), "src")
                  .join(sigs.withColumnRenamed("id", "dst").withColumnRenamed("signature", "s2"), "dst")
                  .where(sim("s1", "s2") >= F.lit(threshold)).select("src", "dst"))
    edges = exact_edges.union(near_edges) if threshold >= 0 else exact_edges

    labels = connected_components(spark, docs.select("id", "rank"), edges)
    # The rank ends with "\x00" + id: the label names the original.
    labels = labels.withColumn("orig", F.substring_index(F.col("label"), "\x00", -1))
    orig_sig = docs.select(F.col("id").alias("orig"), F.col("signature").alias("orig_signature"))
    marked = (docs.join(labels.select("id", "orig"), "id")
              .join(orig_sig, "orig")
              .withColumn("dup_of", F.when(F.col("orig") != F.col("id"), F.col("orig")))
              .withColumn("dup_similarity", F.when(F.col("dup_of").isNotNull(), sim("signature", "orig_signature")))
              .drop("orig", "orig_signature", "order"))
    marked = marked.persist()

    out = args.out.rstrip("/")
    marked.select("id", "doc", "raw", "exact_key", "signature", "band_keys", "rank", "dup_of", "dup_similarity") \
        .write.mode("overwrite").parquet(out + "/documents")
    rejections.write.mode("overwrite").parquet(out + "/rejections")
    n_anns = 0
    if args.annotate:
        originals = marked.where(F.col("dup_of").isNull()).select("id", "doc")
        anns = originals.mapInArrow(annotate_partition(args.newsds, args.config, args.annotate), ANNOTATION_SCHEMA)
        anns = anns.persist()
        anns.write.mode("overwrite").parquet(out + "/annotations")
        n_anns = anns.count()
    n_docs, n_rej = marked.count(), rejections.count()
    manifest = write_manifest(out, {"documents": n_docs, "annotations": n_anns, "rejections": n_rej},
                              dedup)
    if not args.checkpoint_dir:
        _remove(spark, checkpoints)
    print(json.dumps({"segment": out, "documents": n_docs, "annotations": n_anns, "rejections": n_rej,
                      "files": len(manifest["files"])}))
    spark.stop()


def _remove(spark, uri):
    """Delete a folder through Hadoop's file system API (any scheme Spark writes)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(path, True)


def _fixed_part(glob):
    """The folder part of a glob before its first wildcard, as ingest takes it for
    provenance paths."""
    cut = len(glob)
    for ch in "*?[{":
        i = glob.find(ch)
        if i >= 0:
            cut = min(cut, i)
    head = glob[:cut]
    if cut == len(glob):
        return head.rstrip("/")
    return head.rsplit("/", 1)[0] if "/" in head else ""


if __name__ == "__main__":
    sys.exit(main())
