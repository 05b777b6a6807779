"""Limits on report imports (issue 10): an import file is a way to test thousands of
identities against every file of the département. Past a volume no partner sends in one go
it is refused; an import whose rows mostly match no file, in number, alerts the
administrators (someone may be sweeping names and birth dates)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mail_admins

from toit.imports.mappings import SOURCE_KINDS

logger = logging.getLogger("toit.security")


def is_report_import(job):
    source = SOURCE_KINDS.get(job.source_kind)
    return source is not None and source.sink == "report"


def report_row_limit(organisation):
    """TOIT_REPORT_IMPORT_MAX_ROWS, or the organisation's own limit (…_BY_ORGANISATION)."""
    own = settings.TOIT_REPORT_IMPORT_MAX_ROWS_BY_ORGANISATION.get(organisation.code)
    return int(own) if own else settings.TOIT_REPORT_IMPORT_MAX_ROWS


def check_volume(job):
    """Refuse a report import of more valid rows than the organisation's limit."""
    if not is_report_import(job):
        return
    limit = report_row_limit(job.organisation)
    if job.valid_rows > limit:
        raise ValidationError(
            f"Ce fichier compte {job.valid_rows} signalements : au-delà de {limit} lignes par import, Toit refuse "
            "les signalements d'une organisation (aucun partenaire n'en envoie autant en une fois). Découpez le "
            "fichier par mois, ou demandez à l'administrateur de relever la limite de votre organisation."
        )


def alert_unmatched_burst(job):
    """Tell the administrators when a report import leaves most of many rows unmatched (a
    sweep of identities looks like that). Returns whether it alerted."""
    if not is_report_import(job) or not job.imported_rows:
        return False
    unmatched = job.unmatched_rows
    share = 100 * unmatched / job.imported_rows
    if unmatched < settings.TOIT_IMPORT_UNMATCHED_ALERT_MIN or share < settings.TOIT_IMPORT_UNMATCHED_ALERT_SHARE:
        return False
    message = (
        f"Import n° {job.pk} de « {job.organisation} » ({job.organisation.code}), déposé par "
        f"{job.user.get_username() if job.user else 'inconnu'} : {unmatched} signalements sur {job.imported_rows} "
        f"({share:.0f} %) ne correspondent à aucun dossier que l'organisation suit. Vérifiez auprès d'elle qu'il "
        "s'agit bien de son fichier habituel : une série d'identités essayées à la chaîne a cette allure."
    )
    logger.warning(message)
    try:
        mail_admins("Toit : import de signalements inhabituel", message)
    except OSError:  # the import is done; a mail server down must not hide it: logged above
        logger.exception("Import n° %s : l'alerte n'a pas pu être envoyée par courriel", job.pk)
    return True
