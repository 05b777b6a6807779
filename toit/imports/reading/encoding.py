"""The encoding of a CSV file, detected on a sample of its first bytes with
charset-normalizer among those partners' software produce: UTF-8 (with or without BOM),
Windows-1252 and ISO-8859-1."""

import codecs

from charset_normalizer import from_bytes

from toit.imports.problems import file_problem

SAMPLE_BYTES = 256 * 1024
UTF8 = "UTF-8"
UTF8_BOM = "UTF-8 (avec BOM)"
WINDOWS_1252 = "Windows-1252"
LATIN_1 = "ISO-8859-1"
# Bytes that Windows-1252 prints (€, œ, ’, «…) and ISO-8859-1 leaves as control codes.
_OUTSIDE_CP1252_ONLY = bytes(range(0x80)) + bytes(range(0xA0, 0x100))


def detect_encoding(sample, at_eof):
    """(codec to decode with, label shown to the user) for a file starting with `sample`;
    `at_eof` says the sample is the whole file. Single-byte files are always decoded as
    Windows-1252: it prints everything ISO-8859-1 prints, and the 0x80-0x9F range that
    only it defines."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", UTF8_BOM
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise file_problem(
            "Fichier encodé en UTF-16 (« texte Unicode » d'Excel) : cet encodage n'est pas lu",
            "un fichier en UTF-8, Windows-1252 ou ISO-8859-1 : dans le tableur, enregistrez sous « CSV UTF-8 »",
        )
    match = from_bytes(sample, cp_isolation=["utf_8", "cp1252", "latin_1"]).best()
    if match is None:
        raise file_problem(
            "Encodage du fichier non reconnu : ce n'est sans doute pas un fichier texte",
            "un fichier CSV en UTF-8, Windows-1252 ou ISO-8859-1",
        )
    if match.encoding in ("utf_8", "ascii"):
        # A sample cut in the middle of a character still is UTF-8: check it incrementally.
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=at_eof)
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8", UTF8
    if sample.translate(None, _OUTSIDE_CP1252_ONLY):
        return "cp1252", WINDOWS_1252
    return "cp1252", LATIN_1
