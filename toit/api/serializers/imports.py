from rest_framework import serializers

from toit.api.serializers.common import OrganisationRefSerializer, choice_error
from toit.api.serializers.files import absolute
from toit.imports.enums import Decision, FileFormat, JobStatus


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Numéro de l'import.")
    url = serializers.SerializerMethodField(help_text="Adresse de l'import dans l'API.")
    organisation = OrganisationRefSerializer(help_text="Organisation au nom de laquelle le fichier a été déposé.")
    source_kind = serializers.CharField(help_text="Type de fichier (identifiant stable).")
    source_label = serializers.CharField(help_text="Type de fichier, en clair.")
    original_name = serializers.CharField(help_text="Nom du fichier déposé.")
    file_format = serializers.ChoiceField(choices=FileFormat.choices, help_text="csv ou xlsx.")
    file_size = serializers.IntegerField(help_text="Taille en octets.")
    file_sha256 = serializers.CharField(help_text="Empreinte SHA-256 du fichier.")
    status = serializers.ChoiceField(choices=JobStatus.choices, help_text="État de l'import.")
    status_label = serializers.CharField(source="get_status_display", help_text="L'état, en clair.")
    decision = serializers.ChoiceField(
        choices=[("", "Pas encore de choix"), *Decision.choices], help_text="Choix fait après la vérification."
    )
    total_rows = serializers.IntegerField(help_text="Lignes lues.")
    valid_rows = serializers.IntegerField(help_text="Lignes valides.")
    rejected_rows = serializers.IntegerField(help_text="Lignes en erreur.")
    already_imported_rows = serializers.IntegerField(help_text="Lignes déjà importées.")
    error_count = serializers.IntegerField(help_text="Nombre d'erreurs du rapport.")
    imported_rows = serializers.IntegerField(help_text="Lignes importées.")
    matched_rows = serializers.IntegerField(help_text="Lignes rattachées à un dossier existant.")
    unmatched_rows = serializers.IntegerField(help_text="Lignes laissées à rattacher.")
    opened_files = serializers.IntegerField(help_text="Dossiers ouverts.")
    failure = serializers.CharField(help_text="Cause de l'échec, le cas échéant.")
    created_at = serializers.DateTimeField(help_text="Déposé le.")
    validated_at = serializers.DateTimeField(allow_null=True, help_text="Vérifié le.")
    finished_at = serializers.DateTimeField(allow_null=True, help_text="Terminé le.")
    errors_url = serializers.SerializerMethodField(help_text="Rapport d'erreurs (JSON, paginé).")
    errors_csv_url = serializers.SerializerMethodField(help_text="Rapport d'erreurs complet (CSV).")

    def _url(self, name, job):
        return absolute(self.context.get("request"), name, job.pk)

    def get_url(self, job) -> str:
        return self._url("api:import", job)

    def get_errors_url(self, job) -> str:
        return self._url("api:import_errors", job)

    def get_errors_csv_url(self, job) -> str:
        return self._url("api:import_errors_csv", job)


class ImportIssueSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        source="line_number", allow_null=True, help_text="Ligne, numérotée comme dans le tableur ; null : le fichier."
    )
    column = serializers.CharField(help_text="Colonne, telle qu'intitulée dans le fichier.")
    value = serializers.CharField(help_text="Valeur trouvée (tronquée).")
    message = serializers.CharField(help_text="Ce qui ne va pas.")
    expected = serializers.CharField(help_text="Ce qui était attendu.")


class ImportQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=JobStatus.choices,
        required=False,
        error_messages=choice_error(JobStatus.choices),
        help_text="État de l'import.",
    )
    created_from = serializers.DateField(required=False, help_text="Déposés ce jour ou après (AAAA-MM-JJ).")
    created_to = serializers.DateField(required=False, help_text="Déposés ce jour ou avant (AAAA-MM-JJ).")
