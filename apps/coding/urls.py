from django.urls import path

from . import views

app_name = "coding"

urlpatterns = [
    path("staff/coding/", views.answers, name="answers"),
    path("staff/coding/answers/<int:pk>/", views.answer, name="answer"),
    path("staff/coding/answers/<int:pk>/apply/", views.apply_code, name="apply"),
    path("staff/coding/answers/<int:pk>/remove/", views.remove_code, name="remove"),
    path("staff/coding/answers/<int:pk>/coded/", views.mark_coded, name="mark_coded"),
    path("staff/coding/answers/<int:pk>/quote/", views.quote_create, name="quote_create"),
    path("staff/coding/blind/", views.set_blind, name="set_blind"),
    path("staff/coding/codebook/", views.codebook, name="codebook"),
    path("staff/coding/codebook/<int:pk>/", views.code_edit, name="code_edit"),
    path("staff/coding/codebook/merge/", views.code_merge, name="code_merge"),
    path("staff/coding/agreement/", views.agreement, name="agreement"),
    path("staff/coding/frequencies/", views.frequencies, name="frequencies"),
    path("staff/coding/codes-together/", views.cooccurrence, name="cooccurrence"),
    path("staff/coding/quotes/", views.quotes, name="quotes"),
    path("staff/coding/quotes/<int:pk>/status/", views.quote_status, name="quote_status"),
]
