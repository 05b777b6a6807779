from django.utils import timezone
from rest_framework import serializers

from toit.accommodation.enums import EntryOrigin, ExitDestination, Public, StructureKind
from toit.accommodation.monthly import MAX_MONTHS, SOURCES, Month


class StructureQuerySerializer(serializers.Serializer):
    department = serializers.CharField(
        required=False, help_text="Code INSEE du département (ex. « 72 ») ; sans lui, tous les départements."
    )
    on = serializers.DateField(required=False, help_text="Date des places (aaaa-mm-jj) ; par défaut aujourd'hui.")


class StructureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=StructureKind.choices, help_text="Type de structure.")
    public = serializers.ChoiceField(choices=Public.choices, help_text="Public accueilli.")
    commune = serializers.CharField(source="commune.insee_code", help_text="Code INSEE de la commune.")
    manager = serializers.CharField(source="manager.name", help_text="Organisation gestionnaire.")
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    places = serializers.IntegerField(help_text="Places ouvertes à la date demandée (capacité datée).")


class StructureRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Numéro de la structure (voir /api/accommodation/structures/).")
    name = serializers.CharField(help_text="Nom de la structure.")


class ResidentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Numéro du résident dans Toit (le même d'un séjour à l'autre).")
    last_name = serializers.CharField(help_text="Nom (vide une fois la fiche anonymisée).")
    first_name = serializers.CharField(help_text="Prénom.")
    birth_date = serializers.DateField(allow_null=True, help_text="Date de naissance.")


class StayQuerySerializer(serializers.Serializer):
    """Filters of the stay lists."""

    structure = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Numéro d'une structure gérée par l'organisation.",
    )
    entered_from = serializers.DateField(required=False, help_text="Séjours commencés ce jour ou après (AAAA-MM-JJ).")
    entered_to = serializers.DateField(required=False, help_text="Séjours commencés ce jour ou avant (AAAA-MM-JJ).")
    exited_from = serializers.DateField(required=False, help_text="Séjours terminés ce jour ou après (AAAA-MM-JJ).")
    exited_to = serializers.DateField(required=False, help_text="Séjours terminés ce jour ou avant (AAAA-MM-JJ).")
    present_on = serializers.DateField(
        required=False, help_text="Séjours en cours ce jour-là : entrés ce jour ou avant, sortis après (AAAA-MM-JJ)."
    )
    origin = serializers.ChoiceField(
        choices=EntryOrigin.choices, required=False, help_text="Provenance à l'entrée (motif d'entrée)."
    )
    destination = serializers.ChoiceField(
        choices=ExitDestination.choices, required=False, help_text="Destination à la sortie (motif de sortie)."
    )

    def validate(self, attrs):
        errors = {}
        for start_name, end_name in (("entered_from", "entered_to"), ("exited_from", "exited_to")):
            start, end = attrs.get(start_name), attrs.get(end_name)
            if start and end and end < start:
                errors[end_name] = (
                    f"La fin ({end:%d/%m/%Y}) précède le début ({start:%d/%m/%Y}, « {start_name} ») : inversez-les."
                )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class StayListQuerySerializer(StayQuerySerializer):
    """The list of one structure: the structure is in the address."""

    structure = None


class StaySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Numéro du séjour.")
    structure = StructureRefSerializer(help_text="Structure du séjour.")
    resident = ResidentSerializer(help_text="La personne accueillie.")
    entry_on = serializers.DateField(help_text="Date d'entrée (première nuitée).")
    origin = serializers.ChoiceField(choices=EntryOrigin.choices, help_text="Provenance à l'entrée.")
    exit_on = serializers.DateField(
        allow_null=True, help_text="Date de sortie (n'est pas une nuitée) ; null tant que la personne est accueillie."
    )
    destination = serializers.ChoiceField(
        choices=ExitDestination.choices, allow_blank=True, help_text="Destination à la sortie ; vide sans sortie."
    )
    length_days = serializers.IntegerField(
        allow_null=True, help_text="Durée du séjour en jours (sortie − entrée) ; null sans sortie."
    )


class OccupancyQuerySerializer(serializers.Serializer):
    month_from = serializers.CharField(
        required=False,
        help_text="Premier mois (AAAA-MM) ; par défaut onze mois avant le dernier.",
    )
    month_to = serializers.CharField(required=False, help_text="Dernier mois (AAAA-MM) ; par défaut le mois en cours.")

    def _month(self, value):
        try:
            return Month.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_month_from(self, value):
        return self._month(value)

    def validate_month_to(self, value):
        return self._month(value)

    def validate(self, attrs):
        last = attrs.get("month_to") or Month.of(timezone.localdate())
        first = attrs.get("month_from") or last.plus(-11)
        if last.index < first.index:
            raise serializers.ValidationError(
                {"month_to": f"Le dernier mois ({last}) précède le premier ({first}) : inversez-les."}
            )
        if last.index - first.index + 1 > MAX_MONTHS:
            raise serializers.ValidationError(
                {
                    "month_from": f"{MAX_MONTHS} mois au plus par requête ({first} à {last} en fait "
                    f"{last.index - first.index + 1}) : découpez la période."
                }
            )
        return {"month_from": first, "month_to": last}


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="Le mois (AAAA-MM).")
    start = serializers.DateField(help_text="Premier jour du mois.")
    end = serializers.DateField(help_text="Dernier jour du mois.")
    available_place_days = serializers.IntegerField(
        help_text="Journées-places disponibles : somme, sur chaque jour du mois, des places ouvertes ce jour-là "
        "(capacité datée)."
    )
    occupied_place_days = serializers.IntegerField(
        help_text="Journées-places occupées : nuitées des séjours dans le mois (le jour de sortie n'en est pas une)."
    )
    occupancy_rate = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        allow_null=True,
        help_text="Taux d'occupation en pourcentage (occupées / disponibles) ; null sans place ouverte.",
    )
    stays = serializers.IntegerField(
        allow_null=True,
        help_text="Séjours dont au moins une nuitée tombe dans le mois ; null pour un mois lu dans la synthèse.",
    )
    entries = serializers.IntegerField(help_text="Entrées du mois (séjours commencés, ou synthèse).")
    exits = serializers.IntegerField(help_text="Sorties du mois (séjours terminés, ou synthèse).")
    source = serializers.ChoiceField(
        choices=list(SOURCES.items()),
        help_text="D'où viennent les nuitées, entrées et sorties du mois : « sejours » (liste nominative), "
        "« synthese » (synthèse mensuelle envoyée par une structure sans liste nominative, lue seulement pour un "
        "mois sans séjour : jamais les deux), « aucune ».",
    )


class OccupancySerializer(serializers.Serializer):
    structure = StructureRefSerializer(help_text="La structure.")
    months = MonthSerializer(many=True, help_text="Un élément par mois, du premier au dernier demandé.")
