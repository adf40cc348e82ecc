"""The guard of the partner area: signed in, a partner's person, the partner not suspended."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse

from .selectors import partner_for_user


def partner_required(view):
    """Anonymous visitors sign in first; accounts that are not a partner's get 403; people of
    a suspended partner get 403 with the reason. The view receives `partner`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("partners:sign_in"))
        partner = partner_for_user(request.user)
        if partner is None:
            return render(request, "partners/not_partner.html", status=403)
        if partner.is_suspended:
            return render(request, "partners/suspended.html", {"partner": partner}, status=403)
        return view(request, *args, partner=partner, **kwargs)

    wrapped.partner_area = True
    return wrapped
