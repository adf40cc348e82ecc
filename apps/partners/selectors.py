"""Reads for partners. Every figure comes from apps.insights.selectors with the partner's
scope as the `collectors` filter, so the same disclosure control applies within it."""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from apps.insights import selectors as insights
from apps.insights.cube import watermark
from apps.insights.disclosure import k
from apps.insights.sources import source_for
from apps.surveys.selectors import role_by_slug

from .models import ApiToken, Partner, PartnerLink, PartnerMember, ResultsPublication

# Filters a partner may narrow its scope by (all applied inside the scope).
PARTNER_FILTERS = ("date_from", "date_to", "collector", "state", "role", "setting")


def partner_for_user(user) -> Partner | None:
    """The partner a signed-in person belongs to, or None (staff, anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = PartnerMember.objects.select_related("partner").filter(user=user).first()
    return member.partner if member else None


def partner_link_list(partner: Partner):
    return PartnerLink.objects.filter(partner=partner).select_related("collector")


def partner_collector_ids(partner: Partner) -> list[int]:
    return list(PartnerLink.objects.filter(partner=partner).values_list("collector_id", flat=True))


def partner_params(partner: Partner, filters: dict) -> dict:
    """Filter params limited to the partner's links: a link filter that is not theirs narrows
    to nothing rather than widening to someone else's."""
    ids = partner_collector_ids(partner)
    params = {key: filters[key] for key in PARTNER_FILTERS if filters.get(key)}
    link = params.pop("collector", None)
    if link is None:
        params["collectors"] = ids
    else:
        params["collectors"] = [int(link)] if int(link) in ids else []
    return params


def partner_dashboard(partner: Partner, filters: dict) -> dict:
    """The partner's overview and duties (through the disclosure layer), and progress
    against the target over all its links."""
    params = partner_params(partner, filters)
    scope = insights.link_counts({"collectors": partner_collector_ids(partner)})
    notice = insights.query_set_notice(params)
    return {
        "params": params,
        "query_set_too_small": notice,
        "overview": None if notice else insights.overview(params),
        "tasks": [] if notice else insights.task_table(params, sort="relevance"),
        "progress": progress(partner, scope.total, hidden=scope.total_hidden),
    }


def partner_duties(partner: Partner, filters: dict) -> list:
    """(The task ratings of the partner's scope, through the disclosure layer; the minimum
    query-set size message instead, with no ratings, when the filters select under K.)"""
    params = partner_params(partner, filters)
    if notice := insights.query_set_notice(params):
        return [], notice
    return insights.task_table(params, sort="relevance"), ""


def progress(partner: Partner, total: int | None, *, hidden: bool) -> dict:
    """Complete responses (as the disclosure layer shows them) against the target staff set;
    no count when it is hidden."""
    target = partner.target_responses
    percent = None
    if target and not hidden and total is not None:
        percent = min(100.0, 100 * total / target)
    return {
        "total": None if hidden else total,
        "hidden": hidden,
        "target": target,
        "percent": percent,
        "percent_int": None if percent is None else int(percent),
        "k": k(),
    }


def partner_links_with_counts(partner: Partner) -> list[dict]:
    """Each link with its complete responses (suppressed as one table with their total)."""
    links = list(partner_link_list(partner))
    table = insights.link_counts({"collectors": [link.collector_id for link in links]})
    rows = {row.key: row for row in table.rows}
    result = []
    for link in links:
        row = rows.get(str(link.collector_id))
        result.append(
            {
                "link": link,
                "n": None if row is None or row.hidden else row.n,
                "hidden": bool(row and row.hidden),
            }
        )
    return result


def partner_api_token(partner: Partner) -> ApiToken | None:
    return ApiToken.objects.filter(partner=partner, revoked_at__isnull=True).first()


def results_published() -> bool:
    row = ResultsPublication.objects.filter(pk=1).first()
    return bool(row and row.is_published)


def results_publication() -> ResultsPublication:
    return ResultsPublication.objects.filter(pk=1).first() or ResultsPublication(pk=1)


PUBLIC_CACHE_SECONDS = 60


def public_results() -> dict:
    """The headline figures the public sees, with their data stamp: the staff selectors'
    unfiltered figures through the disclosure layer. Cached a minute per language and state
    of the responses (a submitted, excluded or deleted response changes the key at once)."""
    noise = getattr(settings, "INSIGHTS_NOISE", True)
    key = f"partners:public-results:{get_language()}:{noise}:{watermark()}"
    data = cache.get(key)
    if data is not None:
        return data
    params: dict = {}
    overview = insights.overview(params)
    # Core tasks of the front-line role (insights.CORE_TASKS_ROLE), precise figures only.
    tasks = insights.task_table({"role": insights.CORE_TASKS_ROLE}, sort="relevance")
    data = {
        "total": overview["total"],
        "total_hidden": overview["total_hidden"],
        "by_state": overview["by_state"],
        "by_role": overview["by_role"],
        "core_tasks": [t for t in tasks if t.classification == "core" and not t.low_precision],
        "core_role": role_by_slug(insights.CORE_TASKS_ROLE),
        "titles": insights.job_titles(params)["canonical"][:25],
        "crosswalk": insights.crosswalk(params)["pooled"],
        "as_of": getattr(source_for(params), "as_of", None) or timezone.now(),
        "k": k(),
    }
    cache.set(key, data, PUBLIC_CACHE_SECONDS)
    return data


def partner_list_for_staff():
    from django.db.models import Count

    return Partner.objects.annotate(
        n_links=Count("links", distinct=True), n_members=Count("members", distinct=True)
    ).order_by("name")


def partner_staff_detail(partner: Partner, *, page=1) -> dict:
    """What Administrators see of one partner: people, invitations, links, token, and the
    audit lines of what its people saw or downloaded (paginated)."""
    from django.core.paginator import Paginator

    from apps.core.models import AuditEvent

    events = AuditEvent.objects.filter(
        object_type=Partner._meta.label_lower, object_id=str(partner.pk)
    ).order_by("-created_at", "-id")
    return {
        "members": partner.members.select_related("user").order_by("user__username"),
        "invitations": partner.invitations.order_by("-created_at")[:20],
        "link_rows": partner_links_with_counts(partner),
        "token": partner_api_token(partner),
        "events": Paginator(events, 50).get_page(page),
    }
