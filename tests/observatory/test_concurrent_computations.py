"""Two computations of one plan at the same time (the nightly command and a button on the
dashboard, or two workers) both land: the second waits for the first's lock on the plan's
indicators, then supersedes its figures. Without the lock, both would mark a figure in force
for the same cells and the second would fail on the unique index. PostgreSQL only: SQLite
lets one writer at a time by design."""

import threading

import pytest
from django.db import connection

from tests.observatory.test_engine import Q3, superseded
from toit.observatory import engine
from toit.observatory.models import IndicatorSnapshot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="verrous de lignes : PostgreSQL"),
]


def test_two_computations_at_once_both_land_one_after_the_other(plan, monkeypatch):
    store = engine.store
    together = threading.Barrier(2, timeout=20)

    def store_together(snapshots, indicator_ids):
        together.wait()  # both have computed; both write now
        store(snapshots, indicator_ids)

    monkeypatch.setattr(engine, "store", store_together)
    errors = []

    def compute():
        try:
            engine.compute(plan, periods=[Q3])
        except Exception as exc:  # reported below, with the thread's own exception
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=compute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert IndicatorSnapshot.objects.count() == 2 * 3 * 3
    in_force = IndicatorSnapshot.objects.latest_only()
    assert in_force.count() == 3 * 3
    assert not superseded(in_force).exists()
