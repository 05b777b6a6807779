"""Reading one cell as partners write it: French and ISO dates, decimal commas and
thousands separators, oui/non, labels of a list, commune codes or names.

A cell type turns the cleaned text of a cell (or the native value an XLSX cell holds) into
a Python value, or raises CellError saying what is wrong and what was expected; `key` is
how the value enters a natural key.
"""

import datetime
import re
from decimal import Decimal
from itertools import repeat

from toit.eviction.dates import ImpossibleDate, check_birth_date, check_date
from toit.eviction.normalise import normalise_text
from toit.eviction.references import clean_reference


class CellError(Exception):
    def __init__(self, message, expected=""):
        super().__init__(message)
        self.message = message
        self.expected = expected


# Characters that are never text: control characters, the BOM, and spaces other than the
# plain one (no-break, narrow no-break, thin…), which become plain spaces.
NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u00a0\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]")
REPLACEMENT = "\ufffd"
# UTF-8 read as Windows-1252: « Ã© » for « é », « Ã¨ » for « è », « â€™ » for « ’ ».
MISDECODED = re.compile("[ÂÃ][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€")
ENCODING_HINT = (
    "un texte lisible : le fichier mêle sans doute deux encodages ; enregistrez-le en « CSV UTF-8 » "
    "depuis votre tableur, ou corrigez ce caractère"
)


def clean_text(raw):
    """Trimmed text with runs of spaces collapsed; "" for an empty cell."""
    if raw is None:
        return ""
    if raw.__class__ is not str:
        if isinstance(raw, float) and raw.is_integer():
            raw = str(int(raw))
        elif isinstance(raw, datetime.datetime | datetime.date):
            raw = raw.strftime("%d/%m/%Y")
        else:
            raw = str(raw)
    if not raw.isprintable():
        raw = NOT_TEXT.sub(" ", raw)
    raw = raw.strip()
    if raw.startswith('="') and raw.endswith('"') and len(raw) >= 3:
        # Excel's text guard (="0712345A" keeps a leading zero): the text is inside.
        raw = raw[2:-1].replace('""', '"').strip()
    if "  " in raw:
        raw = " ".join(raw.split())
    return raw


_MISSING = object()
MEMO_LIMIT = 200_000  # distinct spellings remembered per column and per job


class CellType:
    """Base: text in, text out. `description` is what the documentation and the error
    report say the column holds."""

    description = "texte"

    def parse(self, text, ctx):
        return text

    def parse_column(self, texts, ctx):
        """The batch counterpart of parse, for large files: (values, [(index, CellError)])
        for a column of cleaned texts ("" is an empty cell, read as None). Each spelling
        is parsed once per job: files repeat dates, first names and communes."""
        memo = ctx.memo.get(id(self))
        if memo is None:
            memo = ctx.memo[id(self)] = {"": None}
        values = list(map(memo.get, texts, repeat(_MISSING)))
        parse = self.parse
        for index in [i for i, v in enumerate(values) if v is _MISSING]:
            text = texts[index]
            try:
                result = parse(text, ctx)
            except CellError as exc:
                result = exc
            if len(memo) < MEMO_LIMIT:
                memo[text] = result
            values[index] = result
        errors = [(i, v) for i, v in enumerate(values) if v.__class__ is CellError]
        for index, _ in errors:
            values[index] = None
        return values, errors

    def parse_native(self, value, ctx):
        """An XLSX cell's typed value (float, date, bool…). Default: read it as text."""
        return self.parse(clean_text(value), ctx)

    def key(self, value):
        """How the value enters a natural key (toit.imports.mappings)."""
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, datetime.date) else str(value)

    def key_column(self, values, ctx):
        return list(map(self.key, values))


class Text(CellType):
    def __init__(self, max_length=255, description="texte"):
        self.max_length = max_length
        self.description = f"{description} ({max_length} caractères au plus)"

    def parse(self, text, ctx):
        if len(text) > self.max_length:
            raise CellError(
                f"Texte trop long ({len(text)} caractères)", f"au plus {self.max_length} caractères : abrégez-le"
            )
        return text

    def parse_column(self, texts, ctx):
        if type(self) is not Text:
            return super().parse_column(texts, ctx)
        # Free text rarely repeats: no memo, only the length to check.
        values = [t or None for t in texts]
        errors = []
        for index in [i for i, t in enumerate(texts) if len(t) > self.max_length]:
            try:
                self.parse(texts[index], ctx)
            except CellError as exc:
                errors.append((index, exc))
                values[index] = None
        return values, errors

    def key(self, value):
        return normalise_text(value)


class Name(Text):
    def __init__(self, max_length=150):
        super().__init__(max_length, "nom ou prénom")

    def parse(self, text, ctx):
        text = super().parse(text, ctx)
        if not any(c.isalpha() for c in text):
            raise CellError("Ce n'est pas un nom : aucune lettre", "un nom ou un prénom écrit en lettres")
        return text


class Identifier(CellType):
    """A partner's own identifier (numéro d'allocataire, référence locataire): spaces
    removed and upper-cased, so that "12 345 a" and "12345A" are one key."""

    description = "identifiant (lettres et chiffres)"

    def __init__(self, max_length=50):
        self.max_length = max_length

    def parse(self, text, ctx):
        value = "".join(text.split()).upper()
        if len(value) > self.max_length:
            raise CellError(f"Identifiant trop long ({len(value)} caractères)", f"au plus {self.max_length} caractères")
        return value

    def key_column(self, values, ctx):
        return ["" if v is None else v for v in values]

    def parse_column(self, texts, ctx):
        # Identifiers never repeat (that is their point): no memo.
        values = ["".join(t.split()).upper() if " " in t else t.upper() for t in texts]
        errors = [
            (i, CellError(f"Identifiant trop long ({len(v)} caractères)", f"au plus {self.max_length} caractères"))
            for i, v in enumerate(values)
            if len(v) > self.max_length
        ]
        for index, _ in errors:
            values[index] = None
        return [v or None for v in values], errors


class Date(CellType):
    """dd/mm/yyyy, d/m/yy (also with - or .), yyyy-mm-dd, with or without a time; XLSX date
    cells. Two-digit years are read in the past century window: 20yy when that year has
    come, else 19yy (birth dates: 20yy only for someone 16 or older)."""

    description = "date (jj/mm/aaaa ou aaaa-mm-jj)"
    EXPECTED = "une date jj/mm/aaaa (ex. 05/03/2010), j/m/aa ou aaaa-mm-jj"
    _FRENCH = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?)?")
    _ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")

    def __init__(self, past=True, birth=False, description=None):
        self.past = past
        self.birth = birth
        if description:
            self.description = description

    def _year(self, text, ctx):
        year = int(text)
        if len(text) == 4:
            return year
        this_year = ctx.today.year - (16 if self.birth else 0)
        return 2000 + year if 2000 + year <= this_year else 1900 + year

    def _parse_text(self, text, ctx):
        if m := self._FRENCH.fullmatch(text):
            day, month, year = int(m[1]), int(m[2]), self._year(m[3], ctx)
        elif m := self._ISO.fullmatch(text):
            year, month, day = int(m[1]), int(m[2]), int(m[3])
        elif text.isdigit() and 20000 <= int(text) <= 80000:
            raise CellError(
                "Date écrite comme un nombre (numéro de série Excel)",
                "une date : dans le tableur, donnez à la colonne le format « Date » avant d'exporter",
            )
        else:
            raise CellError("Format de date non reconnu", self.EXPECTED)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise CellError("Cette date n'existe pas", f"{self.EXPECTED} : vérifiez le jour et le mois") from None

    def parse(self, text, ctx):
        return self._check(self._parse_text(text, ctx), ctx)

    def parse_native(self, value, ctx):
        if isinstance(value, datetime.datetime):
            return self._check(value.date(), ctx)
        if isinstance(value, datetime.date):
            return self._check(value, ctx)
        if isinstance(value, int | float) and not isinstance(value, bool):
            # A date-formatted cell comes as a date (calamine reads the format): a bare number
            # is not a date, whatever Excel would make of it (1975 as a serial is 1905-05-28).
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            raise CellError(
                f"Nombre {shown} dans une colonne de dates : la cellule n'est pas au format date",
                "une date (cellule au format date dans le tableur, ou texte jj/mm/aaaa)",
            )
        return self.parse(clean_text(value), ctx)

    def key_column(self, values, ctx):
        from toit.imports.packing import iso_dates

        return iso_dates(values, ctx.iso)

    def _check(self, value, ctx):
        # The rule the API and the forms apply too (toit.eviction.dates).
        try:
            if self.birth:
                return check_birth_date(value, today=ctx.today)
            return check_date(value, today=ctx.today, past=self.past)
        except ImpossibleDate as exc:
            raise CellError(exc.message, exc.expected) from None


class Month(Date):
    """A month: « 03/2010 », « 2010-03 », « mars 2010 », or its first day as a date (a
    date cell of a spreadsheet). Read as the first day of the month; any other day is
    refused rather than guessed."""

    description = "mois (mm/aaaa, aaaa-mm ou « mars 2010 »)"
    EXPECTED_MONTH = "un mois mm/aaaa (ex. 03/2010), aaaa-mm ou « mars 2010 »"
    _NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{4})")
    _ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
    _NAMED = re.compile(r"([a-zéû]+)\.?\s+(\d{4})")
    NAMES = {
        "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3, "avril": 4,
        "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9,
        "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12,
        "déc": 12, "dec": 12,
    }  # fmt: skip

    def __init__(self):
        super().__init__(past=True)

    def _parse_text(self, text, ctx):
        lowered = text.strip().lower()
        for pattern, order in ((self._NUMERIC, "my"), (self._ISO_MONTH, "ym"), (self._NAMED, "ny")):
            if m := pattern.fullmatch(lowered):
                if order == "ny":
                    if m[1] not in self.NAMES:
                        raise CellError(f"Mois « {m[1]} » inconnu", self.EXPECTED_MONTH)
                    month, year = self.NAMES[m[1]], int(m[2])
                else:
                    month, year = (int(m[1]), int(m[2])) if order == "my" else (int(m[2]), int(m[1]))
                if not 1 <= month <= 12:
                    raise CellError("Ce mois n'existe pas", self.EXPECTED_MONTH)
                return datetime.date(year, month, 1)
        try:
            day = super()._parse_text(text, ctx)
        except CellError:
            raise CellError("Format de mois non reconnu", self.EXPECTED_MONTH) from None
        return day

    def _check(self, value, ctx):
        if value.day != 1:
            raise CellError(
                f"Une date du {value:%d/%m/%Y} au lieu d'un mois",
                f"le mois seul ({value:%m/%Y}) ou son premier jour (01/{value:%m/%Y})",
            )
        return super()._check(value, ctx)


class Money(CellType):
    """Amounts in euros: "1 234,56", "1.234,56", "1234.56", "1 234 €"; never negative, two
    decimals at most. A single dot followed by exactly three digits ("1.234") is a
    thousands separator, as French spreadsheets write it."""

    description = "montant en euros (ex. 1 234,56)"
    EXPECTED = "un montant positif en euros, avec au plus deux décimales (ex. 1 234,56)"
    _SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'’€")
    _PLAIN = re.compile(r"\d{1,12}(?:\.\d{1,2})?")
    _DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")

    def __init__(self, max_digits=10):
        self.limit = Decimal(10) ** (max_digits - 2)

    def parse(self, text, ctx):
        compact = text.translate(self._SPACES)
        if compact[-3:].upper() == "EUR":
            compact = compact[:-3]
        if compact.startswith("-") or (compact.startswith("(") and compact.endswith(")")):
            raise CellError("Montant négatif", "un montant positif ou nul : une dette s'écrit sans signe moins")
        if "," in compact and "." in compact:
            decimal_mark = "," if compact.rfind(",") > compact.rfind(".") else "."
            thousands = "." if decimal_mark == "," else ","
            compact = compact.replace(thousands, "").replace(decimal_mark, ".")
        elif "," in compact:
            if compact.count(",") > 1:
                raise CellError("Montant illisible (plusieurs virgules)", self.EXPECTED)
            compact = compact.replace(",", ".")
        elif compact.count(".") > 1 or self._DOT_THOUSANDS.fullmatch(compact):
            if not self._DOT_THOUSANDS.fullmatch(compact):
                raise CellError("Montant illisible (points mal placés)", self.EXPECTED)
            compact = compact.replace(".", "")
        if not self._PLAIN.fullmatch(compact):
            if re.fullmatch(r"\d+\.\d{3,}", compact):
                raise CellError("Plus de deux décimales", self.EXPECTED)
            raise CellError("Montant illisible", self.EXPECTED)
        value = Decimal(compact)
        if value >= self.limit:
            raise CellError("Montant trop élevé", f"un montant inférieur à {self.limit:,.0f} €".replace(",", " "))
        return value

    _COMMON = re.compile(r"\d{1,8}(?:,\d{1,2})?")  # "1234,56": what most files write

    def parse_column(self, texts, ctx):
        # Amounts rarely repeat: no memo, and a shortcut for the common spelling.
        values, errors = [], []
        common, parse, spaces = self._COMMON.fullmatch, self.parse, self._SPACES
        for index, text in enumerate(texts):
            if not text:
                values.append(None)
            elif common(compact := text.translate(spaces)):
                values.append(Decimal(compact.replace(",", ".")))
            else:
                try:
                    values.append(parse(text, ctx))
                except CellError as exc:
                    values.append(None)
                    errors.append((index, exc))
        return values, errors

    def parse_native(self, value, ctx):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value < 0:
                raise CellError("Montant négatif", "un montant positif ou nul")
            rounded = round(value, 2)
            if abs(rounded - value) > 1e-6:
                raise CellError("Plus de deux décimales", self.EXPECTED)
            return self.parse(f"{rounded:.2f}", ctx)
        return self.parse(clean_text(value), ctx)


class Count(CellType):
    description = "nombre entier positif"

    def __init__(self, maximum=32767):
        self.maximum = maximum

    def parse(self, text, ctx):
        compact = text.replace(" ", "")
        if re.fullmatch(r"\d+[.,]0+", compact):
            compact = re.split(r"[.,]", compact)[0]
        if not compact.isdigit():
            raise CellError("Ce n'est pas un nombre entier positif", "un nombre entier, sans décimale (ex. 3)")
        value = int(compact)
        if value > self.maximum:
            raise CellError("Nombre trop grand", f"un nombre entre 0 et {self.maximum}")
        return value


class Boolean(CellType):
    description = "oui ou non"
    TRUE = {"oui", "o", "vrai", "x", "1", "true", "yes", "y"}
    FALSE = {"non", "n", "faux", "0", "false", "no"}

    def parse(self, text, ctx):
        word = normalise_text(text)
        if word in self.TRUE:
            return True
        if word in self.FALSE:
            return False
        raise CellError("Valeur non reconnue", "« oui » ou « non »")

    def parse_native(self, value, ctx):
        if isinstance(value, bool):
            return value
        return self.parse(clean_text(value), ctx)


def choice_key(text):
    return normalise_text(text).replace(" ", "")


class Choice(CellType):
    """One value of a list, written as its label, its code or a declared synonym; case,
    accents, spaces and punctuation are ignored."""

    def __init__(self, choices, synonyms=None, description="une valeur de la liste"):
        """`choices`: a TextChoices class or (value, label) pairs; `synonyms`: {text: value}."""
        pairs = list(getattr(choices, "choices", choices))
        self.labels = {value: label for value, label in pairs}
        self.lookup = {}
        for value, label in pairs:
            self.lookup[choice_key(value)] = value
            self.lookup[choice_key(label)] = value
            # "Délais de paiement" for "Délais de paiement (clause résolutoire suspendue)".
            self.lookup.setdefault(choice_key(label.split(" (")[0]), value)
        for text, value in (synonyms or {}).items():
            self.lookup[choice_key(text)] = value
        self.description = f"{description} : " + ", ".join(f"« {label} »" for label in self.labels.values())

    def parse(self, text, ctx):
        value = self.lookup.get(choice_key(text))
        if value is None:
            raise CellError("Valeur inconnue", "l'une de ces valeurs : " + " ; ".join(self.labels.values()))
        return value


class Commune(CellType):
    """A commune of the loaded territory, by INSEE code (72181) or by name (Le Mans)."""

    description = "commune : code INSEE (ex. 72181) ou nom"

    def parse(self, text, ctx):
        return ctx.lookups.commune(text)


class FileReference(CellType):
    description = "référence de dossier Toit (ex. PX-7K3M-Q9TD)"

    def parse(self, text, ctx):
        reference = clean_reference(text)
        if not reference:
            raise CellError(
                "Référence de dossier invalide", "une référence de dossier Toit, du type PX-7K3M-Q9TD (page du dossier)"
            )
        return reference


class Landlord(CellType):
    """A landlord: a social landlord known to Toit (by code or name), otherwise the name
    of a private landlord. Parsed to ("social", organisation id) or ("prive", name)."""

    description = "bailleur : code ou nom d'un bailleur social, sinon nom du bailleur privé"

    def parse(self, text, ctx):
        if len(text) > 255:
            raise CellError(f"Nom de bailleur trop long ({len(text)} caractères)", "au plus 255 caractères")
        return ctx.lookups.landlord(text)

    def key(self, value):
        return f"{value[0]}:{value[1]}" if value else ""


class EnergyLabel(CellType):
    """A DPE's energy class: one letter of A to G, also written « classe D » or « étiquette D »."""

    description = "une lettre de A à G"
    _WORDS = re.compile(r"^(?:classe|etiquette|etiquette energie|dpe)\s*")

    def parse(self, text, ctx):
        letter = self._WORDS.sub("", normalise_text(text)).upper()
        if letter in {"A", "B", "C", "D", "E", "F", "G"}:
            return letter
        raise CellError(
            f"Étiquette « {text[:20]} » hors de l'échelle du DPE",
            "une lettre de A (la plus économe) à G (la plus énergivore), celle de l'étiquette énergie du DPE",
        )


class Consumption(CellType):
    """A DPE's primary energy consumption in kWh/m²/an: « 245 », « 245,6 » (rounded to the
    unit, as stored), « 1 250 kWh/m²/an ». Outside 1-1 999 it is not a yearly figure per
    square metre: the dwelling's yearly total, or a typing error."""

    description = "nombre de kWh d'énergie primaire par m² et par an (ex. 245), de 1 à 1 999"
    EXPECTED = "la consommation du DPE en kWh/m²/an, un nombre comme 245 ou 245,6"
    PLAUSIBLE = (1, 1999)
    _UNIT = re.compile(r"\s*kwh.*$", re.IGNORECASE)
    _NUMBER = re.compile(r"\d{1,7}(?:[.,]\d+)?")

    def parse(self, text, ctx):
        compact = self._UNIT.sub("", text).translate(str.maketrans("", "", " \u00a0\u202f\u2009"))
        if not self._NUMBER.fullmatch(compact):
            raise CellError("Ce n'est pas un nombre de kWh/m²/an", self.EXPECTED)
        value = int(Decimal(compact.replace(",", ".")).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
        low, high = self.PLAUSIBLE
        if not low <= value <= high:
            raise CellError(
                f"Consommation invraisemblable pour un DPE ({value} kWh/m²/an)",
                f"un nombre de kWh/m²/an entre {low} et {high} : vérifiez qu'il ne s'agit pas de la consommation "
                "annuelle totale du logement, ou d'une faute de frappe",
            )
        return value

    def parse_native(self, value, ctx):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.parse(f"{value:f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value), ctx)
        return self.parse(clean_text(value), ctx)


class BanId(CellType):
    """A Base Adresse Nationale identifier (clé d'interopérabilité, « 72181_2270_00012 »),
    read in lower case without spaces, as the BAN writes it."""

    description = "identifiant BAN de l'adresse (ex. 72181_2270_00012)"
    _SHAPE = re.compile(r"[0-9][0-9ab][0-9]{3}_[0-9a-z]{4,}_[0-9]{5}(?:_[0-9a-z]+)?")

    def parse(self, text, ctx):
        value = "".join(text.split()).lower()
        if not self._SHAPE.fullmatch(value):
            raise CellError(
                "Identifiant BAN mal formé",
                "la clé d'interopérabilité de la BAN : code INSEE, voie, numéro sur 5 chiffres (ex. 72181_2270_00012), "
                "ou la cellule vide et l'adresse",
            )
        return value
