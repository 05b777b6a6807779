"""The lease of a file, as far as the rules need it: its signature date (the delay of the
commandement de payer), who the landlord is (the CCAPEX referral before an assignation)
and the monthly rent (the CCAPEX signalling thresholds). Entered with a report
(intake.record_report), carried into the file it opens, corrected on the file
(corrections.correct_lease). One wording for the forms, the API and the domain, and one
check, so that a value refused on a page is refused in the same words by the API."""

from toit.eviction.dates import ImpossibleDate, check_date
from toit.eviction.enums import LandlordKind

FIELDS = ("lease_signed_on", "landlord_kind", "monthly_rent")

LEASE_SIGNED_ON_HELP = (
    "Choisit le délai du commandement de payer : 2 mois pour un bail signé avant le 29 juillet 2023 (Cour de "
    "cassation, avis du 13 juin 2024), 6 semaines à partir de cette date (loi n° 2023-668 du 27 juillet 2023). "
    "Inconnue : 2 mois, et l'échéance est marquée « date du bail à vérifier ». Pour un bail renouvelé, la date du "
    "dernier renouvellement. Format JJ/MM/AAAA."
)
LANDLORD_KIND_HELP = (
    "Depuis le 1er janvier 2015, un bailleur personne morale (hors SCI familiale) doit saisir la CCAPEX deux mois "
    "avant d'assigner, à peine d'irrecevabilité (loi ALUR, article 24 II de la loi n° 89-462). Un bailleur social "
    "est une personne morale."
)
MONTHLY_RENT_HELP = (
    "Charges comprises, en euros (par exemple 450,00). Comparé à la dette du commandement de payer pour les seuils "
    "de signalement à la CCAPEX fixés par l'arrêté préfectoral du département (décret n° 2015-1384)."
)

KIND_CHOICES_TEXT = ", ".join(f"« {value} » ({label.lower()})" for value, label in LandlordKind.choices if value)


def lease_errors(*, today, lease_signed_on=None, landlord_kind="", monthly_rent=None):
    """{field: French sentence} of what is impossible in these lease values (empty when
    all is well): a signature before 1900 or in the future, a landlord kind Toit does not
    know, a negative rent."""
    errors = {}
    if lease_signed_on is not None:
        try:
            check_date(lease_signed_on, today=today, expected_past="la date de signature du bail, passée ou du jour")
        except ImpossibleDate as exc:
            errors["lease_signed_on"] = f"Date de signature du bail : {exc.sentence()}"
    if landlord_kind and landlord_kind not in LandlordKind.values:
        errors["landlord_kind"] = (
            f"Type de bailleur « {landlord_kind} » inconnu : indiquez {KIND_CHOICES_TEXT}, ou laissez vide s'il "
            "n'est pas connu."
        )
    if monthly_rent is not None and monthly_rent < 0:
        errors["monthly_rent"] = (
            "Le loyer mensuel ne peut pas être négatif : indiquez le loyer charges comprises en euros, par exemple "
            "450,00 (vide s'il n'est pas connu)."
        )
    return errors
