"""Quoted table and column names for the set-based SQL, read from the models so that a
renamed field breaks loudly rather than writes into the wrong column."""

from django.db import connection


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


def columns(model, names):
    return ", ".join(column(model, name) for name in names)
