"""Where uploaded files live: under TOIT_PRIVATE_MEDIA_ROOT/imports, outside STATIC_ROOT and
MEDIA_ROOT, never served by URL. Only the import code reads them back.

Settings (all optional):
- TOIT_PRIVATE_MEDIA_ROOT: the private root shared by the web processes and the workers;
- TOIT_IMPORT_MAX_BYTES: largest CSV accepted (default 300 Mo, about 2.5 million rows);
- TOIT_IMPORT_XLSX_MAX_BYTES: largest XLSX accepted (default 30 Mo): a sheet is decoded
  whole in memory by calamine, so the limit bounds the worker's memory.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

MB = 1024 * 1024
ALLOWED_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx"}


def private_root():
    return Path(getattr(settings, "TOIT_PRIVATE_MEDIA_ROOT", Path(settings.BASE_DIR) / "var" / "private"))


def imports_root():
    return private_root() / "imports"


def max_bytes(file_format):
    if file_format == "xlsx":
        return int(getattr(settings, "TOIT_IMPORT_XLSX_MAX_BYTES", 30 * MB))
    return int(getattr(settings, "TOIT_IMPORT_MAX_BYTES", 300 * MB))


@deconstructible(path="toit.imports.storage.PrivateImportStorage")
class PrivateImportStorage(FileSystemStorage):
    """The location is read from settings at each use, so that tests (and deployments that
    change the setting) never write into another root."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(imports_root() / "files")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Les fichiers importés ne sont jamais servis par URL.")


private_storage = PrivateImportStorage()
