"""Entering the register (toit.dwellings.recording): each operation writes everything or
nothing, stamps its author, and refuses whoever does not read the dwelling. The attacks
come first."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.dwellings.factories import (
    ActFactory,
    CaseFactory,
    DwellingFactory,
    HousingPoleFactory,
    OwnerFactory,
    PoleMemberFactory,
    PrescribedWorkFactory,
)
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, DepartmentFactory, EPCIFactory
from toit.dwellings import corrections, recording
from toit.dwellings.enums import ActKind, DpeMethod, Interdiction, MergeStatus, Qualification
from toit.dwellings.models import (
    Act,
    Case,
    CaseQualification,
    CaseReport,
    Dwelling,
    EnergyDiagnosis,
    MergeProposal,
    Owner,
    PrescribedWork,
    Rehousing,
    Visit,
)

ADDRESS = {"street_number": "12", "number_suffix": "bis", "street": "Bd du Gal Leclerc"}
KIND = {"building_type": "collectif", "tenure": "pb"}


@pytest.fixture
def mayenne():
    return DepartmentFactory(code="53", name="Mayenne")


@pytest.fixture
def mayenne_member(mayenne):
    organisation = OrganisationFactory(code="DDT53", name="DDT de la Mayenne")
    PoleMemberFactory(pole=HousingPoleFactory(department=mayenne), organisation=organisation)
    return member_of(organisation)


def _counts():
    models = (Dwelling, Owner, Case, CaseReport, Visit, CaseQualification, Act, PrescribedWork, Rehousing)
    return {m.__name__: m.objects.count() for m in (*models, EnergyDiagnosis, MergeProposal)}


# Attacks.


def test_a_commune_of_another_departement_is_refused_and_tells_nothing_of_its_register(agent, mayenne):
    laval = CommuneFactory(department=mayenne, name="Laval")
    DwellingFactory(commune=laval, street_number="12", number_suffix="bis", street="boulevard Général Leclerc")
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        recording.create_dwelling(user=agent, commune=laval, **ADDRESS, **KIND)
    assert refused.value.message_dict == {"commune": [recording.OUTSIDE_TERRITORY]}  # not DuplicateAddress
    assert _counts() == before


def test_an_epci_member_registers_dwellings_in_its_territory_only(pole):
    epci = EPCIFactory()
    inside, outside = CommuneFactory(epci=epci), CommuneFactory()
    organisation = OrganisationFactory(code="SCHS-X")
    PoleMemberFactory(pole=pole, organisation=organisation, service="epci", epci=epci)
    user = member_of(organisation)
    # A dwelling at this address outside its territory is not a duplicate it may learn of.
    DwellingFactory(commune=outside, **ADDRESS)
    with pytest.raises(ValidationError, match="territoire"):
        recording.create_dwelling(user=user, commune=outside, **ADDRESS, **KIND)
    created = recording.create_dwelling(user=user, commune=inside, **ADDRESS, **KIND)
    assert created.proposals == [] and created.commune == inside


def test_an_owner_one_does_not_read_cannot_be_attached(agent, mayenne):
    foreign = OwnerFactory(department=mayenne)
    with pytest.raises(ValidationError, match="propriétaire"):
        recording.create_dwelling(user=agent, commune=CommuneFactory(), owner=foreign, **ADDRESS, **KIND)
    assert not Dwelling.objects.exists()


@pytest.mark.parametrize(
    "write",
    [
        lambda case, user: recording.open_case(
            case.dwelling, user=user, opened_on=datetime.date(2010, 1, 1), source="caf", tenure="pb"
        ),
        lambda case, user: recording.add_report(case, user=user, received_on=datetime.date(2010, 4, 1), source="caf"),
        lambda case, user: recording.add_visit(case, user=user, visited_on=datetime.date(2010, 4, 1)),
        lambda case, user: recording.add_qualification(
            case, user=user, kind=Qualification.DANGER, qualified_on=datetime.date(2010, 4, 1)
        ),
        lambda case, user: recording.add_act(
            case, user=user, kind=ActKind.DANGER_ORDINARY, signed_on=datetime.date(2010, 4, 1)
        ),
        lambda case, user: recording.add_rehousing(
            case, user=user, on=datetime.date(2010, 4, 1), kind="hebergement", persons=2
        ),
        lambda case, user: recording.record_exit(
            case,
            user=user,
            exit_on=datetime.date(2010, 9, 1),
            exit_mode="travaux_proprietaire",
            occupied_at_exit=True,
            occupants_kept=True,
        ),
        lambda case, user: recording.add_dpe(
            case.dwelling,
            user=user,
            stage="avant",
            made_on=datetime.date(2010, 4, 1),
            energy_class="F",
            kwh_per_m2_year=400,
        ),
    ],
    ids=["case", "report", "visit", "qualification", "act", "rehousing", "exit", "dpe"],
)
def test_nobody_but_a_reader_of_the_dwelling_writes_on_it(write, outsider, mayenne_member):
    case = CaseFactory()
    before = _counts()
    for user in (outsider, mayenne_member):
        with pytest.raises(PermissionDenied, match="registre que vous pouvez lire"):
            write(case, user)
    assert _counts() == before
    case.refresh_from_db()
    assert case.exit_on is None


def test_works_of_an_act_one_does_not_read_are_refused(mayenne_member):
    work = PrescribedWorkFactory()
    with pytest.raises(PermissionDenied):
        recording.add_work(work.act, user=mayenne_member, description="Toiture", deadline=datetime.date(2011, 1, 1))
    with pytest.raises(PermissionDenied):
        recording.record_works_done(work, user=mayenne_member, done_on=datetime.date(2010, 9, 1), done_by="office")
    work.refresh_from_db()
    assert work.done_on is None and PrescribedWork.objects.count() == 1


# What a member enters.


def test_a_new_dwelling_with_a_new_owner_is_stamped_with_its_author(agent):
    commune = CommuneFactory()
    dwelling = recording.create_dwelling(
        user=agent,
        commune=commune,
        new_owner={"kind": "societe", "name": "SCI Les Tilleuls", "contact": ""},
        rooms=3,
        **ADDRESS,
        **KIND,
    )
    assert (dwelling.address_key, dwelling.department, dwelling.owner.name) == (
        "12|bis|boulevard general leclerc",
        commune.department,
        "SCI Les Tilleuls",
    )
    record = dwelling.history.get()
    assert (record.history_user, record.history_change_reason) == (agent, recording.ENTERED)
    assert dwelling.owner.history.get().history_user == agent


def test_a_known_address_is_shown_then_created_anyway_with_a_merge_proposal_never_merged(agent):
    commune = CommuneFactory()
    known = DwellingFactory(commune=commune, street_number="", street="12B, boulevard Général-Leclerc")
    with pytest.raises(recording.DuplicateAddress) as found:
        recording.create_dwelling(
            user=agent, commune=commune, new_owner={"kind": "personne", "name": "M. X"}, **ADDRESS, **KIND
        )
    assert found.value.dwellings == [known]
    assert Dwelling.objects.count() == 1 and not Owner.objects.exists()  # nothing half-written
    second = recording.create_dwelling(user=agent, commune=commune, create_anyway=True, **ADDRESS, **KIND)
    (proposal,) = second.proposals
    assert (proposal.dwelling, proposal.duplicate, proposal.status) == (known, second, MergeStatus.PENDING)
    assert not Dwelling.objects.filter(merged_into__isnull=False).exists()
    assert "fusion proposée" in second.history.get().history_change_reason


def test_a_case_opens_with_its_first_report(agent):
    dwelling = DwellingFactory()
    case = recording.open_case(
        dwelling, user=agent, opened_on=datetime.date(2021, 3, 1), source="caf", tenure="pb", disorders="Humidité"
    )
    (report,) = case.reports.all()
    assert (case.regime, report.received_on, report.disorders) == ("depuis_2021", case.opened_on, "Humidité")
    assert case.history.get().history_user == report.history.get().history_user == agent
    with pytest.raises(ValidationError, match="futur"):
        recording.open_case(dwelling, user=agent, opened_on=datetime.date(2099, 1, 1), source="caf", tenure="pb")


def test_a_merged_dwelling_takes_nothing_more(agent):
    kept = DwellingFactory()
    merged = DwellingFactory(commune=kept.commune)
    Dwelling.objects.filter(pk=merged.pk).update(merged_into=kept)
    merged.refresh_from_db()
    with pytest.raises(ValidationError, match="fusionné"):
        recording.open_case(merged, user=agent, opened_on=datetime.date(2010, 1, 1), source="caf", tenure="pb")
    assert not Case.objects.exists()


def test_an_act_under_a_code_not_in_force_is_refused_naming_the_code_and_nothing_is_written(agent):
    case = CaseFactory(opened_on=datetime.date(2020, 6, 1))
    with pytest.raises(ValidationError) as refused:
        recording.add_act(
            case,
            user=agent,
            kind=ActKind.UNFIT_REMEDIABLE,
            signed_on=datetime.date(2021, 2, 1),
            works_deadline=datetime.date(2021, 8, 1),
            works="Reprise de la toiture\nVMC",
        )
    assert "ordonnance n° 2020-1144" in refused.value.message_dict["kind"][0]
    assert not Act.objects.exists() and not PrescribedWork.objects.exists()
    act = recording.add_act(
        case,
        user=agent,
        kind=ActKind.SAFETY,
        signed_on=datetime.date(2021, 2, 1),
        works_deadline=datetime.date(2021, 8, 1),
        works="- Reprise de la toiture\n\n- VMC",
        interdiction=Interdiction.TEMPORARY,
        interdiction_until=datetime.date(2021, 9, 1),
    )
    assert [w.description for w in act.works.order_by("pk")] == ["Reprise de la toiture", "VMC"]
    assert act.regime == "depuis_2021" and "L. 511-11" in act.legal_basis
    lifting = recording.add_act(case, user=agent, kind=ActKind.LIFTING, signed_on=datetime.date(2021, 10, 1), lifts=act)
    assert lifting.regime == act.regime
    with pytest.raises(ValidationError, match="désigne l'arrêté"):
        recording.add_act(case, user=agent, kind=ActKind.LIFTING, signed_on=datetime.date(2021, 10, 1))
    with pytest.raises(ValidationError, match="date de fin"):
        recording.add_act(
            case,
            user=agent,
            kind=ActKind.SAFETY,
            signed_on=datetime.date(2021, 2, 1),
            interdiction=Interdiction.TEMPORARY,
        )
    with pytest.raises(ValidationError, match="délai d'exécution"):
        recording.add_act(case, user=agent, kind=ActKind.SAFETY, signed_on=datetime.date(2021, 2, 1), works="VMC")
    assert Act.objects.count() == 2


def test_a_lifting_lifts_an_act_of_its_own_case_only(agent):
    case, other = CaseFactory(), CaseFactory()
    foreign = ActFactory(case=other, signed_on=datetime.date(2010, 5, 1))
    with pytest.raises(ValidationError, match="même dossier"):
        recording.add_act(case, user=agent, kind=ActKind.LIFTING, signed_on=datetime.date(2011, 1, 1), lifts=foreign)


def test_works_done_once_by_someone(agent):
    work = PrescribedWorkFactory()
    with pytest.raises(ValidationError, match="qui a réalisé"):
        recording.record_works_done(work, user=agent, done_on=datetime.date(2010, 9, 1), done_by="")
    recording.record_works_done(work, user=agent, done_on=datetime.date(2010, 9, 1), done_by="office")
    work.refresh_from_db()
    assert (work.done_by, work.history.latest().history_change_reason) == ("office", "travaux réalisés")
    with pytest.raises(ValidationError, match="déjà enregistrés"):
        recording.record_works_done(work, user=agent, done_on=datetime.date(2010, 9, 2), done_by="proprietaire")


def test_exit_says_how_and_whether_occupants_stayed(agent):
    case = CaseFactory()
    exit_ = {"exit_on": datetime.date(2011, 1, 1), "exit_mode": "travaux_proprietaire"}
    with pytest.raises(ValidationError, match="occupé à la sortie"):
        recording.record_exit(case, user=agent, occupied_at_exit=False, occupants_kept=True, **exit_)
    with pytest.raises(ValidationError, match="précéder"):
        recording.record_exit(
            case,
            user=agent,
            exit_on=datetime.date(2009, 1, 1),
            exit_mode="demolition",
            occupied_at_exit=False,
            occupants_kept=False,
        )
    recording.record_exit(case, user=agent, occupied_at_exit=True, occupants_kept=True, **exit_)
    case.refresh_from_db()
    assert (case.exit_on, case.occupants_kept) == (datetime.date(2011, 1, 1), True)
    with pytest.raises(ValidationError, match="déjà sorti"):
        recording.record_exit(case, user=agent, occupied_at_exit=True, occupants_kept=False, **exit_)


def test_a_second_qualification_of_one_kind_is_refused(agent):
    case = CaseFactory()
    recording.add_qualification(case, user=agent, kind=Qualification.DANGER, qualified_on=datetime.date(2010, 4, 1))
    with pytest.raises(ValidationError, match="déjà qualifié"):
        recording.add_qualification(case, user=agent, kind=Qualification.DANGER, qualified_on=datetime.date(2010, 5, 1))
    with pytest.raises(ValidationError, match="précède l'ouverture"):
        recording.add_visit(case, user=agent, visited_on=datetime.date(2009, 1, 1))


def test_the_dpe_method_follows_its_date(agent):
    dwelling = DwellingFactory()
    old = recording.add_dpe(
        dwelling, user=agent, stage="avant", made_on=datetime.date(2021, 6, 30), energy_class="F", kwh_per_m2_year=400
    )
    new = recording.add_dpe(
        dwelling, user=agent, stage="apres", made_on=datetime.date(2021, 7, 1), energy_class="C", kwh_per_m2_year=150
    )
    assert (old.method, new.method) == (DpeMethod.BEFORE_JULY_2021, DpeMethod.FROM_JULY_2021)


def test_every_kind_of_record_entered_is_correctable_with_a_reason(agent):
    """What recording creates, corrections correct: one kind per model."""
    dwelling = recording.create_dwelling(
        user=agent, commune=CommuneFactory(), new_owner={"kind": "personne", "name": "Mme Y"}, **ADDRESS, **KIND
    )
    case = recording.open_case(dwelling, user=agent, opened_on=datetime.date(2010, 1, 4), source="caf", tenure="pb")
    act = recording.add_act(
        case,
        user=agent,
        kind=ActKind.DANGER_ORDINARY,
        signed_on=datetime.date(2010, 3, 1),
        works_deadline=datetime.date(2010, 9, 1),
        works="Étaiement",
    )
    records = [
        dwelling,
        dwelling.owner,
        case,
        case.reports.get(),
        recording.add_visit(case, user=agent, visited_on=datetime.date(2010, 1, 20)),
        recording.add_qualification(case, user=agent, kind="peril", qualified_on=datetime.date(2010, 2, 1)),
        act,
        act.works.get(),
        recording.add_rehousing(case, user=agent, on=datetime.date(2010, 3, 5), kind="hebergement", persons=3),
        recording.add_dpe(
            dwelling,
            user=agent,
            stage="avant",
            made_on=datetime.date(2010, 1, 4),
            energy_class="G",
            kwh_per_m2_year=500,
        ),
    ]
    kinds = {model: kind for kind, (model, _, _) in corrections.CORRECTABLE.items()}
    for record in records:
        kind = kinds[type(record)]
        _, _, fields = corrections.CORRECTABLE[kind]
        corrections.correct(kind, record, {fields[0]: getattr(record, fields[0])}, user=agent, reason="Relecture")
        assert record.history.latest().history_change_reason == "Correction : Relecture"


def test_an_anonymised_owner_is_not_attached_to_a_new_dwelling(agent):
    from django.utils import timezone

    commune = CommuneFactory()
    gone = OwnerFactory(department=commune.department, name="Propriétaire anonymisé", anonymised_at=timezone.now())
    with pytest.raises(ValidationError, match="anonymisé"):
        recording.create_dwelling(user=agent, commune=commune, owner=gone, **ADDRESS, **KIND)
    assert not Dwelling.objects.exists()
