from rest_framework import serializers

from toit.api.serializers.common import CommaListField, choice_error
from toit.metrics.enums import Periodicity, Unit
from toit.metrics.periods import Period, PeriodError
from toit.observatory import disclosure
from toit.observatory.enums import ReportKind
from toit.observatory.territories import Level
from toit.observatory.values import Source
from toit.territory.scopes import ScopeKind

LEVELS = [(value, label) for value, label in Level.LABELS.items()]
STATUSES = [(disclosure.PUBLISHED, "Publiée"), (disclosure.SUPPRESSED, "Couverte par le secret statistique")]
SOURCES = [(Source.COMPUTED, "Calculée par Toit"), (Source.MANUAL, "Saisie par un partenaire")]
TERRITORY_KINDS = [(k.value, k.value) for k in ScopeKind]


class PeriodField(serializers.CharField):
    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return Period.parse(text)
        except PeriodError as exc:
            raise serializers.ValidationError(str(exc)) from None


class IndicatorRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code de l'indicateur dans le plan (ex. « 1B-1 »).")
    label = serializers.CharField(help_text="Libellé, tel que rédigé dans la fiche.")
    action = serializers.CharField(help_text="Code de la fiche action.")
    unit = serializers.ChoiceField(
        choices=[c for c in Unit.choices if c[0] != Unit.TEXT], help_text="Unité de la valeur."
    )


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="2010T3 (trimestre), 2010 (année) ou 2008-2012 (plan).")
    kind = serializers.ChoiceField(choices=Periodicity.choices, help_text="Type de période.")
    start = serializers.DateField(help_text="Premier jour.")
    end = serializers.DateField(help_text="Dernier jour.")


class TerritorySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=LEVELS, help_text="Niveau du territoire.")
    kind = serializers.ChoiceField(
        choices=TERRITORY_KINDS, help_text="departement, epci, hors_epci (le département sauf cet EPCI) ou commune."
    )
    code = serializers.CharField(help_text="Code INSEE (département, commune) ou SIREN (EPCI).")
    label = serializers.CharField(help_text="Nom du territoire.")


class IndicatorValueSerializer(serializers.Serializer):
    plan = serializers.CharField(help_text="Code du plan.")
    indicator = IndicatorRefSerializer(help_text="L'indicateur.")
    period = PeriodSerializer(help_text="La période.")
    territory = TerritorySerializer(help_text="Le territoire.")
    value = serializers.CharField(
        allow_null=True,
        help_text="La valeur, nombre décimal écrit en texte (« 12 », « 45.5 ») ; null quand elle est couverte par "
        "le secret statistique.",
    )
    status = serializers.ChoiceField(
        choices=STATUSES,
        help_text="publie, ou secret : effectif inférieur au seuil pour une commune, un EPCI ou un territoire "
        "infra-départemental, ou valeur qui permettrait de le retrouver par différence.",
    )
    source = serializers.ChoiceField(choices=SOURCES, help_text="calcul : calculée par Toit ; saisie : saisie.")
    is_synthetic = serializers.BooleanField(help_text="Donnée de démonstration.")
    valued_at = serializers.DateTimeField(help_text="Date du calcul ou de la saisie.")


class IndicatorQuerySerializer(serializers.Serializer):
    plan = serializers.CharField(required=False, help_text="Code du plan ; par défaut le plan le plus récent.")
    indicator = CommaListField(
        child=serializers.CharField(), required=False, help_text="Code(s) d'indicateur (ex. « 1B-1,1B-2 »)."
    )
    period = PeriodField(required=False, help_text="Période : 2010, 2010T3 ou 2008-2012.")
    periodicity = serializers.ChoiceField(
        choices=Periodicity.choices,
        required=False,
        error_messages=choice_error(Periodicity.choices),
        help_text="Type de période : quarter, year ou plan.",
    )
    level = serializers.ChoiceField(
        choices=LEVELS, required=False, error_messages=choice_error(LEVELS), help_text="Niveau du territoire."
    )
    territory = serializers.CharField(
        required=False, help_text="Code du territoire : code INSEE de la commune ou du département, SIREN de l'EPCI."
    )
    latest = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true : pour chaque indicateur, territoire et type de période, la période la plus récente seulement.",
    )


class PublishedReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Identifiant du rapport publié.")
    url = serializers.SerializerMethodField(help_text="Adresse du rapport dans l'API.")
    plan = serializers.CharField(source="plan.code", help_text="Code du plan.")
    kind = serializers.ChoiceField(choices=ReportKind.choices, help_text="Suivi trimestriel ou annuel.")
    period = serializers.CharField(source="period_code", help_text="Période couverte (2010T3, 2010).")
    period_start = serializers.DateField(help_text="Premier jour de la période.")
    period_end = serializers.DateField(help_text="Dernier jour de la période.")
    version = serializers.IntegerField(help_text="Version (une nouvelle à chaque changement des données).")
    title = serializers.CharField(source="__str__", help_text="Intitulé.")
    published_at = serializers.DateTimeField(help_text="Date de publication.")
    inputs_at = serializers.DateTimeField(allow_null=True, help_text="Données arrêtées au.")
    data_version = serializers.CharField(help_text="Empreinte des données.")
    pdf_sha256 = serializers.CharField(help_text="SHA-256 du PDF.")
    xlsx_sha256 = serializers.CharField(help_text="SHA-256 du classeur XLSX.")
    downloads = serializers.SerializerMethodField(help_text="Adresses de téléchargement (PDF, XLSX).")

    def _url(self, name, report):
        from toit.api.serializers.files import absolute

        return absolute(self.context.get("request"), name, report.pk)

    def get_url(self, report) -> str:
        return self._url("api:publication", report)

    def get_downloads(self, report) -> dict[str, str]:
        return {"pdf": self._url("api:publication_pdf", report), "xlsx": self._url("api:publication_xlsx", report)}


class PublicationQuerySerializer(serializers.Serializer):
    plan = serializers.CharField(required=False, help_text="Code du plan.")
    kind = serializers.ChoiceField(
        choices=ReportKind.choices,
        required=False,
        error_messages=choice_error(ReportKind.choices),
        help_text="trimestriel ou annuel.",
    )
    latest = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true : la dernière version de chaque rapport seulement.",
    )
