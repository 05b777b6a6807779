"""French alphabetical order (Écommoy and Étival among the E, not after Yvré): ICU's
French collation, never a hand-written key. PostgreSQL has it as the « fr-FR-x-icu »
collation; SQLite has none, so lists shown to people are sorted in Python with PyICU, which
gives the same order on both databases."""

import icu
from django.forms.models import ModelChoiceIterator

FRENCH_ICU = "fr-FR-x-icu"
_COLLATOR = icu.Collator.createInstance(icu.Locale("fr_FR"))


def french_key(text):
    return _COLLATOR.getSortKey(text or "")


def french_sorted(items, key=str):
    return sorted(items, key=lambda item: french_key(key(item)))


class FrenchChoiceIterator(ModelChoiceIterator):
    """The choices of a ModelChoiceField in French order of their labels (one query, as
    before): set `field.iterator = FrenchChoiceIterator`."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in french_sorted(self.queryset, key=self.field.label_from_instance):
            yield self.choice(obj)
