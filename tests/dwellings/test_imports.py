"""The pôle's case spreadsheet and the PST operator's list through the import framework,
with the sample files of docs/samples/imports/."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.organisations.factories import OrganisationFactory, member_of
from toit.dwellings.enums import Regime, Tenure
from toit.dwellings.models import Case, Dwelling, MergeProposal, Owner, PstDwelling
from toit.imports.enums import JobStatus
from toit.imports.models import ImportIssue, ImportJob
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.organisations.enums import OrganisationKind
from toit.territory.scopes import TerritoryScope

SAMPLES = "docs/samples/imports/"

pytestmark = pytest.mark.usefixtures("private_root")


def _import(source, sample, organisation, user):
    out = StringIO()
    call_command("toit_import", source, SAMPLES + sample, organisation=organisation, user=user.username, stdout=out)
    return out.getvalue()


def test_the_poles_spreadsheet_builds_dwellings_and_cases(sarthe):
    _import("habitat_indigne", "habitat-indigne.csv", "DDE72", sarthe)
    assert ImportJob.objects.get().status == JobStatus.DONE
    assert Case.objects.count() == 3
    # « 12 bis bd du Gal Leclerc » and « 12B boulevard du Général Leclerc », same floor: one dwelling.
    leclerc = Dwelling.objects.get(commune__insee_code="72181")
    assert leclerc.cases.count() == 2 and leclerc.address_key == "12|bis|boulevard general leclerc"
    assert Owner.objects.filter(name_key="sci des tilleuls donnees fictives").count() == 1
    first = Case.objects.get(pole_reference="PDLHI-2010-001")
    assert (first.exit_on, first.occupants_kept, first.tenure) == (datetime.date(2010, 12, 20), True, Tenure.LET)
    act = first.acts.get()
    assert act.regime == Regime.BEFORE_2021 and act.works.get().deadline == datetime.date(2010, 11, 15)
    peril = Case.objects.get(pole_reference="PDLHI-2010-002").acts.get()
    assert peril.interdiction == "temporaire" and peril.interdiction_until == datetime.date(2010, 10, 20)
    scope = TerritoryScope.department_scope("72")
    assert registry.get("dwellings.occupied_exits_kept").compute(Period.year(2010), scope, tenure="pb") == 1
    assert registry.get("dwellings.followed").compute(Period.year(2010), scope) == 2
    # Importing the same file again adds nothing (natural key: the pôle's case number).
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        _import("habitat_indigne", "habitat-indigne.csv", "DDE72", sarthe)
    assert Case.objects.count() == 3


def test_an_organisation_outside_the_pole_cannot_write_into_the_register(sarthe):
    outsider = member_of(OrganisationFactory(code="CCAS72", name="CCAS", kind=OrganisationKind.LOCAL_AUTHORITY))
    with pytest.raises(CommandError):
        _import("habitat_indigne", "habitat-indigne.csv", "CCAS72", outsider)
    assert not Case.objects.exists() and not Dwelling.objects.exists() and not Owner.objects.exists()
    assert ImportIssue.objects.filter(message__contains="n'est pas membre du pôle").exists()


def test_an_arrete_under_the_wrong_code_is_refused_with_the_reason(sarthe, tmp_path):
    text = (
        "Numéro de dossier;Commune;Voie;Occupation;Date du signalement;Origine du signalement;Arrêté;Date de l'arrêté\n"
        "X-1;72181;3 rue Chanzy;PB;04/02/2021;CAF;Arrêté de péril imminent;15/03/2021\n"
    )
    path = tmp_path / "pole.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command(
            "toit_import", "habitat_indigne", str(path), organisation="DDE72", user="agent-dde", stdout=StringIO()
        )
    assert not Case.objects.exists()
    assert ImportIssue.objects.filter(message__contains="L. 511-11").exists()


def test_the_pst_operators_list_always_creates_dwellings(sarthe):
    operator = OrganisationFactory(code="CALS-PACT", name="CALS-PACT", kind=OrganisationKind.OPERATOR)
    user = member_of(operator, username="agent-pact")
    Dwelling.objects.create(
        department=Commune_72181().department,
        commune=Commune_72181(),
        street="av Jean Jaurès",
        street_number="27",
        complement="1er étage",
        building_type="collectif",
        tenure=Tenure.LET,
    )
    _import("logements_pst", "logements-pst.csv", "CALS-PACT", user)
    assert PstDwelling.objects.count() == 3
    assert set(PstDwelling.objects.values_list("operator__code", flat=True)) == {"CALS-PACT"}
    # Never matched to a dwelling already known to the pôle: the operator learns nothing.
    assert Dwelling.objects.filter(commune__insee_code="72181").count() == 2
    assert not PstDwelling.objects.filter(dwelling__cases__isnull=False).exists()
    # The pôle is asked whether the operator's « 27 av. Jean Jaurès, 1er étage » is the one it knew.
    (proposal,) = MergeProposal.objects.all()
    assert proposal.status == "a_decider" and proposal.address_key == "27||avenue jean jaures"
    scope = TerritoryScope.department_scope("72")
    assert registry.get("dwellings.pst_made_available").compute(Period.span(2008, 2012), scope) == 2


def test_only_an_operator_sends_the_pst_list(sarthe):
    with pytest.raises(CommandError, match=r"[oO]pérateur"):
        _import("logements_pst", "logements-pst.csv", "DDE72", sarthe)
    assert not PstDwelling.objects.exists()


def Commune_72181():
    from toit.territory.models import Commune

    return Commune.objects.get(insee_code="72181")
