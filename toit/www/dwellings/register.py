"""The dwelling register (sheet 2B): search by address, filters by commune, qualification and
stage, among the dwellings the user reads. The address typed is normalised as the stored
keys are (toit.dwellings.address) and matched by prefix through an index."""

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch
from django.db.models.expressions import OrderBy
from django.shortcuts import render

from toit.audit.enums import AccessAction
from toit.dwellings import access, address
from toit.dwellings.enums import Stage
from toit.dwellings.models import Case, CaseQualification, Dwelling
from toit.territory.models import Commune
from toit.utils.collation import french
from toit.www.dwellings.common import log_listed, pole_member_required
from toit.www.dwellings.forms import RegisterFilterForm
from toit.www.eviction.search import COUNT_CAP, CappedPaginator, _starts_with

PAGE_SIZE = 20


class _PatternOrder(OrderBy):
    """ORDER BY street_key USING ~<~ (PostgreSQL): the order of the varchar_pattern_ops index
    the prefix search goes through, so that a search for « rue » (a third of the register)
    reads its first rows from the index instead of sorting every match. Street keys are
    lower-case ASCII: this order is the one a reader expects. The key is repeated with ASC
    (a no-op within equal keys) because Django reads each ORDER BY term up to its ASC/DESC."""

    template = "%(expression)s USING ~<~, %(expression)s ASC"


def _street_order():
    if connection.vendor == "postgresql":
        return _PatternOrder(F("street_key"))
    return F("street_key").asc()


def search_dwellings(user, text="", commune=None, qualification="", stage=""):
    dwellings = Dwelling.objects.visible_to(user).current()
    if text.strip():
        parsed = address.parse(text)
        if parsed.street:
            dwellings = dwellings.filter(_starts_with("street_key", parsed.street))
        if parsed.number:
            dwellings = dwellings.filter(
                address_key__startswith=f"{parsed.number}|{parsed.suffix}|" if parsed.suffix else f"{parsed.number}|"
            )
        if not parsed.street and not parsed.number:
            dwellings = dwellings.none()
    if commune is not None:
        dwellings = dwellings.filter(commune=commune)
    if qualification:
        dwellings = dwellings.filter(
            Exists(CaseQualification.objects.filter(case__dwelling=OuterRef("pk"), kind=qualification))
        )
    if stage:
        staged = Case.objects.with_stage().filter(dwelling=OuterRef("pk"), stage=stage)
        dwellings = dwellings.filter(Exists(staged))
    return dwellings.order_by(_street_order(), "address_key", "pk")


def page_rows(ids):
    cases = Case.objects.with_stage().order_by("-opened_on", "-pk")
    found = (
        Dwelling.objects.filter(pk__in=ids)
        .select_related("commune", "owner")
        .prefetch_related(
            Prefetch("cases", queryset=cases),
            Prefetch("cases__qualifications", queryset=CaseQualification.objects.order_by("qualified_on", "pk")),
        )
        .in_bulk()
    )
    rows = [found[pk] for pk in ids]
    for dwelling in rows:
        # Counted from the cases the page loads anyway, not by a GROUP BY over them again.
        dwelling.case_count = len(dwelling.cases.all())
        latest = next(iter(dwelling.cases.all()), None)
        dwelling.latest_stage = Stage(latest.stage).label if latest else ""
        dwelling.qualification_labels = sorted(
            {q.get_kind_display() for case in dwelling.cases.all() for q in case.qualifications.all()}
        )
    return rows


@pole_member_required
def register(request):
    user = request.user
    communes = (
        Commune.objects.filter(department_id__in=access.departments_read(user))
        .order_by(french("name"))
        .values_list("pk", "name", "insee_code")
    )
    form = RegisterFilterForm(request.GET or None, communes=communes)
    criteria = {}
    if form.is_valid():
        criteria = {
            "text": form.cleaned_data["q"],
            "commune": form.cleaned_data["commune"],
            "qualification": form.cleaned_data["qualification"],
            "stage": form.cleaned_data["stage"],
        }
    ids = search_dwellings(user, **criteria).values_list("pk", flat=True)
    if any(criteria.values()):
        # A search shows at most COUNT_CAP rows: read their ids once, then count and cut the
        # page in Python, rather than running the search twice (count, then page).
        page = CappedPaginator(list(ids[: COUNT_CAP + 1]), PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = page_rows(list(page.object_list))
    searched = any(criteria.values())
    log_listed(request, page.object_list, AccessAction.SEARCH if searched else AccessAction.LIST)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dwellings/register.html",
        {"form": form, "page": page, "searched": searched, "query": query.urlencode()},
    )
