"""The demo clock: the demo lives at a date inside its plan (TOIT_DEMO_TODAY, development
settings only), so that its deadlines, work queues and winter truce read as its users lived
them. The whole process travels to that date at start-up and the clock ticks from there
(time-machine, as the test suite's own clock: tests/clock.py): every `timezone.now()`,
`timezone.localdate()` and `date.today()` of Toit, Django and the libraries agree, with no
« today » parameter threaded through the code. Nothing here is imported by production
settings, which refuse the variable (config/settings/base.py)."""

import datetime
import zoneinfo

from django.core.exceptions import ImproperlyConfigured

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
_traveller = None


def demo_instant(today, now=None):
    """`today` at the present time of day in Paris: a demo started at 14:05 reads 14:05."""
    now = (now or datetime.datetime.now(PARIS)).astimezone(PARIS)
    return datetime.datetime.combine(today, now.timetz().replace(tzinfo=None), tzinfo=PARIS)


def start_demo_clock(today):
    """Travel this process to `today` (a date), the clock ticking. Idempotent."""
    global _traveller
    if _traveller is not None:
        return _traveller
    try:
        import time_machine
    except ImportError:  # pragma: no cover - installed with the development dependencies
        raise ImproperlyConfigured(
            "TOIT_DEMO_TODAY demande le paquet time-machine (dépendances de développement : make install)."
        ) from None
    _traveller = time_machine.travel(demo_instant(today), tick=True)
    _traveller.start()
    return _traveller


def stop_demo_clock():
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None
