"""Uploaded files (committee minutes and study deliverables, partners' import files): stored
under TOIT_PRIVATE_MEDIA_ROOT, outside the static files, under a random name, never
served by URL; only a view that checks the visitor's rights gives them back (minutes and
deliverables), or nothing does (import files). Every FileField of every model is checked,
so a new kind of upload cannot escape. Size and type limits of each kind are tested next
to it (tests/steering/test_views.py, tests/imports/test_broken_files.py); here, that a
visitor without the right stores nothing."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.views import static

from tests.organisations.factories import OrganisationFactory, member_of
from tests.plans.factories import load_sample_plan
from tests.security.routes import _walk
from tests.steering.factories import MeetingFactory
from toit.imports.models import ImportJob
from toit.organisations.enums import OrganisationKind, Role
from toit.organisations.models import Organisation
from toit.steering.attachments import attach
from toit.steering.models import Attachment

SAMPLES = Path(settings.BASE_DIR) / "docs" / "samples" / "imports"
PDF = b"%PDF-1.4 compte rendu"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.TOIT_PRIVATE_MEDIA_ROOT = tmp_path / "prive"
    return settings.TOIT_PRIVATE_MEDIA_ROOT


# Upload fields of other packages that no page and no admin offers.
UNUSED = {"dsfr.DsfrConfig": "logo de l'opérateur de django-dsfr : Toit prend sa marque dans TOIT_BRAND"}


def file_fields():
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and model._meta.label not in UNUSED
    ]


def test_unused_upload_fields_are_not_offered_in_the_admin():
    from django.contrib import admin

    for label in UNUSED:
        assert not admin.site.is_registered(apps.get_model(label))


def public_roots():
    roots = [settings.STATIC_ROOT, getattr(settings, "MEDIA_ROOT", "") or None]
    roots += [entry[1] if isinstance(entry, tuple) else entry for entry in settings.STATICFILES_DIRS]
    return [Path(root).resolve() for root in roots if root]


def test_the_uploads_are_known():
    assert {(m._meta.label, f.name) for m, f in file_fields()} == {
        ("steering.Attachment", "file"),
        ("imports.ImportJob", "file"),
    }, "Un nouveau champ de fichier : vérifiez sa taille, son type, son stockage et qui le lit, puis ajoutez-le ici."


@pytest.mark.parametrize(("model", "field"), file_fields(), ids=lambda v: getattr(v, "name", str(v)))
def test_every_upload_is_stored_privately_and_never_served_by_url(model, field, private_media):
    location = Path(field.storage.location).resolve()
    assert location.is_relative_to(Path(private_media).resolve()), f"{model._meta.label} stocké hors du dossier privé"
    for root in public_roots():
        assert not location.is_relative_to(root), f"{model._meta.label} stocké sous {root}, servi comme statique"
    with pytest.raises((ValueError, NotImplementedError)):
        field.storage.url("fichier.pdf")


def test_no_url_serves_files_from_disk():
    from django.urls import get_resolver

    def callbacks(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from callbacks(pattern)
            else:
                yield pattern.callback

    assert static.serve not in set(callbacks(get_resolver()))
    assert list(_walk(get_resolver(), "", ()))  # the walk of the security tests sees the site


def test_minutes_are_stored_under_a_random_name_and_read_only_through_the_checked_view(client, private_media):
    plan = load_sample_plan()
    manager = member_of(Organisation.objects.get(code="DDE72"), Role.MANAGER)
    meeting = MeetingFactory(plan=plan)
    attachment = attach(user=manager, upload=SimpleUploadedFile("Dupont-relevé.pdf", PDF), meeting=meeting)
    path = Path(attachment.file.path)
    assert path.is_relative_to(private_media) and "Dupont" not in path.name and path.read_bytes() == PDF
    url = reverse("steering:attachment", args=[plan.code, attachment.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(member_of(OrganisationFactory(), Role.MANAGER))
    assert client.get(url).status_code == 404  # not a partner of the plan


def test_only_steering_managers_may_upload(client, private_media):
    plan = load_sample_plan()
    meeting = MeetingFactory(plan=plan)
    upload_url = reverse("steering:minutes_upload", args=[plan.code, meeting.pk])
    for person in (
        member_of(Organisation.objects.get(code="CAF72"), Role.AGENT),
        member_of(Organisation.objects.get(code="CAF72"), Role.OBSERVATORY),
        member_of(OrganisationFactory(), Role.MANAGER),
    ):
        client.force_login(person)
        response = client.post(upload_url, {"piece-file": SimpleUploadedFile("cr.pdf", PDF)})
        assert response.status_code == 404
    assert not Attachment.objects.exists()
    assert not any(Path(private_media).rglob("*.pdf"))


def test_import_files_are_stored_under_a_random_name_and_only_members_may_deposit(client, private_media):
    caf = OrganisationFactory(code="CAF72", kind=OrganisationKind.CAF_MSA)
    sample = (SAMPLES / "impayes-caf-msa.csv").read_bytes()

    def deposit(person):
        client.force_login(person)
        return client.post(
            reverse("imports:new"),
            {
                "organisation": caf.pk,
                "source_kind": "impayes_caf_msa",
                "file": SimpleUploadedFile("Dupont-impayes.csv", sample),
            },
        )

    for person in (member_of(caf, Role.OBSERVATORY), member_of(OrganisationFactory(kind=OrganisationKind.CAF_MSA))):
        response = deposit(person)
        assert response.status_code == 200 and "Sélectionnez un choix valide" in response.text
    assert not ImportJob.objects.exists()
    response = deposit(member_of(caf))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    path = Path(job.file.path)
    assert path.is_relative_to(private_media) and "Dupont" not in path.name
    assert job.original_name == "Dupont-impayes.csv"
