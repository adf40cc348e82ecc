from django.urls import include, path

from bench.reference.views import reference_form

urlpatterns = [
    path("bench/reference/", reference_form, name="bench_reference"),
    path("", include("ostportal.urls")),
]
