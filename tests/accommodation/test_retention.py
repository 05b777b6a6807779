import datetime as dt

from tests.accommodation.factories import ApplicationFactory, ResidentFactory, StayFactory, StructureFactory
from toit.accommodation import retention
from toit.accommodation.enums import CommissionDecision, ExitDestination
from toit.accommodation.metrics import entries, exits, occupied_days, returns_after_housing
from toit.accommodation.models import Application, Resident
from toit.metrics.periods import Period
from toit.territory.scopes import TerritoryScope

TODAY = dt.date(2013, 6, 30)  # cut-off: 30 June 2011
SARTHE = TerritoryScope.department_scope("72")


def _figures():
    return [
        f(period, SARTHE, **params)
        for period in (Period.year(2010), Period.year(2011))
        for f, params in ((entries, {}), (exits, {}), (occupied_days, {}), (returns_after_housing, {"months": "24"}))
    ]


def test_residents_gone_for_the_delay_are_anonymised_and_figures_do_not_change():
    home = StructureFactory()
    gone, back, staying = (ResidentFactory(structure=home, birth_date=dt.date(1970, 1, 1)) for _ in range(3))
    housed = ExitDestination.SOCIAL_HOUSING
    StayFactory(
        structure=home, resident=gone, entry_on=dt.date(2009, 1, 1), exit_on=dt.date(2010, 3, 1), destination=housed
    )
    StayFactory(
        structure=home, resident=back, entry_on=dt.date(2009, 1, 1), exit_on=dt.date(2010, 3, 1), destination=housed
    )
    StayFactory(
        structure=home, resident=back, entry_on=dt.date(2011, 1, 1), exit_on=dt.date(2011, 8, 1), destination=housed
    )
    StayFactory(structure=home, resident=staying, entry_on=dt.date(2008, 1, 1))
    commission_done = ApplicationFactory(
        last_name="Tranché",
        applied_on=dt.date(2010, 1, 1),
        examined_on=dt.date(2010, 2, 1),
        decision=CommissionDecision.REFUSED,
    )
    pending = ApplicationFactory(last_name="Attente", applied_on=dt.date(2009, 1, 1))
    before = _figures()
    dry = retention.plan(today=TODAY)
    assert (dry.residents, dry.applications) == (1, 1)
    assert Resident.objects.filter(anonymised_at__isnull=True).count() == 3
    report = retention.anonymise(today=TODAY)
    assert (report.residents, report.applications) == (1, 1)
    gone.refresh_from_db()
    assert (gone.last_name, gone.first_name, gone.birth_date) == ("", "", None)
    assert gone.anonymised_at is not None
    assert not gone.history.exclude(last_name="").exists()
    back.refresh_from_db()
    staying.refresh_from_db()
    assert back.last_name and staying.last_name  # back: left in August 2011, after the cut-off
    assert Application.objects.get(pk=commission_done.pk).last_name == ""
    assert Application.objects.get(pk=pending.pk).last_name == "Attente"
    assert _figures() == before
    assert "1 résident(s)" in report.describe()
