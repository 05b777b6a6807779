import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.territory.factories import CommuneFactory, DepartmentFactory, EPCIFactory
from toit.territory import cog
from toit.territory.models import EPCI, Commune, Department
from toit.territory.scopes import ScopeKind, TerritoryScope

COMMITTED_72 = Path(settings.BASE_DIR) / "data" / "territory" / "cog-72.json"
LMM = "247200132"


# --- A miniature of the package data, in its JSON shapes ----------------------------------------


def _commune(code, name, department, **extra):
    return {
        "code": code,
        "nom": name,
        "typeLiaison": 0,
        "zone": "metro",
        "arrondissement": f"{department}3",
        "departement": department,
        "region": "52",
        "type": "commune-actuelle",
        "rangChefLieu": 0,
        "siren": f"21{code}0",
        **extra,
    }


def _member(code, name):
    return {
        "code": code,
        "siren": f"21{code}0",
        "nom": name,
        "populationTotale": 10,
        "populationMunicipale": 9,
    }


PACKAGE_DATA = {
    "departements.json": [
        {"code": "61", "region": "28", "chefLieu": "61001", "nom": "Orne", "typeLiaison": 5, "zone": "metro"},
        {
            "code": "72",
            "region": "52",
            "chefLieu": "72181",
            "nom": "Sarthe",
            "typeLiaison": 3,
            "zone": "metro",
        },
    ],
    "communes.json": [
        _commune("61001", "Alençon", "61", codesPostaux=["61000"], population=26000),
        _commune("72003", "Allonnes", "72", codesPostaux=["72700"], population=10739),
        _commune("72181", "Le Mans", "72", codesPostaux=["72100", "72000"], population=145000),
        # Shares its code with the current commune of Bazouges Cré sur Loir: must be ignored.
        {
            "code": "72025",
            "nom": "Bazouges-sur-le-Loir",
            "zone": "metro",
            "type": "commune-deleguee",
            "chefLieu": "72025",
            "departement": "72",
            "region": "52",
        },
        _commune("72025", "Bazouges Cré sur Loir", "72", codesPostaux=["72200"], population=1900),
        _commune("72137", "Gesnes-le-Gandelin", "72", codesPostaux=["72130"], population=800),
        # No EPCI, no population, no postcode: allowed.
        _commune("72999", "Île-de-Test", "72"),
    ],
    "epci.json": [
        {
            "code": "247200132",
            "nom": "CU Le Mans Métropole",
            "type": "CU",
            "modeFinancement": "FPU",
            "populationTotale": 1,
            "populationMunicipale": 1,
            "membres": [_member("72181", "Le Mans"), _member("72003", "Allonnes")],
        },
        {
            "code": "246100663",
            "nom": "CU d'Alençon",
            "type": "CU",
            "modeFinancement": "FPU",
            "populationTotale": 1,
            "populationMunicipale": 1,
            "membres": [_member("61001", "Alençon"), _member("72137", "Gesnes-le-Gandelin")],
        },
        {
            "code": "247200348",
            "nom": "CC du Pays Fléchois",
            "type": "CC",
            "modeFinancement": "FPU",
            "populationTotale": 1,
            "populationMunicipale": 1,
            "membres": [_member("72025", "Bazouges Cré sur Loir")],
        },
        {
            "code": "200000172",
            "nom": "CC d'ailleurs",
            "type": "CC",
            "modeFinancement": "FPU",
            "populationTotale": 1,
            "populationMunicipale": 1,
            "membres": [_member("74042", "Bonneville")],
        },
    ],
}


@pytest.fixture
def source_dir(tmp_path):
    package = tmp_path / "decoupage-administratif"
    data = package / "data"
    data.mkdir(parents=True)
    (package / "package.json").write_text(
        json.dumps({"name": "@etalab/decoupage-administratif", "version": "6.0.0", "license": "MIT"})
    )
    for name, content in PACKAGE_DATA.items():
        (data / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return data


@pytest.fixture
def document(source_dir):
    return cog.extract_department("72", source_dir)


def db_state():
    """Everything the loader may write, to compare before and after a failed load."""
    return (
        list(Department.objects.order_by("code").values_list("code", "name", "region_code")),
        list(EPCI.objects.order_by("siren").values_list("siren", "name", "nature")),
        list(
            Commune.objects.order_by("insee_code").values_list(
                "insee_code", "name", "department__code", "epci__siren", "postcodes", "population"
            )
        ),
    )


def write(tmp_path, document, name="cog.json"):
    path = tmp_path / name
    path.write_text(cog.dump_document(document), encoding="utf-8")
    return path


# --- Extraction -------------------------------------------------------------------------------


def test_extract_keeps_the_current_communes_of_the_department(document):
    assert document["department"] == {"code": "72", "name": "Sarthe", "region": "52"}
    communes = {c["insee"]: c for c in document["communes"]}
    assert list(communes) == ["72003", "72025", "72137", "72181", "72999"]
    assert communes["72025"]["name"] == "Bazouges Cré sur Loir"
    assert communes["72181"] == {
        "insee": "72181",
        "name": "Le Mans",
        "postcodes": ["72000", "72100"],
        "population": 145000,
        "epci": LMM,
    }
    assert communes["72999"] == {
        "insee": "72999",
        "name": "Île-de-Test",
        "postcodes": [],
        "population": None,
        "epci": None,
    }


def test_extract_includes_every_epci_with_a_commune_in_the_department(document):
    # CU d'Alençon counts for its one Sarthe commune; the EPCI with no commune in 72 does not.
    assert document["epcis"] == [
        {"siren": "246100663", "name": "CU d'Alençon", "nature": "CU"},
        {"siren": LMM, "name": "CU Le Mans Métropole", "nature": "CU"},
        {"siren": "247200348", "name": "CC du Pays Fléchois", "nature": "CC"},
    ]
    assert {c["insee"]: c["epci"] for c in document["communes"]}["72137"] == "246100663"


def test_extract_records_the_source(document):
    assert document["source"] == "@etalab/decoupage-administratif"
    assert document["package_version"] == "6.0.0"
    assert document["cog_version"] == 2026
    assert document["licence"] == "MIT"


def test_extract_without_package_json_leaves_the_version_unknown(source_dir):
    (source_dir.parent / "package.json").unlink()
    document = cog.extract_department("72", source_dir)
    assert document["package_version"] is None
    assert document["cog_version"] is None
    assert len(document["communes"]) == 5


def test_extract_unknown_department(source_dir):
    with pytest.raises(cog.TerritoryDataError, match=r"Département « 99 » inconnu du COG .*par exemple « 72 »"):
        cog.extract_department("99", source_dir)


def test_extract_missing_source_directory(tmp_path):
    with pytest.raises(cog.TerritoryDataError, match=r"introuvable : installez .*npm install.*--source"):
        cog.extract_department("72", tmp_path / "absent")


def test_extract_invalid_source_json(source_dir):
    (source_dir / "epci.json").write_text('[\n  {"code": "247200132",\n  oops}\n]')
    with pytest.raises(cog.TerritoryDataError) as excinfo:
        cog.extract_department("72", source_dir)
    message = str(excinfo.value)
    assert "epci.json n'est pas un JSON valide (ligne 3, colonne 3 : nom de clé entre guillemets" in message
    assert "réinstallez le paquet @etalab/decoupage-administratif" in message


def test_dump_document_is_one_commune_per_line_and_round_trips(document):
    text = cog.dump_document(document)
    assert json.loads(text) == document
    lines = text.splitlines()
    assert sum(1 for line in lines if line.strip().startswith('{"insee"')) == len(document["communes"])
    assert "Île-de-Test" in text  # not \u-escaped


# --- Loading ----------------------------------------------------------------------------------


def test_load_creates_everything(document):
    report = cog.load_document(document)
    assert (report.departments.created, report.epcis.created, report.communes.created) == (1, 3, 5)
    le_mans = Commune.objects.get(insee_code="72181")
    assert le_mans.department.code == "72"
    assert le_mans.epci.siren == LMM
    assert le_mans.postcodes == ["72000", "72100"]
    assert Commune.objects.get(insee_code="72999").epci is None


def test_load_twice_is_idempotent_and_applies_updates(document):
    cog.load_document(document)
    state = db_state()

    again = cog.load_document(document)
    assert str(again.communes) == "0 créé(s), 0 mis à jour, 5 inchangé(s)"
    assert (again.epcis.created, again.epcis.updated, again.epcis.unchanged) == (0, 0, 3)
    assert db_state() == state

    changed = copy.deepcopy(document)
    le_mans = next(c for c in changed["communes"] if c["insee"] == "72181")
    le_mans.update(population=146000, name="Le Mans (test)")
    island = next(c for c in changed["communes"] if c["insee"] == "72999")
    island["epci"] = LMM
    changed["epcis"][1]["name"] = "Le Mans Métropole"
    report = cog.load_document(changed)

    assert (report.communes.created, report.communes.updated, report.communes.unchanged) == (0, 2, 3)
    assert (report.epcis.created, report.epcis.updated) == (0, 1)
    assert Commune.objects.count() == 5
    assert EPCI.objects.count() == 3
    assert Department.objects.count() == 1
    assert Commune.objects.get(insee_code="72181").population == 146000
    assert Commune.objects.get(insee_code="72999").epci.name == "Le Mans Métropole"


def test_load_keeps_and_reports_communes_gone_from_the_cog(document):
    cog.load_document(document)
    merged = copy.deepcopy(document)
    merged["communes"] = [c for c in merged["communes"] if c["insee"] != "72025"]
    merged["epcis"] = [e for e in merged["epcis"] if e["siren"] != "247200348"]

    report = cog.load_document(merged)

    assert [c.insee_code for c in report.missing_communes] == ["72025"]
    assert Commune.objects.filter(insee_code="72025").exists()
    assert report.emptied_epcis == []  # the gone commune still points to its EPCI


def test_load_reports_emptied_epcis(document):
    cog.load_document(document)
    moved = copy.deepcopy(document)
    next(c for c in moved["communes"] if c["insee"] == "72025")["epci"] = LMM
    moved["epcis"] = [e for e in moved["epcis"] if e["siren"] != "247200348"]

    report = cog.load_document(moved)

    assert [e.siren for e in report.emptied_epcis] == ["247200348"]
    assert EPCI.objects.filter(siren="247200348").exists()


def test_load_updates_rows_created_elsewhere():
    CommuneFactory(insee_code="72181", name="Le Mans", epci=None, population=None)
    document = json.loads(COMMITTED_72.read_text(encoding="utf-8"))

    report = cog.load_document(document)

    assert (report.communes.created, report.communes.updated) == (351, 1)
    assert Commune.objects.get(insee_code="72181").epci.siren == LMM


def test_the_committed_sarthe_file_loads():
    report = cog.load_file(COMMITTED_72)

    assert report.department.name == "Sarthe"
    assert report.communes.created == 352
    assert report.epcis.created == 17
    assert Commune.objects.filter(department__code="72").count() == 352
    lmm = EPCI.objects.get(siren=LMM)
    assert lmm.name == "CU Le Mans Métropole"
    assert lmm.nature == "CU"
    members = set(lmm.communes.values_list("insee_code", flat=True))
    assert len(members) == 20
    assert {"72181", "72003", "72095", "72008", "72328"} <= members
    assert Commune.objects.get(insee_code="72181").name == "Le Mans"


def test_the_committed_sarthe_file_matches_the_installed_package():
    # `make install` installs the npm package: its absence is a broken install, not a reason to skip.
    assert cog.default_source_dir().is_dir(), f"{cog.default_source_dir()} absent : lancez `make install`."
    assert COMMITTED_72.read_text(encoding="utf-8") == cog.dump_document(cog.extract_department("72")), (
        "data/territory/cog-72.json ne correspond plus au paquet installé : régénérez-le (voir son README)."
    )


# --- Load errors: French message naming the file and the element, nothing written -------------


def _without_epci(document):
    document["epcis"] = [e for e in document["epcis"] if e["siren"] != LMM]


def _bad_insee(document):
    document["communes"][-1]["insee"] = "7299"


def _foreign_commune(document):
    document["communes"].append({"insee": "61001", "name": "Alençon", "postcodes": [], "epci": None})


def _duplicate_commune(document):
    document["communes"].append(dict(document["communes"][0]))


def _bad_population(document):
    document["communes"][0]["population"] = "1695"


def _no_communes(document):
    document["communes"] = []


def _bad_siren(document):
    document["epcis"][0]["siren"] = "24610066"


def _not_an_object(document):
    document.clear()
    document["communes"] = []


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [
        (
            _without_epci,
            "commune n°4 de « communes » (72181 Le Mans) : l'EPCI '247200132' n'est pas dans la liste "
            "« epcis » du document",
        ),
        (_bad_insee, "commune n°5 de « communes » (7299 Île-de-Test) : code INSEE '7299' invalide"),
        (
            _foreign_commune,
            "(61001 Alençon) : le code INSEE 61001 n'est pas celui d'une commune du département 72",
        ),
        (_duplicate_commune, "commune n°6 de « communes » (72003 Allonnes) : code INSEE 72003 en double"),
        (
            _bad_population,
            "(72003 Allonnes) : « population » doit être un entier positif ou null, pas '1695'",
        ),
        (_no_communes, "la liste « communes » est vide"),
        (_bad_siren, "EPCI n°1 de « epcis » (24610066 CU d'Alençon) : SIREN '24610066' invalide"),
        (_not_an_object, "clé(s) « department », « epcis » absente(s)"),
    ],
)
def test_load_rejects_an_invalid_document(tmp_path, document, corrupt, expected):
    cog.load_document(document)
    state = db_state()
    changed = copy.deepcopy(document)
    changed["department"]["name"] = "Sarthe (modifiée)"  # would be written if validation were partial
    corrupt(changed)
    path = write(tmp_path, changed)

    with pytest.raises(cog.TerritoryDataError) as excinfo:
        cog.load_file(path)

    message = str(excinfo.value)
    assert message.startswith(f"{path} : ")
    assert "aucune donnée n'a été écrite" in message
    assert expected in message
    assert db_state() == state


def test_load_lists_every_problem(tmp_path, document):
    for commune in document["communes"]:
        commune["epci"] = "000000000"
    with pytest.raises(cog.TerritoryDataError) as excinfo:
        cog.load_document(document, origin="cog.json")
    assert str(excinfo.value).startswith("cog.json : 5 erreur(s), aucune donnée n'a été écrite.")
    assert str(excinfo.value).count("\n- ") == 5


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "est vide : régénérez le fichier avec `manage.py toit_territory extract"),
        ("  \n", "est vide"),
        ('{\n  "department": oops\n}', "n'est pas un JSON valide (ligne 2, colonne 17 : valeur attendue)"),
    ],
)
def test_load_rejects_an_unreadable_file(tmp_path, content, expected):
    DepartmentFactory()
    state = db_state()
    path = tmp_path / "cog.json"
    path.write_text(content)

    with pytest.raises(cog.TerritoryDataError) as excinfo:
        cog.load_file(path)

    assert str(excinfo.value).startswith(f"Le fichier {path} ")
    assert expected in str(excinfo.value)
    assert db_state() == state


def test_load_missing_file(tmp_path):
    with pytest.raises(cog.TerritoryDataError, match=r"absent\.json introuvable : vérifiez le chemin"):
        cog.load_file(tmp_path / "absent.json")


def test_load_is_all_or_nothing(document, monkeypatch):
    # A failure after the département and the EPCIs are written must undo them too.
    real_upsert = cog._upsert

    def failing_upsert(model, *args):
        if model is Commune:
            raise RuntimeError("panne simulée")
        return real_upsert(model, *args)

    monkeypatch.setattr(cog, "_upsert", failing_upsert)
    with pytest.raises(RuntimeError):
        cog.load_document(document)
    assert db_state() == ([], [], [])


# --- Command ----------------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("toit_territory", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_extract_then_load(tmp_path, source_dir):
    output = tmp_path / "out" / "cog-72.json"
    out, _ = run("extract", "72", "--source", str(source_dir), "--output", str(output))
    assert "Département 72 (Sarthe) : 5 communes, 3 EPCI" in out
    assert f"Écrit dans {output}" in out
    assert json.loads(output.read_text(encoding="utf-8"))["department"]["code"] == "72"

    out, _ = run("load", str(output))
    assert "EPCI : 3 créé(s), 0 mis à jour, 0 inchangé(s)." in out
    assert "Communes : 5 créé(s), 0 mis à jour, 0 inchangé(s)." in out

    out, _ = run("load", str(output))
    assert "Communes : 0 créé(s), 0 mis à jour, 5 inchangé(s)." in out


def test_command_extract_to_stdout(source_dir):
    out, err = run("extract", "72", "--source", str(source_dir))
    assert json.loads(out)["department"]["name"] == "Sarthe"
    assert "5 communes" in err


def test_command_import_warns_about_missing_communes(source_dir):
    CommuneFactory(insee_code="72950", name="Ancienne commune")
    out, _ = run("import", "72", "--source", str(source_dir))
    assert "Communes : 5 créé(s)" in out
    assert "1 commune(s) du département en base sont absentes du COG et ont été conservées" in out
    assert "72950 Ancienne commune" in out


def test_command_unknown_department(source_dir):
    with pytest.raises(CommandError, match=r"Département « 99 » inconnu du COG"):
        run("import", "99", "--source", str(source_dir))
    assert Department.objects.count() == 0


def test_command_missing_source(tmp_path):
    with pytest.raises(CommandError, match=r"make install.*npm install"):
        run("extract", "72", "--source", str(tmp_path / "node_modules"))


def test_command_load_invalid_file(tmp_path):
    path = tmp_path / "vide.json"
    path.write_text("")
    with pytest.raises(CommandError, match=r"vide\.json est vide"):
        run("load", str(path))


# --- Territory scopes -------------------------------------------------------------------------


@pytest.fixture
def territory():
    lmm = EPCIFactory(siren=LMM, name="CU Le Mans Métropole", nature="CU")
    other = EPCIFactory()
    orne = DepartmentFactory(code="61", name="Orne", region_code="28")
    return {
        "le_mans": CommuneFactory(insee_code="72181", epci=lmm),
        "allonnes": CommuneFactory(insee_code="72003", epci=lmm),
        "la_fleche": CommuneFactory(insee_code="72154", epci=other),
        "no_epci": CommuneFactory(insee_code="72999", epci=None),
        "alencon": CommuneFactory(department=orne, insee_code="61001", epci=other),
    }


def codes(scope):
    return set(Commune.objects.in_scope(scope).values_list("insee_code", flat=True))


def test_scope_department(territory):
    assert codes(TerritoryScope.department_scope("72")) == {"72181", "72003", "72154", "72999"}


def test_scope_epci(territory):
    assert codes(TerritoryScope(ScopeKind.EPCI, "72", LMM)) == {"72181", "72003"}


def test_scope_outside_epci_includes_communes_without_epci(territory):
    assert codes(TerritoryScope(ScopeKind.OUTSIDE_EPCI, "72", LMM)) == {"72154", "72999"}


def test_scope_epci_and_outside_epci_partition_the_department(territory):
    inside = codes(TerritoryScope(ScopeKind.EPCI, "72", LMM))
    outside = codes(TerritoryScope(ScopeKind.OUTSIDE_EPCI, "72", LMM))
    assert inside.isdisjoint(outside)
    assert inside | outside == codes(TerritoryScope.department_scope("72"))


def test_scope_epci_stops_at_the_department_border(territory):
    other = territory["alencon"].epci
    assert codes(TerritoryScope(ScopeKind.EPCI, "72", other.siren)) == {"72154"}
    assert codes(TerritoryScope(ScopeKind.EPCI, "61", other.siren)) == {"61001"}


def test_scope_commune(territory):
    assert codes(TerritoryScope(ScopeKind.COMMUNE, "72", "72181")) == {"72181"}
