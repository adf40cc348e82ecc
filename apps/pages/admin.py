from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AuditedAdminMixin

from .models import (
    ContactMessage,
    FAQEntry,
    GlossaryTerm,
    Milestone,
    Occupation,
    Organization,
    Page,
    SiteSettings,
)

# English and Spanish side by side: one fieldset per language pair.
BOTH = _("English and Spanish")


@admin.register(Page)
class PageAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "title_en",
        "title_es",
        "slug",
        "nav_group",
        "nav_order",
        "is_published",
        "updated_at",
    )
    list_editable = ("nav_order", "is_published")
    search_fields = ("title_en", "title_es", "body_en", "body_es")
    fieldsets = [
        (None, {"fields": ["slug", "is_published", ("nav_group", "nav_order"), "block"]}),
        (
            BOTH,
            {
                "fields": [
                    ("title_en", "title_es"),
                    ("summary_en", "summary_es"),
                    ("body_en", "body_es"),
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The home page's address is fixed; the site links to it by that name.
        return ["slug"] if obj is not None and obj.slug == "home" else []


@admin.register(FAQEntry)
class FAQEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("question_en", "question_es", "order", "is_published")
    list_editable = ("order", "is_published")
    search_fields = ("question_en", "question_es", "answer_en", "answer_es")
    fieldsets = [
        (None, {"fields": ["key", "order", "is_published"]}),
        (BOTH, {"fields": [("question_en", "question_es"), ("answer_en", "answer_es")]}),
    ]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("term_en", "term_es")
    search_fields = ("term_en", "term_es")
    fieldsets = [
        (None, {"fields": ["key"]}),
        (BOTH, {"fields": [("term_en", "term_es"), ("definition_en", "definition_es")]}),
    ]


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdminMixin, admin.ModelAdmin):
    # The status is computed from the dates (Milestone.status_on), so it is shown, not edited.
    list_display = ("title_en", "date_label_en", "status_display", "is_provisional", "order")
    list_editable = ("is_provisional", "order")
    readonly_fields = ("status_display",)
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "key",
                    "order",
                    ("starts_on", "ends_on"),
                    "status_display",
                    "is_provisional",
                ]
            },
        ),
        (
            BOTH,
            {
                "fields": [
                    ("date_label_en", "date_label_es"),
                    ("title_en", "title_es"),
                    ("description_en", "description_es"),
                    ("provisional_reason_en", "provisional_reason_es"),
                ]
            },
        ),
    ]

    @admin.display(description=_("status (from the dates)"))
    def status_display(self, obj) -> str:
        return obj.get_status_display() if obj.pk else "—"


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "is_lead", "is_published", "order")
    list_editable = ("is_published", "order")
    search_fields = ("name",)
    fieldsets = [
        (None, {"fields": ["key", "name", "url", "order", "is_lead", "is_published"]}),
        (BOTH, {"fields": [("role_en", "role_es")]}),
    ]


@admin.register(Occupation)
class OccupationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "title_en", "soc_edition", "is_soc_code", "order")
    list_editable = ("order",)
    search_fields = ("code", "title_en", "title_es")
    fieldsets = [
        (None, {"fields": [("code", "soc_edition", "is_soc_code"), "order"]}),
        (
            BOTH,
            {
                "fields": [
                    ("title_en", "title_es"),
                    ("definition_en", "definition_es"),
                    ("ost_roles_en", "ost_roles_es"),
                    ("note_en", "note_es"),
                ]
            },
        ),
    ]


@admin.register(SiteSettings)
class SiteSettingsAdmin(AuditedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContactMessage)
class ContactMessageAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "topic", "email", "status", "attempts")
    list_filter = ("status", "topic", "language")
    search_fields = ("email", "name", "organization", "message")
    readonly_fields = (
        "name",
        "email",
        "organization",
        "topic",
        "message",
        "language",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    )

    def has_add_permission(self, request):
        return False
