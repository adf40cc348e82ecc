from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("survey/", views.survey_home, name="home"),
    path("survey/<slug:slug>/", views.survey_landing, name="landing"),
    path("s/<slug:slug>/", views.collector_entry, name="collector"),
    path("survey/r/<uuid:public_id>/page/<slug:page_key>/", views.survey_page, name="page"),
    path(
        "survey/r/<uuid:public_id>/page/<slug:page_key>/draft/",
        views.page_draft,
        name="page_draft",
    ),
    path("survey/r/<uuid:public_id>/my-answers/", views.answers_copy, name="answers_copy"),
    path("survey/r/<uuid:public_id>/my-answers.pdf", views.answers_pdf, name="answers_pdf"),
    path("survey-sw.js", views.service_worker, name="service_worker"),
    path("survey/r/<uuid:public_id>/email-link/", views.resume_email, name="resume_email"),
    path("survey/r/<uuid:public_id>/thanks/", views.survey_thanks, name="thanks"),
    path("survey/resume/<str:token>/", views.resume_open, name="resume"),
    path("staff/survey-preview/<int:version_id>/", views.survey_preview, name="preview"),
    path(
        "staff/survey-preview/<int:version_id>/<slug:page_key>/",
        views.survey_preview,
        name="preview_page",
    ),
]

from . import staff_views  # noqa: E402

urlpatterns += [
    path("staff/surveys/", staff_views.survey_overview, name="staff_overview"),
    path(
        "staff/surveys/<slug:slug>/paper-template.csv",
        staff_views.paper_template,
        name="paper_template",
    ),
    path("staff/surveys/<slug:slug>/paper-import/", staff_views.paper_import, name="paper_import"),
]
