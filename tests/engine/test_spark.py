"""The Spark path (mapInArrow, broadcast set) gives the local engine's answer."""

from __future__ import annotations

import importlib.util
import logging
import shutil

import pytest

from citysoc.engine import pipeline
from citysoc.engine.readers import READERS, base
from tests.engine import support

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed"
    ),
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for Spark"),
]

FILES = [
    ("csv", "csv/firewall_export.csv"),
    ("suricata_eve", "suricata_eve/eve.json"),
    ("zeek_tsv", "zeek_tsv/dns.log"),
    ("zeek_json", "zeek_json/conn_ssl.log.gz"),
    ("squid", "squid/access.log"),
    ("iptables", "iptables/crlf.log"),
]


# A JVM that lives for a few seconds of tiny files: its optimising compiler and parallel
# collector only burn CPU the other test worker needs (22 → 14 CPU-seconds for this test).
# The web UI is not needed either. A user's long Spark job keeps the JVM's defaults.
QUICK_JVM = {
    "JAVA_TOOL_OPTIONS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    "PYSPARK_SUBMIT_ARGS": "--conf spark.ui.enabled=false pyspark-shell",
}


@pytest.fixture(scope="module")
def spark():
    from citysoc.engine.spark import get_session

    with pytest.MonkeyPatch.context() as patch:
        for name, value in QUICK_JVM.items():
            patch.setenv(name, value)
        session = get_session("local[2]", app_name="citysoc-test")
    yield session
    session.stop()
    # py4j logs its shutdown after pytest has closed the captured streams: keep it quiet.
    logging.getLogger("py4j").setLevel(logging.ERROR)


def test_spark_matches_like_the_local_engine(spark, engine_fixture):
    from citysoc.engine.spark import match_with_spark

    iset = support.indicator_set()
    paths = [engine_fixture(f) for _, f in FILES]
    readers = [READERS[n] for n, _ in FILES]
    local_stats, spark_stats = base.ReadStats(), base.ReadStats()
    local = pipeline.match_files(iset, paths, readers, {}, local_stats)
    remote = match_with_spark(iset, paths, readers, {}, spark_stats, session=spark)

    def key(t):
        cols = ("log", "record", "indicator", "direction", "internal_host", "remote")
        return sorted(zip(*(t.column(c).to_pylist() for c in cols), strict=True))

    assert key(remote) == key(local)
    assert (spark_stats.records, spark_stats.rejected) == (
        local_stats.records,
        local_stats.rejected,
    )
