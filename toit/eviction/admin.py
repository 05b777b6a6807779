"""Admin of the eviction-prevention data. Superusers see everything; any other staff user
sees only the files their organisations take part in (toit.eviction.access), and what
hangs off them — in lists, change forms and deletions, and in the choices of every link
to another of these records, so that a form cannot attach a row to a file they cannot see
by posting its id."""

from django.contrib import admin
from django.db.models import Exists, OuterRef

from toit.audit.enums import AccessAction
from toit.audit.log import log_access
from toit.eviction import access
from toit.eviction.models import (
    CcapexThreshold,
    ContactAttempt,
    Event,
    FileParticipant,
    FslDecision,
    HomeownerDifficulty,
    Household,
    HouseholdMember,
    OverIndebtednessCase,
    PreventionFile,
    PrivateLandlord,
    RepaymentPayment,
    RepaymentPlan,
    Report,
    SocialDiagnosis,
)
from toit.eviction.procedure import refresh_plan_state, refresh_procedure_state

USER_FIELDS = ["recorded_by", "created_by", "matched_by", "added_by"]


def _visible_households(user):
    return Exists(PreventionFile.objects.visible_to(user).filter(household=OuterRef("pk")))


class ScopedAdmin(admin.ModelAdmin):
    """Restricts the changelist, the change form and deletions to visible rows."""

    file_path = "file"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.restrict(queryset, request.user)

    def restrict(self, queryset, user):
        return access.visible_through_file(queryset, user, self.file_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = self.admin_site._registry.get(db_field.related_model)
        if not request.user.is_superuser and isinstance(related, ScopedAdmin):
            kwargs["queryset"] = related.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_raw_id_fields(self, request):
        # Users are many and not searchable here: a raw id rather than a huge select.
        return [f.name for f in self.model._meta.fields if f.name in USER_FIELDS]

    # Reads in the admin are reads of nominative data like any page's (issue 10): the rows
    # a list shows, and the record a change form shows, go to the access log.
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            log_access(request, list(changelist.result_list), action=AccessAction.ADMIN)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if response.status_code == 200 and original is not None:
            log_access(request, original, action=AccessAction.ADMIN)
        return response


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    fields = ["relationship", "last_name", "first_name", "birth_name", "birth_date"]


@admin.register(PrivateLandlord)
class PrivateLandlordAdmin(ScopedAdmin):
    list_display = ["name", "is_synthetic"]
    search_fields = ["name", "name_key"]

    def restrict(self, queryset, user):
        households = Household.objects.filter(_visible_households(user), private_landlord=OuterRef("pk"))
        return queryset.filter(Exists(households))


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = ["__str__", "commune", "sector", "social_landlord", "private_landlord", "is_synthetic"]
    list_filter = ["sector", "housing_benefit", "third_party_payment", "is_synthetic"]
    list_select_related = ["commune", "social_landlord", "private_landlord"]
    search_fields = ["street", "address_key", "members__name_key", "members__last_name", "commune__name"]
    autocomplete_fields = ["commune", "social_landlord", "private_landlord"]
    inlines = [HouseholdMemberInline]

    def restrict(self, queryset, user):
        return queryset.filter(_visible_households(user))

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        # Searching through members joins a to-many relation: no duplicate rows.
        return queryset.distinct(), False


class FileParticipantInline(admin.TabularInline):
    """Participations are read here; only a superuser edits them. Anyone else lets an
    organisation in through the domain's functions (share, decide_join, break glass), which
    check who asks and log it: an inline row would skip all of that (issue 10)."""

    model = FileParticipant
    extra = 0
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["added_by"]

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    fields = ["kind", "date", "organisation", "amount", "hearing_date", "prefect_notified_on", "judgment_outcome"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Events are added through add_event, which checks the chronology.
        return False


@admin.register(PreventionFile)
class PreventionFileAdmin(ScopedAdmin):
    list_display = ["reference", "household", "opened_on", "opened_by"]
    list_filter = ["opened_on", "household__sector"]
    list_select_related = ["household", "opened_by"]
    search_fields = ["reference", "household__members__name_key", "household__members__last_name"]
    autocomplete_fields = ["household", "opened_by"]
    readonly_fields = ["reference"]
    date_hierarchy = "opened_on"
    inlines = [FileParticipantInline, EventInline]

    def restrict(self, queryset, user):
        return access.visible_files(queryset, user)

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


@admin.register(Report)
class ReportAdmin(ScopedAdmin):
    list_display = ["reported_on", "source", "reporting_organisation", "last_name", "debt_amount", "file"]
    list_filter = ["source", "opened_file", "is_synthetic"]
    list_select_related = ["reporting_organisation", "file"]
    search_fields = ["last_name", "first_name", "birth_name", "file__reference"]
    autocomplete_fields = ["reporting_organisation", "commune", "social_landlord", "file"]
    date_hierarchy = "reported_on"

    def restrict(self, queryset, user):
        return access.visible_reports(queryset, user)

    # A report's file is set by the intake (attach_report), never typed here; and its author
    # may not learn, from the list, the form or a search, the file a participant attached
    # it to (issue 10).
    MATCH_FIELDS = ["file", "opened_file", "matched_by", "matched_at"]
    MATCH_FIELDS += ["join_decision", "join_reason", "join_decided_by", "join_decided_at"]

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if request.user.is_superuser else [*excluded, *self.MATCH_FIELDS]

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if request.user.is_superuser else [f for f in shown if f != "file"]

    def get_list_select_related(self, request):
        return ["reporting_organisation", "file"] if request.user.is_superuser else ["reporting_organisation"]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if request.user.is_superuser else [f for f in fields if not f.startswith("file")]

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        return fields if request.user.is_superuser else [f for f in fields if f != "file"]


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ["file", "kind", "date", "organisation", "amount"]
    list_filter = ["kind"]
    list_select_related = ["file", "organisation"]
    search_fields = ["file__reference"]
    autocomplete_fields = ["file", "organisation"]
    raw_id_fields = ["report", "diagnosis"]
    date_hierarchy = "date"

    # A correction here changes the file's procedure state columns: derive them again,
    # for the file the event left as well as the one it is on.
    def save_model(self, request, obj, form, change):
        before = Event.objects.filter(pk=obj.pk).values_list("file", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        for file in {obj.file_id, before} - {None}:
            refresh_procedure_state(PreventionFile(pk=file))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_procedure_state(PreventionFile(pk=obj.file_id))

    def delete_queryset(self, request, queryset):
        files = set(queryset.values_list("file", flat=True))
        super().delete_queryset(request, queryset)
        for file in files:
            refresh_procedure_state(PreventionFile(pk=file))


@admin.register(ContactAttempt)
class ContactAttemptAdmin(ScopedAdmin):
    list_display = ["file", "date", "channel", "outcome", "organisation"]
    list_filter = ["channel", "outcome"]
    list_select_related = ["file", "organisation"]
    search_fields = ["file__reference"]
    autocomplete_fields = ["file", "organisation"]


@admin.register(SocialDiagnosis)
class SocialDiagnosisAdmin(ScopedAdmin):
    list_display = ["file", "requested_on", "done_on", "complete", "requested_by"]
    list_filter = ["complete"]
    list_select_related = ["file", "requested_by"]
    search_fields = ["file__reference"]
    autocomplete_fields = ["file", "requested_by", "done_by"]


class RepaymentPaymentInline(admin.TabularInline):
    model = RepaymentPayment
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(RepaymentPlan)
class RepaymentPlanAdmin(ScopedAdmin):
    list_display = ["file", "kind", "start_date", "debt_amount", "instalment_amount", "instalment_count"]
    list_filter = ["kind"]
    list_select_related = ["file"]
    search_fields = ["file__reference"]
    autocomplete_fields = ["file", "organisation"]
    inlines = [RepaymentPaymentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_plan_state(form.instance)  # payments or terms corrected: outcome derived again


@admin.register(FslDecision)
class FslDecisionAdmin(ScopedAdmin):
    list_display = ["file", "decided_on", "purpose", "result", "under_guarantee", "amount"]
    list_filter = ["purpose", "result", "under_guarantee", "aid_form"]
    list_select_related = ["file"]
    search_fields = ["file__reference"]
    autocomplete_fields = ["file", "fsl_organisation", "organisation"]


@admin.register(OverIndebtednessCase)
class OverIndebtednessCaseAdmin(ScopedAdmin):
    list_display = ["file", "filed_on", "admissible", "measures_on", "debt_cleared_on"]
    list_filter = ["admissible"]
    list_select_related = ["file"]
    search_fields = ["file__reference"]
    autocomplete_fields = ["file", "organisation"]


@admin.register(HomeownerDifficulty)
class HomeownerDifficultyAdmin(ScopedAdmin):
    list_display = ["file", "reported_on", "source", "lender_name", "arrears_amount"]
    list_filter = ["source"]
    list_select_related = ["file"]
    search_fields = ["file__reference", "lender_name"]
    autocomplete_fields = ["file", "organisation"]


@admin.register(CcapexThreshold)
class CcapexThresholdAdmin(admin.ModelAdmin):
    """Reference data of a département (no personal data): the prefectoral order's
    thresholds, dated. Edited by those given the model's permissions (by a superuser):
    a superuser for every département, anyone else only for the départements where they are
    administrateur (toit.organisations.perms.departments_with_role), in the list, the
    change and delete pages and the choice of département, so that a row of another
    département can be neither read, changed nor added by posting its id."""

    list_display = ["department", "since", "months_of_arrears", "rent_multiple", "source"]

    @staticmethod
    def _departments(request):
        from toit.organisations.enums import Role
        from toit.organisations.perms import departments_with_role

        return departments_with_role(request.user, Role.ADMIN)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(department__code__in=self._departments(request))

    def get_list_filter(self, request):
        return ["department"] if request.user.is_superuser else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department" and not request.user.is_superuser:
            from toit.territory.models import Department

            kwargs["queryset"] = Department.objects.filter(code__in=self._departments(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        allowed = super().has_add_permission(request)
        return allowed and (request.user.is_superuser or bool(self._departments(request)))
