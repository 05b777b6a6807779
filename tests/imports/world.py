"""The partners and files the sample files of docs/samples/imports/ refer to."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from tests.eviction.factories import (
    HouseholdFactory,
    HouseholdMemberFactory,
    PreventionFileFactory,
    PrivateLandlordFactory,
    prefecture,
)
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory
from toit.eviction.enums import HousingSector
from toit.organisations.enums import OrganisationKind, Role

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples" / "imports"
D = datetime.date


@dataclass
class World:
    communes: dict
    caf: object
    landlord: object
    prefecture: object
    fsl: object
    council: object
    users: dict
    durand_file: object
    benali_file: object
    lemoine_file: object


def build_world():
    communes = {
        code: CommuneFactory(insee_code=code, name=name, postcodes=postcodes)
        for code, name, postcodes in [
            ("72181", "Le Mans", ["72000", "72100"]),
            ("72003", "Allonnes", ["72700"]),
            ("72154", "La Flèche", ["72200"]),
            ("72264", "Sablé-sur-Sarthe", ["72300"]),
        ]
    }
    caf = OrganisationFactory(code="CAF72", name="CAF de la Sarthe", kind=OrganisationKind.CAF_MSA)
    landlord = OrganisationFactory(code="SARTHE-HABITAT", name="Sarthe Habitat", kind=OrganisationKind.SOCIAL_LANDLORD)
    office = prefecture()
    fsl = OrganisationFactory(code="FSL72", name="FSL de la Sarthe", kind=OrganisationKind.FSL)
    council = OrganisationFactory(
        code="CG72", name="Conseil général de la Sarthe", kind=OrganisationKind.LOCAL_AUTHORITY
    )
    users = {
        org.code: member_of(org, Role.AGENT, username=f"agent-{org.code.lower()}")
        for org in (caf, landlord, office, fsl, council)
    }
    le_mans = communes["72181"]
    durand = HouseholdFactory(
        street="12 bis rue de la Gare",
        commune=le_mans,
        private_landlord=PrivateLandlordFactory(name="SCI Les Tilleuls"),
    )
    HouseholdMemberFactory(
        household=durand, last_name="DURAND", birth_name="MARTIN", first_name="Sylvie", birth_date=D(1975, 4, 12)
    )
    benali = HouseholdFactory(street="40 rue de Bretagne", commune=le_mans)
    HouseholdMemberFactory(household=benali, last_name="BENALI", first_name="Samir", birth_date=D(1971, 1, 9))
    lemoine = HouseholdFactory(
        street="5 rue Gambetta", commune=communes["72003"], sector=HousingSector.SOCIAL, social_landlord=landlord
    )
    HouseholdMemberFactory(household=lemoine, last_name="LEMOINE", first_name="Claire", birth_date=D(1988, 6, 21))
    return World(
        communes=communes,
        caf=caf,
        landlord=landlord,
        prefecture=office,
        fsl=fsl,
        council=council,
        users=users,
        # The CAF follows Mme Durand (the council shared her file with it): its unpaid-rent
        # file attaches her report there. An import never lets anyone in (issue 10).
        durand_file=PreventionFileFactory(household=durand, opened_by=council, participants=[fsl, caf]),
        benali_file=PreventionFileFactory(
            household=benali, opened_by=council, reference="PX-3K7M-Q9TD", participants=[fsl]
        ),
        lemoine_file=PreventionFileFactory(
            household=lemoine, opened_by=council, reference="PX-8H2N-R4WX", participants=[fsl]
        ),
    )
