from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db import DataError, transaction

from .models import AuditEvent
from .roles import Role, user_role_level
from .services import audit_record


class SafeLookupsAdminMixin:
    """A list filter from the address that the database cannot hold (a 40-digit id: SQLite
    raises OverflowError, PostgreSQL DataError) is treated like any other bad filter: the
    admin shows the unfiltered list with its "?e=1" notice instead of a server error."""

    def get_changelist_instance(self, request):
        try:
            with transaction.atomic():
                return super().get_changelist_instance(request)
        except (OverflowError, DataError) as error:
            raise IncorrectLookupParameters(str(error)) from error


class AuditedAdminMixin(SafeLookupsAdminMixin):
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
class AuditEventAdmin(SafeLookupsAdminMixin, admin.ModelAdmin):
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
