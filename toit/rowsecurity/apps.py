from django.apps import AppConfig


class RowSecurityConfig(AppConfig):
    name = "toit.rowsecurity"
    verbose_name = "Sécurité au niveau des lignes"

    def ready(self):
        from django.db.backends.signals import connection_created

        from toit.rowsecurity import scope

        # A connection opened in the middle of a request (the first query, or a reconnection)
        # gets the request's départements before its first query.
        connection_created.connect(scope.on_connection_created, dispatch_uid="toit_row_security")
