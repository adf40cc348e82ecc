from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import UpdatesAtom, UpdatesRss
from .sitemaps import SITEMAPS

app_name = "feeds"

urlpatterns = [
    path("news/", views.news, name="news"),
    path("feeds/updates.rss", UpdatesRss(), name="rss"),
    path("feeds/updates.atom", UpdatesAtom(), name="atom"),
    path("feeds/calendar.ics", views.calendar, name="calendar"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
