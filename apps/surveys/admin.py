from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role as StaffRole
from apps.accounts.roles import user_role_level
from apps.core.admin import AuditedAdminMixin
from apps.core.exceptions import ApplicationError

from .models import (
    Choice,
    Collector,
    Question,
    RespondentContact,
    Response,
    Role,
    Survey,
    SurveyPage,
    SurveyVersion,
    Task,
)
from .services import response_set_excluded
from .versioning import page_and_question_guard, version_copy_as_draft, version_publish

BOTH = _("English and Spanish")
FROZEN = _(
    "This version is published and has responses, so it cannot change. "
    "Use “Copy as a new draft version” to make changes."
)


class FrozenVersionMixin:
    """Pages, questions and choices of a version with responses are read-only, and nothing
    can be added to such a version."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        def clean(form_self):
            cleaned = super(form, form_self).clean()
            try:
                page_and_question_guard(cleaned.get("version"))
            except ApplicationError as error:
                raise ValidationError(error.message) from error
            return cleaned

        return type(form.__name__, (form,), {"clean": clean})

    def _version_of(self, obj) -> SurveyVersion:
        return obj.version

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._version_of(obj).is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._version_of(obj).is_frozen:
            return False
        return super().has_delete_permission(request, obj)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ("order", "value", "label_en", "label_es", "is_other", "is_exclusive")

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.version.is_frozen) and super().has_change_permission(request, obj)

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Question)
class QuestionAdmin(FrozenVersionMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("key", "type", "page", "version", "is_required", "order")
    list_filter = ("version__survey", "version", "type")
    search_fields = ("key", "text_en", "text_es")
    inlines = [ChoiceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("version", "page"),
                    ("key", "type", "order"),
                    "is_required",
                    "condition",
                    ("min_value", "max_value", "step"),
                ]
            },
        ),
        (BOTH, {"fields": [("text_en", "text_es"), ("help_en", "help_es")]}),
    ]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("order", "key", "type", "is_required", "text_en", "edit_link")
    readonly_fields = ("edit_link",)
    show_change_link = True

    @admin.display(description=_("choices and details"))
    def edit_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:surveys_question_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit"))

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.version.is_frozen) and super().has_change_permission(request, obj)

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(SurveyPage)
class SurveyPageAdmin(FrozenVersionMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("key", "title_en", "version", "order")
    list_filter = ("version__survey", "version")
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["version", ("key", "order"), "condition"]}),
        (BOTH, {"fields": [("title_en", "title_es"), ("intro_en", "intro_es")]}),
    ]

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance.version = form.instance.version
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(SurveyVersion)
class SurveyVersionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("survey", "number", "status", "published_at", "response_count", "preview")
    list_filter = ("survey", "status")
    readonly_fields = ("status", "published_at")
    actions = ["copy_as_draft", "publish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_responses=Count("responses"))

    @admin.display(description=_("responses"), ordering="n_responses")
    def response_count(self, obj):
        return obj.n_responses

    @admin.display(description=_("preview"))
    def preview(self, obj):
        url = reverse("surveys:preview", kwargs={"version_id": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Preview"))

    @admin.action(description=_("Copy as a new draft version"))
    def copy_as_draft(self, request, queryset):
        for version in queryset:
            copy = version_copy_as_draft(version=version, by=request.user)
            self.message_user(request, _("Created draft version %(n)s.") % {"n": copy.number})

    @admin.action(description=_("Publish (new responses use this version)"))
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Publish one version at a time."), messages.ERROR)
            return
        try:
            version = version_publish(version=queryset.get(), by=request.user, request=request)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(request, _("Version %(n)s is published.") % {"n": version.number})


@admin.register(Survey)
class SurveyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("title_en", "slug", "opens_at", "closes_at", "estimated_minutes")
    fieldsets = [
        (None, {"fields": ["slug", ("opens_at", "closes_at"), "estimated_minutes"]}),
        (
            BOTH,
            {
                "fields": [
                    ("title_en", "title_es"),
                    ("intro_en", "intro_es"),
                    ("thank_you_en", "thank_you_es"),
                ]
            },
        ),
    ]


@admin.register(Collector)
class CollectorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organization", "channel", "link", "started", "complete", "is_active")
    list_filter = ("survey", "channel", "is_active")
    search_fields = ("name", "organization", "slug")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_started=Count("responses"),
                n_complete=Count("responses", filter=Q(responses__status=Response.Status.COMPLETE)),
            )
        )

    @admin.display(description=_("link"))
    def link(self, obj):
        return obj.get_absolute_url()

    @admin.display(description=_("started"), ordering="n_started")
    def started(self, obj):
        return obj.n_started

    @admin.display(description=_("complete"), ordering="n_complete")
    def complete(self, obj):
        return obj.n_complete


@admin.register(Role)
class RoleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("slug", "label_en", "label_es", "order")
    fieldsets = [
        (None, {"fields": ["slug", "order"]}),
        (
            BOTH,
            {
                "fields": [
                    ("label_en", "label_es"),
                    ("titles_en", "titles_es"),
                    ("in_sentence_en", "in_sentence_es"),
                ]
            },
        ),
    ]


@admin.register(Task)
class TaskAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "label_en", "text_en", "for_all_roles", "is_active", "order")
    list_filter = ("is_active", "roles")
    search_fields = ("code", "text_en", "text_es")
    filter_horizontal = ("roles",)
    fieldsets = [
        (None, {"fields": ["code", "order", "is_active", "for_all_roles", "roles"]}),
        (
            BOTH,
            {"fields": [("text_en", "text_es"), ("label_en", "label_es"), ("area_en", "area_es")]},
        ),
    ]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read-only view of responses for review; staff exclude or restore, with a reason."""

    list_display = (
        "pk",
        "status",
        "version",
        "collector",
        "role",
        "state",
        "language",
        "submitted_at",
        "is_too_fast",
        "is_duplicate",
        "is_staff_entered",
        "is_excluded",
    )
    list_filter = (
        "status",
        "is_excluded",
        "is_too_fast",
        "is_duplicate",
        "is_staff_entered",
        "language",
        "version",
        "collector",
        "role",
    )
    readonly_fields = [f.name for f in Response._meta.fields if f.name != "id"]
    exclude = ("browser_token_hash",)
    actions = ["exclude_responses", "restore_responses"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Exclude from the figures (flag as not valid)"))
    def exclude_responses(self, request, queryset):
        with transaction.atomic():
            for response in queryset.filter(is_excluded=False):
                response_set_excluded(
                    response=response,
                    by=request.user,
                    excluded=True,
                    reason=_("Excluded in the admin"),
                    request=request,
                )

    @admin.action(description=_("Restore to the figures"))
    def restore_responses(self, request, queryset):
        with transaction.atomic():
            for response in queryset.filter(is_excluded=True):
                response_set_excluded(
                    response=response, by=request.user, excluded=False, request=request
                )


@admin.register(RespondentContact)
class RespondentContactAdmin(admin.ModelAdmin):
    """Contact details: Administrators only, whatever permissions a group is given."""

    list_display = ("response", "email", "wants_follow_up", "created_at", "confirmation_sent_at")
    readonly_fields = (
        "response",
        "email",
        "email_digest",
        "wants_follow_up",
        "created_at",
        "confirmation_sent_at",
    )

    def _is_admin(self, request):
        return user_role_level(request.user) >= StaffRole.ADMINISTRATOR.level

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self._is_admin(request)
