"""Publishing a report: build it, and freeze its PDF and XLSX as a new version unless the
figures are those of the latest version already published."""

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from toit.metrics.periods import Period
from toit.observatory.models import PublishedReport
from toit.observatory.reports.build import build_report
from toit.observatory.reports.pdf import render_pdf
from toit.observatory.reports.xlsx import render_xlsx


class PublicationError(Exception):
    pass


@dataclass
class Publication:
    report: PublishedReport
    created: bool


def publish_report(plan, kind, period, *, user, progress=None):
    """Publish the report of `kind` for `period` (a Period or its code) on behalf of
    `user` (None for the command line). Returns Publication(report, created): created is
    False when the latest version already has exactly these figures."""
    period = Period.parse(period) if isinstance(period, str) else period
    step = progress or (lambda message: None)
    step("Rassemblement des chiffres")
    data = build_report(plan, kind, period)
    latest = (
        PublishedReport.objects.filter(plan=plan, kind=kind, period_code=period.code)
        .order_by("-version")
        .only("pk", "version", "data_version")
        .first()
    )
    if latest and latest.data_version == data.data_version:
        step(f"Chiffres identiques à la version {latest.version} : rien à publier")
        return Publication(PublishedReport.objects.get(pk=latest.pk), False)
    version = (latest.version if latest else 0) + 1
    frozen = PublishedReport(
        plan=plan,
        kind=kind,
        period_code=period.code,
        period_start=period.start,
        period_end=period.end,
        version=version,
        inputs_at=data.inputs_at,
        data_version=data.data_version,
        published_by=user,
    )
    step("Mise en page du PDF")
    pdf = render_pdf(data, frozen)
    step("Écriture du classeur XLSX")
    xlsx = render_xlsx(data, frozen)
    frozen.pdf, frozen.xlsx = pdf, xlsx
    frozen.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    frozen.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
    step(f"Enregistrement de la version {version}")
    try:
        with transaction.atomic():
            frozen.save()
    except IntegrityError:
        raise PublicationError(
            f"La version {version} vient d'être publiée par quelqu'un d'autre : relancez la publication."
        ) from None
    return Publication(frozen, True)
