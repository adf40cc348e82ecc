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


# --- Pre-aggregated figures ("the cube") ---
# The dashboards' unfiltered and one-filter views read these instead of scanning every answer.
# Every figure is additive over respondents, so a view sums the rows of its slice, and the
# rows are kept current incrementally: the Celery task in apps/insights/cube.py adds the
# figures of newly counted responses and subtracts those of responses no longer counted.


class CubeBuild(models.Model):
    """The one row that says how current the pre-aggregated figures are."""

    built_at = models.DateTimeField(null=True, blank=True)
    full_built_at = models.DateTimeField(null=True, blank=True)
    watermark = models.CharField(max_length=100, blank=True)
    seconds = models.FloatField(default=0)
    added = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    # The next refresh looks at responses saved since `changes_from` (less a margin);
    # `scanned_at`: when every member was last checked against its response.
    changes_from = models.DateTimeField(null=True, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard figures build")
        verbose_name_plural = _("dashboard figures builds")

    def __str__(self) -> str:
        return f"dashboard figures of {self.built_at}"


class CubeMember(models.Model):
    """A response counted in the pre-aggregated figures, with the slice values it was
    counted under: what to subtract when it is excluded, flagged, changed or deleted."""

    response = models.OneToOneField(
        "surveys.Response",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="cube_member",
    )
    stamp = models.DateTimeField()
    day = models.CharField(max_length=10)
    week = models.CharField(max_length=10)
    version = models.CharField(max_length=20)
    collector = models.CharField(max_length=20)
    state = models.CharField(max_length=2)
    role = models.CharField(max_length=50)
    setting = models.CharField(max_length=40)
    flagged = models.BooleanField()
    batch = models.SmallIntegerField(null=True, db_index=True)

    def __str__(self) -> str:
        return f"response {self.response_id} counted"


class SliceCount(models.Model):
    """A count (and optionally a sum) of respondents in one slice of the responses.

    dim/value: the slice (e.g. state=CA, week=2026-09-28, version=3, pair:sw=CA|2026-09-28),
    and within it role: the respondents' main role, so that a role filter combines with any slice;
    flagged: whether these respondents are flagged (too fast or possible duplicate);
    metric/key/item: what is counted (e.g. choice/benefits/health, profile/state/CA)."""

    dim = models.CharField(max_length=10)
    metric = models.CharField(max_length=10)
    value = models.CharField(max_length=100)
    role = models.CharField(max_length=50)
    flagged = models.BooleanField()
    key = models.CharField(max_length=100)
    item = models.CharField(max_length=200)
    n = models.BigIntegerField()
    total = models.FloatField(null=True)
    # Sum of the counted respondents' record keys (apps/insights/disclosure.py).
    ck = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dim", "metric", "value", "role", "flagged", "key", "item"],
                name="slice_count_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dim}={self.value} {self.metric} {self.key} {self.item}: {self.n}"


class SliceTask(models.Model):
    """Task-rating sums for one slice of the responses (see SliceCount)."""

    dim = models.CharField(max_length=10)
    value = models.CharField(max_length=100)
    role = models.CharField(max_length=50)
    flagged = models.BooleanField()
    task_id = models.IntegerField()
    n = models.BigIntegerField()
    yes = models.BigIntegerField()
    imp_sum = models.FloatField(null=True)
    imp_sq = models.FloatField(null=True)
    f1 = models.BigIntegerField()
    f2 = models.BigIntegerField()
    f3 = models.BigIntegerField()
    f4 = models.BigIntegerField()
    f5 = models.BigIntegerField()
    f6 = models.BigIntegerField()
    f7 = models.BigIntegerField()
    # Sums of the record keys of the respondents in n, yes and f1..f7 (disclosure.py).
    ck_n = models.BigIntegerField(default=0)
    ck_yes = models.BigIntegerField(default=0)
    ck_f1 = models.BigIntegerField(default=0)
    ck_f2 = models.BigIntegerField(default=0)
    ck_f3 = models.BigIntegerField(default=0)
    ck_f4 = models.BigIntegerField(default=0)
    ck_f5 = models.BigIntegerField(default=0)
    ck_f6 = models.BigIntegerField(default=0)
    ck_f7 = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dim", "value", "role", "flagged", "task_id"], name="slice_task_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dim}={self.value} task {self.task_id}: {self.n}"
