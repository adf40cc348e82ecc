from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AuditedAdminMixin

from .models import EASTERN, Notice

BOTH = _("English and Spanish")


class EasternTimeAdminMixin:
    """Dates in the form are read and shown in Eastern Time, the zone of every deadline."""

    def changeform_view(self, request, *args, **kwargs):
        with timezone.override(EASTERN):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with timezone.override(EASTERN):
            return super().changelist_view(request, *args, **kwargs)


@admin.register(Notice)
class NoticeAdmin(EasternTimeAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("citation", "title_en", "docket_id", "opens_at", "closes_at", "is_published")
    list_filter = ("is_published",)
    search_fields = ("citation", "document_number", "docket_id", "title_en", "title_es")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "is_published",
                    ("citation", "document_number", "docket_id"),
                    "document_url",
                    ("opens_at", "closes_at"),
                    "submission_url",
                    "required_header",
                    "comment_char_limit",
                ],
                "description": _("Enter every date and time in Eastern Time (New York)."),
            },
        ),
        (
            BOTH,
            {
                "fields": [
                    ("title_en", "title_es"),
                    ("summary_en", "summary_es"),
                    ("how_to_submit_en", "how_to_submit_es"),
                ]
            },
        ),
    ]
