"""What a checked row becomes. A sink takes the values of a row (named by its input
fields), stages them (`stage`: row-local checks and derived values, no database write),
then writes them through the eviction domain's functions (`apply`, one row at a time), or
set-based in SQL when the sink offers it (`apply_set`, PostgreSQL and SQLite)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from toit.imports import packing


class RowRefused(Exception):
    """A row the domain refuses, said in French; `field` is the sink's input field at
    fault ("" for the row as a whole). A row may break several rules at once: `also` holds
    the others (each reported on its own line, with its own column), so that the partner
    fixes the row in one go. `staged`: the row's staged values when the sink could still
    build them, so that the rules checked on the whole file (Sink.check_set) speak of the
    row too."""

    def __init__(self, message, expected="", field="", also=(), staged=None):
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.field = field
        self.also = tuple(also)
        self.staged = staged

    @classmethod
    def every(cls, refusals, staged=None):
        """One RowRefused for several (the first carries the others), each message once."""
        unique = {}
        for refusal in refusals:
            unique.setdefault((refusal.field, refusal.message), refusal)
        first, *others = unique.values()
        return cls(first.message, first.expected, first.field, others, staged)

    @property
    def refusals(self):
        return (self, *self.also)


@dataclass
class Applied:
    object_id: int
    matched: bool = False  # attached to an existing file
    unmatched: bool = False  # left for an agent to attach (work queue)
    opened: bool = False  # a file was opened for it


# How to fix a refused access to an eviction prevention file (dossier), for the sinks whose
# rows are actions on one.
FILE_ACCESS_EXPECTED = "une organisation qui participe au dossier, ou la référence d'un autre dossier"


class Sink:
    code = ""
    model = None  # what a row creates (ImportedRow.object_id is its id)
    label = ""  # what the rows become, in French
    feeds = ""  # the domain functions it calls, for the documentation
    fields = {}  # input field -> what it feeds, in French (documentation, consistency test)
    required_fields = frozenset()  # input fields a source must map
    staged = ()  # ((name, codec), …): the packed values of a staged row, in order
    dry_run = False  # check rows by applying them in a rolled-back transaction
    parallel_check = False  # staging needs nothing but the rows: large files checked in processes
    # stage_batch also runs on rows with a cell that could not be read (its value None), so
    # that their other errors are reported with it; their staged values are never kept.
    # Only for a sink whose rules skip a missing value.
    stage_despite_cell_errors = False
    error_fields = {}  # model field named by a ValidationError -> input field
    # How to fix a refused access (PermissionDenied), in the words of the sink's domain: a
    # file of housing demands or of stays has no eviction file to take part in.
    denied_expected = (
        "un compte qui peut saisir ces données pour l'organisation au nom de laquelle le fichier est déposé : "
        "déposez-le au nom de la bonne organisation, ou demandez ce droit à son administrateur"
    )

    def stage(self, values, source, ctx):
        """The staged values (by the names of `staged`) of one row's input values, or
        RowRefused."""
        raise NotImplementedError

    def stage_batch(self, columns, positions, source, ctx):
        """Stage the rows at `positions` of `columns` ({input field: [value per row]}).
        Returns (packed text per position, {position: RowRefused}); a refused position's
        packed text is "", or its staged values when the refusal carries them
        (RowRefused.staged). Row by row by default; a sink fed large files does it column
        by column."""
        packed, refused = [], {}
        fields = list(columns)
        for position in positions:
            try:
                staged = self.stage({f: columns[f][position] for f in fields}, source, ctx)
            except RowRefused as exc:
                refused[position] = exc
                packed.append("" if exc.staged is None else packing.pack(self.staged, exc.staged))
                continue
            packed.append(packing.pack(self.staged, staged))
        return packed, refused

    def apply(self, row, source, ctx):
        raise NotImplementedError

    def claim_order(self, alias):
        """SQL ordering the staged rows (`alias`) of the set-based path: the order ids are
        handed out and rows inserted."""
        return f"{alias}.line_number"

    # Import every claimed row at once ({"matched": n, "unmatched": n, "opened": n}); a sink
    # without a set-based path leaves it None.
    apply_set = None

    # check_set(job, source, ctx, issues): at check time, after duplicates and rows imported
    # before, the sink's rules against the database's state, set-based (a few queries for
    # the whole file) rather than by a rolled-back apply of each row (dry_run). None: none.
    check_set = None

    def refusal(self, exc):
        """RowRefused for an exception a domain function raised, else None."""
        if isinstance(exc, RowRefused):
            return exc
        if isinstance(exc, PermissionDenied):
            return RowRefused(str(exc), self.denied_expected)
        if isinstance(exc, ValidationError):
            # Every message once, each on its own line with its column when the sink knows
            # it, so that the partner fixes the row in one go (RowRefused.every).
            if hasattr(exc, "error_dict"):
                pairs = [(name, m) for name, errors in exc.error_dict.items() for m in ValidationError(errors).messages]
            else:
                pairs = [("", m) for m in exc.messages]
            return RowRefused.every([RowRefused(m, "", self.error_fields.get(name, "")) for name, m in pairs])
        return None
