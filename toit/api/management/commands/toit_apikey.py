"""Create, list and revoke organisations' API keys:

manage.py toit_apikey create CAF72 --scopes reports:write,files:read --name "Logiciel CAF"
manage.py toit_apikey list [--organisation CAF72] [--all]
manage.py toit_apikey revoke 1a2b3c4d
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from toit.api import keys
from toit.api.enums import Scope
from toit.api.models import ApiKey
from toit.organisations.models import Organisation, OrganisationLookupError


def _messages(error):
    return (
        " ".join(f"{m}" for messages in error.message_dict.values() for m in messages)
        if hasattr(error, "error_dict")
        else " ".join(error.messages)
    )


class Command(BaseCommand):
    help = "Crée, liste et révoque les clés d'API des organisations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Créer une clé (affichée une seule fois).")
        create.add_argument("organisation", help="Code de l'organisation (ex. CAF72).")
        create.add_argument(
            "--scopes", required=True, help=f"Permissions, séparées par des virgules : {', '.join(Scope.values)}."
        )
        create.add_argument("--name", required=True, help="À quoi sert la clé (ex. « Logiciel de gestion »).")
        create.add_argument("--expires", help="Date d'expiration AAAA-MM-JJ (la clé est refusée dès ce jour).")
        create.add_argument("--by", help="Identifiant de la personne qui crée la clé (tracé).")
        listing = sub.add_parser("list", help="Lister les clés.")
        listing.add_argument("--organisation", help="Seulement les clés de cette organisation.")
        listing.add_argument("--all", action="store_true", help="Y compris les clés révoquées ou expirées.")
        revoke = sub.add_parser("revoke", help="Révoquer une clé.")
        revoke.add_argument("prefix", help="Préfixe de la clé (les 8 caractères après « toit_ »).")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def do_create(self, organisation, scopes, name, expires=None, by=None, **options):
        try:
            org = Organisation.objects.by_code(organisation)
        except OrganisationLookupError as exc:
            raise CommandError(str(exc)) from None
        expires_at = None
        if expires:
            try:
                day = datetime.date.fromisoformat(expires)
            except ValueError:
                raise CommandError(f"Date d'expiration « {expires} » illisible : écrivez AAAA-MM-JJ.") from None
            expires_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        created_by = None
        if by:
            created_by = get_user_model().objects.filter(username=by).first()
            if created_by is None:
                raise CommandError(f"Utilisateur inconnu : « {by} ».")
        try:
            created = keys.create_key(
                org, name=name, scopes=keys.parse_scopes(scopes), created_by=created_by, expires_at=expires_at
            )
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        self.stderr.write(
            f"Clé « {created.key.name} » créée pour {org} ({', '.join(created.key.scopes)}). "
            "Copiez-la maintenant : elle ne sera plus affichée."
        )
        self.stdout.write(created.token)

    def do_list(self, organisation=None, all=False, **options):
        queryset = ApiKey.objects.select_related("organisation").order_by("organisation__code", "created_at")
        if organisation:
            queryset = queryset.filter(organisation__code__iexact=organisation)
        if not all:
            queryset = queryset.usable()
        now = timezone.now()
        for key in queryset:
            if key.revoked_at:
                state = f"révoquée le {timezone.localtime(key.revoked_at):%d/%m/%Y}"
            elif key.is_expired(now):
                state = f"expirée le {timezone.localtime(key.expires_at):%d/%m/%Y}"
            else:
                state = "active"
            used = (
                f"utilisée le {timezone.localtime(key.last_used_at):%d/%m/%Y %H:%M}"
                if key.last_used_at
                else "jamais utilisée"
            )
            self.stdout.write(
                f"{key.prefix}\t{key.organisation.code}\t{key.name}\t{','.join(key.scopes)}\t{state}\t{used}"
            )

    def do_revoke(self, prefix, **options):
        prefix = prefix.strip().removeprefix("toit_").split("_", 1)[0].lower()
        key = ApiKey.objects.filter(prefix=prefix).first()
        if key is None:
            raise CommandError(f"Aucune clé de préfixe « {prefix} » : « toit_apikey list --all » les donne toutes.")
        was_revoked = key.revoked_at is not None
        key = keys.revoke_key(key)
        if was_revoked:
            self.stdout.write(f"La clé {prefix} était déjà révoquée.")
        else:
            self.stdout.write(f"Clé {prefix} ({key.name}, {key.organisation.code}) révoquée.")
