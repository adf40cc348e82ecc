"""Partner invitations keep the invitee's address: a deletion request reaches them."""

from django.utils.translation import gettext_lazy as _

from .models import Invitation


class PartnerInvitations:
    """Invitations sent to this address (the partner account itself is a user account)."""

    label = _("Partner invitations sent to this address")

    def count(self, *, email: str) -> int:
        return Invitation.objects.filter(email__iexact=email.strip()).count()

    def delete(self, *, email: str) -> int:
        deleted, _by_model = Invitation.objects.filter(email__iexact=email.strip()).delete()
        return deleted


partner_invitations = PartnerInvitations()
