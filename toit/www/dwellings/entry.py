"""Entering the register in the browser: a new dwelling, a case opened on a dwelling, and
what a case holds (report, visit, qualification, act, works, rehousing, exit), a DPE. Only
members of a pôle come in (403 before anything is read); the dwelling, case, act or work
named in the URL is found among what the user reads, else 404 — whatever is posted. The
writes are the functions of toit.dwellings.recording."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from toit.audit.enums import AccessAction
from toit.dwellings import access
from toit.dwellings.models import Act, Case, Dwelling, PrescribedWork
from toit.www.dwellings import entry_forms
from toit.www.dwellings.common import log_listed, log_read, pole_member_required, visible_dwelling

NO_CASE = "Aucun dossier du registre que vous lisez ne porte ce numéro."
NO_ACT = "Aucun arrêté du registre que vous lisez ne porte ce numéro."
NO_WORK = "Aucuns travaux du registre que vous lisez ne portent ce numéro."


def _dwelling_url(dwelling, case=None):
    url = reverse("dwellings:dwelling", args=[dwelling.pk])
    return f"{url}#dossier-{case.pk}" if case is not None else url


def _visible_case(user, pk):
    try:
        return Case.objects.visible_to(user).select_related("dwelling__commune").get(pk=pk)
    except Case.DoesNotExist:
        raise Http404(NO_CASE) from None


def _page(request, form, *, dwelling, title, intro="", submit_label="Enregistrer", case=None, subject=""):
    log_read(request, dwelling, dwelling.department_id)
    context = {
        "form": form,
        "dwelling": dwelling,
        "case": case,
        "title": title,
        "subject": subject,
        "intro": intro,
        "submit_label": submit_label,
        "back": _dwelling_url(dwelling, case),
    }
    return render(request, "dwellings/entry_form.html", context)


@pole_member_required
def dwelling_new(request):
    form = entry_forms.DwellingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.submit():
        dwelling = form.result
        if dwelling.proposals:
            messages.info(
                request,
                "Logement enregistré. Un logement était déjà enregistré à cette adresse : une fusion est proposée au "
                "pôle (Doublons à décider).",
            )
        else:
            messages.success(request, "Logement enregistré.")
        return redirect("dwellings:dwelling", pk=dwelling.pk)
    if form.duplicates:
        # What the user reads at this address: logged as a search of the register.
        log_listed(request, form.duplicates, AccessAction.SEARCH)
    context = {
        "form": form,
        "title": "Nouveau logement",
        "intro": "L'adresse est comparée, une fois normalisée, à celles du registre que vous lisez dans la commune : "
        "un logement déjà enregistré vous est montré avant d'en créer un second.",
        "submit_label": "Enregistrer le logement",
        "back": reverse("dwellings:register"),
        "duplicates": form.duplicates,
    }
    return render(request, "dwellings/entry_form.html", context)


@pole_member_required
def case_new(request, pk):
    dwelling = visible_dwelling(request.user, pk, Dwelling.objects.select_related("commune"))
    form = entry_forms.CaseForm(request.POST or None, user=request.user, dwelling=dwelling)
    if request.method == "POST" and form.submit():
        messages.success(request, "Dossier ouvert.")
        return redirect(_dwelling_url(dwelling, form.result))
    return _page(
        request,
        form,
        dwelling=dwelling,
        title="Ouvrir un dossier d'habitat indigne",
        intro="Le dossier s'ouvre sur son premier signalement. Le code en vigueur à cette date s'y applique.",
        submit_label="Ouvrir le dossier",
    )


def _case_view(form_class, title, submit_label, intro=""):
    @pole_member_required
    def view(request, pk):
        case = _visible_case(request.user, pk)
        form = form_class(request.POST or None, user=request.user, case=case)
        if request.method == "POST" and form.submit():
            messages.success(request, f"{title} : enregistré.")
            return redirect(_dwelling_url(case.dwelling, case))
        return _page(
            request,
            form,
            dwelling=case.dwelling,
            case=case,
            title=title,
            subject=str(case),
            intro=intro,
            submit_label=submit_label,
        )

    return view


report_new = _case_view(entry_forms.ReportForm, "Ajouter un signalement", "Enregistrer le signalement")
visit_new = _case_view(entry_forms.VisitForm, "Enregistrer une visite", "Enregistrer la visite")
qualification_new = _case_view(entry_forms.QualificationForm, "Qualifier le dossier", "Enregistrer la qualification")
act_new = _case_view(
    entry_forms.ActForm,
    "Enregistrer un arrêté ou un acte",
    "Enregistrer l'acte",
    intro="L'acte est vérifié contre le code en vigueur à sa date de signature ; une mainlevée suit le régime de "
    "l'arrêté qu'elle lève.",
)
rehousing_new = _case_view(entry_forms.RehousingForm, "Enregistrer un hébergement ou un relogement", "Enregistrer")
case_exit = _case_view(
    entry_forms.ExitForm,
    "Enregistrer la sortie d'indignité",
    "Enregistrer la sortie",
    intro="Une sortie déjà enregistrée se corrige avec un motif (lien « corriger » du dossier).",
)


@pole_member_required
def works_new(request, pk):
    try:
        act = (
            Act.objects.filter(access.dwelling_q(request.user, "case__dwelling__"))
            .select_related("case__dwelling__commune")
            .get(pk=pk)
        )
    except Act.DoesNotExist:
        raise Http404(NO_ACT) from None
    case = act.case
    form = entry_forms.WorkForm(request.POST or None, user=request.user, act=act)
    if request.method == "POST" and form.submit():
        messages.success(request, "Travaux prescrits enregistrés.")
        return redirect(_dwelling_url(case.dwelling, case))
    return _page(
        request, form, dwelling=case.dwelling, case=case, title="Ajouter des travaux prescrits", subject=str(act)
    )


@pole_member_required
def works_done(request, pk):
    try:
        work = (
            PrescribedWork.objects.filter(access.dwelling_q(request.user, "act__case__dwelling__"))
            .select_related("act__case__dwelling__commune")
            .get(pk=pk)
        )
    except PrescribedWork.DoesNotExist:
        raise Http404(NO_WORK) from None
    case = work.act.case
    if work.done_on:
        return redirect("dwellings:correct", kind="travaux", pk=work.pk)
    form = entry_forms.WorksDoneForm(request.POST or None, user=request.user, work=work)
    if request.method == "POST" and form.submit():
        messages.success(request, "Travaux réalisés enregistrés.")
        return redirect(_dwelling_url(case.dwelling, case))
    return _page(
        request,
        form,
        dwelling=case.dwelling,
        case=case,
        title="Enregistrer des travaux réalisés",
        subject=f"{work.description} (avant le {work.deadline:%d/%m/%Y})",
        submit_label="Enregistrer la réalisation",
    )


@pole_member_required
def dpe_new(request, pk):
    dwelling = visible_dwelling(request.user, pk, Dwelling.objects.select_related("commune"))
    form = entry_forms.DpeForm(request.POST or None, user=request.user, dwelling=dwelling)
    if request.method == "POST" and form.submit():
        messages.success(request, "DPE enregistré.")
        return redirect("dwellings:dwelling", pk=dwelling.pk)
    return _page(
        request,
        form,
        dwelling=dwelling,
        title="Enregistrer un diagnostic de performance énergétique",
        submit_label="Enregistrer le DPE",
    )
