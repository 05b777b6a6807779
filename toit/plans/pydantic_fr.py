"""French wording for pydantic's validation errors: plan files are written by people who
read French, and "Input should be a valid integer" tells them little."""

_MESSAGES = {
    "missing": "champ obligatoire absent.",
    "extra_forbidden": "champ inconnu (vérifiez l'orthographe ; voir docs/plan-format.md).",
    "string_type": "texte attendu.",
    "string_too_short": "ce texte ne peut pas être vide.",
    "string_too_long": "texte trop long (au plus {max_length} caractères).",
    "string_pattern_mismatch": "format invalide (motif attendu : {pattern}).",
    "int_type": "nombre entier attendu.",
    "int_parsing": "nombre entier attendu.",
    "int_from_float": "nombre entier attendu (sans décimales).",
    "decimal_type": "nombre attendu.",
    "decimal_parsing": "nombre attendu (avec un point décimal, par ex. 12.5).",
    "decimal_max_digits": "nombre trop grand (au plus {max_digits} chiffres).",
    "decimal_max_places": "trop de décimales (au plus {decimal_places}).",
    "greater_than_equal": "valeur trop petite (au moins {ge}).",
    "less_than_equal": "valeur trop grande (au plus {le}).",
    "list_type": "liste attendue (éléments précédés de « - »).",
    "dict_type": "dictionnaire attendu (clés suivies de « : »).",
    "model_type": "dictionnaire attendu (clés suivies de « : »).",
    "too_short": "au moins {min_length} élément(s) attendu(s).",
    "literal_error": "valeur invalide : attendu {expected}.",
    "enum": "valeur invalide : attendu l'une de {expected}.",
    "bool_type": "booléen attendu (true ou false).",
    "bool_parsing": "booléen attendu (true ou false).",
}


def french_message(error):
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    if kind == "value_error":
        # Our own validators already speak French; pydantic prefixes "Value error, ".
        text = str(ctx.get("error", error["msg"]))
        return text if text.endswith(("?", ".")) else text + "."
    template = _MESSAGES.get(kind)
    if template is None:
        return f"valeur invalide ({error['msg']})."
    if "expected" in ctx:
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", " ou ")}
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):
        message = template
    if kind == "string_type" and isinstance(got, int | float) and not isinstance(got, bool):
        # YAML reads 61 or 2012 as a number: the format wants text here.
        return f'« {got} » : texte attendu ; vouliez-vous dire "{got}" ? (entre guillemets)'
    if kind not in ("missing",) and got is not None and not isinstance(got, dict | list):
        message += f" Valeur trouvée : « {got} »."
    return message
