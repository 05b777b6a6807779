"""How a checked row waits in the staging table: its values, normalised, joined by the
unit separator (control characters never survive toit.imports.cells.clean_text, so the
separator cannot occur in a value). The set-based import splits the same text once per
import (toit.imports.sql.unpack_staged), so it reads exactly what the row-by-row import reads."""

import datetime
import hashlib
from decimal import Decimal

SEPARATOR = "\x1f"


class Codec:
    sql_type = "text"

    def pack(self, value):
        return "" if value is None else str(value)

    def unpack(self, text):
        return text


class _Date(Codec):
    sql_type = "date"

    def pack(self, value):
        return "" if value is None else value.isoformat()

    def unpack(self, text):
        return datetime.date.fromisoformat(text) if text else None


class _Decimal(Codec):
    sql_type = "numeric"

    def unpack(self, text):
        return Decimal(text) if text else None


class _Integer(Codec):
    sql_type = "bigint"

    def unpack(self, text):
        return int(text) if text else None


class _Boolean(Codec):
    sql_type = "boolean"

    def pack(self, value):
        return "" if value is None else ("1" if value else "0")

    def unpack(self, text):
        return {"1": True, "0": False}.get(text)


TEXT, DATE, DECIMAL, INTEGER, BOOLEAN = Codec(), _Date(), _Decimal(), _Integer(), _Boolean()


def pack(fields, values):
    """`fields`: ((name, codec), …) in a fixed order; `values`: {name: value}."""
    return SEPARATOR.join([codec.pack(values.get(name)) for name, codec in fields])


def unpack(fields, packed):
    parts = packed.split(SEPARATOR)
    return {name: codec.unpack(part) for (name, codec), part in zip(fields, parts, strict=True)}


def digest(text):
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def digests(texts):
    blake2b = hashlib.blake2b
    return [blake2b(t.encode(), digest_size=16).hexdigest() for t in texts]


def iso_dates(values, memo):
    """ "yyyy-mm-dd" (or "") of each date, each distinct date formatted once (`memo`)."""
    texts = list(map(memo.get, values))
    for index in [i for i, t in enumerate(texts) if t is None]:
        value = values[index]
        texts[index] = memo[value] = "" if value is None else value.isoformat()
    return texts


def sql_value(fields, name, alias="r"):
    """SQL reading field `name` of `alias`, a row of toit.imports.sql.unpack_staged's
    `_import_row` (the packed value split into text columns): NULL when empty, cast to the
    codec's type."""
    from django.db import connection

    from toit.imports import sql

    codec = dict(fields)[name]
    part = f"{alias}.{connection.ops.quote_name(name)}"
    if codec is TEXT:
        return part
    if codec is BOOLEAN:
        return f"(NULLIF({part}, '') = '1')"
    return sql.cast(f"NULLIF({part}, '')", codec.sql_type)
