from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("comment/", views.builder, name="builder"),
    path("comment/draft/", views.draft, name="draft"),
    path("comment/submitted/", views.submitted, name="submitted"),
    path("comment/submitted/thanks/", views.submitted_thanks, name="submitted_thanks"),
    path("comment/pledge/", views.pledge, name="pledge"),
    path("comment/pledge/check-your-email/", views.pledge_sent, name="pledge_sent"),
    path("comment/pledge/confirm/<str:token>/", views.pledge_confirm, name="pledge_confirm"),
    path("staff/comments/", views.staff_counts, name="staff_counts"),
]
