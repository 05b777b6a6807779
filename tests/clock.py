"""The suite's pinned clock.

Every test runs at the same instant, whatever the machine's date, so that a rule that
depends on « today » gives the same answer on 31 December, 29 February or the 1st of a
month. `TOIT_TEST_NOW` (ISO date or date-time, Europe/Paris) moves that instant, to check
that the suite holds on other days: `TOIT_TEST_NOW=2028-02-29 make test`. The clock ticks
from there, so durations inside a test stay real. Subprocesses the tests start (the task
worker) read the same variable through their settings and share the same clock.
"""

import datetime
import os
import zoneinfo

DEFAULT_NOW = "2026-12-06T10:00:00"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def pinned_now():
    text = os.environ.get("TOIT_TEST_NOW") or DEFAULT_NOW
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise SystemExit(
            f"TOIT_TEST_NOW={text!r} n'est pas une date ISO : écrivez par exemple 2028-02-29 ou 2028-02-29T10:00."
        ) from error
    if value.tzinfo is None:
        # A bare date is taken at 10:00, in the middle of a working day in Paris.
        if len(text) == 10:
            value = value.replace(hour=10)
        value = value.replace(tzinfo=PARIS)
    return value


def start():
    """Travel to the pinned instant for the rest of this process; returns the traveller."""
    import time_machine

    now = pinned_now()
    os.environ["TOIT_TEST_NOW"] = now.isoformat()
    traveller = time_machine.travel(now, tick=True)
    traveller.start()
    return traveller
