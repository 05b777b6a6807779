"""« Accès exceptionnel » (break glass): a responsable or administrateur opens a file
outside their organisations' scope for BREAK_GLASS_HOURS, stating why. The rules are in
toit.eviction.access; this page adds the order of operations that keeps it from being an
existence oracle: the form is checked first (organisation, reason) without looking the
reference up; then, in one transaction, the request is logged with its reason, and only
then does the page say whether the reference exists — with the very message of a missing
file."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from toit.audit.enums import AccessAction
from toit.audit.log import log_access, log_reference
from toit.eviction import access
from toit.eviction.enums import BreakGlassMotive
from toit.eviction.models import PreventionFile
from toit.notifications.notify import notify_break_glass
from toit.utils.collation import french
from toit.www.eviction.common import NOT_FOUND, nominative_required
from toit.www.eviction.followup import file_url
from toit.www.forms import DsfrFormMixin

TITLE = "Accès exceptionnel à un dossier"


class BreakGlassForm(DsfrFormMixin, forms.Form):
    reference = forms.CharField(
        label="Référence du dossier",
        max_length=40,
        help_text="Telle qu'elle figure sur le courrier ou l'écran du partenaire, par exemple PX-7K3M-Q9TD.",
    )
    organisation = forms.ModelChoiceField(
        label="Au titre de",
        queryset=None,
        empty_label=None,
        help_text="L'organisation dont vous êtes responsable ou administrateur et qui verra le dossier.",
    )
    motive = forms.ChoiceField(
        label="Motif",
        choices=BreakGlassMotive.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le motif de l'accès exceptionnel dans la liste."},
    )
    reason = forms.CharField(
        label="La situation, en une phrase",
        min_length=access.BREAK_GLASS_MIN_REASON,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Pourquoi vous devez lire ce dossier maintenant ({access.BREAK_GLASS_MIN_REASON} caractères au "
        "moins). Elle est inscrite au journal des accès et envoyée aux participants du dossier : n'y écrivez ni le "
        "nom du ménage ni une donnée de santé.",
        error_messages={
            "min_length": f"Indiquez le motif en {access.BREAK_GLASS_MIN_REASON} caractères au moins : il est "
            "inscrit au journal des accès.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.break_glass_organisations(user).order_by(french("name"))


def _page(request, form, status=200):
    context = {"form": form, "title": TITLE, "hours": access.BREAK_GLASS_HOURS}
    return render(request, "eviction/break_glass.html", context, status=status)


@nominative_required
def break_glass(request):
    if not access.may_break_glass(request.user):
        return render(request, "eviction/break_glass_forbidden.html", {"title": TITLE}, status=403)
    form = BreakGlassForm(request.POST if request.method == "POST" else None, user=request.user)
    if not form.is_bound:
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=422)
    data = form.cleaned_data
    organisation, reason, motive = data["organisation"], data["reason"].strip(), data["motive"]
    logged = access.break_glass_log_reason(motive, reason)
    with transaction.atomic():
        file = access.file_for_break_glass(data["reference"])
        # Logged before anything is said about the reference, found or not.
        if file is None:
            log_reference(
                request,
                PreventionFile,
                data["reference"],
                action=AccessAction.BREAK_GLASS,
                organisation=organisation,
                reason=logged,
            )
        else:
            log_access(request, file, action=AccessAction.BREAK_GLASS, organisation=organisation, reason=logged)
        if file is None:
            form.add_error("reference", NOT_FOUND)
            return _page(request, form, status=404)
        if access.takes_part(organisation, file):
            messages.info(request, f"« {organisation} » participe déjà au dossier {file.reference}.")
            return redirect(file_url(file))
        try:
            participant = access.break_glass(file, organisation, request.user, reason, motive=motive)
            notify_break_glass(participant, request.user)
        except (PermissionDenied, ValidationError) as exc:  # the form checked both: a race at most
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
            return _page(request, form, status=422)
    until = timezone.localtime(participant.expires_at)
    messages.warning(
        request,
        f"Accès exceptionnel au dossier {file.reference} accordé à « {organisation} » jusqu'au "
        f"{until:%d/%m/%Y à %H:%M}. Votre motif est inscrit au journal des accès.",
    )
    return redirect(file_url(file))
