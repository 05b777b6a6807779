"""The départements a piece of work runs in, for the row-level security of the nominative
tables (toit.rowsecurity.policies).

A narrowed scope switches the database connection to settings.TOIT_ROW_SECURITY_ROLE and
sets `toit.departments` to its INSEE codes; leaving it switches back to the login role.
Both are session settings of the connection, written at the start of the work and reset at
its end: requests run in autocommit (each statement its own transaction), where SET LOCAL
would last one statement. Every request sets its own scope first, so that nothing a failed
reset left behind reaches the next one; a reset that fails closes the connection.

Who is narrowed (departments_for):

- a request of a user with memberships in organisations of départements: those départements;
- an anonymous request, or a user with no active membership: no département, no row (the
  API narrows again once a key is recognised: narrow_for);
- a superuser (the Django admin, instance-wide by design, docs/security.md) and a member of a
  national body (no département of its own: it works wherever its participations are, and
  the querysets are its only barrier): not narrowed;
- management commands, the task worker and imports are not requests: they run as the
  owner of the tables, not narrowed, unless they enter `restricted(...)` themselves.

PostgreSQL only, and only with settings.TOIT_ROW_SECURITY: elsewhere every function here
does nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connection

# None: not narrowed. A frozenset of codes (possibly empty): narrowed to them.
_current = ContextVar("toit_row_security_departments", default=None)


def enabled():
    return bool(getattr(settings, "TOIT_ROW_SECURITY", False)) and connection.vendor == "postgresql"


def departments_for(user):
    """The codes to narrow a request of `user` to, or None for not narrowed (see above)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    roles, departments = _memberships(user)
    if not roles:
        return frozenset()
    return departments or None


def _memberships(user):
    """roles_of(user) and departments_of(user): perms reads both in one query and remembers
    them on the user, so the page code that asks again later costs nothing."""
    from toit.organisations.perms import departments_of, roles_of

    return roles_of(user), departments_of(user)


def current():
    return _current.get()


def _write(departments):
    """Set (or reset, for None) the connection's role and départements. Sent on the DB-API
    connection: settings, not a query of the page (the page query counts of the tests stay
    those of the page's own code; bench/national.py measures the whole cost).

    Narrowed, JIT compilation is off: the policies' subqueries raise the planner's cost
    estimates past jit_above_cost, and compiling took 200 ms for a search that runs in 10
    (bench/national.py --explain)."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        if departments is None:
            cursor.execute(
                "SELECT set_config('role', 'none', false), set_config('toit.departments', '', false), "
                "set_config('jit', (SELECT reset_val FROM pg_settings WHERE name = 'jit'), false)"
            )
        else:
            cursor.execute(
                "SELECT set_config('toit.departments', %s, false), set_config('jit', 'off', false), "
                "set_config('role', %s, false)",
                [",".join(sorted(departments)), settings.TOIT_ROW_SECURITY_ROLE],
            )


def _reset():
    try:
        _write(None)
    except Exception:
        # Never hand a connection still narrowed (or of unknown state) to the next user of it.
        connection.close()
        raise


@contextmanager
def restricted(departments):
    """Run the block narrowed to `departments` (INSEE codes), or not narrowed for None."""
    if not enabled():
        yield
        return
    token = _current.set(None if departments is None else frozenset(departments))
    try:
        _write(_current.get())
        yield
    finally:
        _current.reset(token)
        if _current.get() is None:
            _reset()
        else:
            _write(_current.get())


def narrow_for(user):
    """Inside a narrowed block, narrow to `user`'s départements once the user is known later
    than the middleware; the same rules as the middleware's."""
    narrow_to(departments_for(user))


def narrow_to(departments):
    """Inside a narrowed block, narrow to `departments` instead (None: not narrowed). The
    API calls it once it has recognised a key: the middleware saw an anonymous request."""
    if not enabled() or _current.get() is None:
        return
    _current.set(None if departments is None else frozenset(departments))
    _write(_current.get())


def on_connection_created(sender, connection, **kwargs):
    """A connection opened inside a narrowed block starts narrowed."""
    if _current.get() is not None and enabled():
        _write(_current.get())
