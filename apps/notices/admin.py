from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AuditedAdminMixin

from .models import EASTERN, Notice, SampleComment, SocialPost, TalkingPoint, ToolkitSection

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
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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


class ToolkitItemAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_editable = ("order", "is_published")
    both_fields: list = []

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["key", "order", "is_published"]}),
            (BOTH, {"fields": self.both_fields}),
        ]


@admin.register(ToolkitSection)
class ToolkitSectionAdmin(ToolkitItemAdmin):
    list_display = ("title_en", "title_es", "order", "is_published")
    search_fields = ("title_en", "title_es", "body_en", "body_es")
    both_fields = [("title_en", "title_es"), ("body_en", "body_es")]


@admin.register(TalkingPoint)
class TalkingPointAdmin(ToolkitItemAdmin):
    list_display = ("title_en", "title_es", "order", "is_published")
    search_fields = ("title_en", "title_es", "text_en", "text_es")
    both_fields = [("title_en", "title_es"), ("text_en", "text_es")]


@admin.register(SampleComment)
class SampleCommentAdmin(ToolkitItemAdmin):
    list_display = ("role_en", "role_es", "order", "is_published")
    search_fields = ("role_en", "role_es", "body_en", "body_es")
    both_fields = [("role_en", "role_es"), ("body_en", "body_es")]


@admin.register(SocialPost)
class SocialPostAdmin(ToolkitItemAdmin):
    list_display = ("text_en", "order", "is_published")
    search_fields = ("text_en", "text_es")
    both_fields = [("text_en", "text_es")]
