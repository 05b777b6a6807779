from toit.priority_access.models.dalo import DaloAppeal
from toit.priority_access.models.demand import CollectiveAgreementTarget, ContingentProposal, HousingDemand
from toit.priority_access.models.followup import MousCoverage, MousFollowup, ProjectFollowup, SlidingLease
from toit.priority_access.models.settings import (
    AbnormalDelay,
    Charter,
    CharterSignature,
    DaloAgglomeration,
    abnormal_delay_months,
    large_agglomeration,
)

__all__ = [
    "AbnormalDelay",
    "Charter",
    "CharterSignature",
    "CollectiveAgreementTarget",
    "ContingentProposal",
    "DaloAgglomeration",
    "DaloAppeal",
    "HousingDemand",
    "MousCoverage",
    "MousFollowup",
    "ProjectFollowup",
    "SlidingLease",
    "abnormal_delay_months",
    "large_agglomeration",
]
