from django import template

from ..forms import SignupForm
from ..selectors import mask_email

register = template.Library()


@register.inclusion_tag("mailings/tags/signup_compact.html")
def updates_signup_compact(heading_id: str = "updates-signup-title") -> dict:
    """The short sign-up form (email, language, topics) for other pages; posts to /updates/."""
    return {"form": SignupForm(compact=True, auto_id="updates_%s"), "heading_id": heading_id}


@register.filter
def masked(email: str) -> str:
    return mask_email(email)
