"""Health endpoints for the proxy and supervisor, and the staff status page."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role

from .health import readiness, readiness_warnings
from .status import status_items


# Not wrapped in a transaction (ATOMIC_REQUESTS would open a database connection first).
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches neither the database nor the broker."""
    return JsonResponse({"status": "ok"})


@transaction.non_atomic_requests
@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when the database and the broker answer, else 503. Names only which
    part failed, never hosts, addresses or error texts."""
    checks = readiness()
    ready = all(checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        # Problems that do not make this process unfit for traffic, but that someone must
        # fix: contact messages with nowhere to go.
        "warnings": readiness_warnings() if checks["database"] else [],
    }
    return JsonResponse(body, status=200 if ready else 503)


@role_required(Role.EDITOR)
def status_page(request: HttpRequest) -> HttpResponse:
    """Staff: queue depth, failed or waiting jobs and messages, the last export (Editors and
    Administrators)."""
    items = status_items()
    return render(
        request,
        "operations/status.html",
        {
            "items": items,
            "checked_at": timezone.now(),
            "problems": sum(1 for item in items if item.state in ("warning", "problem")),
        },
    )
