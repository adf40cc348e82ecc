from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/delete/<str:token>/", views.respondent_delete, name="respondent_delete"),
    path("privacy/deleted/", views.respondent_deleted, name="deleted"),
    path("staff/privacy/deletion-request/", views.deletion_request, name="deletion_request"),
]
