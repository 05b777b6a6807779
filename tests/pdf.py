"""Reading what a PDF says, the same way on every machine: pypdf (a test dependency) reads
the file's own text, never an optional tool such as poppler's pdftotext."""

import io
import re

import pypdf

# French digit grouping: a space, a no-break space or a narrow no-break space (U+202F, what
# French typography and WeasyPrint's output use) between groups of three digits.
GROUPED_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+")
GROUP_SEPARATORS = re.compile(r"[ \u00a0\u202f\u2009]")


def pdf_text(pdf_bytes):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def numbers_in(text):
    """Every whole number the text shows, its French grouping removed: « 154 150 » is 154150."""
    return {int(GROUP_SEPARATORS.sub("", match)) for match in GROUPED_NUMBER.findall(text)}
