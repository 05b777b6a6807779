"""Follow-up of a household: contacts, diagnosis, repayment plans, FSL decisions,
over-indebtedness and homeowners in difficulty (fiches 1B, 1D, 1E)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from toit.eviction import access
from toit.eviction.enums import (
    ContactChannel,
    ContactOutcome,
    FslAidForm,
    FslPurpose,
    FslResult,
    HomeownerSource,
)
from toit.organisations.enums import OrganisationKind


def _file_fk(related_name):
    return models.ForeignKey(
        "eviction.PreventionFile", verbose_name="dossier", on_delete=models.CASCADE, related_name=related_name
    )


def _organisation_fk(verbose_name="au titre de", **kwargs):
    return models.ForeignKey(
        "organisations.Organisation", verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+", **kwargs
    )


def _user_fk(verbose_name="saisi par"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class FileRowQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.visible_through_file(self, user)


class ContactAttempt(models.Model):
    file = _file_fk("contact_attempts")
    date = models.DateField("date")
    channel = models.CharField("moyen", max_length=20, choices=ContactChannel.choices)
    outcome = models.CharField("résultat", max_length=20, choices=ContactOutcome.choices)
    organisation = _organisation_fk()
    recorded_by = _user_fk()
    note = models.TextField("observations", blank=True)
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = FileRowQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tentative de contact"
        verbose_name_plural = "tentatives de contact"
        ordering = ["file", "date", "pk"]
        indexes = [models.Index(fields=["file", "outcome", "date"], name="contact_file_outcome_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} du {self.date:%d/%m/%Y} : {self.get_outcome_display()}"


class SocialDiagnosis(models.Model):
    """The diagnostic social et financier. Requesting and recording it also adds the
    matching events, which metrics and alerts read (toit.eviction.followup)."""

    file = _file_fk("diagnoses")
    requested_on = models.DateField("demandé le")
    requested_by = _organisation_fk("demandé par")
    done_on = models.DateField("réalisé le", null=True, blank=True)
    done_by = _organisation_fk("réalisé par", null=True, blank=True)
    complete = models.BooleanField("complet", null=True, blank=True)
    orientation = models.TextField("orientation proposée", blank=True)
    recorded_by = _user_fk()
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = FileRowQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "diagnostic social et financier"
        verbose_name_plural = "diagnostics sociaux et financiers"
        ordering = ["file", "requested_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=F("requested_on")),
                name="diagnosis_done_after_request",
                violation_error_message="Un diagnostic ne peut pas être réalisé avant d'avoir été demandé.",
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, complete__isnull=True)
                | Q(done_on__isnull=False, complete__isnull=False),
                name="diagnosis_complete_iff_done",
                violation_error_message="Un diagnostic réalisé indique s'il est complet.",
            ),
        ]

    def __str__(self):
        return f"Diagnostic demandé le {self.requested_on:%d/%m/%Y}"


class FslDecision(models.Model):
    file = _file_fk("fsl_decisions")
    fsl_organisation = _organisation_fk(
        "FSL",
        limit_choices_to={"kind": OrganisationKind.FSL},
        error_messages={
            "invalid": "Cette organisation n'est pas un fonds de solidarité pour le logement : choisissez le FSL."
        },
    )
    purpose = models.CharField("objet", max_length=20, choices=FslPurpose.choices)
    # None: not said (a partner's file without the column); counted in neither « with » nor
    # « without » the guarantee (eviction.fsl_private_stay_households).
    under_guarantee = models.BooleanField(
        "dans le cadre de la garantie",
        null=True,
        blank=True,
        default=False,
        help_text="Aide versée au titre de la garantie du FSL (vide : non renseigné).",
    )
    result = models.CharField("décision", max_length=20, choices=FslResult.choices)
    aid_form = models.CharField("forme de l'aide", max_length=20, choices=FslAidForm.choices, blank=True)
    amount = models.DecimalField("montant accordé (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField("date de la décision")
    organisation = _organisation_fk("saisi au titre de")
    recorded_by = _user_fk()
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = FileRowQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision du FSL"
        verbose_name_plural = "décisions du FSL"
        ordering = ["file", "decided_on", "pk"]
        indexes = [models.Index(fields=["decided_on", "result"], name="fsl_decided_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(result=FslResult.GRANTED, amount__gte=0, aid_form__in=FslAidForm.values)
                | Q(result=FslResult.REFUSED, amount__isnull=True, aid_form=""),
                name="fsl_granted_has_aid",
                violation_error_message="Une aide accordée a une forme et un montant ; un refus n'en a pas.",
            ),
        ]

    def __str__(self):
        purpose, result = self.get_purpose_display().lower(), self.get_result_display().lower()
        return f"FSL {purpose} : {result} le {self.decided_on:%d/%m/%Y}"

    def clean(self):
        errors = {}
        if self.result == FslResult.GRANTED:
            if not self.aid_form:
                errors["aid_form"] = "Une aide accordée est une subvention, un prêt ou les deux : précisez-le."
            if self.amount is None:
                errors["amount"] = "Indiquez le montant de l'aide accordée."
        elif self.result == FslResult.REFUSED and (self.aid_form or self.amount is not None):
            errors["result"] = "Un refus n'a ni forme ni montant d'aide : effacez-les ou choisissez « accordé »."
        if errors:
            raise ValidationError(errors)


class OverIndebtednessCase(models.Model):
    """A dossier de surendettement of the household (Banque de France)."""

    file = _file_fk("overindebtedness_cases")
    filed_on = models.DateField("déposé le")
    admissibility_on = models.DateField("décision de recevabilité le", null=True, blank=True)
    admissible = models.BooleanField("recevable", null=True, blank=True)
    measures_on = models.DateField("mesures (plan ou mesures imposées) le", null=True, blank=True)
    measures = models.TextField("mesures", blank=True)
    debt_cleared_on = models.DateField("effacement des dettes le", null=True, blank=True)
    organisation = _organisation_fk()
    recorded_by = _user_fk()
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = FileRowQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "dossier de surendettement"
        verbose_name_plural = "dossiers de surendettement"
        ordering = ["file", "filed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(admissibility_on__isnull=True, admissible__isnull=True)
                | Q(admissibility_on__gte=F("filed_on"), admissible__isnull=False),
                name="overindebtedness_admissibility",
                violation_error_message="La décision de recevabilité a une date, postérieure au dépôt, et un sens.",
            ),
            models.CheckConstraint(
                condition=Q(measures_on__isnull=True, debt_cleared_on__isnull=True) | Q(admissible=True),
                name="overindebtedness_measures_need_admissible",
                violation_error_message="Des mesures ou un effacement supposent un dossier déclaré recevable.",
            ),
            models.CheckConstraint(
                condition=Q(measures_on__isnull=True) | Q(measures_on__gte=F("admissibility_on")),
                name="overindebtedness_measures_after_admissibility",
                violation_error_message="Les mesures ne peuvent pas précéder la recevabilité.",
            ),
            models.CheckConstraint(
                condition=Q(debt_cleared_on__isnull=True) | Q(debt_cleared_on__gte=F("admissibility_on")),
                name="overindebtedness_cleared_after_admissibility",
                violation_error_message="L'effacement des dettes ne peut pas précéder la recevabilité.",
            ),
        ]

    def __str__(self):
        return f"Surendettement, dépôt du {self.filed_on:%d/%m/%Y}"

    def clean(self):
        errors = {}
        if self.admissibility_on and self.filed_on and self.admissibility_on < self.filed_on:
            errors["admissibility_on"] = "La recevabilité ne peut pas précéder le dépôt du dossier."
        if (self.admissibility_on is None) != (self.admissible is None):
            errors["admissible"] = "Indiquez à la fois la date et le sens de la décision de recevabilité."
        if (self.measures_on or self.debt_cleared_on) and self.admissible is not True:
            errors["admissible"] = "Des mesures ou un effacement supposent un dossier déclaré recevable."
        for field in ("measures_on", "debt_cleared_on"):
            value = getattr(self, field)
            if value and self.admissibility_on and value < self.admissibility_on:
                label = self._meta.get_field(field).verbose_name
                errors[field] = f"« {label} » ne peut pas précéder la décision de recevabilité."
        if errors:
            raise ValidationError(errors)


class HomeownerDifficulty(models.Model):
    """An accédant à la propriété in difficulty, as known to one source (fiche 1D)."""

    file = _file_fk("homeowner_difficulties")
    source = models.CharField("source", max_length=20, choices=HomeownerSource.choices)
    reported_on = models.DateField("connu le")
    lender_name = models.CharField("établissement prêteur", max_length=255, blank=True)
    arrears_amount = models.DecimalField("impayés de prêt (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    organisation = _organisation_fk()
    recorded_by = _user_fk()
    note = models.TextField("observations", blank=True)
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = FileRowQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "accédant en difficulté"
        verbose_name_plural = "accédants en difficulté"
        ordering = ["file", "reported_on", "pk"]
        indexes = [models.Index(fields=["reported_on", "source"], name="homeowner_date_source_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrears_amount__isnull=True) | Q(arrears_amount__gte=0),
                name="homeowner_arrears_non_negative",
                violation_error_message="Le montant des impayés ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return f"Accédant en difficulté ({self.get_source_display()}) le {self.reported_on:%d/%m/%Y}"
