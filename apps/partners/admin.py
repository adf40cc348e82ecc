from django.contrib import admin

from .models import Partner, PartnerLink, PartnerMember


class PartnerLinkInline(admin.TabularInline):
    model = PartnerLink
    fields = ("collector", "kind", "ends_on")
    autocomplete_fields = ("collector",)
    extra = 1


class PartnerMemberInline(admin.TabularInline):
    model = PartnerMember
    fields = ("user",)
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "target_responses", "is_suspended")
    search_fields = ("name",)
    fields = ("name", "target_responses")
    inlines = [PartnerLinkInline, PartnerMemberInline]
