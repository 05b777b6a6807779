"""QuickSelect writes the same select as Django's, without a template per option."""

import pytest
from django import forms
from django.test.html import parse_html

from toit.www.widgets import QuickSelect

FLAT = [("", "Toutes"), ("72181", "Le Mans"), ("72003", 'Allonnes <& "guillemets">')]
GROUPED = [
    ("Département", [("departement-72", "Département (72)")]),
    ("EPCI", [("epci-247200132", "Le Mans Métropole"), ("epci-200072684", "Sablé & environs")]),
    ("Communes", [("commune-72181", "Le Mans"), ("commune-72003", "Allonnes")]),
]


@pytest.mark.parametrize(
    "choices, value",
    [
        (FLAT, None),
        (FLAT, "72181"),
        (FLAT, "absent"),
        (GROUPED, "epci-200072684"),
        (GROUPED, ""),
    ],
)
def test_same_markup_as_djangos_select(choices, value):
    attrs = {"id": "id_territoire", "class": "fr-select"}
    ours = QuickSelect(attrs=attrs, choices=choices).render("territoire", value)
    django = forms.Select(attrs=attrs, choices=choices).render("territoire", value)
    assert parse_html(ours) == parse_html(django)


def test_labels_and_group_names_are_escaped():
    html = QuickSelect(choices=[("<g>", [("<v>", "<script>alert(1)</script>")])]).render("x", None)
    assert "<script>" not in html
    assert 'label="&lt;g&gt;"' in html
    assert 'value="&lt;v&gt;"' in html
