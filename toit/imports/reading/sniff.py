"""What a file really is, from its first bytes rather than its name: a CSV renamed .xlsx
(or the reverse) is named as such, with how to fix it."""

from toit.imports.problems import file_problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls), Word .doc
PDF_MAGIC = b"%PDF"


def sniff_format(head, extension):
    """ "csv" or "xlsx" for a file starting with `head` and named with `extension`
    (".csv", ".xlsx"…), or FileProblem."""
    if not head:
        raise file_problem(
            "Le fichier est vide (0 octet)", "un fichier CSV ou XLSX avec une ligne d'en-tête et des lignes de données"
        )
    if head.startswith(OLE_MAGIC):
        raise file_problem(
            "Classeur Excel 97-2003 (.xls) : ce format n'est pas lu",
            "un classeur .xlsx ou un fichier CSV : ouvrez-le dans votre tableur et enregistrez-le au format .xlsx",
        )
    if head.startswith(PDF_MAGIC):
        raise file_problem("Ce fichier est un PDF", "un fichier CSV ou XLSX exporté du tableur ou du logiciel métier")
    is_zip = head.startswith(ZIP_MAGIC)
    if extension == ".xlsx":
        if not is_zip:
            raise file_problem(
                "Le fichier porte l'extension .xlsx mais n'est pas un classeur Excel : son contenu est du texte "
                "(sans doute un CSV renommé)",
                "un vrai classeur .xlsx, ou le même fichier renommé en .csv",
            )
        return "xlsx"
    if is_zip:
        raise file_problem(
            f"Le fichier porte l'extension {extension} mais c'est une archive ou un classeur Excel",
            "un fichier CSV (texte) ; si c'est un classeur Excel, renommez-le en .xlsx",
        )
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise file_problem(
            "Ce fichier n'est pas un fichier texte (il contient des octets nuls)",
            "un fichier CSV exporté du tableur (« CSV UTF-8 » ou « CSV (séparateur : point-virgule) »)",
        )
    return "csv"
