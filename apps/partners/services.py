"""Writes for partners: invitations, accounts, links, API tokens, suspension, publication.

Every action with a rule or a side effect is here, audited through apps.core's audit log.
"""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.jobs import enqueue_task
from apps.core.models import AuditEvent
from apps.core.services import audit_record
from apps.surveys.selectors import CollectorChannel, survey_open_list
from apps.surveys.services import collector_create, collectors_close

from .models import ApiToken, Invitation, Partner, PartnerLink, PartnerMember, ResultsPublication

INVITATION_SALT = "partners.invitation"
TOKEN_PREFIX = "ostp_"

INVITATION_INVALID = _("This invitation link is not valid. Ask the portal team for a new one.")
INVITATION_EXPIRED = _("This invitation has expired. Ask the portal team for a new one.")
INVITATION_USED = _("This invitation has already been used. Sign in with your password instead.")
EMAIL_TAKEN = _("An account with this email address already exists. Sign in instead.")
NO_OPEN_SURVEY = _("No survey is open right now, so no new link can be made.")
END_DATE_PAST = _("The end date cannot be in the past.")
END_DATE_TOO_FAR = _("Choose an end date within a year from today.")
PARTNER_SUSPENDED = _("This partner account is suspended. Contact the portal team.")


def invitation_days() -> int:
    return getattr(settings, "PARTNER_INVITATION_DAYS", 7)


def invitation_token(invitation: Invitation) -> str:
    """The signed token of an invitation link (it carries the id and when it was signed)."""
    return signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation:
    """The invitation a token names, if it is valid, unexpired and unused; else the reason."""
    max_age = timedelta(days=invitation_days())
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ApplicationError(INVITATION_EXPIRED) from error
    except signing.BadSignature as error:
        raise ApplicationError(INVITATION_INVALID) from error
    invitation = (
        Invitation.objects.select_related("partner").filter(pk=data.get("i")).first()
        if isinstance(data, dict)
        else None
    )
    if invitation is None:
        raise ApplicationError(INVITATION_INVALID)
    if invitation.accepted_at is not None:
        raise ApplicationError(INVITATION_USED)
    if invitation.expires_at <= timezone.now():
        raise ApplicationError(INVITATION_EXPIRED)
    if invitation.partner.is_suspended:
        raise ApplicationError(PARTNER_SUSPENDED)
    return invitation


@transaction.atomic
def partner_invite(*, partner: Partner, email: str, by, request=None) -> Invitation:
    """Invite a person to sign in for a partner; the email with the link goes after commit."""
    email = email.strip().lower()
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ApplicationError(EMAIL_TAKEN)
    invitation = Invitation.objects.create(
        partner=partner,
        email=email,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=invitation_days()),
    )
    audit_record(
        action=AuditEvent.Action.CREATED,
        actor=by,
        target=partner,
        details={"invitation": invitation.pk, "email": email},
        request=request,
    )
    enqueue_task("apps.partners.tasks.partner_invitation_send", invitation_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str, request=None):
    """Make the invitee's account with the password they chose; the invitation is used up."""
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ApplicationError(INVITATION_USED)
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ApplicationError(EMAIL_TAKEN)
    user = User(username=username, email=invitation.email)
    validate_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ApplicationError(_("That username is taken. Choose another.")) from error
    PartnerMember.objects.create(user=user, partner=invitation.partner)
    invitation.accepted_at, invitation.user = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "user", "updated_at"])
    audit_record(
        action=AuditEvent.Action.CREATED,
        actor=user,
        target=invitation.partner,
        details={"invitation_accepted": invitation.pk},
        request=request,
    )
    return user


@transaction.atomic
def partner_set_suspended(*, partner: Partner, suspended: bool, by, request=None) -> Partner:
    """Suspend a partner (its people and its API token stop working at once) or restore it."""
    partner.is_suspended = suspended
    partner.suspended_at = timezone.now() if suspended else None
    partner.save(update_fields=["is_suspended", "suspended_at", "updated_at"])
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=by,
        target=partner,
        details={"suspended": suspended},
        request=request,
    )
    return partner


def partner_link_create(
    *, partner: Partner, name: str, kind: str, ends_on: date, by, request=None
) -> PartnerLink:
    """A new survey link of the partner's own, for an event or a program site."""
    today = timezone.localdate()
    if ends_on < today:
        raise ApplicationError(END_DATE_PAST)
    if ends_on > today + timedelta(days=366):
        raise ApplicationError(END_DATE_TOO_FAR)
    survey = survey_open_list().first()
    if survey is None:
        raise ApplicationError(NO_OPEN_SURVEY)
    channel = CollectorChannel.EVENT if kind == PartnerLink.Kind.EVENT else CollectorChannel.QR
    with transaction.atomic():
        collector = collector_create(
            survey=survey,
            name=name,
            organization=partner.name,
            channel=channel,
            slug_prefix=partner.name,
            by=by,
        )
        link = PartnerLink.objects.create(
            partner=partner, collector=collector, kind=kind, ends_on=ends_on, created_by=by
        )
        audit_record(
            action=AuditEvent.Action.CREATED,
            actor=by,
            target=partner,
            details={"link": collector.slug, "name": name},
            request=request,
        )
    return link


def partner_links_close_ended() -> int:
    """Close the links whose end date has passed (the nightly task). Idempotent."""
    ended = PartnerLink.objects.filter(ends_on__lt=timezone.localdate()).values_list(
        "collector_id", flat=True
    )
    return collectors_close(ids=ended)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, partner: Partner, by, request=None) -> str:
    """A new API token for the partner (the old one is revoked). Returns the token itself,
    which is shown once and never stored."""
    ApiToken.objects.filter(partner=partner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        partner=partner, token_hash=token_hash(token), prefix=token[:12], created_by=by
    )
    audit_record(
        action=AuditEvent.Action.CREATED,
        actor=by,
        target=partner,
        details={"api_token": token[:12]},
        request=request,
    )
    return token


@transaction.atomic
def api_token_revoke(*, partner: Partner, by, request=None) -> int:
    """Revoke the partner's live token. Returns how many were live (0 or 1)."""
    revoked = ApiToken.objects.filter(partner=partner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            action=AuditEvent.Action.DELETED,
            actor=by,
            target=partner,
            details={"api_token": "revoked"},
            request=request,
        )
    return revoked


def partner_activity_record(
    *,
    partner: Partner,
    what: str,
    action: str = AuditEvent.Action.VIEWED,
    actor=None,
    actor_label: str = "",
    details: dict | None = None,
    request=None,
):
    """One audit line: which partner (and who for it) saw or downloaded what."""
    return audit_record(
        action=action,
        actor=actor,
        actor_label=actor_label,
        target=partner,
        details={"what": what, **(details or {})},
        request=request,
    )


@transaction.atomic
def results_set_published(*, published: bool, by, request=None) -> ResultsPublication:
    """Publish the public results page (and the API's public figures), or take them down."""
    row, _created = ResultsPublication.objects.select_for_update().get_or_create(pk=1)
    row.is_published, row.changed_at, row.changed_by = published, timezone.now(), by
    row.save()
    audit_record(
        action=AuditEvent.Action.PUBLISHED if published else AuditEvent.Action.CHANGED,
        actor=by,
        target=row,
        details={"results_published": published},
        request=request,
    )
    return row
