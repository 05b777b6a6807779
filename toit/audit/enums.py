from django.db import models


class AccessAction(models.TextChoices):
    READ = "lecture", "Consultation"
    SEARCH = "recherche", "Résultat de recherche"
    LIST = "liste", "Liste (travail à faire, signalements, imports)"
    EXPORT = "export", "Export"
    API = "api", "Lecture par l'API"
    BREAK_GLASS = "bris_de_glace", "Accès exceptionnel (bris de glace)"
    JOIN = "entree", "Entrée d'une organisation dans un dossier"
    REFUSED = "refus", "Accès refusé (403 ou 404)"
    ADMIN = "admin", "Consultation dans l'administration"
