from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partners/sign-in/", views.PartnerSignInView.as_view(), name="sign_in"),
    path("partners/invitation/<str:token>/", views.accept_invitation, name="accept"),
    path("partners/", views.dashboard, name="dashboard"),
    path("partners/duties/", views.duties, name="duties"),
    path("partners/links/", views.links, name="links"),
    path("partners/links/<int:pk>/qr.svg", views.link_qr, name="link_qr"),
    path("partners/links/<int:pk>/flyer.pdf", views.link_flyer, name="link_flyer"),
    path("partners/api-token/", views.api_token, name="api_token"),
    path("staff/partners/", views.staff_partner_list, name="staff_list"),
    path("staff/partners/<int:pk>/", views.staff_partner_detail, name="staff_detail"),
    path("staff/partners/<int:pk>/suspend/", views.staff_partner_suspend, name="staff_suspend"),
    path(
        "staff/partners/<int:pk>/revoke-token/", views.staff_token_revoke, name="staff_token_revoke"
    ),
    path("staff/results/", views.results_publish, name="results_publish"),
    path("results/", views.public_results, name="public_results"),
    path("results/codebook.csv", views.codebook_csv, name="codebook"),
]
