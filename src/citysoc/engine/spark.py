"""Run the same match inside Spark (`DataFrame.mapInArrow`) for province-scale log volumes.

The compiled IndicatorSet is broadcast once (as the bytes of its cache file) and rebuilt
once per Python worker. Each log file is one task: it is streamed through exactly the same
`pipeline.match_file` as the local engine (prefilter, reader, matcher), so answers are the
same; Spark adds parallelism over many files and machines. Files must be readable at the
same path on every worker (local disk in local mode, or a shared mount such as NFS).

Entry points:
- `citysoc match --engine spark [--master URL] …` (or `python -m citysoc.engine …`);
- `spark-submit --master spark://HOST:7077 --py-files citysoc.zip
   src/citysoc/engine/spark_submit.py match --indicators list.txt /shared/logs/*.log`
  (spark.py as the application file runs the CLI with `--engine spark`; without
  `--master` the master given to spark-submit is used).

pyspark is imported only here, on use: the engine itself never needs it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from citysoc.engine import pipeline
from citysoc.engine.indicators import IndicatorSet
from citysoc.engine.readers import READERS, base

if TYPE_CHECKING:
    from pyspark.broadcast import Broadcast
    from pyspark.sql import SparkSession

_WORKER_SETS: dict[int, IndicatorSet] = {}
_SPARK_TYPES = {
    pa.string(): "STRING",
    pa.large_string(): "STRING",
    pa.int64(): "BIGINT",
    pa.int32(): "INT",
    pa.int8(): "TINYINT",
    pa.bool_(): "BOOLEAN",
    pa.float64(): "DOUBLE",
}


def _spark_schema(schema: pa.Schema) -> tuple[pa.Schema, str]:
    """Arrow schema of the hits plus per-file stats columns, and the same as Spark DDL."""
    fields = [pa.field(f.name, f.type if f.type in _SPARK_TYPES else pa.string()) for f in schema]
    fields += [
        pa.field("row_type", pa.string()),
        pa.field("file_records", pa.int64()),
        pa.field("file_rejected", pa.int64()),
        pa.field("file_rejects", pa.string()),
    ]
    arrow = pa.schema(fields)
    ddl = ", ".join(f"`{f.name}` {_SPARK_TYPES[f.type]}" for f in arrow)
    return arrow, ddl


def _worker_set(broadcast: Broadcast[bytes]) -> IndicatorSet:
    key = broadcast.id if hasattr(broadcast, "id") else id(broadcast)
    if key not in _WORKER_SETS:
        _WORKER_SETS[key] = IndicatorSet.loads(broadcast.value)
    return _WORKER_SETS[key]


def _match_partition(
    batches: Iterable[pa.RecordBatch],
    broadcast: Broadcast[bytes],
    options: Mapping[str, object],
    schema: pa.Schema,
) -> Iterator[pa.RecordBatch]:
    """mapInArrow body: input rows are (path, reader); output rows are hits and stats."""
    iset = _worker_set(broadcast)
    for batch in batches:
        for row in batch.to_pylist():
            stats = base.ReadStats()
            reader = READERS[row["reader"]]
            for hits in pipeline.match_file(iset, row["path"], reader, options, stats):
                yield _conform(hits, schema, "hit").to_batches()[0]
            stats_row = dict.fromkeys(schema.names)
            stats_row.update(
                row_type="stats",
                log=row["path"],
                file_records=stats.records,
                file_rejected=stats.rejected,
                file_rejects=json.dumps(stats.rejects),
            )
            yield pa.RecordBatch.from_pylist([stats_row], schema=schema)


def _conform(hits: pa.Table, schema: pa.Schema, kind: str) -> pa.Table:
    n = hits.num_rows
    cols = []
    for field in schema:
        if field.name == "row_type":
            cols.append(pa.array([kind] * n, pa.string()))
        elif field.name in hits.column_names:
            cols.append(hits.column(field.name).cast(field.type).combine_chunks())
        else:
            cols.append(pa.nulls(n, field.type))
    return pa.Table.from_arrays(cols, schema=schema).combine_chunks()


def get_session(master: str | None = None, app_name: str = "citysoc-match") -> Any:
    """A SparkSession; `master=None` keeps spark-submit's master (or local[*] if none)."""
    from pyspark.sql import SparkSession

    # Workers must run this same interpreter (with pyarrow and citysoc), not the system
    # python3 that Spark would pick; an explicit PYSPARK_PYTHON still wins.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    elif "spark.master" not in _submitted_conf():
        builder = builder.master("local[*]")
    return builder.getOrCreate()


def _submitted_conf() -> dict[str, str]:
    from pyspark import SparkConf

    return dict(SparkConf().getAll())


def match_with_spark(
    indicators: IndicatorSet,
    logs: list[str | Path],
    readers: list[base.ReaderModule],
    options: Mapping[str, object] | None = None,
    stats: base.ReadStats | None = None,
    master: str | None = None,
    session: SparkSession | None = None,
) -> pa.Table:
    """Same result as `pipeline.match_files`, computed by Spark tasks (one per file)."""
    spark = session or get_session(master)
    stats = stats if stats is not None else base.ReadStats()
    schema, ddl = _spark_schema(pipeline.empty_hits(indicators).schema)
    broadcast = spark.sparkContext.broadcast(indicators.dumps())
    tasks = spark.createDataFrame(
        [(str(Path(p).resolve()), r.NAME) for p, r in zip(logs, readers, strict=True)],
        "path STRING, reader STRING",
    ).repartition(max(len(logs), 1))
    opts = dict(options or {})
    out = tasks.mapInArrow(lambda it: _match_partition(it, broadcast, opts, schema), ddl).toArrow()
    kind = out.column("row_type").to_pylist()
    hit_rows = [k for k, v in enumerate(kind) if v == "hit"]
    for row in out.filter(pa.array([v == "stats" for v in kind])).to_pylist():
        stats.records += row["file_records"]
        stats.rejected += row["file_rejected"]
        for source, line, reason, text in json.loads(row["file_rejects"]):
            if len(stats.rejects) < base.MAX_KEPT_REJECTS:
                stats.rejects.append((source, line, reason, text))
    hits = out.take(pa.array(hit_rows, pa.int64())).drop_columns(
        ["row_type", "file_records", "file_rejected", "file_rejects"]
    )
    return hits.sort_by([("log", "ascending"), ("record", "ascending")])
