"""The file import refuses the dates the API refuses, in the same words (one rule,
toit.eviction.dates): born in the future, before 1900, after the report."""

import pytest

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, issues, upload
from toit.eviction import dates

CAF = "impayes_caf_msa"
pytestmark = pytest.mark.django_db


def test_impossible_birth_dates_are_refused_in_the_words_of_the_api(caf):
    rows = [
        caf_row("A1"),
        caf_row("A2", born="01/01/2099"),
        caf_row("A3", born="01/01/1899"),
        caf_row("A4", born="04/03/2010", reported="03/03/2010"),
        caf_row("A5", born="03/03/2010", reported="03/03/2010"),  # born on the day: possible
    ]
    job = upload(*caf, CAF, csv_bytes([CAF_HEADER, *rows]))
    assert (job.total_rows, job.valid_rows, job.rejected_rows) == (5, 2, 3), issues(job)
    found = {line: (column, message) for line, column, _value, message in issues(job)}
    future, early, after = (_refusal(check) for check in _API_CHECKS)
    assert found == {3: ("Date de naissance", future), 4: ("Date de naissance", early), 5: ("Date de naissance", after)}
    assert "postérieure à la date du signalement (03/03/2010)" in after


def _refusal(call):
    with pytest.raises(dates.ImpossibleDate) as caught:
        call()
    return caught.value.message


D = dates.datetime.date
TODAY = D(2026, 12, 6)
_API_CHECKS = (
    lambda: dates.check_birth_date(D(2099, 1, 1), today=TODAY),
    lambda: dates.check_birth_date(D(1899, 1, 1), today=TODAY),
    lambda: dates.check_birth_date(D(2010, 3, 4), today=TODAY, reported_on=D(2010, 3, 3)),
)
