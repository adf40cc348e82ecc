from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CODE_NAME_MAX, NOTE_MAX, Code


class CodeForm(forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=CODE_NAME_MAX)
    name_es = forms.CharField(label=_("Name (Spanish)"), max_length=CODE_NAME_MAX, required=False)
    description_en = forms.CharField(
        label=_("Description (English)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When to use the code, with an example."),
    )
    description_es = forms.CharField(
        label=_("Description (Spanish)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.ModelChoiceField(
        label=_("Under"),
        queryset=Code.objects.none(),
        required=False,
        empty_label=_("(top level)"),
        help_text=_("Codes nest one level: a sub-code sits under a top-level code."),
    )

    def __init__(self, *args, exclude: Code | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Code.objects.filter(parent__isnull=True).order_by("name_en")
        if exclude is not None:
            qs = qs.exclude(pk=exclude.pk)
        self.fields["parent"].queryset = qs
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "That code no longer exists or cannot be a parent; choose another."
        )

    def clean_name_en(self):
        name = " ".join(self.cleaned_data["name_en"].split())
        if not name:
            raise forms.ValidationError(_("Give the code a name."))
        return name


class MergeForm(forms.Form):
    source = forms.TypedChoiceField(label=_("Merge this code"), coerce=int, choices=[])
    target = forms.TypedChoiceField(label=_("into this code"), coerce=int, choices=[])

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            self.fields[name].choices = [("", "—"), *choices]
            self.fields[name].error_messages["invalid_choice"] = _(
                "That code no longer exists (someone may have merged it); choose again."
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("source") == cleaned.get("target"):
            raise forms.ValidationError(_("Choose two different codes to merge."))
        return cleaned


class ApplyCodeForm(forms.Form):
    code = forms.TypedChoiceField(label=_("Code"), coerce=int, choices=[])
    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[("whole", _("The whole answer")), ("span", _("A passage"))],
        initial="whole",
        widget=forms.RadioSelect,
    )
    sentence = forms.ChoiceField(label=_("Choose a sentence"), required=False, choices=[])
    start = forms.IntegerField(label=_("From character"), required=False, min_value=0)
    end = forms.IntegerField(label=_("To character"), required=False, min_value=1)

    def __init__(self, *args, choices, sentences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "—"), *choices]
        self.fields["code"].error_messages["invalid_choice"] = _(
            "That code no longer exists (it may have been merged); choose another."
        )
        self.fields["sentence"].choices = [("", _("(or give the characters below)"))] + [
            (f"{s}-{e}", f"{s}–{e}: {text[:80]}") for s, e, text in sentences
        ]

    def span(self) -> tuple:
        """(start, end) chosen: a sentence, or the typed offsets; (None, None) for all."""
        data = self.cleaned_data
        if data.get("scope") != "span":
            return None, None
        if data.get("sentence"):
            start, end = data["sentence"].split("-")
            return int(start), int(end)
        return data.get("start"), data.get("end")

    def clean(self):
        cleaned = super().clean()
        no_offsets = cleaned.get("start") is None or cleaned.get("end") is None
        if cleaned.get("scope") == "span" and not cleaned.get("sentence") and no_offsets:
            raise forms.ValidationError(
                _("Select a passage, choose a sentence, or give its first and last character.")
            )
        return cleaned


class QuoteForm(forms.Form):
    prefix = "quote"
    sentence = forms.ChoiceField(label=_("Choose a sentence"), required=False, choices=[])
    start = forms.IntegerField(label=_("From character"), required=False, min_value=0)
    end = forms.IntegerField(label=_("To character"), required=False, min_value=1)
    note = forms.CharField(
        label=_("Note (why this quote)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, sentences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sentence"].choices = [("", _("(or give the characters below)"))] + [
            (f"{s}-{e}", f"{s}–{e}: {text[:80]}") for s, e, text in sentences
        ]

    def span(self) -> tuple:
        data = self.cleaned_data
        if data.get("sentence"):
            start, end = data["sentence"].split("-")
            return int(start), int(end)
        return data.get("start"), data.get("end")


class CoderPairForm(forms.Form):
    coder_a = forms.TypedChoiceField(label=_("First reviewer"), coerce=int, choices=[])
    coder_b = forms.TypedChoiceField(label=_("Second reviewer"), coerce=int, choices=[])

    def __init__(self, *args, coders, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.pk, f"{u.get_username()} ({u.n_coded})") for u in coders]
        for name in ("coder_a", "coder_b"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["class"] = "form-select"
