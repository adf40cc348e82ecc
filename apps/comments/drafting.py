"""Turn the builder's answers into a first draft, in the language the person chose."""

from django.utils import translation
from django.utils.translation import gettext as _

from apps.pages.models import Occupation
from apps.surveys.models import Role
from apps.surveys.scales import US_STATES

from .forms import ASK_CHOICES, SETTING_CHOICES


def _label(choices, value) -> str:
    return str(dict(choices).get(value, "")) if value else ""


def compose_draft(*, data: dict, notice=None) -> str:
    """A plain-text draft from BuilderForm.cleaned_data. Nothing here is stored."""
    language = data.get("draft_language") or "en"
    with translation.override(language):
        return _compose(data, notice)


def _compose(data: dict, notice) -> str:
    parts: list[str] = []
    if notice is not None:
        header = notice.required_header or (
            _("Docket %(docket)s") % {"docket": notice.docket_id} if notice.docket_id else ""
        )
        if header:
            parts.append(header)
        parts.append(
            _("Comment on %(citation)s") % {"citation": notice.citation}
            + (f" (FR Doc. {notice.document_number})" if notice.document_number else "")
        )
    role = Role.objects.filter(slug=data.get("role")).first()
    intro = _("I work in out-of-school-time programs.")
    if data.get("job_title"):
        intro += " " + _("My job title is %(title)s.") % {"title": data["job_title"]}
    if role is not None:
        intro += " " + _("My main role: %(role)s.") % {"role": role.tr("label")}
    setting = _label(SETTING_CHOICES, data.get("setting"))
    state = _label(US_STATES, data.get("state"))
    if setting:
        intro += " " + _("Where my program takes place: %(setting)s.") % {"setting": setting}
    if state:
        intro += " " + _("I work in %(state)s.") % {"state": state}
    years = data.get("years_in_field")
    if years is not None:
        if years == 0:
            intro += " " + _("I started in this field less than a year ago.")
        else:
            intro += " " + translation.ngettext(
                "I have worked in this field for %(years)d year.",
                "I have worked in this field for %(years)d years.",
                years,
            ) % {"years": years}
    parts.append(intro)
    tasks = list(data.get("tasks") or [])
    if tasks:
        lines = [_("These are tasks I actually do in my job:")]
        lines += [f"- {task.tr('text')}" for task in tasks]
        parts.append("\n".join(lines))
    story = (data.get("story") or "").strip()
    if story:
        parts.append(_("An example from my work:") + "\n" + story)
    code = data.get("employer_code")
    if code:
        occupation = Occupation.objects.filter(code=code).order_by("-soc_edition").first()
        title = occupation.tr("title") if occupation else ""
        parts.append(
            _(
                "My employer reports my job as %(title)s (%(code)s). That occupation does not "
                "describe the work listed above."
            )
            % {"title": title, "code": code}
        )
    else:
        parts.append(_("No existing occupation describes the combination of tasks listed above."))
    points = list(data.get("talking_points") or [])
    if points:
        parts.append("\n".join(p.tr("text") for p in points))
    ask = _label(ASK_CHOICES, data.get("ask"))
    if ask:
        request = _("I ask the SOC Policy Committee to do the following: %(ask)s.") % {
            "ask": ask[0].lower() + ask[1:]
        }
        detail = (data.get("ask_detail") or "").strip()
        parts.append(request + (f" {detail}" if detail else ""))
    parts.append(_("Thank you for considering this comment."))
    return "\n\n".join(parts) + "\n"
