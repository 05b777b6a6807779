"""Where uploaded files live: a private directory outside STATIC_ROOT and MEDIA_ROOT,
never served by URL (base_url is None); views stream them after checking access."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    # Read at each use, so a test (or a deployment) can move it with the setting.
    @property
    def base_location(self):
        return settings.TOIT_PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(settings.TOIT_PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("Les pièces jointes ne sont servies que par une vue qui vérifie les droits.")
