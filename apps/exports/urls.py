from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("staff/exports/", views.export_list, name="list"),
    path("staff/exports/request/", views.export_request, name="request"),
    path("staff/exports/<int:pk>/", views.export_detail, name="detail"),
    path("staff/exports/<int:pk>/status/", views.export_status, name="status"),
    path("staff/exports/<int:pk>/download/", views.export_download, name="download"),
]
