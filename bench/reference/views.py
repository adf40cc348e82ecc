from django import forms
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token

from .models import ReferenceRow


class ReferenceForm(forms.Form):
    name = forms.CharField(max_length=100)
    count = forms.IntegerField(min_value=0, max_value=1000)


def reference_form(request):
    """The baseline: validate a small form and save one row (same middleware as the portal)."""
    if request.method == "POST":
        form = ReferenceForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest("invalid")
        ReferenceRow.objects.create(**form.cleaned_data)
        return HttpResponse(status=302, headers={"Location": "/bench/reference/"})
    return HttpResponse(f"<form method=post>{get_token(request)}</form>")
