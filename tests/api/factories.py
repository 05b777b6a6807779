import datetime

import factory
from django.utils import timezone

from tests.organisations.factories import OrganisationFactory
from toit.api import keys
from toit.api.enums import Scope
from toit.imports.enums import FileFormat, JobStatus
from toit.imports.models import ImportIssue, ImportJob

ALL_SCOPES = list(Scope.values)


def make_key(organisation=None, scopes=ALL_SCOPES, name="Logiciel du partenaire", **kwargs):
    """A key and its token (keys.create_key, as the admin and the command line do)."""
    organisation = organisation or OrganisationFactory()
    return keys.create_key(organisation, name=name, scopes=scopes, **kwargs)


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A job as the import pipeline leaves it once checked; the file itself is not needed."""

    class Meta:
        model = ImportJob

    organisation = factory.SubFactory(OrganisationFactory)
    source_kind = "caf_impayes"
    file = factory.Sequence(lambda n: f"{n:032x}.csv")
    original_name = factory.Sequence(lambda n: f"impayes-{n}.csv")
    file_format = FileFormat.CSV
    file_size = 1234
    file_sha256 = "0" * 64
    status = JobStatus.DONE
    decision = "lignes_valides"
    total_rows = 3
    valid_rows = 2
    rejected_rows = 1
    imported_rows = 2
    error_count = 1
    finished_at = factory.LazyFunction(timezone.now)


class ImportIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportIssue

    job = factory.SubFactory(ImportJobFactory)
    line_number = 3
    column = "Date de naissance"
    value = "31/02/1975"
    message = "Date impossible"
    expected = "une date jj/mm/aaaa"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)
