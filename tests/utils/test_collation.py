from tests.territory.factories import CommuneFactory
from toit.utils.collation import french_sorted
from toit.www.eviction.forms import SearchForm


def test_french_order_puts_accented_names_among_their_letter():
    names = ["Yvré-l'Évêque", "Étival-lès-le-Mans", "Allonnes", "Écommoy", "Ecorpain", "Zèbre"]
    assert french_sorted(names) == ["Allonnes", "Écommoy", "Ecorpain", "Étival-lès-le-Mans", "Yvré-l'Évêque", "Zèbre"]


def test_commune_choices_are_in_french_order(db):
    for insee, name in [("72386", "Yvré-l'Évêque"), ("72124", "Étival-lès-le-Mans"), ("72003", "Allonnes")]:
        CommuneFactory(insee_code=insee, name=name)
    labels = [label for value, label in SearchForm().fields["commune"].choices if value != ""]
    assert [label.split(" (")[0] for label in labels] == ["Allonnes", "Étival-lès-le-Mans", "Yvré-l'Évêque"]
