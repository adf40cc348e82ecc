from django import template
from django.urls import reverse

from ..tokens import response_delete_token

register = template.Library()


@register.simple_tag
def response_delete_url(response) -> str:
    """The private link where the respondent can delete this response."""
    return reverse("privacy:respondent_delete", kwargs={"token": response_delete_token(response)})
