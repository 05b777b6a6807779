from toit.dwellings.models.cases import Act, Case, CaseQualification, CaseReport, PrescribedWork, Rehousing, Visit
from toit.dwellings.models.landlords import IndelicacyDecision, IndelicacyReview
from toit.dwellings.models.pole import HousingPole, PoleMember
from toit.dwellings.models.programme import EnergyDiagnosis, PstDwelling
from toit.dwellings.models.register import Dwelling, MergeProposal, Owner

__all__ = [
    "Act",
    "Case",
    "CaseQualification",
    "CaseReport",
    "Dwelling",
    "EnergyDiagnosis",
    "HousingPole",
    "IndelicacyDecision",
    "IndelicacyReview",
    "MergeProposal",
    "Owner",
    "PoleMember",
    "PrescribedWork",
    "PstDwelling",
    "Rehousing",
    "Visit",
]
