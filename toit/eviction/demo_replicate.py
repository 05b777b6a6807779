"""Multiply the synthetic eviction data in SQL, for benchmarks at a scale the demo generator
(toit.eviction.demo) would take hours to reach: a million households are ten copies of the
100 000 households of scale 22.

Each copy is one INSERT … SELECT per table: copy k of a row with id i gets the id
i + k × span, span being the table's largest id before copying, and every foreign key to a
copied table moves by that table's span. Everything else is copied verbatim: names, keys,
addresses and dates (a copy is the same population drawn again, not new people), the
participations, and the procedure state columns that the recording functions maintain
(toit.eviction.procedure_state), which stay right since the events and payments they derive
from are copied too, and the département copied on members and files (row-level security
reads it), right since a copy keeps its household's commune. Only the file reference is
new: derived from the new id through a bijection of the reference space, checked against
the references already there. Private
landlords and reference tables (CCAPEX thresholds, organisations, communes) are shared.
The change history is not copied: the demo writes none (bulk_create).
"""

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction

from toit.eviction.demo import DemoDataError
from toit.eviction.models import (
    ContactAttempt,
    Event,
    FileParticipant,
    FileReferent,
    FslDecision,
    HomeownerDifficulty,
    Household,
    HouseholdMember,
    OverIndebtednessCase,
    PreventionFile,
    RepaymentPayment,
    RepaymentPlan,
    Report,
    ReportTransmission,
    SocialDiagnosis,
)
from toit.eviction.references import ALPHABET, GROUP_LENGTH, GROUPS, PREFIX

# Parents before children, so that every foreign key of a copied row finds its target.
MODELS = (
    Household,
    HouseholdMember,
    PreventionFile,
    FileParticipant,
    FileReferent,
    Report,
    ReportTransmission,
    SocialDiagnosis,
    Event,
    ContactAttempt,
    RepaymentPlan,
    RepaymentPayment,
    FslDecision,
    OverIndebtednessCase,
    HomeownerDifficulty,
)
SPACE = len(ALPHABET) ** (GROUPS * GROUP_LENGTH)
# Coprime with 30: i -> (i × MULTIPLIER + salt) mod 30^8 is a bijection, so distinct new ids
# give distinct references, which look as scattered as random ones.
MULTIPLIER = 48_271_027


def _reference_sql(id_sql, salt):
    number = f"((CAST({id_sql} AS bigint) * {MULTIPLIER} + {salt}) % {SPACE})"
    digits = [
        f"substr('{ALPHABET}', CAST(({number} / {len(ALPHABET) ** power}) % {len(ALPHABET)} AS integer) + 1, 1)"
        for power in reversed(range(GROUPS * GROUP_LENGTH))
    ]
    groups = [" || ".join(digits[g * GROUP_LENGTH : (g + 1) * GROUP_LENGTH]) for g in range(GROUPS)]
    return f"'{PREFIX}-' || " + " || '-' || ".join(groups)


def _copy_sql(model, copy, spans, salt):
    """INSERT … SELECT of copy number `copy` of `model`'s rows that existed before copying."""
    table = model._meta.db_table
    span = spans[model]
    columns, values = [], []
    for field in model._meta.concrete_fields:
        column = connection.ops.quote_name(field.column)
        columns.append(column)
        if field.primary_key:
            values.append(f"{column} + {copy * span}")
        elif field.is_relation and field.related_model in spans:
            values.append(f"{column} + {copy * spans[field.related_model]}")
        elif model is PreventionFile and field.name == "reference":
            values.append(_reference_sql(f"id + {copy * span}", salt))
        else:
            values.append(column)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 — identifiers and integers only
        f"SELECT {', '.join(values)} FROM {table} WHERE id <= {span} ORDER BY id"
    )


def _free_salt(cursor, copy, span):
    """A salt for which no new reference of this copy is already taken (about one chance in
    six of a clash at a million files: references are random)."""
    for salt in range(1000):
        cursor.execute(
            f"SELECT COUNT(*) FROM eviction_preventionfile WHERE reference IN "  # noqa: S608
            f"(SELECT {_reference_sql(f'id + {copy * span}', salt)} FROM eviction_preventionfile "
            f"WHERE id <= {span})"
        )
        if cursor.fetchone()[0] == 0:
            return salt
    raise DemoDataError("Aucune référence de dossier libre pour la copie : base incohérente.")


def replicate(times, progress=None):
    """Bring the synthetic eviction data to `times` copies of what the database holds (times
    - 1 new copies). Refused on a database holding data that is not synthetic. Returns the
    number of households after copying. `progress(copy, seconds)` is called after each copy."""
    import time

    if not settings.TOIT_DEMO_ALLOWED:
        raise DemoDataError(
            "Les données de démonstration sont refusées par ce déploiement (TOIT_DEMO_ALLOWED) : "
            "utilisez les réglages de développement."
        )
    if times < 1:
        raise DemoDataError(f"Nombre de copies invalide : {times} ; indiquez 2 ou plus pour doubler les données.")
    if Household.objects.filter(is_synthetic=False).exists() or Report.objects.filter(is_synthetic=False).exists():
        raise DemoDataError(
            "La base contient des ménages ou des signalements réels : seules des données de démonstration "
            "peuvent être copiées. Utilisez une base de banc d'essai."
        )
    spans = {}
    with connection.cursor() as cursor:
        for model in MODELS:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608
            spans[model] = cursor.fetchone()[0]
    for copy in range(1, times):
        start = time.perf_counter()
        # One transaction per copy: the deferred foreign key checks of a copy stay in memory
        # until its commit, not those of all the copies. The id sequences move with each
        # copy, so that a run stopped between two copies leaves a database Toit can write to.
        with transaction.atomic(), connection.cursor() as cursor:
            salt = _free_salt(cursor, copy, spans[PreventionFile])
            for model in MODELS:
                if spans[model]:
                    cursor.execute(_copy_sql(model, copy, spans, salt))
            for statement in connection.ops.sequence_reset_sql(no_style(), MODELS):
                cursor.execute(statement)
        if progress is not None:
            progress(copy, time.perf_counter() - start)
    return Household.objects.count()
