from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role, user_role_level


class User(AbstractUser):
    """A staff account. Practitioners never need one: the survey is anonymous."""

    email = models.EmailField(_("email address"), unique=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, role: Role) -> bool:
        """True for this role or a higher one (Reviewer < Editor < Administrator)."""
        return self.is_active and user_role_level(self) >= role.level

    @property
    def is_portal_staff(self) -> bool:
        return self.has_role(Role.REVIEWER)
