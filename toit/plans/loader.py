"""Validate and load a plan file (docs/plan-format.md).

Validation runs in full before anything is written and collects every error with the file,
the line, the field path and what was expected, in French. Loading upserts by code inside
one transaction, so reloading a corrected file updates the plan in place and keeps the
measurements already recorded.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from pydantic import ValidationError as PydanticValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from toit.metrics.enums import Periodicity
from toit.metrics.periods import Period
from toit.metrics.registry import registry
from toit.organisations.models import Organisation
from toit.plans.enums import ReportKind, TargetPeriod
from toit.plans.models import (
    Action,
    CostAmount,
    Indicator,
    Measurement,
    Orientation,
    Plan,
    PlanTerritory,
    ReportLine,
    ReportSection,
    Target,
)
from toit.plans.pydantic_fr import french_message
from toit.plans.schema import RESERVED_TABS, PlanFile
from toit.plans.suggestions import unknown_code, unknown_key, unknown_value
from toit.territory.scopes import Perimeter, ScopeKind


@dataclass
class PlanError:
    path: str
    line: int | None
    message: str

    def format(self, filename):
        where = f"{filename}, ligne {self.line}" if self.line else filename
        field_path = f" — champ {self.path}" if self.path else ""
        return f"{where}{field_path} : {self.message}"


class PlanValidationError(Exception):
    def __init__(self, filename, errors):
        self.filename = filename
        self.errors = errors
        super().__init__(self.format())

    def format(self):
        lines = [f"Le fichier de plan {self.filename} n'est pas valide ({len(self.errors)} erreur(s)) :"]
        lines += [f"  - {error.format(self.filename)}" for error in self.errors]
        lines.append("Rien n'a été enregistré. Corrigez le fichier puis relancez la commande.")
        return "\n".join(lines)


@dataclass
class LoadReport:
    plan: Plan
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)


def _format_path(loc):
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(tree, loc):
    """Line (1-based) of the deepest node of `loc` found in the ruamel tree."""
    node, line = tree, None
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(part, int) and isinstance(node, list):
                if lc is not None and part < len(node):
                    line = lc.item(part)[0] + 1
                node = node[part]
            elif isinstance(node, dict) and part in node:
                if lc is not None:
                    line = lc.key(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if line is None and getattr(tree, "lc", None) is not None:
        line = tree.lc.line + 1
    return line


def parse(text, filename="<plan>"):
    """Parse and validate a plan file's text. Returns the PlanFile or raises
    PlanValidationError listing every problem."""
    if not text.strip():
        raise PlanValidationError(filename, [PlanError("", None, "le fichier est vide.")])
    try:
        tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "syntaxe invalide"
        raise PlanValidationError(
            filename,
            [
                PlanError(
                    "", line, f"YAML mal formé ({problem}). Vérifiez l'indentation, les deux-points et les guillemets."
                )
            ],
        ) from None
    except YAMLError as exc:
        raise PlanValidationError(filename, [PlanError("", None, f"YAML mal formé : {exc}")]) from None
    if not isinstance(tree, dict):
        raise PlanValidationError(
            filename, [PlanError("", 1, "le document doit être un dictionnaire (format, plan, organisations…).")]
        )
    try:
        spec = PlanFile.model_validate(tree)
    except PydanticValidationError as exc:
        raise PlanValidationError(filename, _shape_errors(exc.errors(include_url=False), tree)) from None
    errors = [PlanError(_format_path(loc), _line_of(tree, loc), msg) for loc, msg in _cross_references(spec)]
    if errors:
        raise PlanValidationError(filename, errors)
    return spec


def _node_at(tree, loc):
    node = tree
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _shape_errors(raw, tree):
    """pydantic's errors in French, each naming its fix: the closest allowed key or value. A
    required key reported missing where an unknown key suggests it is said once, by the
    unknown key (« departement : clé inconnue ; vouliez-vous dire department ? »)."""
    found, suggested = [], set()
    for err in raw:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            message, suggestion = unknown_key(PlanFile, loc, _node_at(tree, loc[:-1]))
            if suggestion:
                suggested.add((*loc[:-1], suggestion))
        elif err["type"] == "enum":
            expected = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
            message = unknown_value(err["input"], expected)
        else:
            message = french_message(err)
        found.append((loc, err["type"], message))
    errors = [
        PlanError(_format_path(loc), _line_of(tree, loc), message)
        for loc, kind, message in found
        if not (kind == "missing" and loc in suggested)
    ]
    return sorted(errors, key=lambda e: e.line or 0)


def _unknown(code, known, described, fix, otherwise=""):
    """« organisation « X » inconnue ; vouliez-vous dire Y ? » (then `otherwise`, what to do
    if Y is not meant), or `fix` when nothing is close."""
    suggestion = unknown_code(code, known, described)
    if suggestion:
        return f"{suggestion} {otherwise}" if otherwise else suggestion
    return f"{described} : {fix}"


def _duplicates(items, loc_prefix, what):
    seen = {}
    for index, item in enumerate(items):
        key = item.code.casefold()
        if key in seen:
            yield (
                (*loc_prefix(index), "code"),
                f"{what} « {item.code} » est déclaré(e) deux fois (déjà en position {seen[key]}). "
                "Chaque code doit être unique.",
            )
        else:
            seen[key] = index


def _department_communes(department_code):
    """{INSEE code: name} of the département's communes: those in the database, or, before
    the COG is loaded there, those of the reviewed COG document of the repository
    (data/territory/cog-<code>.json). None when neither knows the département."""
    from django.conf import settings

    from toit.territory.cog import read_json_file
    from toit.territory.models import Commune

    known = dict(Commune.objects.filter(department__code=department_code).values_list("insee_code", "name"))
    if known:
        return known
    document = Path(settings.BASE_DIR) / "data" / "territory" / f"cog-{department_code}.json"
    if not document.exists():
        return None
    return {c["insee"]: c["name"] for c in read_json_file(document, missing_hint="").get("communes", [])}


def _territory_errors(spec):
    """Communes a territory lists (kind communes, an EPCI's perimeter) must be communes of the
    plan's département; two territories on one EPCI declare the same perimeters."""
    department = spec.plan.department
    listed = [
        ((("territories", t_index, "communes"), t.communes)) for t_index, t in enumerate(spec.territories) if t.communes
    ]
    listed += [
        (("territories", t_index, "perimeters", p_index, "communes"), p.communes)
        for t_index, t in enumerate(spec.territories)
        for p_index, p in enumerate(t.perimeters)
    ]
    for t_index, t in enumerate(spec.territories):
        if t.kind == ScopeKind.COMMUNES and len(t.code) > 12:
            yield (
                ("territories", t_index, "code"),
                f"le code « {t.code} » d'un territoire de type communes dépasse 12 caractères : "
                "raccourcissez-le (il identifie le territoire dans les calculs de l'observatoire).",
            )
    by_ref = {}
    for t_index, t in enumerate(spec.territories):
        if t.perimeters and t.ref in by_ref and by_ref[t.ref][1] != t.perimeters:
            yield (
                ("territories", t_index, "perimeters"),
                f"les périmètres de l'EPCI {t.ref} diffèrent de ceux du territoire « {by_ref[t.ref][0]} » : "
                "un EPCI a une seule composition passée ; déclarez-la une fois (elle vaut pour l'EPCI et "
                "pour le reste du département).",
            )
        elif t.perimeters:
            by_ref[t.ref] = (t.code, t.perimeters)
    if not listed:
        return
    known = _department_communes(department)
    if known is None:
        yield (
            listed[0][0],
            f"les communes du département {department} ne sont pas connues : chargez d'abord le COG "
            f"(manage.py toit_territory load data/territory/cog-{department}.json), puis le plan.",
        )
        return
    for loc, codes in listed:
        for c_index, code in enumerate(codes):
            if code not in known:
                what = (
                    f"commune « {code} » inconnue dans le département {department}"
                    if code.startswith(department)
                    else f"la commune « {code} » n'est pas du département du plan ({department})"
                )
                # No « vouliez-vous dire » here: a close INSEE code is another commune.
                yield (
                    (*loc, c_index),
                    f"{what} : citez le code INSEE (5 caractères) d'une commune du département du plan "
                    "(fichier du COG).",
                )


def _cross_references(spec):
    """Yield (loc, message) for every broken reference between sections."""
    yield from _duplicates(spec.organisations, lambda i: ("organisations", i), "L'organisation")
    yield from _duplicates(spec.territories, lambda i: ("territories", i), "Le territoire")
    yield from _duplicates(spec.orientations, lambda i: ("orientations", i), "L'orientation")
    organisations = {o.code for o in spec.organisations}
    territories = {t.code for t in spec.territories}
    yield from _territory_errors(spec)
    for index, organisation in enumerate(spec.organisations):
        if organisation.parent and (
            organisation.parent not in organisations or organisation.parent == organisation.code
        ):
            yield (
                ("organisations", index, "parent"),
                _unknown(
                    organisation.parent,
                    organisations - {organisation.code},
                    f"organisation de rattachement « {organisation.parent} » inconnue",
                    "déclarez-la dans la section organisations, ou corrigez le code (une organisation n'est pas "
                    "rattachée à elle-même).",
                ),
            )

    actions, indicators = [], []
    for o_index, orientation in enumerate(spec.orientations):
        for a_index, action in enumerate(orientation.actions):
            a_loc = ("orientations", o_index, "actions", a_index)
            actions.append((a_loc, action))
            for field_name in ("responsible", "partners"):
                for c_index, code in enumerate(getattr(action, field_name)):
                    if code not in organisations:
                        yield (
                            (*a_loc, field_name, c_index),
                            _unknown(
                                code,
                                organisations,
                                f"organisation « {code} » inconnue",
                                "déclarez-la dans la section organisations ou corrigez le code.",
                                "Sinon, déclarez-la dans la section organisations.",
                            ),
                        )
            for i_index, indicator in enumerate(action.indicators):
                i_loc = (*a_loc, "indicators", i_index)
                indicators.append((i_loc, indicator))
                if indicator.territory and indicator.territory not in territories:
                    yield (
                        (*i_loc, "territory"),
                        _unknown(
                            indicator.territory,
                            territories,
                            f"territoire « {indicator.territory} » inconnu",
                            "déclarez-le dans la section territories.",
                            "Sinon, déclarez-le dans la section territories.",
                        ),
                    )
                if indicator.metric:
                    yield from _metric_errors(i_loc, indicator.metric, indicator.params)

    seen = {}
    for loc, action in actions:
        key = action.code.casefold()
        if key in seen:
            yield (*loc, "code"), f"l'action « {action.code} » est déclarée deux fois. Chaque code doit être unique."
        seen[key] = loc
    seen = {}
    for loc, indicator in indicators:
        key = indicator.code.casefold()
        if key in seen:
            yield (
                (*loc, "code"),
                f"l'indicateur « {indicator.code} » est déclaré deux fois. Chaque code doit être unique dans le plan.",
            )
        seen[key] = loc

    from toit.plans.practices import LOCAL_PRACTICES

    seen = set()
    for p_index, practice in enumerate(spec.local_practices):
        if practice.code not in LOCAL_PRACTICES:
            yield (
                ("local_practices", p_index, "code"),
                _unknown(
                    practice.code,
                    LOCAL_PRACTICES,
                    f"pratique locale « {practice.code} » inconnue",
                    f"admises : {', '.join(LOCAL_PRACTICES)}.",
                ),
            )
        if practice.code in seen:
            yield (("local_practices", p_index, "code"), f"pratique locale « {practice.code} » déclarée deux fois.")
        seen.add(practice.code)

    indicator_codes = {i.code for _, i in indicators}
    plan_period = Period.between(spec.plan.period.starts_on, spec.plan.period.ends_on)
    for t_index, target in enumerate(spec.targets):
        t_loc = ("targets", t_index)
        if target.indicator not in indicator_codes:
            yield (
                (*t_loc, "indicator"),
                _unknown(
                    target.indicator,
                    indicator_codes,
                    f"cible rattachée à l'indicateur « {target.indicator} », qui n'existe pas dans ce plan",
                    "rattachez-la à un indicateur déclaré dans une fiche.",
                ),
            )
        if target.territory and target.territory not in territories:
            yield (
                (*t_loc, "territory"),
                _unknown(
                    target.territory,
                    territories,
                    f"territoire « {target.territory} » inconnu",
                    "déclarez-le dans la section territories.",
                    "Sinon, déclarez-le dans la section territories.",
                ),
            )
        if target.reference:
            reference = Period.parse(target.reference)
            first = (
                plan_period
                if target.period in (TargetPeriod.YEARLY, TargetPeriod.PLAN)
                else Period.parse(target.period)
            )
            if reference.end >= first.start:
                yield (
                    (*t_loc, "reference"),
                    f"la période de référence {target.reference} doit précéder la période de la cible.",
                )
        if target.period not in (TargetPeriod.YEARLY, TargetPeriod.PLAN):
            period = Period.parse(target.period)
            if not plan_period.covers(period):
                yield (
                    (*t_loc, "period"),
                    f"la période {target.period} est hors de la durée du plan ({plan_period.label}).",
                )
    if spec.report:
        yield from _report_errors(spec.report, {a.code for _, a in actions}, {i.code: i for _, i in indicators})


def _metric_errors(loc, key, params):
    if key not in registry:
        suggestion = unknown_code(key, registry.keys(), f"métrique « {key} » inconnue")
        known = ", ".join(registry.keys()) or "aucune"
        yield (
            (*loc, "metric"),
            f"{suggestion} (manage.py toit_metrics les liste toutes)."
            if suggestion
            else f"métrique « {key} » inconnue. Métriques disponibles : {known} (manage.py toit_metrics).",
        )
        return
    metric = registry.get(key)
    for name in sorted(set(params) - set(metric.params)):
        suggestion = unknown_code(name, metric.params, f"paramètre « {name} » inconnu de la métrique {metric.key}")
        yield (
            (*loc, "params", name),
            suggestion
            or f"paramètre « {name} » inconnu de la métrique {metric.key} ; "
            f"admis : {', '.join(sorted(metric.params)) or 'aucun'}.",
        )


def _report_errors(report, action_codes, indicator_specs):
    """The report's sheet, the indicators and metrics its lines read, and its XLSX tabs.
    A line naming an indicator shows that indicator's figure: if it also names a metric,
    it must be the one that computes the indicator, with the same parameters, so that the
    line never shows another figure under the indicator's name."""
    indicator_codes = set(indicator_specs)
    if report.action and report.action not in action_codes:
        yield (
            ("report", "action"),
            _unknown(
                report.action,
                action_codes,
                f"fiche « {report.action} » inconnue",
                "nommez une fiche (action) de ce plan.",
            ),
        )
    for kind in ("quarterly", "annual"):
        tabs = {}
        for s_index, section in enumerate(getattr(report, kind)):
            s_loc = ("report", kind, s_index)
            tab = section.tab_name
            if tab.casefold() in tabs or tab.casefold() in {t.casefold() for t in RESERVED_TABS}:
                yield (
                    (*s_loc, "tab" if section.tab else "title"),
                    f"l'onglet « {tab} » est déjà pris dans le classeur (par un autre tableau, ou par "
                    f"{' ou '.join(RESERVED_TABS)}) : donnez à ce tableau un tab différent (31 caractères au plus).",
                )
            tabs[tab.casefold()] = s_index
            lines = [(("lines", index), line) for index, line in enumerate(section.lines)]
            if section.total:
                lines.append((("total",), section.total))
            for where, line in lines:
                l_loc = (*s_loc, *where)
                if line.indicator and line.indicator not in indicator_codes:
                    yield (
                        (*l_loc, "indicator"),
                        _unknown(
                            line.indicator,
                            indicator_codes,
                            f"indicateur « {line.indicator} » inconnu",
                            "nommez un indicateur de ce plan.",
                        ),
                    )
                if line.metric:
                    yield from _metric_errors(l_loc, line.metric, line.params)
                named = indicator_specs.get(line.indicator) if line.indicator else None
                if named and line.metric and (named.metric, dict(named.params)) != (line.metric, dict(line.params)):
                    computed = (
                        f"calculé par {named.metric}" + (f" avec {dict(named.params)}" if named.params else "")
                        if named.metric
                        else "saisi par les partenaires"
                    )
                    yield (
                        (*l_loc, "metric"),
                        f"la ligne « {line.label} » nomme l'indicateur {line.indicator} ({computed}) et la "
                        f"métrique {line.metric}"
                        + (f" avec {dict(line.params)}" if line.params else "")
                        + " : elle afficherait un autre chiffre sous le nom de l'indicateur. Retirez metric "
                        "(la ligne lit l'indicateur) ou indicator (elle lit la métrique).",
                    )
                elif line.params:
                    yield (
                        (*l_loc, "params"),
                        "params ne s'emploie qu'avec metric : nommez la métrique de la ligne ou retirez params.",
                    )


def validate_file(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanValidationError(str(path), [PlanError("", None, "fichier introuvable.")]) from None
    except UnicodeDecodeError as exc:
        raise PlanValidationError(
            str(path),
            [PlanError("", None, f"le fichier n'est pas en UTF-8 (octet {exc.start}). Enregistrez-le en UTF-8.")],
        ) from None
    return parse(text, str(path)), text


def load_file(path):
    spec, text = validate_file(path)
    return load(spec, checksum=hashlib.sha256(text.encode()).hexdigest(), filename=str(path))


def _sync(report, model, existing, code, defaults, what):
    obj = existing.pop(code, None)
    if obj is None:
        obj = model.objects.create(code=code, **defaults)
        report.created[what] += 1
        return obj
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save(update_fields=changed)
        report.updated[what] += 1
    return obj


def _sync_organisations(report, plan, specs, filename):
    """The plan's organisations, found or created within its département (national bodies
    among the national ones). Codes are unique per département only: an Orne plan's « ANAH »
    is not the Sarthe's. An organisation another plan also names is never renamed or retyped
    by this file: the difference is an error, so that loading one plan never changes another."""
    from toit.territory.models import Department

    # A plan may be loaded before the département's communes: the COG load names it later.
    department, _ = Department.objects.get_or_create(
        code=plan.department_code, defaults={"name": f"Département {plan.department_code}"}
    )
    codes = [o.code for o in specs]
    local = {o.code.lower(): o for o in Organisation.objects.filter(department=department, code__in=codes)}
    national = {o.code.lower(): o for o in Organisation.objects.filter(department__isnull=True, code__in=codes)}
    shared = set(
        Organisation.objects.filter(
            Q(responsible_for__plan__isnull=False) & ~Q(responsible_for__plan=plan)
            | Q(partner_in__plan__isnull=False) & ~Q(partner_in__plan=plan)
        ).values_list("pk", flat=True)
    )
    errors, result = [], {}
    for index, o in enumerate(specs):
        pool = national if o.national else local
        existing = pool.get(o.code.lower())
        wanted = {"name": o.name, "kind": o.kind, "is_prefecture": o.prefecture}
        if existing is None:
            result[o.code] = Organisation.objects.create(
                code=o.code, department=None if o.national else department, **wanted
            )
            report.created["organisations"] += 1
            continue
        changed = [name for name, value in wanted.items() if getattr(existing, name) != value]
        if changed and existing.pk in shared:
            errors.append(
                PlanError(
                    f"organisations.{index}",
                    None,
                    f"l'organisation « {o.code} » existe déjà sous le nom « {existing.name} » "
                    f"({existing.get_kind_display()}) et un autre plan la nomme : ce fichier ne peut pas la "
                    "modifier. Reprenez son nom et son type tels quels, ou donnez-lui un autre code s'il s'agit "
                    "d'un autre organisme.",
                )
            )
            continue
        if changed:
            for name in changed:
                setattr(existing, name, wanted[name])
            existing.save(update_fields=changed)
            report.updated["organisations"] += 1
        result[o.code] = existing
    if errors:
        raise PlanValidationError(filename, errors)
    return result


@transaction.atomic
def load(spec: PlanFile, *, checksum="", filename="<plan>"):
    header = spec.plan
    plan, created = Plan.objects.select_for_update().get_or_create(
        code=header.code,
        defaults={
            "title": header.title,
            "department_code": header.department,
            "starts_on": header.period.starts_on,
            "ends_on": header.period.ends_on,
        },
    )
    report = LoadReport(plan=plan)
    report.created["plan"] += created
    file_indicators = {i.code for o in spec.orientations for a in o.actions for i in a.indicators}
    orphaned = (
        Indicator.objects.filter(plan=plan)
        .exclude(code__in=file_indicators)
        .filter(measurements__isnull=False)
        .values_list("code", flat=True)
        .distinct()
    )
    if orphaned:
        raise PlanValidationError(
            filename,
            [
                PlanError(
                    "",
                    None,
                    f"l'indicateur « {code} » a disparu du fichier alors que des mesures y sont rattachées. "
                    "Remettez-le dans le fichier (son libellé peut changer) : les mesures ne sont jamais supprimées.",
                )
                for code in sorted(orphaned)
            ],
        )
    plan_period = Period.between(header.period.starts_on, header.period.ends_on)
    # As Plan.covers: a quarter or a year the plan overlaps stays one of its periods; a
    # measurement over the whole plan must lie within it.
    start, end = plan_period.start, plan_period.end
    out_of_period = Measurement.objects.filter(indicator__plan=plan).filter(
        Q(period_end__lt=start)
        | Q(period_start__gt=end)
        | Q(periodicity=Periodicity.PLAN) & (Q(period_start__lt=start) | Q(period_end__gt=end))
    )
    if out_of_period.exists():
        raise PlanValidationError(
            filename,
            [
                PlanError(
                    "plan.period",
                    None,
                    f"des mesures déjà saisies sortent de la nouvelle période du plan ({plan_period.label}).",
                )
            ],
        )

    for name, value in (
        ("title", header.title),
        ("department_code", header.department),
        ("starts_on", header.period.starts_on),
        ("ends_on", header.period.ends_on),
        ("source", header.source),
        ("local_practices", {p.code: {"days": p.days, "source": p.source} for p in spec.local_practices}),
    ):
        setattr(plan, name, value)
    plan.file_checksum = checksum
    plan.loaded_at = timezone.now()
    plan.save()

    organisations = _sync_organisations(report, plan, spec.organisations, filename)
    for o in spec.organisations:
        parent = organisations[o.parent] if o.parent else None
        if o.parent and organisations[o.code].parent_id != parent.pk:
            Organisation.objects.filter(pk=organisations[o.code].pk).update(parent=parent)

    existing = {t.code: t for t in plan.territories.all()}
    territories = {}
    # An EPCI's past composition is the EPCI's: it holds for the EPCI and for its complement,
    # whichever of the two territories declares it.
    perimeters = {
        t.ref: [
            Perimeter(p.starts_on, p.ends_on, tuple(p.communes), p.label).as_json() | {"source": p.source}
            for p in t.perimeters
        ]
        for t in spec.territories
        if t.perimeters
    }
    for position, t_spec in enumerate(spec.territories):
        territories[t_spec.code] = _sync(
            report,
            PlanTerritory,
            existing,
            t_spec.code,
            {
                "plan": plan,
                "label": t_spec.label,
                "kind": t_spec.kind,
                "ref": t_spec.ref,
                "communes": list(t_spec.communes),
                "perimeters": perimeters.get(t_spec.ref, [])
                if t_spec.kind in (ScopeKind.EPCI, ScopeKind.OUTSIDE_EPCI)
                else [],
                "position": position,
            },
            "territoires",
        )
    # Territories still referenced by measurements are protected by the FK (PROTECT).
    stale_territories = list(existing.values())

    existing_orientations = {o.code: o for o in plan.orientations.all()}
    existing_actions = {a.code: a for a in plan.actions.all()}
    existing_indicators = {i.code: i for i in plan.indicators.all()}
    indicators = {}
    action_position = indicator_position = 0
    for o_position, o_spec in enumerate(spec.orientations):
        orientation = _sync(
            report,
            Orientation,
            existing_orientations,
            o_spec.code,
            {"plan": plan, "title": o_spec.title, "position": o_position},
            "orientations",
        )
        for a_spec in o_spec.actions:
            action = _sync(
                report,
                Action,
                existing_actions,
                a_spec.code,
                {
                    "plan": plan,
                    "orientation": orientation,
                    "title": a_spec.title,
                    "objective": a_spec.objective,
                    "modalities": a_spec.modalities,
                    "responsible_label": a_spec.responsible_label,
                    "partners_note": a_spec.partners_note,
                    "cost_text": a_spec.cost.text,
                    "position": action_position,
                },
                "actions",
            )
            action_position += 1
            action.responsible.set([organisations[c] for c in a_spec.responsible])
            action.partners.set([organisations[c] for c in a_spec.partners])
            action.cost_amounts.all().delete()
            CostAmount.objects.bulk_create(
                CostAmount(action=action, amount=c.amount, per=c.per, note=c.note, position=i)
                for i, c in enumerate(a_spec.cost.amounts)
            )
            for i_spec in a_spec.indicators:
                indicators[i_spec.code] = _sync(
                    report,
                    Indicator,
                    existing_indicators,
                    i_spec.code,
                    {
                        "plan": plan,
                        "action": action,
                        "label": i_spec.label,
                        "unit": i_spec.unit,
                        "periodicity": i_spec.periodicity,
                        "kind": i_spec.kind,
                        "metric_key": i_spec.metric,
                        "metric_params": dict(i_spec.params),
                        "source": i_spec.source,
                        "note": i_spec.note,
                        "territory": territories.get(i_spec.territory) if i_spec.territory else None,
                        "position": indicator_position,
                    },
                    "indicateurs",
                )
                indicator_position += 1

    # A target names its territory, or is judged on its indicator's (the sheet's).
    indicator_territory = {
        i.code: i.territory for o in spec.orientations for a in o.actions for i in a.indicators if i.territory
    }
    Target.objects.filter(indicator__plan=plan).delete()
    Target.objects.bulk_create(
        Target(
            indicator=indicators[t.indicator],
            comparator=t.comparator,
            value=t.value,
            value_max=t.value_max,
            period=t.period if t.period in (TargetPeriod.YEARLY, TargetPeriod.PLAN) else TargetPeriod.SPECIFIC,
            period_code="" if t.period in (TargetPeriod.YEARLY, TargetPeriod.PLAN) else t.period,
            territory=territories.get(t.territory or indicator_territory.get(t.indicator, "")),
            reference_code=t.reference,
            note=t.note,
            position=position,
        )
        for position, t in enumerate(spec.targets)
    )
    report.created["cibles"] = len(spec.targets)

    _load_report(plan, spec.report, indicators, report)

    for what, leftovers in (
        ("indicateurs", existing_indicators),
        ("actions", existing_actions),
        ("orientations", existing_orientations),
    ):
        for obj in leftovers.values():
            obj.delete()
            report.deleted[what] += 1
    for territory in stale_territories:
        if not Measurement.objects.filter(territory=territory).exists():
            territory.delete()
            report.deleted["territoires"] += 1
    return report


def _load_report(plan, spec, indicators, report):
    """Replace the plan's report tables by those of the file (they hold no data of their
    own: rebuilding them loses nothing). Without a `report` section the plan has none, and
    its reports show the default (toit.observatory.reports.definitions)."""
    ReportSection.objects.filter(plan=plan).delete()
    action = plan.actions.get(code=spec.action) if spec and spec.action else None
    if plan.report_action_id != (action.pk if action else None):
        plan.report_action = action
        plan.save(update_fields=["report_action"])
    if spec is None:
        return
    for kind, sections in ((ReportKind.QUARTERLY, spec.quarterly), (ReportKind.ANNUAL, spec.annual)):
        for position, s_spec in enumerate(sections):
            section = ReportSection.objects.create(
                plan=plan,
                kind=kind,
                tab=s_spec.tab_name,
                title=s_spec.title,
                description=s_spec.description,
                trend=s_spec.trend,
                position=position,
            )
            lines = [(line, False) for line in s_spec.lines] + ([(s_spec.total, True)] if s_spec.total else [])
            ReportLine.objects.bulk_create(
                ReportLine(
                    section=section,
                    label=line.label,
                    indicator=indicators[line.indicator] if line.indicator else None,
                    metric_key=line.metric,
                    metric_params=dict(line.params),
                    unit=line.unit,
                    is_total=is_total,
                    position=index,
                )
                for index, (line, is_total) in enumerate(lines)
            )
            report.created["lignes de rapport"] += len(lines)
