"""Which accounts a staff administrator of organisations may act on (issue 10): only users
who belong solely to organisations it administers. Anything else — a member of another
organisation as well, a user of no organisation, a superuser — is out of its reach: in the
admin it sees them not, cannot name them in a membership, cannot set their password."""

from django.db.models import Exists, OuterRef

from toit.organisations.models import Membership
from toit.organisations.perms import administered_organisations


def manageable_users(admin, queryset):
    """`queryset` (users) narrowed to those `admin` may act on. A superuser acts on all."""
    if admin.is_superuser:
        return queryset
    administered = administered_organisations(admin)
    inside = Membership.objects.filter(user=OuterRef("pk"), organisation__in=administered)
    # Any membership elsewhere, even inactive: reactivating it would hand the account back.
    outside = Membership.objects.filter(user=OuterRef("pk")).exclude(organisation__in=administered)
    return queryset.filter(Exists(inside), ~Exists(outside), is_superuser=False)
