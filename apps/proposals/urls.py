from django.urls import path

from . import public_views, views

app_name = "proposals"

urlpatterns = [
    path("staff/proposal/", views.workspace, name="workspace"),
    path("staff/proposal/settings/", views.proposal_settings, name="settings"),
    path("staff/proposal/section/<slug:key>/", views.section_detail, name="section"),
    path("staff/proposal/section/<slug:key>/evidence/", views.evidence_add, name="evidence_add"),
    path(
        "staff/proposal/section/<slug:key>/evidence/<int:pk>/refresh/",
        views.block_refresh,
        name="block_refresh",
    ),
    path(
        "staff/proposal/section/<slug:key>/evidence/<int:pk>/remove/",
        views.block_remove,
        name="block_remove",
    ),
    path("staff/proposal/versions/", views.version_list, name="versions"),
    path("staff/proposal/versions/compare/", views.version_compare, name="compare"),
    path("staff/proposal/versions/<int:number>/", views.version_detail, name="version"),
    path("staff/proposal/versions/<int:number>/publish/", views.version_publish, name="publish"),
    path("staff/proposal/versions/<int:number>/withdraw/", views.version_withdraw, name="withdraw"),
    path(
        "staff/proposal/versions/<int:number>/export/", views.version_export, name="export_request"
    ),
    path("staff/proposal/exports/<int:pk>/", views.export_detail, name="export"),
    path("staff/proposal/exports/<int:pk>/status/", views.export_status, name="export_status"),
    path(
        "staff/proposal/exports/<int:pk>/download/", views.export_download, name="export_download"
    ),
    path("staff/proposal/comments/", views.comment_queue, name="comments"),
    path("staff/proposal/comments/<int:pk>/moderate/", views.comment_moderate, name="moderate"),
    path("staff/proposal/comments/<int:pk>/respond/", views.comment_dispose, name="dispose"),
    path("proposal/draft/", public_views.public_index, name="public_index"),
    path("proposal/draft/<int:number>/", public_views.public_version, name="public_version"),
    path(
        "proposal/draft/<int:number>/comment/<slug:section>/",
        public_views.public_comment,
        name="public_comment",
    ),
    path("proposal/draft/<int:number>/thanks/", public_views.public_thanks, name="public_thanks"),
]
