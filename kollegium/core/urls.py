from django.urls import path

from kollegium.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
]
