from django.contrib import admin

from apps.accounts.roles import Role, user_role_level

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only, and for Administrators only: who exported what, and how it went.
    Files are downloaded from the job page, never from here."""

    list_display = (
        "id",
        "created_at",
        "kind",
        "format",
        "status",
        "rows_written",
        "requested_by",
        "includes_personal_data",
        "attempts",
    )
    list_filter = ("status", "kind", "format", "includes_personal_data")
    search_fields = ("requested_by__username", "kind")
    date_hierarchy = "created_at"
    list_select_related = ("requested_by",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return user_role_level(request.user) >= Role.ADMINISTRATOR.level

    def has_module_permission(self, request):
        return self.has_view_permission(request)
