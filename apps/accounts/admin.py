from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AuditedAdminMixin

from .models import User
from .roles import Role, user_role_level


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "role_names")
    list_filter = ("is_active", "groups")

    @admin.display(description=_("Roles"))
    def role_names(self, obj: User) -> str:
        return ", ".join(g.name for g in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        # Only superusers may hand out superuser status or single permissions;
        # Administrators manage people through the role groups.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        user._role_level = None
        # Editors and Administrators work in the admin; Reviewers only in the staff area.
        needs_admin = user.is_superuser or user_role_level(user) >= Role.EDITOR.level
        if user.is_staff != needs_admin:
            user.is_staff = needs_admin
            user.save(update_fields=["is_staff"])
