import factory

from toit.territory.models import EPCI, Commune, Department


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = "72"
    name = "Sarthe"
    region_code = "52"


class EPCIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EPCI
        django_get_or_create = ["siren"]

    # 999… is not a SIREN prefix the DGCL uses, so these never collide with a loaded COG file.
    siren = factory.Sequence(lambda n: f"999{n % 1_000_000:06d}")
    name = factory.Sequence(lambda n: f"CC de test {n}")
    nature = "CC"


def _test_insee_code(department_code, n):
    # The upper end of the commune numbers (72900+, 97190+) is unused by the COG; wraps after
    # 100 (10 outre-mer) codes, more than a test creates in one département.
    width = 5 - len(department_code)
    span = 10 ** (width - 1)
    return f"{department_code}{9 * span + n % span:0{width}d}"


class CommuneFactory(factory.django.DjangoModelFactory):
    """A commune of the Sarthe by default, in an EPCI of its own unless `epci` is given
    (pass `epci=None` for a commune outside any EPCI)."""

    class Meta:
        model = Commune
        django_get_or_create = ["insee_code"]

    department = factory.SubFactory(DepartmentFactory)
    insee_code = factory.LazyAttributeSequence(lambda o, n: _test_insee_code(o.department.code, n))
    name = factory.Sequence(lambda n: f"Commune de test {n}")
    epci = factory.SubFactory(EPCIFactory)
    postcodes = factory.LazyAttribute(lambda o: [o.insee_code.replace("2A", "20").replace("2B", "20")])
    population = 1000
