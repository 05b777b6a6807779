"""The foreign keys a set-based import writes (toit.imports.sinks.reports_sql,
demands_sql): the organisation, the user and what each claimed row names (its commune, its
landlord), checked in one query each before anything is written and, on PostgreSQL, locked
(FOR KEY SHARE: nobody deletes them before the import commits). The database checks them
again at commit; this check comes first to name the row in French. SQLite: the import
holds the database's single write lock."""

from dataclasses import dataclass

from toit.imports import sql


@dataclass(frozen=True)
class Reference:
    """What a claimed row names, and how the error says it is gone."""

    model_path: str  # "app_label.Model"
    subject: str  # « sa commune »
    gone: str  # « supprimée »
    plural: str  # « commune(s) »
    expression: str = ""  # SQL of the id, read from a claimed row

    def of(self, expression):
        return Reference(self.model_path, self.subject, self.gone, self.plural, expression)

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_path)


COMMUNE = Reference("territory.Commune", "sa commune", "supprimée", "commune(s)")
SOCIAL_LANDLORD = Reference("organisations.Organisation", "son bailleur", "supprimé", "bailleur(s)")


def check_references(cursor, join_row, params, references):
    """Raises ImportAborted (nothing written) when the organisation (params["organisation"]),
    the user (params["user"]) or what a claimed row names (`references`) is gone."""
    from django.contrib.auth import get_user_model

    from toit.imports.importing import ImportAborted
    from toit.organisations.models import Organisation

    lock = " FOR KEY SHARE" if sql.is_postgresql() else ""
    wanted = [(Organisation, "SELECT %(organisation)s", "L'organisation qui importe", None)]
    if params["user"] is not None:
        wanted.append((get_user_model(), "SELECT %(user)s", "Le compte qui a lancé l'import", None))
    for reference in references:
        used = (
            f"SELECT DISTINCT {reference.expression} FROM _import_claimed c {join_row} "  # noqa: S608
            f"WHERE {reference.expression} IS NOT NULL"
        )
        wanted.append((reference.model, used, None, reference))
    for model, ids, who, reference in wanted:
        cursor.execute(
            f"SELECT id FROM {sql.table(model)} WHERE id IN ({ids}) ORDER BY id{lock}",  # noqa: S608
            params,
        )
        found = {row[0] for row in cursor.fetchall()}
        cursor.execute(ids, params)
        missing = sorted(row[0] for row in cursor.fetchall() if row[0] not in found)
        if not missing:
            continue
        if who:
            raise ImportAborted(f"{who} n'existe plus. Rien n'a été importé.")
        cursor.execute(
            f"SELECT min(c.line_number) FROM _import_claimed c {join_row} WHERE {reference.expression} = %(missing)s",  # noqa: S608
            {**params, "missing": missing[0]},
        )
        line = cursor.fetchone()[0]
        others = f", comme {len(missing) - 1} autre(s) {reference.plural} du fichier" if len(missing) > 1 else ""
        raise ImportAborted(
            f"Ligne {line} refusée : {reference.subject} n'existe plus dans Toit ({reference.gone} depuis la "
            f"vérification du fichier{others}). Rien n'a été importé ; relancez la vérification du fichier."
        )
