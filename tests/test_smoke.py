from django.core.management import call_command


def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
