from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django.views.i18n import set_language

from apps.accounts.two_factor_views import admin_sign_in
from apps.pages.views import robots_txt
from apps.partners.api import api as partners_api

admin.site.site_header = _("OST SOC Portal administration")
admin.site.site_title = _("OST SOC Portal")
admin.site.index_title = _("Content, accounts and settings")

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Before the admin: its own sign-in form would skip the two-factor step.
    path(settings.ADMIN_URL + "login/", admin_sign_in, name="admin_sign_in"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("apps.accounts.urls")),
    path("", include("apps.pages.urls")),
    path("", include("apps.surveys.urls")),
    path("", include("apps.exports.urls")),
    path("", include("apps.insights.urls")),
    path("", include("apps.proposals.urls")),
    path("", include("apps.notices.urls")),
    path("", include("apps.comments.urls")),
    path("", include("apps.operations.urls")),
    path("", include("apps.mailings.urls")),
    path("", include("apps.privacy.urls")),
    path("", include("apps.coding.urls")),
    path("", include("apps.feeds.urls")),
    path("", include("apps.partners.urls")),
    path("api/partners/v1/", partners_api.urls),
]

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"

if settings.DEBUG:
    # Preview the error pages while developing.
    urlpatterns += [
        path("_errors/403/", TemplateView.as_view(template_name="403.html")),
        path("_errors/404/", TemplateView.as_view(template_name="404.html")),
        path("_errors/500/", TemplateView.as_view(template_name="500.html")),
    ]
