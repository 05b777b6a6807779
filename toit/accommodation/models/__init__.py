from toit.accommodation.models.commission import AdmissionCommission, Application
from toit.accommodation.models.project import Project, YouthOffer
from toit.accommodation.models.stay import Resident, Stay
from toit.accommodation.models.structure import CapacityPeriod, Funding, Partnership, Structure

__all__ = [
    "AdmissionCommission",
    "Application",
    "CapacityPeriod",
    "Funding",
    "Partnership",
    "Project",
    "Resident",
    "Stay",
    "Structure",
    "YouthOffer",
]
