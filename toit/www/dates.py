"""Dates typed the French way, whatever the browser's language. A date input
(type="date") shows and reads dates in the browser's locale: typed « 15072010 » in a
browser set to English, it was stored as 07/12/2010. Toit's date fields are text inputs
read by one parser: jj/mm/aaaa (or with - . or spaces), jjmmaaaa, and aaaa-mm-jj (what
programs and older pages send). Anything else is refused with a message saying what to
type; a two-digit year is refused rather than guessed."""

import datetime
import re

from django import forms

DATE_HINT = "Format : jj/mm/aaaa, par exemple 15/07/2010."

_FRENCH = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2,4})$")
_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class DateParseError(ValueError):
    pass


def parse_french_date(text):
    """The date `text` names, or DateParseError with a French message."""
    text = (text or "").strip()
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DIGITS.match(text) or _FRENCH.match(text):
        day, month, year_text = match.groups()
        if len(year_text) != 4:
            raise DateParseError(
                f"« {text} » : indiquez l'année sur quatre chiffres (jj/mm/aaaa), par exemple 15/07/2010."
            )
        day, month, year = int(day), int(month), int(year_text)
    else:
        raise DateParseError(
            f"« {text} » n'est pas une date : tapez-la sous la forme jj/mm/aaaa, par exemple 15/07/2010."
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise DateParseError(
            f"« {text} » n'existe pas dans le calendrier (jour {day}, mois {month}, année {year}) : vérifiez-la."
        ) from None


class FrenchDateInput(forms.TextInput):
    """A text input that shows dates as jj/mm/aaaa and lets the numeric keypad come up."""

    def __init__(self, attrs=None):
        defaults = {"inputmode": "numeric", "autocomplete": "off", "placeholder": "jj/mm/aaaa", "maxlength": "10"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return super().format_value(value)


class FrenchDateField(forms.DateField):
    widget = FrenchDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_french_date(str(value))
        except DateParseError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except forms.ValidationError:
            return True
