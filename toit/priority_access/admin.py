"""Admin of the priority-access records: where a partner corrects a record, with the reason
of the correction (history kept by django-simple-history, shown under « Historique »).
Superusers see everything; any other staff user sees only the records of the organisations
they belong to (toit.priority_access.access), and may file a record only under one of them."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from toit.eviction.access import acting_organisations
from toit.eviction.corrections import REASON_LENGTH, require_reason
from toit.priority_access import access
from toit.priority_access.models import (
    AbnormalDelay,
    Charter,
    CharterSignature,
    CollectiveAgreementTarget,
    ContingentProposal,
    DaloAgglomeration,
    DaloAppeal,
    HousingDemand,
    MousCoverage,
    MousFollowup,
    ProjectFollowup,
    SlidingLease,
)


class RecordForm(forms.ModelForm):
    """A record's form, with the reason of a correction, as the file pages ask it
    (toit.eviction.corrections.require_reason): kept in the history beside both versions. A
    new record needs none."""

    reason = forms.CharField(
        label="Motif de la correction",
        required=False,
        max_length=REASON_LENGTH,
        help_text="Obligatoire pour corriger une fiche : il est gardé dans l'historique avec les deux versions.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_reason(self):
        if not self.instance.pk:
            return self.cleaned_data["reason"].strip()
        try:
            return require_reason(self.cleaned_data["reason"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["reason"]) from None


class RecordAdmin(SimpleHistoryAdmin):
    form = RecordForm
    list_filter = ("department", "holder")
    search_fields = ("last_name", "first_name", "birth_name")
    raw_id_fields = ("commune",)
    readonly_fields = ("recorded_by", "is_synthetic")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return access.visible_records(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "holder" and not request.user.is_superuser:
            kwargs["queryset"] = acting_organisations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            access.require_may_record_for(request.user, obj.holder)
        if not change:
            obj.recorded_by = request.user
        obj._change_reason = form.cleaned_data.get("reason") or None
        super().save_model(request, obj, form, change)


@admin.register(HousingDemand)
class HousingDemandAdmin(RecordAdmin):
    list_display = ("number", "last_name", "first_name", "filed_on", "allocated_on", "allocation_channel", "holder")
    search_fields = (*RecordAdmin.search_fields, "number")
    filter_horizontal = ("communes_wished",)


@admin.register(DaloAppeal)
class DaloAppealAdmin(RecordAdmin):
    list_display = (
        "number",
        "last_name",
        "first_name",
        "filed_on",
        "decided_on",
        "decision",
        "rehoused_on",
        "ended_on",
        "end_reason",
    )
    list_filter = (*RecordAdmin.list_filter, "decision", "end_reason")
    search_fields = (*RecordAdmin.search_fields, "number")


@admin.register(ContingentProposal)
class ContingentProposalAdmin(RecordAdmin):
    list_display = ("last_name", "first_name", "proposed_on", "outcome", "allocated_on", "landlord")


@admin.register(ProjectFollowup)
class ProjectFollowupAdmin(RecordAdmin):
    list_display = ("last_name", "first_name", "taken_in_on", "priority", "outcome", "ended_on")


@admin.register(SlidingLease)
class SlidingLeaseAdmin(RecordAdmin):
    list_display = ("last_name", "first_name", "started_on", "planned_glide_on", "outcome", "standard_contract")


@admin.register(MousFollowup)
class MousFollowupAdmin(RecordAdmin):
    list_display = ("last_name", "first_name", "mediated_on", "rehoused_on", "ended_on", "end_reason", "children")
    list_filter = (*RecordAdmin.list_filter, "end_reason")


class SharedAdmin(SimpleHistoryAdmin):
    """Non-nominative rows (targets, charters, coverage, dated settings): superusers edit
    them; other staff users read them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class SignatureInline(admin.TabularInline):
    model = CharterSignature
    extra = 0


@admin.register(Charter)
class CharterAdmin(SharedAdmin):
    list_display = ("title", "kind", "department", "adopted_on", "ended_on")
    inlines = [SignatureInline]


for model in (AbnormalDelay, DaloAgglomeration, CollectiveAgreementTarget, MousCoverage):
    admin.site.register(model, SharedAdmin)
