"""Household search: accents and case ignored, used and birth names, references, communes,
only visible files, paginated, index-backed and in a fixed number of queries."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.eviction.factories import HouseholdMemberFactory
from tests.territory.factories import CommuneFactory
from tests.www.eviction.conftest import fill_file, make_file
from toit.www.eviction.search import PAGE_SIZE, matching_members, name_prefixes

# Session (2, and 3 to save it), roles, count, page ids, their files, members, events, communes,
# organisations (the filter's list), and one insert into the access log for the files listed.
QUERIES = 14


def found(client, **params):
    response = client.get(reverse("eviction:search"), params)
    assert response.status_code == 200
    return response


def references(response):
    return {file.reference for file in response.context["page"]}


@pytest.fixture
def helene(org):
    return make_file(org, last_name="LEFEVRE", first_name="HELENE")


@pytest.mark.parametrize(
    "query", ["Lefèvre", "lefevre", "LEFÈVRE Hélène", "Hélène Lefèvre", "lef", "Lefèvre Hél", "  lefèvre  "]
)
def test_accents_case_and_order_do_not_matter(agent_client, helene, query):
    assert references(found(agent_client, q=query)) == {helene.reference}


def test_helene_finds_helene_written_in_capitals_without_accent(agent_client, org):
    file = make_file(org, last_name="HELENE", first_name="MARIE")
    assert references(found(agent_client, q="Hélène")) == {file.reference}


def test_birth_name(agent_client, org):
    married = make_file(org, last_name="Dupont", first_name="Sylvie", birth_name="Martin")
    written_in_name = make_file(org, last_name="Durand née Martin", first_name="Anne")
    other = make_file(org, last_name="Martineau", first_name="Paul")
    assert references(found(agent_client, q="née Martin")) >= {married.reference, written_in_name.reference}
    assert references(found(agent_client, q="Dupont née Martin")) >= {married.reference}
    assert references(found(agent_client, q="Martin Sylvie")) == {married.reference}
    assert references(found(agent_client, q="martin")) == {
        married.reference,
        written_in_name.reference,
        other.reference,
    }
    assert references(found(agent_client, q="Dupont")) == {married.reference}


def test_compound_names(agent_client, org):
    file = make_file(org, last_name="Le Gall", first_name="Jean-Pierre")
    for query in ("LEGALL", "le gall jean pierre", "Le-Gall Jean", "jean-pierre le gall"):
        assert references(found(agent_client, q=query)) == {file.reference}, query


def test_reference(agent_client, helene):
    typed = helene.reference.lower().replace("-", " ")
    assert references(found(agent_client, q=typed)) == {helene.reference}


def test_commune(agent_client, org, helene):
    allonnes = CommuneFactory(name="Allonnes")
    there = make_file(org, last_name="Lefèvre", first_name="Luc", commune=allonnes)
    assert references(found(agent_client, commune=allonnes.pk)) == {there.reference}
    assert references(found(agent_client, q="lefevre", commune=allonnes.pk)) == {there.reference}
    assert references(found(agent_client, q="lefevre")) == {there.reference, helene.reference}


def test_outsider_files_never_appear(agent_client, org, other_org, helene):
    hidden = make_file(other_org, last_name="Lefèvre", first_name="Hélène")
    for params in ({}, {"q": "lefevre"}, {"q": hidden.reference}, {"commune": hidden.household.commune_id}):
        assert hidden.reference not in references(found(agent_client, **params)), params
    assert "Lefèvre" not in found(agent_client, q=hidden.reference).text


def test_nothing_found_says_what_to_try(agent_client, helene):
    response = found(agent_client, q="Zorglub")
    assert "Aucun dossier visible ne correspond" in response.text
    assert references(found(agent_client, q="!!!")) == set()


def test_pagination_and_constant_queries(agent_client, org, django_assert_max_num_queries, django_assert_num_queries):
    files = [fill_file(make_file(org, last_name="Bernard", first_name=f"Prénom{n}"), org) for n in range(PAGE_SIZE + 3)]
    with django_assert_max_num_queries(QUERIES + 1):  # a name: is it broad? (BroadMatches)
        first = found(agent_client, q="bernard")
    assert len(references(first)) == PAGE_SIZE
    second = found(agent_client, q="bernard", page=2)
    assert references(first) | references(second) == {f.reference for f in files}
    assert "Page 1 sur 2" in first.text and "q=bernard&amp;page=2" in first.text
    # Same count with one row: nothing is fetched per row.
    with django_assert_num_queries(QUERIES):
        found(agent_client, q=files[0].reference)


def test_prefixes_cover_name_orders():
    assert name_prefixes("Le Gall Jean") == {"legalljean", "le|galljean", "galljean|le", "legall|jean", "jean|legall"}
    assert name_prefixes("née Martin") == {"martin"}
    assert name_prefixes("") == set()


def test_name_search_uses_an_index():
    """At 100 000 households a scan would not do: members are found by index ranges on
    their normalised keys, and files from them by the household index."""
    for n in range(30):
        HouseholdMemberFactory(last_name=f"Nom{n}")
    sql, params = matching_members("dupont sylvie").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")  # a tiny table would be scanned anyway
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "SCAN eviction_householdmember" not in plan, plan
    assert "member_name_prefix_idx" in plan and "member_birth_name_prefix_idx" in plan, plan


def test_count_is_capped_for_broad_searches(monkeypatch):
    from toit.www.eviction import search

    monkeypatch.setattr(search, "COUNT_CAP", 3)
    paginator = search.CappedPaginator(list(range(10)), 2)
    assert paginator.count == 4
    assert paginator.capped
    small = search.CappedPaginator(list(range(3)), 2)
    assert (small.count, small.capped) == (3, False)


def test_filter_by_participating_organisation_and_sort(agent_client, org, other_org):
    import datetime

    from tests.organisations.factories import member_of
    from toit.eviction import access

    first = make_file(org, last_name="Abel", opened_on=datetime.date(2010, 1, 4))
    second = make_file(org, last_name="Zola", opened_on=datetime.date(2011, 1, 4))
    access.share_file(second, other_org, member_of(org), org)
    url = reverse("eviction:search")
    shared = agent_client.get(url, {"organisation": other_org.pk}).text
    assert second.reference in shared and first.reference not in shared
    oldest_first = agent_client.get(url, {"order": "ancien"}).text
    assert oldest_first.index(first.reference) < oldest_first.index(second.reference)
    newest_first = agent_client.get(url).text
    assert newest_first.index(second.reference) < newest_first.index(first.reference)


def test_filter_by_stage_and_next_hearing_and_sort_by_hearing(agent_client, org):
    """Issue 15: search gets filters by stage and next deadline. « Today » is the suite's
    pinned day (tests/clock.py)."""
    import datetime

    from django.utils import timezone

    from tests.eviction.factories import EventFactory
    from toit.eviction.enums import EventKind, JudgmentOutcome

    today = timezone.localdate()
    opened = make_file(org, last_name="Ouvert")
    unpaid = make_file(org, last_name="Impaye")
    EventFactory(file=unpaid, kind=EventKind.UNPAID_REPORTED, date=today - datetime.timedelta(days=40))
    soon, later, past, judged = (make_file(org, last_name=name) for name in ("Bientot", "Plustard", "Passe", "Juge"))
    for file, days in ((soon, 10), (later, 25), (past, -5), (judged, -20)):
        EventFactory(
            file=file,
            kind=EventKind.SUMMONS,
            date=today - datetime.timedelta(days=60),
            hearing_date=today + datetime.timedelta(days=days),
        )
    EventFactory(
        file=judged,
        kind=EventKind.JUDGMENT,
        date=today - datetime.timedelta(days=20),
        judgment_outcome=JudgmentOutcome.TIME_TO_PAY,
    )
    assert references(found(agent_client, stage="impaye")) == {unpaid.reference}
    assert references(found(agent_client, stage="ouvert")) == {opened.reference}
    assert references(found(agent_client, stage="assignation")) == {soon.reference, later.reference, past.reference}
    assert references(found(agent_client, stage="jugement")) == {judged.reference}
    assert references(found(agent_client, deadline="audience-15")) == {soon.reference}
    assert references(found(agent_client, deadline="audience-30")) == {soon.reference, later.reference}
    assert references(found(agent_client, deadline="audience-passee")) == {past.reference}
    ordered = [f.reference for f in found(agent_client, order="audience").context["page"]]
    assert ordered[:4] == [judged.reference, past.reference, soon.reference, later.reference]
    refused = found(agent_client, stage="inconnue")
    assert "Sélectionnez un choix valide" in refused.text


@pytest.fixture
def many_martins(org, other_org):
    """Files whose household has a « Martin » (the org's, in several orders of date and
    reference), an outsider's Martin, a cancelled one, and a Bernard."""
    import datetime

    mine = [
        make_file(org, last_name=f"Martin{n % 3}", first_name=f"P{n}", opened_on=datetime.date(2010, 1 + n % 12, 1 + n))
        for n in range(9)
    ]
    make_file(other_org, last_name="Martin", first_name="Outsider")
    make_file(org, last_name="Bernard", first_name="Hors sujet")
    return mine


@pytest.mark.parametrize("order", ["recent", "ancien", "reference", "audience"])
def test_a_broad_name_finds_the_same_files_in_the_same_order(agent_client, many_martins, monkeypatch, order):
    """Issue 17: a name matching thousands of members is looked up by walking the files in
    the order asked (BroadMatches); what the page shows must not change."""
    from toit.www.eviction import search

    monkeypatch.setattr(search, "PAGE_SIZE", 4)
    normal = [references(found(agent_client, q="mar", order=order, page=p)) for p in (1, 2, 3)]
    listed = [[f.reference for f in found(agent_client, q="mar", order=order, page=p).context["page"]] for p in (1, 3)]
    monkeypatch.setattr(search, "BROAD", 3)
    broad = [references(found(agent_client, q="mar", order=order, page=p)) for p in (1, 2, 3)]
    assert broad == normal
    assert [
        [f.reference for f in found(agent_client, q="mar", order=order, page=p).context["page"]] for p in (1, 3)
    ] == (listed)
    assert set().union(*broad) == {f.reference for f in many_martins}  # never the outsider's


def test_a_broad_name_is_walked_and_counted_apart(agent_client, agent, many_martins, monkeypatch, org):
    from toit.www.eviction import search

    monkeypatch.setattr(search, "BROAD", 3)
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    ids = search.access.organisation_ids(agent)
    result = search.matches(agent, "mar", None, None, "recent", ids)
    assert isinstance(result, search.BroadMatches)
    assert result.capped_count() == 6  # « plus de 5 »
    response = found(agent_client, q="mar")
    assert "Plus de 5" in response.text or "plus de 5" in response.text
    # Below the threshold, or with another filter, or a sort no index reads: the ids at once.
    assert isinstance(search.matches(agent, "bern", None, None, "recent", ids), list)
    assert isinstance(search.matches(agent, "mar", None, None, "audience", ids), list)
    assert isinstance(search.matches(agent, "mar", None, org, "recent", ids), list)


def test_a_surname_in_two_words_is_broad_as_one_word_is(agent_client, agent, org, monkeypatch):
    """« Le Goff » is one surname: read as a name then a first name, it was never broad and
    read every member of that name (720 ms for 25 000 of them at 1 000 000 households)."""
    from toit.www.eviction import search

    files = [make_file(org, last_name="Le Goff", first_name=f"P{n}") for n in range(4)]
    make_file(org, last_name="Goff", first_name="Le")
    ids = search.access.organisation_ids(agent)
    normal = references(found(agent_client, q="Le Goff"))
    monkeypatch.setattr(search, "BROAD", 3)
    assert isinstance(search.matches(agent, "Le Goff", None, None, "recent", ids), search.BroadMatches)
    assert references(found(agent_client, q="Le Goff")) == normal
    assert {f.reference for f in files} <= normal
    # The surname then a first name, or a name then a first name, stay specific.
    assert isinstance(search.matches(agent, "Le Goff P1", None, None, "recent", ids), list)
    assert isinstance(search.matches(agent, "Goff Le", None, None, "recent", ids), list)


def test_a_broad_name_costs_a_fixed_number_of_queries(
    agent_client, many_martins, monkeypatch, django_assert_num_queries
):
    from toit.www.eviction import search

    monkeypatch.setattr(search, "BROAD", 3)
    # The usual page, plus the threshold's test and the count (two) apart from the page's ids.
    with django_assert_num_queries(QUERIES + 3):
        found(agent_client, q="mar")


def test_only_the_walks_may_read_the_date_index(agent_client, many_martins, monkeypatch):
    """Left to choose for a name it cannot estimate, PostgreSQL walked every file by date
    (file_opened_idx) for 501 matches that a few hundred never filled (300 ms at 100 000
    households): the index's condition is stated by the walks only (search.WALKABLE), a
    broad name's and the user's files without a name."""
    from django.test.utils import CaptureQueriesContext

    from toit.www.eviction import search

    def ids_queries(**params):
        with CaptureQueriesContext(connection) as queries:
            found(agent_client, **params)
        return [q["sql"] for q in queries if q["sql"].startswith('SELECT "eviction_preventionfile"."id" AS "pk"')]

    walkable = '"eviction_preventionfile"."id" > 0'
    assert all(walkable not in sql for sql in ids_queries(q="mar")), ids_queries(q="mar")
    assert all(walkable in sql for sql in ids_queries()), ids_queries()
    assert all(walkable not in sql for sql in ids_queries(commune=many_martins[0].household.commune.pk))
    monkeypatch.setattr(search, "BROAD", 3)
    # By date, a user of one organisation walks its participations (participant_walk).
    assert any(walkable in sql for sql in ids_queries(q="mar", order="reference"))


@pytest.fixture
def martins_shared_and_broken(org, other_org):
    """Martins the org reads in every way a participation allows, and some it does not:
    equal opening dates (the tie-break by id), a file shared with it and also opened to it
    by break glass (read once), households with two Martins, a cancelled file, an expired
    break-glass access, an outsider's file."""
    import datetime

    from django.utils import timezone

    from toit.eviction import access
    from toit.eviction.enums import ParticipantReason
    from toit.eviction.models import FileParticipant, PreventionFile

    same_day = datetime.date(2011, 3, 1)
    mine = [make_file(org, last_name="Martin", first_name=f"P{n}", opened_on=same_day) for n in range(3)]
    mine += [make_file(org, last_name="Martinez", opened_on=datetime.date(2012, 1, n)) for n in (5, 2)]
    # make_file gives each household two members of the name: each file must come once.
    mine.append(make_file(org, last_name="Martin", opened_on=datetime.date(2009, 6, 1)))
    now = timezone.now()
    shared = make_file(other_org, last_name="Martin", first_name="Partagé", opened_on=same_day)
    access.grant(shared, org, ParticipantReason.SHARING)
    broken = make_file(other_org, last_name="Martin", first_name="Urgence", opened_on=datetime.date(2013, 2, 2))
    for file in (shared, broken):
        FileParticipant.objects.create(
            file=file,
            organisation=org,
            reason=ParticipantReason.BREAK_GLASS,
            expires_at=now + datetime.timedelta(hours=2),
        )
    mine += [shared, broken]
    expired = make_file(other_org, last_name="Martin", first_name="Expiré", opened_on=datetime.date(2014, 1, 1))
    FileParticipant.objects.create(
        file=expired,
        organisation=org,
        reason=ParticipantReason.BREAK_GLASS,
        expires_at=now - datetime.timedelta(hours=1),
    )
    cancelled = make_file(org, last_name="Martin", first_name="Annulé", opened_on=datetime.date(2015, 1, 1))
    PreventionFile.objects.filter(pk=cancelled.pk).update(cancelled_at=now)
    make_file(other_org, last_name="Martin", first_name="Ailleurs", opened_on=datetime.date(2016, 1, 1))
    return mine


@pytest.mark.parametrize("order", ["recent", "ancien"])
def test_walking_the_participations_gives_what_walking_the_files_gives(
    agent, martins_shared_and_broken, monkeypatch, order
):
    """A user reading through one organisation has a broad name's files walked through its
    participations (participant_walk): the same files, once each, in the same order, page
    by page, with the same count."""
    from toit.www.eviction import search

    monkeypatch.setattr(search, "BROAD", 3)
    ids = search.access.organisation_ids(agent)
    members = search.matching_members("Martin", search.scope.departments_for(agent))
    files = list(
        search.search_files(agent, "Martin", order=order, organisation_ids=ids, walk=True).values_list("pk", flat=True)
    )
    walked = list(search.participant_walk(members, ids, order))
    assert walked == files
    assert set(walked) == {f.pk for f in martins_shared_and_broken}
    assert len(walked) == len(set(walked))
    result = search.matches(agent, "Martin", None, None, order, ids)
    assert isinstance(result, search.BroadMatches)
    assert [result[start : start + 3] for start in range(0, 12, 3)] == [
        files[start : start + 3] for start in range(0, 12, 3)
    ]
    paginator = search.CappedPaginator(result, 3)
    assert paginator.count == len(files)
    assert list(paginator.page(2).object_list) == files[3:6]


def test_several_organisations_or_the_reference_order_walk_the_files(org, other_org):
    from toit.www.eviction import search

    members = search.matching_members("Martin")
    assert search.participant_walk(members, [org.pk], "reference") is None
    assert search.participant_walk(members, [org.pk, other_org.pk], "recent") is None
    assert search.participant_walk(members, [org.pk], "recent") is not None
