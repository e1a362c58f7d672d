"""The installation administrator's pages for Skolfederation sign-in, at /federation/."""

from django.urls import path

from kollegium.federation import views

app_name = "federation"

urlpatterns = [
    path("", views.index, name="index"),
    path("feeds/<int:feed_id>/", views.feed_detail, name="feed"),
    path("feeds/<int:feed_id>/refresh/", views.feed_refresh, name="feed_refresh"),
    path("feeds/<int:feed_id>/idps/", views.idp_allow, name="idp_allow"),
    path("idps/<int:idp_id>/remove/", views.idp_remove, name="idp_remove"),
]
