"""Energy diagnoses (DPE) through the import framework (sheet 2C): the PST operator's and the
pôle's files, their row errors, and a file that tries to reach a dwelling its sender
cannot see."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.dwellings.factories import DwellingFactory, HousingPoleFactory, PoleMemberFactory
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.dwellings import energy
from toit.dwellings.enums import DpeMethod, PoleService
from toit.dwellings.models import Dwelling, EnergyDiagnosis, PstDwelling
from toit.imports.models import ImportIssue, ImportJob
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.organisations.enums import OrganisationKind
from toit.territory.models import Commune
from toit.territory.scopes import TerritoryScope

SAMPLES = "docs/samples/imports/"

pytestmark = pytest.mark.usefixtures("private_root")
HEADER = "Commune;Numéro;Voie;Complément d'adresse;Identifiant BAN;Étape;Date du DPE;Méthode;Étiquette énergie;Consommation (kWh/m²/an)\n"  # noqa: E501


@pytest.fixture
def operator(sarthe):
    """The PST operator, once its list of dwellings is imported."""
    organisation = OrganisationFactory(code="CALS-PACT", name="CALS-PACT", kind=OrganisationKind.OPERATOR)
    user = member_of(organisation, username="agent-pact")
    _run("logements_pst", SAMPLES + "logements-pst.csv", "CALS-PACT", user)
    ImportJob.objects.all().delete()
    return user


def _run(source, path, organisation, user, *options):
    out = StringIO()
    call_command("toit_import", source, str(path), *options, organisation=organisation, user=user.username, stdout=out)
    return out.getvalue()


def _file(tmp_path, *rows):
    path = tmp_path / "dpe.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def _issues():
    return {i.line_number: i for i in ImportIssue.objects.order_by("line_number")}


def commune(code):
    return Commune.objects.get(insee_code=code)


def test_the_operator_loads_the_dpe_of_its_pst_dwellings(operator):
    _run("dpe_logements", SAMPLES + "dpe-logements.csv", "CALS-PACT", operator)
    assert EnergyDiagnosis.objects.count() == 5
    jaures = PstDwelling.objects.get(operator_reference="PST-2009-014").dwelling
    gain = energy.gain(jaures.energy_diagnoses.all())
    assert (gain.kwh, gain.classes) == (412 - 138, 3)
    fleche = EnergyDiagnosis.objects.get(dwelling__commune__insee_code="72154", stage="avant")
    # « 498,5 » is stored rounded; the method follows from the date.
    assert (fleche.kwh_per_m2_year, fleche.method) == (499, DpeMethod.BEFORE_JULY_2021)
    scope = TerritoryScope.department_scope("72")
    assert registry.get("dwellings.energy_renovated").compute(Period.span(2008, 2012), scope, stock="all") == 2
    # The same file again adds nothing (natural key: address, stage, date).
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        _run("dpe_logements", SAMPLES + "dpe-logements.csv", "CALS-PACT", operator)
    assert EnergyDiagnosis.objects.count() == 5


def test_a_pole_member_loads_a_dpe_of_a_dwelling_it_reads_by_its_ban_id(sarthe, tmp_path):
    dwelling = DwellingFactory(commune=commune("72003"), street="rue de la Gare", ban_id="72003_0420_00012")
    path = _file(tmp_path, "72003;;;;72003_0420_00012;avant;03/03/2022;3CL 2021;E;301")
    _run("dpe_logements", path, "DDE72", sarthe)
    (dpe,) = dwelling.energy_diagnoses.all()
    assert (dpe.method, dpe.energy_class, dpe.department_id) == (DpeMethod.FROM_JULY_2021, "E", dwelling.department_id)
    assert dpe.history.get().history_user == sarthe  # the import's user answers for it


def test_row_errors_say_what_where_and_how_to_fix(operator, tmp_path):
    path = _file(
        tmp_path,
        "72181;27;av Jean Jaurès;1er étage;;avant;15/10/2008;;H;412",
        "72181;27;av Jean Jaurès;1er étage;;avant;15/10/2008;;F;beaucoup",
        "72181;27;av Jean Jaurès;1er étage;;avant;15/10/2008;;F;15 000",
        "72181;27;av Jean Jaurès;1er étage;;avant;15/10/2008;3CL 2021;F;412",
        "72181;27;av Jean Jaurès;1er étage;;avant;15/10/2005;;F;412",
        "72181;;;;;avant;15/10/2008;;F;412",
        "72181;27;av Jean Jaurès;1er étage;;après;20/05/2009;;C;138",
        "72181;27;av Jean Jaurès;1er étage;;avant;01/07/2009;;F;412",
        "72154;5;rue Saint-Jacques;;;avant;01/10/2010;;F;412",
        "72181;3;rue Inconnue;;;avant;15/10/2008;;F;412",
    )
    with pytest.raises(CommandError):
        _run("dpe_logements", path, "CALS-PACT", operator)
    assert not EnergyDiagnosis.objects.exists()
    issues = _issues()
    expected = {
        2: ("Étiquette énergie", "hors de l'échelle du DPE", "de A (la plus économe) à G"),
        3: ("Consommation (kWh/m²/an)", "Ce n'est pas un nombre", "245,6"),
        4: ("Consommation (kWh/m²/an)", "invraisemblable", "consommation annuelle totale"),
        5: ("Méthode", "relève de la « Méthode antérieure au 1er juillet 2021 »", "Toit la déduit de la date"),
        6: ("Date du DPE", "avant son institution", "date d'établissement"),
        7: ("Voie", "n'est pas désigné", "identifiant BAN"),
        9: ("Date du DPE", "qui ne précède pas le DPE après travaux du 20/05/2009", "étape « après travaux »"),
        10: ("Date du DPE", "après la mise à disposition du logement par le PST le 15/09/2010", "avant les travaux"),
        11: ("Voie", "Logement inconnu", "numéro, voie, complément"),
    }
    assert set(issues) == set(expected)
    for line, (column, message, fix) in expected.items():
        issue = issues[line]
        assert issue.column == column and message in issue.message and fix in issue.expected, (line, issue.message)


def test_the_same_dpe_sent_by_the_pole_after_the_operator_is_refused_not_doubled(operator, sarthe, tmp_path):
    _run("dpe_logements", SAMPLES + "dpe-logements.csv", "CALS-PACT", operator)
    path = _file(tmp_path, "72181;27;27 avenue Jean-Jaurès;1er etage;;avant travaux;15/10/2008;;F;410")
    with pytest.raises(CommandError):
        _run("dpe_logements", path, "DDE72", sarthe)
    (issue,) = ImportIssue.objects.filter(job__organisation__code="DDE72")
    assert "déjà un DPE avant travaux du 15/10/2008 (classe F, 412 kWh/m²/an)" in issue.message
    assert "page du logement, avec un motif" in issue.expected
    assert EnergyDiagnosis.objects.count() == 5


def test_two_dwellings_at_one_address_ask_for_the_complement(sarthe, tmp_path):
    for floor in ("1er étage", "2e étage"):
        DwellingFactory(commune=commune("72181"), street_number="4", street="rue Chanzy", complement=floor)
    path = _file(
        tmp_path, "72181;4;rue Chanzy;;;avant;03/03/2010;;E;301", "72181;4;rue Chanzy;2E ETAGE;;avant;03/03/2010;;E;301"
    )
    with pytest.raises(CommandError):
        _run("dpe_logements", path, "DDE72", sarthe)
    issue = _issues()[2]
    assert (issue.column, issue.message) == ("Complément d'adresse", "2 logements du registre à cette adresse")
    assert 3 not in _issues()


# --- Attack: a file must not reach, nor reveal, a dwelling its sender cannot see -----------------


def _refusals(path, organisation, user, reachable=None):
    """The refusals of a file imported with --valid-only; `reachable`: the one dwelling the
    file's valid first row must reach (a control: the sender can import at all)."""
    if reachable is None:
        with pytest.raises(CommandError):
            _run("dpe_logements", path, organisation, user, "--valid-only")
        assert not EnergyDiagnosis.objects.exists()
    else:
        _run("dpe_logements", path, organisation, user, "--valid-only")
        assert list(EnergyDiagnosis.objects.values_list("dwelling", flat=True)) == [reachable.pk]
    return [(i.line_number, i.column, i.message, i.expected) for i in ImportIssue.objects.order_by("line_number")]


def _same_as_unknown(refusals):
    """Every refusal reads exactly as the one of an address that matches nothing (last row)."""
    *hidden, (_, *unknown) = refusals
    assert unknown[1].startswith("Logement inconnu")
    assert hidden and all(refusal[1:] == tuple(unknown) for refusal in hidden)


def test_the_operator_cannot_attach_a_dpe_to_a_dwelling_known_only_to_the_pole(operator, tmp_path):
    DwellingFactory(commune=commune("72181"), street_number="9", street="rue Nationale", ban_id="72181_1111_00009")
    path = _file(
        tmp_path,
        "72181;9;rue Nationale;;;avant;03/03/2010;;E;301",
        "72181;;;;72181_1111_00009;avant;03/03/2010;;E;301",
        "72181;11;rue Nationale;;;avant;03/03/2010;;E;301",
    )
    refusals = _refusals(path, "CALS-PACT", operator)
    _same_as_unknown([refusals[0], refusals[2]])
    # Found by its BAN id, the pôle's dwelling is just as unknown (the column differs: no address).
    assert refusals[1][1:] == ("Identifiant BAN", *refusals[2][2:])
    assert PstDwelling.objects.count() == 3 and not EnergyDiagnosis.objects.exists()


def test_a_member_limited_to_a_commune_cannot_reach_the_next_one(sarthe, tmp_path):
    schs = OrganisationFactory(code="SCHS-LM", name="SCHS du Mans", kind=OrganisationKind.LOCAL_AUTHORITY)
    PoleMemberFactory(pole=HousingPoleFactory(), organisation=schs, service=PoleService.SCHS, commune=commune("72181"))
    user = member_of(schs, username="agent-schs")
    own = DwellingFactory(commune=commune("72181"), street_number="2", street="rue de la Paix")
    DwellingFactory(commune=commune("72003"), street_number="2", street="rue de la Paix")
    path = _file(
        tmp_path,
        "72181;2;rue de la Paix;;;avant;03/03/2010;;E;301",
        "72003;2;rue de la Paix;;;avant;03/03/2010;;E;301",
        "72003;4;rue de la Paix;;;avant;03/03/2010;;E;301",
    )
    _same_as_unknown(_refusals(path, "SCHS-LM", user, reachable=own))


def test_a_national_member_cannot_reach_a_dwelling_of_another_departement(sarthe, tmp_path):
    mayenne = DepartmentFactory(code="53", name="Mayenne", region_code="52")
    laval = CommuneFactory(insee_code="53130", name="Laval", department=mayenne, epci=None)
    DwellingFactory(commune=laval, street_number="1", street="place du Palais")
    national = OrganisationFactory(code="ANAH", name="ANAH", kind=OrganisationKind.STATE, department=None)
    PoleMemberFactory(pole=HousingPoleFactory(), organisation=national)
    user = member_of(national, username="agent-anah")
    own = DwellingFactory(commune=commune("72154"), street_number="1", street="place du Palais")
    path = _file(
        tmp_path,
        "72154;1;place du Palais;;;avant;03/03/2010;;E;301",
        "53130;1;place du Palais;;;avant;03/03/2010;;E;301",
        "53130;3;place du Palais;;;avant;03/03/2010;;E;301",
    )
    _same_as_unknown(_refusals(path, "ANAH", user, reachable=own))
    assert Dwelling.objects.filter(commune=laval).count() == 1  # nothing created either
