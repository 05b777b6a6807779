"""The declarative mappings stay consistent with their sinks, their sample files and the
documentation: a new source kind that forgets one of them fails here."""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.imports.world import SAMPLES
from toit.eviction.normalise import person_keys as eviction_person_keys
from toit.imports.headers import header_key
from toit.imports.mappings import SOURCE_KINDS
from toit.imports.sinks import SINKS
from toit.imports.sinks.identity import person_keys

DOC = Path(__file__).resolve().parents[2] / "docs" / "imports.md"


@pytest.mark.parametrize("source", SOURCE_KINDS.values(), ids=lambda s: s.code)
def test_source_kind_is_consistent(source):
    sink = SINKS[source.sink]
    fields = [c.field for c in source.columns]
    assert len(fields) == len(set(fields)), "une colonne par champ"
    assert set(fields) <= set(sink.fields), "chaque colonne alimente un champ connu du puits"
    assert sink.required_fields <= {c.field for c in source.columns if c.required} | set(source.constants)
    assert set(source.natural_key) <= set(fields)
    keys = [header_key(n) for c in source.columns for n in (c.name, *c.aliases)]
    assert len(keys) == len(set(keys)), "un intitulé ne désigne qu'une colonne"
    assert (SAMPLES / source.sample).is_file()


def test_documentation_names_every_source_column_and_sample():
    text = DOC.read_text(encoding="utf-8")
    for source in SOURCE_KINDS.values():
        assert f"`{source.code}`" in text and source.sample in text
        for column in source.columns:
            assert re.search(rf"\|\s*{re.escape(column.name)}\s*\|", text), (source.code, column.name)


NAMES = st.text(alphabet="abcdeéèÉÈçÇœŒ -'’ÆæLeGallNÉEnéeépouseÉPOUSEveuve", max_size=25)


@given(last=NAMES, first=NAMES, birth=NAMES)
def test_person_keys_are_the_eviction_keys(last, first, birth):
    """The import's cached keys are exactly toit.eviction.normalise's: the set-based matching
    would otherwise miss households the intake finds."""
    assert set(person_keys(last, first, birth)) == eviction_person_keys(last, first, birth)


# The sinks whose rows are actions on an eviction prevention file (dossier): only their
# refusals of access may speak of taking part in a file.
EVICTION_SINKS = {"report", "event", "fsl"}


@pytest.mark.parametrize("sink", SINKS.values(), ids=lambda s: s.code)
def test_an_access_refusal_says_how_to_fix_it_in_the_words_of_its_domain(sink):
    """A refused access (PermissionDenied) tells how to fix it in the words of the file's
    domain: the housing demands' extract or a structure's stays have no eviction file to
    take part in."""
    from django.core.exceptions import PermissionDenied

    refusal = sink.refusal(PermissionDenied("Refusé."))
    assert refusal.message == "Refusé." and refusal.expected
    if sink.code in EVICTION_SINKS:
        assert "participe au dossier" in refusal.expected
    else:
        assert "dossier" not in refusal.expected and "expulsion" not in refusal.expected


def test_the_progress_of_each_phase_speaks_of_every_kind_of_file():
    from toit.imports.jobs import Progress

    # The check against stored data runs for stays, dwellings and demands too, not only
    # for eviction files: its label once said « auprès des dossiers » for all of them.
    labels = {phase: Progress(phase, 1, 4).label for phase in ("verification", "controle", "import")}
    assert labels["controle"] == "Contrôle des lignes auprès des données déjà enregistrées"
    assert not any("dossier" in label for label in labels.values())
    assert Progress("controle", 1, 4).percent == 25


@pytest.mark.parametrize("sink", SINKS.values(), ids=lambda s: s.code)
def test_a_row_refused_by_a_domain_function_lists_each_of_its_errors(sink):
    """A domain function that says two things of one row (a ValidationError of two fields)
    gives two lines of the report, each with its own column when the sink knows it: they
    were joined into one message under the first column."""
    from django.core.exceptions import ValidationError

    named = list(sink.error_fields.items())[:2]
    errors = {model_field: [f"Erreur {n} sur {model_field}."] for n, (model_field, _) in enumerate(named)}
    errors["__all__"] = ["Règle de la ligne entière.", "Règle de la ligne entière."]  # said twice: once
    refusals = sink.refusal(ValidationError(errors)).refusals
    assert [(r.message, r.field) for r in refusals] == [
        *((f"Erreur {n} sur {model_field}.", field) for n, (model_field, field) in enumerate(named)),
        ("Règle de la ligne entière.", ""),
    ]
