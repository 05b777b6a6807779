"""Accepting an uploaded file: size and type are checked on the content, not on what the
browser claims, before anything is written."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from toit.steering.models import Attachment

# Office documents and PDF: what minutes and study deliverables are made of.
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
}


def check_upload(upload):
    """Return the content type to store, or raise ValidationError saying what to do."""
    limit = settings.TOIT_ATTACHMENT_MAX_BYTES
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            f"« {name} » : type de fichier refusé. Déposez un PDF ou un document bureautique "
            f"({', '.join(sorted(ALLOWED))})."
        )
    if upload.size > limit:
        raise ValidationError(
            f"« {name} » pèse {upload.size / 1_048_576:.1f} Mo : la limite est de {limit / 1_048_576:.0f} Mo. "
            "Compressez-le ou déposez un PDF allégé."
        )
    if upload.size == 0:
        raise ValidationError(f"« {name} » est vide : vérifiez le fichier avant de le déposer.")
    content_type, signatures = ALLOWED[suffix]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            f"« {name} » ne contient pas un fichier {suffix[1:].upper()} valide : enregistrez-le de nouveau "
            "depuis le logiciel qui l'a produit."
        )
    return content_type


@transaction.atomic
def attach(*, user, upload, meeting=None, order=None):
    """Store `upload` as minutes of `meeting` or deliverable of `order`, on behalf of `user`."""
    content_type = check_upload(upload)
    return Attachment.objects.create(
        meeting=meeting,
        order=order,
        file=upload,
        original_name=PurePath(upload.name).name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
