"""SQL aggregates the ORM lacks, portable between PostgreSQL and SQLite."""

from django.db import connection
from django.db.models import Aggregate, FloatField


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(p) WITHIN GROUP (ORDER BY x)."""

    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, percentile: float, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


def quartiles(queryset, field: str) -> tuple[int, float | None, float | None, float | None]:
    """n, 25th, 50th and 75th percentile of a numeric column, in one query on PostgreSQL.

    SQLite (the embedded default) has no percentile function: there the values are read in
    order and interpolated the same way (linear, like percentile_cont).
    """
    from django.db.models import Count

    values = queryset.exclude(**{f"{field}__isnull": True})
    if connection.vendor == "postgresql":
        agg = values.aggregate(
            n=Count("pk"),
            p25=PercentileCont(field, 0.25),
            p50=PercentileCont(field, 0.5),
            p75=PercentileCont(field, 0.75),
        )
        return agg["n"], agg["p25"], agg["p50"], agg["p75"]
    ordered = [float(v) for v in values.order_by(field).values_list(field, flat=True)]
    return (len(ordered), *(_interpolate(ordered, p) for p in (0.25, 0.5, 0.75)))


def _interpolate(ordered: list[float], p: float) -> float | None:
    if not ordered:
        return None
    position = p * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
