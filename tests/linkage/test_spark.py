"""The engine on Splink's Spark backend, on a local Spark. The one skip the issue allows:
it runs where Java and pyspark are installed and says why it does not elsewhere
(docs/linkage.md explains how to install them)."""

import datetime
import importlib.util
import shutil

import pytest

from toit.linkage import engine
from toit.linkage.identity import Identity

SPARK_MISSING = importlib.util.find_spec("pyspark") is None or shutil.which("java") is None


@pytest.mark.skipif(SPARK_MISSING, reason="Spark local indisponible : pyspark ou Java absent (voir docs/linkage.md)")
def test_small_run_on_local_spark():
    from pyspark.sql import SparkSession
    from splink import SparkAPI

    spark = SparkSession.builder.master("local[1]").appName("toit-linkage-test").getOrCreate()
    try:
        db_api = SparkAPI(spark_session=spark)
        born = datetime.date(1975, 3, 12)
        engine.load_rows(db_api, "spark_a", [Identity("dalo", "1", "NOËL", "Éric", birth_date=born).row()])
        engine.load_rows(
            db_api,
            "spark_b",
            [
                Identity("demande", "2", "Noel", "eric", birth_date=born).row(),
                Identity("demande", "3", "PETIT", "Lucie", birth_date=datetime.date(1990, 6, 6)).row(),
            ],
        )
        result = engine.link_tables(db_api, ["spark_a", "spark_b"])
        assert [(p.left, p.right) for p in result.pairs] == [("dalo:1", "demande:2")]
    finally:
        spark.stop()
