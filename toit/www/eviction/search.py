"""Household search: by name (used or birth name), file reference, commune, participating
organisation, stage and next hearing, among the files the user may read. Names are matched
on the normalised keys stored on each member (toit.eviction.normalise), by prefix, through
an index: never a scan in Python."""

import datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Exists, F, Lookup, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property

from toit.audit.enums import AccessAction
from toit.eviction import access
from toit.eviction.enums import MemberRelationship
from toit.eviction.models import Event, FileParticipant, HouseholdMember, PreventionFile
from toit.eviction.normalise import split_names
from toit.eviction.references import clean_reference
from toit.eviction.timeline import state_of
from toit.organisations.models import Organisation
from toit.rowsecurity import scope
from toit.territory.models import Commune, Department
from toit.utils.collation import french
from toit.www.eviction.common import log_listed, nominative_required
from toit.www.eviction.forms import SearchForm

PAGE_SIZE = 20
# Counting every match of a short prefix among tens of thousands of visible files costs more
# than the page itself; past this many, the page says « plus de » and asks to narrow down.
COUNT_CAP = 500


class CappedPaginator(Paginator):
    @cached_property
    def cap(self):
        return getattr(self.object_list, "cap", COUNT_CAP)

    @cached_property
    def count(self):
        if capped_count := getattr(self.object_list, "capped_count", None):
            return capped_count()
        return len(self.object_list[: self.cap + 1])

    @property
    def capped(self):
        return self.count > self.cap


MAX_WORDS = 6


def name_prefixes(text):
    """Prefixes of member keys ("dupont|sylvie") that a typed name may stand for: the start
    of a last name (« Dup »), a last name then the start of a first name (« Le Gall Syl »),
    or a first name then a last name (« Sylvie Dupont »); « née X » / « épouse Y » give the
    birth and used names, each searched in both keys."""
    prefixes = set()
    for name in split_names(text):
        words = name.split()[:MAX_WORDS]
        if not words:
            continue
        prefixes.add("".join(words))
        for cut in range(1, len(words)):
            head, tail = "".join(words[:cut]), "".join(words[cut:])
            prefixes.add(f"{head}|{tail}")
            prefixes.add(f"{tail}|{head}")
    return prefixes


class _PatternAtLeast(Lookup):
    """`key ~>=~ 'dup'`: byte-wise comparison, answered by the varchar_pattern_ops index."""

    lookup_name = "pattern_at_least"
    operator = "~>=~"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} {self.operator} {rhs}", [*lhs_params, *rhs_params]


class _PatternBelow(_PatternAtLeast):
    lookup_name = "pattern_below"
    operator = "~<~"


def _starts_with(field, prefix):
    # Keys are ASCII below 0x7f: « starts with » is the range [prefix, prefix + DEL).
    if connection.vendor == "postgresql":
        # Not LIKE 'prefix%': under row-level security (toit.rowsecurity) PostgreSQL may not
        # use a condition whose operator is not leakproof (LIKE) as an index condition on a
        # protected table, and would scan every member. The pattern comparisons are
        # leakproof and use the varchar_pattern_ops index (HouseholdMember.Meta.indexes).
        return Q(_PatternAtLeast(F(field), prefix)) & Q(_PatternBelow(F(field), prefix + "\x7f"))
    # SQLite's LIKE never uses a binary-collated index, a range does.
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\x7f"})


def matching_members(text, departments=None):
    """Members whose used or birth name key starts with one of the name's prefixes, within
    `departments` (codes; None: everywhere)."""
    match = Q()
    for prefix in sorted(name_prefixes(text)):
        match |= _starts_with("name_key", prefix) | _starts_with("birth_name_key", prefix)
    if not match:
        return None
    return _in_departments(HouseholdMember.objects.filter(match), departments)


def _in_departments(members, departments):
    # The département leads the name indexes: a common prefix reads one département's
    # members, not the instance's (bench/national.py).
    if departments is None:
        return members
    return members.filter(department__in=Department.objects.filter(code__in=sorted(departments)))


def same_household_probe(queryset, household="household"):
    """A condition « a row of `queryset` belongs to the outer row's household », evaluated
    as one index probe per outer row. PostgreSQL cannot estimate the pattern comparisons of
    _starts_with (1 row for 25 000) and would read every row of `queryset` first: into a
    join when the EXISTS is bare, into a hash when its one correlation is an equality.
    Wrapped, and with the same correlation also written as an inequality, it can do
    neither (BroadMatches)."""
    probe = Exists(queryset.filter(household=OuterRef(household), household__gte=OuterRef(household)))
    return Coalesce(probe, Value(False), output_field=BooleanField())


ORDERS = {
    "recent": ("-opened_on", "-pk"),
    "ancien": ("opened_on", "pk"),
    "audience": (F("hearing_on").asc(nulls_last=True), "pk"),
    "reference": ("reference",),
}


def hearing_filter(deadline, today):
    """The « prochaine échéance » filter on the procedure state columns: the hearing of the
    last assignation while no judgment (or end) has been recorded since."""
    from toit.www.eviction.forms import HEARING_WITHIN

    if deadline not in HEARING_WITHIN:
        return Q()
    pending = Q(last_summons_on__isnull=False, summons_answered=False, hearing_on__isnull=False)
    days = HEARING_WITHIN[deadline][1]
    if days is None:
        return pending & Q(hearing_on__lt=today)
    return pending & Q(hearing_on__gte=today, hearing_on__lte=today + datetime.timedelta(days=days))


# The condition of the date index (PreventionFile.Meta.indexes), always true: only the
# queries that state it may walk the files through that index. Left to choose for a name
# search, PostgreSQL, which cannot estimate the name's matches (_starts_with), walked every
# file by date for 501 matches that a few hundred never filled (300 ms at 100 000
# households, where reading the matches then ordering them costs 20).
WALKABLE = Q(pk__gt=0)


def search_files(
    user,
    text="",
    commune=None,
    organisation=None,
    order="recent",
    organisation_ids=None,
    stage="",
    deadline="",
    today=None,
    walk=False,
):
    """Visible files matching the text (name, reference), commune and participating
    organisation, in the order asked. `organisation_ids` (access.organisation_ids(user)),
    resolved before: given as a subquery, PostgreSQL misjudges their number and probes every
    visible file's participants. `walk`: a name is tested file by file (a member of the
    household matches) rather than files found from the matching members (BroadMatches)."""
    files = access.visible_files(PreventionFile.objects.all(), user, organisation_ids)
    if reference := clean_reference(text):
        # The exact reference finds a cancelled file too (marked so): how its organisation
        # comes back to restore it. Any other search lists live files only.
        files = files.filter(reference=reference)
    elif (members := matching_members(text, scope.departments_for(user))) is not None:
        if walk:  # each file walked tested for a matching member
            files = files.live().filter(same_household_probe(members), WALKABLE)
        else:
            files = files.live().filter(household__in=members.values("household"))
    elif text.strip():
        files = files.none()  # only punctuation: nothing to look for
    elif not (commune or organisation or stage or deadline):
        files = files.live().filter(WALKABLE)  # the user's files, the most recent first
    else:
        files = files.live()
    if commune is not None:
        files = files.filter(household__commune=commune)
    if stage:
        files = files.filter(stage=stage)
    if deadline:
        files = files.filter(hearing_filter(deadline, today or timezone.localdate()))
    if organisation is not None:
        files = files.filter(
            Exists(
                FileParticipant.objects.filter(
                    access.active_participation(), file=OuterRef("pk"), organisation=organisation
                )
            )
        )
    return files.order_by(*ORDERS.get(order, ORDERS["recent"]))


# A name matching at least this many members is broad. Finding the files from the members
# reads and orders all of them to show 20: 250 to 650 ms for the 25 000 to 75 000 members of
# a common name or a three-letter prefix in a département of 1 000 000 households
# (bench/eviction.py --replicate 10). Walking the files instead costs about 20 / (share of
# files that match): below this threshold, in such a département, it would cost more.
BROAD = 10_000
BROAD_COUNT_CAP = 100
# Orders an index of the files reads in order (PreventionFile.Meta.indexes, the reference's
# unique index): the ones a broad name walks.
WALKED_ORDERS = {"recent", "ancien", "reference"}


class BroadMatches:
    """The files of a broad name, for the paginator. A page's ids come from walking the
    visible files in the order asked, through its index, each tested for a member whose name
    matches: it stops once the page is found, after about (rows shown) / (share of files
    that match) files. The count comes from the members, each probing its household's
    visible files, stopping after enough of them: counting exactly read and grouped every
    matching member first (120 to 300 ms for a common name at 1 000 000 households)."""

    # Members read per file counted: a household has several members of the same name.
    MEMBERS_PER_FILE = 3

    def __init__(self, walk, visible, members, matches):
        """`walk`: the ids of the files, in order (a flat values_list)."""
        self.walk, self.visible, self.members, self.matches = walk, visible, members, matches
        # « Plus de 100 : précisez » for a name shared by thousands: each file counted costs
        # a few member probes, and nobody pages through 25 pages of namesakes.
        self.cap = min(COUNT_CAP, BROAD_COUNT_CAP)

    def capped_count(self):
        cap = self.cap
        limit = self.MEMBERS_PER_FILE * (cap + 1)
        households = list(
            self.members.filter(same_household_probe(self.visible))  # each member with a visible file
            .order_by()
            .values_list("household", flat=True)[:limit]
        )
        found = set(households)
        count = len(self.visible.filter(household__in=found).values_list("pk", flat=True)[: cap + 1])
        if count > cap or len(households) < limit:
            return count  # past the cap, or every matching member was read
        # Rarely: households each with many members of that name; count them all.
        return len(self.matches.values_list("pk", flat=True)[: cap + 1])

    def __getitem__(self, item):
        return list(self.walk[item])


# The orders of a file walk that a walk of one organisation's participations gives too:
# by the file's date copied on each (FileParticipant.file_opened_on), then the file's id.
PARTICIPANT_ORDERS = {"recent": ("-file_opened_on", "-file_id"), "ancien": ("file_opened_on", "file_id")}


def participant_walk(members, organisation_ids, order):
    """The ids of a broad name's files, in the order asked, from walking the participations
    of the user's one reading organisation (participant_walk_idx) rather than the files:
    the files of the instance mostly belong to others (the préfecture joins a file from the
    assignation on: 24 000 files read to show 20 at 1 000 000 households). The same files
    in the same order as the file walk, each once. None when the user reads through several
    organisations (a file would come once per organisation) or for another order."""
    if len(organisation_ids) != 1 or order not in PARTICIPANT_ORDERS:
        return None
    (organisation,) = organisation_ids
    # An organisation may take part in a file for several reasons (the préfecture opens
    # files it joins later as préfecture: half its participations): the file comes from its
    # first active participation only. The file's household, also correlated, has
    # PostgreSQL test this on the rows whose file matched only, not on every row walked.
    earlier = FileParticipant.objects.filter(
        access.active_participation(),
        organisation=organisation,
        file=OuterRef("file"),
        pk__lt=OuterRef("pk"),
        file__household=OuterRef("file__household"),
    )
    return (
        FileParticipant.objects.filter(
            access.active_participation(),
            Q(organisation=organisation, file__cancelled_at__isnull=True),
            same_household_probe(members, "file__household"),
        )
        .exclude(Exists(earlier))
        .order_by(*PARTICIPANT_ORDERS[order])
        .values_list("file", flat=True)
    )


def is_broad(text, departments):
    """Whether the name, its words read as one surname, has BROAD members, read from the
    name index and stopping there. That reading is the only one that can be broad: « Le
    Goff » is one surname shared by thousands, where a name then a first name (« le|goff »,
    « Martin Sylvie ») is specific enough. The birth names are left out: one index range
    per name (two with « née »), not a bitmap of two read to the end. Counted by the server
    (a count over the first BROAD rows): reading the BROAD keys into Python took 3.4 to 5.4 ms
    per broad prefix at 1 000 000 households, the count 1.3 to 2.0 ms."""
    for prefix in sorted(p for p in name_prefixes(text) if "|" not in p):
        members = _in_departments(HouseholdMember.objects.filter(_starts_with("name_key", prefix)), departments)
        if members.order_by()[:BROAD].count() >= BROAD:
            return True
    return False


def matches(user, text, commune, organisation, order, organisation_ids, stage="", deadline="", today=None):
    """What the search page paginates: the ids of up to COUNT_CAP + 1 matches in the order
    asked, one query (the count and the page both come from them), or BroadMatches for a
    broad name with no other filter (a filter may leave few files among those walked)."""
    criteria = dict(
        commune=commune,
        organisation=organisation,
        order=order,
        organisation_ids=organisation_ids,
        stage=stage,
        deadline=deadline,
        today=today,
    )
    files = search_files(user, text, **criteria)
    departments = scope.departments_for(user)
    if (
        order in WALKED_ORDERS
        and not (commune or organisation or stage or deadline or clean_reference(text))
        and (members := matching_members(text, departments)) is not None
        and is_broad(text, departments)
    ):
        visible = access.visible_files(PreventionFile.objects.all(), user, organisation_ids).live().order_by()
        walk = participant_walk(members, organisation_ids, order)
        if walk is None:
            walk = search_files(user, text, walk=True, **criteria).values_list("pk", flat=True)
        return BroadMatches(walk, visible, members, files.order_by())
    return list(files.values_list("pk", flat=True)[: COUNT_CAP + 1])


def reference_person(household):
    members = household.members.all()
    return next((m for m in members if m.relationship == MemberRelationship.REFERENCE), None)


# What a row shows of each file (eviction/search.html), and what the access log names: the
# household's and landlords' other columns were read and built into objects for nothing.
SHOWN = (
    "reference",
    "cancelled_at",
    "opened_on",
    "opened_by__name",
    "household__street",
    "household__commune__name",
    "household__social_landlord__name",
    "household__private_landlord__name",
)


def page_rows(ids):
    """What the rows of a page show (household, landlord, members, stage), fetched by id in
    a fixed number of queries. Kept apart from the search itself: joined to it, PostgreSQL
    may hash every household instead of starting from the few members found."""
    files = PreventionFile.objects.filter(pk__in=ids).with_household().only(*SHOWN).in_bulk()
    states = Event.objects.filter(file__in=ids).states_by_file()
    rows = [files[pk] for pk in ids]
    for file in rows:
        file.reference_person = reference_person(file.household)
        file.state = states.get(file.pk) or state_of([])
    return rows


def organisations_for_search(user):
    """Organisations of the user's départements and national bodies: another département's
    partners are never participants of a file the user sees."""
    from toit.organisations.perms import departments_of

    organisations = Organisation.objects.filter(is_active=True).order_by(french("name"))
    codes = departments_of(user)
    if not codes:
        return organisations
    return organisations.filter(Q(department__code__in=codes) | Q(department__isnull=True))


@nominative_required
def search(request):
    form = SearchForm(request.GET or None)
    form.fields["commune"].queryset = Commune.objects.for_user(request.user).order_by(french("name"))
    form.fields["organisation"].queryset = organisations_for_search(request.user)
    text, commune, organisation, order, stage, deadline = "", None, None, "recent", "", ""
    if form.is_valid():
        text, commune = form.cleaned_data["q"], form.cleaned_data["commune"]
        organisation, order = form.cleaned_data["organisation"], form.cleaned_data["order"] or "recent"
        stage, deadline = form.cleaned_data["stage"], form.cleaned_data["deadline"]
    ids = access.organisation_ids(request.user)
    found = matches(request.user, text, commune, organisation, order, ids, stage=stage, deadline=deadline)
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = page_rows(list(page.object_list))
    log_listed(request, page.object_list, AccessAction.SEARCH)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "eviction/search.html",
        {
            "form": form,
            "page": page,
            "searched": bool(text or commune or organisation or stage or deadline),
            "query": query.urlencode(),
            "count_cap": page.paginator.cap,
            "may_break_glass": access.may_break_glass(request.user),
        },
    )
