import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toit.eviction.enums import FslResult
from toit.imports.cells import Boolean, CellError, Choice, Count, Date, Identifier, Money, Name, Text, clean_text
from toit.imports.context import Context

D = datetime.date


@pytest.fixture
def ctx(world):
    return Context(world.caf, world.users["CAF72"], today=D(2012, 12, 31))


class TestDate:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("05/03/2010", D(2010, 3, 5)),
            ("5/3/2010", D(2010, 3, 5)),
            ("5/3/10", D(2010, 3, 5)),
            ("05-03-2010", D(2010, 3, 5)),
            ("05.03.2010", D(2010, 3, 5)),
            ("2010-03-05", D(2010, 3, 5)),
            ("2010-03-05 00:00:00", D(2010, 3, 5)),
            ("2010-03-05T00:00:00", D(2010, 3, 5)),
            ("05/03/2010 14:30", D(2010, 3, 5)),
            ("31/12/99", D(1999, 12, 31)),
        ],
    )
    def test_french_and_iso_dates(self, ctx, text, expected):
        assert Date().parse(text, ctx) == expected

    def test_two_digit_birth_year_makes_an_adult(self, ctx):
        assert Date(birth=True).parse("12/04/75", ctx) == D(1975, 4, 12)
        assert Date(birth=True).parse("12/04/05", ctx) == D(1905, 4, 12)  # 2005 would be a 7-year-old tenant
        assert Date().parse("12/04/05", ctx) == D(2005, 4, 12)

    @pytest.mark.parametrize(
        "text, message",
        [
            ("31/02/2010", "Cette date n'existe pas"),
            ("13/13/2010", "Cette date n'existe pas"),
            ("mars 2010", "Format de date non reconnu"),
            ("2010/03/05", "Format de date non reconnu"),
            ("40238", "numéro de série Excel"),
            ("05/03/2013", "Date dans le futur (nous sommes le 31/12/2012)"),
            ("01/01/1850", "Date antérieure à 1900"),
        ],
    )
    def test_errors_say_what_and_what_is_expected(self, ctx, text, message):
        with pytest.raises(CellError) as error:
            Date().parse(text, ctx)
        assert message in error.value.message
        assert error.value.expected

    def test_hearing_dates_may_be_ahead(self, ctx):
        assert Date(past=False).parse("05/03/2013", ctx) == D(2013, 3, 5)

    def test_xlsx_cells(self, ctx):
        assert Date().parse_native(datetime.datetime(2010, 3, 5, 0, 0), ctx) == D(2010, 3, 5)
        assert Date().parse_native(D(2010, 3, 5), ctx) == D(2010, 3, 5)
        # A number is a serial only when the cell is formatted as a date, which calamine reads
        # as a date: a bare number (a birth year typed 1975) is an error, not 1905-05-28.
        for number in (40242.0, 1975, 1975.0):
            with pytest.raises(CellError, match="n'est pas au format date"):
                Date().parse_native(number, ctx)


class TestMoney:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("1234,56", "1234.56"),
            ("1 234,56", "1234.56"),
            ("1\u202f234,56", "1234.56"),
            ("1\u00a0234,56", "1234.56"),
            ("1.234,56", "1234.56"),
            ("1,234.56", "1234.56"),
            ("1234.56", "1234.56"),
            ("1.234", "1234"),
            ("1.234.567", "1234567"),
            ("12,5", "12.5"),
            ("645", "645"),
            ("1 234 €", "1234"),
            ("1234,56 EUR", "1234.56"),
            ("0", "0"),
        ],
    )
    def test_french_spellings(self, ctx, text, expected):
        assert Money().parse(text, ctx) == Decimal(expected)

    @pytest.mark.parametrize(
        "text, message",
        [
            ("-120,00", "Montant négatif"),
            ("(120,00)", "Montant négatif"),
            ("12,345", "Plus de deux décimales"),
            ("1,2,3", "plusieurs virgules"),
            ("1.23.4", "points mal placés"),
            ("douze", "Montant illisible"),
            ("123456789,00", "Montant trop élevé"),
        ],
    )
    def test_errors(self, ctx, text, message):
        with pytest.raises(CellError) as error:
            Money().parse(text, ctx)
        assert message in error.value.message

    def test_xlsx_numbers(self, ctx):
        assert Money().parse_native(3980.4, ctx) == Decimal("3980.40")
        with pytest.raises(CellError, match="décimales"):
            Money().parse_native(12.345, ctx)


def test_count_boolean_identifier_name(ctx):
    assert Count().parse("3", ctx) == 3
    assert Count().parse("3,0", ctx) == 3
    with pytest.raises(CellError, match="entier"):
        Count().parse("2,5", ctx)
    assert Boolean().parse("Oui", ctx) is True
    assert Boolean().parse("N", ctx) is False
    with pytest.raises(CellError, match="non reconnue"):
        Boolean().parse("peut-être", ctx)
    assert Identifier().parse("07 123 45a", ctx) == "0712345A"
    with pytest.raises(CellError, match="aucune lettre"):
        Name().parse("1234", ctx)
    with pytest.raises(CellError, match="trop long"):
        Text(10).parse("x" * 11, ctx)


def test_choice_ignores_case_accents_and_parentheses(ctx):
    choice = Choice(FslResult, {"favorable": FslResult.GRANTED})
    assert choice.parse("ACCORDE", ctx) == FslResult.GRANTED
    assert choice.parse("accordé", ctx) == FslResult.GRANTED
    assert choice.parse("Favorable", ctx) == FslResult.GRANTED
    with pytest.raises(CellError) as error:
        choice.parse("ajourné", ctx)
    assert "Accordé" in error.value.expected and "Refusé" in error.value.expected


def test_clean_text_trims_and_collapses_spaces():
    assert clean_text("  27  avenue\u00a0Jean   Jaurès\t") == "27 avenue Jean Jaurès"
    assert clean_text(None) == ""
    assert clean_text(72181.0) == "72181"


_CELL_CHARACTERS = st.sampled_from(
    [
        "a",
        "É",
        "1",
        ",",
        " ",
        "  ",
        "\u00a0",
        "\u202f",
        "\u2009",
        "\t",
        "\x00",
        "\x85",
        "\u00ad",
        "\ufeff",
        "\ue000",
        '="',
        '"',
    ]
)


@given(st.lists(st.lists(_CELL_CHARACTERS, max_size=8).map("".join), max_size=12))
def test_a_column_is_cleaned_as_each_of_its_cells(cells):
    """checking._clean_strings cleans a whole column at once (one pass over the column when
    it holds other spaces than the plain one): the same as clean_text on each cell."""
    from toit.imports.checking import _clean_strings

    assert _clean_strings(cells) == [clean_text(cell) for cell in cells]
    amounts = [f"{n}\u202f{n:03d},50" for n in range(1, 20)]
    assert _clean_strings(amounts) == [clean_text(cell) for cell in amounts]


def test_commune_by_code_postcode_or_name(ctx, world):
    lookups = ctx.lookups
    le_mans = world.communes["72181"].pk
    assert lookups.commune("72181") == le_mans
    assert lookups.commune("72000") == le_mans  # the postcode of one commune only
    assert lookups.commune("le mans") == le_mans
    assert lookups.commune("SABLE SUR SARTHE") == world.communes["72264"].pk
    with pytest.raises(CellError, match="Commune inconnue"):
        lookups.commune("Le Mnas")
    with pytest.raises(CellError, match="Code de commune inconnu"):
        lookups.commune("99999")


def test_a_commune_name_is_read_in_the_importing_organisations_departement(ctx, world):
    """Issue 14: loading the Orne made « Fay » ambiguous, so Sarthe imports naming it failed."""
    from tests.organisations.factories import OrganisationFactory
    from tests.territory.factories import CommuneFactory, DepartmentFactory

    sarthe_fay = CommuneFactory(insee_code="72131", name="Fay", department=DepartmentFactory(code="72"))
    orne = DepartmentFactory(code="61", name="Orne")
    orne_fay = CommuneFactory(insee_code="61159", name="Fay", department=orne)
    assert ctx.lookups.commune("Fay") == sarthe_fay.pk
    with pytest.raises(CellError, match="Code de commune inconnu"):
        ctx.lookups.commune("61159")  # not a commune of the CAF of the Sarthe's département
    caf_orne = OrganisationFactory(code="CAF61", department=orne)
    assert Context(caf_orne, world.users["CAF72"]).lookups.commune("Fay") == orne_fay.pk
    national = OrganisationFactory(code="BDF-NATIONAL", department=None)
    with pytest.raises(CellError, match="Plusieurs communes portent ce nom"):
        Context(national, world.users["CAF72"]).lookups.commune("Fay")


def test_landlord_is_a_known_social_landlord_or_a_private_name(ctx, world):
    assert ctx.lookups.landlord("sarthe-habitat") == ("social", world.landlord.pk)
    assert ctx.lookups.landlord("SARTHE HABITAT") == ("social", world.landlord.pk)
    assert ctx.lookups.landlord("SCI Les Tilleuls") == ("prive", "SCI Les Tilleuls")


CELL_TEXT = st.one_of(
    st.sampled_from(["", "05/03/2010", "1 234,56", "31/02/2010", "-3", "12,5", "2010-03-05", "abc", "1.234"]),
    st.text(alphabet="0123456789/.,- €", max_size=12),
)


@given(texts=st.lists(CELL_TEXT, max_size=30))
def test_batch_parsing_agrees_with_cell_parsing(texts):
    """parse_column (large files) and parse (one cell) read every cleaned cell the same way."""
    texts = [clean_text(t) for t in texts]
    ctx = Context(organisation=None, user=None, today=D(2012, 12, 31))
    for kind in (Date(), Date(birth=True), Money(), Count(), Identifier()):
        values, errors = kind.parse_column(texts, ctx)
        failed = dict(errors)
        for index, text in enumerate(texts):
            if not text:
                assert values[index] is None
                continue
            try:
                expected = kind.parse(text, ctx)
            except CellError as exc:
                assert index in failed and failed[index].message == exc.message
                assert values[index] is None
            else:
                assert index not in failed and values[index] == expected
