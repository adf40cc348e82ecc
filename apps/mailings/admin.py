from django.contrib import admin

from apps.core.admin import AuditedAdminMixin

from .models import MailingSettings, Reminder, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Administrators look up or delete an address (a data request); sign-ups happen only
    through the public form with double opt-in."""

    list_display = ("email", "status", "language", "consent_at", "created_at")
    list_filter = (
        "status",
        "language",
        "wants_survey_news",
        "wants_comment_window",
        "wants_proposal_drafts",
    )
    search_fields = ("email",)
    exclude = ("key",)
    readonly_fields = (
        "email",
        "status",
        "language",
        "wants_survey_news",
        "wants_comment_window",
        "wants_proposal_drafts",
        "consent_at",
        "unsubscribed_at",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False


@admin.register(MailingSettings)
class MailingSettingsAdmin(AuditedAdminMixin, admin.ModelAdmin):
    fields = ("reminder_days", "blocked_domains")

    def has_add_permission(self, request):
        return self.has_change_permission(request) and not MailingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("notice", "days_before", "is_skipped", "announcement", "created_at")
    list_filter = ("is_skipped",)
    readonly_fields = ("notice", "days_before", "announcement", "is_skipped")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
