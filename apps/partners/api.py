"""The read-only aggregate API for partners, version 1 (django-ninja; OpenAPI description at
/api/partners/v1/openapi.json).

One bearer token per partner (only its SHA-256 hash is stored); calls are rate-limited per
token, guesses per address; every call, refused or answered, is a line in the audit log.
Figures come from the same selectors, with the same suppression, as the partner dashboard.
"""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from apps.core.models import AuditEvent
from apps.core.services import audit_record
from apps.surveys.filters import filter_params

from . import selectors, services
from .models import ApiToken

METHOD_NOTE = (
    "Counts are complete survey responses staff have not excluded. A hidden count is null with "
    "hidden=true, whatever its size: a count from 1 to k-1 respondents is hidden, and where one "
    "cell of a table is hidden another is hidden too (it may be large), so that the first cannot "
    "be worked out from the total. Statistics (means, "
    "shares) resting on fewer than k respondents are null. Counts of k or more carry a small "
    "fixed perturbation (at most 2 either way) that depends only on the respondents counted, "
    "as on the staff dashboards."
)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        # Wrong tokens from this address so far this minute: at the limit, no more tries.
        guesses = get_usage(
            request,
            group="partners-api-guess",
            key="ip",
            rate=settings.PARTNER_API_GUESS_RATE,
            increment=False,
        )
        if guesses and guesses["count"] >= guesses["limit"]:
            raise HttpError(429, _("Too many calls with a wrong token. Wait a minute."))
        row = (
            ApiToken.objects.select_related("partner")
            .filter(token_hash=services.token_hash(token or ""), revoked_at__isnull=True)
            .first()
        )
        if row is None:
            get_usage(
                request,
                group="partners-api-guess",
                key="ip",
                rate=settings.PARTNER_API_GUESS_RATE,
                increment=True,
            )
            audit_record(
                action=AuditEvent.Action.SIGN_IN_FAILED,
                actor_label="api",
                details={"api": request.path, "reason": "unknown or revoked token"},
                request=request,
            )
            return None
        if row.partner.is_suspended:
            services.partner_activity_record(
                partner=row.partner,
                what="api refused: suspended",
                actor_label=f"api {row.prefix}",
                details={"path": request.path},
                request=request,
            )
            raise HttpError(403, str(services.PARTNER_SUSPENDED))
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        services.partner_activity_record(
            partner=row.partner,
            what="api",
            action=AuditEvent.Action.EXPORTED,
            actor_label=f"api {row.prefix}",
            details={"path": request.path, "query": request.GET.urlencode()[:500]},
            request=request,
        )
        return row


api = NinjaAPI(
    title="OST SOC Portal partner API",
    version="1",
    description=(
        "Read-only aggregate figures for partner organizations: the published public figures "
        "and the partner's own figures (its links only). Send the partner's token as "
        "`Authorization: Bearer <token>`. " + METHOD_NOTE
    ),
    urls_namespace="partners_api",
    auth=TokenAuth(),
    throttle=[AuthRateThrottle(settings.PARTNER_API_RATE)],
    docs_url=None,
    openapi_url="/openapi.json",
)


class RowOut(Schema):
    key: str
    label: str
    n: int | None
    share: float | None
    hidden: bool


class TableOut(Schema):
    title: str
    total: int | None
    total_hidden: bool
    rows: list[RowOut]


class TaskOut(Schema):
    code: str
    text: str
    n: int | None
    hidden: bool
    relevance_percent: float | None
    importance_mean: float | None
    classification: str


class LinkOut(Schema):
    id: int
    name: str
    url: str
    ends_on: date | None
    responses: int | None
    hidden: bool


class ProgressOut(Schema):
    total: int | None
    hidden: bool
    target: int
    percent: float | None


class ScopeOut(Schema):
    partner: str
    k: int
    method: str
    as_of: datetime
    progress: ProgressOut
    total: int | None
    total_hidden: bool
    by_state: TableOut
    by_role: TableOut
    by_setting: TableOut
    weekly: TableOut
    tasks: list[TaskOut]
    query_set_too_small: bool = False
    message: str = ""


class PublicOut(Schema):
    k: int
    method: str
    as_of: datetime
    total: int | None
    total_hidden: bool
    by_state: TableOut
    by_role: TableOut
    core_tasks: list[TaskOut] = Field(
        description=(
            "The core tasks of the front-line role (main role 'frontline'), the role the "
            "proposed code would cover: relevance is among that role's respondents asked "
            "about the task; tasks with under 10 ratings or an importance interval wider "
            "than one point are left out."
        )
    )
    crosswalk: TableOut


class ErrorOut(Schema):
    detail: str


def _table(table) -> dict:
    return {
        "title": str(table.title),
        "total": None if table.total_hidden else table.total,
        "total_hidden": table.total_hidden,
        "rows": [
            {
                "key": row.key,
                "label": str(row.label),
                "n": None if row.hidden else row.n,
                "share": row.share,
                "hidden": row.hidden,
            }
            for row in table.rows
        ],
    }


def _tasks(tasks) -> list[dict]:
    return [
        {
            "code": t.task.code,
            "text": t.task.tr("text"),
            "n": None if t.hidden else t.n,
            "hidden": t.hidden,
            "relevance_percent": t.relevance_pct,
            "importance_mean": t.importance_mean,
            "classification": t.classification,
        }
        for t in tasks
    ]


@api.get(
    "/public",
    response={200: PublicOut, 404: ErrorOut},
    summary="The published public figures",
    url_name="public",
)
def public(request):
    if not selectors.results_published():
        return Status(404, {"detail": _("The results are not public yet.")})
    data = selectors.public_results()
    body = {
        "k": data["k"],
        "method": METHOD_NOTE,
        "as_of": data["as_of"],
        "total": None if data["total_hidden"] else data["total"],
        "total_hidden": data["total_hidden"],
        "by_state": _table(data["by_state"]),
        "by_role": _table(data["by_role"]),
        "core_tasks": _tasks(data["core_tasks"]),
        "crosswalk": _table(data["crosswalk"]),
    }
    return Status(200, body)


@api.get(
    "/scope",
    response={200: ScopeOut, 400: ErrorOut},
    summary="The partner's own figures (its links only)",
    description=(
        "Filters (all optional, all inside the partner's links): date_from, date_to "
        "(YYYY-MM-DD), collector (the id of one of the partner's links), state (two letters), "
        "role (slug), setting (code)."
    ),
    url_name="scope",
)
def scope(request):
    partner = request.auth.partner
    filters = filter_params(request.GET)
    wanted = request.GET.get("collector")
    if wanted and filters.get("collector") not in selectors.partner_collector_ids(partner):
        return Status(400, {"detail": _("That link is not one of your organization's links.")})
    data = selectors.partner_dashboard(partner, filters)
    overview = data["overview"]
    progress = data["progress"]
    if data["query_set_too_small"]:  # the filters select under K responses: no figures
        empty = {"title": "", "total": None, "total_hidden": True, "rows": []}
        return Status(
            200,
            {
                "partner": partner.name,
                "k": progress["k"],
                "method": METHOD_NOTE,
                "as_of": timezone.now(),
                "progress": progress,
                "total": None,
                "total_hidden": True,
                "by_state": empty,
                "by_role": empty,
                "by_setting": empty,
                "weekly": empty,
                "tasks": [],
                "query_set_too_small": True,
                "message": data["query_set_too_small"],
            },
        )
    body = {
        "partner": partner.name,
        "k": progress["k"],
        "method": METHOD_NOTE,
        "as_of": timezone.now(),
        "progress": progress,
        "total": None if overview["total_hidden"] else overview["total"],
        "total_hidden": overview["total_hidden"],
        "by_state": _table(overview["by_state"]),
        "by_role": _table(overview["by_role"]),
        "by_setting": _table(overview["by_setting"]),
        "weekly": _table(overview["over_time"]),
        "tasks": _tasks(data["tasks"]),
    }
    return Status(200, body)


@api.get("/links", response=list[LinkOut], summary="The partner's links", url_name="links")
def links(request):
    rows = selectors.partner_links_with_counts(request.auth.partner)
    return [
        {
            "id": row["link"].collector_id,
            "name": row["link"].collector.name,
            "url": request.build_absolute_uri(row["link"].collector.get_absolute_url()),
            "ends_on": row["link"].ends_on,
            "responses": row["n"],
            "hidden": row["hidden"],
        }
        for row in rows
    ]
