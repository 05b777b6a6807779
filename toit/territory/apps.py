from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "toit.territory"
    verbose_name = "Territoire"

    def ready(self):
        from django.db.backends.signals import connection_created

        from toit.utils.collation import register_sqlite_collation

        # Names of communes, organisations, households… are ordered in French in queries
        # (toit.utils.collation.french): SQLite gets PostgreSQL's ICU collation by name.
        connection_created.connect(register_sqlite_collation, dispatch_uid="toit_french_collation")
