"""How partners misspell the same person, for synthetic data with a known truth: the demo
(toit.priority_access.demo) and the linkage benchmark (bench/linkage.py). No Django."""

import datetime
import unicodedata
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Person:
    last_name: str
    first_name: str
    birth_name: str
    birth_date: datetime.date | None
    commune: object  # a Commune, or a postcode string in the benchmark


def strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def spelled_by_a_partner(person, rng):
    """The person as another partner's file records them: accents dropped and upper case,
    « née X », a compound first name cut, first and last names in the wrong boxes, two
    letters swapped, day and month swapped, birth date missing."""
    last, first, birth, born = person.last_name, person.first_name, person.birth_name, person.birth_date
    roll = rng.random()
    if roll < 0.30:
        last, first = strip_accents(last).upper(), strip_accents(first)
    elif roll < 0.45:
        last = last.upper()
    elif roll < 0.55 and birth:
        last, birth = f"{last} née {birth}", ""
    elif roll < 0.62 and "-" in first:
        first = first.split("-")[0]
    elif roll < 0.66:
        last, first = first, last  # typed in the wrong boxes
    elif roll < 0.72 and len(last) > 4:
        i = rng.randrange(1, len(last) - 2)
        last = last[:i] + last[i + 1] + last[i] + last[i + 2 :]  # two letters swapped
    if born and rng.random() < 0.05 and born.day <= 12 and born.day != born.month:
        born = datetime.date(born.year, born.day, born.month)
    elif rng.random() < 0.05:
        born = None
    return replace(person, last_name=last, first_name=first, birth_name=birth, birth_date=born)
