"""What a cross-matching run found (sheet 3A): the households (records joined by accepted
or confirmed links) and, for each, the files they appear in and the situations flagged.
Counts are for every partner; names only for a household whose every record the user may
read (toit.linkage.access)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from toit.linkage import sources
from toit.linkage.models import RecordLink


@dataclass
class Household:
    records: set = field(default_factory=set)  # {(source, pk)}
    flags: set = field(default_factory=set)

    @property
    def channels(self):
        return tuple(sorted({source for source, _ in self.records}))


@dataclass
class RunResult:
    households: list
    by_channels: list  # [(labels, count)], most frequent first
    questions: list  # [(question, count)]
    named: list  # [(Household, [RecordView])] the user may see entirely

    @property
    def total(self):
        return len(self.households)

    @property
    def in_several_files(self):
        return sum(1 for h in self.households if len(h.channels) > 1)


def _clusters(records, pairs):
    parent = {record: record for record in records}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    groups = defaultdict(set)
    for record in records:
        groups[find(record)].add(record)
    return list(groups.values())


QUESTIONS = (
    (
        "Prioritaires DALO non relogés dans le délai",
        lambda h: "dalo_hors_delai" in h.flags,
    ),
    (
        "… dont connus d'un autre dispositif (demande, FSL, expulsion, suivi)",
        lambda h: "dalo_hors_delai" in h.flags and len(h.channels) > 1,
    ),
    (
        "Demandeurs en délai anormalement long sans recours DALO (public DALO potentiel)",
        lambda h: "attente_anormale" in h.flags and "dalo" not in h.channels,
    ),
    (
        "Garantis FSL en délai anormalement long",
        lambda h: "garanti_fsl" in h.flags and "attente_anormale" in h.flags,
    ),
    (
        "Ménages visés par une procédure d'expulsion et prioritaires DALO",
        lambda h: "expulsion" in h.channels and "dalo" in h.channels,
    ),
)


def run_result(run, user, today):
    """The households of `run` as its département's files stand on `today`. Queries: one
    per source for its records and flags, one for the links, one per source for what the
    user may see, one per source for the names shown."""
    chosen = [sources.get(code) for code in run.sources]
    records, flags = set(), defaultdict(set)
    for source in chosen:
        for identity in source.identities(run.department):
            records.add((source.code, int(identity.record_id)))
        if source.flags:
            for pk, codes in source.flags(run.department, today).items():
                flags[(source.code, pk)] |= codes
    pairs = [
        ((link.left_source, link.left_pk), (link.right_source, link.right_pk))
        for link in RecordLink.objects.filter(run=run)
        .same_person()
        .only("left_source", "left_pk", "right_source", "right_pk")
    ]
    households = []
    for group in _clusters(records, pairs):
        household = Household(records=group)
        for record in group:
            household.flags |= flags.get(record, set())
        households.append(household)
    combos = Counter(h.channels for h in households)
    by_channels = [
        (" + ".join(sources.label(code) for code in combo), count)
        for combo, count in sorted(combos.items(), key=lambda item: (-item[1], item[0]))
    ]
    questions = [(label, sum(1 for h in households if test(h))) for label, test in QUESTIONS]
    return RunResult(households, by_channels, questions, _named(households, user))


def _named(households, user):
    several = [h for h in households if len(h.channels) > 1]
    wanted = defaultdict(set)
    for household in several:
        for source, pk in household.records:
            wanted[source].add(pk)
    visible = {
        code: set(sources.get(code).visible_pks(user).filter(pk__in=pks).values_list("pk", flat=True))
        for code, pks in wanted.items()
    }
    shown = [h for h in several if all(pk in visible[source] for source, pk in h.records)]
    views = {}
    for code in {source for h in shown for source, _ in h.records}:
        pks = {pk for h in shown for source, pk in h.records if source == code}
        views.update({(code, pk): view for pk, view in sources.get(code).describe(pks).items()})
    return [(h, [views[record] for record in sorted(h.records) if record in views]) for h in shown]
