"""The closest valid key or value, so that every error of a plan file names its fix.

Newcomers write the format in French (`departement`, `libelle`, `caf`, `bailleur`,
`annuel`): a misspelt key or value gets the closest allowed one (difflib), and French words
that look nothing like the English one get it from the small tables below. A synonym is only
ever proposed when it is allowed where it was written.
"""

import difflib
import typing
import unicodedata

from pydantic import BaseModel

# French (or otherwise usual) key → the format's key.
KEY_SYNONYMS = {
    "titre": "title",
    "intitule": "title",
    "libelle": "label",
    "nom": "name",
    "type": "kind",
    "nature": "kind",
    "periode": "period",
    "duree": "period",
    "debut": "start",
    "date_debut": "start",
    "fin": "end",
    "date_fin": "end",
    "organismes": "organisations",
    "partenaires": "partners",
    "pilote": "responsible",
    "pilotes": "responsible",
    "responsables": "responsible",
    "cout": "cost",
    "couts": "cost",
    "financement": "cost",
    "montants": "amounts",
    "montant": "amount",
    "assiette": "per",
    "unite": "unit",
    "periodicite": "periodicity",
    "frequence": "periodicity",
    "metrique": "metric",
    "parametres": "params",
    "indicateurs": "indicators",
    "fiches": "actions",
    "territoires": "territories",
    "cibles": "targets",
    "indicateur": "indicator",
    "territoire": "territory",
    "valeur": "value",
    "valeur_max": "value_max",
    "comparateur": "comparator",
    "comparaison": "comparator",
    "objectif": "objective",
    "modalites": "modalities",
    "jours": "days",
    "delai": "days",
    "rattachement": "parent",
    "rapport": "report",
    "suivi": "report",
    "fiche": "action",
    "lignes": "lines",
    "onglet": "tab",
    "evolution": "trend",
    "tendance": "trend",
    "trimestriel": "quarterly",
    "annuel": "annual",
    "departement": "department",
}

# French (or usual) value → the format's value, for the enumerations of the format.
VALUE_SYNONYMS = {
    # organisation kinds
    "caf": "caf_msa",
    "msa": "caf_msa",
    "prefecture": "etat",
    "ddt": "etat",
    "ddets": "etat",
    "dde": "etat",
    "ddass": "etat",
    "conseil_general": "collectivite",
    "conseil_departemental": "collectivite",
    "departement": "collectivite",
    "commune": "collectivite",
    "mairie": "collectivite",
    "ccas": "collectivite",
    "epci": "collectivite",
    "bailleur": "bailleur_social",
    "hlm": "bailleur_social",
    "oph": "bailleur_social",
    "proprietaires": "bailleurs_prives",
    "unpi": "bailleurs_prives",
    "tribunal": "juridiction",
    "bdf": "banque_de_france",
    "anah": "financeur",
    "action_logement": "financeur",
    "pact": "operateur",
    "soliha": "operateur",
    # units
    "nombre": "count",
    "euro": "eur",
    "euros": "eur",
    "€": "eur",
    "pourcentage": "percent",
    "pourcent": "percent",
    "%": "percent",
    "taux": "percent",
    "jour": "days",
    "jours": "days",
    "texte": "text",
    # periodicities and cost bases
    "trimestre": "quarter",
    "trimestriel": "quarter",
    "trimestrielle": "quarter",
    "an": "year",
    "annee": "year",
    "annuel": "year",
    "annuelle": "year",
    "par_an": "year",
    "ponctuel": "one_off",
    "non_precise": "unspecified",
    # indicator kinds
    "saisi": "manual",
    "manuel": "manual",
    "manuelle": "manual",
    "calcule": "computed",
    "automatique": "computed",
    # comparators
    ">": ">=",
    "≥": ">=",
    "au_moins": ">=",
    "minimum": ">=",
    "min": ">=",
    "<": "<=",
    "≤": "<=",
    "au_plus": "<=",
    "maximum": "<=",
    "max": "<=",
    "==": "=",
    "egal": "=",
    "environ": "about",
    "~": "about",
    "entre": "between",
    "reduire": "below_reference",
    "diminuer": "below_reference",
    "baisse": "below_reference",
    # territory kinds
    "interco": "epci",
    "intercommunalite": "epci",
}

# Keys an indicator does not take because targets live in the top-level `targets` section.
TARGET_KEYS = {"target", "targets", "cible", "cibles", "objectifs", "objectif_chiffre", "valeur_cible"}


def normalise(text):
    """Lower case, no accents, words joined by « _ »: how the tables above are keyed."""
    text = unicodedata.normalize("NFKD", str(text).strip().casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "_".join(text.replace("-", " ").split())


def closest(word, allowed, synonyms):
    """The allowed key or value `word` most likely stands for, or None."""
    allowed = [str(a) for a in allowed]
    key = normalise(word)
    synonym = synonyms.get(key)
    if synonym in allowed:
        return synonym
    by_normal = {normalise(a): a for a in allowed}
    if key in by_normal:
        return by_normal[key]
    found = difflib.get_close_matches(key, list(by_normal), n=1, cutoff=0.6)
    return by_normal[found[0]] if found else None


def model_at(root, loc):
    """The pydantic model validating the mapping at `loc` (a path of keys and indexes)."""
    model = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _inner_model(field.annotation) if field else None
        if model is None:
            return None
    return model


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _fields(model):
    return [name for name in model.model_fields]


def unknown_key(root, loc, node):
    """(message, suggested key or None) for the key `loc[-1]`, which the mapping at
    `loc[:-1]` (`node` in the file) does not take."""
    key = loc[-1]
    model = model_at(root, loc[:-1])
    if model is None:
        return f"{key} : clé inconnue (voir docs/plan-format.md).", None
    if model.__name__ == "IndicatorSpec" and normalise(key) in TARGET_KEYS | {"objectif"}:
        code = node.get("code") if isinstance(node, dict) else None
        return (
            f"{key} : les cibles ne se déclarent pas dans l'indicateur. Déplacez-les dans la section targets "
            f"à la racine du fichier, chacune avec indicator: {code or '<code de l’indicateur>'} "
            "(voir docs/plan-format.md, « targets »).",
            None,
        )
    allowed = _fields(model)
    suggestion = closest(key, allowed, KEY_SYNONYMS)
    if suggestion:
        return f"{key} : clé inconnue ; vouliez-vous dire {suggestion} ?", suggestion
    return f"{key} : clé inconnue ; clés admises ici : {', '.join(allowed)}.", None


def unknown_value(got, expected):
    """For an enumeration: `expected` lists the allowed values."""
    suggestion = closest(got, expected, VALUE_SYNONYMS)
    listed = ", ".join(expected)
    if suggestion:
        return f"valeur « {got} » inconnue ; vouliez-vous dire {suggestion} ? (admises : {listed})."
    return f"valeur « {got} » inconnue ; admises : {listed}."


def unknown_code(code, known, described):
    """For a reference to a code declared elsewhere (organisation, indicator…): `described`
    says what is unknown (« organisation « CAF-61 » inconnue »), the closest code follows."""
    known = [str(k) for k in known]
    # Short codes (1D for 1C) differ by a larger share of their characters.
    found = difflib.get_close_matches(str(code), known, n=1, cutoff=0.5 if len(str(code)) <= 3 else 0.6)
    if not found:
        by_fold = {k.casefold(): k for k in known}
        found = [by_fold[str(code).casefold()]] if str(code).casefold() in by_fold else []
    return f"{described} ; vouliez-vous dire {found[0]} ?" if found else None
