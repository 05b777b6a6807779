import datetime

from tests.dwellings.factories import CaseFactory, CaseReportFactory, DwellingFactory, OwnerFactory, VisitFactory
from toit.dwellings import retention
from toit.dwellings.enums import ExitMode
from toit.dwellings.models import IndelicacyDecision, Owner
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.territory.scopes import TerritoryScope

TODAY = datetime.date(2014, 6, 1)  # cut-off: 1 June 2012


def _owner_with_case(name, exit_on=None, closed_on=None):
    owner = OwnerFactory(name=name, contact="02 43 00 00 00")
    case = CaseFactory(
        dwelling=DwellingFactory(owner=owner),
        opened_on=datetime.date(2010, 1, 1),
        exit_on=exit_on,
        exit_mode=ExitMode.WORKS_OWNER if exit_on else "",
        occupied_at_exit=True if exit_on else None,
        occupants_kept=True if exit_on else None,
        closed_on=closed_on,
    )
    CaseReportFactory(case=case, received_on=datetime.date(2010, 1, 1), disorders="Le locataire M. X signale…")
    VisitFactory(case=case, visitor="Mme Inspectrice", findings="Humidité")
    return owner, case


def _metrics():
    scope = TerritoryScope.department_scope("72")
    return {m.key: m.compute(Period.span(2008, 2012), scope) for m in registry if m.key.startswith("dwellings.")}


def test_owners_are_kept_while_a_case_is_open_then_for_the_set_period(pole):
    old, _ = _owner_with_case("M. Ancien", exit_on=datetime.date(2011, 5, 1))
    recent, _ = _owner_with_case("M. Récent", exit_on=datetime.date(2013, 5, 1))
    open_case, _ = _owner_with_case("M. En cours")
    listed, _ = _owner_with_case("SCI Indélicate", closed_on=datetime.date(2011, 1, 1))
    IndelicacyDecision.objects.create(
        pole=pole,
        owner=listed,
        decided_on=datetime.date(2010, 6, 1),
        grounds="Refus d'exécuter les travaux prescrits",
        review_due_on=datetime.date(2011, 6, 1),
    )
    before = _metrics()
    dry = retention.anonymise(today=TODAY, dry_run=True)
    assert (dry.owners, dry.cases) == (1, 1)
    assert Owner.objects.get(pk=old.pk).name == "M. Ancien"  # a dry run changes nothing
    report = retention.anonymise(today=TODAY)
    assert report.owners == 1 and report.history_rows > 0
    old.refresh_from_db()
    assert (old.name, old.contact) == (retention.ANONYMISED_NAME, "")
    case = old.dwellings.get().cases.get()
    assert case.reports.get().disorders == "" and case.visits.get().visitor == ""
    assert old.history.count() == 1 and old.history.get().history_change_reason == retention.REASON
    for kept in (recent, open_case, listed):
        kept.refresh_from_db()
        assert kept.anonymised_at is None
    assert _metrics() == before  # the indicators do not change
    assert retention.anonymise(today=TODAY).owners == 0  # done once
