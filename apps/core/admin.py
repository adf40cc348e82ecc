from django.contrib import admin

from apps.accounts.roles import Role, user_role_level

from .models import AuditEvent
from .services import audit_record


class AuditedAdminMixin:
    """Every add, change and delete made through the admin also goes to the audit log."""

    def log_addition(self, request, obj, message):
        audit_record(
            action=AuditEvent.Action.CREATED,
            actor=request.user,
            target=obj,
            details={"change": message},
            request=request,
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit_record(
            action=AuditEvent.Action.CHANGED,
            actor=request.user,
            target=obj,
            details={"change": message},
            request=request,
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_record(
                action=AuditEvent.Action.DELETED, actor=request.user, target=obj, request=request
            )
        return super().log_deletions(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only, and for Administrators only."""

    list_display = (
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_repr",
        "ip_address",
    )
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_repr", "object_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return user_role_level(request.user) >= Role.ADMINISTRATOR.level
