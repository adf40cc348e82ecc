"""The staff status page's lines about emails waiting (contact messages, survey
confirmations), and the readiness warning when contact messages would go to no one (moved from
apps.operations so that operations imports no feature app)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.operations.health import register_readiness_warning
from apps.operations.status import StatusItem, register
from apps.surveys.emails import confirmations_pending_ids

from .delivery import contact_delivery
from .models import ContactMessage


@register(order=30)
def emails_waiting() -> list[StatusItem]:
    """Emails waiting"""
    now = timezone.now()
    contact = ContactMessage.objects.aggregate(
        pending=Count("pk", filter=Q(status__in=["pending", "sending"])),
        oldest=Count(
            "pk",
            filter=Q(status__in=["pending", "sending"], created_at__lt=now - timedelta(hours=1)),
        ),
    )
    confirmations = len(confirmations_pending_ids())
    delivery = contact_delivery(waiting=contact["pending"])
    recipients = (
        StatusItem(
            _("Contact message recipients"),
            _("none"),
            "problem",
            _(
                "Contact-form messages are stored but emailed to no one. Add addresses under "
                "Site settings in the admin, or set CONTACT_EMAIL_RECIPIENTS."
            ),
        )
        if delivery.undeliverable
        else StatusItem(_("Contact message recipients"), str(delivery.recipients), "ok")
    )
    return [
        recipients,
        StatusItem(
            _("Contact messages not yet emailed to staff"),
            str(contact["pending"]),
            "problem" if contact["oldest"] else ("warning" if contact["pending"] else "ok"),
            _("Messages waiting more than an hour mean email delivery is failing.")
            if contact["oldest"]
            else "",
        ),
        StatusItem(
            _("Survey confirmations waiting to be sent"),
            str(confirmations),
            "warning" if confirmations else "ok",
        ),
    ]


@register_readiness_warning
def contact_recipients_missing() -> bool:
    """Contact messages are stored but would be emailed to no one."""
    return contact_delivery().undeliverable
