"""ORM queries whose SQL text never changes, compiled once per database connection.

Building a QuerySet and compiling it (joins, select list, quoting) can cost more CPU than
running a small indexed query: on a survey page POST it was about a third of the view's
Python time (bench/submit_bench.py, profiled). A `CompiledQuery` builds and compiles its
QuerySet the first time a connection runs it, keeps the SQL text, and from then on only
executes that text with the new parameters; the rows go through the compiler's converters,
as the ORM would convert them (SQLite's decimals and datetimes, for instance).

Only for queries whose SQL does not depend on the values: equality on columns, not `__in`
lists (their length is in the text) nor None (IS NULL). The parameters the ORM compiled are
checked against `params` on that first compile, so a query whose parameters do not map one
to one fails loudly instead of running with the wrong values.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.transaction import TransactionManagementError

_CACHE_ATTRIBUTE = "_ostportal_compiled_queries"


class CompiledQuery:
    """`build(*args)` returns the QuerySet for these values (values_list or values); `params(
    connection, *args)` returns the SQL parameters in the order the compiled text takes them,
    prepared for that connection (e.g. `field.get_db_prep_value(value, connection)`)."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        params: Callable[..., list],
        *,
        using: str = DEFAULT_DB_ALIAS,
    ):
        self._build = build
        self._params = params
        self._using = using

    def sql(self, *args) -> str:
        """The SQL text this connection runs (compiling it if needed)."""
        connection = connections[self._using]
        return self._get(connection, args, self._params(connection, *args))[0]

    def rows(self, *args) -> list[tuple]:
        """Run the query for these values; the rows as the ORM's values_list gives them."""
        connection = connections[self._using]
        params = self._params(connection, *args)
        sql, compiler, converters, for_update = self._get(connection, args, params)
        if for_update and connection.get_autocommit():
            # What the ORM's compiler says for a locking read outside a transaction.
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            return [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return [tuple(row) for row in rows]

    def _get(self, connection, args, params):
        # Kept on the connection object (the SQL text can differ between backends: quoting,
        # FOR UPDATE), so it goes with it. Not in a weak dictionary keyed by the connection:
        # the compiled entry (its compiler, its converters) refers back to the connection, so
        # such a key is never freed, and a thread's connection stayed open after the thread
        # ended (runserver and ASGI start a thread per request).
        cache = connection.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        compiled = cache.get(self)
        if compiled is None:
            compiled = cache[self] = self._compile(connection, args, params)
        return compiled

    def _compile(self, connection, args, params):
        queryset = self._build(*args)
        if queryset.db != connection.alias:
            raise ValueError(f"the query runs on {queryset.db!r}, not {connection.alias!r}")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, compiled_params = compiler.as_sql()
        if list(compiled_params) != list(params):
            raise ValueError(
                f"the compiled parameters {list(compiled_params)!r} are not {list(params)!r}: "
                "this query's SQL depends on its values, it cannot be compiled once"
            )
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.has_extra_select or compiler.has_composite_fields(fields):
            raise ValueError("extra select columns and composite fields are not supported")
        converters = compiler.get_converters(fields)
        for_update = bool(
            queryset.query.select_for_update and connection.features.has_select_for_update
        )
        return sql, compiler, converters, for_update
