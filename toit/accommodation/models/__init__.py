from toit.accommodation.models.commission import AdmissionCommission, Application
from toit.accommodation.models.project import Project, YouthOffer
from toit.accommodation.models.stay import Resident, Stay
from toit.accommodation.models.structure import CapacityPeriod, Funding, Partnership, Structure
from toit.accommodation.models.summary import OccupancySummary

__all__ = [
    "AdmissionCommission",
    "Application",
    "CapacityPeriod",
    "Funding",
    "OccupancySummary",
    "Partnership",
    "Project",
    "Resident",
    "Stay",
    "Structure",
    "YouthOffer",
]
