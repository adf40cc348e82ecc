from datetime import timedelta

import pytest
from django.utils import timezone

from apps.insights import cube
from apps.insights.models import CubeBuild
from apps.insights.status_checks import dashboard_figures

pytestmark = pytest.mark.django_db


def test_status_line_says_whether_the_dashboard_figures_are_current(build, client, editor):
    (item,) = dashboard_figures()
    assert item.state == "info" and "no responses" in item.value
    build()
    (item,) = dashboard_figures()
    assert item.state == "warning" and "not built" in item.value
    cube.rebuild()
    (item,) = dashboard_figures()
    assert item.state == "ok" and "up to date" in item.value
    build()  # a new response: behind, but within a minute
    (item,) = dashboard_figures()
    assert item.state == "ok" and "refreshing" in item.value
    CubeBuild.objects.update(built_at=timezone.now() - timedelta(minutes=5))
    (item,) = dashboard_figures()
    assert item.state == "problem" and "behind" in item.value
    client.force_login(editor)
    assert "Dashboard figures" in client.get("/staff/status/").content.decode()
