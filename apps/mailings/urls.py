from django.urls import path

from . import views

app_name = "mailings"

urlpatterns = [
    path("updates/", views.signup, name="signup"),
    path("updates/check-your-email/", views.signup_sent, name="signup_sent"),
    path("updates/confirm/<str:token>/", views.confirm, name="confirm"),
    path("updates/manage/<str:token>/", views.manage, name="manage"),
    path("updates/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("staff/updates/", views.staff_list, name="staff_list"),
    path("staff/updates/new/", views.announcement_create, name="announcement_create"),
    path("staff/updates/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("staff/updates/<int:pk>/edit/", views.announcement_edit, name="announcement_edit"),
    path("staff/updates/<int:pk>/status/", views.announcement_status, name="announcement_status"),
    path("staff/updates/<int:pk>/test/", views.announcement_test, name="announcement_test"),
    path("staff/updates/<int:pk>/send/", views.announcement_send_view, name="announcement_send"),
    path(
        "staff/updates/<int:pk>/resend-unknown/",
        views.announcement_resend_unknown_view,
        name="announcement_resend_unknown",
    ),
]
