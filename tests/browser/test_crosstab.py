"""A Reviewer crosses two questions on the cross-tab page, sees the table, downloads its CSV
(the same figures) and the page passes axe, in English and in Spanish, on a desktop and a
phone."""

import csv
import io
import re

import pytest

from apps.accounts.roles import Role
from tests.factories import make_user

from .conftest import DESKTOP, PHONE, assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def data_site(site):
    from apps.surveys.models import Survey
    from apps.surveys.seeding import seed_survey
    from devtools.synthetic import synthetic_responses_generate

    seed_survey()
    synthetic_responses_generate(
        survey=Survey.objects.get(slug="ost-roles-duties"), count=80, seed=5
    )
    return site


@pytest.mark.parametrize(
    "language,viewport,words",
    [
        ("en", DESKTOP, {"show": "Show the table", "rows": "Rows", "download": "Download"}),
        ("es", PHONE, {"show": "Mostrar la tabla", "rows": "Filas", "download": "Descargar"}),
    ],
    ids=["english-desktop", "spanish-phone"],
)
def test_a_reviewer_crosses_two_questions_and_downloads_the_csv(
    data_site, pages, tmp_path, language, viewport, words
):
    page = pages.open(viewport=viewport)
    sign_in(page, data_site.url, make_user(Role.REVIEWER))
    page.goto(data_site.url + f"/staff/insights/crosstab/?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    assert_no_axe_violations(page)  # the picker, before a table
    page.get_by_label(words["rows"], exact=True).select_option("role")
    page.locator("#crosstab-columns").select_option("full_time")
    page.get_by_role("button", name=words["show"]).click()
    page.wait_for_url("**rows=role**columns=full_time**")
    table = page.locator("table.crosstab")
    table.wait_for()
    assert table.locator("caption").count() == 1
    assert table.locator("th[scope=col]").count() >= 3
    assert table.locator("th[scope=row]").count() >= 2
    assert_no_axe_violations(page)
    # best practice: the scrolling region is not labelled like its section (landmark-unique)
    unique = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'rule', "
        "values: ['landmark-unique']}})).violations.length"
    )
    assert unique == 0
    legend = {"en": "x = hidden: fewer than", "es": "x = oculto: menos de"}[language]
    assert legend in page.locator(".hidden-legend").inner_text()
    grand = table.locator("tfoot td").last.inner_text().strip()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(words["download"])).click()
    path = tmp_path / "crosstab.csv"
    info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[1] == ["row", "column", "n", "row_percent"]
    assert rows[-1][2] == grand  # the grand total: the same figure on the page and in the file
    assert len(rows) - 2 == table.locator("td").count()  # one line per cell shown
    assert not pages.console_errors
