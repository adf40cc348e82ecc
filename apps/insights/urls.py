from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("staff/insights/", views.overview, name="overview"),
    path("staff/insights/duties/", views.duties, name="duties"),
    path("staff/insights/duties/<str:code>/", views.task_detail, name="task_detail"),
    path("staff/insights/titles/", views.titles, name="titles"),
    path("staff/insights/crosswalk/", views.crosswalk, name="crosswalk"),
    path("staff/insights/workforce/", views.workforce, name="workforce"),
    path("staff/insights/open-answers/", views.open_answers, name="open_answers"),
    path("staff/insights/crosstab/", views.crosstab_view, name="crosstab"),
    path("staff/insights/views/save/", views.save_view, name="save_view"),
    path("staff/insights/views/<int:pk>/", views.open_view, name="open_view"),
]
