"""Open data: the plan's indicators as aggregated figures, one CSV described by a Table
Schema (frictionless data package). Never nominative: only indicator values per
territory and period, with disclosure control applied (disclosure.py).

EPCI and commune figures are published at the indicator's own periodicity only (a yearly
indicator by year, a quarterly one by quarter): publishing both quarters and their year
for a commune would let a reader get a hidden quarter back by difference. The rule and
the protection are those of the reports (toit.observatory.publication).
"""

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from toit.metrics.enums import Periodicity, Unit
from toit.observatory import disclosure
from toit.observatory.publication import Publisher
from toit.observatory.territories import Level, all_territories
from toit.observatory.values import Source, values_for
from toit.plans.models import Indicator
from toit.territory.scopes import ScopeKind
from toit.utils.spreadsheets import safe_cell

CSV_NAME = "indicateurs.csv"
PACKAGE_NAME = "datapackage.json"

FIELDS = [
    {"name": "plan", "type": "string", "description": "Code du plan (PDALPD / PDALHPD)."},
    {"name": "indicateur", "type": "string", "description": "Code de l'indicateur dans le plan."},
    {"name": "libelle", "type": "string", "description": "Libellé de l'indicateur, tel que rédigé dans la fiche."},
    {"name": "fiche", "type": "string", "description": "Code de la fiche action."},
    {
        "name": "unite",
        "type": "string",
        "constraints": {"enum": [u.value for u in Unit if u != Unit.TEXT]},
        "description": "count : nombre ; percent : pourcentage ; ratio ; eur : euros ; days : jours.",
    },
    {"name": "periode", "type": "string", "description": "2010T3 (trimestre), 2010 (année) ou 2008-2012 (plan)."},
    {
        "name": "type_periode",
        "type": "string",
        "constraints": {"enum": [p.value for p in Periodicity]},
    },
    {"name": "debut", "type": "date", "description": "Premier jour de la période."},
    {"name": "fin", "type": "date", "description": "Dernier jour de la période."},
    {
        "name": "niveau",
        "type": "string",
        "constraints": {"enum": [Level.DEPARTMENT, Level.PLAN, Level.EPCI, Level.COMMUNE]},
        "description": "Niveau du territoire.",
    },
    {
        "name": "type_territoire",
        "type": "string",
        "constraints": {"enum": [k.value for k in ScopeKind]},
        "description": "departement, epci, hors_epci (le département sauf cet EPCI) ou commune.",
    },
    {"name": "code_territoire", "type": "string", "description": "Code INSEE (département, commune) ou SIREN."},
    {"name": "territoire", "type": "string", "description": "Nom du territoire."},
    {
        "name": "valeur",
        "type": "number",
        "description": "Valeur ; « s » quand elle est couverte par le secret statistique, vide si non disponible.",
    },
    {
        "name": "statut",
        "type": "string",
        "constraints": {"required": True, "enum": [disclosure.PUBLISHED, disclosure.SUPPRESSED]},
        "description": "publie, ou secret (secret statistique : valeur remplacée par « s »).",
    },
    {
        "name": "origine",
        "type": "string",
        "constraints": {"enum": [Source.COMPUTED, Source.MANUAL]},
        "description": "calcul : calculé par Toit ; saisie : saisi par un partenaire.",
    },
    {"name": "donnee_synthetique", "type": "boolean", "description": "Vrai pour une donnée de démonstration."},
    {"name": "date_valeur", "type": "datetime", "description": "Date du calcul ou de la saisie."},
]


def descriptor(plan):
    return {
        "name": f"toit-{plan.code}",
        "title": f"Indicateurs du {plan.title}",
        "description": (
            "Valeurs agrégées des indicateurs d'évaluation du plan, par territoire et par période. "
            "Aucune donnée nominative. Secret statistique : un effectif inférieur au seuil pour une commune, "
            "un EPCI ou un territoire infra-départemental est remplacé par « s », ainsi que les valeurs qui "
            "permettraient de le retrouver par différence. Un montant, un taux, un ratio ou une durée est "
            "remplacé par « s » partout où l'effectif des ménages (ou des unités) sur lequel il porte le serait, "
            "département compris, et quand cet effectif n'est pas connu."
        ),
        "licenses": [{"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence 2.0"}],
        "resources": [
            {
                "name": "indicateurs",
                "path": CSV_NAME,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": FIELDS,
                    "missingValues": ["", disclosure.SECRET],
                    "primaryKey": ["indicateur", "periode", "type_territoire", "code_territoire"],
                },
            }
        ],
    }


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    period: object
    territory: object
    value: object  # a toit.observatory.values value: .value, .source, .is_synthetic, .at
    secret: bool


def published_figures(plan, limit=None):
    """Every figure of the plan's numeric indicators that may leave Toit, with its
    disclosure decision, in a stable order. The one source of the open data and of the
    API's indicators, so both hide the same cells. A fixed number of queries."""
    territories = all_territories(plan)
    publisher = Publisher(territories, limit)
    by_territory = {t.key: t for t in territories}
    numeric = Indicator.objects.filter(plan=plan).exclude(unit=Unit.TEXT)
    indicators = {i.pk: i for i in numeric.select_related("action").order_by("position")}
    groups = defaultdict(dict)
    bases = defaultdict(dict)  # the units behind non-count values, even where the value is None
    for (indicator_id, period, key), value in values_for(plan, indicators.values()).items():
        if key in by_territory and value.base is not None:
            bases[(indicator_id, period)][key] = value.base
        if key in by_territory and value.value is not None:
            groups[(indicator_id, period)][key] = value
    figures = []
    for (indicator_id, period), by_key in groups.items():
        indicator = indicators[indicator_id]
        numbers = {key: value.value for key, value in by_key.items()}
        behind = bases[(indicator_id, period)]
        for key, value in by_key.items():
            if not publisher.publishable(key, period, indicator.periodicity):
                continue
            secret = publisher.hidden(
                indicator.pk, indicator.unit, indicator.periodicity, period, numbers, key, bases=behind
            )
            figures.append(
                (
                    (indicator.position, period.start, -period.end.toordinal(), key),
                    Figure(indicator, period, by_territory[key], value, secret),
                )
            )
    figures.sort(key=lambda pair: pair[0])
    return [figure for _, figure in figures]


def rows(plan, limit=None):
    """The CSV rows (dicts). Text that a spreadsheet could take for a formula is
    neutralised (toit.utils.spreadsheets); numbers, dates and COG codes are written as
    they are."""
    return [
        {
            "plan": safe_cell(plan.code),
            "indicateur": safe_cell(f.indicator.code),
            "libelle": safe_cell(f.indicator.label),
            "fiche": safe_cell(f.indicator.action.code),
            "unite": f.indicator.unit,
            "periode": f.period.code,
            "type_periode": f.period.kind,
            "debut": f.period.start.isoformat(),
            "fin": f.period.end.isoformat(),
            "niveau": f.territory.level,
            "type_territoire": f.territory.kind,
            "code_territoire": f.territory.code,
            # As it was for the period: an EPCI names its perimeter of the time.
            "territoire": safe_cell(str(f.territory.scope.at(f.period))),
            "valeur": disclosure.SECRET if f.secret else _number(f.value.value),
            "statut": disclosure.SUPPRESSED if f.secret else disclosure.PUBLISHED,
            "origine": f.value.source,
            "donnee_synthetique": "true" if f.value.is_synthetic else "false",
            "date_valeur": f.value.at.replace(microsecond=0).isoformat(),
        }
        for f in published_figures(plan, limit)
    ]


def _number(value):
    return format(value.normalize(), "f")


def csv_text(plan, limit=None):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[f["name"] for f in FIELDS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(plan, limit))
    return buffer.getvalue()


SPREADSHEET_CSV_NAME = "indicateurs-tableur.csv"


def spreadsheet_csv_text(plan, limit=None):
    """The same rows the way a French spreadsheet opens a CSV on a double click: « ; » between
    columns, a decimal comma, UTF-8 announced by a byte order mark. The standard file (« , »,
    decimal point, no BOM) stays the reference for programs and the datapackage."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=[f["name"] for f in FIELDS], delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in rows(plan, limit):
        if row["valeur"] != disclosure.SECRET:
            row["valeur"] = row["valeur"].replace(".", ",")
        writer.writerow(row)
    return buffer.getvalue()


def write_package(plan, directory, limit=None):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    csv_path = directory / CSV_NAME
    csv_path.write_text(csv_text(plan, limit), encoding="utf-8")
    package_path = directory / PACKAGE_NAME
    package_path.write_text(json.dumps(descriptor(plan), ensure_ascii=False, indent=2), encoding="utf-8")
    return [csv_path, package_path]
