from django.db import migrations

# The database itself refuses to rewrite a log entry, so that neither a bug
# nor a direct SQL session can alter evidence. DELETE stays possible for the retention purge.
CREATE = """
CREATE OR REPLACE FUNCTION toit_audit_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Le journal des accès ne se modifie pas.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION toit_audit_refuse_update();
"""
SQLITE_CREATE = """
CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
BEGIN SELECT RAISE(ABORT, 'Le journal des accès ne se modifie pas.'); END;
"""
DROP = """
DROP TRIGGER IF EXISTS audit_accesslog_no_update ON audit_accesslog;
DROP FUNCTION IF EXISTS toit_audit_refuse_update();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_accesslog_no_update")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
