from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.surveys.scales import states_led_by

from . import evidence
from .models import (
    COMMENT_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    EvidenceBlock,
    Proposal,
    ProposalComment,
    ProposalExport,
)


class ProposalSettingsForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title_en", "title_es", "notice_citation", "docket_id", "submitter"]


class SectionForm(forms.Form):
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Markdown: # heading, **bold**, *italic*, - list. Up to 20,000 characters. "
            "Raw HTML and scripts are removed when the text is shown."
        ),
    )
    # The revision the editor started from: a save from an older one is a conflict.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if len(body) > SECTION_MAX_LENGTH:
            raise forms.ValidationError(
                _(
                    "This section is too long: at most %(max)s characters (it has %(n)s). "
                    "Shorten it or move detail to an appendix; your text is still in the box."
                ),
                params={"max": f"{SECTION_MAX_LENGTH:,}", "n": f"{len(body):,}"},
            )
        return body


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Evidence to insert"), choices=EvidenceBlock.Kind.choices)
    limit = forms.IntegerField(
        label=_("How many rows (tasks or job titles)"),
        required=False,
        min_value=1,
        max_value=evidence.MAX_LIMIT,
    )
    facts = forms.MultipleChoiceField(
        label=_("Workforce profile facts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )
    quote_ids = forms.MultipleChoiceField(
        label=_("Quotes (only those the respondent agreed to have quoted publicly)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args, quotes=(), fact_labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        fact_labels = fact_labels or {}
        self.fields["facts"].choices = [
            (key, fact_labels.get(key, key)) for key in evidence.PROFILE_FACTS
        ]
        self.fields["quote_ids"].choices = [
            (str(q["id"]), f"“{q['text'][:160]}” ({q['role']})") for q in quotes
        ]
        if not quotes:
            self.fields["kind"].choices = [
                c for c in EvidenceBlock.Kind.choices if c[0] != EvidenceBlock.Kind.QUOTES
            ]
            del self.fields["quote_ids"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == EvidenceBlock.Kind.QUOTES and not cleaned.get("quote_ids"):
            self.add_error("quote_ids", _("Choose at least one quote."))
        return cleaned


class VersionForm(forms.Form):
    note = forms.CharField(label=_("What changed (optional)"), max_length=200, required=False)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=ProposalExport.Format.choices, widget=forms.RadioSelect
    )


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=120, required=False, help_text=_("Optional.")
    )
    organization = forms.CharField(
        label=_("Organization"), max_length=200, required=False, help_text=_("Optional.")
    )
    role = forms.ChoiceField(
        label=_("Your role"),
        choices=[("", _("Choose one"))] + list(ProposalComment.CommenterRole.choices),
    )
    state = forms.ChoiceField(
        label=_("State where you work"), choices=states_led_by(_("Choose one"))
    )
    body = forms.CharField(
        label=_("Your comment on this section"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Up to 5,000 characters. Comments are read by the editors before they appear. "
            "Please do not include personal information about anyone."
        ),
    )
    # Honeypot: hidden from people (and from screen readers), filled in by naive bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organization"].widget.attrs["autocomplete"] = "organization"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            "organization",
            "role",
            "state",
            "body",
            Div(Field("website"), css_class="hp-field", aria_hidden="true"),
        )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if len(body) < 10:
            raise forms.ValidationError(_("Please write at least a few words (10 characters)."))
        return body

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Response"), choices=ProposalComment.Disposition.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (shown with the comment)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
