from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy

from apps.core.models import AuditEvent
from apps.core.redirects import is_safe_next
from apps.core.staff_home import staff_home_context

from . import two_factor
from .forms import SignInForm
from .permissions import role_required
from .roles import ROLES, Role, user_role_level
from .selectors import audit_event_list


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self):
        """Only a path on this site; anything else falls back to the staff landing page."""
        target = super().get_redirect_url()
        return target if is_safe_next(target, self.request) else ""

    def form_valid(self, form):
        """With two-factor sign-in on, the right password only leads to the code step."""
        user = form.get_user()
        if not two_factor.two_factor_enabled(user):
            return super().form_valid(form)
        two_factor.pending_start(self.request, user)
        target = self.get_redirect_url()
        url = reverse("accounts:sign_in_code")
        return redirect(f"{url}?{urlencode({'next': target})}" if target else url)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


@role_required(Role.REVIEWER)
def staff_home(request: HttpRequest) -> HttpResponse:
    level = user_role_level(request.user)
    roles = [role for role in ROLES if role.level <= level]
    return render(
        request,
        "accounts/staff_home.html",
        {
            "role": roles[-1],
            "is_editor": level >= Role.EDITOR.level,
            "is_administrator": level >= Role.ADMINISTRATOR.level,
            # Other apps' lines (contact messages going nowhere, from pages).
            **staff_home_context(request),
        },
    )


@role_required(Role.ADMINISTRATOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    if action not in AuditEvent.Action.values:
        action = ""
    actor = request.GET.get("actor", "")[:150]
    events = audit_event_list(action=action, actor=actor, page=request.GET.get("page", 1))
    return render(
        request,
        "accounts/audit_log.html",
        {"events": events, "actions": AuditEvent.Action.choices, "action": action, "actor": actor},
    )
