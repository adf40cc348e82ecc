"""Sign-ins and sign-outs go to the audit log (accounts should not know about auditing)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent
from .services import audit_record


@receiver(user_logged_in)
def _audit_sign_in(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditEvent.Action.SIGN_IN, actor=user, target=user, request=request)


@receiver(user_logged_out)
def _audit_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action=AuditEvent.Action.SIGN_OUT, actor=user, target=user, request=request)


@receiver(user_login_failed)
def _audit_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the username is kept; the password never reaches the log.
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        actor_label=username,
        details={"username": username},
        request=request,
    )
