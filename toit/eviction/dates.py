"""The dates Toit accepts, whatever the way in: a partner's file (toit.imports.cells and
the report sink's row check), the API and the forms (intake.record_report,
intake.open_file_from_report, procedure.add_event). One rule and one wording, so that a
date refused in a file is refused, in the same words, when the same partner sends it by
the API.

Nothing in Toit predates 1900 (a year typed 0001 or 1875 is a typing error), a birth or a
report has happened (it is never in the future), and the person reported was born on or
before the day of the report."""

import datetime

EARLIEST = datetime.date(1900, 1, 1)
EVENT_HAS_HAPPENED = "une date passée : un événement s'enregistre une fois survenu"


class ImpossibleDate(ValueError):
    """`message`: what is wrong; `expected`: what a right value looks like (both French)."""

    def __init__(self, message, expected):
        super().__init__(message)
        self.message = message
        self.expected = expected

    def sentence(self):
        return f"{self.message} : {self.expected}."


def check_date(value, *, today, past=True, expected_past=EVENT_HAS_HAPPENED):
    """`value`, or ImpossibleDate when it is before 1900 or (`past`) after `today`."""
    if value < EARLIEST:
        raise ImpossibleDate("Date antérieure à 1900", "une date postérieure au 1er janvier 1900")
    if past and value > today:
        raise ImpossibleDate(f"Date dans le futur (nous sommes le {today:%d/%m/%Y})", expected_past)
    return value


def check_birth_date(value, *, today, reported_on=None):
    """A birth date, or ImpossibleDate: before 1900, in the future, or after the day the
    person was reported (`reported_on`, when known)."""
    check_date(value, today=today, expected_past="une date de naissance passée")
    if reported_on is not None and value > reported_on:
        raise ImpossibleDate(
            f"Date de naissance postérieure à la date du signalement ({reported_on:%d/%m/%Y})",
            "la date de naissance de la personne signalée, au plus tard le jour du signalement",
        )
    return value


def report_date_errors(*, reported_on, birth_date, today):
    """{field: sentence} of what is impossible in a report's dates, for a ValidationError."""
    errors = {}
    try:
        check_date(reported_on, today=today, expected_past="la date du jour ou une date passée")
    except ImpossibleDate as exc:
        errors["reported_on"] = exc.sentence()
        reported_on = None
    if birth_date is not None:
        try:
            check_birth_date(birth_date, today=today, reported_on=reported_on)
        except ImpossibleDate as exc:
            errors["birth_date"] = exc.sentence()
    return errors


def early_date_errors(today, **values):
    """{field: sentence} of the `values` (dates or None) before 1900: the dates of an act,
    whose order and future the chronology checks (toit.eviction.chronology)."""
    errors = {}
    for name, value in values.items():
        try:
            if value is not None:
                check_date(value, today=today, past=False)
        except ImpossibleDate as exc:
            errors[name] = exc.sentence()
    return errors
