"""Turn the builder's answers into a first draft, in the language the person chose.

The draft states only what the person said. Every sentence carries the keys of the answers
that produced it (`Sentence.keys`); the only sentences without answer keys are the notice's
own header lines and the closing courtesy, which make no claim about the person. Nothing is
added when an answer is left empty: no default claim stands in for a missing answer. The
talking points the person picks are not pasted in: they are the portal's words, not theirs
(and the same words in many comments add little beyond the first); the draft page shows
them beside the text to say in their own words.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from apps.pages.selectors import occupation_by_code
from apps.surveys.scales import US_STATES
from apps.surveys.selectors import role_by_slug

from .forms import ASK_CHOICES, NO_OCCUPATION_FITS, SETTING_CHOICES

# The setting "Somewhere else": stated by nothing in a draft.
OTHER_SETTING = "other"

# Answer keys (BuilderForm fields) a sentence can come from; draft_language only chooses
# the language and the honeypot is never used.
ANSWER_KEYS = (
    "role",
    "volunteer",
    "job_title",
    "years_in_field",
    "setting",
    "state",
    "tasks",
    "story",
    "description",
    "employer_code",
    "closest_code",
    "closest_fit",
    "ask",
    "ask_detail",
)
# Answered in the builder but never written into the draft: shown beside it instead.
REMINDER_KEYS = ("talking_points",)


@dataclass(frozen=True)
class Sentence:
    text: str
    # The answers this sentence states; empty only for the notice header and the closing.
    keys: tuple[str, ...] = ()
    # "answer", "notice" or "closing"
    source: str = "answer"


@dataclass
class Paragraph:
    sentences: list[Sentence] = field(default_factory=list)
    # Sentences of a paragraph run on (" ") or stand on their own lines ("\n").
    separator: str = " "

    def render(self) -> str:
        return self.separator.join(s.text for s in self.sentences)


@dataclass
class Draft:
    language: str
    paragraphs: list[Paragraph]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    @property
    def text(self) -> str:
        return "\n\n".join(p.render() for p in self.paragraphs if p.sentences) + "\n"


def answered(data: dict) -> set[str]:
    """The answer keys the person gave with content (what the draft must state)."""
    given = set()
    for key in ANSWER_KEYS:
        value = data.get(key)
        if key == "years_in_field":
            if value is not None:
                given.add(key)
        elif key == "setting" and value == OTHER_SETTING:
            continue  # "Other": nothing specific to say, the draft leaves it out
        elif isinstance(value, bool):
            if value:
                given.add(key)
        elif isinstance(value, str):
            if value.strip():
                given.add(key)
        elif value is not None and (not hasattr(value, "__len__") or len(value)):
            given.add(key)
    return given


def _label(choices, value) -> str:
    return str(dict(choices).get(value, "")) if value else ""


def occupation_name(code: str) -> str:
    """ "Title (code)" in the active language, or the bare code if it is not in the table."""
    occupation = occupation_by_code(code)
    title = occupation.tr("title") if occupation else ""
    return f"{title} ({code})" if title else code


def compose(*, data: dict, notice=None) -> Draft:
    """The draft from BuilderForm.cleaned_data, sentence by sentence. Nothing is stored."""
    language = data.get("draft_language") or "en"
    with translation.override(language):
        return Draft(language=language, paragraphs=_compose(data, notice))


def compose_draft(*, data: dict, notice=None) -> str:
    """The draft as plain text."""
    return compose(data=data, notice=notice).text


def _fit_sentence(code: str, fit: str) -> Sentence:
    name = occupation_name(code)
    if not fit:
        return Sentence(
            _("The closest existing occupation to my work is %(occupation)s.")
            % {"occupation": name},
            ("closest_code",),
        )
    texts = {
        "1": _("The closest existing occupation, %(occupation)s, does not describe my work."),
        "2": _("The closest existing occupation, %(occupation)s, describes my work poorly."),
        "3": _("The closest existing occupation, %(occupation)s, describes my work only partly."),
        "4": _("The closest existing occupation, %(occupation)s, describes my work very well."),
    }
    return Sentence(texts[fit] % {"occupation": name}, ("closest_code", "closest_fit"))


def _compose(data: dict, notice) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    if notice is not None:
        header = notice.required_header or (
            _("Docket %(docket)s") % {"docket": notice.docket_id} if notice.docket_id else ""
        )
        lines = [Sentence(header, source="notice")] if header else []
        lines.append(
            Sentence(
                _("Comment on %(citation)s") % {"citation": notice.citation}
                + (f" (FR Doc. {notice.document_number})" if notice.document_number else ""),
                source="notice",
            )
        )
        paragraphs += [Paragraph([line]) for line in lines]

    about = Paragraph()
    role = role_by_slug(data.get("role"))
    volunteer = bool(data.get("volunteer"))
    if role is not None:
        about.sentences.append(
            Sentence(_("I volunteer in out-of-school-time programs."), ("role", "volunteer"))
            if volunteer
            else Sentence(_("I work in out-of-school-time programs."), ("role",))
        )
    job_title = (data.get("job_title") or "").strip()
    if job_title:
        about.sentences.append(
            Sentence(_("My job title is %(title)s.") % {"title": job_title}, ("job_title",))
        )
    # The role as it reads in a sentence (no list label: no slashes, no gendered Spanish
    # title, no "(write in)"); a role without one ("other") is stated by the job title only.
    role_phrase = role.tr("in_sentence") if role is not None else ""
    if role_phrase:
        about.sentences.append(
            Sentence(_("My main role: %(role)s.") % {"role": role_phrase}, ("role",))
        )
    setting = (
        "" if data.get("setting") == OTHER_SETTING else _label(SETTING_CHOICES, data.get("setting"))
    )
    if setting[1:2].islower():  # "At a school" reads "at a school" after the colon
        setting = setting[:1].lower() + setting[1:]
    if setting:
        about.sentences.append(
            Sentence(
                _("Where my program takes place: %(setting)s.") % {"setting": setting},
                ("setting",),
            )
        )
    state = _label(US_STATES, data.get("state"))
    if state:
        about.sentences.append(Sentence(_("I work in %(state)s.") % {"state": state}, ("state",)))
    years = data.get("years_in_field")
    if years is not None:
        if years == 0:
            text = _("I started in this field less than a year ago.")
        else:
            text = translation.ngettext(
                "I have worked in this field for %(years)d year.",
                "I have worked in this field for %(years)d years.",
                years,
            ) % {"years": years}
        about.sentences.append(Sentence(text, ("years_in_field",)))
    paragraphs.append(about)

    tasks = list(data.get("tasks") or [])
    if tasks:
        heading = (
            _("These are tasks I actually do as a volunteer:")
            if volunteer
            else _("These are tasks I actually do in my job:")
        )
        lines = [Sentence(heading, ("tasks",))]
        lines += [Sentence(f"- {task.tr('text')}", ("tasks",)) for task in tasks]
        paragraphs.append(Paragraph(lines, separator="\n"))
    story = (data.get("story") or "").strip()
    if story:
        paragraphs.append(
            Paragraph(
                [
                    Sentence(_("An example from my work:"), ("story",)),
                    Sentence(story, ("story",)),
                ],
                separator="\n",
            )
        )

    description = (data.get("description") or "").strip()
    if description:
        paragraphs.append(
            Paragraph(
                [
                    Sentence(_("How I describe my work:"), ("description",)),
                    Sentence(description, ("description",)),
                ],
                separator="\n",
            )
        )

    codes = Paragraph()
    employer_code = data.get("employer_code") or ""
    if employer_code:
        codes.sentences.append(
            Sentence(
                _("My employer reports my job under the occupation %(occupation)s.")
                % {"occupation": occupation_name(employer_code)},
                ("employer_code",),
            )
        )
    closest = data.get("closest_code") or ""
    if closest == NO_OCCUPATION_FITS:
        codes.sentences.append(
            Sentence(
                _("None of the existing occupations on the federal list fits my job."),
                ("closest_code",),
            )
        )
    elif closest:
        codes.sentences.append(_fit_sentence(closest, data.get("closest_fit") or ""))
    paragraphs.append(codes)

    request = Paragraph()
    ask = _label(ASK_CHOICES, data.get("ask"))
    if ask:
        request.sentences.append(
            Sentence(
                _("I ask the SOC Policy Committee to do the following: %(ask)s.")
                % {"ask": ask[0].lower() + ask[1:]},
                ("ask",),
            )
        )
    detail = (data.get("ask_detail") or "").strip()
    if detail:
        request.sentences.append(Sentence(detail, ("ask_detail",)))
    paragraphs.append(request)
    paragraphs.append(
        Paragraph([Sentence(_("Thank you for considering this comment."), source="closing")])
    )
    return [p for p in paragraphs if p.sentences]
