from toit.eviction.models.ccapex import CcapexThreshold
from toit.eviction.models.event import Event
from toit.eviction.models.file import FileParticipant, FileReferent, PreventionFile
from toit.eviction.models.followup import (
    ContactAttempt,
    FslDecision,
    HomeownerDifficulty,
    OverIndebtednessCase,
    SocialDiagnosis,
)
from toit.eviction.models.household import Household, HouseholdMember, PrivateLandlord
from toit.eviction.models.repayment import RepaymentPayment, RepaymentPlan
from toit.eviction.models.report import Report
from toit.eviction.models.transmission import ReportTransmission

__all__ = [
    "CcapexThreshold",
    "ContactAttempt",
    "Event",
    "FileParticipant",
    "FileReferent",
    "FslDecision",
    "HomeownerDifficulty",
    "Household",
    "HouseholdMember",
    "OverIndebtednessCase",
    "PreventionFile",
    "PrivateLandlord",
    "RepaymentPayment",
    "RepaymentPlan",
    "Report",
    "ReportTransmission",
    "SocialDiagnosis",
]
