from django.db import migrations, models

# Issue 10: on PostgreSQL the log refuses DELETE and TRUNCATE as well as UPDATE. Entries
# leave it by one path only, the retention purge: the function toit_audit_purge(before),
# which refuses a limit less than 30 days old and marks its own transaction so that the
# DELETE trigger lets exactly those rows go (docs/security.md). TRUNCATE is refused unless
# the connection was opened with `-c toit.allow_truncate=on` (the test settings do, for
# Django's flush between tests; production never does).
CREATE = """
CREATE OR REPLACE FUNCTION toit_audit_refuse_delete() RETURNS trigger AS $$
DECLARE
    purge_before text := current_setting('toit.audit_purge_before', true);
BEGIN
    IF purge_before IS NULL OR purge_before = '' OR OLD.created_at >= purge_before::timestamptz THEN
        RAISE EXCEPTION 'Le journal des accès ne se supprime que par la purge programmée (toit_audit purge).';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION toit_audit_refuse_delete();

CREATE OR REPLACE FUNCTION toit_audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('toit.allow_truncate', true), '') <> 'on' THEN
        RAISE EXCEPTION 'Le journal des accès ne se vide pas (TRUNCATE refusé).';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_no_truncate BEFORE TRUNCATE ON audit_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION toit_audit_refuse_truncate();

CREATE OR REPLACE FUNCTION toit_audit_purge(before timestamptz) RETURNS bigint AS $$
DECLARE
    removed bigint;
BEGIN
    IF before > now() - interval '30 days' THEN
        RAISE EXCEPTION 'La purge du journal garde au moins 30 jours d''entrées.';
    END IF;
    PERFORM set_config('toit.audit_purge_before', before::text, true);
    DELETE FROM audit_accesslog WHERE created_at < before;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('toit.audit_purge_before', '', true);
    RETURN removed;
END;
$$ LANGUAGE plpgsql;
"""
DROP = """
DROP TRIGGER IF EXISTS audit_accesslog_no_delete ON audit_accesslog;
DROP TRIGGER IF EXISTS audit_accesslog_no_truncate ON audit_accesslog;
DROP FUNCTION IF EXISTS toit_audit_refuse_delete();
DROP FUNCTION IF EXISTS toit_audit_refuse_truncate();
DROP FUNCTION IF EXISTS toit_audit_purge(timestamptz);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_list_action")]

    operations = [
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("lecture", "Consultation"),
                    ("recherche", "Résultat de recherche"),
                    ("liste", "Liste (travail à faire, signalements, imports)"),
                    ("export", "Export"),
                    ("api", "Lecture par l'API"),
                    ("bris_de_glace", "Accès exceptionnel (bris de glace)"),
                    ("entree", "Entrée d'une organisation dans un dossier"),
                    ("refus", "Accès refusé (403 ou 404)"),
                    ("admin", "Consultation dans l'administration"),
                ],
                max_length=20,
                verbose_name="nature",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
