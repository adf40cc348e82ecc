from django.contrib import admin

from apps.core.admin import AuditedAdminMixin

from .models import RepresentationTarget, TitleMapping


@admin.register(RepresentationTarget)
class RepresentationTargetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("dimension", "value", "target_percent")
    list_filter = ("dimension",)
    list_editable = ("target_percent",)


@admin.register(TitleMapping)
class TitleMappingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("normalized", "canonical", "merged_by", "updated_at")
    search_fields = ("normalized", "canonical")
