import pytest
from django.test import Client
from django.utils.html import escape

from tests.accommodation.factories import StructureFactory
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory, DepartmentFactory
from toit.organisations.enums import Role
from toit.territory.models import Commune
from toit.utils.collation import french, french_sorted
from toit.www.eviction.forms import SearchForm


def test_french_order_puts_accented_names_among_their_letter():
    names = ["Yvré-l'Évêque", "Étival-lès-le-Mans", "Allonnes", "Écommoy", "Ecorpain", "Zèbre"]
    assert french_sorted(names) == ["Allonnes", "Écommoy", "Ecorpain", "Étival-lès-le-Mans", "Yvré-l'Évêque", "Zèbre"]


def test_commune_choices_are_in_french_order(db):
    for insee, name in [("72386", "Yvré-l'Évêque"), ("72124", "Étival-lès-le-Mans"), ("72003", "Allonnes")]:
        CommuneFactory(insee_code=insee, name=name)
    labels = [label for value, label in SearchForm().fields["commune"].choices if value != ""]
    assert [label.split(" (")[0] for label in labels] == ["Allonnes", "Étival-lès-le-Mans", "Yvré-l'Évêque"]


def _instance_choices(field):
    """The choices as the instances would label them (ModelChoiceField's own way)."""
    return [("", field.empty_label)] + [
        (str(obj.pk), field.label_from_instance(obj)) for obj in french_sorted(field.queryset, key=str)
    ]


def test_choices_read_as_values_are_those_the_instances_give(db, django_assert_num_queries):
    """Communes and organisations are read as values (FrenchChoiceIterator): same values,
    labels and order as from the instances, and one query per list."""
    for index, name in enumerate(SHUFFLED):
        CommuneFactory(insee_code=f"7290{index}", name=name)
        OrganisationFactory(code=f"ORG{index}", name=name)
    CommuneFactory(insee_code="72999", name="Le Mans")  # a namesake: the code tells them apart
    form = SearchForm()
    for name in ("commune", "organisation"):
        field = form.fields[name]
        with django_assert_num_queries(1):
            choices = [(str(value), label) for value, label in field.choices]
        assert choices == _instance_choices(field)
    communes = [label for value, label in form.fields["commune"].choices if value != ""]
    assert communes[3:5] == ["Le Mans (72901)", "Le Mans (72999)"]


def test_a_field_that_labels_its_own_way_keeps_its_labels(db):
    from django import forms

    from toit.utils.collation import FrenchChoiceIterator

    class ByCode(forms.ModelChoiceField):
        def label_from_instance(self, obj):
            return f"{obj.insee_code} — {obj.name}"

    for index, name in enumerate(SHUFFLED):
        CommuneFactory(insee_code=f"7290{index}", name=name)
    field = ByCode(queryset=Commune.objects.all())
    field.iterator = FrenchChoiceIterator
    labels = [label for value, label in field.choices if value != ""]
    assert labels == french_sorted([f"7290{index} — {name}" for index, name in enumerate(SHUFFLED)])


def test_a_field_keyed_by_another_field_keeps_its_values(db):
    from django import forms

    from toit.utils.collation import FrenchChoiceIterator

    commune = CommuneFactory(insee_code="72181", name="Le Mans")
    field = forms.ModelChoiceField(queryset=Commune.objects.all(), to_field_name="insee_code")
    field.iterator = FrenchChoiceIterator
    assert [(str(value), label) for value, label in field.choices][1:] == [("72181", "Le Mans (72181)")]
    assert field.clean("72181") == commune


def test_a_choice_read_as_a_value_validates_and_renders_selected(db):
    commune = CommuneFactory(insee_code="72181", name="Le Mans")
    form = SearchForm(data={"commune": str(commune.pk)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == commune
    assert f'<option value="{commune.pk}" selected>Le Mans (72181)</option>' in str(form["commune"])


# The names of issue 15, in French order: « école » and « Écommoy » among the E, whatever
# the case and the accents, before « Le Mans » and « Yvré-l'Évêque ».
FRENCH_ORDER = ["école", "Écommoy", "Étival-lès-le-Mans", "Le Mans", "Yvré-l'Évêque"]
SHUFFLED = ["Yvré-l'Évêque", "Le Mans", "Étival-lès-le-Mans", "école", "Écommoy"]


def test_queries_order_names_in_french_on_this_database(db):
    """The same SQL on PostgreSQL (its ICU collation) and SQLite (the collation Toit
    registers under the same name)."""
    for index, name in enumerate(SHUFFLED):
        CommuneFactory(insee_code=f"7290{index}", name=name)
    names = list(Commune.objects.order_by(french("name"), "pk").values_list("name", flat=True))
    assert names == FRENCH_ORDER
    assert list(Commune.objects.order_by(french("-name")).values_list("name", flat=True)) == FRENCH_ORDER[::-1]


def test_lists_with_no_order_of_their_own_are_in_french_order(db):
    """The models' default order (admin lists, choices, any query without order_by) is the
    French one too, for names people read."""
    from toit.organisations.models import Organisation

    for index, name in enumerate(SHUFFLED):
        CommuneFactory(insee_code=f"7290{index}", name=name)
        OrganisationFactory(code=f"ORG{index}", name=name)
    assert list(Commune.objects.values_list("name", flat=True)) == FRENCH_ORDER
    assert list(Organisation.objects.filter(code__startswith="ORG").values_list("name", flat=True)) == FRENCH_ORDER


@pytest.fixture
def structures():
    department = DepartmentFactory()
    for name in SHUFFLED:
        StructureFactory(department=department, name=name)
    client = Client()
    client.force_login(member_of(OrganisationFactory(), role=Role.OBSERVATORY))
    return client


def test_a_page_lists_names_in_french_order(structures, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        body = structures.get("/hebergement/72/structures/").content.decode()
    positions = [body.index(f">{escape(name)}</a>") for name in FRENCH_ORDER]
    assert positions == sorted(positions)


def test_a_paginated_api_list_pages_in_french_order(structures):
    first = structures.get("/api/accommodation/structures/", {"department": "72", "limit": 2}).json()
    second = structures.get(first["next"]).json()
    third = structures.get(second["next"]).json()
    names = [row["name"] for page in (first, second, third) for row in page["results"]]
    assert names == FRENCH_ORDER and third["next"] is None
