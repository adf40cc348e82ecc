"""With a real broker and worker (CI's second pass): a dashboard that finds its figures
behind the responses queues a refresh, and the worker brings them up to date."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from apps.insights import cube, selectors, sources

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.celery_worker
def test_a_stale_dashboard_queues_a_refresh_that_a_worker_runs(build, real_broker, settings):
    # Enough responses that the disclosure layer shows the counts; compared without its noise.
    settings.INSIGHTS_NOISE = False
    for _ in range(5):
        build(state="CA")
    cube.rebuild()
    for _ in range(5):
        build(state="TX")
    with start_worker(real_broker, perform_ping_check=False, shutdown_timeout=10):
        # Behind by one response, but recent: the page uses the figures and queues a refresh.
        assert isinstance(sources.source_for({}), sources.CubeSource)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if cube.current_build().watermark == cube.watermark():
                break
            time.sleep(0.2)
    assert cube.current_build().watermark == cube.watermark()
    assert selectors.overview({})["total"] == 10
    assert selectors.overview({"state": "TX"})["total"] == 5
