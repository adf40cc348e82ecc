"""Every form's state list is in the order of the names in the page's language: a Spanish
page lists "Carolina del Norte" among the C's, not where "North Carolina" sorts in English."""

import re

import pytest
from django.utils import translation

from apps.comments.forms import BuilderForm, PledgeForm, SubmittedForm
from apps.partners.forms import PartnerFilterForm
from apps.proposals.forms import CommentForm
from apps.surveys.filters import ResponseFilterForm

pytestmark = pytest.mark.django_db

FORMS = [
    lambda: BuilderForm(language=translation.get_language()),
    SubmittedForm,
    PledgeForm,
    PartnerFilterForm,
    CommentForm,
    ResponseFilterForm,
]


def _names(form) -> list[str]:
    return [str(label) for value, label in form.fields["state"].choices if value]


@pytest.mark.parametrize("make", FORMS)
@pytest.mark.parametrize(
    ("language", "before", "after"),
    [("es", "Carolina del Norte", "Colorado"), ("en", "New York", "North Carolina")],
)
def test_states_follow_the_names_in_the_pages_language(make, language, before, after):
    with translation.override(language):
        names = _names(make())
    assert len(names) >= 51
    assert names.index(before) < names.index(after), (language, names[:12])


def test_the_spanish_builder_page_lists_states_in_spanish_order(client, seeded):
    html = client.get("/comment/?lang=es").content.decode()
    select = html.split('name="state"', 1)[1].split("</select>", 1)[0]
    names = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', select)
    assert names.index("Carolina del Norte") < names.index("Colorado")
    assert names.index("Nueva York") < names.index("Ohio")
