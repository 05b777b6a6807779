"""Every indicator line of the Sarthe plan's 20 sheets is transcribed, and every indicator
of the plan file names the line it comes from: nothing is dropped or invented silently.

Reads the plan's text from the seeds beside the repository (../shared/seeds, or
TOIT_SEEDS_DIR); skipped when it is absent."""

import re

import pytest

from tests.plans.test_sarthe_plan import SEED_FILE, _actions, _plan

SHEET = re.compile(r"^Action n°\s*(\d)\s*-?\s*([A-G])\s*-\s*Intitulé", re.MULTILINE)


def normalise(line):
    """A seed line as compared: bullet, surrounding spaces and final punctuation dropped."""
    line = re.sub(r"^[-►•]\s*", "", line.strip())
    return re.sub(r"\s+", " ", line).strip(" .,;").casefold()


def seed_indicator_lines(text):
    """{sheet code: [indicator lines]} from the sheets' « Indicateurs d'évaluation » blocks.
    A line ending with a colon introduces the next ones (« Évolution du nombre : ») and is
    not an indicator itself."""
    sheets = {}
    matches = list(SHEET.finditer(text))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        body = text[match.end() : following.start() if following else len(text)]
        block = body.split("Indicateurs d'évaluation", 1)[1].split("Responsable de l'action", 1)[0]
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        sheets[match.group(1) + match.group(2)] = [line for line in lines if not line.endswith(":")]
    return sheets


@pytest.fixture(scope="module")
def seed_lines():
    if not SEED_FILE.exists():
        pytest.skip(f"the plan's text ({SEED_FILE}) is not in this checkout")
    return seed_indicator_lines(SEED_FILE.read_text(encoding="utf-8"))


def test_the_seed_has_twenty_sheets_each_with_indicators(seed_lines):
    assert len(seed_lines) == 20
    assert all(seed_lines.values())
    assert (
        seed_lines["1C"][0]
        == "- des assignations, commandement de quitter les lieux, réquisition de la force publique,"
    )
    assert seed_lines["4B"] == ["Données trimestriellement et annuellement envoyées aux membres du Comité responsable"]


def problems(actions, seed_lines):
    """What breaks the correspondence between the sheets' lines and the file's indicators."""
    found = []
    if set(actions) != set(seed_lines):
        found.append(f"fiches différentes : {sorted(set(actions) ^ set(seed_lines))}")
    for code, lines in seed_lines.items():
        wanted = {normalise(line) for line in lines}
        named = {}
        for indicator in actions.get(code).indicators if code in actions else []:
            if not indicator.source:
                found.append(f"{indicator.code} ne nomme pas la ligne de la fiche dont il vient")
                continue
            named.setdefault(normalise(indicator.source), []).append(indicator.code)
        found += [f"{named[n]} : ligne absente de la fiche {code}" for n in sorted(set(named) - wanted)]
        found += [f"{code} : ligne sans indicateur « {n} »" for n in sorted(wanted - set(named))]
    return found


def test_every_seed_line_maps_to_an_indicator_and_every_indicator_names_its_line(seed_lines):
    assert problems(_actions(_plan()), seed_lines) == []


def test_the_check_catches_a_dropped_line_an_invented_one_and_a_missing_source(seed_lines):
    actions = _actions(_plan())
    actions["4B"].indicators[0].source = "Nombre de rapports inventés"
    actions["1A"].indicators[1].source = ""
    assert problems(actions, seed_lines) == [
        "1A-2 ne nomme pas la ligne de la fiche dont il vient",
        "1A : ligne sans indicateur « nombre de séances d'information réalisées auprès des intervenants sociaux »",
        "['4B-1'] : ligne absente de la fiche 4B",
        "4B : ligne sans indicateur « données trimestriellement et annuellement envoyées aux membres du comité "
        "responsable »",
    ]
