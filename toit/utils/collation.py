"""French alphabetical order (Écommoy and Étival among the E, not after Yvré): ICU's
French collation, never a hand-written key.

In queries, `french("name")` orders by the « fr-FR-x-icu » collation: PostgreSQL has it
(built with ICU); on SQLite, Toit registers a collation of the same name on every connection
(`register_sqlite_collation`, connected in toit.territory's AppConfig) that compares with
PyICU. The SQL is thus the same on both databases, and so is the order. Lists already in
Python are sorted with `french_sorted`."""

import icu
from django.db.models import F
from django.db.models.functions import Collate
from django.forms.models import ModelChoiceField, ModelChoiceIterator, ModelChoiceIteratorValue

FRENCH_ICU = "fr-FR-x-icu"
_COLLATOR = icu.Collator.createInstance(icu.Locale("fr_FR"))


def french_key(text):
    return _COLLATOR.getSortKey(text or "")


def french_sorted(items, key=str):
    return sorted(items, key=lambda item: french_key(key(item)))


def french(field):
    """An order_by() term: `field` (« -field » for the reverse order) in French order."""
    descending = field.startswith("-")
    collated = Collate(F(field.lstrip("-")), FRENCH_ICU)
    return collated.desc() if descending else collated.asc()


def _compare(left, right):
    return _COLLATOR.compare(left, right)


def register_sqlite_collation(sender, connection, **kwargs):
    """On SQLite, make « fr-FR-x-icu » a collation of the new connection, as PostgreSQL has."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(FRENCH_ICU, _compare)


class FrenchChoiceIterator(ModelChoiceIterator):
    """The choices of a ModelChoiceField in French order of their labels (one query, as
    before): set `field.iterator = FrenchChoiceIterator`.

    A model that says which fields its label reads (`choice_label_fields`, and the
    `choice_label` function of their values its __str__ also uses) is read as values rather
    than instances, unless the field labels or keys its choices its own way: the search
    form's 350 communes and 250 organisations cost about 10 ms as instances on every search
    (bench/eviction.py), for two strings each."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        model = self.queryset.model
        fields = getattr(model, "choice_label_fields", None)
        own_way = type(self.field).label_from_instance is not ModelChoiceField.label_from_instance
        if fields is None or own_way or self.field.to_field_name:
            for obj in french_sorted(self.queryset, key=self.field.label_from_instance):
                yield self.choice(obj)
            return
        labelled = [(row[0], model.choice_label(*row[1:])) for row in self.queryset.values_list("pk", *fields)]
        for pk, label in french_sorted(labelled, key=lambda choice: choice[1]):
            # No instance: these choices are only ever written as option values.
            yield (ModelChoiceIteratorValue(pk, None), label)
