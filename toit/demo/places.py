"""The place names and organisation codes of a demo département.

The demo generators were written for the Sarthe: their organisation codes (CAF72, CCAS-LM…)
and labels (« de la Sarthe », « du Mans ») are the Sarthe's. For the Sarthe they are kept as
they are, so that its demo does not change; for any other département the codes take its
number and the labels its name and main town (the most populous commune and its EPCI), so that
a second demo département next to the first is neither mislabelled nor mixed with it.
"""

import functools
import json
from dataclasses import dataclass

from toit.territory.cog import default_source_dir
from toit.territory.models import Commune, Department

SARTHE = "72"

# Sarthe codes that name Le Mans, a Sarthe body or a service renamed since 2008 (the DDE is
# now the DDT, the DDASS's social side the DDCS, the conseil général the conseil
# départemental), and what they become elsewhere ({d}: the département's code).
RENAMED_CODES = {
    "DDE72": "DDT{d}",
    "DDASS72": "DDCS{d}",
    "CG72": "CD{d}",
    "CG72-DCSD": "CD{d}-DSD",
    "LMM": "EPCI{d}",
    "CCAS-LM": "CCAS{d}",
    "SCHS-LM": "SCHS{d}",
    "LMH": "HABITAT{d}",
    "SARTHE-HABITAT": "OPH{d}",
    "MANCELLE-HABITATION": "SAHLM{d}",
}

# COG « type de nom en clair » (typeLiaison in the package): how « de » joins the name.
_LINKS = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de las ", 8: "de los "}
_ARTICLES = {2: "Le ", 4: "Les ", 6: "Aux "}
_VOWELS = tuple("AEIOUYÂÉÈÊÎÔÛaeiouy")


def demo_code(sarthe_code, department_code):
    """The code the demo gives, in `department_code`, to the body the Sarthe demo calls
    `sarthe_code`: CAF72 → CAF61, CG72 → CD61, CCAS-LM → CCAS61; unchanged for the Sarthe."""
    if department_code == SARTHE:
        return sarthe_code
    if sarthe_code in RENAMED_CODES:
        return RENAMED_CODES[sarthe_code].format(d=department_code)
    return sarthe_code.replace(SARTHE, department_code)


def of_town(name):
    """« du Mans », « d'Alençon », « de La Flèche »: a commune's name after « de »."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    if name.startswith(_VOWELS):
        return f"d'{name}"
    return f"de {name}"


@functools.cache
def _link_types():
    """typeLiaison of every département, read from the COG package the territory comes from."""
    try:
        rows = json.loads((default_source_dir() / "departements.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {row.get("code"): row.get("typeLiaison") for row in rows if isinstance(row, dict)}


def of_department(department):
    """« de la Sarthe », « de l'Orne », « du Calvados »."""
    link = _link_types().get(department.code)
    if link not in _LINKS:
        return f"du département {department.name}"
    name = department.name
    article = _ARTICLES.get(link)
    if article and name.startswith(article):
        name = name[len(article) :]
    return f"{_LINKS[link]}{name}"


@dataclass(frozen=True)
class DemoPlace:
    department: Department
    main: Commune | None  # the most populous commune (Le Mans)

    @classmethod
    def of(cls, department, communes=None):
        if communes is None:
            communes = Commune.objects.filter(department=department).select_related("epci")
        main = max(communes, key=lambda c: c.population or 0, default=None)
        return cls(department, main)

    @property
    def is_sarthe(self):
        return self.department.code == SARTHE

    @property
    def metropole_siren(self):
        """The SIREN of the main town's EPCI (Le Mans Métropole), None without one."""
        return self.main.epci.siren if self.main is not None and self.main.epci_id else None

    def code(self, sarthe_code):
        return demo_code(sarthe_code, self.department.code)

    def label(self, text, town=None):
        """A demo label: `text` is a template ({of}, {department}, {main}, {of_main},
        {metropole}, {of_town}) or a pair of them (the Sarthe's own wording, the wording
        elsewhere). A template renders the Sarthe's labels unchanged."""
        if isinstance(text, tuple):
            text = text[0] if self.is_sarthe else text[1]
        main = self.main.name if self.main is not None else self.department.name
        metropole = self.main.epci.name if self.main is not None and self.main.epci_id else main
        return text.format(
            of=of_department(self.department),
            department=self.department.name,
            main=main,
            of_main=of_town(main),
            metropole=metropole,
            of_town=of_town(town.name) if town is not None else of_department(self.department),
        )
