from rest_framework import serializers

from toit.api.serializers.common import InputSerializer, OrganisationField, OrganisationRefSerializer
from toit.linkage import sources
from toit.linkage.enums import LinkStatus, Verdict
from toit.linkage.review import MIN_REASON


class RunQuerySerializer(serializers.Serializer):
    department = serializers.CharField(
        required=False, max_length=3, help_text="Code INSEE du département (ex. « 72 ») ; sans lui, tous."
    )


class LinkCountsSerializer(serializers.Serializer):
    accepte = serializers.IntegerField(help_text=LinkStatus.ACCEPTED.label)
    a_verifier = serializers.IntegerField(help_text=LinkStatus.REVIEW.label)
    confirme = serializers.IntegerField(help_text=LinkStatus.CONFIRMED.label)
    rejete = serializers.IntegerField(help_text=LinkStatus.REJECTED.label)


class RunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.CharField(source="department.code", help_text="Code du département.")
    sources = serializers.ListField(child=serializers.CharField(), help_text="Codes des fichiers rapprochés.")
    started_at = serializers.DateTimeField(help_text="Lancé le.")
    lower_threshold = serializers.FloatField(help_text="Seuil bas : en dessous, pas de lien.")
    upper_threshold = serializers.FloatField(help_text="Seuil haut : au-dessus, lien accepté sans vérification.")
    record_count = serializers.IntegerField(help_text="Fiches lues.")
    candidate_pairs = serializers.IntegerField(help_text="Paires comparées au-dessus du seuil bas.")
    seconds = serializers.FloatField(help_text="Durée du calcul (s).")
    is_synthetic = serializers.BooleanField(help_text="Données synthétiques (démonstration).")
    links = LinkCountsSerializer(
        source="link_counts",
        help_text="Liens trouvés, par statut actuel ; ceux effacés à l'expiration de la durée de conservation "
        "restent comptés, au statut qu'ils avaient alors.",
    )


class ReviewQuerySerializer(serializers.Serializer):
    department = serializers.CharField(
        required=False, max_length=3, help_text="Code INSEE du département du rapprochement."
    )
    run = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Numéro d'un rapprochement."
    )


class RecordViewSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="Code du fichier (demande, dalo, contingent, expulsion…).")
    source_label = serializers.SerializerMethodField(help_text="Nom du fichier.")
    id = serializers.IntegerField(source="pk", help_text="Numéro de la fiche dans ce fichier.")
    name = serializers.CharField(help_text="Nom et prénom de la personne de référence.")
    birth_date = serializers.DateField(allow_null=True)
    summary = serializers.CharField(help_text="La fiche en une phrase (numéro, dates, état).")

    def get_source_label(self, view) -> str:
        return sources.label(view.source)


class ReviewLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Numéro du lien.")
    run = serializers.IntegerField(source="run_id", help_text="Numéro du rapprochement qui l'a trouvé.")
    probability = serializers.FloatField(help_text="Probabilité que les deux fiches soient la même personne.")
    status = serializers.ChoiceField(choices=LinkStatus.choices)
    left = RecordViewSerializer(source="left_view")
    right = RecordViewSerializer(source="right_view")


class DecisionInputSerializer(InputSerializer):
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        help_text="« confirme » : même personne ; « rejete » : personnes différentes.",
        error_messages={"invalid_choice": "Avis « {input} » inconnu : écrivez « confirme » ou « rejete »."},
    )
    reason = serializers.CharField(
        min_length=MIN_REASON,
        max_length=2000,
        help_text=f"Pourquoi (ce qui a été vérifié), {MIN_REASON} caractères au moins : il reste avec la décision.",
        error_messages={
            "required": f"Indiquez le motif de la décision ({MIN_REASON} caractères au moins).",
            "blank": f"Indiquez le motif de la décision ({MIN_REASON} caractères au moins).",
            "min_length": f"Motif trop court : {MIN_REASON} caractères au moins, qui disent ce qui a été vérifié.",
        },
    )
    organisation = OrganisationField(
        required=False,
        help_text="Code de l'organisation au titre de laquelle la décision est prise : pour une clé, la sienne "
        "(à omettre) ; pour une personne membre de plusieurs organisations, l'une d'elles.",
    )


class DecisionSerializer(serializers.Serializer):
    link = serializers.IntegerField(source="link_id", help_text="Numéro du lien.")
    status = serializers.ChoiceField(choices=LinkStatus.choices, help_text="Statut du lien après la décision.")
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    decided_at = serializers.DateTimeField()
    acting_for = OrganisationRefSerializer(help_text="Organisation au titre de laquelle la décision est prise.")
    reason = serializers.CharField()
