"""Every physical line of a CSV file is accounted for: read as a row (imported, already
imported or refused with its line number), blank, the header, or the whole file is
refused, naming the line of the quote that swallowed the others. Never a row lost
silently."""

import pytest

from tests.imports.helpers import CAF_HEADER, caf_row, csv_bytes, domain_counts, issues, upload
from tests.imports.test_samples import SAMPLE_RUNS
from tests.imports.world import SAMPLES
from toit.imports.enums import JobStatus

CAF = "impayes_caf_msa"
pytestmark = pytest.mark.django_db


def physical_lines(data):
    """Lines as a text editor numbers them (\\n, \\r\\n or a lone \\r end one)."""
    return (
        data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")[: -1 if data.endswith((b"\n", b"\r")) else None]
    )


def assert_accounted(job, data):
    """Header + data rows + blank lines = lines of the file, and every data row is valid,
    already imported or refused; or the file is refused as a whole."""
    assert job.status == JobStatus.VALIDATED
    lines = physical_lines(data)
    blank = sum(1 for line in lines if not line.strip(b" \t;,|\xef\xbb\xbf"))
    if job.total_rows == 0:
        [(line, _column, _value, message)] = issues(job)
        assert line is not None and 1 <= line <= len(lines), message
        return message
    assert 1 + job.total_rows + blank == len(lines), (job.total_rows, blank, len(lines))
    assert job.valid_rows + job.already_imported_rows + job.rejected_rows == job.total_rows
    numbers = [line for line, *_ in issues(job)]
    assert all(2 <= n <= len(lines) for n in numbers if n is not None)
    return None


def variants(data):
    """The same file as other software writes it: LF, CRLF, old-Mac CR, blank lines."""
    lf = data.replace(b"\r\n", b"\n")
    lines = lf.split(b"\n")
    yield "lf", lf
    yield "crlf", lf.replace(b"\n", b"\r\n")
    yield "cr", lf.replace(b"\n", b"\r")
    yield "blank lines", b"\n".join([lines[0], b"", *lines[1:2], b"", b"", *lines[2:]])
    yield "no final newline", lf.rstrip(b"\n")


def stray_quote(data, line_number, separator):
    """`data` with a quote opening the second cell of physical line `line_number`."""
    lines = data.split(b"\n")
    first, _, rest = lines[line_number - 1].partition(separator)
    lines[line_number - 1] = first + separator + b'"' + rest
    return b"\n".join(lines)


CSV_SAMPLES = [(kind, run) for kind, run in SAMPLE_RUNS.items() if run[2].endswith(".csv")]


@pytest.mark.parametrize("kind, run", CSV_SAMPLES, ids=[kind for kind, _ in CSV_SAMPLES])
def test_every_line_of_every_sample_and_variant_is_accounted_for(world, kind, run):
    attribute, code, sample = run
    organisation, user = getattr(world, attribute), world.users[code]
    data = (SAMPLES / sample).read_bytes()
    # Numbers of the lines that hold something: the header, then the data rows.
    filled = [n for n, line in enumerate(physical_lines(data), 1) if line.strip()]
    separator = b"\t" if b"\t" in data.splitlines()[0] else (b";" if b";" in data.splitlines()[0] else b",")
    for name, variant in variants(data):
        job = upload(user, organisation, kind, variant, name=f"{name}.csv")
        assert assert_accounted(job, variant) is None, name
        assert job.total_rows == len(filled) - 1, name
    lf = data.replace(b"\r\n", b"\n")
    for line in (filled[1], filled[len(filled) // 2], filled[-1]):
        before = domain_counts()
        hostile = stray_quote(lf, line, separator)
        job = upload(user, organisation, kind, hostile, name="guillemet.csv")
        message = assert_accounted(job, hostile)
        if message is None:
            # The quote closed on its own line (the sample's next quoted cell): that line alone is refused.
            assert line in {n for n, *_ in issues(job)}, (line, issues(job))
        else:
            assert message.startswith(f"Guillemet non fermé à la ligne {line} du fichier"), (line, message)
        assert domain_counts() == before


@pytest.fixture
def big_file():
    return csv_bytes([CAF_HEADER] + [caf_row(f"A{i}") for i in range(3000)], newline="\n")


@pytest.mark.parametrize("line", [3, 1500, 2999])
@pytest.mark.parametrize("closed_at", [None, 3000])
def test_a_stray_quote_refuses_the_file_and_names_its_line(caf, big_file, line, closed_at):
    """The issue's file: one unbalanced quote on line 3 (or in the middle, or near the end),
    left open to the end, or closed by another stray quote further down."""
    hostile = stray_quote(big_file, line, b";")
    if closed_at:
        hostile = stray_quote(hostile, closed_at, b";")
    job = upload(*caf, CAF, hostile)
    message = assert_accounted(job, hostile)
    assert message is not None and message.startswith(f"Guillemet non fermé à la ligne {line} du fichier")
    assert (job.total_rows, job.valid_rows) == (0, 0)


def test_a_quote_left_open_on_the_last_line_refuses_that_line(caf, big_file):
    """Nothing after it to swallow: the last line alone is refused, with its number."""
    hostile = stray_quote(big_file, 3001, b";")
    job = upload(*caf, CAF, hostile)
    assert assert_accounted(job, hostile) is None
    assert (job.total_rows, job.valid_rows, job.rejected_rows) == (3000, 2999, 1)
    [(line, _column, _value, message)] = issues(job)
    assert line == 3001 and message.startswith("Guillemet ouvert jamais refermé")


def test_a_quote_closed_on_its_line_is_an_error_of_that_line_only(caf, big_file):
    """`"DURAND;Sylvie"`: two cells read as one, on one line: that row is refused, with its
    number, and all the others are read."""
    lines = big_file.split(b"\n")
    lines[9] = lines[9].replace(b"DURAND;Sylvie", b'"DURAND;Sylvie"')
    hostile = b"\n".join(lines)
    job = upload(*caf, CAF, hostile)
    assert assert_accounted(job, hostile) is None
    assert (job.total_rows, job.valid_rows, job.rejected_rows) == (3000, 2999, 1)
    assert {line for line, *_ in issues(job)} == {10}


def test_a_quoted_line_break_in_an_address_is_still_read(caf):
    """What a stray quote is told from: a cell written on two lines holds no separator
    after its line break."""
    header = [*CAF_HEADER, "Adresse"]
    data = csv_bytes([header, [*caf_row("A1"), '"12 rue de la Gare\nBâtiment B"'], [*caf_row("A2"), "3 rue X"]])
    job = upload(*caf, CAF, data)
    assert (job.total_rows, job.valid_rows) == (2, 2), issues(job)
