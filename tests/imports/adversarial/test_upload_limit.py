"""A deposit larger than any file Toit accepts is refused on its announced length, before
a byte of it is read (issue 18: 1 GiB was read, then refused); a body with no announced
length (chunked) is refused at once too, since Django would read it as empty. The
counting stream stands for the connection: it says how much the server read."""

import io

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes
from toit.imports.models import ImportJob
from toit.imports.storage import max_bytes
from toit.www import body_limit

pytestmark = pytest.mark.django_db
FILE_LIMIT = 100_000


class Connection(io.BytesIO):
    """The request body as the server reads it, counting what was read."""

    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.read_bytes += len(data)
        return data


@pytest.fixture
def small_limits(settings):
    settings.TOIT_IMPORT_MAX_BYTES = FILE_LIMIT
    settings.TOIT_IMPORT_XLSX_MAX_BYTES = FILE_LIMIT // 2


@pytest.fixture
def depositor(client, caf):
    user, organisation = caf
    client.force_login(user)
    return client, organisation


def deposit_body(organisation, size):
    rows = [CAF_HEADER] + [caf_row(f"A{i}") for i in range(size // 60 + 1)]
    content = io.BytesIO(csv_bytes(rows)[:size])
    content.name = "gros.csv"
    return encode_multipart(
        BOUNDARY, {"organisation": organisation.pk, "source_kind": "impayes_caf_msa", "file": content}
    )


def post(client, path, body, **meta):
    connection = Connection(body)
    meta.setdefault("CONTENT_LENGTH", str(len(body)))
    # generic() sets the type and the stream only with a body: both are given here.
    meta.setdefault("CONTENT_TYPE", MULTIPART_CONTENT)
    response = client.generic("POST", path, b"", **{"wsgi.input": connection, **meta})
    return response, connection


def test_a_file_past_the_limit_is_refused_on_its_announced_length_unread(depositor, small_limits):
    client, organisation = depositor
    body = deposit_body(organisation, 3 * FILE_LIMIT)
    response, connection = post(client, reverse("imports:new"), body)
    assert response.status_code == 413
    assert connection.read_bytes == 0
    text = response.content.decode()
    assert "Envoi trop volumineux" in text and "0,2 Mo" in text and "Découpez le fichier" in text
    assert not ImportJob.objects.exists()


def test_the_announced_gigabyte_is_refused_unread(depositor):
    client, _ = depositor
    response, connection = post(client, reverse("imports:new"), b"x" * 1000, CONTENT_LENGTH=str(2**30))
    assert response.status_code == 413 and connection.read_bytes == 0
    assert "1073,7 Mo annoncés" in response.content.decode()


def test_a_body_with_no_announced_length_is_refused_unread(depositor, small_limits):
    client, organisation = depositor
    body = deposit_body(organisation, 1000)
    response, connection = post(
        client, reverse("imports:new"), body, CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411 and connection.read_bytes == 0
    assert "sans longueur annoncée" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_body_longer_than_announced_is_read_up_to_the_announced_length_only(depositor, small_limits):
    client, organisation = depositor
    body = deposit_body(organisation, 1000)
    response, connection = post(
        client, reverse("imports:new"), body + b"x" * 5 * FILE_LIMIT, CONTENT_LENGTH=str(len(body))
    )
    assert connection.read_bytes <= len(body)
    assert response.status_code == 302  # the announced part is the deposit
    assert ImportJob.objects.count() == 1


def test_a_file_under_the_limit_is_deposited(depositor, small_limits):
    client, organisation = depositor
    body = deposit_body(organisation, FILE_LIMIT - 1000)
    response, connection = post(client, reverse("imports:new"), body)
    assert response.status_code == 302 and connection.read_bytes == len(body)
    assert ImportJob.objects.get().original_name == "gros.csv"


def test_a_form_without_a_declared_upload_has_the_default_limit(depositor, settings):
    """Any other page: a body past DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 in French, not
    Django's « Bad Request » after reading it."""
    client, _ = depositor
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response, connection = post(client, reverse("eviction:report_new"), b"x" * 20_000)
    assert response.status_code == 413 and connection.read_bytes == 0
    assert "Envoi trop volumineux" in response.content.decode()


def test_every_view_that_receives_files_declares_its_limit(settings):
    """A page that stores uploads says how large they may be; any other keeps the default."""
    from django.urls import resolve

    def limit(name, *args):
        return body_limit.limit_of(resolve(reverse(name, args=args)).func)

    assert limit("imports:new") > max_bytes("csv") > max_bytes("xlsx")
    assert limit("steering:minutes_upload", "PDH72", 1) > settings.TOIT_ATTACHMENT_MAX_BYTES
    assert limit("steering:deliverable_upload", "PDH72", 1) > settings.TOIT_ATTACHMENT_MAX_BYTES
    assert limit("imports:list") == limit("eviction:report_new") == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
