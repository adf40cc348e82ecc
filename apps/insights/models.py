from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class TitleMapping(TimeStampedModel):
    """Staff's merge of a job-title variant into a canonical title; applies to later answers too."""

    normalized = models.CharField(_("title as written (normalized)"), max_length=200, unique=True)
    canonical = models.CharField(_("canonical title"), max_length=200, db_index=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["canonical", "normalized"]
        verbose_name = _("job-title merge")
        verbose_name_plural = _("job-title merges")

    def __str__(self) -> str:
        return f"{self.normalized} → {self.canonical}"


class RepresentationTarget(TimeStampedModel):
    """The share of the sample staff want from a state or a setting, to judge representativeness."""

    class Dimension(models.TextChoices):
        STATE = "state", _("State")
        SETTING = "setting", _("Setting")

    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    value = models.CharField(_("code"), max_length=40, help_text=_("State code or setting code."))
    target_percent = models.DecimalField(
        _("target share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["dimension", "value"]
        verbose_name = _("representativeness target")
        verbose_name_plural = _("representativeness targets")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "value"], name="target_unique"),
            models.CheckConstraint(
                condition=models.Q(target_percent__gte=0, target_percent__lte=100),
                name="target_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.value}: {self.target_percent}%"


class SavedView(TimeStampedModel):
    """A named dashboard view: a page and its filters, saved by one staff member."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    page = models.CharField(_("page"), max_length=40)
    query = models.CharField(_("filters"), max_length=1000, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
