from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """An agent of a partner body. What a user may see comes from their memberships
    (toit.organisations.Membership), never from flags on the user itself."""

    email = models.EmailField("adresse électronique", unique=True)

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def __str__(self):
        return self.get_full_name() or self.username
