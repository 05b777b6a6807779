"""PostgreSQL row-level security on the nominative tables, keyed on the département (issue 14).

Defence in depth: the querysets (toit.eviction.access and its siblings) decide what a user
reads; these policies make sure that a query which forgets that filter still returns nothing
from a département the request does not work in. They narrow one role only,
settings.TOIT_ROW_SECURITY_ROLE (« toit_request »), which a narrowed request switches to
(toit.rowsecurity.scope); any other role reads every row (the application's login role
outside a narrowed block: commands, the worker), and the owner of the tables and superusers
are not subject to row-level security at all.

The request's départements are INSEE codes in the setting `toit.departments` ('72,61');
toit_rls_departments() turns them into territory_department ids, once per statement (an
InitPlan). Unset or empty: no département, no row.

Each nominative table is listed below with how its département is found:

- Department(column): the row names its département (priority_access, dwellings);
- InDepartment(column, table): the row points to a row of a table that names it and that is
  not nominative itself (a household's commune, a resident's structure);
- Through(column, table): the row belongs to a row of another protected table (a member to
  its household, an event to its file). The parent's own policy applies inside the
  subquery (row-level security is applied to every table a non-owner reads), so a child is
  visible exactly when its parent is.

The change history (django-simple-history) repeats the same columns: each historical table
gets its model's policy. Changing POLICIES needs a migration that calls apply() again
(toit/rowsecurity/migrations).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

POLICY = "toit_department"
FUNCTION = "toit_rls_departments"
DEPARTMENTS = f"(SELECT {FUNCTION}())::bigint[]"  # a cast: an array value, not ANY (subquery)


@dataclass(frozen=True)
class Department:
    column: str = "department_id"

    def sql(self, table, tables):
        return f"{table}.{self.column} = ANY ({DEPARTMENTS})"


@dataclass(frozen=True)
class InDepartment:
    column: str
    target: str  # model label of a table with a department_id column, itself not protected

    def sql(self, table, tables):
        target = tables[self.target]
        return f"{table}.{self.column} IN (SELECT id FROM {target} WHERE department_id = ANY ({DEPARTMENTS}))"  # noqa: S608


@dataclass(frozen=True)
class Through:
    column: str
    parent: str  # model label of a protected table

    def sql(self, table, tables):
        parent = tables[self.parent]
        return f"EXISTS (SELECT 1 FROM {parent} WHERE {parent}.id = {table}.{self.column})"  # noqa: S608


@dataclass(frozen=True)
class AnyOf:
    """The first rule, or when `unless_null` is null, any of the others (a report without a
    commune belongs to its reporting organisation's département, or to its file's)."""

    first: object
    unless_null: str
    others: tuple

    def sql(self, table, tables):
        others = " OR ".join(f"({rule.sql(table, tables)})" for rule in self.others)
        return f"({self.first.sql(table, tables)}) OR ({table}.{self.unless_null} IS NULL AND ({others}))"


FILE = Through("file_id", "eviction.PreventionFile")

POLICIES = {
    # Eviction prevention (sheets 1A-1F): the household's commune gives the département.
    "eviction.Household": InDepartment("commune_id", "territory.Commune"),
    # A member carries its household's département (kept by Household.save and refresh_keys,
    # checked by toit_procedure_state): a column to compare, where going through the household
    # made PostgreSQL hash every household of the instance for each name search (66 ms at
    # 100 000 households, bench/eviction.py). The column is required: the policy reads it
    # alone, so that the name indexes, which hold it, answer by themselves (HISTORY below).
    "eviction.HouseholdMember": Department(),
    # A file carries its household's département too (kept by PreventionFile.save and
    # Household.save, checked by toit_procedure_state): every table that goes through the
    # file (events, participants, plans…) then nests one subquery, not two, and PostgreSQL
    # no longer hashes every household of the instance to check a work queue's files
    # (bench/eviction.py). History rows written before that column go through the household.
    # Not the member's rule (the column alone) though the column is required here too: a
    # policy that cheap made PostgreSQL hash every file of the instance to check a queue's
    # plans (34 ms at 100 000 households), where the subquery kept it to the rows read.
    "eviction.PreventionFile": AnyOf(Department(), "department_id", (Through("household_id", "eviction.Household"),)),
    # A participation carries its file's département too (kept by FileParticipant.save,
    # PreventionFile.save and Household.save, checked by toit_procedure_state): the search's
    # walk reads thousands of participations, each of which looked its file up for this policy
    # alone (a third of the walk at 1 000 000 households, bench/eviction.py).
    "eviction.FileParticipant": Department(),
    "eviction.FileReferent": FILE,
    "eviction.Event": FILE,
    "eviction.ContactAttempt": FILE,
    "eviction.SocialDiagnosis": FILE,
    "eviction.FslDecision": FILE,
    "eviction.OverIndebtednessCase": FILE,
    "eviction.HomeownerDifficulty": FILE,
    "eviction.RepaymentPlan": FILE,
    "eviction.RepaymentPayment": Through("plan_id", "eviction.RepaymentPlan"),
    "eviction.Report": AnyOf(
        InDepartment("commune_id", "territory.Commune"),
        "commune_id",
        (InDepartment("reporting_organisation_id", "organisations.Organisation"), FILE),
    ),
    "eviction.ReportTransmission": Through("report_id", "eviction.Report"),
    # Priority access (3A-3D): each record names its département.
    "priority_access.HousingDemand": Department(),
    "priority_access.DaloAppeal": Department(),
    "priority_access.ContingentProposal": Department(),
    "priority_access.ProjectFollowup": Department(),
    "priority_access.SlidingLease": Department(),
    "priority_access.MousFollowup": Department(),
    # Dwellings and substandard housing (2A-2C): owners, addresses, occupants.
    "dwellings.Owner": Department(),
    "dwellings.Dwelling": Department(),
    "dwellings.MergeProposal": Department(),
    "dwellings.PstDwelling": Department(),
    "dwellings.EnergyDiagnosis": Department(),
    "dwellings.Case": Department(),
    "dwellings.CaseReport": Through("case_id", "dwellings.Case"),
    "dwellings.Visit": Through("case_id", "dwellings.Case"),
    "dwellings.CaseQualification": Through("case_id", "dwellings.Case"),
    "dwellings.Act": Through("case_id", "dwellings.Case"),
    "dwellings.PrescribedWork": Through("act_id", "dwellings.Act"),
    "dwellings.Rehousing": Through("case_id", "dwellings.Case"),
    "dwellings.IndelicacyDecision": Through("owner_id", "dwellings.Owner"),
    "dwellings.IndelicacyReview": Through("decision_id", "dwellings.IndelicacyDecision"),
    # Accommodation (2D-2G): residents and applicants are named.
    "accommodation.Resident": InDepartment("structure_id", "accommodation.Structure"),
    "accommodation.Stay": InDepartment("structure_id", "accommodation.Structure"),
    "accommodation.Application": InDepartment("commission_id", "accommodation.AdmissionCommission"),
}

# The history of a table whose département column came later: its rows written before have
# none and go through their parent. Kept apart from the table's own rule, which then compares
# one column of the row: a policy naming a column that no index holds forbids index-only
# scans (the search's test of a broad name reads 10 000 entries of the name index: 120 ms
# through the table, 3 ms from the index, at 1 000 000 households; toit.www.eviction.search).
HISTORY = {
    "eviction.HouseholdMember": AnyOf(Department(), "department_id", (Through("household_id", "eviction.Household"),)),
    # The participations' copied département is left out of their history (excluded_fields).
    "eviction.FileParticipant": FILE,
}

# Tables of the same apps left without a policy, and why (tests/rowsecurity checks that every
# table of these apps is in one list or the other).
NOT_NOMINATIVE = {
    "eviction.PrivateLandlord": "bailleurs privés partagés entre ménages, sans département propre",
    "eviction.CcapexThreshold": "seuils de saisine de la CCAPEX, par département, sans personne",
    "priority_access.CollectiveAgreementTarget": "objectifs chiffrés des accords collectifs",
    "priority_access.MousCoverage": "couverture territoriale de la MOUS",
    "priority_access.AbnormalDelay": "délais anormalement longs, un par département",
    "priority_access.DaloAgglomeration": "agglomérations du délai DALO",
    "priority_access.Charter": "chartes signées",
    "priority_access.CharterSignature": "signataires des chartes (organisations)",
    "dwellings.HousingPole": "le pôle départemental",
    "dwellings.PoleMember": "organisations membres du pôle",
    "accommodation.Structure": "structures d'hébergement (établissements)",
    "accommodation.CapacityPeriod": "capacités des structures",
    "accommodation.Funding": "financements des structures",
    "accommodation.Partnership": "partenariats des structures",
    "accommodation.AdmissionCommission": "commissions d'admission",
    "accommodation.Project": "projets de structures",
    "accommodation.YouthOffer": "offres de logement des jeunes",
    "accommodation.OccupancySummary": "synthèses mensuelles d'occupation des structures : agrégats, sans personne",
}
APPS = ("eviction", "priority_access", "dwellings", "accommodation")


def protected_tables(apps):
    """(table, rule) for every protected table that exists, history included."""
    tables = {label: apps.get_model(label)._meta.db_table for label in _labels()}
    for label, rule in POLICIES.items():
        app_label, name = label.split(".")
        yield tables[label], rule, tables
        try:
            historical = apps.get_model(app_label, f"Historical{name}")
        except LookupError:
            continue
        yield historical._meta.db_table, HISTORY.get(label, rule), tables


def _labels():
    labels = set(POLICIES)
    for rule in [*POLICIES.values(), *HISTORY.values()]:
        for part in (*getattr(rule, "others", ()), getattr(rule, "first", None), rule):
            for attribute in ("target", "parent"):
                if value := getattr(part, attribute, None):
                    labels.add(value)
    return labels


def policy_sql(table, rule, tables, role):
    """One policy for every role: rows of the request's départements for `role`, every row
    for any other role. In production the application's login role need not own the tables
    (docs/security.md): outside a narrowed block it reads and writes everything, as the
    commands and the worker need; inside, it has switched to `role`. The cheap test comes
    first, so that a role that is not narrowed never evaluates the subqueries."""
    condition = f"current_user <> '{role}' OR ({rule.sql(table, tables)})"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"CREATE POLICY {POLICY} ON {table} AS PERMISSIVE FOR ALL TO PUBLIC "
        f"USING ({condition}) WITH CHECK ({condition})",
    ]


def role_sql(role):
    """The role a narrowed request switches to: no login, the same table rights as the
    owner, but subject to the policies. Roles belong to the whole PostgreSQL cluster: it is
    created once (or beforehand by the DBA, docs/deployment.md) and never dropped here."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ImproperlyConfigured(
            f"TOIT_ROW_SECURITY_ROLE vaut {role!r} : attendu un nom de rôle PostgreSQL "
            "(lettres minuscules, chiffres et « _ »)."
        )
    return [
        f"""DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        BEGIN
            CREATE ROLE {role} NOLOGIN NOSUPERUSER NOINHERIT NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created meanwhile by another database's migration on the same cluster
        WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'Le rôle PostgreSQL « {role} » n''existe pas et % ne peut pas le créer.',
                current_user
                USING HINT = 'En administrateur : CREATE ROLE {role} NOLOGIN; GRANT {role} TO '
                    || current_user || '; (docs/deployment.md)';
        END;
    END IF;
    IF NOT pg_has_role(current_user, '{role}', 'MEMBER') THEN
        BEGIN
            EXECUTE format('GRANT {role} TO %I', current_user);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'L''utilisateur % ne peut pas prendre le rôle « {role} ».', current_user
                USING HINT = 'En administrateur : GRANT {role} TO ' || current_user || '; (docs/deployment.md)';
        END;
    END IF;
END
$$""",
        f"GRANT USAGE ON SCHEMA {_SCHEMA} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {_SCHEMA} TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {_SCHEMA} TO {role}",
        # Tables of later migrations, made by the same owner.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {_SCHEMA} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {_SCHEMA} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
    ]


_SCHEMA = "public"

# Table and function names are constants of this module, never input.
FUNCTION_SQL = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS bigint[]
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    SELECT coalesce(array_agg(id), '{{}}') FROM territory_department
    WHERE code = ANY (string_to_array(nullif(current_setting('toit.departments', true), ''), ','))
$$"""  # noqa: S608


def apply(apps, schema_editor, role):
    """Create (or refresh) the role, its rights, the function and every policy. Idempotent;
    PostgreSQL only. Tables a later migration creates are skipped here and covered by the
    migration that calls apply() after them."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in [*role_sql(role), FUNCTION_SQL]:
            cursor.execute(statement)
        for table, rule, tables in protected_tables(apps):
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is None:
                continue
            for statement in policy_sql(table, rule, tables, role):
                cursor.execute(statement)


def remove(apps, schema_editor, role):
    """Drop the policies and the function; the role stays (it may serve another database of
    the cluster), without its rights on this one."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, _rule, _tables in protected_tables(apps):
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is None:
                continue
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
            cursor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {_SCHEMA} FROM {role}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_SCHEMA} FROM {role}")
